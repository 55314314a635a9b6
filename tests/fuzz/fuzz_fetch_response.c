/* Fuzz target: what a query's native fetch path reads from a hub
 * (src/stream/fetch.c, run.c native_feed): a Fetch v11 response body,
 * decoded by the generated codec, then every partition's records walked as
 * batches and records, as the query does. Nothing may crash or read out of
 * bounds; records yielded lie inside the response or the scratch. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/reader.h"
#include "fuzz.h"
#include "kafka/gen/kafka_msgs.h"
#include "record/records.h"

static eddy_record_scratch scratch;
static bool ready;
static volatile uint32_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        eddy_record_scratch_init(&scratch);
        ready = true;
    }
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) {
        return 0;
    }
    memcpy(copy, data, size);
    eddy_arena arena;
    eddy_arena_init(&arena, 0, (size_t)16 << 20);
    eddy_reader r;
    eddy_reader_init(&r, copy, size);
    eddy_kafka_FetchResponse resp;
    if (eddy_kafka_FetchResponse_decode(&r, 11, &arena, &resp) == 0) {
        for (int32_t t = 0; t < resp.Responses.count; t++) {
            const eddy_kafka_FetchResponse_FetchableTopicResponse *tr = &resp.Responses.items[t];
            for (int32_t p = 0; p < tr->Partitions.count; p++) {
                const eddy_kafka_FetchResponse_PartitionData *pd = &tr->Partitions.items[p];
                if (pd->Records.len <= 0) {
                    continue;
                }
                if (pd->Records.p < copy || pd->Records.p + pd->Records.len > copy + size) {
                    abort();
                }
                eddy_batch_iter bi;
                eddy_batch_iter_init(&bi, pd->Records.p, (size_t)pd->Records.len);
                const uint8_t *bp;
                eddy_batch_header h;
                while (eddy_batch_iter_next(&bi, &bp, &h)) {
                    eddy_record_iter it;
                    if (eddy_record_iter_init(&it, bp, eddy_batch_total_size(&h), &scratch,
                                              256 << 10) == 0) {
                        eddy_record rec;
                        while (eddy_record_iter_next(&it, &rec)) {
                            for (int32_t i = 0; i < rec.value.len; i++) {
                                sink += rec.value.ptr[i];
                            }
                            for (int32_t i = 0; i < rec.key.len; i++) {
                                sink += rec.key.ptr[i];
                            }
                        }
                    }
                    eddy_record_iter_deinit(&it);
                }
            }
        }
    }
    eddy_arena_deinit(&arena);
    free(copy);
    return 0;
}

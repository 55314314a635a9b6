/* Idempotent-producer state of one partition, and its snapshot file.
 *
 * Per producer id: the epoch and the last five batches' (firstSeq, lastSeq,
 * baseOffset), as Kafka's ProducerStateManager and librdkafka's mock keep
 * them. A log holds two copies: the append side's (ahead of the disk, used
 * for checks) and the writer's (exactly what is written, used for
 * snapshots). Snapshot layout: docs/format/producer-snapshot.md. */
#include <stdlib.h>
#include <string.h>

#include "core/crc.h"
#include "core/endian.h"
#include "core/error.h"
#include "core/reader.h"
#include "storage/storage_int.h"

void eddy_pstate_init(eddy_pstate *ps)
{
    eddy_map_init(&ps->map);
}

void eddy_pstate_clear(eddy_pstate *ps)
{
    size_t it = 0;
    const char *key;
    size_t klen;
    void *value;
    while (eddy_map_next(&ps->map, &it, &key, &klen, &value)) {
        free(value);
    }
    eddy_map_deinit(&ps->map);
    eddy_map_init(&ps->map);
}

void eddy_pstate_deinit(eddy_pstate *ps)
{
    eddy_pstate_clear(ps);
    eddy_map_deinit(&ps->map);
}

size_t eddy_pstate_count(const eddy_pstate *ps)
{
    return ps->map.count;
}

int32_t eddy_seq_add(int32_t seq, int32_t n)
{
    /* DefaultRecordBatch.incrementSequence: sequences wrap to 0. */
    if (seq > INT32_MAX - n) {
        return n - (INT32_MAX - seq) - 1;
    }
    return seq + n;
}

static eddy_producer *find(const eddy_pstate *ps, int64_t pid)
{
    return eddy_map_get(&ps->map, &pid, sizeof pid);
}

int eddy_pstate_check(const eddy_pstate *ps, const eddy_pbatch *b, int64_t *dup_offset)
{
    if (b->pid < 0) {
        return 0;
    }
    const eddy_producer *p = find(ps, b->pid);
    if (!p) {
        /* Unknown producer: accept at any sequence (Kafka >= 2.5 does so
         * when retention removed the producer's batches). */
        return 0;
    }
    if (b->epoch < p->epoch) {
        return EDDY_ERR_INVALID_PRODUCER_EPOCH;
    }
    if (b->epoch > p->epoch) {
        return b->first_seq == 0 ? 0 : EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER;
    }
    int32_t last_seq = eddy_seq_add(b->first_seq, b->last_delta);
    for (int i = 0; i < p->n; i++) {
        if (p->b[i].first_seq == b->first_seq && p->b[i].last_seq == last_seq) {
            *dup_offset = p->b[i].base_offset;
            return EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER;
        }
    }
    if (p->n == 0 || b->first_seq == eddy_seq_add(p->b[p->n - 1].last_seq, 1)) {
        return 0;
    }
    return EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER;
}

static void push(eddy_producer *p, int32_t first_seq, int32_t last_seq, int64_t base)
{
    if (p->n == EDDY_PRODUCER_WINDOW) {
        memmove(&p->b[0], &p->b[1], (EDDY_PRODUCER_WINDOW - 1) * sizeof p->b[0]);
        p->n--;
    }
    p->b[p->n++] = (eddy_pid_batch){first_seq, last_seq, base};
}

int eddy_pstate_apply(eddy_pstate *ps, const eddy_pbatch *b)
{
    if (b->pid < 0) {
        return 0;
    }
    eddy_producer *p = find(ps, b->pid);
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p) {
            return EDDY_ERR_NOMEM;
        }
        p->pid = b->pid;
        p->epoch = b->epoch;
        if (eddy_map_put(&ps->map, &b->pid, sizeof b->pid, p, NULL) != 0) {
            free(p);
            return EDDY_ERR_NOMEM;
        }
    }
    if (b->epoch != p->epoch) {
        p->epoch = b->epoch;
        p->n = 0;
    }
    push(p, b->first_seq, eddy_seq_add(b->first_seq, b->last_delta), b->base_offset);
    return 0;
}

int eddy_pstate_copy(eddy_pstate *dst, const eddy_pstate *src)
{
    eddy_pstate_clear(dst);
    size_t it = 0;
    const char *key;
    size_t klen;
    void *value;
    while (eddy_map_next(&src->map, &it, &key, &klen, &value)) {
        eddy_producer *p = malloc(sizeof *p);
        if (!p) {
            eddy_pstate_clear(dst);
            return EDDY_ERR_NOMEM;
        }
        memcpy(p, value, sizeof *p);
        if (eddy_map_put(&dst->map, &p->pid, sizeof p->pid, p, NULL) != 0) {
            free(p);
            eddy_pstate_clear(dst);
            return EDDY_ERR_NOMEM;
        }
    }
    return 0;
}

/* Entry: pid i64 | epoch i16 | n u8 | reserved u8 | n x (first i32, last i32,
 * base i64). */
#define SNAP_ENTRY_FIXED 12
#define SNAP_BATCH_SIZE  16

int eddy_pstate_encode(const eddy_pstate *ps, int64_t offset, uint8_t **out, size_t *len)
{
    size_t count = ps->map.count;
    size_t max = EDDY_SNAP_HEADER_SIZE +
                 count * (SNAP_ENTRY_FIXED + EDDY_PRODUCER_WINDOW * SNAP_BATCH_SIZE) + 4;
    uint8_t *buf = calloc(1, max);
    if (!buf) {
        return EDDY_ERR_NOMEM;
    }
    eddy_store_be32(buf, EDDY_SNAP_MAGIC);
    eddy_store_be16(buf + 4, EDDY_FORMAT_VERSION);
    eddy_store_be64(buf + 8, (uint64_t)offset);
    eddy_store_be32(buf + 16, (uint32_t)count);
    size_t pos = EDDY_SNAP_HEADER_SIZE;
    size_t it = 0;
    const char *key;
    size_t klen;
    void *value;
    while (eddy_map_next(&ps->map, &it, &key, &klen, &value)) {
        const eddy_producer *p = value;
        eddy_store_be64(buf + pos, (uint64_t)p->pid);
        eddy_store_be16(buf + pos + 8, (uint16_t)p->epoch);
        buf[pos + 10] = p->n;
        pos += SNAP_ENTRY_FIXED;
        for (int i = 0; i < p->n; i++) {
            eddy_store_be32(buf + pos, (uint32_t)p->b[i].first_seq);
            eddy_store_be32(buf + pos + 4, (uint32_t)p->b[i].last_seq);
            eddy_store_be64(buf + pos + 8, (uint64_t)p->b[i].base_offset);
            pos += SNAP_BATCH_SIZE;
        }
    }
    eddy_store_be32(buf + pos, eddy_crc32c(0, buf, pos));
    *out = buf;
    *len = pos + 4;
    return 0;
}

int eddy_pstate_decode(eddy_pstate *ps, const uint8_t *p, size_t len, int64_t *offset)
{
    if (len < EDDY_SNAP_HEADER_SIZE + 4 ||
        eddy_load_be32(p + len - 4) != eddy_crc32c(0, p, len - 4)) {
        return EDDY_ERR_CORRUPT;
    }
    eddy_reader r;
    eddy_reader_init(&r, p, len - 4);
    uint32_t magic = eddy_reader_u32(&r);
    uint16_t version = eddy_reader_u16(&r);
    eddy_reader_skip(&r, 2);
    int64_t off = eddy_reader_i64(&r);
    uint32_t count = eddy_reader_u32(&r);
    eddy_reader_skip(&r, 4);
    if (magic != EDDY_SNAP_MAGIC || version != EDDY_FORMAT_VERSION || off < 0 ||
        count > eddy_reader_remaining(&r) / SNAP_ENTRY_FIXED) {
        return EDDY_ERR_CORRUPT;
    }
    for (uint32_t i = 0; i < count && r.err == 0; i++) {
        int64_t pid = eddy_reader_i64(&r);
        int16_t epoch = eddy_reader_i16(&r);
        uint8_t n = eddy_reader_u8(&r);
        eddy_reader_skip(&r, 1);
        if (pid < 0 || n > EDDY_PRODUCER_WINDOW || find(ps, pid)) {
            goto corrupt;
        }
        eddy_producer *prod = calloc(1, sizeof *prod);
        if (!prod) {
            eddy_pstate_clear(ps);
            return EDDY_ERR_NOMEM;
        }
        prod->pid = pid;
        prod->epoch = epoch;
        prod->n = n;
        for (int j = 0; j < n; j++) {
            prod->b[j].first_seq = eddy_reader_i32(&r);
            prod->b[j].last_seq = eddy_reader_i32(&r);
            prod->b[j].base_offset = eddy_reader_i64(&r);
        }
        if (eddy_map_put(&ps->map, &prod->pid, sizeof prod->pid, prod, NULL) != 0) {
            free(prod);
            eddy_pstate_clear(ps);
            return EDDY_ERR_NOMEM;
        }
    }
    if (r.err != 0 || eddy_reader_remaining(&r) != 0) {
        goto corrupt;
    }
    *offset = off;
    return 0;
corrupt:
    eddy_pstate_clear(ps);
    return EDDY_ERR_CORRUPT;
}

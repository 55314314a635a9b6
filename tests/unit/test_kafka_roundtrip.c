/* The generated Kafka codec over every message and every valid version.
 *
 * For each API, request and response, each version and two variants (all
 * fields set to non-default values; then every field nullable in that version
 * null), the sample from kafka_samples.c is encoded, decoded and encoded
 * again: the two encodings must be identical and the decoder must consume
 * every byte. Every strict prefix of each encoding must fail with
 * EDDY_ERR_PARSE, read from an exact-size heap copy so that ASan catches any
 * read past the end. Mutated encodings must decode cleanly or fail cleanly,
 * and whatever decodes must re-encode to a fixed point. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/reader.h"
#include "kafka/gen/kafka_msgs.h"
#include "kafka_samples.h"
#include "test.h"

/* Decodes len bytes from an exact-size copy. Returns the decoder's result;
 * *consumed gets the bytes read. */
static int decode_copy(const eddy_kafka_msg_ops *ops, int16_t version, const uint8_t *p, size_t len,
                       eddy_arena *arena, void *out, size_t *consumed)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (len) {
        memcpy(copy, p, len);
    }
    eddy_reader r;
    eddy_reader_init(&r, copy, len);
    int rc = ops->decode(&r, version, arena, out);
    if (consumed) {
        *consumed = r.pos;
    }
    free(copy);
    return rc;
}

/* Encodes the sample, checks encode -> decode -> encode. Returns the first
 * encoding (owned by *enc) or a failure message. */
static const char *round_trip(const eddy_kafka_api_info *api, bool response, int16_t version,
                              int variant, eddy_buf *enc)
{
    const eddy_kafka_msg_ops *ops = response ? api->response : api->request;
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    const char *fail = NULL;
    void *m = eddy_arena_alloc(&arena, ops->size);
    void *def = eddy_arena_alloc(&arena, ops->size);
    void *back = eddy_arena_alloc(&arena, ops->size);
    eddy_buf b0, b2;
    eddy_buf_init(&b0, 0);
    eddy_buf_init(&b2, 0);
    eddy_buf_reset(enc);

    if (!kafka_sample_fill(api->key, response, m, version, variant, &arena)) {
        fail = "no sample";
        goto out;
    }
    if (ops->encode(enc, version, m) != 0) {
        fail = "encode failed";
        goto out;
    }
    /* The sample must differ from the defaults unless the version has no
     * fields at all (an empty body, or just the tag byte when flexible). */
    ops->init(def);
    if (ops->encode(&b0, version, def) != 0) {
        fail = "encode of defaults failed";
        goto out;
    }
    bool flex = api->first_flexible >= 0 && version >= api->first_flexible;
    if (enc->len > (flex ? 1u : 0u) && b0.len == enc->len &&
        memcmp(b0.data, enc->data, enc->len) == 0) {
        fail = "sample equals the defaults";
        goto out;
    }
    size_t consumed = 0;
    int rc = decode_copy(ops, version, enc->data, enc->len, &arena, back, &consumed);
    if (rc != 0) {
        fail = "decode failed";
        goto out;
    }
    if (consumed != enc->len) {
        fail = "decode left bytes";
        goto out;
    }
    /* Decoded strings borrow the (freed) copy, so re-encode from the
     * original bytes instead. */
    eddy_reader r;
    eddy_reader_init(&r, enc->data, enc->len);
    if (ops->decode(&r, version, &arena, back) != 0 || ops->encode(&b2, version, back) != 0) {
        fail = "second decode/encode failed";
        goto out;
    }
    if (b2.len != enc->len || (enc->len && memcmp(b2.data, enc->data, enc->len) != 0)) {
        fail = "re-encoding differs";
        goto out;
    }
out:
    eddy_buf_deinit(&b0);
    eddy_buf_deinit(&b2);
    eddy_arena_deinit(&arena);
    return fail;
}

TEST(every_message_every_version_round_trips)
{
    eddy_buf enc;
    eddy_buf_init(&enc, 0);
    int cases = 0;
    for (size_t i = 0; i < eddy_kafka_api_count; i++) {
        const eddy_kafka_api_info *api = &eddy_kafka_apis[i];
        for (int side = 0; side < 2; side++) {
            for (int v = api->min_version; v <= api->max_version; v++) {
                for (int variant = 0; variant < 2; variant++) {
                    const char *fail = round_trip(api, side == 1, (int16_t)v, variant, &enc);
                    if (fail) {
                        TEST_FAIL_AT("%s%s v%d variant %d: %s", api->name,
                                     side ? "Response" : "Request", v, variant, fail);
                        test_hexdump("encoding", enc.data, enc.len);
                        eddy_buf_deinit(&enc);
                        return;
                    }
                    cases++;
                }
            }
        }
    }
    printf("    %d round trips\n", cases);
    EXPECT_TRUE(cases > 800); /* 205 versions over 35 APIs, times 4 */
    eddy_buf_deinit(&enc);
}

TEST(every_prefix_fails_cleanly)
{
    eddy_buf enc;
    eddy_buf_init(&enc, 0);
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    long prefixes = 0;
    for (size_t i = 0; i < eddy_kafka_api_count; i++) {
        const eddy_kafka_api_info *api = &eddy_kafka_apis[i];
        for (int side = 0; side < 2; side++) {
            const eddy_kafka_msg_ops *ops = side ? api->response : api->request;
            for (int v = api->min_version; v <= api->max_version; v++) {
                for (int variant = 0; variant < 2; variant++) {
                    EXPECT_TRUE(round_trip(api, side == 1, (int16_t)v, variant, &enc) == NULL);
                    for (size_t len = 0; len < enc.len; len++) {
                        eddy_arena_reset(&arena);
                        void *out = eddy_arena_alloc(&arena, ops->size);
                        int rc = decode_copy(ops, (int16_t)v, enc.data, len, &arena, out, NULL);
                        if (rc != EDDY_ERR_PARSE) {
                            TEST_FAIL_AT("%s v%d: prefix %zu of %zu gave %d", ops->name, v, len,
                                         enc.len, rc);
                            goto out;
                        }
                        prefixes++;
                    }
                }
            }
        }
    }
    printf("    %ld prefixes\n", prefixes);
out:
    eddy_arena_deinit(&arena);
    eddy_buf_deinit(&enc);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
    /* xorshift64*: deterministic, so a failure reproduces. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

TEST(mutations_fail_cleanly_or_reach_a_fixed_point)
{
    eddy_buf enc, e1, e2;
    eddy_buf_init(&enc, 0);
    eddy_buf_init(&e1, 0);
    eddy_buf_init(&e2, 0);
    eddy_arena arena;
    /* A small cap: hostile counts must fail with NOMEM or PARSE, not grow. */
    eddy_arena_init(&arena, 0, 1 << 20);
    int decoded = 0, failed = 0;
    for (size_t i = 0; i < eddy_kafka_api_count; i++) {
        const eddy_kafka_api_info *api = &eddy_kafka_apis[i];
        for (int side = 0; side < 2; side++) {
            const eddy_kafka_msg_ops *ops = side ? api->response : api->request;
            for (int v = api->min_version; v <= api->max_version; v++) {
                EXPECT_TRUE(round_trip(api, side == 1, (int16_t)v, 0, &enc) == NULL);
                if (!enc.len) {
                    continue;
                }
                for (int k = 0; k < 200; k++) {
                    uint8_t *m = malloc(enc.len);
                    memcpy(m, enc.data, enc.len);
                    int flips = 1 + (int)(rnd() % 4);
                    for (int f = 0; f < flips; f++) {
                        uint32_t x = rnd();
                        m[x % enc.len] = (x >> 24) % 3 == 0 ? 0xff : (uint8_t)(x >> 16);
                    }
                    eddy_arena_reset(&arena);
                    void *out = eddy_arena_alloc(&arena, ops->size);
                    eddy_reader r;
                    eddy_reader_init(&r, m, enc.len);
                    int rc = ops->decode(&r, (int16_t)v, &arena, out);
                    if (rc == 0) {
                        decoded++;
                        eddy_buf_reset(&e1);
                        eddy_buf_reset(&e2);
                        EXPECT_EQ_INT(ops->encode(&e1, (int16_t)v, out), 0);
                        void *again = eddy_arena_alloc(&arena, ops->size);
                        eddy_reader r2;
                        eddy_reader_init(&r2, e1.data, e1.len);
                        EXPECT_EQ_INT(ops->decode(&r2, (int16_t)v, &arena, again), 0);
                        EXPECT_EQ_INT(eddy_reader_remaining(&r2), 0);
                        EXPECT_EQ_INT(ops->encode(&e2, (int16_t)v, again), 0);
                        EXPECT_EQ_MEM(e1.data, e1.len, e2.data, e2.len);
                    } else {
                        failed++;
                        if (rc != EDDY_ERR_PARSE && rc != EDDY_ERR_NOMEM) {
                            TEST_FAIL_AT("%s v%d: unexpected %d", ops->name, v, rc);
                        }
                    }
                    free(m);
                }
            }
        }
    }
    printf("    %d mutations decoded, %d rejected\n", decoded, failed);
    EXPECT_TRUE(decoded > 0 && failed > 0);
    eddy_arena_deinit(&arena);
    eddy_buf_deinit(&enc);
    eddy_buf_deinit(&e1);
    eddy_buf_deinit(&e2);
}

TEST(versions_outside_the_range_are_refused)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    const eddy_kafka_api_info *api = eddy_kafka_api_get(EDDY_KAFKA_API_Produce);
    EXPECT_TRUE(api != NULL);
    eddy_kafka_ProduceRequest req;
    eddy_reader r;
    eddy_reader_init(&r, "", 0);
    EXPECT_EQ_INT(
        eddy_kafka_ProduceRequest_decode(&r, (int16_t)(api->max_version + 1), &arena, &req),
        EDDY_ERR_UNSUPPORTED_VERSION);
    EXPECT_EQ_INT(eddy_kafka_ProduceRequest_decode(&r, -1, &arena, &req),
                  EDDY_ERR_UNSUPPORTED_VERSION);
    eddy_buf b;
    eddy_buf_init(&b, 0);
    eddy_kafka_ProduceRequest_init(&req);
    EXPECT_EQ_INT(eddy_kafka_ProduceRequest_encode(&b, 12, &req), EDDY_ERR_UNSUPPORTED_VERSION);
    eddy_buf_deinit(&b);
    eddy_arena_deinit(&arena);
}

int main(void)
{
    RUN(every_message_every_version_round_trips);
    RUN(every_prefix_fails_cleanly);
    RUN(mutations_fail_cleanly_or_reach_a_fixed_point);
    RUN(versions_outside_the_range_are_refused);
    return test_summary();
}

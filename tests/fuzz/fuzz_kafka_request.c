/* Fuzz target: a Kafka request frame body (request header + body, without
 * the size prefix), as the hub receives it.
 *
 * Decodes the header; when (api_key, api_version) is valid, decodes the body
 * with the generated request decoder, under an arena cap as the hub would.
 * Whatever decodes must re-encode, decode again and re-encode to identical
 * bytes (a fixed point). The same body bytes are also fed to the response
 * decoder of that API, so the response decoders (used by tests and clients)
 * are fuzzed too. Nothing may crash, assert or read out of bounds. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/reader.h"
#include "fuzz.h"
#include "kafka/gen/kafka_msgs.h"
#include "kafka/header.h"

static void check_fixed_point(const eddy_kafka_msg_ops *ops, int16_t version, const void *msg,
                              eddy_arena *arena)
{
    eddy_buf e1, e2;
    eddy_buf_init(&e1, 0);
    eddy_buf_init(&e2, 0);
    if (ops->encode(&e1, version, msg) != 0) {
        abort();
    }
    void *again = eddy_arena_alloc(arena, ops->size);
    if (!again) {
        abort();
    }
    eddy_reader r;
    eddy_reader_init(&r, e1.data, e1.len);
    if (ops->decode(&r, version, arena, again) != 0 || eddy_reader_remaining(&r) != 0) {
        abort();
    }
    if (ops->encode(&e2, version, again) != 0 || e1.len != e2.len ||
        (e1.len && memcmp(e1.data, e2.data, e1.len) != 0)) {
        abort();
    }
    eddy_buf_deinit(&e1);
    eddy_buf_deinit(&e2);
}

static void try_decode(const eddy_kafka_msg_ops *ops, int16_t version, const uint8_t *p, size_t len)
{
    eddy_arena arena;
    /* The fixed-point check needs room for two more copies of the message. */
    eddy_arena_init(&arena, 0, 4u << 20);
    void *msg = eddy_arena_alloc(&arena, ops->size);
    eddy_reader r;
    eddy_reader_init(&r, p, len);
    int rc = ops->decode(&r, version, &arena, msg);
    if (rc == 0) {
        if (r.pos > len) {
            abort();
        }
        eddy_arena big;
        eddy_arena_init(&big, 0, 0);
        check_fixed_point(ops, version, msg, &big);
        eddy_arena_deinit(&big);
    } else if (rc != EDDY_ERR_PARSE && rc != EDDY_ERR_NOMEM) {
        abort();
    }
    eddy_arena_deinit(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int16_t key, version;
    int32_t corr;
    if (eddy_kafka_request_peek(data, size, &key, &version, &corr) != 0) {
        return 0;
    }
    eddy_reader r;
    eddy_reader_init(&r, data, size);
    eddy_kafka_request_header h;
    if (eddy_kafka_request_header_decode(&r, &h) != 0) {
        return 0;
    }
    if (h.api_key != key || h.api_version != version || h.correlation_id != corr) {
        abort();
    }
    if (!eddy_kafka_api_version_valid(key, version)) {
        return 0;
    }
    const eddy_kafka_api_info *api = eddy_kafka_api_get(key);
    const uint8_t *body = data + r.pos;
    size_t len = size - r.pos;
    try_decode(api->request, version, body, len);
    try_decode(api->response, version, body, len);
    return 0;
}

/* Kafka request/response headers and response framing (see header.h). */
#include "kafka/header.h"

#include "core/error.h"
#include "kafka/codec.h"
#include "kafka/gen/kafka_msgs.h"

int eddy_kafka_request_header_decode(eddy_reader *r, eddy_kafka_request_header *h)
{
    h->api_key = eddy_reader_i16(r);
    h->api_version = eddy_reader_i16(r);
    h->correlation_id = eddy_reader_i32(r);
    /* The client id keeps its int16 length even in header v2 (the JSON marks
     * it flexibleVersions "none"). */
    eddy_kafka_rd_str(r, false, true, &h->client_id);
    if (eddy_kafka_request_header_version(h->api_key, h->api_version) >= 2) {
        eddy_kafka_skip_tags(r);
    }
    return r->err ? EDDY_ERR_PARSE : 0;
}

int eddy_kafka_request_header_encode(eddy_buf *b, const eddy_kafka_request_header *h)
{
    eddy_buf_put_be16(b, (uint16_t)h->api_key);
    eddy_buf_put_be16(b, (uint16_t)h->api_version);
    eddy_buf_put_be32(b, (uint32_t)h->correlation_id);
    eddy_kafka_wr_str(b, false, true, h->client_id);
    if (eddy_kafka_request_header_version(h->api_key, h->api_version) >= 2) {
        eddy_buf_put_u8(b, 0);
    }
    return b->err;
}

int eddy_kafka_request_peek(const void *body, size_t len, int16_t *api_key, int16_t *api_version,
                            int32_t *correlation_id)
{
    if (!body || len < 8) {
        return EDDY_ERR_PARSE;
    }
    const uint8_t *p = body;
    if (api_key) {
        *api_key = (int16_t)eddy_load_be16(p);
    }
    if (api_version) {
        *api_version = (int16_t)eddy_load_be16(p + 2);
    }
    if (correlation_id) {
        *correlation_id = (int32_t)eddy_load_be32(p + 4);
    }
    return 0;
}

int eddy_kafka_response_header_encode(eddy_buf *b, int16_t api_key, int16_t api_version,
                                      int32_t correlation_id)
{
    eddy_buf_put_be32(b, (uint32_t)correlation_id);
    if (eddy_kafka_response_header_version(api_key, api_version) >= 1) {
        eddy_buf_put_u8(b, 0);
    }
    return b->err;
}

int eddy_kafka_response_header_decode(eddy_reader *r, int16_t api_key, int16_t api_version,
                                      int32_t *correlation_id)
{
    *correlation_id = eddy_reader_i32(r);
    if (eddy_kafka_response_header_version(api_key, api_version) >= 1) {
        eddy_kafka_skip_tags(r);
    }
    return r->err ? EDDY_ERR_PARSE : 0;
}

size_t eddy_kafka_frame_begin(eddy_buf *b)
{
    size_t start = b->len;
    eddy_buf_put_be32(b, 0);
    return start;
}

int eddy_kafka_frame_end(eddy_buf *b, size_t start, size_t extra)
{
    if (b->err) {
        return b->err;
    }
    if (start > b->len || b->len - start < 4) {
        eddy_kafka_buf_fail(b, EDDY_ERR_INVALID_ARG);
        return b->err;
    }
    size_t n = b->len - start - 4;
    if (extra > (size_t)INT32_MAX || n > (size_t)INT32_MAX - extra) {
        eddy_kafka_buf_fail(b, EDDY_ERR_LIMIT);
        return b->err;
    }
    eddy_store_be32(b->data + start, (uint32_t)(n + extra));
    return 0;
}

/* Kafka request and response headers, and response framing.
 *
 * A request frame is an int32 size followed by the request header and the
 * body. Header v1 is api_key, api_version, correlation_id and client_id (an
 * int16-length nullable string); header v2, used from an API's first flexible
 * version on, adds a tagged-field section. Response header v0 is the
 * correlation id alone, v1 adds a tagged-field section; ApiVersions responses
 * always use v0. The versions come from the generated API table
 * (eddy_kafka_request_header_version and eddy_kafka_response_header_version).
 *
 * To send a response:
 *
 *     size_t start = eddy_kafka_frame_begin(b);
 *     eddy_kafka_response_header_encode(b, key, version, correlation_id);
 *     eddy_kafka_MetadataResponse_encode(b, version, &resp);
 *     int rc = eddy_kafka_frame_end(b, start, 0);
 */
#ifndef EDDY_KAFKA_HEADER_H
#define EDDY_KAFKA_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/reader.h"
#include "kafka/types.h"

typedef struct eddy_kafka_request_header {
    int16_t api_key;
    int16_t api_version;
    int32_t correlation_id;
    eddy_kstr client_id; /* nullable; borrows the frame */
} eddy_kafka_request_header;

/* Decodes the request header at the start of a frame body (after the size).
 * The header version follows from api_key and api_version: v2 (tagged fields
 * skipped) from the API's first flexible version on, including versions
 * above the highest known one; v1 otherwise and for unknown keys. Whether
 * the API version is supported is the caller's check
 * (eddy_kafka_api_version_valid). Returns 0 or EDDY_ERR_PARSE. */
int eddy_kafka_request_header_decode(eddy_reader *r, eddy_kafka_request_header *h);

/* Appends a request header (v1 or v2 as above). Returns 0 or b's error. */
int eddy_kafka_request_header_encode(eddy_buf *b, const eddy_kafka_request_header *h);

/* Reads api_key, api_version and correlation_id from the first 8 bytes of a
 * frame body without decoding further, to answer requests this codec cannot
 * parse (unknown versions). Any pointer may be NULL. Returns 0, or
 * EDDY_ERR_PARSE when len < 8. */
int eddy_kafka_request_peek(const void *body, size_t len, int16_t *api_key, int16_t *api_version,
                            int32_t *correlation_id);

/* Appends the response header for a response to (api_key, api_version).
 * Returns 0 or b's sticky error. */
int eddy_kafka_response_header_encode(eddy_buf *b, int16_t api_key, int16_t api_version,
                                      int32_t correlation_id);

/* Decodes a response header (client side and tests). Returns 0 or
 * EDDY_ERR_PARSE. */
int eddy_kafka_response_header_decode(eddy_reader *r, int16_t api_key, int16_t api_version,
                                      int32_t *correlation_id);

/* Appends a 4-byte size placeholder and returns its offset. */
size_t eddy_kafka_frame_begin(eddy_buf *b);

/* Fills in the size of the frame begun at start: the bytes written since,
 * plus extra bytes the caller sends separately (records gaps, see
 * eddy_kafka_gaps). Returns 0, b's sticky error, or EDDY_ERR_LIMIT (sets it
 * sticky) when the frame exceeds INT32_MAX bytes. */
int eddy_kafka_frame_end(eddy_buf *b, size_t start, size_t extra);

#endif

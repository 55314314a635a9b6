/* The value types of eddy's Kafka codec.
 *
 * The generated message structs (kafka/gen/kafka_msgs.h) are built from these.
 * On decode, strings and bytes borrow the input buffer (they are not
 * NUL-terminated and live as long as the frame does), and arrays come from the
 * request's arena. On encode, the caller's storage is only read. A length or
 * count of -1 means null; a length or count of 0 may come with a NULL
 * pointer. */
#ifndef EDDY_KAFKA_TYPES_H
#define EDDY_KAFKA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A Kafka UUID: 16 raw bytes, all zero by default. */
typedef struct eddy_kuuid {
    uint8_t b[16];
} eddy_kuuid;

/* A UTF-8 string (not validated, not NUL-terminated). len -1 = null. */
typedef struct eddy_kstr {
    const char *p; /* borrowed */
    int32_t len;
} eddy_kstr;

/* Bytes or records. len -1 = null. For records fields of ProduceRequest and
 * FetchResponse, p == NULL with len > 0 asks the encoder to leave a gap (see
 * eddy_kafka_gaps). */
typedef struct eddy_kbytes {
    const uint8_t *p; /* borrowed */
    int32_t len;
} eddy_kbytes;

/* Arrays of primitives; count -1 = null. Arrays of structs are anonymous
 * structs of the same shape inside the generated types. */
#define EDDY_KARRAY(name, type)                                                                    \
    typedef struct name {                                                                          \
        type *items;                                                                               \
        int32_t count;                                                                             \
    } name

EDDY_KARRAY(eddy_karray_bool, bool);
EDDY_KARRAY(eddy_karray_i8, int8_t);
EDDY_KARRAY(eddy_karray_i16, int16_t);
EDDY_KARRAY(eddy_karray_i32, int32_t);
EDDY_KARRAY(eddy_karray_i64, int64_t);
EDDY_KARRAY(eddy_karray_u16, uint16_t);
EDDY_KARRAY(eddy_karray_u32, uint32_t);
EDDY_KARRAY(eddy_karray_f64, double);
EDDY_KARRAY(eddy_karray_uuid, eddy_kuuid);
EDDY_KARRAY(eddy_karray_str, eddy_kstr);
EDDY_KARRAY(eddy_karray_bytes, eddy_kbytes);

#define EDDY_KSTR_NULL   ((eddy_kstr){NULL, -1})
#define EDDY_KBYTES_NULL ((eddy_kbytes){NULL, -1})

/* A string for a C string (borrowed); NULL gives the null string. */
static inline eddy_kstr eddy_kstr_from(const char *s)
{
    eddy_kstr k = {s, s ? (int32_t)strlen(s) : -1};
    return k;
}

/* True when k is not null and equals the C string s. */
static inline bool eddy_kstr_eq(eddy_kstr k, const char *s)
{
    size_t n = strlen(s);
    return k.len >= 0 && (size_t)k.len == n && (n == 0 || memcmp(k.p, s, n) == 0);
}

/* Zero-copy encoding of records. When a records field holds p == NULL and
 * len > 0, the *_encode_gaps() encoders write only its length prefix and note
 * a gap: the caller sends len bytes of its own (writev, sendfile) right after
 * byte `at` of the encoded buffer. Gaps are noted in field order (topic by
 * topic, partition by partition), so the caller can match them to its
 * sources. The caller owns the items array; a full array fails the encode
 * with EDDY_ERR_LIMIT. */
typedef struct eddy_kafka_gap {
    size_t at;  /* offset in the encoded buffer where the bytes belong */
    size_t len; /* bytes the caller sends there */
} eddy_kafka_gap;

typedef struct eddy_kafka_gaps {
    eddy_kafka_gap *items; /* borrowed, cap entries */
    size_t count;
    size_t cap;
} eddy_kafka_gaps;

#endif

/* EventData: the record of Azure Event Hubs Capture files
 * (docs/format/capture-avro.md).
 *
 * Capture writes one EventData datum per event of the log: the encoder below
 * turns an event's parts (offset, append time, partition key, body, headers)
 * into the datum's bytes with one buffer reservation and no allocation. The
 * decoder is the readers' fast path: one datum into borrowed pointers,
 * without a schema walk, for `eddy lake` and the SQL engine's lake source.
 * Both are thread-safe (the time formatter caches the last second per
 * thread). */
#ifndef EDDY_AVRO_EVENTDATA_H
#define EDDY_AVRO_EVENTDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "avro/avro.h"
#include "core/buf.h"
#include "core/reader.h"

/* The schema exactly as Event Hubs Capture writes it. */
#define EDDY_AVRO_EVENTDATA_SCHEMA                                                                 \
    "{\"type\":\"record\",\"name\":\"EventData\",\"namespace\":\"Microsoft.ServiceBus."            \
    "Messaging\",\"fields\":[{\"name\":\"SequenceNumber\",\"type\":\"long\"},{\"name\":"           \
    "\"Offset\",\"type\":\"string\"},{\"name\":\"EnqueuedTimeUtc\",\"type\":\"string\"},{"         \
    "\"name\":\"SystemProperties\",\"type\":{\"type\":\"map\",\"values\":[\"long\",\"double\","    \
    "\"string\",\"bytes\"]}},{\"name\":\"Properties\",\"type\":{\"type\":\"map\",\"values\":["     \
    "\"long\",\"double\",\"string\",\"bytes\"]}},{\"name\":\"Body\",\"type\":[\"null\","           \
    "\"bytes\"]}]}"

/* Branches of the properties maps' value union. */
#define EDDY_AVRO_PROP_LONG   0
#define EDDY_AVRO_PROP_DOUBLE 1
#define EDDY_AVRO_PROP_STRING 2
#define EDDY_AVRO_PROP_BYTES  3

/* Length of an EnqueuedTimeUtc string: "2026-11-24T20:00:00.1230000Z". */
#define EDDY_AVRO_TIME_LEN 28

/* A user property (a Kafka header). Borrowed bytes. */
typedef struct eddy_avro_kv {
    const uint8_t *key;
    size_t key_len;
    const uint8_t *value;
    int32_t value_len; /* -1 = null value: encoded as empty bytes */
} eddy_avro_kv;

/* One event to encode. Borrowed bytes. */
typedef struct eddy_avro_event {
    int64_t sequence_number; /* = the Kafka offset */
    int64_t enqueued_ms;     /* epoch ms, the hub's append time */
    const uint8_t *key;      /* partition key */
    int32_t key_len;         /* -1 = none */
    const uint8_t *body;
    int32_t body_len; /* -1 = null body */
    const eddy_avro_kv *props;
    size_t nprops;
} eddy_avro_event;

/* Appends ev as one EventData datum to b (errors stick in b):
 *   SequenceNumber   ev->sequence_number
 *   Offset           its decimal string
 *   EnqueuedTimeUtc  eddy_avro_format_time(ev->enqueued_ms)
 *   SystemProperties x-opt-sequence-number (long), x-opt-offset (string),
 *                    x-opt-enqueued-time (long, epoch ms), and
 *                    x-opt-partition-key when key_len >= 0 (string, or
 *                    bytes when the key is not UTF-8)
 *   Properties       one entry per prop, the value as bytes (keys that are
 *                    not UTF-8 have each bad byte replaced by U+FFFD)
 *   Body             bytes, or null */
void eddy_avro_eventdata_encode(eddy_buf *b, const eddy_avro_event *ev);

/* Writes key[0..n) as the encoder stores a property name: bytes that are
 * not UTF-8 become U+FFFD. out has room for 3 * n bytes. Returns the
 * length written. (Readers comparing a lake with its log use it.) */
size_t eddy_avro_prop_name(const uint8_t *key, size_t n, uint8_t *out);

/* Formats epoch ms as Capture's EnqueuedTimeUtc, ISO-8601 UTC with seven
 * fractional digits: "2026-11-24T20:00:00.1230000Z" (EDDY_AVRO_TIME_LEN bytes,
 * no NUL). Times before 0001-01-01 or after 9999-12-31T23:59:59.999 are
 * clamped to those bounds (.NET DateTime's range). */
void eddy_avro_format_time(int64_t ms, char out[EDDY_AVRO_TIME_LEN]);

/* Parses "YYYY-MM-DDThh:mm:ss[.fraction]Z" (fraction of 1 to 9 digits,
 * truncated to ms) into epoch ms. Returns 0 or EDDY_ERR_PARSE. */
int eddy_avro_parse_time(const uint8_t *s, size_t n, int64_t *ms);

/* True when the schema is EventData's shape: a record named
 * Microsoft.ServiceBus.Messaging.EventData with the six fields in order and
 * of the types above (whatever the JSON's spelling). */
bool eddy_avro_schema_is_eventdata(const eddy_avro_schema *s);

/* One decoded EventData datum. Pointers borrow the block's data. */
typedef struct eddy_avro_eventdata {
    int64_t sequence_number;
    const uint8_t *offset; /* the Offset string */
    size_t offset_len;
    const uint8_t *enqueued; /* the EnqueuedTimeUtc string */
    size_t enqueued_len;
    const uint8_t *sys; /* SystemProperties, encoded (walk with eddy_avro_props_iter) */
    size_t sys_len;
    const uint8_t *props; /* Properties, encoded */
    size_t props_len;
    int64_t nsys, nprops;
    /* From SystemProperties: */
    const uint8_t *key;  /* x-opt-partition-key (string or bytes) */
    int32_t key_len;     /* -1 = absent */
    int64_t enqueued_ms; /* x-opt-enqueued-time, else EnqueuedTimeUtc parsed, else INT64_MIN */
    const uint8_t *body;
    int32_t body_len; /* -1 = null */
} eddy_avro_eventdata;

/* Decodes one EventData datum from r (the block reader of
 * eddy_avro_reader_next, on a file whose schema
 * eddy_avro_schema_is_eventdata). Returns 0, or the decoder's error with
 * d->what set (r failed too). */
int eddy_avro_eventdata_decode(eddy_avro_decoder *d, eddy_reader *r, eddy_avro_eventdata *ev);

/* A property of the maps above. */
typedef struct eddy_avro_prop {
    const uint8_t *key;
    size_t key_len;
    int branch; /* EDDY_AVRO_PROP_LONG ... _BYTES */
    int64_t l;
    double d;
    const uint8_t *p; /* string and bytes */
    size_t n;
} eddy_avro_prop;

typedef struct eddy_avro_props_iter {
    eddy_reader r;
    eddy_avro_decoder d;
    eddy_avro_coll c;
    const eddy_avro_node *node;
} eddy_avro_props_iter;

/* Walks an encoded properties map (ev->sys or ev->props). _next returns 1
 * with *p, 0 at the end, or a negative error. */
void eddy_avro_props_iter_init(eddy_avro_props_iter *it, const uint8_t *p, size_t n);
int eddy_avro_props_next(eddy_avro_props_iter *it, eddy_avro_prop *p);

#endif

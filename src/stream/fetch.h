/* A native Fetch client for streaming queries over plain-TCP hubs
 * (docs/sql-stream.md "Reading"). librdkafka keeps the consumer group
 * (assignment, commits) with its partitions paused; the records come from
 * Fetch requests this module sends itself (the kafka module's codec) and
 * are read in place by the record module's iterators: no allocation per
 * event, where librdkafka makes one message object each.
 *
 * One connection to one broker (the leader of every partition read); one
 * request in flight: send, then recv, which yields each partition's
 * records. Not thread-safe. */
#ifndef EDDY_STREAM_FETCH_H
#define EDDY_STREAM_FETCH_H

#include <stddef.h>
#include <stdint.h>

typedef struct nfetch nfetch;

typedef struct nf_part {
    const char *hub;
    int32_t partition;
    int64_t offset; /* the next offset to read */
} nf_part;

/* What a response says of one partition. records/len: whole and partial
 * batches (borrowed until the next recv or close). */
typedef struct nf_data {
    const char *hub; /* as sent */
    int32_t partition;
    int16_t error; /* Kafka error code */
    int64_t high_watermark;
    int64_t log_start;
    const uint8_t *records;
    size_t len;
} nf_data;

/* Connects to host:port. Returns NULL with a message in err. */
nfetch *nfetch_open(const char *host, int port, char *err, size_t errlen);

/* Sends a Fetch for parts (waiting up to max_wait_ms on the broker for
 * data). Returns 0 or -1 with a message. */
int nfetch_send(nfetch *f, const nf_part *parts, size_t n, int max_wait_ms, char *err,
                size_t errlen);

/* Whether a request is in flight. */
int nfetch_pending(const nfetch *f);

/* Waits up to timeout_ms for the response: 1 with *data (n entries, owned
 * by f until the next call), 0 when it has not come yet, -1 with a message
 * (the connection is then closed; open a new one). */
int nfetch_recv(nfetch *f, int timeout_ms, const nf_data **data, size_t *n, char *err,
                size_t errlen);

void nfetch_close(nfetch *f);

#endif

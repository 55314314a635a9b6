/* Streaming SQL (docs/sql-stream.md): the same plan as a batch query,
 * run over events that arrive over time.
 *
 * The stream driver (src/stream) consumes hubs with a Kafka client and
 * owns offsets, checkpoints and sinks; this interface is what it needs
 * from the engine:
 *
 *   - the hub source: events in, chunks with the query's projection out
 *     (eddy_sql_hub_read);
 *   - the streaming executor: the operator graph of the plan on one
 *     thread, fed chunk by chunk per (source, partition), with Stream
 *     Analytics' event-time policies applied at the inputs and a
 *     watermark that closes windows.
 *
 * Event time. Each row's time is its TIMESTAMP BY value (default: the
 * enqueued time; a null time takes the enqueued time). Per (source,
 * partition), in offset order, with arrival a = the enqueued time:
 *   1. late: t < a - late_arrival. adjust: t = a - late_arrival; drop:
 *      the row is dropped;
 *   2. out of order: t < M - out_of_order, where M is the largest time
 *      the partition has given so far. adjust: t = M - out_of_order;
 *      drop: dropped;
 *   3. M = max(M, t).
 * The partition's watermark is W = M - out_of_order: every later row of
 * it has t >= W. The query's watermark is the minimum over the assigned
 * partitions that are neither done (a bounded run read them to the end)
 * nor idle (no event for idle_timeout of wall clock: an idle partition
 * counts as now - late_arrival). Operators get advance(W - 1) when it
 * grows: windows ending before W are emitted, once. A row that still
 * falls at or below the emitted watermark (a partition back from idle)
 * is adjusted just past it, or dropped.
 *
 * Everything a row's adjusted time depends on is its partition's own
 * history, so a replay of a partition from a recorded point reproduces
 * the same times: checkpoints (src/stream) rely on it. */
#ifndef EDDY_SQL_STREAM_H
#define EDDY_SQL_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/source.h"

/* ---- the hub source ----------------------------------------------------- */

typedef struct eddy_sql_event {
    const char *body; /* the value (borrowed) */
    int32_t body_len; /* -1: null */
    const char *key;  /* the record key: PartitionKey */
    int32_t key_len;  /* -1: none */
    int64_t offset;   /* SequenceNumber */
    int64_t enqueued_ms;
    int64_t processed_us; /* EventProcessedUtcTime */
    int32_t partition;
} eddy_sql_event;

/* Events skipped by a read because their Body is not a JSON object. */
typedef struct eddy_sql_bad_event {
    uint32_t count;
    uint32_t first; /* index of the first in the batch */
    char what[128]; /* what is wrong with it */
} eddy_sql_bad_event;

/* Learns the Body's top-level keys from one event (a sample taken before
 * binding), so that the hub source lists them as columns (SELECT *). */
int eddy_sql_hub_add_sample(eddy_sql_src *s, const char *body, size_t len);

/* A reader of a hub source (plan->sources[i] with opts.kind HUB); close
 * with eddy_sql_src_reader_close. */
int eddy_sql_hub_reader_open(eddy_sql_src *s, eddy_sql_src_reader **out);

/* Fills chunk (owned by the reader until its next read) from up to
 * EDDY_SQL_CHUNK_ROWS events; rows_of[row] (may be NULL) gets the event
 * index of each row. Bad events are skipped and reported in *bad. Returns
 * 0 or EDDY_ERR_NOMEM with a message. */
int eddy_sql_hub_read(eddy_sql_src_reader *r, const eddy_sql_event *ev, uint32_t n,
                      eddy_sql_chunk *chunk, uint32_t *rows_of, eddy_sql_bad_event *bad, char *err,
                      size_t errlen);

/* ---- the streaming executor --------------------------------------------- */

typedef struct eddy_sql_stream_opts {
    eddy_sql_sink *const *sinks; /* one per statement */
    int64_t out_of_order_us;     /* default 0 */
    int64_t late_us;             /* late-arrival tolerance; default 5 s */
    bool drop;                   /* late policy: drop (else adjust) */
    int64_t idle_us;             /* idle-partition timeout; <= 0: never idle */
} eddy_sql_stream_opts;

typedef struct eddy_sql_stream_stats {
    uint64_t rows;         /* rows that entered the query */
    uint64_t late;         /* before arrival - late_arrival */
    uint64_t out_of_order; /* before their partition's watermark */
    uint64_t adjusted;     /* times moved (adjust policy) */
    uint64_t dropped;      /* rows dropped (drop policy) */
    bool have_watermark;
    int64_t watermark_us; /* the emitted watermark (windows ending at or before it are out) */
} eddy_sql_stream_stats;

typedef struct eddy_sql_stream eddy_sql_stream;

/* Builds the graph for plan (borrowed) and reads every source that is not
 * a hub (reference data) to its end. Returns 0 with *out, or an error
 * with err set. */
int eddy_sql_stream_open(eddy_sql_plan *plan, const eddy_sql_stream_opts *opts,
                         eddy_sql_stream **out, eddy_sql_error *err);

/* How far back in event time the query's state reaches: the windows'
 * sizes (a session's maximum duration) and join bounds, summed along the
 * plan; -1 when unbounded (GROUP BY without a window, a join of two
 * streams without DATEDIFF bounds, DISTINCT, ORDER BY). */
int64_t eddy_sql_stream_span(const eddy_sql_plan *plan);

/* Why the plan cannot run unbounded (ORDER BY, LIMIT over a stream), or
 * NULL. */
const char *eddy_sql_stream_unbounded_reason(const eddy_sql_plan *plan);

/* Partition p of source (an index into plan->sources) is assigned to this
 * process (on) or no longer (off). */
int eddy_sql_stream_assign(eddy_sql_stream *st, uint32_t source, int32_t partition, bool on,
                           int64_t now_us);
/* A bounded run has read partition p of source to its end. */
void eddy_sql_stream_done(eddy_sql_stream *st, uint32_t source, int32_t partition);

/* Pushes a chunk of one partition of source (rows in offset order):
 * arrival_us and offsets per row. Rows below the partition's replay point
 * (eddy_sql_stream_restore) are skipped. */
int eddy_sql_stream_push(eddy_sql_stream *st, uint32_t source, int32_t partition,
                         const eddy_sql_chunk *chunk, const int64_t *arrival_us,
                         const int64_t *offsets, int64_t now_us, eddy_sql_error *err);

/* Recomputes the watermark (idle partitions by now_us) and advances the
 * operators when it grew. */
int eddy_sql_stream_tick(eddy_sql_stream *st, int64_t now_us, eddy_sql_error *err);

/* Advances to at least wm_us (a restored checkpoint's watermark). */
int eddy_sql_stream_advance_to(eddy_sql_stream *st, int64_t wm_us, eddy_sql_error *err);

/* End of a bounded run: every window closes. */
int eddy_sql_stream_finish(eddy_sql_stream *st, eddy_sql_error *err);

void eddy_sql_stream_stats_get(const eddy_sql_stream *st, eddy_sql_stream_stats *out);
void eddy_sql_stream_stats_set(eddy_sql_stream *st, const eddy_sql_stream_stats *in);

/* ---- checkpoint support --------------------------------------------------- */

/* What a checkpoint keeps of one (source, partition): where a replay that
 * rebuilds the query's state must start, and the partition's largest
 * time just before that point. */
typedef struct eddy_sql_part_state {
    int64_t replay_offset; /* -1: nothing to replay (no event seen) */
    bool has_max;
    int64_t max_us;
} eddy_sql_part_state;

/* The replay point of partition p of source for a checkpoint taken now:
 * every row whose time may still count (after the emitted watermark minus
 * the plan's span) is at or after it. Returns false when the partition is
 * unknown. */
bool eddy_sql_stream_part_state(eddy_sql_stream *st, uint32_t source, int32_t partition,
                                eddy_sql_part_state *out);

/* Before replaying partition p of source from a checkpoint: rows before
 * ps->replay_offset are skipped and its largest time starts at ps's. */
int eddy_sql_stream_restore(eddy_sql_stream *st, uint32_t source, int32_t partition,
                            const eddy_sql_part_state *ps);

/* While replaying (on), rows rebuild state and are not counted, and the
 * watermark stays at or below cap_us (what the checkpoint had emitted), so
 * no window beyond it closes while the sinks are muted. */
void eddy_sql_stream_replaying(eddy_sql_stream *st, bool on, int64_t cap_us);

void eddy_sql_stream_close(eddy_sql_stream *st);

#endif

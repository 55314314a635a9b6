/* storage: a partition's durable segmented log.
 *
 * One eddy_store per hub data folder owns one log-writer thread; every
 * partition log (eddy_log) opened on the store hands its appends to that
 * thread. The split of work, as in docs/design.md "Threads":
 *
 *   network threads  eddy_log_append: idempotence check, offset assignment,
 *                    copy into the log's pending chain. Memory only, under
 *                    the log's mutex; never waits for a disk.
 *                    eddy_log_read: finds whole batches for sendfile().
 *   writer thread    drains the pending chains with pwritev into the active
 *                    segments, applies the fsync policy (group commit: one
 *                    fdatasync per touched segment per round), rolls
 *                    segments, writes indexes and producer snapshots, then
 *                    advances the high watermark and calls the completions.
 *   housekeeping     eddy_log_enforce_retention deletes whole old segments.
 *
 * A consumer sees only offsets below the high watermark: bytes that are
 * written and, under EDDY_FSYNC_ALWAYS, synced. Writers fail sticky: a write
 * or fsync error fails the log (appends get KAFKA_STORAGE_ERROR) until the
 * writer thread, after a back-off, truncates the active segment to its last
 * durable size and runs the same recovery as eddy_log_open.
 *
 * File formats: docs/format/segment.md, index.md, producer-snapshot.md; the
 * module: docs/storage.md. */
#ifndef EDDY_STORAGE_STORAGE_H
#define EDDY_STORAGE_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct eddy_store eddy_store;
typedef struct eddy_log eddy_log;
typedef struct eddy_segment eddy_segment;

typedef enum eddy_fsync_mode {
    EDDY_FSYNC_ALWAYS = 0,   /* ack after fdatasync (group commit) */
    EDDY_FSYNC_INTERVAL = 1, /* ack after write; fdatasync every interval */
    EDDY_FSYNC_NEVER = 2,    /* ack after write; the kernel flushes */
} eddy_fsync_mode;

typedef struct eddy_store_config {
    /* Data folder to lock (flock on DIR/.eddy.lock) so that two processes
     * cannot write one folder; NULL for no lock. Borrowed during open. */
    const char *dir;
    /* Wait before a failed log is truncated and recovered (default 1000). */
    int64_t failure_backoff_ms;
} eddy_store_config;

typedef struct eddy_log_config {
    int64_t segment_bytes;        /* roll at this size (default 1 GiB, max 2 GiB - 1) */
    int64_t segment_ms;           /* roll this long after a segment's first append (7 days) */
    int64_t retention_ms;         /* delete segments older than this; -1 = forever (7 days) */
    int64_t retention_bytes;      /* keep the log about this size; -1 = no limit (-1) */
    int32_t index_interval_bytes; /* bytes between sparse index entries (4096) */
    eddy_fsync_mode fsync;        /* default EDDY_FSYNC_ALWAYS */
    int64_t fsync_interval_ms;    /* for EDDY_FSYNC_INTERVAL (default 1000) */
    int32_t max_batch_bytes;      /* larger batches get MESSAGE_TOO_LARGE (1 MiB) */
    int64_t preallocate_bytes;    /* fallocate(KEEP_SIZE) ahead in steps of this (4 MiB); 0 = off */
} eddy_log_config;

/* Fills the defaults listed above. */
void eddy_store_config_defaults(eddy_store_config *cfg);
void eddy_log_config_defaults(eddy_log_config *cfg);

/* Parses "always", "never" or "interval:MS" (MS > 0). Returns 0 or
 * EDDY_ERR_INVALID_ARG; *interval_ms is set only for interval. */
int eddy_fsync_parse(const char *s, eddy_fsync_mode *mode, int64_t *interval_ms);

/* Opens a store and starts its writer thread. cfg may be NULL (defaults).
 * Returns 0 and *out (owned; free with eddy_store_close), EDDY_ERR_EXISTS
 * when another process holds the folder lock, or an I/O / memory error. */
int eddy_store_open(const eddy_store_config *cfg, eddy_store **out);

/* Closes every log still open on the store (their handles become invalid),
 * which flushes their pending appends and syncs them per policy, then stops
 * and joins the writer thread and frees the store. Blocking; not on the
 * writer thread (i.e. not from a completion or listener). NULL is a no-op. */
void eddy_store_close(eddy_store *st);

/* Opens or creates the partition log in folder dir (created with parents if
 * missing) and recovers it: sealed segments are trusted (their indexes are
 * loaded, or rebuilt by a scan when missing or corrupt); the active segment is
 * scanned batch by batch, each CRC checked, and truncated at the first torn,
 * corrupt or zero batch (a warning says how many bytes went); producer state
 * comes from the newest snapshot plus a replay of the batches after it.
 * cfg may be NULL (defaults); it is copied. Blocking disk I/O: call it off
 * the network threads. Returns 0 and *out (owned; eddy_log_close), or
 * EDDY_ERR_INVALID_ARG (bad config), EDDY_ERR_CORRUPT (sealed segments that
 * do not fit together), an I/O or memory error. */
int eddy_log_open(eddy_store *st, const char *dir, const eddy_log_config *cfg, eddy_log **out);

/* Stops accepting appends, lets the writer write and sync (unless fsync
 * never) what is pending, writes a producer snapshot, and frees the log.
 * Every completion has been called when it returns. Slices still held stay
 * valid until released. Blocking; not on the writer thread. NULL: no-op. */
void eddy_log_close(eddy_log *log);

/* eddy_log_close, then removes the log's folder and everything in it (for
 * DeleteTopics). Returns 0 or the error of the removal. Blocking. */
int eddy_log_delete(eddy_log *log);

/* Called on the writer thread once per appended batch: err 0 with the base
 * offset once the batch is written (and synced under ALWAYS), or
 * EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER with the original batch's base offset
 * (a retried idempotent batch whose original became durable meanwhile; ack
 * it as a success with that offset), or EDDY_ERR_KAFKA_STORAGE_ERROR. The
 * callback must not block; it may call eddy_log_append and eddy_log_read,
 * never eddy_log_close. */
typedef void (*eddy_append_done_fn)(void *ctx, int err, int64_t base_offset);

typedef struct eddy_append_req {
    bool log_append_time;     /* stamp LogAppendTime = now_ms (recomputes the CRC) */
    int64_t now_ms;           /* broker time for LogAppendTime */
    eddy_append_done_fn done; /* may be NULL (acks=0) */
    void *ctx;                /* passed to done */
} eddy_append_req;

typedef struct eddy_append_result {
    int64_t base_offset;        /* assigned (or the duplicate's original), else -1 */
    int64_t log_append_time_ms; /* now_ms for LogAppendTime, else -1 */
    int64_t log_start_offset;
} eddy_append_result;

/* Appends one whole, already validated v2 record batch of len bytes
 * (borrowed; copied). Thread-safe; memory work only, never blocks on disk.
 * Under the log's mutex: the idempotent-producer check, base offset = next
 * offset, the copy's baseOffset and partitionLeaderEpoch (0) rewritten.
 *
 * Returns 0 when queued: req->done will be called exactly once, later, on
 * the writer thread. Otherwise done is NOT called and the result is one of
 * EDDY_ERR_MESSAGE_TOO_LARGE (len > max_batch_bytes), EDDY_ERR_CORRUPT_MESSAGE
 * (the header does not parse or disagrees with len), EDDY_ERR_INVALID_RECORD
 * (negative lastOffsetDelta, or an idempotent batch without a sequence),
 * EDDY_ERR_KAFKA_STORAGE_ERROR (the log failed or is closing),
 * EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER (res->base_offset = the durable
 * original's offset: ack as success), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
 * EDDY_ERR_INVALID_PRODUCER_EPOCH, or EDDY_ERR_NOMEM. A batch from an
 * unknown producer id is accepted at any sequence (as Kafka >= 2.5 does
 * after its state was lost to retention); UNKNOWN_PRODUCER_ID is never
 * returned, because librdkafka 2.0.2 may treat it as fatal. */
int eddy_log_append(eddy_log *log, const uint8_t *batch, size_t len, const eddy_append_req *req,
                    eddy_append_result *res);

/* Where fetched bytes lie, for sendfile(sock, fd, &pos, len). */
typedef struct eddy_log_slice {
    int fd;                   /* borrowed from the segment; valid until release */
    int64_t pos;              /* file position of the first batch */
    size_t len;               /* whole batches; 0 when offset == high watermark */
    int64_t first_offset;     /* base offset of the first batch, or -1 */
    int64_t high_watermark;   /* at the time of the read */
    int64_t log_start_offset; /* at the time of the read */
    eddy_segment *seg;        /* the reference the slice holds; NULL when empty */
} eddy_log_slice;

/* Finds whole batches starting with the one that contains offset, up to
 * max_bytes (but at least one whole batch, KIP-74), within one segment and
 * below the high watermark. Thread-safe; may pread a few batch headers (the
 * sparse index bounds that to about index_interval_bytes). Returns 0 (with
 * len 0 when offset == high watermark), EDDY_ERR_OFFSET_OUT_OF_RANGE (offset
 * below the log start or above the high watermark), or
 * EDDY_ERR_KAFKA_STORAGE_ERROR (unreadable segment). On 0 the caller must
 * call eddy_log_slice_release; the segment file stays open until then, also
 * across retention and eddy_log_close. */
int eddy_log_read(eddy_log *log, int64_t offset, size_t max_bytes, eddy_log_slice *out);

/* Drops the slice's segment reference; the slice becomes empty. */
void eddy_log_slice_release(eddy_log_slice *slice);

/* End of the data consumers may see (exclusive). Thread-safe. */
int64_t eddy_log_high_watermark(eddy_log *log);

/* First offset still in the log. Thread-safe. */
int64_t eddy_log_start_offset(eddy_log *log);

/* Offset the next append gets (at or above the high watermark). */
int64_t eddy_log_next_offset(eddy_log *log);

/* The earliest batch (below the high watermark) whose max timestamp is at
 * or above ts_ms: *offset = its base offset, *timestamp = its max timestamp;
 * both -1 when there is none. Thread-safe; may pread batch headers (a time
 * index per segment bounds it). Returns 0 or EDDY_ERR_KAFKA_STORAGE_ERROR. */
int eddy_log_offset_for_time(eddy_log *log, int64_t ts_ms, int64_t *offset, int64_t *timestamp);

/* Seals append time ts_ms (the caller's wall clock has reached it): every
 * later LogAppendTime stamp is >= ts_ms, so the batches stamped below ts_ms
 * are exactly those below the returned offset (the next offset now). Capture
 * uses it to close a time window; it waits for the high watermark to reach
 * the returned offset before the window is complete. Thread-safe. */
int64_t eddy_log_seal_time(eddy_log *log, int64_t ts_ms);

/* Sets the function the writer thread calls (with ctx) each time the high
 * watermark advances, e.g. to wake long-poll fetches. NULL clears it. The
 * function must not block. Thread-safe. */
void eddy_log_set_listener(eddy_log *log, void (*on_advance)(void *ctx), void *ctx);

/* Retention never deletes a segment that holds offsets >= floor (capture
 * sets it to what it has not yet captured). INT64_MAX (the default) = none.
 * Thread-safe. */
void eddy_log_set_retention_floor(eddy_log *log, int64_t offset);

/* Deletes whole sealed segments, oldest first, while they are older than
 * retention_ms (by their max timestamp, or their seal time when they hold no
 * timestamps) or while the rest would still hold retention_bytes; never the
 * active segment, never past the floor; then advances the log start offset.
 * Unlinks files: call it on the housekeeping thread, not concurrently with
 * eddy_log_close. Returns the number of segments deleted, or an error. */
int eddy_log_enforce_retention(eddy_log *log, int64_t now_ms);

/* Changes the retention of an open log (AlterConfigs); a value below -1
 * keeps the current one. Takes effect at the next eddy_log_enforce_retention.
 * Thread-safe. */
void eddy_log_set_retention(eddy_log *log, int64_t retention_ms, int64_t retention_bytes);

typedef struct eddy_log_stats {
    uint64_t batches;         /* batches written */
    uint64_t bytes;           /* batch bytes written */
    uint64_t writes;          /* pwritev calls */
    uint64_t fsyncs;          /* fdatasync calls on segment data */
    uint64_t rolls;           /* segments sealed */
    uint64_t failures;        /* times the log failed */
    uint64_t recoveries;      /* times a failed log recovered */
    uint64_t truncated_bytes; /* bytes cut by recovery (open and after failure) */
    uint64_t segments;        /* segments now */
    uint64_t size_bytes;      /* bytes in segment files now */
    uint64_t pending_bytes;   /* appended, not yet taken by the writer */
    bool failed;              /* the log is failed right now */
} eddy_log_stats;

typedef struct eddy_store_stats {
    uint64_t batches, bytes, writes, fsyncs;
    uint64_t rounds; /* writer rounds that wrote something */
    uint64_t logs;   /* logs open */
} eddy_store_stats;

/* Snapshots of the counters. Thread-safe. */
void eddy_log_get_stats(eddy_log *log, eddy_log_stats *out);
void eddy_store_get_stats(eddy_store *st, eddy_store_stats *out);

/* Test hook (fault injection, kept out of nothing: the real code path runs
 * with it). Makes the next count segment data writes (EDDY_FAULT_WRITE) or
 * fdatasyncs (EDDY_FAULT_FSYNC) of this store's writer fail with errno
 * errnum, as a full or failing disk would. Thread-safe. */
typedef enum eddy_fault_op {
    EDDY_FAULT_WRITE = 0,
    EDDY_FAULT_FSYNC = 1,
} eddy_fault_op;
void eddy_store_inject_fault(eddy_store *st, eddy_fault_op op, int errnum, int count);

#endif

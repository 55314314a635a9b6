/* storage internals shared by the files of src/storage (never included from
 * another module).
 *
 * segment.c   segment files, the batch scanner, sparse offset/time indexes
 * producer.c  idempotent-producer state, its check and its snapshot format
 * log.c       open/recovery, append, read, time lookup, retention, close
 * writer.c    the store and its writer thread: rounds, fsync, roll, failure
 *
 * Locking (see docs/storage.md): log->mu guards the append side (next
 * offset, producer state, pending chain, failed/closing flags); log->smu
 * guards what readers look at (the segment array, each segment's visible
 * size, index and max timestamp, the listener); store->mu guards the ready
 * list, close requests and the registry of logs. Order: log->mu before
 * store->mu; smu is never held with either. Fields marked "writer" are
 * touched only by the writer thread (or by open/close when the writer
 * cannot see the log). */
#ifndef EDDY_STORAGE_INT_H
#define EDDY_STORAGE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/map.h"
#include "record/batch.h"
#include "storage/storage.h"

/* On-disk constants (docs/format/). Magics read as ASCII in a hex dump. */
#define EDDY_SEG_MAGIC        0x45444C47u /* "EDLG" segment */
#define EDDY_IDX_MAGIC        0x45444958u /* "EDIX" offset index */
#define EDDY_TIX_MAGIC        0x45445449u /* "EDTI" time index */
#define EDDY_SNAP_MAGIC       0x45445053u /* "EDPS" producer snapshot */
#define EDDY_FORMAT_VERSION   1
#define EDDY_SEG_HEADER_SIZE  32
#define EDDY_IDX_HEADER_SIZE  48
#define EDDY_IDX_ENTRY_SIZE   8
#define EDDY_TIX_HEADER_SIZE  24
#define EDDY_TIX_ENTRY_SIZE   12
#define EDDY_SNAP_HEADER_SIZE 24
#define EDDY_TS_NONE          INT64_MIN /* "no timestamp" in memory and on disk */
#define EDDY_PRODUCER_WINDOW  5
#define EDDY_NAME_DIGITS      20
/* The largest batch recovery will hold in memory to check its CRC. */
#define EDDY_SCAN_MAX_BATCH (64 * 1024 * 1024)

/* ---- segments ---------------------------------------------------------- */

typedef struct eddy_index_entry {
    int64_t offset;    /* base offset of the indexed batch */
    int64_t pos;       /* its file position */
    int64_t ts_before; /* max timestamp of the segment's batches before it */
} eddy_index_entry;

struct eddy_segment {
    int64_t base_offset;
    int fd;
    char *path; /* owned, the .log file */
    atomic_int refs;
    int64_t created_ms;

    /* Under log->smu: what readers see. */
    int64_t visible;        /* readable end (file position, a batch boundary) */
    int64_t vis_end_offset; /* next offset after the visible batches */
    int64_t max_ts;         /* max batch timestamp among visible batches */
    eddy_index_entry *idx;  /* sparse, ascending */
    size_t nidx, idx_cap;
    bool sealed;
    int64_t sealed_ms; /* seal time (mtime after a restart) */

    /* Writer: the active segment's write state. */
    int64_t size;       /* bytes written */
    int64_t end_offset; /* next offset after the written batches */
    int64_t w_max_ts;
    int64_t next_index_pos; /* index the first batch starting at or after this */
    int64_t prealloc_end;
    int64_t first_append_ms; /* 0 while empty */
};

/* Creates a segment object owning fd and path (refs = 1). NULL on NOMEM
 * (then neither is taken). */
eddy_segment *eddy_segment_new(int64_t base, int fd, char *path);
void eddy_segment_ref(eddy_segment *seg);
/* Drops a reference; the last one closes the fd and frees. */
void eddy_segment_unref(eddy_segment *seg);

/* Formats DIR/<20-digit base><ext> into out. Returns 0 or INVALID_ARG. */
int eddy_seg_path(char *out, size_t outlen, const char *dir, int64_t base, const char *ext);

void eddy_seg_header_encode(uint8_t out[EDDY_SEG_HEADER_SIZE], int64_t base, int64_t created_ms);
/* 0 when the header is whole, has the magic, version and CRC, and names
 * base; else EDDY_ERR_CORRUPT. */
int eddy_seg_header_check(const uint8_t *p, size_t len, int64_t base, int64_t *created_ms);

/* Adds an index entry (caller holds log->smu when the segment is shared). */
int eddy_seg_index_add(eddy_segment *seg, int64_t offset, int64_t pos, int64_t ts_before);

/* Last entry with offset <= target, or NULL. Caller holds smu. */
const eddy_index_entry *eddy_seg_index_by_offset(const eddy_segment *seg, int64_t target);
/* Last entry with pos <= target, or NULL. */
const eddy_index_entry *eddy_seg_index_by_pos(const eddy_segment *seg, int64_t target);
/* Last entry with ts_before < ts, or NULL. */
const eddy_index_entry *eddy_seg_index_by_time(const eddy_segment *seg, int64_t ts);

/* Writes the .index and .timeindex files of a sealed segment atomically. */
int eddy_seg_index_save(const eddy_segment *seg, const char *dir);
/* Loads them; 0 fills idx, visible/size, end offsets and max_ts; else
 * EDDY_ERR_CORRUPT / NOT_FOUND (then the caller rebuilds by scanning). */
int eddy_seg_index_load(eddy_segment *seg, const char *dir, int64_t file_size);
/* Unlinks a segment's files (.log, .index, .timeindex); best effort. */
void eddy_seg_unlink_files(const char *dir, int64_t base);

/* Reads a file through a buffer: header scans (fixed stack buffer) and
 * whole-batch scans (growable heap buffer). */
typedef struct eddy_scan {
    int fd;
    int64_t end; /* nothing at or past end is read */
    uint8_t *buf;
    size_t cap;
    bool growable; /* buf is heap memory owned by the scan */
    int64_t buf_pos;
    size_t buf_len;
    size_t chunk; /* bytes to read ahead per refill */
} eddy_scan;

void eddy_scan_init(eddy_scan *sc, int fd, int64_t end, uint8_t *buf, size_t cap, size_t chunk);
int eddy_scan_init_heap(eddy_scan *sc, int fd, int64_t end, size_t chunk);
void eddy_scan_deinit(eddy_scan *sc);

enum { EDDY_SCAN_OK = 0, EDDY_SCAN_END = 1, EDDY_SCAN_BAD = 2 };

/* Reads the batch header at pos: EDDY_SCAN_OK (h filled, the batch fits
 * before end and lastOffsetDelta >= 0), EDDY_SCAN_END (pos == end),
 * EDDY_SCAN_BAD (torn, zero, garbage), or a negative I/O error. With
 * whole != NULL the whole batch is read and its CRC checked (BAD when
 * wrong); *whole then points at its bytes until the next call. */
int eddy_scan_batch(eddy_scan *sc, int64_t pos, eddy_batch_header *h, const uint8_t **whole);

/* What a full scan of a segment found. */
typedef struct eddy_seg_scan_result {
    int64_t valid_end;  /* position after the last good batch */
    int64_t end_offset; /* next offset after it */
    int64_t max_ts;
    int64_t batches;
    const char *stop; /* why the scan stopped early, or NULL at a clean end */
} eddy_seg_scan_result;

/* Scans [header, file_end) checking CRCs and offset continuity (from the
 * segment's base offset), rebuilding the segment's index every interval
 * bytes (the index is replaced; the caller holds smu if shared). */
int eddy_seg_scan(eddy_segment *seg, int64_t file_end, int32_t interval, eddy_seg_scan_result *res);

/* ---- producer state ---------------------------------------------------- */

typedef struct eddy_pid_batch {
    int32_t first_seq;
    int32_t last_seq;
    int64_t base_offset;
} eddy_pid_batch;

typedef struct eddy_producer {
    int64_t pid;
    int16_t epoch;
    uint8_t n;                              /* batches held, oldest first */
    eddy_pid_batch b[EDDY_PRODUCER_WINDOW]; /* the last (up to) 5 batches */
} eddy_producer;

typedef struct eddy_pstate {
    eddy_map map; /* 8-byte pid -> eddy_producer* (owned) */
} eddy_pstate;

/* The idempotence facts of one batch. */
typedef struct eddy_pbatch {
    int64_t pid;
    int16_t epoch;
    int32_t first_seq;
    int32_t last_delta;
    int64_t base_offset;
} eddy_pbatch;

void eddy_pstate_init(eddy_pstate *ps);
void eddy_pstate_deinit(eddy_pstate *ps);
void eddy_pstate_clear(eddy_pstate *ps);
size_t eddy_pstate_count(const eddy_pstate *ps);
/* Kafka's sequence arithmetic: wraps from INT32_MAX to 0. */
int32_t eddy_seq_add(int32_t seq, int32_t n);
/* 0 to accept, or DUPLICATE (with *dup_offset), OUT_OF_ORDER,
 * INVALID_PRODUCER_EPOCH. pid < 0 always accepts. */
int eddy_pstate_check(const eddy_pstate *ps, const eddy_pbatch *b, int64_t *dup_offset);
/* Records an accepted (or replayed) batch. 0 or NOMEM. */
int eddy_pstate_apply(eddy_pstate *ps, const eddy_pbatch *b);
/* dst = deep copy of src. 0 or NOMEM (dst then empty). */
int eddy_pstate_copy(eddy_pstate *dst, const eddy_pstate *src);
/* Snapshot of the state covering batches below offset (owned; free()). */
int eddy_pstate_encode(const eddy_pstate *ps, int64_t offset, uint8_t **out, size_t *len);
/* Loads a snapshot into an empty ps. 0 or EDDY_ERR_CORRUPT. */
int eddy_pstate_decode(eddy_pstate *ps, const uint8_t *p, size_t len, int64_t *offset);

/* ---- logs and the store ------------------------------------------------ */

typedef struct eddy_pending {
    struct eddy_pending *next;
    eddy_append_done_fn done;
    void *ctx;
    int64_t base_offset;
    int64_t last_offset;
    int64_t max_ts;
    eddy_pbatch pb;
    bool dup;   /* completion only: a duplicate waiting for its original */
    size_t len; /* bytes in data (0 for dup) */
    uint8_t data[];
} eddy_pending;

typedef struct eddy_log_counters {
    atomic_uint_fast64_t batches, bytes, writes, fsyncs, rolls, failures, recoveries,
        truncated_bytes;
} eddy_log_counters;

struct eddy_log {
    eddy_store *st;
    char *dir;
    eddy_log_config cfg;

    /* Append side, under mu. */
    pthread_mutex_t mu;
    int64_t next_offset;
    int64_t last_ts; /* newest LogAppendTime stamped or sealed (ascending) */
    eddy_pstate pstate;
    eddy_pending *head, **tail;
    size_t pending_bytes;
    bool queued;  /* on the store's ready list (or about to be taken) */
    bool failed;  /* sticky until recovered by the writer */
    bool closing; /* eddy_log_close began */
    eddy_log *next_ready;

    /* Reader side, under smu. */
    pthread_mutex_t smu;
    eddy_segment **segs; /* ascending base offset; the last is active */
    size_t nsegs, segs_cap;
    /* The last segment, also outside smu: only the writer (or open)
     * replaces it, and retention never removes it. */
    eddy_segment *active;
    void (*on_advance)(void *ctx);
    void *adv_ctx;

    /* Lock-free getters (stored under the lock that owns the value). */
    _Atomic int64_t hw, start, next, floor;

    /* Retention and close never overlap. */
    pthread_mutex_t admin_mu;

    /* Writer. */
    eddy_pstate wstate;                     /* producers as of w_next */
    int64_t w_next;                         /* next offset after written data */
    eddy_pending *round_head, **round_tail; /* written, not yet published */
    bool w_failed;                          /* the writer's copy of failed */
    int64_t round_bytes;                    /* bytes written this round */
    bool dirty;                             /* written since the last fdatasync */
    int64_t sync_due_ms;                    /* interval fsync deadline (mono) */
    int64_t retry_at_ms;                    /* failure recovery (mono) */
    int64_t backoff_ms;
    bool in_timers;
    eddy_log *next_timer, *next_sync;

    /* Under store->mu. */
    bool close_done;
    eddy_log *next_close;
    eddy_log *prev_all, *next_all;

    eddy_log_counters c;
};

/* The active (last) segment. */
eddy_segment *eddy_log_active(eddy_log *log);

/* Creates an empty segment file at base (header written and synced, folder
 * synced). Used for a new log and by the writer's roll. */
int eddy_log_create_segment(eddy_log *log, int64_t base, eddy_segment **out);

/* Recovery shared by open and by the writer after a failure: scans the
 * active segment (the file must already be cut to what may be kept),
 * truncates the torn tail, rebuilds its index, reloads producer state from
 * the newest usable snapshot plus a replay, and sets next/hw/w_next. */
int eddy_log_recover_active(eddy_log *log, const char *why);

/* Writes the producer snapshot for the writer state at w_next and keeps the
 * two newest snapshot files. */
int eddy_log_save_snapshot(eddy_log *log);

/* Store side used by log.c (writer.c). */
int eddy_store_register(eddy_store *st, eddy_log *log);
void eddy_store_request_close(eddy_store *st, eddy_log *log);
/* Called by append (log->mu held) when the log turns queued. */
void eddy_store_push_ready(eddy_store *st, eddy_log *log);
int64_t eddy_store_backoff_ms(const eddy_store *st);

/* Frees a log's memory (segments, states); the log is unregistered. */
void eddy_log_free(eddy_log *log);

#endif

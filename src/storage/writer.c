/* The store and its log-writer thread.
 *
 * Network threads queue batches on a log (log.c) and, when the log was idle,
 * put it on the store's ready list. The writer takes the whole ready list
 * each round; for every log it detaches the pending chain and pwritev()s it
 * into the active segment, rolling segments as it goes. Under fsync ALWAYS
 * it then makes one fdatasync per touched log (every batch of the round
 * shares it: group commit) before it publishes: visible size and high
 * watermark advance, completions run, the listener is called. Under
 * INTERVAL and NEVER it publishes right after the write; INTERVAL syncs from
 * a timer.
 *
 * A failed write or fsync fails the log (sticky): every unpublished batch
 * completes with KAFKA_STORAGE_ERROR and appends are refused. After a
 * back-off the writer truncates the active segment to its visible (last
 * durable) size and reruns the open-time recovery; fsync is never retried
 * as if the failed one had not happened. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "storage/fs.h"
#include "storage/storage_int.h"

#define MAX_IOV        1024
#define MAX_BACKOFF_MS 30000

typedef struct wbuf {
    struct iovec iov[MAX_IOV];
    int n;
    int64_t pos; /* file position of iov[0] */
} wbuf;

struct eddy_store {
    eddy_store_config cfg;
    pthread_t thread;
    bool started;
    int lock_fd;

    /* Under mu. */
    pthread_mutex_t mu;
    pthread_cond_t wake;   /* the writer waits here */
    pthread_cond_t closed; /* closers wait here */
    eddy_log *ready_head, **ready_tail;
    eddy_log *close_reqs;
    eddy_log *all;
    bool stop;

    /* Writer. */
    eddy_log *timers; /* logs with an interval fsync or a recovery due */
    wbuf w;           /* the iovecs of the write in progress */

    atomic_uint_fast64_t batches, bytes, writes, fsyncs, rounds, logs;
    atomic_int fault_errno[2];
    atomic_int fault_count[2];
};

/* ---- small helpers ----------------------------------------------------- */

static bool take_fault(eddy_store *st, eddy_fault_op op, int *errnum)
{
    int n = atomic_load(&st->fault_count[op]);
    while (n > 0) {
        if (atomic_compare_exchange_weak(&st->fault_count[op], &n, n - 1)) {
            *errnum = atomic_load(&st->fault_errno[op]);
            return true;
        }
    }
    return false;
}

static void complete(eddy_pending *e, int err)
{
    while (e) {
        eddy_pending *next = e->next;
        if (e->done) {
            if (err == 0 && e->dup) {
                e->done(e->ctx, EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER, e->base_offset);
            } else {
                e->done(e->ctx, err, err == 0 ? e->base_offset : -1);
            }
        }
        free(e);
        e = next;
    }
}

static void timers_add(eddy_store *st, eddy_log *log)
{
    if (!log->in_timers) {
        log->in_timers = true;
        log->next_timer = st->timers;
        st->timers = log;
    }
}

static void timers_remove(eddy_store *st, eddy_log *log)
{
    for (eddy_log **pp = &st->timers; *pp; pp = &(*pp)->next_timer) {
        if (*pp == log) {
            *pp = log->next_timer;
            break;
        }
    }
    log->in_timers = false;
    log->next_timer = NULL;
}

static int data_sync(eddy_store *st, eddy_log *log, eddy_segment *seg)
{
    int errnum = 0;
    atomic_fetch_add(&log->c.fsyncs, 1);
    atomic_fetch_add(&st->fsyncs, 1);
    if (take_fault(st, EDDY_FAULT_FSYNC, &errnum) || fdatasync(seg->fd) != 0) {
        return eddy_err_from_errno(errnum ? errnum : errno);
    }
    return 0;
}

/* ---- failure ----------------------------------------------------------- */

/* Fails the log: everything not yet published (this round's written
 * batches, rest, and whatever is pending) completes with
 * KAFKA_STORAGE_ERROR; recovery is scheduled. */
static void fail_log(eddy_store *st, eddy_log *log, eddy_pending *rest, int err)
{
    eddy_log_error("storage.log_failed", "dir=%s err=%s reason=\"%s\" retry_ms=%lld", log->dir,
                   eddy_err_name(err), eddy_err_str(err), (long long)log->backoff_ms);
    pthread_mutex_lock(&log->mu);
    log->failed = true;
    eddy_pending *pend = log->head;
    log->head = NULL;
    log->tail = &log->head;
    log->pending_bytes = 0;
    pthread_mutex_unlock(&log->mu);
    log->w_failed = true;
    /* Cut what was written but never published right away (best effort;
     * recovery cuts again): a batch reported failed should not reappear
     * if the process stops before recovery. */
    eddy_segment *seg = eddy_log_active(log);
    if (ftruncate(seg->fd, seg->visible) != 0) {
        eddy_log_warn("storage.truncate_failed", "path=%s errno=%d", seg->path, errno);
    }
    eddy_pending *round = log->round_head;
    log->round_head = NULL;
    log->round_tail = &log->round_head;
    log->round_bytes = 0;
    log->dirty = false;
    complete(round, EDDY_ERR_KAFKA_STORAGE_ERROR);
    complete(rest, EDDY_ERR_KAFKA_STORAGE_ERROR);
    complete(pend, EDDY_ERR_KAFKA_STORAGE_ERROR);
    atomic_fetch_add(&log->c.failures, 1);
    log->retry_at_ms = eddy_clock_mono_ms() + log->backoff_ms;
    timers_add(st, log);
}

/* Truncates the active segment back to what was published (the last
 * durable size) and reruns recovery. */
static void try_recover(eddy_store *st, eddy_log *log)
{
    eddy_segment *seg = eddy_log_active(log);
    int rc = 0;
    if (ftruncate(seg->fd, seg->visible) != 0) {
        rc = eddy_err_from_errno(errno);
    }
    if (rc == 0) {
        rc = eddy_log_recover_active(log, "after_failure");
    }
    if (rc != 0) {
        log->backoff_ms =
            log->backoff_ms * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : log->backoff_ms * 2;
        log->retry_at_ms = eddy_clock_mono_ms() + log->backoff_ms;
        eddy_log_warn("storage.recover_failed", "dir=%s err=%s retry_ms=%lld", log->dir,
                      eddy_err_name(rc), (long long)log->backoff_ms);
        return;
    }
    pthread_mutex_lock(&log->mu);
    log->failed = false;
    pthread_mutex_unlock(&log->mu);
    log->w_failed = false;
    log->backoff_ms = st->cfg.failure_backoff_ms;
    atomic_fetch_add(&log->c.recoveries, 1);
    eddy_log_info("storage.log_recovered", "dir=%s next_offset=%lld", log->dir,
                  (long long)log->w_next);
}

/* ---- publishing, writing, rolling -------------------------------------- */

/* Makes everything written so far visible and completes it. */
static void publish(eddy_store *st, eddy_log *log)
{
    eddy_segment *seg = eddy_log_active(log);
    pthread_mutex_lock(&log->smu);
    bool advanced = atomic_load(&log->hw) != log->w_next;
    seg->visible = seg->size;
    seg->vis_end_offset = seg->end_offset;
    seg->max_ts = seg->w_max_ts;
    atomic_store(&log->hw, log->w_next);
    void (*fn)(void *) = log->on_advance;
    void *ctx = log->adv_ctx;
    pthread_mutex_unlock(&log->smu);
    if (log->round_bytes > 0 && log->cfg.fsync == EDDY_FSYNC_INTERVAL && !log->dirty) {
        log->dirty = true;
        log->sync_due_ms = eddy_clock_mono_ms() + log->cfg.fsync_interval_ms;
        timers_add(st, log);
    }
    eddy_pending *round = log->round_head;
    log->round_head = NULL;
    log->round_tail = &log->round_head;
    log->round_bytes = 0;
    complete(round, 0);
    if (advanced && fn) {
        fn(ctx);
    }
}

static int flush(eddy_store *st, eddy_log *log, eddy_segment *seg, wbuf *w)
{
    struct iovec *iov = w->iov;
    int n = w->n;
    int errnum = 0;
    w->n = 0;
    while (n > 0) {
        if (take_fault(st, EDDY_FAULT_WRITE, &errnum)) {
            return eddy_err_from_errno(errnum);
        }
        ssize_t r = pwritev(seg->fd, iov, n > IOV_MAX ? IOV_MAX : n, (off_t)w->pos);
        atomic_fetch_add(&log->c.writes, 1);
        atomic_fetch_add(&st->writes, 1);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return eddy_err_from_errno(errno);
        }
        if (r == 0) {
            return EDDY_ERR_IO;
        }
        w->pos += r;
        size_t left = (size_t)r;
        while (n > 0 && left >= iov->iov_len) {
            left -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + left;
            iov->iov_len -= left;
        }
    }
    return 0;
}

static bool need_roll(const eddy_log *log, const eddy_segment *seg, const eddy_pending *e,
                      int64_t now_ms)
{
    if (seg->size <= EDDY_SEG_HEADER_SIZE) {
        return false;
    }
    return seg->size + (int64_t)e->len > log->cfg.segment_bytes ||
           now_ms - seg->first_append_ms >= log->cfg.segment_ms ||
           e->last_offset - seg->base_offset > (int64_t)UINT32_MAX;
}

/* Seals the active segment (already written) and starts a new one at
 * w_next: sync, publish, index files, producer snapshot, new file. */
static int roll(eddy_store *st, eddy_log *log)
{
    eddy_segment *old = eddy_log_active(log);
    int rc = 0;
    if (log->cfg.fsync != EDDY_FSYNC_NEVER) {
        rc = data_sync(st, log, old);
        if (rc != 0) {
            return rc;
        }
    }
    publish(st, log);
    if (log->cfg.fsync != EDDY_FSYNC_NEVER) {
        log->dirty = false; /* the new segment starts clean */
    }
    if (log->cfg.preallocate_bytes > 0 && old->prealloc_end > old->size &&
        old->prealloc_end != INT64_MAX) {
        /* Give back the preallocated blocks past the end (best effort). */
        if (ftruncate(old->fd, old->size) != 0) {
            eddy_log_debug("storage.trim_failed", "path=%s errno=%d", old->path, errno);
        }
    }
    rc = eddy_seg_index_save(old, log->dir);
    if (rc == 0) {
        rc = eddy_log_save_snapshot(log);
    }
    eddy_segment *seg = NULL;
    if (rc == 0) {
        pthread_mutex_lock(&log->smu);
        if (log->nsegs == log->segs_cap) {
            size_t cap = log->segs_cap * 2;
            eddy_segment **n = realloc(log->segs, cap * sizeof *n);
            if (n) {
                log->segs = n;
                log->segs_cap = cap;
            } else {
                rc = EDDY_ERR_NOMEM;
            }
        }
        pthread_mutex_unlock(&log->smu);
    }
    if (rc == 0) {
        rc = eddy_log_create_segment(log, log->w_next, &seg);
    }
    if (rc != 0) {
        return rc;
    }
    pthread_mutex_lock(&log->smu);
    old->sealed = true;
    old->sealed_ms = eddy_clock_wall_ms();
    log->segs[log->nsegs++] = seg;
    log->active = seg;
    pthread_mutex_unlock(&log->smu);
    atomic_fetch_add(&log->c.rolls, 1);
    eddy_log_debug("storage.roll", "dir=%s sealed=%s new_base=%lld", log->dir, old->path,
                   (long long)seg->base_offset);
    return 0;
}

/* Records a batch about to be written: index entry, max timestamp, next
 * offset, producer state. */
static void note_batch(eddy_log *log, eddy_segment *seg, eddy_pending *e, int64_t now_ms)
{
    if (seg->size >= seg->next_index_pos) {
        pthread_mutex_lock(&log->smu);
        int rc = eddy_seg_index_add(seg, e->base_offset, seg->size, seg->w_max_ts);
        pthread_mutex_unlock(&log->smu);
        if (rc == 0) {
            seg->next_index_pos = seg->size + log->cfg.index_interval_bytes;
        }
    }
    if (e->max_ts > seg->w_max_ts) {
        seg->w_max_ts = e->max_ts;
    }
    if (seg->first_append_ms == 0) {
        seg->first_append_ms = now_ms;
    }
    seg->size += (int64_t)e->len;
    seg->end_offset = e->last_offset + 1;
    log->w_next = e->last_offset + 1;
    log->round_bytes += (int64_t)e->len;
    if (eddy_pstate_apply(&log->wstate, &e->pb) != 0) {
        /* Only the next snapshot is affected; a replay rebuilds it. */
        eddy_log_warn("storage.producer_state_nomem", "dir=%s", log->dir);
    }
}

static void preallocate(eddy_log *log, eddy_segment *seg, size_t len)
{
    int64_t step = log->cfg.preallocate_bytes;
    if (step <= 0 || seg->size + (int64_t)len <= seg->prealloc_end) {
        return;
    }
    int64_t from = seg->prealloc_end > seg->size ? seg->prealloc_end : seg->size;
    int64_t want = (int64_t)len > step ? (int64_t)len : step;
    /* KEEP_SIZE: blocks are reserved but the file size still ends at the
     * data, so recovery never sees a zero tail. Failure is harmless. */
    if (fallocate(seg->fd, FALLOC_FL_KEEP_SIZE, from, want) == 0) {
        seg->prealloc_end = from + want;
    } else if (errno == EOPNOTSUPP) {
        seg->prealloc_end = INT64_MAX; /* not on this filesystem: stop trying */
    } else {
        seg->prealloc_end = seg->size + (int64_t)len; /* e.g. ENOSPC: the write will tell */
    }
}

/* Writes one detached chain. Returns false when the log failed. */
static bool write_chain(eddy_store *st, eddy_log *log, eddy_pending *chain)
{
    wbuf *w = &st->w;
    eddy_segment *seg = eddy_log_active(log);
    int64_t now_ms = eddy_clock_wall_ms();
    w->n = 0;
    w->pos = seg->size;
    int rc = 0;
    eddy_pending *e = chain;
    while (e) {
        if (!e->dup) {
            if (need_roll(log, seg, e, now_ms)) {
                rc = flush(st, log, seg, w);
                if (rc == 0) {
                    rc = roll(st, log);
                }
                if (rc != 0) {
                    break;
                }
                seg = eddy_log_active(log);
                w->pos = seg->size;
            }
            if (w->n == MAX_IOV) {
                rc = flush(st, log, seg, w);
                if (rc != 0) {
                    break;
                }
            }
            preallocate(log, seg, e->len);
            w->iov[w->n].iov_base = e->data;
            w->iov[w->n].iov_len = e->len;
            w->n++;
            note_batch(log, seg, e, now_ms);
            atomic_fetch_add(&log->c.batches, 1);
            atomic_fetch_add(&log->c.bytes, e->len);
            atomic_fetch_add(&st->batches, 1);
            atomic_fetch_add(&st->bytes, e->len);
        }
        eddy_pending *next = e->next;
        e->next = NULL;
        *log->round_tail = e;
        log->round_tail = &e->next;
        e = next;
    }
    if (rc == 0) {
        rc = flush(st, log, seg, w);
    }
    if (rc != 0) {
        fail_log(st, log, e, rc);
        return false;
    }
    return true;
}

/* Detaches a log's pending chain and marks it no longer queued. Returns the
 * chain; *next_ready receives the log's ready-list successor. */
static eddy_pending *detach(eddy_log *log, eddy_log **next_ready, bool *failed)
{
    pthread_mutex_lock(&log->mu);
    if (next_ready) {
        *next_ready = log->next_ready;
    }
    log->next_ready = NULL;
    log->queued = false;
    eddy_pending *chain = log->head;
    log->head = NULL;
    log->tail = &log->head;
    log->pending_bytes = 0;
    *failed = log->failed;
    pthread_mutex_unlock(&log->mu);
    return chain;
}

/* One round over a list of logs: write all, then sync and publish. */
static void write_round(eddy_store *st, eddy_log *list)
{
    eddy_log *to_sync = NULL;
    for (eddy_log *log = list, *next = NULL; log; log = next) {
        bool failed;
        eddy_pending *chain = detach(log, &next, &failed);
        if (failed) {
            complete(chain, EDDY_ERR_KAFKA_STORAGE_ERROR);
            continue;
        }
        if (!write_chain(st, log, chain) || !log->round_head) {
            continue;
        }
        if (log->cfg.fsync == EDDY_FSYNC_ALWAYS && log->round_bytes > 0) {
            log->next_sync = to_sync;
            to_sync = log;
        } else {
            publish(st, log);
        }
    }
    for (eddy_log *log = to_sync; log; log = log->next_sync) {
        int rc = data_sync(st, log, eddy_log_active(log));
        if (rc != 0) {
            fail_log(st, log, NULL, rc);
        } else {
            publish(st, log);
        }
    }
    atomic_fetch_add(&st->rounds, 1);
}

static int64_t next_due(const eddy_store *st)
{
    int64_t due = INT64_MAX;
    for (const eddy_log *log = st->timers; log; log = log->next_timer) {
        int64_t t = log->w_failed ? log->retry_at_ms : (log->dirty ? log->sync_due_ms : due);
        if (t < due) {
            due = t;
        }
    }
    return due;
}

static void run_timers(eddy_store *st)
{
    int64_t now = eddy_clock_mono_ms();
    eddy_log **pp = &st->timers;
    while (*pp) {
        eddy_log *log = *pp;
        if (log->w_failed && now >= log->retry_at_ms) {
            try_recover(st, log);
        } else if (!log->w_failed && log->dirty && now >= log->sync_due_ms) {
            log->dirty = false;
            int rc = data_sync(st, log, eddy_log_active(log));
            if (rc != 0) {
                fail_log(st, log, NULL, rc); /* already on the list */
            }
        }
        if (!log->w_failed && !log->dirty) {
            *pp = log->next_timer;
            log->in_timers = false;
            log->next_timer = NULL;
        } else {
            pp = &log->next_timer;
        }
    }
}

/* The writer's part of eddy_log_close: drain, sync, snapshot. */
static void close_in_writer(eddy_store *st, eddy_log *log)
{
    pthread_mutex_lock(&log->mu);
    log->closing = true;
    if (log->queued) {
        pthread_mutex_lock(&st->mu);
        for (eddy_log **pp = &st->ready_head; *pp; pp = &(*pp)->next_ready) {
            if (*pp == log) {
                *pp = log->next_ready;
                if (!*pp) {
                    st->ready_tail = pp;
                }
                break;
            }
        }
        pthread_mutex_unlock(&st->mu);
        log->queued = false;
    }
    log->next_ready = NULL;
    pthread_mutex_unlock(&log->mu);
    /* No append can queue anything now; write what is pending. */
    write_round(st, log);
    if (!log->w_failed) {
        if (log->dirty && log->cfg.fsync != EDDY_FSYNC_NEVER) {
            int rc = data_sync(st, log, eddy_log_active(log));
            if (rc != 0) {
                eddy_log_error("storage.close_sync_failed", "dir=%s err=%s", log->dir,
                               eddy_err_name(rc));
            }
        }
        int rc = eddy_log_save_snapshot(log);
        if (rc != 0) {
            eddy_log_warn("storage.snapshot_failed", "dir=%s err=%s", log->dir, eddy_err_name(rc));
        }
    }
    timers_remove(st, log);
}

static void *writer_main(void *arg)
{
    eddy_store *st = arg;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        while (!st->ready_head && !st->close_reqs && !st->stop) {
            int64_t due = next_due(st);
            if (due == INT64_MAX) {
                pthread_cond_wait(&st->wake, &st->mu);
                continue;
            }
            if (due <= eddy_clock_mono_ms()) {
                break;
            }
            struct timespec ts = {.tv_sec = due / 1000, .tv_nsec = (due % 1000) * 1000000};
            pthread_cond_timedwait(&st->wake, &st->mu, &ts);
        }
        eddy_log *ready = st->ready_head;
        st->ready_head = NULL;
        st->ready_tail = &st->ready_head;
        eddy_log *closing = st->close_reqs;
        st->close_reqs = NULL;
        bool stop = st->stop;
        pthread_mutex_unlock(&st->mu);

        if (ready) {
            write_round(st, ready);
        }
        run_timers(st);
        for (eddy_log *log = closing; log; log = log->next_close) {
            close_in_writer(st, log);
        }

        pthread_mutex_lock(&st->mu);
        if (closing) {
            for (eddy_log *log = closing, *next; log; log = next) {
                next = log->next_close;
                log->close_done = true;
            }
            pthread_cond_broadcast(&st->closed);
        }
        if (stop && !st->ready_head && !st->close_reqs) {
            break;
        }
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

/* ---- store API --------------------------------------------------------- */

void eddy_store_config_defaults(eddy_store_config *cfg)
{
    cfg->dir = NULL;
    cfg->failure_backoff_ms = 1000;
}

int64_t eddy_store_backoff_ms(const eddy_store *st)
{
    return st->cfg.failure_backoff_ms;
}

static int lock_folder(eddy_store *st, const char *dir)
{
    int rc = eddy_fs_mkdir_p(dir, 0755);
    if (rc != 0) {
        return rc;
    }
    char path[4096];
    if (snprintf(path, sizeof path, "%s/.eddy.lock", dir) >= (int)sizeof path) {
        return EDDY_ERR_INVALID_ARG;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return eddy_err_from_errno(errno);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        return e == EWOULDBLOCK ? EDDY_ERR_EXISTS : eddy_err_from_errno(e);
    }
    st->lock_fd = fd;
    return 0;
}

int eddy_store_open(const eddy_store_config *cfg, eddy_store **out)
{
    *out = NULL;
    eddy_store *st = calloc(1, sizeof *st);
    if (!st) {
        return EDDY_ERR_NOMEM;
    }
    if (cfg) {
        st->cfg = *cfg;
    } else {
        eddy_store_config_defaults(&st->cfg);
    }
    if (st->cfg.failure_backoff_ms <= 0) {
        st->cfg.failure_backoff_ms = 1000;
    }
    st->cfg.dir = NULL; /* borrowed only during open */
    st->lock_fd = -1;
    st->ready_tail = &st->ready_head;
    int rc = cfg && cfg->dir ? lock_folder(st, cfg->dir) : 0;
    if (rc != 0) {
        free(st);
        return rc;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->wake, &ca);
    pthread_cond_init(&st->closed, NULL);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&st->thread, NULL, writer_main, st) != 0) {
        pthread_mutex_destroy(&st->mu);
        pthread_cond_destroy(&st->wake);
        pthread_cond_destroy(&st->closed);
        if (st->lock_fd >= 0) {
            close(st->lock_fd);
        }
        free(st);
        return EDDY_ERR_NOMEM;
    }
    st->started = true;
    *out = st;
    return 0;
}

void eddy_store_close(eddy_store *st)
{
    if (!st) {
        return;
    }
    for (;;) {
        pthread_mutex_lock(&st->mu);
        eddy_log *log = st->all;
        pthread_mutex_unlock(&st->mu);
        if (!log) {
            break;
        }
        eddy_log_close(log);
    }
    pthread_mutex_lock(&st->mu);
    st->stop = true;
    pthread_cond_signal(&st->wake);
    pthread_mutex_unlock(&st->mu);
    if (st->started) {
        pthread_join(st->thread, NULL);
    }
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->wake);
    pthread_cond_destroy(&st->closed);
    if (st->lock_fd >= 0) {
        close(st->lock_fd);
    }
    free(st);
}

int eddy_store_register(eddy_store *st, eddy_log *log)
{
    pthread_mutex_lock(&st->mu);
    log->prev_all = NULL;
    log->next_all = st->all;
    if (st->all) {
        st->all->prev_all = log;
    }
    st->all = log;
    atomic_fetch_add(&st->logs, 1);
    pthread_mutex_unlock(&st->mu);
    return 0;
}

void eddy_store_request_close(eddy_store *st, eddy_log *log)
{
    pthread_mutex_lock(&st->mu);
    log->close_done = false;
    log->next_close = st->close_reqs;
    st->close_reqs = log;
    pthread_cond_signal(&st->wake);
    while (!log->close_done) {
        pthread_cond_wait(&st->closed, &st->mu);
    }
    if (log->prev_all) {
        log->prev_all->next_all = log->next_all;
    } else {
        st->all = log->next_all;
    }
    if (log->next_all) {
        log->next_all->prev_all = log->prev_all;
    }
    atomic_fetch_sub(&st->logs, 1);
    pthread_mutex_unlock(&st->mu);
}

void eddy_store_push_ready(eddy_store *st, eddy_log *log)
{
    pthread_mutex_lock(&st->mu);
    bool was_empty = st->ready_head == NULL;
    log->next_ready = NULL;
    *st->ready_tail = log;
    st->ready_tail = &log->next_ready;
    if (was_empty) {
        pthread_cond_signal(&st->wake);
    }
    pthread_mutex_unlock(&st->mu);
}

void eddy_store_get_stats(eddy_store *st, eddy_store_stats *out)
{
    out->batches = atomic_load(&st->batches);
    out->bytes = atomic_load(&st->bytes);
    out->writes = atomic_load(&st->writes);
    out->fsyncs = atomic_load(&st->fsyncs);
    out->rounds = atomic_load(&st->rounds);
    out->logs = atomic_load(&st->logs);
}

void eddy_store_inject_fault(eddy_store *st, eddy_fault_op op, int errnum, int count)
{
    if (op != EDDY_FAULT_WRITE && op != EDDY_FAULT_FSYNC) {
        return;
    }
    atomic_store(&st->fault_errno[op], errnum);
    atomic_store(&st->fault_count[op], count);
}

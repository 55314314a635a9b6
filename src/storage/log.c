/* A partition log: open and recovery, append, read, time lookup, retention.
 *
 * The append side (network threads) works in memory under log->mu and hands
 * batches to the store's writer thread (writer.c). Readers find whole
 * batches below the high watermark through the segment array and the sparse
 * indexes under log->smu, then pread a few headers with no lock held; a
 * segment is reference-counted so that retention can unlink it while a
 * fetch still sends from it. Recovery (open, and the writer after a failure)
 * is one function: eddy_log_recover_active. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "storage/fs.h"
#include "storage/storage_int.h"

#define PATH_BUF 4096
/* Header scans on the read path use a stack buffer this size. */
#define READ_SCAN_BUF 8192

/* ---- configuration ----------------------------------------------------- */

void eddy_log_config_defaults(eddy_log_config *cfg)
{
    cfg->segment_bytes = 1024LL * 1024 * 1024;
    cfg->segment_ms = 7LL * 24 * 3600 * 1000;
    cfg->retention_ms = 7LL * 24 * 3600 * 1000;
    cfg->retention_bytes = -1;
    cfg->index_interval_bytes = 4096;
    cfg->fsync = EDDY_FSYNC_ALWAYS;
    cfg->fsync_interval_ms = 1000;
    cfg->max_batch_bytes = 1024 * 1024;
    cfg->preallocate_bytes = 4 * 1024 * 1024;
}

int eddy_fsync_parse(const char *s, eddy_fsync_mode *mode, int64_t *interval_ms)
{
    if (!s) {
        return EDDY_ERR_INVALID_ARG;
    }
    if (strcmp(s, "always") == 0) {
        *mode = EDDY_FSYNC_ALWAYS;
        return 0;
    }
    if (strcmp(s, "never") == 0) {
        *mode = EDDY_FSYNC_NEVER;
        return 0;
    }
    if (strncmp(s, "interval:", 9) == 0) {
        const char *p = s + 9;
        int64_t v = 0;
        if (*p == '\0') {
            return EDDY_ERR_INVALID_ARG;
        }
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10) {
                return EDDY_ERR_INVALID_ARG;
            }
            v = v * 10 + (*p - '0');
        }
        if (v <= 0) {
            return EDDY_ERR_INVALID_ARG;
        }
        *mode = EDDY_FSYNC_INTERVAL;
        *interval_ms = v;
        return 0;
    }
    return EDDY_ERR_INVALID_ARG;
}

static int config_check(const eddy_log_config *c)
{
    if (c->segment_bytes < EDDY_SEG_HEADER_SIZE + EDDY_BATCH_HEADER_SIZE ||
        c->segment_bytes > INT32_MAX || c->segment_ms <= 0 || c->retention_ms < -1 ||
        c->retention_bytes < -1 || c->index_interval_bytes < 0 ||
        (c->fsync != EDDY_FSYNC_ALWAYS && c->fsync != EDDY_FSYNC_INTERVAL &&
         c->fsync != EDDY_FSYNC_NEVER) ||
        (c->fsync == EDDY_FSYNC_INTERVAL && c->fsync_interval_ms <= 0) ||
        c->max_batch_bytes < EDDY_BATCH_HEADER_SIZE || c->max_batch_bytes > EDDY_SCAN_MAX_BATCH ||
        c->preallocate_bytes < 0) {
        return EDDY_ERR_INVALID_ARG;
    }
    return 0;
}

/* ---- folder listing ---------------------------------------------------- */

/* "<20 digits><ext>" -> offset; false for other names. Offsets are kept
 * below INT64_MAX / 2 so that offset arithmetic never overflows. */
static bool parse_name(const char *name, const char *ext, int64_t *out)
{
    size_t elen = strlen(ext);
    if (strlen(name) != EDDY_NAME_DIGITS + elen || strcmp(name + EDDY_NAME_DIGITS, ext) != 0) {
        return false;
    }
    uint64_t v = 0;
    for (int i = 0; i < EDDY_NAME_DIGITS; i++) {
        if (name[i] < '0' || name[i] > '9') {
            return false;
        }
        if (v > (uint64_t)INT64_MAX / 20) {
            return false;
        }
        v = v * 10 + (uint64_t)(name[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX / 2) {
        return false;
    }
    *out = (int64_t)v;
    return true;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Lists the offsets of files named "<20 digits><ext>", ascending (owned;
 * free()). With drop_tmp, leftover "*.tmp" files of atomic writes are
 * removed on the way. */
static int list_offsets(const char *dir, const char *ext, bool drop_tmp, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        return eddy_err_from_errno(errno);
    }
    int64_t *arr = NULL;
    size_t cnt = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (drop_tmp && len > 4 && strcmp(de->d_name + len - 4, ".tmp") == 0) {
            char path[PATH_BUF];
            if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) < (int)sizeof path) {
                unlink(path);
            }
            continue;
        }
        int64_t off;
        if (!parse_name(de->d_name, ext, &off)) {
            continue;
        }
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *na = realloc(arr, cap * sizeof *na);
            if (!na) {
                rc = EDDY_ERR_NOMEM;
                break;
            }
            arr = na;
        }
        arr[cnt++] = off;
    }
    closedir(d);
    if (rc != 0) {
        free(arr);
        return rc;
    }
    if (cnt > 1) {
        qsort(arr, cnt, sizeof *arr, cmp_i64);
    }
    *out = arr;
    *n = cnt;
    return 0;
}

/* ---- segments of a log ------------------------------------------------- */

eddy_segment *eddy_log_active(eddy_log *log)
{
    return log->active;
}

static int segs_reserve(eddy_log *log, size_t extra)
{
    if (log->nsegs + extra <= log->segs_cap) {
        return 0;
    }
    size_t cap = log->segs_cap ? log->segs_cap * 2 : 8;
    while (cap < log->nsegs + extra) {
        cap *= 2;
    }
    eddy_segment **n = realloc(log->segs, cap * sizeof *n);
    if (!n) {
        return EDDY_ERR_NOMEM;
    }
    log->segs = n;
    log->segs_cap = cap;
    return 0;
}

/* Index of the last segment with base <= offset (0 if none). smu held. */
static size_t seg_find(const eddy_log *log, int64_t offset)
{
    size_t lo = 0, hi = log->nsegs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (log->segs[mid]->base_offset <= offset) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo ? lo - 1 : 0;
}

static int open_segment_file(const char *dir, int64_t base, eddy_segment **out)
{
    char path[PATH_BUF];
    int rc = eddy_seg_path(path, sizeof path, dir, base, ".log");
    if (rc != 0) {
        return rc;
    }
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return eddy_err_from_errno(errno);
    }
    char *p = strdup(path);
    eddy_segment *seg = p ? eddy_segment_new(base, fd, p) : NULL;
    if (!seg) {
        free(p);
        close(fd);
        return EDDY_ERR_NOMEM;
    }
    *out = seg;
    return 0;
}

/* Loads one sealed segment: header, then its index files, or a scan that
 * rebuilds (and rewrites) them. A sealed segment is not modified on disk;
 * a bad batch inside it ends what is served from it (logged as an error). */
static int load_sealed(eddy_log *log, eddy_segment *seg)
{
    struct stat sb;
    if (fstat(seg->fd, &sb) != 0) {
        return eddy_err_from_errno(errno);
    }
    uint8_t hdr[EDDY_SEG_HEADER_SIZE];
    size_t got = 0;
    int rc = eddy_fs_pread_full(seg->fd, hdr, sizeof hdr, 0, &got);
    if (rc != 0) {
        return rc;
    }
    if (eddy_seg_header_check(hdr, got, seg->base_offset, &seg->created_ms) != 0) {
        eddy_log_error("storage.segment_bad_header", "path=%s", seg->path);
        return EDDY_ERR_CORRUPT;
    }
    seg->sealed = true;
    seg->sealed_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
    if (eddy_seg_index_load(seg, log->dir, (int64_t)sb.st_size) == 0) {
        return 0;
    }
    eddy_seg_scan_result res;
    rc = eddy_seg_scan(seg, (int64_t)sb.st_size, log->cfg.index_interval_bytes, &res);
    if (rc != 0) {
        return rc;
    }
    seg->visible = seg->size = res.valid_end;
    seg->vis_end_offset = seg->end_offset = res.end_offset;
    seg->max_ts = seg->w_max_ts = res.max_ts;
    if (res.stop) {
        eddy_log_error("storage.sealed_segment_damaged",
                       "path=%s served_bytes=%" PRId64 " unreadable_bytes=%" PRId64
                       " reason=\"%s\"",
                       seg->path, res.valid_end, (int64_t)sb.st_size - res.valid_end, res.stop);
    } else {
        eddy_log_info("storage.index_rebuilt", "path=%s batches=%" PRId64, seg->path, res.batches);
        rc = eddy_seg_index_save(seg, log->dir);
        if (rc != 0) {
            eddy_log_warn("storage.index_save_failed", "path=%s err=%s", seg->path,
                          eddy_err_name(rc));
        }
    }
    return 0;
}

int eddy_log_create_segment(eddy_log *log, int64_t base, eddy_segment **out)
{
    char path[PATH_BUF];
    int rc = eddy_seg_path(path, sizeof path, log->dir, base, ".log");
    if (rc != 0) {
        return rc;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return eddy_err_from_errno(errno);
    }
    int64_t now = eddy_clock_wall_ms();
    uint8_t hdr[EDDY_SEG_HEADER_SIZE];
    eddy_seg_header_encode(hdr, base, now);
    rc = eddy_fs_pwrite_full(fd, hdr, sizeof hdr, 0);
    if (rc == 0 && fdatasync(fd) != 0) {
        rc = eddy_err_from_errno(errno);
    }
    if (rc == 0) {
        rc = eddy_fs_fsync_dir(log->dir);
    }
    char *p = rc == 0 ? strdup(path) : NULL;
    eddy_segment *seg = p ? eddy_segment_new(base, fd, p) : NULL;
    if (!seg) {
        free(p);
        close(fd);
        unlink(path);
        return rc ? rc : EDDY_ERR_NOMEM;
    }
    seg->created_ms = now;
    seg->next_index_pos = EDDY_SEG_HEADER_SIZE + log->cfg.index_interval_bytes;
    seg->prealloc_end = EDDY_SEG_HEADER_SIZE;
    *out = seg;
    return 0;
}

static int load_segments(eddy_log *log)
{
    int64_t *bases = NULL;
    size_t n = 0;
    int rc = list_offsets(log->dir, ".log", true, &bases, &n);
    if (rc != 0) {
        return rc;
    }
    if (n == 0) {
        eddy_segment *seg;
        rc = segs_reserve(log, 1);
        if (rc == 0) {
            rc = eddy_log_create_segment(log, 0, &seg);
        }
        if (rc == 0) {
            log->segs[log->nsegs++] = seg;
        }
        goto out;
    }
    rc = segs_reserve(log, n);
    if (rc != 0) {
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        eddy_segment *seg;
        rc = open_segment_file(log->dir, bases[i], &seg);
        if (rc != 0) {
            goto out;
        }
        log->segs[log->nsegs++] = seg;
        if (i + 1 < n) {
            rc = load_sealed(log, seg);
            if (rc != 0) {
                goto out;
            }
        }
        if (i > 0 && log->segs[i - 1]->vis_end_offset > seg->base_offset) {
            eddy_log_error("storage.segments_overlap",
                           "dir=%s prev_end=%" PRId64 " next_base=%" PRId64, log->dir,
                           log->segs[i - 1]->vis_end_offset, seg->base_offset);
            rc = EDDY_ERR_CORRUPT;
            goto out;
        }
    }
out:
    if (log->nsegs > 0) {
        log->active = log->segs[log->nsegs - 1];
    }
    free(bases);
    return rc;
}

/* ---- producer state recovery ------------------------------------------- */

static void drop_file(const char *dir, int64_t off, const char *ext)
{
    char path[PATH_BUF];
    if (eddy_seg_path(path, sizeof path, dir, off, ext) == 0) {
        unlink(path);
    }
}

/* Replays batch headers with base offset >= from into log->wstate. Works
 * on referenced copies of the segment list: retention may run meanwhile. */
static int replay_producers(eddy_log *log, int64_t from)
{
    uint8_t buf[READ_SCAN_BUF];
    pthread_mutex_lock(&log->smu);
    size_t n = log->nsegs;
    eddy_segment **segs = malloc(n * sizeof *segs);
    if (!segs) {
        pthread_mutex_unlock(&log->smu);
        return EDDY_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        segs[i] = log->segs[i];
        eddy_segment_ref(segs[i]);
    }
    pthread_mutex_unlock(&log->smu);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        eddy_segment *seg = segs[i];
        if (seg->end_offset <= from) {
            continue;
        }
        pthread_mutex_lock(&log->smu);
        const eddy_index_entry *e = eddy_seg_index_by_offset(seg, from);
        int64_t pos = e ? e->pos : EDDY_SEG_HEADER_SIZE;
        pthread_mutex_unlock(&log->smu);
        eddy_scan sc;
        eddy_scan_init(&sc, seg->fd, seg->size, buf, sizeof buf, sizeof buf);
        for (;;) {
            eddy_batch_header h;
            rc = eddy_scan_batch(&sc, pos, &h, NULL);
            if (rc != EDDY_SCAN_OK) {
                rc = rc < 0 ? rc : 0;
                break;
            }
            if (h.base_offset >= from && h.producer_id >= 0) {
                eddy_pbatch pb = {h.producer_id, h.producer_epoch, h.base_sequence,
                                  h.last_offset_delta, h.base_offset};
                rc = eddy_pstate_apply(&log->wstate, &pb);
                if (rc != 0) {
                    break;
                }
            }
            pos += (int64_t)eddy_batch_total_size(&h);
        }
    }
    for (size_t i = 0; i < n; i++) {
        eddy_segment_unref(segs[i]);
    }
    free(segs);
    return rc;
}

/* wstate = newest usable snapshot (at or below end) + replay after it. */
static int rebuild_producers(eddy_log *log, int64_t end)
{
    int64_t *offs = NULL;
    size_t n = 0;
    int rc = list_offsets(log->dir, ".snapshot", false, &offs, &n);
    if (rc != 0) {
        return rc;
    }
    pthread_mutex_lock(&log->smu);
    int64_t start = log->segs[0]->base_offset;
    pthread_mutex_unlock(&log->smu);
    int64_t from = start;
    eddy_pstate_clear(&log->wstate);
    for (size_t k = n; k-- > 0;) {
        if (offs[k] > end) {
            /* Written before a tail was lost; it knows batches that are gone. */
            drop_file(log->dir, offs[k], ".snapshot");
            continue;
        }
        char path[PATH_BUF];
        uint8_t *data = NULL;
        size_t len = 0;
        int64_t snap_off = -1;
        rc = eddy_seg_path(path, sizeof path, log->dir, offs[k], ".snapshot");
        if (rc == 0) {
            rc = eddy_fs_read_file(path, 1024u * 1024 * 1024, &data, &len);
        }
        if (rc == 0) {
            rc = eddy_pstate_decode(&log->wstate, data, len, &snap_off);
        }
        free(data);
        if (rc == EDDY_ERR_NOMEM) {
            goto out;
        }
        if (rc == 0 && snap_off == offs[k]) {
            from = snap_off > start ? snap_off : start;
            break;
        }
        eddy_pstate_clear(&log->wstate);
        eddy_log_warn("storage.snapshot_bad", "path=%s err=%s", path, eddy_err_name(rc));
        drop_file(log->dir, offs[k], ".snapshot");
    }
    rc = replay_producers(log, from);
out:
    free(offs);
    return rc;
}

int eddy_log_save_snapshot(eddy_log *log)
{
    uint8_t *data = NULL;
    size_t len = 0;
    char path[PATH_BUF];
    int rc = eddy_pstate_encode(&log->wstate, log->w_next, &data, &len);
    if (rc == 0) {
        rc = eddy_seg_path(path, sizeof path, log->dir, log->w_next, ".snapshot");
    }
    if (rc == 0) {
        rc = eddy_fs_write_atomic(path, data, len);
    }
    free(data);
    if (rc != 0) {
        return rc;
    }
    /* Keep the two newest: the previous one is a fallback if this one is
     * ever found damaged. */
    int64_t *offs = NULL;
    size_t n = 0;
    if (list_offsets(log->dir, ".snapshot", false, &offs, &n) == 0) {
        for (size_t i = 0; i + 2 < n; i++) {
            drop_file(log->dir, offs[i], ".snapshot");
        }
        free(offs);
    }
    return 0;
}

/* ---- recovery ---------------------------------------------------------- */

int eddy_log_recover_active(eddy_log *log, const char *why)
{
    eddy_segment *seg = eddy_log_active(log);
    struct stat sb;
    if (fstat(seg->fd, &sb) != 0) {
        return eddy_err_from_errno(errno);
    }
    int64_t file_size = (int64_t)sb.st_size;
    uint8_t hdr[EDDY_SEG_HEADER_SIZE];
    size_t got = 0;
    int rc = eddy_fs_pread_full(seg->fd, hdr, sizeof hdr, 0, &got);
    if (rc != 0) {
        return rc;
    }
    int64_t created = 0;
    if (eddy_seg_header_check(hdr, got, seg->base_offset, &created) != 0) {
        /* Torn at creation (or damaged): start the segment again. */
        eddy_log_warn("storage.truncate",
                      "path=%s truncated_bytes=%" PRId64 " reason=\"bad segment header\" when=%s",
                      seg->path, file_size, why);
        created = eddy_clock_wall_ms();
        eddy_seg_header_encode(hdr, seg->base_offset, created);
        if (ftruncate(seg->fd, 0) != 0) {
            return eddy_err_from_errno(errno);
        }
        rc = eddy_fs_pwrite_full(seg->fd, hdr, sizeof hdr, 0);
        if (rc == 0 && fdatasync(seg->fd) != 0) {
            rc = eddy_err_from_errno(errno);
        }
        if (rc != 0) {
            return rc;
        }
        atomic_fetch_add(&log->c.truncated_bytes, (uint64_t)file_size);
        file_size = EDDY_SEG_HEADER_SIZE;
    }
    /* Scan into a private copy: readers may be using the live index. */
    eddy_segment tmp = {.base_offset = seg->base_offset, .fd = seg->fd};
    eddy_seg_scan_result res;
    rc = eddy_seg_scan(&tmp, file_size, log->cfg.index_interval_bytes, &res);
    if (rc != 0) {
        free(tmp.idx);
        return rc;
    }
    if (res.valid_end < file_size) {
        eddy_log_warn("storage.truncate",
                      "path=%s truncated_bytes=%" PRId64 " kept_bytes=%" PRId64
                      " next_offset=%" PRId64 " reason=\"%s\" when=%s",
                      seg->path, file_size - res.valid_end, res.valid_end, res.end_offset,
                      res.stop ? res.stop : "?", why);
        if (ftruncate(seg->fd, res.valid_end) != 0) {
            free(tmp.idx);
            return eddy_err_from_errno(errno);
        }
        atomic_fetch_add(&log->c.truncated_bytes, (uint64_t)(file_size - res.valid_end));
    }
    pthread_mutex_lock(&log->smu);
    if (log->nsegs > 1 && log->segs[log->nsegs - 2]->vis_end_offset > seg->base_offset) {
        pthread_mutex_unlock(&log->smu);
        free(tmp.idx);
        return EDDY_ERR_CORRUPT;
    }
    eddy_index_entry *old = seg->idx;
    seg->idx = tmp.idx;
    seg->nidx = tmp.nidx;
    seg->idx_cap = tmp.idx_cap;
    seg->visible = seg->size = res.valid_end;
    seg->vis_end_offset = seg->end_offset = res.end_offset;
    seg->max_ts = seg->w_max_ts = res.max_ts;
    atomic_store(&log->hw, res.end_offset);
    atomic_store(&log->start, log->segs[0]->base_offset);
    pthread_mutex_unlock(&log->smu);
    free(old);
    seg->created_ms = created;
    seg->next_index_pos = tmp.next_index_pos;
    seg->first_append_ms = res.valid_end > EDDY_SEG_HEADER_SIZE ? created : 0;
    seg->prealloc_end = res.valid_end;
    log->w_next = res.end_offset;
    log->dirty = false;

    rc = rebuild_producers(log, res.end_offset);
    if (rc != 0) {
        return rc;
    }
    pthread_mutex_lock(&log->mu);
    rc = eddy_pstate_copy(&log->pstate, &log->wstate);
    log->next_offset = res.end_offset;
    atomic_store(&log->next, res.end_offset);
    pthread_mutex_unlock(&log->mu);
    return rc;
}

/* ---- open / close ------------------------------------------------------ */

static eddy_log *log_alloc(eddy_store *st, const char *dir, const eddy_log_config *cfg)
{
    eddy_log *log = calloc(1, sizeof *log);
    if (!log) {
        return NULL;
    }
    log->dir = strdup(dir);
    if (!log->dir) {
        free(log);
        return NULL;
    }
    log->st = st;
    log->cfg = *cfg;
    pthread_mutex_init(&log->mu, NULL);
    pthread_mutex_init(&log->smu, NULL);
    pthread_mutex_init(&log->admin_mu, NULL);
    log->tail = &log->head;
    log->round_tail = &log->round_head;
    eddy_pstate_init(&log->pstate);
    eddy_pstate_init(&log->wstate);
    atomic_init(&log->floor, INT64_MAX);
    log->backoff_ms = eddy_store_backoff_ms(st);
    return log;
}

void eddy_log_free(eddy_log *log)
{
    for (size_t i = 0; i < log->nsegs; i++) {
        eddy_segment_unref(log->segs[i]);
    }
    free(log->segs);
    eddy_pstate_deinit(&log->pstate);
    eddy_pstate_deinit(&log->wstate);
    pthread_mutex_destroy(&log->mu);
    pthread_mutex_destroy(&log->smu);
    pthread_mutex_destroy(&log->admin_mu);
    free(log->dir);
    free(log);
}

int eddy_log_open(eddy_store *st, const char *dir, const eddy_log_config *cfg, eddy_log **out)
{
    *out = NULL;
    eddy_log_config c;
    if (cfg) {
        c = *cfg;
    } else {
        eddy_log_config_defaults(&c);
    }
    if (!st || !dir || config_check(&c) != 0) {
        return EDDY_ERR_INVALID_ARG;
    }
    size_t dlen = strlen(dir);
    if (dlen == 0 || dlen > PATH_BUF - 64) {
        return EDDY_ERR_INVALID_ARG;
    }
    eddy_log *log = log_alloc(st, dir, &c);
    if (!log) {
        return EDDY_ERR_NOMEM;
    }
    int rc = eddy_fs_mkdir_p(dir, 0755);
    if (rc == 0) {
        rc = load_segments(log);
    }
    if (rc == 0) {
        rc = eddy_log_recover_active(log, "open");
    }
    if (rc == 0) {
        for (size_t i = 0; i < log->nsegs; i++) {
            if (log->segs[i]->max_ts > log->last_ts) {
                log->last_ts = log->segs[i]->max_ts;
            }
        }
        rc = eddy_store_register(st, log);
    }
    if (rc != 0) {
        eddy_log_error("storage.open_failed", "dir=%s err=%s", dir, eddy_err_name(rc));
        eddy_log_free(log);
        return rc;
    }
    eddy_log_debug(
        "storage.open", "dir=%s segments=%zu start=%" PRId64 " next=%" PRId64 " producers=%zu", dir,
        log->nsegs, eddy_log_start_offset(log), log->next_offset, eddy_pstate_count(&log->wstate));
    *out = log;
    return 0;
}

void eddy_log_close(eddy_log *log)
{
    if (!log) {
        return;
    }
    pthread_mutex_lock(&log->admin_mu);
    eddy_store_request_close(log->st, log);
    pthread_mutex_unlock(&log->admin_mu);
    eddy_log_free(log);
}

int eddy_log_delete(eddy_log *log)
{
    if (!log) {
        return 0;
    }
    char *dir = strdup(log->dir);
    eddy_log_close(log);
    if (!dir) {
        return EDDY_ERR_NOMEM;
    }
    int rc = eddy_fs_rm_r(dir);
    if (rc == 0) {
        eddy_fs_fsync_parent(dir);
    }
    free(dir);
    return rc;
}

/* ---- append ------------------------------------------------------------ */

int eddy_log_append(eddy_log *log, const uint8_t *batch, size_t len, const eddy_append_req *req,
                    eddy_append_result *res)
{
    res->base_offset = -1;
    res->log_append_time_ms = -1;
    res->log_start_offset = atomic_load(&log->start);
    if (len > (size_t)log->cfg.max_batch_bytes) {
        return EDDY_ERR_MESSAGE_TOO_LARGE;
    }
    eddy_batch_header h;
    if (eddy_batch_header_parse(batch, len, &h) != 0 || eddy_batch_total_size(&h) != len) {
        return EDDY_ERR_CORRUPT_MESSAGE;
    }
    if (h.last_offset_delta < 0 || (h.producer_id >= 0 && h.base_sequence < 0)) {
        return EDDY_ERR_INVALID_RECORD;
    }
    /* Copy and stamp outside the lock; only the offset needs it. */
    eddy_pending *e = malloc(sizeof *e + len);
    if (!e) {
        return EDDY_ERR_NOMEM;
    }
    memcpy(e->data, batch, len);
    eddy_batch_set_leader_epoch(e->data, 0);
    e->max_ts = h.max_timestamp;
    e->next = NULL;
    e->done = req->done;
    e->ctx = req->ctx;
    e->dup = false;
    e->len = len;
    e->pb =
        (eddy_pbatch){h.producer_id, h.producer_epoch, h.base_sequence, h.last_offset_delta, -1};

    pthread_mutex_lock(&log->mu);
    if (log->failed || log->closing) {
        pthread_mutex_unlock(&log->mu);
        free(e);
        return EDDY_ERR_KAFKA_STORAGE_ERROR;
    }
    int64_t dup_offset = -1;
    int rc = eddy_pstate_check(&log->pstate, &e->pb, &dup_offset);
    if (rc == EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER) {
        res->base_offset = dup_offset;
        if (dup_offset < atomic_load(&log->hw)) {
            pthread_mutex_unlock(&log->mu);
            free(e);
            return rc;
        }
        /* The original is not durable yet: answer when it is (or fails),
         * so a retry is never acked ahead of the data. */
        e->dup = true;
        e->len = 0;
        e->base_offset = e->last_offset = dup_offset;
    } else if (rc != 0) {
        pthread_mutex_unlock(&log->mu);
        free(e);
        return rc;
    } else {
        int64_t base = log->next_offset;
        e->pb.base_offset = base;
        rc = eddy_pstate_apply(&log->pstate, &e->pb);
        if (rc != 0) {
            pthread_mutex_unlock(&log->mu);
            free(e);
            return rc;
        }
        if (req->log_append_time) {
            /* Stamped under the lock, never below an earlier stamp or a
             * seal (eddy_log_seal_time): append times ascend with offsets. */
            int64_t ts = req->now_ms > log->last_ts ? req->now_ms : log->last_ts;
            log->last_ts = ts;
            eddy_batch_set_log_append_time(e->data, len, ts);
            e->max_ts = ts;
            res->log_append_time_ms = ts;
        }
        eddy_batch_set_base_offset(e->data, base);
        e->base_offset = base;
        e->last_offset = base + h.last_offset_delta;
        log->next_offset = e->last_offset + 1;
        atomic_store(&log->next, log->next_offset);
        res->base_offset = base;
    }
    *log->tail = e;
    log->tail = &e->next;
    log->pending_bytes += e->len;
    if (!log->queued) {
        log->queued = true;
        eddy_store_push_ready(log->st, log);
    }
    pthread_mutex_unlock(&log->mu);
    return 0;
}

int64_t eddy_log_seal_time(eddy_log *log, int64_t ts_ms)
{
    pthread_mutex_lock(&log->mu);
    if (log->last_ts < ts_ms) {
        log->last_ts = ts_ms;
    }
    int64_t next = log->next_offset;
    pthread_mutex_unlock(&log->mu);
    return next;
}

/* ---- read -------------------------------------------------------------- */

int64_t eddy_log_high_watermark(eddy_log *log)
{
    return atomic_load(&log->hw);
}

int64_t eddy_log_start_offset(eddy_log *log)
{
    return atomic_load(&log->start);
}

int64_t eddy_log_next_offset(eddy_log *log)
{
    return atomic_load(&log->next);
}

void eddy_log_slice_release(eddy_log_slice *slice)
{
    if (slice->seg) {
        eddy_segment_unref(slice->seg);
    }
    slice->seg = NULL;
    slice->fd = -1;
    slice->len = 0;
}

/* Takes a reference on the first segment at or after index i that may
 * hold target, with the index floor for it. smu held. NULL when none. */
static eddy_segment *pick_segment(eddy_log *log, size_t i, int64_t target, int64_t *pos,
                                  int64_t *vis)
{
    if (i >= log->nsegs) {
        return NULL;
    }
    eddy_segment *seg = log->segs[i];
    const eddy_index_entry *e = eddy_seg_index_by_offset(seg, target);
    *pos = e ? e->pos : EDDY_SEG_HEADER_SIZE;
    *vis = seg->visible;
    eddy_segment_ref(seg);
    return seg;
}

int eddy_log_read(eddy_log *log, int64_t offset, size_t max_bytes, eddy_log_slice *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    out->first_offset = -1;
    uint8_t buf[READ_SCAN_BUF];
    pthread_mutex_lock(&log->smu);
    int64_t hw = atomic_load(&log->hw);
    int64_t start = atomic_load(&log->start);
    out->high_watermark = hw;
    out->log_start_offset = start;
    if (offset < start || offset > hw) {
        pthread_mutex_unlock(&log->smu);
        return EDDY_ERR_OFFSET_OUT_OF_RANGE;
    }
    if (offset == hw) {
        pthread_mutex_unlock(&log->smu);
        return 0;
    }
    int64_t pos = 0, vis = 0, target = offset;
    eddy_segment *seg = pick_segment(log, seg_find(log, offset), target, &pos, &vis);
    pthread_mutex_unlock(&log->smu);

    eddy_batch_header h;
    for (;;) {
        if (!seg) {
            return 0; /* a gap up to the high watermark: nothing to send */
        }
        eddy_scan sc;
        eddy_scan_init(&sc, seg->fd, vis, buf, sizeof buf, 4096);
        int rc;
        for (;;) {
            rc = eddy_scan_batch(&sc, pos, &h, NULL);
            if (rc != EDDY_SCAN_OK || eddy_batch_last_offset(&h) >= target) {
                break;
            }
            pos += (int64_t)eddy_batch_total_size(&h);
        }
        if (rc == EDDY_SCAN_OK) {
            out->first_offset = h.base_offset;
            break;
        }
        int64_t base = seg->base_offset;
        eddy_segment_unref(seg);
        if (rc != EDDY_SCAN_END) {
            eddy_log_error("storage.read_failed", "dir=%s offset=%" PRId64 " err=%d", log->dir,
                           offset, rc);
            return EDDY_ERR_KAFKA_STORAGE_ERROR;
        }
        /* Nothing at or after target in this segment: the next one. */
        pthread_mutex_lock(&log->smu);
        size_t i = seg_find(log, base);
        if (i < log->nsegs && log->segs[i]->base_offset <= base) {
            i++;
        }
        seg = pick_segment(log, i, target, &pos, &vis);
        pthread_mutex_unlock(&log->smu);
    }

    int64_t first = pos;
    int64_t first_end = pos + (int64_t)eddy_batch_total_size(&h);
    int64_t limit =
        max_bytes > (size_t)(INT64_MAX - first) ? INT64_MAX : first + (int64_t)max_bytes;
    int64_t end = vis;
    if (vis > limit) {
        pthread_mutex_lock(&log->smu);
        const eddy_index_entry *e = eddy_seg_index_by_pos(seg, limit);
        int64_t q = (e && e->pos > first) ? e->pos : first;
        pthread_mutex_unlock(&log->smu);
        eddy_scan sc;
        eddy_scan_init(&sc, seg->fd, vis, buf, sizeof buf, 4096);
        while (q < vis) {
            int rc = eddy_scan_batch(&sc, q, &h, NULL);
            if (rc != EDDY_SCAN_OK) {
                break;
            }
            int64_t nq = q + (int64_t)eddy_batch_total_size(&h);
            if (nq > limit) {
                break;
            }
            q = nq;
        }
        end = q > first_end ? q : first_end;
    }
    out->fd = seg->fd;
    out->pos = first;
    out->len = (size_t)(end - first);
    out->seg = seg;
    return 0;
}

int eddy_log_offset_for_time(eddy_log *log, int64_t ts_ms, int64_t *offset, int64_t *timestamp)
{
    *offset = -1;
    *timestamp = -1;
    uint8_t buf[READ_SCAN_BUF];
    int64_t after = INT64_MIN; /* segments with base > after */
    for (;;) {
        pthread_mutex_lock(&log->smu);
        eddy_segment *seg = NULL;
        int64_t pos = 0, vis = 0;
        for (size_t i = 0; i < log->nsegs; i++) {
            eddy_segment *s = log->segs[i];
            if (s->base_offset <= after || s->max_ts == EDDY_TS_NONE || s->max_ts < ts_ms) {
                continue;
            }
            const eddy_index_entry *e = eddy_seg_index_by_time(s, ts_ms);
            pos = e ? e->pos : EDDY_SEG_HEADER_SIZE;
            vis = s->visible;
            seg = s;
            eddy_segment_ref(seg);
            break;
        }
        pthread_mutex_unlock(&log->smu);
        if (!seg) {
            return 0;
        }
        eddy_scan sc;
        eddy_scan_init(&sc, seg->fd, vis, buf, sizeof buf, 4096);
        int rc;
        eddy_batch_header h;
        for (;;) {
            rc = eddy_scan_batch(&sc, pos, &h, NULL);
            if (rc != EDDY_SCAN_OK || h.max_timestamp >= ts_ms) {
                break;
            }
            pos += (int64_t)eddy_batch_total_size(&h);
        }
        after = seg->base_offset;
        eddy_segment_unref(seg);
        if (rc == EDDY_SCAN_OK) {
            *offset = h.base_offset;
            *timestamp = h.max_timestamp;
            return 0;
        }
        if (rc != EDDY_SCAN_END) {
            return EDDY_ERR_KAFKA_STORAGE_ERROR;
        }
    }
}

void eddy_log_set_listener(eddy_log *log, void (*on_advance)(void *ctx), void *ctx)
{
    pthread_mutex_lock(&log->smu);
    log->on_advance = on_advance;
    log->adv_ctx = ctx;
    pthread_mutex_unlock(&log->smu);
}

/* ---- retention --------------------------------------------------------- */

void eddy_log_set_retention_floor(eddy_log *log, int64_t offset)
{
    atomic_store(&log->floor, offset);
}

void eddy_log_set_retention(eddy_log *log, int64_t retention_ms, int64_t retention_bytes)
{
    /* admin_mu: the same lock eddy_log_enforce_retention reads them under. */
    pthread_mutex_lock(&log->admin_mu);
    if (retention_ms >= -1) {
        log->cfg.retention_ms = retention_ms;
    }
    if (retention_bytes >= -1) {
        log->cfg.retention_bytes = retention_bytes;
    }
    pthread_mutex_unlock(&log->admin_mu);
}

int eddy_log_enforce_retention(eddy_log *log, int64_t now_ms)
{
    pthread_mutex_lock(&log->admin_mu);
    int64_t floor = atomic_load(&log->floor);
    const eddy_log_config *c = &log->cfg;
    pthread_mutex_lock(&log->smu);
    int64_t total = 0;
    for (size_t i = 0; i < log->nsegs; i++) {
        total += log->segs[i]->visible;
    }
    size_t n = 0;
    while (n + 1 < log->nsegs) {
        eddy_segment *s = log->segs[n];
        if (!s->sealed || s->vis_end_offset > floor) {
            break;
        }
        int64_t age_ts = s->max_ts >= 0 ? s->max_ts : s->sealed_ms;
        bool by_time = c->retention_ms >= 0 && now_ms - age_ts > c->retention_ms;
        /* Kafka's rule: delete while what remains still holds the limit. */
        bool by_size = c->retention_bytes >= 0 && total - s->visible >= c->retention_bytes;
        if (!by_time && !by_size) {
            break;
        }
        total -= s->visible;
        n++;
    }
    eddy_segment **gone = NULL;
    if (n > 0) {
        gone = malloc(n * sizeof *gone);
        if (!gone) {
            pthread_mutex_unlock(&log->smu);
            pthread_mutex_unlock(&log->admin_mu);
            return EDDY_ERR_NOMEM;
        }
        memcpy(gone, log->segs, n * sizeof *gone);
        memmove(log->segs, log->segs + n, (log->nsegs - n) * sizeof *log->segs);
        log->nsegs -= n;
        atomic_store(&log->start, log->segs[0]->base_offset);
    }
    pthread_mutex_unlock(&log->smu);
    for (size_t i = 0; i < n; i++) {
        eddy_log_info("storage.retention_delete",
                      "path=%s bytes=%" PRId64 " end_offset=%" PRId64 " log_start=%" PRId64,
                      gone[i]->path, gone[i]->visible, gone[i]->vis_end_offset,
                      eddy_log_start_offset(log));
        eddy_seg_unlink_files(log->dir, gone[i]->base_offset);
        eddy_segment_unref(gone[i]);
    }
    free(gone);
    pthread_mutex_unlock(&log->admin_mu);
    return (int)n;
}

/* ---- stats ------------------------------------------------------------- */

void eddy_log_get_stats(eddy_log *log, eddy_log_stats *out)
{
    memset(out, 0, sizeof *out);
    out->batches = atomic_load(&log->c.batches);
    out->bytes = atomic_load(&log->c.bytes);
    out->writes = atomic_load(&log->c.writes);
    out->fsyncs = atomic_load(&log->c.fsyncs);
    out->rolls = atomic_load(&log->c.rolls);
    out->failures = atomic_load(&log->c.failures);
    out->recoveries = atomic_load(&log->c.recoveries);
    out->truncated_bytes = atomic_load(&log->c.truncated_bytes);
    pthread_mutex_lock(&log->smu);
    out->segments = log->nsegs;
    for (size_t i = 0; i < log->nsegs; i++) {
        out->size_bytes += (uint64_t)log->segs[i]->visible;
    }
    pthread_mutex_unlock(&log->smu);
    pthread_mutex_lock(&log->mu);
    out->pending_bytes = log->pending_bytes;
    out->failed = log->failed;
    pthread_mutex_unlock(&log->mu);
}

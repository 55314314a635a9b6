/* Capture into the lake: see capture.h and docs/capture.md. */
#include "hub/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "avro/eventdata.h"
#include "avro/avro.h"
#include "core/clock.h"
#include "core/crc.h"
#include "core/endian.h"
#include "core/error.h"
#include "core/log.h"
#include "record/records.h"
#include "storage/fs.h"

#define STATE_MAGIC   0x45444353u /* "EDCS" */
#define STATE_VERSION 1
#define STATE_SIZE    68
#define READ_CHUNK    ((size_t)1 << 20)
#define STEP_BUDGET   ((size_t)4 << 20) /* bytes read per partition per round */
#define TICK_MS       100
#define RETRY_MIN_MS  1000
#define RETRY_MAX_MS  30000
#define WARN_EVERY_MS 60000

struct eddy_capture_part {
    bool loaded;
    /* Persisted (the capture state file). */
    int64_t next;        /* offsets below are in finished files */
    int64_t win;         /* current window's start (ms); -1 = none yet */
    int64_t last_name_s; /* second of the newest file's name; -1 = none */
    int64_t win_files;   /* files finished in the current window */
    /* The open file, when pos > next or an empty window is written. */
    int fd;
    eddy_avro_writer *w;
    int64_t file_name_s;
    int64_t file_events;
    int64_t file_first_ts;
    int64_t pos;      /* next offset to read */
    int64_t next_ts;  /* timestamp of the event at next; -1 unknown */
    int64_t seal_off; /* the window's end is sealed at this offset; -1 not yet */
    /* I/O failure back-off. */
    int64_t retry_at;
    int64_t backoff_ms;
    int64_t warn_at;
    bool floor_released;
    /* Paths. */
    char *state_path;
    char *tmp_path;
    char *lake_part; /* {lake}/{ns}/{hub}/{pid} */
    size_t lake_root_len;
    char made_dir[64]; /* the date folder most recently created ("YYYY/MM/DD/hh/mm") */
    /* Scratch. */
    eddy_buf rbuf;
    eddy_record_scratch scratch;
    eddy_avro_kv *props;
    size_t props_cap;
};

struct eddy_capture {
    eddy_hub *hub;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    int64_t start_ms; /* when this process's capture began */
    int64_t wake_ms;  /* the earliest window end of this round (wall clock) */
    /* Counters (eddy_capture_get_stats). */
    atomic_uint_fast64_t files, events, bytes, errors, lost;
};

/* ---- helpers ------------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t window_of(int64_t ts_ms, int64_t interval_ms)
{
    return floor_div(ts_ms, interval_ms) * interval_ms;
}

static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        s = NULL;
    }
    va_end(ap);
    return s;
}

/* "YYYY/MM/DD/hh/mm" and "ss" of a second since the epoch (UTC). */
static void name_parts(int64_t sec, char *dir, size_t dirlen, int *ss)
{
    time_t t = (time_t)sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(dir, dirlen, "%04d/%02d/%02d/%02d/%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
    *ss = tm.tm_sec;
}

static eddy_avro_codec avro_codec(int codec)
{
    return codec == EDDY_CAPTURE_NULL     ? EDDY_AVRO_CODEC_NULL
           : codec == EDDY_CAPTURE_SNAPPY ? EDDY_AVRO_CODEC_SNAPPY
                                          : EDDY_AVRO_CODEC_DEFLATE;
}

/* ---- state file (docs/format/capture-state.md) -------------------------- */

static int state_save(eddy_capture_part *cp, const uint8_t topic_id[16])
{
    uint8_t b[STATE_SIZE];
    eddy_store_be32(b, STATE_MAGIC);
    eddy_store_be16(b + 4, STATE_VERSION);
    eddy_store_be16(b + 6, 0);
    eddy_store_be64(b + 8, (uint64_t)cp->next);
    eddy_store_be64(b + 16, (uint64_t)cp->win);
    eddy_store_be64(b + 24, (uint64_t)cp->last_name_s);
    eddy_store_be64(b + 32, (uint64_t)cp->win_files);
    memcpy(b + 40, topic_id, 16);
    memset(b + 56, 0, 8);
    eddy_store_be32(b + 64, eddy_crc32c(0, b, 64));
    return eddy_fs_write_atomic(cp->state_path, b, sizeof b);
}

/* 0 and the fields, EDDY_ERR_NOT_FOUND (no state: start fresh) or an error
 * (a damaged state is reported and treated as none). */
static int state_load(eddy_capture_part *cp, const uint8_t topic_id[16])
{
    uint8_t *d = NULL;
    size_t len = 0;
    int rc = eddy_fs_read_file(cp->state_path, 4096, &d, &len);
    if (rc != 0) {
        return rc;
    }
    rc = EDDY_ERR_CORRUPT;
    if (len == STATE_SIZE && eddy_load_be32(d) == STATE_MAGIC &&
        eddy_load_be16(d + 4) == STATE_VERSION && eddy_load_be32(d + 64) == eddy_crc32c(0, d, 64)) {
        if (memcmp(d + 40, topic_id, 16) != 0) {
            rc = EDDY_ERR_NOT_FOUND; /* another hub of the same name, deleted since */
        } else {
            cp->next = (int64_t)eddy_load_be64(d + 8);
            cp->win = (int64_t)eddy_load_be64(d + 16);
            cp->last_name_s = (int64_t)eddy_load_be64(d + 24);
            cp->win_files = (int64_t)eddy_load_be64(d + 32);
            rc = cp->next >= 0 && cp->win_files >= 0 ? 0 : EDDY_ERR_CORRUPT;
        }
    }
    free(d);
    return rc;
}

/* ---- per partition ------------------------------------------------------ */

static void drop_file(eddy_capture_part *cp);

void eddy_capture_part_free(eddy_capture_part *cp)
{
    if (!cp) {
        return;
    }
    drop_file(cp); /* an open window is written again at the next start */
    free(cp->state_path);
    free(cp->tmp_path);
    free(cp->lake_part);
    eddy_buf_deinit(&cp->rbuf);
    eddy_record_scratch_deinit(&cp->scratch);
    free(cp->props);
    free(cp);
}

static eddy_capture_part *part_new(eddy_capture *c, eddy_topic *t, int32_t p, const char *lake)
{
    eddy_capture_part *cp = calloc(1, sizeof *cp);
    if (!cp) {
        return NULL;
    }
    cp->fd = -1;
    cp->win = -1;
    cp->last_name_s = -1;
    cp->seal_off = -1;
    cp->next_ts = -1;
    eddy_buf_init(&cp->rbuf, 0);
    eddy_record_scratch_init(&cp->scratch);
    const char *ns = c->hub->cfg.namespace_name;
    cp->state_path = str_printf("%s/hubs/%s/%d/capture.state", c->hub->cfg.data_dir, t->name, p);
    cp->tmp_path = str_printf("%s/.eddy-tmp/%s~%s~%d.avro.tmp", lake, ns, t->name, p);
    cp->lake_part = str_printf("%s/%s/%s/%d", lake, ns, t->name, p);
    cp->lake_root_len = strlen(lake);
    if (!cp->state_path || !cp->tmp_path || !cp->lake_part) {
        eddy_capture_part_free(cp);
        return NULL;
    }
    return cp;
}

static void drop_file(eddy_capture_part *cp)
{
    if (cp->w) {
        eddy_avro_writer_close(cp->w);
        cp->w = NULL;
    }
    if (cp->fd >= 0) {
        close(cp->fd);
        cp->fd = -1;
        unlink(cp->tmp_path);
    }
    cp->pos = cp->next;
    cp->file_events = 0;
}

/* An I/O failure: drop the open file, retry from the persisted state later. */
static void part_fail(eddy_capture *c, eddy_topic *t, int32_t p, eddy_capture_part *cp,
                      const char *what, int rc, int64_t now)
{
    atomic_fetch_add(&c->errors, 1);
    drop_file(cp);
    cp->seal_off = -1;
    cp->backoff_ms = cp->backoff_ms ? cp->backoff_ms * 2 : RETRY_MIN_MS;
    if (cp->backoff_ms > RETRY_MAX_MS) {
        cp->backoff_ms = RETRY_MAX_MS;
    }
    cp->retry_at = now + cp->backoff_ms;
    eddy_log_error("capture.failed", "hub=%s partition=%d what=\"%s\" err=%s retry_in_ms=%" PRId64,
                   t->name, p, what, eddy_err_name(rc), cp->backoff_ms);
}

static int part_load(eddy_capture *c, eddy_topic *t, int32_t p, eddy_capture_part *cp)
{
    eddy_log *log = t->parts[p].log;
    unlink(cp->tmp_path); /* an interrupted window: it is written again */
    int rc = state_load(cp, t->id);
    int64_t start = eddy_log_start_offset(log), hw = eddy_log_high_watermark(log);
    if (rc == EDDY_ERR_CORRUPT) {
        eddy_log_warn("capture.state_damaged", "hub=%s partition=%d path=%s", t->name, p,
                      cp->state_path);
    }
    if (rc != 0) {
        /* No state: capture the whole retained log. */
        cp->next = start;
        cp->win = -1;
        cp->last_name_s = -1;
        cp->win_files = 0;
    }
    if (cp->next < start) {
        atomic_fetch_add(&c->lost, (uint64_t)(start - cp->next));
        eddy_log_warn("capture.lost_to_retention",
                      "hub=%s partition=%d first=%" PRId64 " count=%" PRId64, t->name, p, cp->next,
                      start - cp->next);
        cp->next = start;
    }
    if (cp->next > hw) {
        /* The log lost durable-looking events (fsync never + a crash):
         * offsets the lake holds will be reused by new events. */
        eddy_log_warn("capture.log_behind_lake",
                      "hub=%s partition=%d captured_to=%" PRId64 " log_end=%" PRId64, t->name, p,
                      cp->next, hw);
        cp->next = hw;
    }
    cp->pos = cp->next;
    cp->loaded = true;
    return 0;
}

/* Makes the folder for a file name's date exist durably: created folders
 * are fsynced, and so is every parent up to the lake folder. */
static int ensure_dir(eddy_capture_part *cp, const char *date_dir, char *path, size_t pathlen)
{
    snprintf(path, pathlen, "%s/%s", cp->lake_part, date_dir);
    if (strcmp(cp->made_dir, date_dir) == 0) {
        return 0;
    }
    int rc = eddy_fs_mkdir_p(path, 0755);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s", path);
    while (rc == 0) {
        rc = eddy_fs_fsync_dir(tmp);
        char *slash = strrchr(tmp, '/');
        if (strlen(tmp) <= cp->lake_root_len || !slash || slash == tmp) {
            break;
        }
        *slash = '\0';
    }
    if (rc == 0) {
        snprintf(cp->made_dir, sizeof cp->made_dir, "%s", date_dir);
    }
    return rc;
}

static int open_file(const eddy_capture_config *cc, eddy_capture_part *cp, int64_t name_candidate_s)
{
    int64_t name = name_candidate_s;
    if (name <= cp->last_name_s) {
        name = cp->last_name_s + 1;
    }
    char tmpdir[4200];
    snprintf(tmpdir, sizeof tmpdir, "%s", cp->tmp_path);
    char *slash = strrchr(tmpdir, '/');
    if (slash) {
        *slash = '\0';
        int rc = eddy_fs_mkdir_p(tmpdir, 0755);
        if (rc != 0) {
            return rc;
        }
    }
    cp->fd = open(cp->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (cp->fd < 0) {
        return eddy_err_from_errno(errno);
    }
    eddy_avro_writer_opts o = {.codec = avro_codec(cc->codec), .level = 1, .block_bytes = 0};
    int rc = eddy_avro_writer_open(&cp->w, cp->fd, EDDY_AVRO_EVENTDATA_SCHEMA, &o);
    if (rc != 0) {
        cp->w = NULL;
        return rc;
    }
    cp->file_name_s = name;
    cp->file_events = 0;
    cp->file_first_ts = -1;
    return 0;
}

/* Finishes the open file: flush, fsync, rename into place, fsync the
 * folder, persist the state. complete: the window ends with it. */
static int finish_file(eddy_capture *c, eddy_topic *t, int32_t p, eddy_capture_part *cp,
                       const eddy_capture_config *cc, bool complete)
{
    int rc = eddy_avro_writer_close(cp->w);
    cp->w = NULL;
    if (rc == 0 && fdatasync(cp->fd) != 0) {
        rc = eddy_err_from_errno(errno);
    }
    struct stat sb;
    uint64_t size = 0;
    if (rc == 0 && fstat(cp->fd, &sb) == 0) {
        size = (uint64_t)sb.st_size;
    }
    close(cp->fd);
    cp->fd = -1;
    if (rc != 0) {
        unlink(cp->tmp_path);
        return rc;
    }
    char date_dir[64], dir[4200], path[4300];
    int ss;
    name_parts(cp->file_name_s, date_dir, sizeof date_dir, &ss);
    rc = ensure_dir(cp, date_dir, dir, sizeof dir);
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/%02d.avro", dir, ss);
        if (rename(cp->tmp_path, path) != 0) {
            rc = eddy_err_from_errno(errno);
        }
    }
    if (rc == 0) {
        rc = eddy_fs_fsync_dir(dir);
    }
    if (rc != 0) {
        unlink(cp->tmp_path);
        return rc;
    }
    /* The file is in place: move the state past it. */
    int64_t events = cp->file_events;
    if (cp->pos > cp->next) {
        cp->next_ts = -1;
    }
    cp->next = cp->pos;
    cp->last_name_s = cp->file_name_s;
    if (complete) {
        cp->win += cc->interval_ms;
        cp->win_files = 0;
        cp->seal_off = -1;
    } else {
        cp->win_files++;
    }
    cp->file_events = 0;
    atomic_fetch_add(&c->files, 1);
    atomic_fetch_add(&c->events, (uint64_t)events);
    atomic_fetch_add(&c->bytes, size);
    eddy_log_debug("capture.file", "hub=%s partition=%d path=%s events=%" PRId64 " bytes=%" PRIu64,
                   t->name, p, path, events, size);
    return state_save(cp, t->id);
}

/* Writes a window's empty file (when the window had no event). */
static int write_empty(eddy_capture *c, eddy_topic *t, int32_t p, eddy_capture_part *cp,
                       const eddy_capture_config *cc)
{
    int rc = open_file(cc, cp, cp->win / 1000);
    if (rc != 0) {
        return rc;
    }
    return finish_file(c, t, p, cp, cc, true);
}

/* The current window is complete: write its file (or an empty one, unless
 * skipped), then move to the next window; target_win is where the next
 * event (or now) lies: windows before it are empty. */
static int close_window(eddy_capture *c, eddy_topic *t, int32_t p, eddy_capture_part *cp,
                        const eddy_capture_config *cc, int64_t target_win)
{
    int64_t start_win = window_of(c->start_ms, cc->interval_ms);
    for (;;) {
        int rc = 0;
        if (cp->w) {
            rc = finish_file(c, t, p, cp, cc, true);
        } else if (cp->win_files == 0 && !cc->skip_empty && cp->win >= start_win &&
                   cp->win / 1000 > cp->last_name_s) {
            rc = write_empty(c, t, p, cp, cc);
        } else {
            cp->win += cc->interval_ms;
            cp->win_files = 0;
            cp->seal_off = -1;
        }
        if (rc != 0) {
            return rc;
        }
        /* Windows that ended before this process started get no empty
         * file: jump over them. */
        if (cp->win < start_win && target_win > cp->win) {
            cp->win = target_win < start_win ? target_win : start_win;
        }
        if (cp->win >= target_win) {
            return 0;
        }
    }
}

typedef enum { READ_CAUGHT_UP, READ_BOUNDARY, READ_MORE } read_result;

/* Reads records from cp->pos into the window's file until the log's high
 * watermark (CAUGHT_UP), a record of a later window (BOUNDARY, its window
 * start in *next_win), or the step's budget (MORE). */
static int read_records(eddy_capture *c, eddy_topic *t, int32_t p, eddy_capture_part *cp,
                        const eddy_capture_config *cc, bool by_time, read_result *res,
                        int64_t *next_win)
{
    eddy_log *log = t->parts[p].log;
    size_t budget = STEP_BUDGET;
    int64_t win_end = cp->win + cc->interval_ms;
    for (;;) {
        int64_t hw = eddy_log_high_watermark(log);
        if (cp->pos >= hw) {
            *res = READ_CAUGHT_UP;
            return 0;
        }
        if (budget == 0) {
            *res = READ_MORE;
            return 0;
        }
        eddy_log_slice sl;
        int rc = eddy_log_read(log, cp->pos, READ_CHUNK, &sl);
        if (rc == EDDY_ERR_OFFSET_OUT_OF_RANGE) {
            int64_t start = eddy_log_start_offset(log);
            if (cp->pos < start) {
                atomic_fetch_add(&c->lost, (uint64_t)(start - cp->pos));
                eddy_log_warn("capture.lost_to_retention",
                              "hub=%s partition=%d first=%" PRId64 " count=%" PRId64, t->name, p,
                              cp->pos, start - cp->pos);
                if (cp->pos == cp->next) {
                    cp->next = start;
                    cp->next_ts = -1;
                }
                cp->pos = start;
                continue;
            }
            *res = READ_CAUGHT_UP;
            return 0;
        }
        if (rc != 0) {
            return rc;
        }
        if (sl.len == 0) {
            eddy_log_slice_release(&sl);
            *res = READ_CAUGHT_UP;
            return 0;
        }
        eddy_buf_reset(&cp->rbuf);
        size_t want = sl.len;
        uint8_t *dst = eddy_buf_extend(&cp->rbuf, want);
        size_t got = 0;
        rc = dst ? eddy_fs_pread_full(sl.fd, dst, want, sl.pos, &got) : EDDY_ERR_NOMEM;
        eddy_log_slice_release(&sl);
        if (rc == 0 && got != want) {
            rc = EDDY_ERR_KAFKA_STORAGE_ERROR;
        }
        if (rc != 0) {
            return rc;
        }
        budget = budget > got ? budget - got : 0;
        eddy_batch_iter bi;
        eddy_batch_iter_init(&bi, dst, got);
        const uint8_t *bp;
        eddy_batch_header bh;
        int64_t before = cp->pos, last_end = -1;
        while (eddy_batch_iter_next(&bi, &bp, &bh)) {
            last_end = bh.base_offset + bh.last_offset_delta;
            if (last_end < cp->pos) {
                continue;
            }
            eddy_record_iter ri;
            rc = eddy_record_iter_init(&ri, bp, eddy_batch_total_size(&bh), &cp->scratch, 0);
            eddy_record rec;
            while (rc == 0 && eddy_record_iter_next(&ri, &rec)) {
                if (rec.offset < cp->pos) {
                    continue;
                }
                bool later = by_time ? rec.timestamp >= win_end
                                     : (cp->seal_off >= 0 && rec.offset >= cp->seal_off);
                if (later) {
                    eddy_record_iter_deinit(&ri);
                    *res = READ_BOUNDARY;
                    *next_win = by_time ? window_of(rec.timestamp, cc->interval_ms) : win_end;
                    return 0;
                }
                if (cp->pos == cp->next) {
                    cp->next_ts = rec.timestamp;
                }
                if (!cp->w) {
                    int64_t cand = cp->win / 1000;
                    if (cp->win_files > 0 && rec.timestamp / 1000 > cand) {
                        cand = rec.timestamp / 1000;
                    }
                    rc = open_file(cc, cp, cand);
                    if (rc != 0) {
                        break;
                    }
                }
                /* Headers become Properties. */
                size_t nh = rec.header_count > 0 ? (size_t)rec.header_count : 0;
                if (nh > cp->props_cap) {
                    eddy_avro_kv *np = realloc(cp->props, nh * sizeof *np);
                    if (!np) {
                        rc = EDDY_ERR_NOMEM;
                        break;
                    }
                    cp->props = np;
                    cp->props_cap = nh;
                }
                eddy_header_iter hi;
                eddy_header_iter_init(&hi, &rec);
                eddy_record_header h;
                size_t k = 0;
                while (k < nh && eddy_header_iter_next(&hi, &h)) {
                    cp->props[k++] =
                        (eddy_avro_kv){h.key.ptr, (size_t)h.key.len, h.value.ptr, h.value.len};
                }
                eddy_avro_event ev = {
                    .sequence_number = rec.offset,
                    .enqueued_ms = rec.timestamp,
                    .key = rec.key.ptr,
                    .key_len = rec.key.len,
                    .body = rec.value.ptr,
                    .body_len = rec.value.len,
                    .props = cp->props,
                    .nprops = k,
                };
                eddy_avro_eventdata_encode(eddy_avro_writer_datum(cp->w), &ev);
                rc = eddy_avro_writer_end_datum(cp->w);
                if (rc != 0) {
                    break;
                }
                if (cp->file_events++ == 0) {
                    cp->file_first_ts = rec.timestamp;
                }
                cp->pos = rec.offset + 1;
                if (eddy_avro_writer_file_bytes(cp->w) + eddy_avro_writer_pending_bytes(cp->w) >=
                    (uint64_t)cc->size_bytes) {
                    /* Size window: this file ends, the time window goes on. */
                    rc = finish_file(c, t, p, cp, cc, false);
                    if (rc != 0) {
                        break;
                    }
                }
            }
            if (rc == 0 && ri.err != 0) {
                rc = ri.err;
            }
            eddy_record_iter_deinit(&ri);
            if (rc != 0) {
                return rc;
            }
        }
        if (bi.err != 0) {
            return bi.err;
        }
        if (cp->pos == before) {
            /* No progress over a whole read: the batch's records end below
             * its lastOffsetDelta (offsets without records). Step past. */
            if (last_end < cp->pos) {
                return EDDY_ERR_CORRUPT;
            }
            cp->pos = last_end + 1;
        }
    }
}

/* Retention keeps what no finished file holds, up to capture-hold past the
 * hub's retention period (then it deletes, and capture reports the loss). */
static void update_floor(eddy_capture *c, eddy_topic *t, int32_t p, eddy_capture_part *cp,
                         int64_t now)
{
    eddy_log *log = t->parts[p].log;
    int64_t retention = atomic_load(&t->retention_ms);
    int64_t hold = c->hub->cfg.capture_hold_ms;
    int64_t oldest = cp->next_ts;
    bool release = retention >= 0 && hold >= 0 && oldest >= 0 && now - oldest > retention + hold;
    eddy_log_set_retention_floor(log, release ? INT64_MAX : cp->next);
    if (retention >= 0 && oldest >= 0 && now - oldest > retention &&
        (now >= cp->warn_at || release != cp->floor_released)) {
        eddy_log_warn(release ? "capture.hold_released" : "capture.holding_retention",
                      "hub=%s partition=%d uncaptured_from=%" PRId64 " age_ms=%" PRId64, t->name, p,
                      cp->next, now - oldest);
        cp->warn_at = now + WARN_EVERY_MS;
    }
    cp->floor_released = release;
}

/* One round of one partition. Returns true when it has more to do now. */
static bool part_step(eddy_capture *c, eddy_topic *t, int32_t p, const eddy_capture_config *cc,
                      int64_t now)
{
    eddy_partition *part = &t->parts[p];
    eddy_capture_part *cp = part->cap;
    if (!cp) {
        cp = part->cap = part_new(c, t, p, cc->dir);
        if (!cp) {
            return false;
        }
    }
    if (now < cp->retry_at) {
        update_floor(c, t, p, cp, now);
        return false;
    }
    if (!cp->loaded) {
        part_load(c, t, p, cp);
    }
    eddy_log *log = part->log;
    bool by_time = atomic_load(&t->timestamp_type) == EDDY_TS_APPEND;
    if (cp->win < 0) {
        /* The first window: that of the first event, or of now. */
        cp->win = window_of(now, cc->interval_ms);
        if (by_time && cp->pos < eddy_log_high_watermark(log)) {
            eddy_log_slice sl;
            if (eddy_log_read(log, cp->pos, 1, &sl) == 0) {
                uint8_t hb[EDDY_BATCH_HEADER_SIZE];
                size_t got = 0;
                eddy_batch_header bh;
                if (sl.len >= sizeof hb &&
                    eddy_fs_pread_full(sl.fd, hb, sizeof hb, sl.pos, &got) == 0 &&
                    got == sizeof hb && eddy_batch_header_parse(hb, sizeof hb, &bh) == 0) {
                    cp->win = window_of(bh.max_timestamp, cc->interval_ms);
                }
                eddy_log_slice_release(&sl);
            }
        }
    }
    bool more = false;
    for (int guard = 0; guard < 1000; guard++) {
        int64_t win_end = cp->win + cc->interval_ms;
        if (cp->seal_off < 0 && now >= win_end) {
            cp->seal_off = eddy_log_seal_time(log, win_end);
        }
        read_result res;
        int64_t next_win = -1;
        int rc = read_records(c, t, p, cp, cc, by_time, &res, &next_win);
        if (rc == 0 && res == READ_BOUNDARY) {
            rc = close_window(c, t, p, cp, cc, next_win);
            if (rc == 0) {
                continue;
            }
        }
        if (rc == 0 && res == READ_CAUGHT_UP && cp->seal_off >= 0 && cp->pos >= cp->seal_off) {
            /* One window at a time: the next is sealed before it closes. */
            rc = close_window(c, t, p, cp, cc, cp->win + cc->interval_ms);
            if (rc == 0) {
                continue;
            }
        }
        if (rc != 0) {
            part_fail(c, t, p, cp, "write capture file", rc, now);
            update_floor(c, t, p, cp, now);
            return false;
        }
        more = res == READ_MORE;
        break;
    }
    cp->backoff_ms = 0;
    update_floor(c, t, p, cp, now);
    return more;
}

/* ---- thread ------------------------------------------------------------- */

static bool capture_round(eddy_capture *c)
{
    eddy_hub *hub = c->hub;
    pthread_rwlock_rdlock(&hub->topics_lock);
    eddy_topic **list = malloc(hub->topics.count * sizeof *list + 1);
    size_t n = 0, it = 0;
    void *v;
    while (list && eddy_map_next(&hub->topics, &it, NULL, NULL, &v)) {
        eddy_topic *t = v;
        atomic_fetch_add(&t->refs, 1);
        list[n++] = t;
    }
    pthread_rwlock_unlock(&hub->topics_lock);
    bool more = false;
    for (size_t i = 0; i < n; i++) {
        eddy_topic *t = list[i];
        eddy_capture_config cc;
        eddy_hub_config_capture(&hub->cfg, t->name, &cc);
        if (cc.enabled && !atomic_load(&t->deleted)) {
            for (int32_t p = 0; p < t->npartitions; p++) {
                pthread_mutex_lock(&c->mu);
                bool stop = c->stop;
                pthread_mutex_unlock(&c->mu);
                if (stop) {
                    break;
                }
                more |= part_step(c, t, p, &cc, eddy_clock_wall_ms());
                eddy_capture_part *cp = t->parts[p].cap;
                if (cp && cp->win >= 0 && cp->win + cc.interval_ms < c->wake_ms) {
                    c->wake_ms = cp->win + cc.interval_ms;
                }
            }
        }
        eddy_hub_topic_put(t);
    }
    free(list);
    return more;
}

static void *capture_main(void *arg)
{
    eddy_capture *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->stop) {
        pthread_mutex_unlock(&c->mu);
        c->wake_ms = INT64_MAX;
        bool more = capture_round(c);
        pthread_mutex_lock(&c->mu);
        if (!more && !c->stop) {
            /* Sleep one tick (new events for size windows, new hubs), or
             * less: until the next window ends, so it closes on time. */
            int64_t sleep_ms = TICK_MS, until = c->wake_ms - eddy_clock_wall_ms();
            if (until < sleep_ms) {
                sleep_ms = until < 1 ? 1 : until;
            }
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_nsec += sleep_ms * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&c->cv, &c->mu, &ts);
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int eddy_capture_new(eddy_hub *hub, eddy_capture **out)
{
    eddy_capture *c = calloc(1, sizeof *c);
    if (!c) {
        return EDDY_ERR_NOMEM;
    }
    c->hub = hub;
    pthread_mutex_init(&c->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cv, &ca);
    pthread_condattr_destroy(&ca);
    *out = c;
    return 0;
}

int eddy_capture_start(eddy_capture *c)
{
    c->start_ms = eddy_clock_wall_ms();
    if (pthread_create(&c->thread, NULL, capture_main, c) != 0) {
        return EDDY_ERR_NOMEM;
    }
    /* Named for top -H, perf and the capture benchmark, which reads the
     * thread's CPU time from /proc/self/task/TID/stat by this name. */
    pthread_setname_np(c->thread, "eddy-capture");
    c->started = true;
    return 0;
}

void eddy_capture_stop(eddy_capture *c)
{
    if (!c || !c->started) {
        return;
    }
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    c->started = false;
}

void eddy_capture_free(eddy_capture *c)
{
    if (!c) {
        return;
    }
    eddy_capture_stop(c);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}

void eddy_capture_get_stats(eddy_capture *c, eddy_capture_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!c) {
        return;
    }
    out->files = atomic_load(&c->files);
    out->events = atomic_load(&c->events);
    out->bytes = atomic_load(&c->bytes);
    out->errors = atomic_load(&c->errors);
    out->lost = atomic_load(&c->lost);
}

/* Sinks of streaming queries (sink.h). */
#include "stream/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/kafka.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/value.h"

typedef enum { SK_STDOUT, SK_FILE, SK_HUB } sk_kind;

struct ssink {
    eddy_sql_sink base; /* first: the executor's view */
    sk_kind kind;
    eddy_sql_out_format fmt;
    eddy_sql_sink *inner; /* formats into buf */
    eddy_buf buf;         /* formatted, not yet written */
    eddy_buf header;      /* csv: the header line, for every new file */
    const char *const *names;
    const eddy_sql_vtype *types;
    uint32_t ncols;
    uint64_t pending_rows; /* table: rows held by inner */
    bool muted;
    uint64_t rows;
    /* stdout */
    FILE *fp;
    bool header_done;
    /* file */
    char *path;
    int fd;
    uint32_t index;
    uint64_t bytes;
    int64_t roll_bytes, roll_us;
    int64_t opened_us;
    /* hub */
    rd_kafka_t *rk;
    char *hub;
    int32_t key_col;
    eddy_buf lines;
    char msg[256];
};

static int inner_start(ssink *s)
{
    eddy_sql_out_format f = s->kind == SK_HUB ? EDDY_SQL_OUT_JSONL : s->fmt;
    s->inner = eddy_sql_out_new(f, NULL, s->kind == SK_HUB ? &s->lines : &s->buf);
    if (!s->inner) {
        return -1;
    }
    return s->inner->start(s->inner, s->names, s->types, s->ncols);
}

static int sk_start(eddy_sql_sink *base, const char *const *names, const eddy_sql_vtype *types,
                    uint32_t ncols)
{
    ssink *s = (ssink *)base;
    s->names = names;
    s->types = types;
    s->ncols = ncols;
    if (inner_start(s) != 0) {
        snprintf(base->msg, sizeof base->msg, "out of memory");
        return -1;
    }
    /* csv's header: kept for every file the sink begins */
    eddy_buf_reset(&s->header);
    eddy_buf_append(&s->header, s->buf.data ? s->buf.data : (const uint8_t *)"", s->buf.len);
    eddy_buf_reset(&s->buf);
    return s->header.err ? -1 : 0;
}

static int produce_lines(ssink *s, const eddy_sql_chunk *c)
{
    /* one line per row, in row order */
    const char *p = (const char *)s->lines.data, *end = p + s->lines.len;
    char kbuf[64];
    eddy_buf kb;
    eddy_buf_init(&kb, 0);
    for (uint32_t r = 0; r < c->nrows && p < end; r++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const void *key = NULL;
        size_t klen = 0;
        if (s->key_col >= 0 && (uint32_t)s->key_col < c->ncols) {
            eddy_sql_value v = eddy_sql_vec_get(&c->cols[s->key_col], r);
            if (v.type == EDDY_SQL_V_STRING) {
                key = v.s.p;
                klen = v.s.len;
            } else if (v.type == EDDY_SQL_V_INT) {
                klen = (size_t)snprintf(kbuf, sizeof kbuf, "%lld", (long long)v.i);
                key = kbuf;
            } else if (v.type != EDDY_SQL_V_NULL) {
                eddy_buf_reset(&kb);
                eddy_sql_value_json(&kb, &v);
                key = kb.data;
                klen = kb.len;
            }
        }
        for (;;) {
            rd_kafka_resp_err_t e = rd_kafka_producev(
                s->rk, RD_KAFKA_V_TOPIC(s->hub), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_VALUE((void *)p, n), RD_KAFKA_V_KEY(key, klen), RD_KAFKA_V_END);
            if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                rd_kafka_poll(s->rk, 10);
                continue;
            }
            if (e) {
                snprintf(s->base.msg, sizeof s->base.msg, "cannot produce to hub %s: %s", s->hub,
                         rd_kafka_err2str(e));
                eddy_buf_deinit(&kb);
                return -1;
            }
            break;
        }
        p += n + 1;
    }
    eddy_buf_deinit(&kb);
    rd_kafka_poll(s->rk, 0);
    return 0;
}

static int sk_add(eddy_sql_sink *base, const eddy_sql_chunk *c)
{
    ssink *s = (ssink *)base;
    s->rows += s->muted ? 0 : c->nrows;
    if (s->kind == SK_HUB) {
        eddy_buf_reset(&s->lines);
        if (s->inner->format(s->inner, c, &s->lines) != 0 || s->lines.err) {
            snprintf(base->msg, sizeof base->msg, "out of memory");
            return -1;
        }
        return s->muted ? 0 : produce_lines(s, c);
    }
    if (s->inner->format) {
        if (s->inner->format(s->inner, c, &s->buf) != 0 || s->buf.err) {
            snprintf(base->msg, sizeof base->msg, "out of memory");
            return -1;
        }
    } else {
        if (s->inner->add(s->inner, c) != 0) {
            snprintf(base->msg, sizeof base->msg, "%s", s->inner->msg);
            return -1;
        }
        s->pending_rows += c->nrows;
    }
    if (s->muted) {
        eddy_buf_reset(&s->buf);
    }
    return 0;
}

static int sk_end(eddy_sql_sink *base)
{
    (void)base;
    return 0; /* the driver closes the sink (ssink_close) */
}

static int sk_write(eddy_sql_sink *base, const uint8_t *p, size_t n)
{
    (void)base;
    (void)p;
    (void)n;
    return 0; /* never called: format is NULL */
}

static ssink *sk_new(sk_kind kind, eddy_sql_out_format fmt)
{
    ssink *s = calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    s->kind = kind;
    s->fmt = fmt;
    s->fd = -1;
    s->key_col = -1;
    s->base.start = sk_start;
    s->base.format = NULL;
    s->base.write = sk_write;
    s->base.add = sk_add;
    s->base.end = sk_end;
    eddy_buf_init(&s->buf, 0);
    eddy_buf_init(&s->header, 0);
    eddy_buf_init(&s->lines, 0);
    return s;
}

ssink *ssink_stdout(eddy_sql_out_format fmt, FILE *fp)
{
    ssink *s = sk_new(SK_STDOUT, fmt);
    if (s) {
        s->fp = fp;
    }
    return s;
}

ssink *ssink_file(eddy_sql_out_format fmt, const char *path, int64_t roll_bytes, int64_t roll_us)
{
    ssink *s = sk_new(SK_FILE, fmt);
    if (s && !(s->path = strdup(path))) {
        ssink_free(s);
        return NULL;
    }
    if (s) {
        s->roll_bytes = roll_bytes;
        s->roll_us = roll_us;
    }
    return s;
}

ssink *ssink_hub(const eddy_client_config *cfg, const char *hub, int32_t key_col, char *err,
                 size_t errlen)
{
    ssink *s = sk_new(SK_HUB, EDDY_SQL_OUT_JSONL);
    if (!s || !(s->hub = strdup(hub))) {
        ssink_free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->key_col = key_col;
    eddy_client_config c = *cfg;
    (void)c;
    s->rk = eddy_client_new(RD_KAFKA_PRODUCER, "query", cfg, NULL, NULL, err, errlen);
    if (!s->rk) {
        ssink_free(s);
        return NULL;
    }
    return s;
}

eddy_sql_sink *ssink_sql(ssink *s)
{
    return &s->base;
}

static bool rolling(const ssink *s)
{
    return s->roll_bytes > 0 || s->roll_us > 0;
}

static void file_name(const ssink *s, uint32_t index, char *out, size_t n)
{
    if (rolling(s)) {
        snprintf(out, n, "%s.%06u", s->path, index);
    } else {
        snprintf(out, n, "%s", s->path);
    }
}

static int open_index(ssink *s, uint32_t index, bool truncate, uint64_t bytes, char *err,
                      size_t errlen)
{
    char name[4096];
    file_name(s, index, name, sizeof name);
    if (s->fd >= 0) {
        close(s->fd);
    }
    s->fd = open(name, O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0644);
    if (s->fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", name, strerror(errno));
        return -1;
    }
    if (!truncate) {
        struct stat sb;
        if (fstat(s->fd, &sb) != 0 || (uint64_t)sb.st_size < bytes) {
            snprintf(err, errlen,
                     "%s holds %lld bytes, fewer than the checkpoint's %llu: it was changed "
                     "since",
                     name, (long long)sb.st_size, (unsigned long long)bytes);
            return -1;
        }
        if (ftruncate(s->fd, (off_t)bytes) != 0 || lseek(s->fd, (off_t)bytes, SEEK_SET) < 0) {
            snprintf(err, errlen, "cannot truncate %s: %s", name, strerror(errno));
            return -1;
        }
    }
    s->index = index;
    s->bytes = bytes;
    return 0;
}

int ssink_open(ssink *s, bool restore, uint32_t index, uint64_t bytes, uint64_t rows, char *err,
               size_t errlen)
{
    if (s->kind != SK_FILE) {
        s->rows = restore ? rows : 0;
        return 0;
    }
    s->rows = restore ? rows : 0;
    if (!restore) {
        /* a fresh run: earlier rolled files of the same name go */
        for (uint32_t i = 2;; i++) {
            char name[4096];
            file_name(s, i, name, sizeof name);
            if (!rolling(s) || unlink(name) != 0) {
                break;
            }
        }
        return open_index(s, rolling(s) ? 1 : 0, true, 0, err, errlen);
    }
    /* files written after the checkpoint are not the output's */
    for (uint32_t i = index + 1; rolling(s); i++) {
        char name[4096];
        file_name(s, i, name, sizeof name);
        if (unlink(name) != 0) {
            break;
        }
    }
    return open_index(s, index, false, bytes, err, errlen);
}

static int write_all(ssink *s, const uint8_t *p, size_t n, char *err, size_t errlen)
{
    while (n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            snprintf(err, errlen, "cannot write %s: %s", s->path, strerror(errno));
            return -1;
        }
        p += w;
        n -= (size_t)w;
        s->bytes += (uint64_t)w;
    }
    return 0;
}

int ssink_flush(ssink *s, int64_t now_us, char *err, size_t errlen)
{
    if (s->kind == SK_HUB) {
        rd_kafka_poll(s->rk, 0);
        return 0;
    }
    if (s->pending_rows > 0) {
        /* a table per batch of rows: its end prints it */
        if (s->inner->end(s->inner) != 0) {
            snprintf(err, errlen, "%s", s->inner->msg);
            return -1;
        }
        eddy_sql_out_free(s->inner);
        s->inner = NULL;
        s->pending_rows = 0;
        size_t keep = s->buf.len;
        if (inner_start(s) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        s->buf.len = keep;
    }
    if (s->muted) {
        eddy_buf_reset(&s->buf);
        return 0;
    }
    if (s->buf.err) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (s->kind == SK_STDOUT) {
        if (!s->header_done && s->header.len) {
            fwrite(s->header.data, 1, s->header.len, s->fp);
        }
        s->header_done = true;
        if (s->buf.len) {
            fwrite(s->buf.data, 1, s->buf.len, s->fp);
            fflush(s->fp);
        }
        eddy_buf_reset(&s->buf);
        if (ferror(s->fp)) {
            snprintf(err, errlen, "cannot write the output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (s->buf.len == 0) {
        return 0;
    }
    if (rolling(s) && s->bytes > 0 &&
        ((s->roll_bytes > 0 && s->bytes >= (uint64_t)s->roll_bytes) ||
         (s->roll_us > 0 && now_us - s->opened_us >= s->roll_us))) {
        if ((fsync(s->fd) != 0 && errno != EINVAL) ||
            open_index(s, s->index + 1, true, 0, err, errlen) != 0) {
            if (!err[0]) {
                snprintf(err, errlen, "cannot write %s: %s", s->path, strerror(errno));
            }
            return -1;
        }
    }
    if (s->bytes == 0) {
        s->opened_us = now_us;
        if (s->header.len && write_all(s, s->header.data, s->header.len, err, errlen) != 0) {
            return -1;
        }
    }
    int rc = write_all(s, s->buf.data, s->buf.len, err, errlen);
    eddy_buf_reset(&s->buf);
    return rc;
}

int ssink_sync(ssink *s, int64_t now_us, char *err, size_t errlen)
{
    if (ssink_flush(s, now_us, err, errlen) != 0) {
        return -1;
    }
    /* EINVAL: a file that cannot be synced (/dev/null, a pipe): nothing to make durable */
    if (s->kind == SK_FILE && fsync(s->fd) != 0 && errno != EINVAL) {
        snprintf(err, errlen, "cannot sync %s: %s", s->path, strerror(errno));
        return -1;
    }
    if (s->kind == SK_HUB) {
        rd_kafka_resp_err_t e = rd_kafka_flush(s->rk, 30000);
        if (e) {
            snprintf(err, errlen, "cannot deliver to hub %s: %s", s->hub, rd_kafka_err2str(e));
            return -1;
        }
    }
    return 0;
}

void ssink_position(const ssink *s, uint32_t *index, uint64_t *bytes, uint64_t *rows)
{
    *index = s->index;
    *bytes = s->bytes;
    *rows = s->rows;
}

void ssink_mute(ssink *s, bool on)
{
    s->muted = on;
}

int ssink_close(ssink *s, int64_t now_us, char *err, size_t errlen)
{
    return ssink_sync(s, now_us, err, errlen);
}

void ssink_free(ssink *s)
{
    if (!s) {
        return;
    }
    eddy_sql_out_free(s->inner);
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->rk) {
        rd_kafka_flush(s->rk, 10000);
        rd_kafka_destroy(s->rk);
    }
    eddy_buf_deinit(&s->buf);
    eddy_buf_deinit(&s->header);
    eddy_buf_deinit(&s->lines);
    free(s->path);
    free(s->hub);
    free(s);
}

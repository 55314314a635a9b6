/* eddy lake: look into a lake of Event Hubs Capture files.
 *
 *   eddy lake ls DIR [--files]      one line per hub partition (files,
 *                                   events, bytes, first/last sequence
 *                                   number and enqueued time); --files adds
 *                                   one line per file
 *   eddy lake cat FILE|DIR [--limit N]
 *                                   events as JSON lines, files in path
 *                                   (= time) order
 *   eddy lake verify --hub NAME --lake DIR [--namespace NS]
 *                                   the hub's log against the lake: every
 *                                   event exactly once, same key, body and
 *                                   headers
 *
 * The lake's layout is Capture's: {ns}/{hub}/{partition}/YYYY/MM/DD/hh/mm/
 * ss.avro. Names starting with '.' (capture's temporary files, the
 * .eddy-tmp folder) are skipped. A damaged file is named with the block
 * and byte where reading failed; ls reports it and goes on, cat stops,
 * verify counts the partition as failed. Exit status: 0 fine, 1 a damaged
 * file or (verify) not exactly once, 2 usage. docs/avro.md has the output
 * formats. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "cli/cli.h"
#include "client/config.h"
#include "client/kafka.h"
#include "client/parse.h"
#include "core/buf.h"
#include "core/map.h"
#include "gen/json.h"

#define TIMEOUT_MS 30000

/* ---- the file tree -------------------------------------------------- */

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static int list_add(path_list *l, const char *p)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            return -1;
        }
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n] = strdup(p);
    return l->v[l->n++] ? 0 : -1;
}

static void list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Collects the .avro files under dir (relative paths, with rel as their
 * prefix), skipping names that start with '.'. Returns 0 or -1 (message
 * printed). */
static int walk(const char *dir, const char *rel, path_list *out, int depth)
{
    if (depth > 32) {
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "eddy lake: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char full[PATH_MAX], sub[PATH_MAX];
        if (snprintf(full, sizeof full, "%s/%s", dir, e->d_name) >= (int)sizeof full ||
            snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >=
                (int)sizeof sub) {
            continue;
        }
        struct stat st;
        if (stat(full, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (walk(full, sub, out, depth + 1)) {
                rc = -1;
            }
        } else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".avro")) {
            if (list_add(out, sub)) {
                rc = -1;
            }
        }
    }
    closedir(d);
    return rc;
}

/* The files of FILE|DIR, sorted; *base receives the folder paths are
 * relative to ("" for a single file). */
static int collect(const char *arg, path_list *out, const char **base)
{
    struct stat st;
    if (stat(arg, &st) != 0) {
        fprintf(stderr, "eddy lake: %s: %s\n", arg, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        *base = "";
        return list_add(out, arg);
    }
    *base = arg;
    int rc = walk(arg, "", out, 0);
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
    return rc;
}

static void join(char *buf, size_t n, const char *base, const char *rel)
{
    if (*base) {
        snprintf(buf, n, "%s/%s", base, rel);
    } else {
        snprintf(buf, n, "%s", rel);
    }
}

/* ---- reading one file ----------------------------------------------- */

typedef struct file_stats {
    int64_t events;
    uint64_t bytes;
    eddy_avro_codec codec;
    bool eventdata;
    int64_t first_seq, last_seq; /* min and max */
    char first_time[EDDY_AVRO_TIME_LEN + 1], last_time[EDDY_AVRO_TIME_LEN + 1];
    char err[512];
} file_stats;

typedef int (*event_fn)(const eddy_avro_eventdata *ev, void *ctx);

/* Reads a file: EventData datums go to fn (may be NULL) and into the
 * stats; other schemas are counted by block. Returns 0, or -1 with
 * st->err holding "block N at byte X: ..." (or a system error). */
static int read_file(const char *path, file_stats *st, event_fn fn, void *ctx)
{
    memset(st, 0, sizeof *st);
    st->first_seq = INT64_MAX;
    st->last_seq = INT64_MIN;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(st->err, sizeof st->err, "%s", strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0) {
        st->bytes = (uint64_t)sb.st_size;
    }
    eddy_avro_reader *r;
    eddy_avro_error err;
    if (eddy_avro_reader_open_fd(&r, fd, NULL, &err)) {
        snprintf(st->err, sizeof st->err, "%s", err.msg);
        close(fd);
        return -1;
    }
    st->codec = eddy_avro_reader_codec(r);
    st->eventdata = eddy_avro_schema_is_eventdata(eddy_avro_reader_schema(r));
    int rc = 0;
    if (!st->eventdata) {
        eddy_avro_block b;
        while ((rc = eddy_avro_reader_next_block(r, &b)) == 1) {
            st->events += b.count;
        }
    } else {
        eddy_reader *dr;
        while ((rc = eddy_avro_reader_next(r, &dr)) == 1) {
            eddy_avro_eventdata ev;
            if (eddy_avro_eventdata_decode(eddy_avro_reader_decoder(r), dr, &ev)) {
                rc = eddy_avro_reader_fail_datum(r);
                break;
            }
            st->events++;
            if (ev.sequence_number < st->first_seq) {
                st->first_seq = ev.sequence_number;
            }
            if (ev.sequence_number > st->last_seq) {
                st->last_seq = ev.sequence_number;
            }
            if (ev.enqueued_len == EDDY_AVRO_TIME_LEN) {
                if (!st->first_time[0] ||
                    memcmp(ev.enqueued, st->first_time, ev.enqueued_len) < 0) {
                    memcpy(st->first_time, ev.enqueued, ev.enqueued_len);
                }
                if (memcmp(ev.enqueued, st->last_time, ev.enqueued_len) > 0) {
                    memcpy(st->last_time, ev.enqueued, ev.enqueued_len);
                }
            }
            if (fn && (rc = fn(&ev, ctx)) != 0) {
                break;
            }
        }
    }
    if (rc < 0) {
        snprintf(st->err, sizeof st->err, "%s", eddy_avro_reader_error(r)->msg);
    }
    eddy_avro_reader_close(r);
    close(fd);
    return rc < 0 ? -1 : rc;
}

/* ---- ls ------------------------------------------------------------- */

/* The hub partition a file belongs to: "ns/hub/partition" from the three
 * folders above YYYY/MM/DD/hh/mm/ss.avro of its absolute path. Returns false
 * for another layout. */
static bool group_of(const char *abs, char *group, size_t n)
{
    const char *parts[9]; /* components from the right */
    int np = 0;
    for (const char *p = abs + strlen(abs); p > abs && np < 9; p--) {
        if (p[-1] == '/') {
            parts[np++] = p;
        }
    }
    if (np < 9) {
        return false;
    }
    static const int widths[6] = {7, 2, 2, 2, 2, 4}; /* ss.avro, mm, hh, DD, MM, YYYY */
    for (int i = 0; i < 6; i++) {
        const char *s = parts[i];
        if (strcspn(s, "/") != (size_t)widths[i]) {
            return false;
        }
        for (int k = 0; k < (i == 0 ? 2 : widths[i]); k++) {
            if (s[k] < '0' || s[k] > '9') {
                return false;
            }
        }
    }
    snprintf(group, n, "%.*s", (int)(parts[5] - 1 - parts[8]), parts[8]);
    return true;
}

typedef struct group_stats {
    char name[PATH_MAX];
    int64_t files, corrupt, events;
    uint64_t bytes;
    int64_t first_seq, last_seq;
    char first_time[EDDY_AVRO_TIME_LEN + 1], last_time[EDDY_AVRO_TIME_LEN + 1];
} group_stats;

static void fmt_seq(char *buf, size_t n, int64_t v, bool have)
{
    if (have) {
        snprintf(buf, n, "%lld", (long long)v);
    } else {
        snprintf(buf, n, "-");
    }
}

static int lake_ls(const char *dir, bool files)
{
    path_list l = {0};
    const char *base;
    int status = EDDY_EXIT_OK;
    if (collect(dir, &l, &base)) {
        list_free(&l);
        return EDDY_EXIT_FAIL;
    }
    char absdir[PATH_MAX];
    if (!realpath(*base ? base : ".", absdir)) {
        snprintf(absdir, sizeof absdir, "%s", *base ? base : ".");
    }
    group_stats *g = calloc(l.n ? l.n : 1, sizeof *g);
    size_t ng = 0;
    if (!g) {
        list_free(&l);
        return EDDY_EXIT_FAIL;
    }
    if (files && l.n) {
        printf("%-48s %8s %10s %-7s %10s %10s  %-28s  %s\n", "FILE", "EVENTS", "BYTES", "CODEC",
               "FIRST_SEQ", "LAST_SEQ", "FIRST_ENQUEUED", "LAST_ENQUEUED");
    }
    for (size_t i = 0; i < l.n; i++) {
        char path[PATH_MAX * 2], abs[PATH_MAX * 2], name[PATH_MAX];
        join(path, sizeof path, base, l.v[i]);
        if (*base) {
            snprintf(abs, sizeof abs, "%s/%s", absdir, l.v[i]);
        } else if (!realpath(path, abs)) {
            snprintf(abs, sizeof abs, "%s", path);
        }
        if (!group_of(abs, name, sizeof name)) {
            /* Another layout: the file's folder. */
            const char *slash = strrchr(l.v[i], '/');
            snprintf(name, sizeof name, "%.*s", slash ? (int)(slash - l.v[i]) : 1,
                     slash ? l.v[i] : ".");
        }
        size_t k = 0;
        while (k < ng && strcmp(g[k].name, name) != 0) {
            k++;
        }
        if (k == ng) {
            ng++;
            snprintf(g[k].name, sizeof g[k].name, "%s", name);
            g[k].first_seq = INT64_MAX;
            g[k].last_seq = INT64_MIN;
        }
        file_stats st;
        bool bad = read_file(path, &st, NULL, NULL) != 0;
        g[k].files++;
        g[k].bytes += st.bytes;
        if (bad) {
            fprintf(stderr, "eddy lake: %s: %s\n", path, st.err);
            g[k].corrupt++;
            status = EDDY_EXIT_FAIL;
            if (files) {
                printf("%-48s CORRUPT: %s\n", l.v[i], st.err);
            }
            continue;
        }
        g[k].events += st.events;
        bool have = st.eventdata && st.events > 0;
        if (have) {
            g[k].first_seq = st.first_seq < g[k].first_seq ? st.first_seq : g[k].first_seq;
            g[k].last_seq = st.last_seq > g[k].last_seq ? st.last_seq : g[k].last_seq;
            if (st.first_time[0] &&
                (!g[k].first_time[0] || strcmp(st.first_time, g[k].first_time) < 0)) {
                memcpy(g[k].first_time, st.first_time, sizeof st.first_time);
            }
            if (strcmp(st.last_time, g[k].last_time) > 0) {
                memcpy(g[k].last_time, st.last_time, sizeof st.last_time);
            }
        }
        if (files) {
            char a[24], b[24];
            fmt_seq(a, sizeof a, st.first_seq, have);
            fmt_seq(b, sizeof b, st.last_seq, have);
            printf("%-48s %8lld %10llu %-7s %10s %10s  %-28s  %s\n", l.v[i], (long long)st.events,
                   (unsigned long long)st.bytes, eddy_avro_codec_name(st.codec), a, b,
                   have ? st.first_time : "-", have ? st.last_time : "-");
        }
    }
    if (files && l.n) {
        printf("\n");
    }
    if (ng == 0) {
        printf("no .avro files under %s\n", dir);
    } else {
        printf("%-32s %6s %10s %12s %10s %10s  %-28s  %s\n", "PARTITION", "FILES", "EVENTS",
               "BYTES", "FIRST_SEQ", "LAST_SEQ", "FIRST_ENQUEUED", "LAST_ENQUEUED");
    }
    for (size_t k = 0; k < ng; k++) {
        bool have = g[k].first_seq != INT64_MAX;
        char a[24], b[24];
        fmt_seq(a, sizeof a, g[k].first_seq, have);
        fmt_seq(b, sizeof b, g[k].last_seq, have);
        printf("%-32s %6lld %10lld %12llu %10s %10s  %-28s  %s", g[k].name, (long long)g[k].files,
               (long long)g[k].events, (unsigned long long)g[k].bytes, a, b,
               g[k].first_time[0] ? g[k].first_time : "-",
               g[k].last_time[0] ? g[k].last_time : "-");
        if (g[k].corrupt) {
            printf("  (%lld corrupt)", (long long)g[k].corrupt);
        }
        printf("\n");
    }
    free(g);
    list_free(&l);
    return status;
}

/* ---- cat ------------------------------------------------------------ */

typedef struct cat_state {
    eddy_buf out;
    int64_t limit; /* -1 = none */
    int64_t count;
    bool write_failed;
} cat_state;

static void put_lit(eddy_buf *b, const char *s)
{
    eddy_buf_append(b, s, strlen(s));
}

static void put_i64(eddy_buf *b, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    eddy_buf_append(b, num, (size_t)n);
}

/* Bytes as a JSON value: a string when UTF-8, else {"base64":"..."}. */
static void put_bytes_value(eddy_buf *b, const uint8_t *p, size_t n)
{
    if (eddy_utf8_valid(p, n)) {
        eddy_json_put_string(b, p, n);
        return;
    }
    put_lit(b, "{\"base64\":\"");
    eddy_base64_put(b, p, n);
    put_lit(b, "\"}");
}

static void put_props(eddy_buf *b, const uint8_t *p, size_t n)
{
    eddy_avro_props_iter it;
    eddy_avro_props_iter_init(&it, p, n);
    eddy_avro_prop prop;
    bool first = true;
    eddy_buf_put_u8(b, '{');
    while (eddy_avro_props_next(&it, &prop) == 1) {
        if (!first) {
            eddy_buf_put_u8(b, ',');
        }
        first = false;
        eddy_avro_json_put_string(b, prop.key, prop.key_len);
        eddy_buf_put_u8(b, ':');
        switch (prop.branch) {
        case EDDY_AVRO_PROP_LONG:
            put_i64(b, prop.l);
            break;
        case EDDY_AVRO_PROP_DOUBLE: {
            char num[40];
            if (prop.d != prop.d || prop.d - prop.d != 0) {
                snprintf(num, sizeof num, "\"%s\"",
                         prop.d != prop.d ? "NaN"
                         : prop.d > 0     ? "Infinity"
                                          : "-Infinity");
            } else {
                snprintf(num, sizeof num, "%.17g", prop.d);
            }
            put_lit(b, num);
            break;
        }
        case EDDY_AVRO_PROP_STRING:
            eddy_avro_json_put_string(b, prop.p, prop.n);
            break;
        default:
            put_bytes_value(b, prop.p, prop.n);
            break;
        }
    }
    eddy_buf_put_u8(b, '}');
}

static int flush_out(cat_state *cs)
{
    if (cs->out.err) {
        fprintf(stderr, "eddy lake: out of memory\n");
        return -1;
    }
    if (cs->out.len && fwrite(cs->out.data, 1, cs->out.len, stdout) != cs->out.len) {
        cs->write_failed = true;
        return -1;
    }
    eddy_buf_reset(&cs->out);
    return 0;
}

/* One EventData event as a JSON line (docs/avro.md "eddy lake cat"). */
static int cat_event(const eddy_avro_eventdata *ev, void *ctx)
{
    cat_state *cs = ctx;
    if (cs->limit >= 0 && cs->count >= cs->limit) {
        return 1;
    }
    eddy_buf *b = &cs->out;
    put_lit(b, "{\"SequenceNumber\":");
    put_i64(b, ev->sequence_number);
    put_lit(b, ",\"Offset\":");
    eddy_avro_json_put_string(b, ev->offset, ev->offset_len);
    put_lit(b, ",\"EnqueuedTimeUtc\":");
    eddy_avro_json_put_string(b, ev->enqueued, ev->enqueued_len);
    put_lit(b, ",\"SystemProperties\":");
    put_props(b, ev->sys, ev->sys_len);
    put_lit(b, ",\"Properties\":");
    put_props(b, ev->props, ev->props_len);
    put_lit(b, ",\"Body\":");
    if (ev->body_len < 0) {
        put_lit(b, "null");
    } else if (eddy_utf8_valid(ev->body, (size_t)ev->body_len)) {
        eddy_json_put_string(b, ev->body, (size_t)ev->body_len);
    } else {
        eddy_buf_put_u8(b, '"');
        eddy_base64_put(b, ev->body, (size_t)ev->body_len);
        put_lit(b, "\",\"BodyEncoding\":\"base64\"");
    }
    put_lit(b, "}\n");
    cs->count++;
    if (b->len > (1 << 16)) {
        return flush_out(cs) ? 1 : 0;
    }
    return 0;
}

/* A file of another schema: each datum as Avro's JSON encoding. */
static int cat_generic(const char *path, cat_state *cs, char *errbuf, size_t errlen)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(errbuf, errlen, "%s", strerror(errno));
        return -1;
    }
    eddy_avro_reader *r;
    eddy_avro_error err;
    if (eddy_avro_reader_open_fd(&r, fd, NULL, &err)) {
        snprintf(errbuf, errlen, "%s", err.msg);
        close(fd);
        return -1;
    }
    const eddy_avro_node *root = eddy_avro_schema_root(eddy_avro_reader_schema(r));
    eddy_reader *dr;
    int rc;
    while ((cs->limit < 0 || cs->count < cs->limit) && (rc = eddy_avro_reader_next(r, &dr)) == 1) {
        if (eddy_avro_datum_to_json(eddy_avro_reader_decoder(r), root, dr, &cs->out, 0)) {
            if (cs->out.err) {
                break;
            }
            rc = eddy_avro_reader_fail_datum(r);
            break;
        }
        eddy_buf_put_u8(&cs->out, '\n');
        cs->count++;
        if (cs->out.len > (1 << 16) && flush_out(cs)) {
            break;
        }
    }
    rc = eddy_avro_reader_error(r)->code ? -1 : 0;
    if (rc) {
        snprintf(errbuf, errlen, "%s", eddy_avro_reader_error(r)->msg);
    }
    eddy_avro_reader_close(r);
    close(fd);
    return rc;
}

static bool is_eventdata_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return false;
    }
    eddy_avro_reader *r;
    bool ed = false;
    eddy_avro_reader_opts o = {.read_size = 64 * 1024};
    if (eddy_avro_reader_open_fd(&r, fd, &o, NULL) == 0) {
        ed = eddy_avro_schema_is_eventdata(eddy_avro_reader_schema(r));
        eddy_avro_reader_close(r);
    }
    close(fd);
    return ed;
}

static int lake_cat(const char *arg, int64_t limit)
{
    path_list l = {0};
    const char *base;
    if (collect(arg, &l, &base)) {
        list_free(&l);
        return EDDY_EXIT_FAIL;
    }
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    signal(SIGPIPE, SIG_IGN);
    cat_state cs = {.limit = limit};
    eddy_buf_init(&cs.out, 0);
    int status = EDDY_EXIT_OK;
    for (size_t i = 0; i < l.n && (limit < 0 || cs.count < limit) && !cs.write_failed; i++) {
        char path[PATH_MAX * 2];
        join(path, sizeof path, base, l.v[i]);
        int rc;
        char err[512];
        if (is_eventdata_file(path)) {
            file_stats st;
            rc = read_file(path, &st, cat_event, &cs);
            snprintf(err, sizeof err, "%s", st.err);
        } else {
            rc = cat_generic(path, &cs, err, sizeof err);
        }
        if (flush_out(&cs)) {
            break;
        }
        if (rc < 0) {
            fflush(stdout);
            fprintf(stderr, "eddy lake: %s: %s\n", path, err);
            status = EDDY_EXIT_FAIL;
            break;
        }
    }
    if ((fflush(stdout) != 0 || cs.write_failed) && errno != EPIPE) {
        fprintf(stderr, "eddy lake: writing to standard output failed: %s\n", strerror(errno));
        status = EDDY_EXIT_FAIL;
    }
    eddy_buf_deinit(&cs.out);
    list_free(&l);
    return status;
}

/* ---- verify --------------------------------------------------------- */

/* What verify keeps per offset of a partition's log range [low, high). */
typedef struct part_check {
    int64_t low, high; /* the log's range at start */
    uint32_t *hash;    /* 3 per offset: key, body, headers */
    uint8_t *in_log;   /* 1 when the log delivered the offset */
    uint8_t *in_lake;  /* times seen in the lake (saturating) */
    uint8_t *diff;     /* bits: 1 key, 2 body, 4 headers */
    int64_t log_events, lake_events, after_start, before_start;
    int64_t corrupt_files, files;
    bool consumed; /* reached high */
} part_check;

static uint32_t h32(uint64_t h)
{
    return (uint32_t)(h ^ (h >> 32));
}

static uint32_t hash_key(const void *p, int64_t n)
{
    return n < 0 ? 0x6e756c6cu : h32(eddy_hash_bytes(p, (size_t)n, 1));
}

/* Headers hash: names as Capture stores them, null values as empty. */
typedef struct hdr_hash {
    uint64_t h;
    eddy_buf name;
} hdr_hash;

static void hdr_add(hdr_hash *hh, const void *k, size_t kn, const void *v, size_t vn)
{
    eddy_buf_reset(&hh->name);
    uint8_t *dst = eddy_buf_extend(&hh->name, kn * 3 + 1);
    size_t cn = dst ? eddy_avro_prop_name(k, kn, dst) : 0;
    uint64_t lens[2] = {cn, vn};
    hh->h = eddy_hash_bytes(lens, sizeof lens, hh->h);
    hh->h = eddy_hash_bytes(dst ? dst : (const uint8_t *)"", cn, hh->h);
    hh->h = eddy_hash_bytes(v, vn, hh->h);
}

typedef struct verify_state {
    rd_kafka_t *rk;
    const char *hub;
    part_check *parts;
    int nparts;
    hdr_hash hh;
} verify_state;

static int consume_log(verify_state *vs)
{
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(vs->nparts);
    int left = 0;
    for (int p = 0; p < vs->nparts; p++) {
        part_check *pc = &vs->parts[p];
        if (pc->high > pc->low) {
            rd_kafka_topic_partition_list_add(list, vs->hub, p)->offset = pc->low;
            left++;
        } else {
            pc->consumed = true;
        }
    }
    if (left == 0) {
        rd_kafka_topic_partition_list_destroy(list);
        return 0;
    }
    rd_kafka_resp_err_t e = rd_kafka_assign(vs->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (e) {
        fprintf(stderr, "eddy lake verify: %s\n", rd_kafka_err2str(e));
        return -1;
    }
    int64_t idle_ms = 0;
    while (left > 0) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(vs->rk, 200);
        if (!m) {
            idle_ms += 200;
            if (idle_ms >= TIMEOUT_MS) {
                fprintf(stderr, "eddy lake verify: no events from the hub for %d s\n",
                        TIMEOUT_MS / 1000);
                return -1;
            }
            continue;
        }
        idle_ms = 0;
        int p = m->partition;
        part_check *pc = p >= 0 && p < vs->nparts ? &vs->parts[p] : NULL;
        if (m->err) {
            bool eof = m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
            if (eof && pc && !pc->consumed && m->offset >= pc->high) {
                pc->consumed = true;
                left--;
            } else if (!eof) {
                fprintf(stderr, "eddy lake verify: %s\n", rd_kafka_message_errstr(m));
                if (m->err == RD_KAFKA_RESP_ERR__FATAL ||
                    m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
                    rd_kafka_message_destroy(m);
                    return -1;
                }
            }
            rd_kafka_message_destroy(m);
            continue;
        }
        if (pc && !pc->consumed && m->offset >= pc->low && m->offset < pc->high) {
            size_t i = (size_t)(m->offset - pc->low);
            if (!pc->in_log[i]) {
                pc->in_log[i] = 1;
                pc->log_events++;
            }
            pc->hash[3 * i] = hash_key(m->key, m->key ? (int64_t)m->key_len : -1);
            pc->hash[3 * i + 1] = hash_key(m->payload, m->payload ? (int64_t)m->len : -1);
            vs->hh.h = 7;
            rd_kafka_headers_t *hdrs;
            if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                const char *name;
                const void *val;
                size_t size;
                for (size_t k = 0; rd_kafka_header_get_all(hdrs, k, &name, &val, &size) == 0; k++) {
                    hdr_add(&vs->hh, name, strlen(name), val ? val : "", val ? size : 0);
                }
            }
            pc->hash[3 * i + 2] = h32(vs->hh.h);
        }
        if (pc && !pc->consumed && m->offset + 1 >= pc->high) {
            pc->consumed = true;
            left--;
        }
        rd_kafka_message_destroy(m);
    }
    return 0;
}

typedef struct lake_ctx {
    verify_state *vs;
    part_check *pc;
} lake_ctx;

static int lake_event(const eddy_avro_eventdata *ev, void *arg)
{
    lake_ctx *lc = arg;
    part_check *pc = lc->pc;
    pc->lake_events++;
    int64_t off = ev->sequence_number;
    if (off < pc->low) {
        pc->before_start++;
        return 0;
    }
    if (off >= pc->high) {
        pc->after_start++;
        return 0;
    }
    size_t i = (size_t)(off - pc->low);
    if (pc->in_lake[i] < 255) {
        pc->in_lake[i]++;
    }
    if (pc->in_lake[i] > 1 || !pc->in_log[i]) {
        return 0;
    }
    hdr_hash *hh = &lc->vs->hh;
    hh->h = 7;
    eddy_avro_props_iter it;
    eddy_avro_props_iter_init(&it, ev->props, ev->props_len);
    eddy_avro_prop prop;
    while (eddy_avro_props_next(&it, &prop) == 1) {
        /* Capture writes bytes; another writer's typed values are hashed
         * as their encoded text and will differ. */
        hdr_add(hh, prop.key, prop.key_len, prop.p ? prop.p : (const uint8_t *)"", prop.n);
    }
    uint8_t d = 0;
    d |= pc->hash[3 * i] != hash_key(ev->key, ev->key_len) ? 1 : 0;
    d |= pc->hash[3 * i + 1] != hash_key(ev->body, ev->body_len) ? 2 : 0;
    d |= pc->hash[3 * i + 2] != h32(hh->h) ? 4 : 0;
    pc->diff[i] = d;
    return 0;
}

/* Prints the offsets (low + i) where pred holds, as ranges, at most 20. */
static int64_t print_ranges(const char *what, const part_check *pc,
                            bool (*pred)(const part_check *, size_t))
{
    int64_t n = 0, shown = 0;
    size_t len = (size_t)(pc->high - pc->low);
    for (size_t i = 0; i < len;) {
        if (!pred(pc, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < len && pred(pc, j + 1)) {
            j++;
        }
        n += (int64_t)(j - i + 1);
        if (shown == 0) {
            printf("  %s:", what);
        }
        if (shown < 20) {
            if (j == i) {
                printf(" %lld", (long long)(pc->low + (int64_t)i));
            } else {
                printf(" %lld..%lld", (long long)(pc->low + (int64_t)i),
                       (long long)(pc->low + (int64_t)j));
            }
        }
        shown++;
        i = j + 1;
    }
    if (shown > 20) {
        printf(" (and %lld more ranges)", (long long)(shown - 20));
    }
    if (shown) {
        printf("\n");
    }
    return n;
}

static bool is_missing(const part_check *pc, size_t i)
{
    return pc->in_log[i] && pc->in_lake[i] == 0;
}

static bool is_doubled(const part_check *pc, size_t i)
{
    return pc->in_lake[i] > 1;
}

static bool is_diff(const part_check *pc, size_t i)
{
    return pc->diff[i] != 0;
}

/* Picks the namespace folder: --namespace, else the one folder under dir
 * holding hub (or the only folder at all). */
static int find_namespace(const char *dir, const char *hub, char *ns, size_t n)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "eddy lake verify: %s: %s\n", dir, strerror(errno));
        return EDDY_EXIT_FAIL;
    }
    int with_hub = 0, all = 0;
    char first_with[256] = "", first_any[256] = "";
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char p[PATH_MAX];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            continue;
        }
        all++;
        snprintf(first_any, sizeof first_any, "%s", e->d_name);
        snprintf(p, sizeof p, "%s/%s/%s", dir, e->d_name, hub);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            with_hub++;
            snprintf(first_with, sizeof first_with, "%s", e->d_name);
        }
    }
    closedir(d);
    if (with_hub == 1 || (with_hub == 0 && all == 1)) {
        snprintf(ns, n, "%s", with_hub ? first_with : first_any);
        return 0;
    }
    return eddy_cli_usage_error("lake",
                                "%d namespace folders under %s hold '%s'; name one with "
                                "--namespace NS",
                                with_hub, dir, hub);
}

static int lake_verify(const char *hub_arg, const char *lake, const char *ns_arg,
                       const char *bootstrap, const char *conn, eddy_client_props *props)
{
    int status = EDDY_EXIT_USAGE;
    eddy_client_config ccfg = {0};
    verify_state vs = {0};
    eddy_buf_init(&vs.hh.name, 0);
    char err[512], ns[256];
    path_list files = {0};
    eddy_client_opts copts = {.bootstrap = bootstrap,
                              .connection_string = conn,
                              .hub = hub_arg,
                              .props = props->v,
                              .nprops = props->n};
    if (eddy_client_config_build(&copts, &ccfg, err, sizeof err)) {
        eddy_cli_usage_error("lake", "%s", err);
        goto done;
    }
    if (!ccfg.hub) {
        eddy_cli_usage_error("lake", "verify needs --hub NAME");
        goto done;
    }
    if (!lake) {
        eddy_cli_usage_error("lake", "verify needs --lake DIR");
        goto done;
    }
    vs.hub = ccfg.hub;
    if (ns_arg) {
        snprintf(ns, sizeof ns, "%s", ns_arg);
    } else if ((status = find_namespace(lake, vs.hub, ns, sizeof ns)) != 0) {
        goto done;
    }
    status = EDDY_EXIT_FAIL;
    if (eddy_client_config_set(&ccfg, "group.id", "eddy-lake-verify") ||
        eddy_client_config_set(&ccfg, "enable.auto.commit", "false") ||
        eddy_client_config_set(&ccfg, "auto.offset.reset", "earliest") ||
        eddy_client_config_set(&ccfg, "enable.partition.eof", "true")) {
        fprintf(stderr, "eddy lake verify: out of memory\n");
        goto done;
    }
    vs.rk = eddy_client_new(RD_KAFKA_CONSUMER, "lake verify", &ccfg, NULL, NULL, err, sizeof err);
    if (!vs.rk) {
        eddy_cli_usage_error("lake", "%s", err);
        status = EDDY_EXIT_USAGE;
        goto done;
    }
    rd_kafka_poll_set_consumer(vs.rk);
    const struct rd_kafka_metadata *md;
    if (eddy_client_metadata(vs.rk, &ccfg, vs.hub, 15000, &md, err, sizeof err)) {
        fprintf(stderr, "eddy lake verify: %s\n", err);
        goto done;
    }
    for (int i = 0; i < md->topic_cnt; i++) {
        if (strcmp(md->topics[i].topic, vs.hub) == 0) {
            vs.nparts = md->topics[i].partition_cnt;
        }
    }
    rd_kafka_metadata_destroy(md);
    vs.parts = calloc((size_t)(vs.nparts ? vs.nparts : 1), sizeof *vs.parts);
    if (!vs.parts) {
        goto done;
    }
    for (int p = 0; p < vs.nparts; p++) {
        part_check *pc = &vs.parts[p];
        rd_kafka_resp_err_t e =
            rd_kafka_query_watermark_offsets(vs.rk, vs.hub, p, &pc->low, &pc->high, 15000);
        if (e) {
            fprintf(stderr, "eddy lake verify: cannot read the offsets of partition %d: %s\n", p,
                    rd_kafka_err2str(e));
            goto done;
        }
        size_t len = (size_t)(pc->high - pc->low);
        pc->hash = calloc(len ? 3 * len : 1, sizeof *pc->hash);
        pc->in_log = calloc(len ? len : 1, 1);
        pc->in_lake = calloc(len ? len : 1, 1);
        pc->diff = calloc(len ? len : 1, 1);
        if (!pc->hash || !pc->in_log || !pc->in_lake || !pc->diff) {
            fprintf(stderr, "eddy lake verify: out of memory for %zu offsets\n", len);
            goto done;
        }
    }
    printf("hub '%s' at %s: %d partitions; lake %s/%s/%s\n", vs.hub, ccfg.endpoint, vs.nparts, lake,
           ns, vs.hub);
    fflush(stdout);
    if (consume_log(&vs)) {
        goto done;
    }

    /* The lake, partition by partition. */
    char hubdir[PATH_MAX];
    snprintf(hubdir, sizeof hubdir, "%s/%s/%s", lake, ns, vs.hub);
    struct stat sb;
    bool have_dir = stat(hubdir, &sb) == 0 && S_ISDIR(sb.st_mode);
    if (have_dir && walk(hubdir, "", &files, 0) == 0) {
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
    }
    bool extra_parts = false;
    for (size_t i = 0; i < files.n; i++) {
        char *end;
        long p = strtol(files.v[i], &end, 10);
        if (end == files.v[i] || *end != '/' || p < 0 || p >= vs.nparts) {
            fprintf(stderr, "eddy lake verify: %s/%s: not in a partition folder of the hub\n",
                    hubdir, files.v[i]);
            extra_parts = true;
            continue;
        }
        part_check *pc = &vs.parts[p];
        lake_ctx lc = {.vs = &vs, .pc = pc};
        char path[PATH_MAX * 2];
        snprintf(path, sizeof path, "%s/%s", hubdir, files.v[i]);
        file_stats st;
        pc->files++;
        if (read_file(path, &st, lake_event, &lc) != 0) {
            fprintf(stderr, "eddy lake verify: %s: %s\n", path, st.err);
            pc->corrupt_files++;
        } else if (!st.eventdata) {
            fprintf(stderr, "eddy lake verify: %s: not an EventData file\n", path);
            pc->corrupt_files++;
        }
    }

    bool all_ok = !extra_parts;
    int64_t t_log = 0, t_lake = 0, t_missing = 0, t_doubled = 0, t_diff = 0, t_after = 0,
            t_before = 0;
    for (int p = 0; p < vs.nparts; p++) {
        part_check *pc = &vs.parts[p];
        if (pc->high > pc->low) {
            printf("partition %d: log %lld (offsets %lld..%lld), lake %lld in %lld files\n", p,
                   (long long)pc->log_events, (long long)pc->low, (long long)pc->high - 1,
                   (long long)pc->lake_events, (long long)pc->files);
        } else {
            printf("partition %d: log empty (next offset %lld), lake %lld in %lld files\n", p,
                   (long long)pc->high, (long long)pc->lake_events, (long long)pc->files);
        }
        int64_t missing = print_ranges("missing", pc, is_missing);
        int64_t doubled = print_ranges("doubled", pc, is_doubled);
        int64_t diff = print_ranges("differing", pc, is_diff);
        int64_t kinds[3] = {0, 0, 0};
        for (int64_t i = 0; i < pc->high - pc->low; i++) {
            for (int k = 0; k < 3; k++) {
                kinds[k] += (pc->diff[i] >> k) & 1;
            }
        }
        if (diff) {
            printf("  differing in: key %lld, body %lld, headers %lld\n", (long long)kinds[0],
                   (long long)kinds[1], (long long)kinds[2]);
        }
        if (pc->after_start || pc->before_start) {
            printf("  not checked: %lld captured after verify started, %lld below the log start "
                   "(retention)\n",
                   (long long)pc->after_start, (long long)pc->before_start);
        }
        if (pc->corrupt_files) {
            printf("  %lld damaged files\n", (long long)pc->corrupt_files);
        }
        bool ok = !missing && !doubled && !diff && !pc->corrupt_files;
        printf("  %s\n", ok ? "exactly once" : "NOT exactly once");
        all_ok = all_ok && ok;
        t_log += pc->log_events;
        t_lake += pc->lake_events;
        t_missing += missing;
        t_doubled += doubled;
        t_diff += diff;
        t_after += pc->after_start;
        t_before += pc->before_start;
    }
    printf("total: log %lld, lake %lld; missing %lld, doubled %lld, differing %lld; not checked: "
           "%lld after start, %lld below the log start\n",
           (long long)t_log, (long long)t_lake, (long long)t_missing, (long long)t_doubled,
           (long long)t_diff, (long long)t_after, (long long)t_before);
    printf("%s\n", all_ok ? "OK: every event of the log is in the lake exactly once"
                          : "FAIL: the lake does not hold the log exactly once");
    status = all_ok ? EDDY_EXIT_OK : EDDY_EXIT_FAIL;

done:
    if (vs.rk) {
        rd_kafka_consumer_close(vs.rk);
        rd_kafka_destroy(vs.rk);
    }
    for (int p = 0; vs.parts && p < vs.nparts; p++) {
        free(vs.parts[p].hash);
        free(vs.parts[p].in_log);
        free(vs.parts[p].in_lake);
        free(vs.parts[p].diff);
    }
    free(vs.parts);
    list_free(&files);
    eddy_buf_deinit(&vs.hh.name);
    eddy_client_config_deinit(&ccfg);
    fflush(stdout);
    return status;
}

/* ---- the command ---------------------------------------------------- */

int eddy_cmd_lake(int argc, char **argv)
{
    const char *limit_s = NULL, *hub = NULL, *lake = NULL, *ns = NULL, *bootstrap = NULL,
               *conn = NULL;
    bool files = false;
    eddy_client_props props = {0};
    eddy_cli_opt opts[] = {
        {.name = "files", .help = "ls: a line per file too", .flag = &files},
        {.name = "limit",
         .short_name = 'n',
         .metavar = "N",
         .help = "cat: stop after N events",
         .value = &limit_s},
        {.name = "hub", .metavar = "NAME", .help = "verify: the event hub", .value = &hub},
        {.name = "lake", .metavar = "DIR", .help = "verify: the lake folder", .value = &lake},
        {.name = "namespace",
         .metavar = "NS",
         .help = "verify: the namespace folder (default: the one holding the hub)",
         .value = &ns},
        EDDY_CLI_OPT_BOOTSTRAP(&bootstrap),
        EDDY_CLI_OPT_CONNECTION_STRING(&conn),
        EDDY_CLI_OPT_CLIENT_SET(&props),
        {.name = NULL},
    };
    int npos = 0;
    int rc = eddy_cli_parse(
        "lake",
        "Usage: eddy lake ls DIR [--files]\n"
        "       eddy lake cat FILE|DIR [--limit N]\n"
        "       eddy lake verify --hub NAME --lake DIR [--namespace NS]\n"
        "                        [--bootstrap HOST:PORT | --connection-string STR]\n\n"
        "Looks into a lake of Event Hubs Capture files ({ns}/{hub}/{partition}/YYYY/MM/DD/\n"
        "hh/mm/ss.avro): ls summarises each hub partition, cat prints events as JSON\n"
        "lines, verify checks that the lake holds every event of the hub's log exactly\n"
        "once. Exit status: 0 fine, 1 a damaged file or not exactly once, 2 usage.",
        opts, argc, argv, &npos);
    int status = EDDY_EXIT_USAGE;
    if (rc >= 0) {
        status = rc;
        goto done;
    }
    if (npos < 1) {
        eddy_cli_usage_error("lake", "say what to do: ls, cat or verify");
        goto done;
    }
    const char *action = argv[1];
    if (strcmp(action, "ls") == 0 || strcmp(action, "cat") == 0) {
        bool ls = action[0] == 'l';
        if (npos != 2) {
            eddy_cli_usage_error("lake", "%s needs one %s", action, ls ? "DIR" : "FILE or DIR");
            goto done;
        }
        if (hub || lake || ns || bootstrap || conn || props.n || (ls && limit_s) ||
            (!ls && files)) {
            eddy_cli_usage_error("lake", "an option of another action given to %s", action);
            goto done;
        }
        int64_t limit = -1;
        if (limit_s && eddy_client_parse_count(limit_s, &limit)) {
            eddy_cli_usage_error("lake", "--limit must be a whole number >= 0");
            goto done;
        }
        status = ls ? lake_ls(argv[2], files) : lake_cat(argv[2], limit);
    } else if (strcmp(action, "verify") == 0) {
        if (npos != 1) {
            eddy_cli_usage_error("lake", "unexpected argument '%s'", argv[2]);
            goto done;
        }
        if (files || limit_s) {
            eddy_cli_usage_error("lake", "an option of another action given to verify");
            goto done;
        }
        status = lake_verify(hub, lake, ns, bootstrap, conn, &props);
    } else {
        eddy_cli_usage_error("lake", "unknown action '%s' (ls, cat, verify)", action);
    }
done:
    eddy_client_props_free(&props);
    return status;
}

/* Capture benchmark: eddy's capture against avro-c writing the same records
 * with the same codec, and the capture's lag, all in one run.
 *
 * 1. Encoder. N telemetry events (the generator of src/gen/telemetry.h, keyed
 *    by deviceId, two headers each) are built once in memory. Per codec
 *    (null, deflate, snappy) eddy's container writer with the EventData
 *    encoder and avro-c's generic value API (set the six fields, the map
 *    entries with their union branches, avro_file_writer_append_value) write
 *    them into a file, then fsync. Both write 256 KiB blocks. Afterwards
 *    avro-c's reader counts the datums of eddy's file, and eddy's reader
 *    walks both files side by side: every datum must be byte-identical, so
 *    both sides wrote the same Avro content. eddy's deflate is libdeflate
 *    level 1, avro-c's zlib's default (6): the file sizes show that trade.
 * 2. Capture. An in-process hub (4 partitions, fsync never) is filled with
 *    the N events through librdkafka (lz4, acks=all) and stopped; once the
 *    last 1 s window has ended a hub on the same data folder starts with
 *    capture on (1 s windows, the codec, the default fsync policy: always),
 *    and the backlog is timed until capture's stats count N events. The
 *    capture state files are deleted between codecs, and each codec gets a
 *    fresh lake folder. The capture thread ("eddy-capture") has its CPU time
 *    read from /proc/self/task/TID/schedstat. The peer figure is avro-c's
 *    encoder from 1: the capture also reads the log, decompresses the lz4
 *    batches and fsyncs each file and folder.
 * 3. Lag. Into a fresh hub with capture on (deflate, 1 s windows, fsync
 *    always) one librdkafka producer (lz4, acks=all) sends as fast as it can
 *    for a few seconds (peak ingest), then, once capture has caught up, at
 *    half that rate for ~10 s. A watcher thread stats the next expected file
 *    of every partition every 2 ms (names are the windows' aligned starts;
 *    empty windows get an empty file) and notes when each becomes visible.
 *    After the phase the files are read with eddy's reader (reading them
 *    during the phase would delay the watcher): lag = visible time -
 *    x-opt-enqueued-time per event, and the close delay = visible time -
 *    window end per file.
 *
 * MB/s counts the bytes of the encoded datums (the uncompressed Avro
 * payload, without block framing), for every codec. The machine is a 2-vCPU
 * VM that others share, so next to the wall-clock rates the rows give CPU
 * time per event (the encoding thread's, the capture thread's), which other
 * work on the machine disturbs much less; stderr also shows how long the
 * capture thread waited, runnable, for a CPU. Before the first phase ~1 GB
 * is written to a file and deleted, so that no phase pays the VM's
 * first-touch cost of guest pages alone (see bench_hub.c). Rows go to stdout
 * in bench/run.sh's table format; details go to stderr.
 *
 * Environment:
 *   EDDY_BENCH_SCALE=F          events times F (default 1: 1,000,000)
 *   EDDY_BENCH_PEAK_SECONDS=S   peak ingest measurement (default 3)
 *   EDDY_BENCH_LAG_SECONDS=S    half-rate phase (default 10)
 *   EDDY_BENCH_ONLY=LIST        some of encode,capture,lag (default all;
 *                               capture rows need encode for their peer)
 *   EDDY_BENCH_PERF_DIR=DIR     `perf record -g` of each capture phase into
 *                               DIR (this process; perturbs the figures) */
#include <avro.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "benchlib.h"
#include "client/rate.h"
#include "core/clock.h"
#include "core/log.h"
#include "gen/telemetry.h"
#include "hub/config.h"
#include "hub/hub.h"

#ifndef EDDY_BENCH_AVROC_VERSION
#define EDDY_BENCH_AVROC_VERSION "?"
#endif

#define HUB_NAME    "telemetry"
#define PARTITIONS  4
#define NCODECS     3
#define BLOCK_BYTES EDDY_AVRO_DEFAULT_BLOCK_BYTES
#define DEVICES     100
#define T0_MS       1795550400000LL /* 2026-11-24T20:00:00Z: the in-memory events' times */
#define WATCH_NS    2000000L        /* the lag watcher's stat interval */

static const eddy_avro_codec codecs[NCODECS] = {EDDY_AVRO_CODEC_NULL, EDDY_AVRO_CODEC_DEFLATE,
                                                EDDY_AVRO_CODEC_SNAPPY};

/* The two headers of every event (Properties in the files). */
static const char ct_key[] = "content-type";
static const char ct_val[] = "application/json";
static const char trace_key[] = "trace-id";
#define TRACE_LEN 16

static struct {
    size_t n;
    double peak_seconds;
    double lag_seconds;
    const char *perf_dir;
    bool encode, capture, lag;
} opt;

/* ---- the events, built once ---------------------------------------------- */

/* One event: its key, NUL, body, NUL, trace id, NUL at off in the arena. */
typedef struct event {
    uint64_t off;
    uint16_t key_len, body_len;
    int64_t ts_ms; /* EnqueuedTimeUtc of the in-memory encodes */
} event;

static struct {
    event *ev;
    char *arena;
    size_t n;
    uint64_t key_bytes, body_bytes;
} es;

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void events_build(size_t n)
{
    size_t per = EDDY_TELEMETRY_KEY_MAX + EDDY_TELEMETRY_VALUE_MAX + TRACE_LEN + 1;
    es.ev = malloc(n * sizeof *es.ev);
    es.arena = malloc(n * per); /* pages never touched are never committed */
    eddy_telemetry gen;
    if (!es.ev || !es.arena || eddy_telemetry_init(&gen, DEVICES, 42) != 0) {
        bench_fatal("out of memory for %zu events", n);
    }
    uint64_t off = 0;
    for (size_t i = 0; i < n; i++) {
        event *e = &es.ev[i];
        char *p = es.arena + off;
        e->off = off;
        e->ts_ms = T0_MS + (int64_t)(i / 200); /* 200,000 events a second */
        size_t vn = eddy_telemetry_next(&gen, e->ts_ms, p, EDDY_TELEMETRY_KEY_MAX,
                                        p + EDDY_TELEMETRY_KEY_MAX, EDDY_TELEMETRY_VALUE_MAX);
        size_t kn = strlen(p);
        if (vn == 0) {
            bench_fatal("telemetry generator failed at event %zu", i);
        }
        memmove(p + kn + 1, p + EDDY_TELEMETRY_KEY_MAX, vn + 1);
        char *trace = p + kn + 1 + vn + 1;
        uint64_t h = mix64(i);
        for (int k = 0; k < TRACE_LEN; k++) {
            trace[k] = "0123456789abcdef"[(h >> (4 * k)) & 15];
        }
        trace[TRACE_LEN] = '\0';
        e->key_len = (uint16_t)kn;
        e->body_len = (uint16_t)vn;
        off += kn + 1 + vn + 1 + TRACE_LEN + 1;
        es.key_bytes += kn;
        es.body_bytes += vn;
    }
    eddy_telemetry_deinit(&gen);
    es.n = n;
}

static const char *ev_key(const event *e)
{
    return es.arena + e->off;
}

static const char *ev_body(const event *e)
{
    return es.arena + e->off + e->key_len + 1;
}

static const char *ev_trace(const event *e)
{
    return ev_body(e) + e->body_len + 1;
}

/* ---- small helpers ---------------------------------------------------- */

static double percentile(double *v, size_t n, double q)
{
    if (n == 0) {
        return 0;
    }
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void sleep_ns(long ns)
{
    struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        bench_fatal("fsync %s: %s", path, strerror(errno));
    }
    close(fd);
}

static uint64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

/* Decimal digits of v into out (no NUL); returns the length. */
static size_t u64_to_dec(uint64_t v, char *out)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) {
        out[i] = tmp[n - 1 - i];
    }
    return n;
}

/* CPU seconds of the capture thread (named "eddy-capture" by capture.c)
 * and the seconds it waited, runnable, for a CPU (*wait), from its schedstat
 * (ns); -1 when it is not found. */
static double capture_thread_cpu(double *wait)
{
    *wait = -1;
    DIR *d = opendir("/proc/self/task");
    if (!d) {
        return -1;
    }
    double cpu = -1;
    struct dirent *e;
    while ((e = readdir(d)) && cpu < 0) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[300], text[256];
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        bench_read_text(path, text, sizeof text);
        if (strcmp(text, "eddy-capture\n") != 0) {
            continue;
        }
        snprintf(path, sizeof path, "/proc/self/task/%s/schedstat", e->d_name);
        if (bench_read_text(path, text, sizeof text) > 0) {
            char *end;
            cpu = (double)strtoull(text, &end, 10) / 1e9;
            *wait = (double)strtoull(end, NULL, 10) / 1e9;
        }
    }
    closedir(d);
    return cpu;
}

/* Writes total bytes into a file in the temp folder and deletes it. On this
 * VM the first touch of guest pages costs several times more kernel CPU than
 * pages the page cache recycles (see bench_hub.c), so the first phase to
 * write a few hundred MB would pay for it alone; afterwards every file of
 * the run lands in recycled pages. Returns the seconds it took. */
static double pagecache_warmup(size_t total)
{
    char path[300];
    snprintf(path, sizeof path, "%s/pagecache-warmup", bench_tmp_dir());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t chunk = (size_t)1 << 20;
    char *buf = malloc(chunk);
    if (fd < 0 || !buf) {
        bench_fatal("page-cache warm-up: %s", strerror(errno));
    }
    memset(buf, 'w', chunk);
    double t0 = bench_now();
    for (size_t off = 0; off < total; off += chunk) {
        if (pwrite(fd, buf, chunk, (off_t)off) != (ssize_t)chunk) {
            bench_fatal("page-cache warm-up: write: %s", strerror(errno));
        }
    }
    close(fd);
    unlink(path);
    free(buf);
    return bench_now() - t0;
}

/* ---- 1. the encoders ---------------------------------------------------- */

typedef struct enc_result {
    double seconds;
    double cpu; /* this thread's CPU seconds */
    uint64_t file_bytes;
} enc_result;

static struct {
    enc_result eddy[NCODECS], avroc[NCODECS];
    uint64_t datum_bytes; /* of the N events, identical on both sides */
    bool ok;
} enc;

static void event_props(const event *e, eddy_avro_kv props[2])
{
    props[0] = (eddy_avro_kv){(const uint8_t *)ct_key, sizeof ct_key - 1, (const uint8_t *)ct_val,
                              (int32_t)(sizeof ct_val - 1)};
    props[1] = (eddy_avro_kv){(const uint8_t *)trace_key, sizeof trace_key - 1,
                              (const uint8_t *)ev_trace(e), TRACE_LEN};
}

static void eddy_encode_file(eddy_avro_codec codec, const char *path, enc_result *r)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        bench_fatal("open %s: %s", path, strerror(errno));
    }
    double cpu0 = bench_own_cpu_seconds(RUSAGE_THREAD), t0 = bench_now();
    eddy_avro_writer *w;
    eddy_avro_writer_opts o = {.codec = codec, .level = 1, .block_bytes = BLOCK_BYTES};
    if (eddy_avro_writer_open(&w, fd, EDDY_AVRO_EVENTDATA_SCHEMA, &o) != 0) {
        bench_fatal("eddy_avro_writer_open %s failed", path);
    }
    eddy_avro_kv props[2];
    for (size_t i = 0; i < es.n; i++) {
        const event *e = &es.ev[i];
        event_props(e, props);
        eddy_avro_event ev = {
            .sequence_number = (int64_t)i,
            .enqueued_ms = e->ts_ms,
            .key = (const uint8_t *)ev_key(e),
            .key_len = e->key_len,
            .body = (const uint8_t *)ev_body(e),
            .body_len = e->body_len,
            .props = props,
            .nprops = 2,
        };
        eddy_avro_eventdata_encode(eddy_avro_writer_datum(w), &ev);
        if (eddy_avro_writer_end_datum(w) != 0) {
            bench_fatal("eddy writer: datum %zu failed", i);
        }
    }
    if (eddy_avro_writer_close(w) != 0 || fsync(fd) != 0) {
        bench_fatal("eddy writer: closing %s failed", path);
    }
    r->seconds = bench_now() - t0;
    r->cpu = bench_own_cpu_seconds(RUSAGE_THREAD) - cpu0;
    close(fd);
    r->file_bytes = file_size(path);
}

/* Sets map entry key of map to a union value of branch br; *out = the
 * branch's value. */
static int avroc_map_entry(avro_value_t *map, const char *key, int br, avro_value_t *out)
{
    avro_value_t e;
    return avro_value_add(map, key, &e, NULL, NULL) || avro_value_set_branch(&e, br, out);
}

static void avroc_encode_file(const char *codec, const char *path, avro_schema_t schema,
                              enc_result *r)
{
    unlink(path);
    avro_value_iface_t *iface = avro_generic_class_from_schema(schema);
    avro_value_t v, f, b;
    if (!iface || avro_generic_value_new(iface, &v) != 0) {
        bench_fatal("avro-c: %s", avro_strerror());
    }
    double cpu0 = bench_own_cpu_seconds(RUSAGE_THREAD), t0 = bench_now();
    avro_file_writer_t w;
    if (avro_file_writer_create_with_codec(path, schema, &w, codec, BLOCK_BYTES) != 0) {
        bench_fatal("avro-c: writer with codec %s: %s", codec, avro_strerror());
    }
    for (size_t i = 0; i < es.n; i++) {
        const event *e = &es.ev[i];
        char off[24], when[EDDY_AVRO_TIME_LEN + 1];
        off[u64_to_dec(i, off)] = '\0';
        eddy_avro_format_time(e->ts_ms, when);
        when[EDDY_AVRO_TIME_LEN] = '\0';
        int rc = 0;
        avro_value_reset(&v);
        rc |= avro_value_get_by_index(&v, 0, &f, NULL) || avro_value_set_long(&f, (int64_t)i);
        rc |= avro_value_get_by_index(&v, 1, &f, NULL) || avro_value_set_string(&f, off);
        rc |= avro_value_get_by_index(&v, 2, &f, NULL) || avro_value_set_string(&f, when);
        rc |= avro_value_get_by_index(&v, 3, &f, NULL);
        rc |= avroc_map_entry(&f, "x-opt-sequence-number", EDDY_AVRO_PROP_LONG, &b) ||
              avro_value_set_long(&b, (int64_t)i);
        rc |= avroc_map_entry(&f, "x-opt-offset", EDDY_AVRO_PROP_STRING, &b) ||
              avro_value_set_string(&b, off);
        rc |= avroc_map_entry(&f, "x-opt-enqueued-time", EDDY_AVRO_PROP_LONG, &b) ||
              avro_value_set_long(&b, e->ts_ms);
        rc |= avroc_map_entry(&f, "x-opt-partition-key", EDDY_AVRO_PROP_STRING, &b) ||
              avro_value_set_string_len(&b, ev_key(e), (size_t)e->key_len + 1);
        rc |= avro_value_get_by_index(&v, 4, &f, NULL);
        rc |= avroc_map_entry(&f, ct_key, EDDY_AVRO_PROP_BYTES, &b) ||
              avro_value_set_bytes(&b, (void *)ct_val, sizeof ct_val - 1);
        rc |= avroc_map_entry(&f, trace_key, EDDY_AVRO_PROP_BYTES, &b) ||
              avro_value_set_bytes(&b, (void *)ev_trace(e), TRACE_LEN);
        rc |= avro_value_get_by_index(&v, 5, &f, NULL) || avro_value_set_branch(&f, 1, &b) ||
              avro_value_set_bytes(&b, (void *)ev_body(e), e->body_len);
        if (rc || avro_file_writer_append_value(w, &v) != 0) {
            bench_fatal("avro-c: event %zu: %s", i, avro_strerror());
        }
    }
    if (avro_file_writer_close(w) != 0) {
        bench_fatal("avro-c: closing %s: %s", path, avro_strerror());
    }
    fsync_path(path); /* avro-c writes through stdio and closes its FILE */
    r->seconds = bench_now() - t0;
    r->cpu = bench_own_cpu_seconds(RUSAGE_THREAD) - cpu0;
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    r->file_bytes = file_size(path);
}

/* Datums in a container file, read with avro-c's reader. */
static uint64_t avroc_count(const char *path)
{
    avro_file_reader_t rd;
    if (avro_file_reader(path, &rd) != 0) {
        bench_fatal("avro-c cannot open %s: %s", path, avro_strerror());
    }
    avro_schema_t schema = avro_file_reader_get_writer_schema(rd);
    avro_value_iface_t *iface = avro_generic_class_from_schema(schema);
    avro_value_t v;
    avro_generic_value_new(iface, &v);
    uint64_t n = 0;
    while (avro_file_reader_read_value(rd, &v) == 0) {
        n++;
    }
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    avro_file_reader_close(rd);
    return n;
}

static eddy_avro_reader *eddy_reader_open(const char *path, int *fd)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    eddy_avro_reader *r;
    eddy_avro_error err;
    if (*fd < 0 || eddy_avro_reader_open_fd(&r, *fd, NULL, &err) != 0) {
        bench_fatal("eddy reader: %s: %s", path, *fd < 0 ? strerror(errno) : err.msg);
    }
    if (!eddy_avro_schema_is_eventdata(eddy_avro_reader_schema(r))) {
        bench_fatal("%s: not an EventData file", path);
    }
    return r;
}

/* Walks two EventData files with eddy's reader: every datum must be
 * byte-identical. Returns the datums and their bytes. */
static uint64_t compare_files(const char *a, const char *b, uint64_t *bytes)
{
    int fa, fb;
    eddy_avro_reader *ra = eddy_reader_open(a, &fa), *rb = eddy_reader_open(b, &fb);
    uint64_t n = 0;
    *bytes = 0;
    for (;;) {
        eddy_reader *da, *db;
        int ka = eddy_avro_reader_next(ra, &da), kb = eddy_avro_reader_next(rb, &db);
        if (ka < 0 || kb < 0) {
            bench_fatal("eddy reader: %s",
                        ka < 0 ? eddy_avro_reader_error(ra)->msg : eddy_avro_reader_error(rb)->msg);
        }
        if (ka != kb) {
            bench_fatal("%s and %s differ in length after %" PRIu64 " datums", a, b, n);
        }
        if (ka == 0) {
            break;
        }
        size_t pa = da->pos, pb = db->pos;
        eddy_avro_eventdata ea, eb;
        if (eddy_avro_eventdata_decode(eddy_avro_reader_decoder(ra), da, &ea) != 0 ||
            eddy_avro_eventdata_decode(eddy_avro_reader_decoder(rb), db, &eb) != 0) {
            bench_fatal("datum %" PRIu64 " does not decode", n);
        }
        size_t la = da->pos - pa, lb = db->pos - pb;
        if (la != lb || memcmp(da->p + pa, db->p + pb, la) != 0) {
            bench_fatal("datum %" PRIu64 " differs between %s and %s", n, a, b);
        }
        *bytes += la;
        n++;
    }
    eddy_avro_reader_close(ra);
    eddy_avro_reader_close(rb);
    close(fa);
    close(fb);
    return n;
}

static void run_encoders(void)
{
    avro_schema_t schema;
    if (avro_schema_from_json_length(EDDY_AVRO_EVENTDATA_SCHEMA, strlen(EDDY_AVRO_EVENTDATA_SCHEMA),
                                     &schema) != 0) {
        bench_fatal("avro-c cannot parse the EventData schema: %s", avro_strerror());
    }
    char pe[300], pa[300];
    for (int c = 0; c < NCODECS; c++) {
        const char *name = eddy_avro_codec_name(codecs[c]);
        snprintf(pe, sizeof pe, "%s/eddy-%s.avro", bench_tmp_dir(), name);
        snprintf(pa, sizeof pa, "%s/avroc-%s.avro", bench_tmp_dir(), name);
        eddy_encode_file(codecs[c], pe, &enc.eddy[c]);
        avroc_encode_file(name, pa, schema, &enc.avroc[c]);
        /* The check: avro-c reads eddy's file, and both files hold the
         * same datums byte for byte. */
        uint64_t n_avroc = avroc_count(pe), bytes;
        uint64_t n_same = compare_files(pe, pa, &bytes);
        if (n_avroc != es.n || n_same != es.n) {
            bench_fatal("codec %s: avro-c read %" PRIu64 " datums of eddy's file, %" PRIu64
                        " identical datums in both; expected %zu",
                        name, n_avroc, n_same, es.n);
        }
        enc.datum_bytes = bytes;
        const enc_result *e = &enc.eddy[c], *a = &enc.avroc[c];
        bench_note("encode %-7s eddy   %.3f s (%.3f s CPU), %.0f k events/s, %.0f MB/s, file %.1f "
                   "MB (%.2fx)",
                   name, e->seconds, e->cpu, (double)es.n / e->seconds / 1e3,
                   (double)bytes / e->seconds / 1e6, (double)e->file_bytes / 1e6,
                   (double)bytes / (double)e->file_bytes);
        bench_note("encode %-7s avro-c %.3f s (%.3f s CPU), %.0f k events/s, %.0f MB/s, file %.1f "
                   "MB (%.2fx)",
                   name, a->seconds, a->cpu, (double)es.n / a->seconds / 1e3,
                   (double)bytes / a->seconds / 1e6, (double)a->file_bytes / 1e6,
                   (double)bytes / (double)a->file_bytes);
        bench_note("encode %-7s checked: avro-c read all %zu datums of eddy's file; eddy's reader "
                   "found the %zu datums of both files byte-identical",
                   name, es.n, es.n);
        unlink(pe);
        unlink(pa);
    }
    avro_schema_decref(schema);
    enc.ok = true;
}

/* ---- in-process hubs and the producer ----------------------------------- */

typedef struct hub_handle {
    eddy_hub *hub;
    pthread_t thread;
    int port;
    bool running;
} hub_handle;

static void *hub_main(void *arg)
{
    hub_handle *h = arg;
    int rc = eddy_hub_run(h->hub);
    if (rc != 0) {
        bench_note("eddy_hub_run returned %d", rc);
    }
    return NULL;
}

static void config_set(eddy_hub_config *cfg, const char *key, const char *value)
{
    char err[512];
    if (eddy_hub_config_set(cfg, key, value, err, sizeof err) != 0) {
        bench_fatal("hub config %s=%s: %s", key, value, err);
    }
}

/* Opens a hub on data_dir (4 partitions, fsync_policy or the default when
 * NULL; capture into lake with codec and 1 s windows when lake is set),
 * listening on a loopback port the kernel picks. Does not run it. */
static void hub_open(hub_handle *h, const char *data_dir, const char *fsync_policy,
                     const char *lake, const char *codec)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        memset(h, 0, sizeof *h);
        eddy_hub_config cfg;
        eddy_hub_config_defaults(&cfg);
        config_set(&cfg, "data-dir", data_dir);
        config_set(&cfg, "listen", "127.0.0.1:0");
        config_set(&cfg, "partitions", "4");
        if (fsync_policy) {
            config_set(&cfg, "fsync", fsync_policy);
        }
        if (lake) {
            config_set(&cfg, "capture-dir", lake);
            config_set(&cfg, "capture-interval", "1");
            config_set(&cfg, "capture-codec", codec);
        }
        char err[512];
        int rc = eddy_hub_new(&cfg, &h->hub, err, sizeof err);
        eddy_hub_config_deinit(&cfg);
        if (rc != 0) {
            bench_fatal("eddy_hub_new: %s", err);
        }
        h->port = eddy_hub_port(h->hub);
        if (bench_port_only_ours(h->port, getpid())) {
            return;
        }
        bench_note("port %d is shared with another process; opening the hub again", h->port);
        eddy_hub_free(h->hub);
    }
    bench_fatal("could not open a hub on an unshared port");
}

static void hub_start(hub_handle *h)
{
    if (pthread_create(&h->thread, NULL, hub_main, h) != 0) {
        bench_fatal("pthread_create failed");
    }
    h->running = true;
}

static void hub_close(hub_handle *h)
{
    if (h->running) {
        eddy_hub_stop(h->hub);
        pthread_join(h->thread, NULL);
    }
    eddy_hub_free(h->hub);
    memset(h, 0, sizeof *h);
}

typedef struct producer {
    rd_kafka_t *rk;
    _Atomic uint64_t acked; /* read by the main thread only, but cheap */
    uint64_t failed, sent;
    char err[256];
} producer;

static void producer_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    producer *p = opaque;
    if (m->err) {
        if (p->failed++ == 0) {
            snprintf(p->err, sizeof p->err, "%s", rd_kafka_err2str(m->err));
        }
    } else {
        atomic_fetch_add_explicit(&p->acked, 1, memory_order_relaxed);
    }
}

/* librdkafka: acks=all, lz4, linger 5 ms, batches of up to 10,000 events or
 * 1 MB, at most 100,000 events queued (so a phase's acks follow its sends). */
static void producer_open(producer *p, int port)
{
    memset(p, 0, sizeof *p);
    rd_kafka_conf_t *conf = bench_kafka_producer_conf(port, "5", "10000", "100000");
    bench_kafka_set(conf, "compression.codec", "lz4");
    rd_kafka_conf_set_dr_msg_cb(conf, producer_dr);
    rd_kafka_conf_set_opaque(conf, p);
    char err[256];
    p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!p->rk) {
        bench_fatal("rd_kafka_new: %s", err);
    }
}

/* Sends event i of the set (borrowed: the arena outlives the producer). */
static void producer_send(producer *p, size_t i)
{
    const event *e = &es.ev[i];
    for (;;) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            p->rk, RD_KAFKA_V_TOPIC(HUB_NAME), RD_KAFKA_V_KEY((void *)ev_key(e), e->key_len),
            RD_KAFKA_V_VALUE((void *)ev_body(e), e->body_len), RD_KAFKA_V_MSGFLAGS(0),
            RD_KAFKA_V_HEADER(ct_key, ct_val, (ssize_t)(sizeof ct_val - 1)),
            RD_KAFKA_V_HEADER(trace_key, ev_trace(e), TRACE_LEN), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            break;
        }
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            bench_fatal("rd_kafka_producev: %s", rd_kafka_err2str(err));
        }
        rd_kafka_poll(p->rk, 1);
    }
    if ((++p->sent & 255) == 0) {
        rd_kafka_poll(p->rk, 0);
    }
}

static void producer_close(producer *p)
{
    if (rd_kafka_flush(p->rk, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        bench_fatal("librdkafka: flush timed out");
    }
    rd_kafka_destroy(p->rk);
    p->rk = NULL;
    if (p->failed) {
        bench_fatal("%" PRIu64 " events failed: %s", p->failed, p->err);
    }
}

static uint64_t captured_events(hub_handle *h)
{
    eddy_hub_capture_stats st;
    eddy_hub_get_capture_stats(h->hub, &st);
    if (st.errors) {
        bench_fatal("capture reported %" PRIu64 " errors", st.errors);
    }
    return st.events;
}

/* ---- lake walking ------------------------------------------------------- */

static struct {
    uint64_t files, events, datum_bytes;
} walk;

static int walk_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (flag != FTW_F || n < 5 || strcmp(path + n - 5, ".avro") != 0) {
        return 0;
    }
    int fd;
    eddy_avro_reader *r = eddy_reader_open(path, &fd);
    eddy_avro_block blk;
    int k;
    while ((k = eddy_avro_reader_next_block(r, &blk)) == 1) {
        walk.events += (uint64_t)blk.count;
        walk.datum_bytes += blk.len;
    }
    if (k < 0) {
        bench_fatal("%s: %s", path, eddy_avro_reader_error(r)->msg);
    }
    eddy_avro_reader_close(r);
    close(fd);
    walk.files++;
    return 0;
}

/* Counts the files, events and datum bytes of a lake folder. */
static void walk_lake(const char *lake)
{
    memset(&walk, 0, sizeof walk);
    if (nftw(lake, walk_file, 16, FTW_PHYS) != 0) {
        bench_fatal("walking %s: %s", lake, strerror(errno));
    }
}

/* ---- 2. capture of a backlog ------------------------------------------- */

typedef struct cap_result {
    double seconds;
    double thread_cpu;   /* the capture thread */
    double thread_wait;  /* its time runnable but waiting for a CPU */
    double process_cpu;  /* the whole process over the same time */
    double open_seconds; /* eddy_hub_new: recovery, not timed */
    uint64_t files, file_bytes, datum_bytes;
} cap_result;

static struct {
    cap_result r[NCODECS];
    double prefill_seconds;
    bool ok;
} cap;

static void prefill(const char *data)
{
    hub_handle h;
    hub_open(&h, data, "never", NULL, NULL);
    hub_start(&h);
    producer p;
    producer_open(&p, h.port);
    double t0 = bench_now();
    for (size_t i = 0; i < es.n; i++) {
        producer_send(&p, i);
    }
    producer_close(&p);
    cap.prefill_seconds = bench_now() - t0;
    uint64_t acked = atomic_load(&p.acked);
    if (acked != es.n) {
        bench_fatal("prefill: %" PRIu64 " of %zu events acknowledged", acked, es.n);
    }
    int64_t done_ms = eddy_clock_wall_ms(); /* every append happened before */
    hub_close(&h);
    bench_note("prefill: %zu events into %d partitions (lz4, acks=all, fsync never) in %.2f s, "
               "%.0f k events/s",
               es.n, PARTITIONS, cap.prefill_seconds, (double)es.n / cap.prefill_seconds / 1e3);
    /* The last event's 1 s window must have ended before capture starts,
     * so the backlog is all in closed windows. */
    int64_t wait_ms = (done_ms / 1000 + 1) * 1000 + 20 - eddy_clock_wall_ms();
    if (wait_ms > 0) {
        sleep_ns((long)wait_ms * 1000000L);
    }
}

static void capture_backlog(const char *data, int c, cap_result *r)
{
    const char *name = eddy_avro_codec_name(codecs[c]);
    char path[512], lake[300];
    for (int p = 0; p < PARTITIONS; p++) {
        snprintf(path, sizeof path, "%s/hubs/%s/%d/capture.state", data, HUB_NAME, p);
        if (unlink(path) != 0 && errno != ENOENT) {
            bench_fatal("unlink %s: %s", path, strerror(errno));
        }
    }
    snprintf(lake, sizeof lake, "%s/lake-%s", bench_tmp_dir(), name);
    bench_remove_tree(lake);
    pid_t perf = 0;
    char tag[64];
    snprintf(tag, sizeof tag, "capture-%s", name);
    bench_perf_start(&perf, opt.perf_dir, getpid(), tag);
    hub_handle h;
    double t_open = bench_now();
    hub_open(&h, data, NULL, lake, name);
    r->open_seconds = bench_now() - t_open;
    double cpu0 = bench_own_cpu_seconds(RUSAGE_SELF), t0 = bench_now();
    hub_start(&h);
    while (captured_events(&h) < es.n) {
        if (bench_now() - t0 > 300) {
            bench_fatal("capture %s: %" PRIu64 " of %zu events after 300 s", name,
                        captured_events(&h), es.n);
        }
        sleep_ns(1000000L);
    }
    r->seconds = bench_now() - t0;
    r->process_cpu = bench_own_cpu_seconds(RUSAGE_SELF) - cpu0;
    r->thread_cpu = capture_thread_cpu(&r->thread_wait);
    eddy_hub_capture_stats st;
    eddy_hub_get_capture_stats(h.hub, &st);
    bench_perf_stop(perf);
    hub_close(&h);
    walk_lake(lake);
    if (walk.events != es.n || st.events != es.n) {
        bench_fatal("capture %s: the lake holds %" PRIu64 " events, stats say %" PRIu64
                    "; expected %zu",
                    name, walk.events, st.events, es.n);
    }
    r->files = walk.files;
    r->file_bytes = st.bytes;
    r->datum_bytes = walk.datum_bytes;
    bench_note("capture %-7s %.3f s (hub open %.3f s, untimed), %.0f k events/s, %.0f MB/s of "
               "datums; %" PRIu64 " files, %.1f MB (%.2fx)",
               name, r->seconds, r->open_seconds, (double)es.n / r->seconds / 1e3,
               (double)r->datum_bytes / r->seconds / 1e6, r->files, (double)r->file_bytes / 1e6,
               (double)r->datum_bytes / (double)r->file_bytes);
    bench_note("capture %-7s capture thread: %.3f s on CPU (%.2f us/event), %.3f s runnable "
               "waiting for a CPU, %.3f s neither (blocked: fsync, reads, sleeps); process %.3f s "
               "CPU",
               name, r->thread_cpu, r->thread_cpu / (double)es.n * 1e6, r->thread_wait,
               r->seconds - r->thread_cpu - r->thread_wait, r->process_cpu);
    bench_remove_tree(lake);
}

static void run_capture(void)
{
    char data[300];
    snprintf(data, sizeof data, "%s/capture-data", bench_tmp_dir());
    prefill(data);
    for (int c = 0; c < NCODECS; c++) {
        capture_backlog(data, c, &cap.r[c]);
    }
    bench_remove_tree(data);
    cap.ok = true;
}

/* ---- 3. capture lag at half of peak ingest ------------------------------ */

typedef struct seen_file {
    int part;
    int64_t win_ms;
    int64_t visible_ns; /* wall clock */
} seen_file;

typedef struct watcher {
    pthread_t thread;
    char part_dir[PARTITIONS][400]; /* {lake}/eddy/telemetry/{p} */
    int64_t first_win, end_win;     /* windows [first_win, end_win) */
    atomic_bool stop;
    seen_file *files;
    size_t nfiles;
} watcher;

static void window_path(const watcher *w, int p, int64_t win_ms, char *out, size_t len)
{
    time_t t = (time_t)(win_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, len, "%s/%04d/%02d/%02d/%02d/%02d/%02d.avro", w->part_dir[p], tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void *watcher_main(void *arg)
{
    watcher *w = arg;
    int64_t next[PARTITIONS];
    char path[PARTITIONS][600];
    for (int p = 0; p < PARTITIONS; p++) {
        next[p] = w->first_win;
        window_path(w, p, next[p], path[p], sizeof path[p]);
    }
    while (!atomic_load(&w->stop)) {
        int done = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            struct stat sb;
            if (next[p] < w->end_win && stat(path[p], &sb) == 0) {
                w->files[w->nfiles++] = (seen_file){p, next[p], eddy_clock_wall_ns()};
                next[p] += 1000;
                window_path(w, p, next[p], path[p], sizeof path[p]);
            }
            done += next[p] >= w->end_win;
        }
        if (done == PARTITIONS) {
            break;
        }
        sleep_ns(WATCH_NS);
    }
    return NULL;
}

static struct {
    double peak;      /* events/s */
    double rate;      /* the half-rate phase's target */
    double achieved;  /* and what the producer sent */
    double catchup_s; /* after the peak phase, until capture caught up */
    double lag_p50, lag_p99, lag_max;
    double close_p50, close_p99, close_max;
    size_t lag_events, lag_files, want_files;
    bool ok;
} lag;

/* Reads the watched files: per event lag = visible - enqueued, per file
 * close delay = visible - window end. */
static void lag_measure(const watcher *w)
{
    size_t cap_lags = 1 << 20, nl = 0;
    double *lags = malloc(cap_lags * sizeof *lags);
    double *closes = malloc((w->nfiles + 1) * sizeof *closes);
    if (!lags || !closes) {
        bench_fatal("out of memory");
    }
    char path[600];
    for (size_t i = 0; i < w->nfiles; i++) {
        const seen_file *f = &w->files[i];
        double visible_ms = (double)f->visible_ns / 1e6;
        closes[i] = visible_ms - (double)(f->win_ms + 1000);
        window_path(w, f->part, f->win_ms, path, sizeof path);
        int fd;
        eddy_avro_reader *r = eddy_reader_open(path, &fd);
        eddy_reader *d;
        int k;
        while ((k = eddy_avro_reader_next(r, &d)) == 1) {
            eddy_avro_eventdata ev;
            if (eddy_avro_eventdata_decode(eddy_avro_reader_decoder(r), d, &ev) != 0) {
                bench_fatal("%s: a datum does not decode", path);
            }
            if (ev.enqueued_ms < f->win_ms || ev.enqueued_ms >= f->win_ms + 1000) {
                bench_fatal("%s: event enqueued at %" PRId64 " ms is outside its window", path,
                            ev.enqueued_ms);
            }
            if (nl == cap_lags) {
                cap_lags *= 2;
                lags = realloc(lags, cap_lags * sizeof *lags);
                if (!lags) {
                    bench_fatal("out of memory");
                }
            }
            lags[nl++] = visible_ms - (double)ev.enqueued_ms;
        }
        if (k < 0) {
            bench_fatal("%s: %s", path, eddy_avro_reader_error(r)->msg);
        }
        eddy_avro_reader_close(r);
        close(fd);
    }
    /* Per partition: the capture thread closes them one after another. */
    char per[256] = "";
    size_t plen = 0;
    for (int p = 0; p < PARTITIONS; p++) {
        double v[64];
        size_t k = 0;
        for (size_t i = 0; i < w->nfiles && k < 64; i++) {
            if (w->files[i].part == p) {
                v[k++] = closes[i];
            }
        }
        qsort(v, k, sizeof *v, cmp_double);
        plen += (size_t)snprintf(per + plen, sizeof per - plen, "%s p%d %.0f/%.0f", p ? "," : "", p,
                                 percentile(v, k, 0.5), k ? v[k - 1] : 0);
    }
    bench_note("close delay per partition, p50/max ms:%s", per);
    qsort(lags, nl, sizeof *lags, cmp_double);
    qsort(closes, w->nfiles, sizeof *closes, cmp_double);
    lag.lag_events = nl;
    lag.lag_files = w->nfiles;
    lag.lag_p50 = percentile(lags, nl, 0.50);
    lag.lag_p99 = percentile(lags, nl, 0.99);
    lag.lag_max = nl ? lags[nl - 1] : 0;
    lag.close_p50 = percentile(closes, w->nfiles, 0.50);
    lag.close_p99 = percentile(closes, w->nfiles, 0.99);
    lag.close_max = w->nfiles ? closes[w->nfiles - 1] : 0;
    free(lags);
    free(closes);
}

static void run_lag(void)
{
    char data[300], lake[300];
    snprintf(data, sizeof data, "%s/lag-data", bench_tmp_dir());
    snprintf(lake, sizeof lake, "%s/lag-lake", bench_tmp_dir());
    hub_handle h;
    hub_open(&h, data, NULL, lake, "deflate");
    hub_start(&h);
    producer p;
    producer_open(&p, h.port);
    size_t next = 0;
    /* Warm-up: connection, metadata and the hub's creation stay outside. */
    producer_send(&p, next++);
    rd_kafka_flush(p.rk, 10000);
    if (atomic_load(&p.acked) != 1) {
        bench_fatal("warm-up event not acknowledged: %s", p.err);
    }

    /* Peak: as fast as possible; acks counted over the last peak_seconds
     * (the first 0.5 s fills librdkafka's queue). The acks of every 0.5 s
     * go to stderr, to show whether the rate holds. */
    double t0 = bench_now(), t_mid = t0 + 0.5, t_end = t_mid + opt.peak_seconds;
    uint64_t a_mid = 0, a_slice = 0;
    double t_slice = t0;
    char profile[512] = "";
    size_t plen = 0;
    bool mid = false;
    for (double now = t0; now < t_end; now = bench_now()) {
        for (int k = 0; k < 64; k++) {
            producer_send(&p, next++ % es.n);
        }
        if (now - t_slice >= 0.5) {
            rd_kafka_poll(p.rk, 0);
            uint64_t a = atomic_load(&p.acked);
            if (plen < sizeof profile - 16) {
                plen += (size_t)snprintf(profile + plen, sizeof profile - plen, " %.0f",
                                         (double)(a - a_slice) / (now - t_slice) / 1e3);
            }
            a_slice = a;
            t_slice = now;
            if (!mid) {
                a_mid = a;
                t_mid = now;
                mid = true;
            }
        }
    }
    rd_kafka_poll(p.rk, 0);
    lag.peak = (double)(atomic_load(&p.acked) - a_mid) / (bench_now() - t_mid);
    rd_kafka_flush(p.rk, 120000);
    uint64_t total = atomic_load(&p.acked);
    bench_note("peak ingest: %.0f k events/s over %.1f s (%" PRIu64
               " events sent); k acks/s per 0.5 s:%s",
               lag.peak / 1e3, opt.peak_seconds, total, profile);
    /* Capture catches up with the peak phase before the lag is measured. */
    double tc = bench_now();
    while (captured_events(&h) < total) {
        if (bench_now() - tc > 120) {
            bench_fatal("capture did not catch up with the peak phase in 120 s");
        }
        sleep_ns(5000000L);
    }
    lag.catchup_s = bench_now() - tc;
    bench_note("capture caught up with the peak phase %.2f s after it ended", lag.catchup_s);

    /* Half rate, watched. */
    lag.rate = lag.peak / 2;
    static watcher w;
    memset(&w, 0, sizeof w);
    for (int q = 0; q < PARTITIONS; q++) {
        snprintf(w.part_dir[q], sizeof w.part_dir[q], "%s/eddy/%s/%d", lake, HUB_NAME, q);
    }
    int64_t start_ms = eddy_clock_wall_ms();
    int64_t end_ms = start_ms + (int64_t)(opt.lag_seconds * 1000);
    w.first_win = (start_ms / 1000 + 1) * 1000; /* the first window wholly inside */
    w.end_win = end_ms / 1000 * 1000;
    lag.want_files = (size_t)((w.end_win - w.first_win) / 1000) * PARTITIONS;
    w.files = calloc(lag.want_files + 1, sizeof *w.files);
    if (!w.files || w.end_win <= w.first_win) {
        bench_fatal("lag phase too short (EDDY_BENCH_LAG_SECONDS >= 2)");
    }
    if (pthread_create(&w.thread, NULL, watcher_main, &w) != 0) {
        bench_fatal("pthread_create failed");
    }
    eddy_rate r;
    int64_t n0 = eddy_clock_mono_ns();
    eddy_rate_init(&r, lag.rate, n0, 0.1);
    uint64_t sent = 0;
    while (eddy_clock_wall_ms() < end_ms) {
        int64_t now = eddy_clock_mono_ns();
        while (eddy_rate_next(&r, now, NULL)) {
            producer_send(&p, next++ % es.n);
            sent++;
        }
        rd_kafka_poll(p.rk, 0);
        int64_t wait = eddy_rate_wait_ns(&r, eddy_clock_mono_ns());
        if (wait > 0) {
            sleep_ns(wait < 1000000 ? (long)wait : 1000000L);
        }
    }
    lag.achieved = (double)sent / ((double)(eddy_clock_mono_ns() - n0) / 1e9);
    producer_close(&p);
    /* The last window's files appear shortly after it ends; the watcher
     * stops by itself once it has seen every file. */
    double tw = bench_now();
    while (pthread_tryjoin_np(w.thread, NULL) != 0) {
        if (bench_now() - tw > 30) {
            atomic_store(&w.stop, true);
            pthread_join(w.thread, NULL);
            break;
        }
        sleep_ns(10000000L);
    }
    hub_close(&h);
    if (w.nfiles != lag.want_files) {
        bench_fatal("lag: %zu of %zu files appeared", w.nfiles, lag.want_files);
    }
    lag_measure(&w);
    bench_note("lag phase: %.0f events/s asked, %.0f sent; %zu files (%d partitions x %zu "
               "windows) with %zu events; lag p50 %.1f ms, p99 %.1f ms, max %.1f ms; close delay "
               "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
               lag.rate, lag.achieved, lag.lag_files, PARTITIONS, lag.lag_files / PARTITIONS,
               lag.lag_events, lag.lag_p50, lag.lag_p99, lag.lag_max, lag.close_p50, lag.close_p99,
               lag.close_max);
    free(w.files);
    bench_remove_tree(data);
    bench_remove_tree(lake);
    lag.ok = true;
}

/* ---- the table ---------------------------------------------------------- */

/* A row without a measured peer. */
static void row_alone(const char *name, double value, const char *unit, const char *peer)
{
    printf("| %s | %.2f %s | %s | — | — |\n", name, value, unit, peer);
    fflush(stdout);
}

static void print_table(void)
{
    char name[400], peer[160];
    double n = (double)es.n;
    snprintf(peer, sizeof peer, "avro-c %s generic value API", EDDY_BENCH_AVROC_VERSION);
    for (int c = 0; c < NCODECS && enc.ok; c++) {
        const char *cn = eddy_avro_codec_name(codecs[c]);
        const enc_result *e = &enc.eddy[c], *a = &enc.avroc[c];
        snprintf(name, sizeof name,
                 "Avro EventData encode, codec %s, %zu events from memory into a file + fsync: "
                 "events/s",
                 cn, es.n);
        bench_row(name, n / e->seconds / 1e3, peer, n / a->seconds / 1e3, "k/s");
        snprintf(name, sizeof name,
                 "Avro EventData encode, codec %s: MB/s of encoded datums (uncompressed Avro "
                 "payload)",
                 cn);
        bench_row(name, (double)enc.datum_bytes / e->seconds / 1e6, peer,
                  (double)enc.datum_bytes / a->seconds / 1e6, "MB/s");
        snprintf(name, sizeof name,
                 "Avro EventData encode, codec %s: CPU per event (lower is better; ratio = "
                 "avro-c / eddy)",
                 cn);
        bench_row_lower(name, e->cpu / n * 1e6, peer, a->cpu / n * 1e6, "us");
        if (codecs[c] != EDDY_AVRO_CODEC_NULL) {
            snprintf(name, sizeof name,
                     "Avro EventData file size, codec %s%s (lower is better; ratio = avro-c / "
                     "eddy)",
                     cn,
                     codecs[c] == EDDY_AVRO_CODEC_DEFLATE
                         ? ", eddy libdeflate level 1 vs avro-c zlib default level 6"
                         : "");
            bench_row_lower(name, (double)e->file_bytes / 1e6, peer, (double)a->file_bytes / 1e6,
                            "MB");
        }
    }
    for (int c = 0; c < NCODECS && cap.ok; c++) {
        const char *cn = eddy_avro_codec_name(codecs[c]);
        const cap_result *r = &cap.r[c];
        const enc_result *a = &enc.avroc[c];
        char cpeer[200];
        snprintf(cpeer, sizeof cpeer, "avro-c %s encoding the same records from memory",
                 EDDY_BENCH_AVROC_VERSION);
        snprintf(name, sizeof name,
                 "capture in the hub, backlog of %zu events in %d partitions, codec %s, 1 s "
                 "windows, fsync always: events/s",
                 es.n, PARTITIONS, cn);
        bench_row(name, n / r->seconds / 1e3, cpeer, enc.ok ? n / a->seconds / 1e3 : 0, "k/s");
        snprintf(name, sizeof name, "capture in the hub, codec %s: MB/s of encoded datums", cn);
        bench_row(name, (double)r->datum_bytes / r->seconds / 1e6, cpeer,
                  enc.ok ? (double)enc.datum_bytes / a->seconds / 1e6 : 0, "MB/s");
        snprintf(name, sizeof name,
                 "capture thread CPU per event, codec %s (lower is better; ratio = avro-c / "
                 "eddy)",
                 cn);
        bench_row_lower(name, r->thread_cpu / n * 1e6, cpeer, enc.ok ? a->cpu / n * 1e6 : 0, "us");
    }
    if (lag.ok) {
        row_alone("peak ingest, 1 librdkafka producer (lz4, acks=all), hub fsync always, capture "
                  "on (deflate, 1 s windows): events/s",
                  lag.peak / 1e3, "k/s", "—");
        const char *ref = "Event Hubs Capture: windows of 60 s at least (reference, not measured)";
        snprintf(name, sizeof name,
                 "capture lag p50 (enqueued -> file visible) at half of peak ingest (%.0f k "
                 "events/s), deflate, 1 s windows",
                 lag.rate / 1e3);
        row_alone(name, lag.lag_p50, "ms", ref);
        snprintf(name, sizeof name, "capture lag p99 at half of peak ingest (%.0f k events/s)",
                 lag.rate / 1e3);
        row_alone(name, lag.lag_p99, "ms", ref);
        row_alone("capture close delay p50 (file visible - window end) at half of peak ingest",
                  lag.close_p50, "ms", "—");
        row_alone("capture close delay p99 (file visible - window end) at half of peak ingest",
                  lag.close_p99, "ms", "—");
    }
}

int main(void)
{
    bench_set_name("bench_capture");
    double scale = bench_env_double("EDDY_BENCH_SCALE", 1.0);
    opt.n = (size_t)(1000000 * scale);
    opt.n = opt.n < 10000 ? 10000 : opt.n;
    opt.peak_seconds = bench_env_double("EDDY_BENCH_PEAK_SECONDS", 3);
    opt.lag_seconds = bench_env_double("EDDY_BENCH_LAG_SECONDS", 10);
    opt.perf_dir = getenv("EDDY_BENCH_PERF_DIR");
    const char *only = getenv("EDDY_BENCH_ONLY");
    opt.encode = !only || strstr(only, "encode");
    opt.capture = !only || strstr(only, "capture");
    opt.lag = !only || strstr(only, "lag");
    eddy_log_set_level(EDDY_LOG_WARN);

    bench_setup_tmp("/tmp/eddy-bench-capture-XXXXXX");
    bench_loadavg_note("at start");
    double t0 = bench_now();
    events_build(opt.n);
    bench_note("%zu telemetry events from %d devices built in %.2f s: key %.1f B, body %.1f B on "
               "average, 2 headers (%zu + %d B); temp folder %s",
               es.n, DEVICES, bench_now() - t0, (double)es.key_bytes / (double)es.n,
               (double)es.body_bytes / (double)es.n, sizeof ct_val - 1, TRACE_LEN, bench_tmp_dir());
    size_t warm = es.n * 1000;
    bench_note("page-cache warm-up: %.0f MB written and deleted in %.2f s", (double)warm / 1e6,
               pagecache_warmup(warm));
    if (opt.encode) {
        run_encoders();
        bench_note("encoded datums: %.1f B on average, %.1f MB in all",
                   (double)enc.datum_bytes / (double)es.n, (double)enc.datum_bytes / 1e6);
    }
    if (opt.capture) {
        run_capture();
    }
    if (opt.lag) {
        run_lag();
    }
    bench_loadavg_note("at end");
    bench_note("whole run %.0f s", bench_now() - t0);
    print_table();
    return 0;
}

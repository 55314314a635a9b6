/* Hub benchmark: `eddy hub` against Redis Streams, side by side in one run.
 *
 * It starts the release `eddy hub` (a fresh one per phase, on a loopback port
 * the kernel picks, with a temp data folder) and redis-server (no persistence,
 * and as the durable peer an fsync-always AOF), then drives each side with its
 * standard client: librdkafka producers (acks=all, linger 5 ms, large batches,
 * no compression; 1 and 8 concurrent producers) into a 4-partition hub, and
 * redis-benchmark's pipelined XADD with the same count and payload size. Around
 * every phase it reads each server's own CPU time (utime+stime from
 * /proc/<pid>/stat), so CPU per event compares the servers, not the clients.
 * In-process it measures memcpy+CRC-32C per GB, the CPU cost of writing into
 * the page cache (a floor for any log), the loopback TCP ceiling (one sender
 * and one receiver thread, 16 KiB writes; before and after the servers, the
 * higher counts), and producer-to-consumer latency at a fixed rate with
 * linger.ms 0 and 5: a librdkafka producer and consumer on the hub, a small
 * RESP client doing XADD and XREAD BLOCK on Redis.
 *
 * The machine is a 2-vCPU VM that others share: the load average is printed
 * at the start and the end, each hub phase runs right before its Redis phase,
 * and each hub phase is preceded by a page-cache warm-up (see
 * pagecache_seconds_per_gb) so that the VM's first-touch cost of guest pages
 * does not land on one phase at random.
 *
 * Rows go to stdout in bench/run.sh's table format; progress, details and the
 * targets of issue 3 go to stderr. Everything it starts is stopped and the temp
 * folder removed on exit, on failure and on SIGINT/SIGTERM/SIGHUP; servers
 * also get PR_SET_PDEATHSIG, so even a SIGKILL of this process leaves none
 * running (only the temp folder). Those helpers (children, clean-up, servers,
 * the RESP client) are shared with bench_groups.c in benchlib.c.
 *
 * Environment:
 *   EDDY_BENCH_SCALE=F           event counts times F (default 1: 2,000,000 x
 *                                100 B and 500,000 x 1 KiB; 0.1 for a quick run)
 *   EDDY_BENCH_EDDY=PATH         the eddy binary (default: the one built beside)
 *   EDDY_BENCH_PHASE_SECONDS=S   hard limit of one phase (default 60)
 *   EDDY_BENCH_LAT_SECONDS=S     measured seconds per latency phase (default 5)
 *   EDDY_BENCH_LAT_RATE=N        latency phases' events/s (default 10000)
 *   EDDY_BENCH_FETCH_WAIT_MS=N   latency consumer's fetch.wait.max.ms (100)
 *   EDDY_BENCH_ONLY=LIST         some of ingest,durable,latency (default all)
 *   EDDY_BENCH_PERF_DIR=DIR      record `perf record -g` of every hub phase
 *                                into DIR (perturbs the figures) */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "benchlib.h"
#include "core/crc.h"

#ifndef EDDY_BENCH_EDDY_BIN
#define EDDY_BENCH_EDDY_BIN "eddy"
#endif

#define HUB_PARTITIONS 4
#define LAT_SIZE       100
#define REDIS_PIPELINE "64"

/* --- options --- */

typedef struct options {
    uint64_t n_small; /* events of 100 B */
    uint64_t n_large; /* events of 1 KiB */
    double phase_seconds;
    double lat_seconds;
    double lat_rate;
    const char *fetch_wait; /* the latency consumer's fetch.wait.max.ms */
    const char *eddy;
    const char *perf_dir;
} options;

static options opt;

/* --- results --- */

typedef struct ingest_result {
    bool ok;
    uint64_t events; /* delivered (acknowledged) */
    double seconds;
    double cpu; /* the server's CPU seconds over the phase */
    size_t size;
} ingest_result;

static double events_per_s(const ingest_result *r)
{
    return r->ok && r->seconds > 0 ? (double)r->events / r->seconds : 0;
}

static double mb_per_s(const ingest_result *r)
{
    return events_per_s(r) * (double)r->size / 1e6;
}

static double cpu_us_per_event(const ingest_result *r)
{
    return r->ok && r->events ? r->cpu / (double)r->events * 1e6 : 0;
}

/* CPU seconds per GB written into the page cache of a fresh file with 1 MiB
 * pwrites (no fsync), then deleted: the kernel-side floor of any log that
 * writes each byte once. On this VM the first touch of guest pages costs
 * about 8x more than pages the page cache recycles (1.5-1.7 s/GB cold against
 * ~0.2 s/GB warm), and which one a phase gets depends on what ran before;
 * so every hub ingest phase is preceded by this write as a warm-up, and the
 * floor is the warm figure. */
static double pagecache_seconds_per_gb(size_t total)
{
    char path[300];
    snprintf(path, sizeof path, "%s/pagecache-probe", bench_tmp_dir());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    size_t chunk = 1 << 20;
    uint8_t *buf = malloc(chunk);
    if (fd < 0 || !buf) {
        bench_fatal("page-cache probe: %s", strerror(errno));
    }
    memset(buf, 'p', chunk);
    double cpu0 = bench_own_cpu_seconds(RUSAGE_THREAD);
    for (size_t off = 0; off < total; off += chunk) {
        if (pwrite(fd, buf, chunk, (off_t)off) != (ssize_t)chunk) {
            bench_fatal("page-cache probe: write: %s", strerror(errno));
        }
    }
    double cpu = bench_own_cpu_seconds(RUSAGE_THREAD) - cpu0;
    close(fd);
    unlink(path);
    free(buf);
    return cpu / ((double)total / 1e9);
}

/* --- hub ingest with librdkafka producers --- */

typedef struct ingest_spec {
    int port;
    const char *topic;
    const uint8_t *payload;
    size_t size;
    double deadline; /* set by the main thread before the second barrier */
} ingest_spec;

typedef struct producer {
    pthread_t thread;
    ingest_spec *spec;
    pthread_barrier_t *barrier;
    uint64_t count; /* events to send */
    uint64_t ok, failed;
    bool ready;
    double finish;
    char err[256];
    struct lat_state *acks; /* latency phases: send-to-ack times */
} producer;

static void lat_record(struct lat_state *st, const char *p, size_t n, uint64_t recv_ns);

static void producer_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    producer *p = opaque;
    if (m->err) {
        if (p->failed++ == 0) {
            snprintf(p->err, sizeof p->err, "%s", rd_kafka_err2str(m->err));
        }
    } else {
        p->ok++;
        if (p->acks) {
            lat_record(p->acks, m->payload, m->len, bench_now_ns());
        }
    }
}

static rd_kafka_t *producer_new(int port, const char *linger_ms, void *opaque)
{
    rd_kafka_conf_t *conf = bench_kafka_producer_conf(port, linger_ms, "1000000", "2000000");
    rd_kafka_conf_set_dr_msg_cb(conf, producer_dr);
    rd_kafka_conf_set_opaque(conf, opaque);
    char err[256];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        bench_note("rd_kafka_new: %s", err);
    }
    return rk;
}

static void *producer_main(void *arg)
{
    producer *p = arg;
    ingest_spec *s = p->spec;
    rd_kafka_t *rk = producer_new(s->port, "5", p);
    rd_kafka_topic_t *rkt = rk ? rd_kafka_topic_new(rk, s->topic, NULL) : NULL;
    /* Warm-up: one event each, so connecting, metadata and the hub's
     * auto-creation of the topic stay outside the timed window. */
    if (rkt && rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, 0, (void *)s->payload, s->size, NULL, 0,
                                NULL) == 0) {
        rd_kafka_flush(rk, 20000);
        p->ready = p->ok == 1;
    }
    if (!p->ready && !p->err[0]) {
        snprintf(p->err, sizeof p->err, "warm-up event not delivered");
    }
    p->ok = p->failed = 0;
    pthread_barrier_wait(p->barrier); /* 1: warmed up */
    pthread_barrier_wait(p->barrier); /* 2: go */
    if (p->ready) {
        uint64_t i = 0;
        while (i < p->count) {
            if (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, 0, (void *)s->payload, s->size, NULL,
                                 0, NULL) == 0) {
                i++;
                if ((i & 1023) == 0) {
                    rd_kafka_poll(rk, 0);
                    if (bench_now() > s->deadline) {
                        break;
                    }
                }
            } else if (rd_kafka_last_error() == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                rd_kafka_poll(rk, 1);
                if (bench_now() > s->deadline) {
                    break;
                }
            } else {
                snprintf(p->err, sizeof p->err, "produce: %s",
                         rd_kafka_err2str(rd_kafka_last_error()));
                break;
            }
        }
        double left = s->deadline - bench_now();
        if (rd_kafka_flush(rk, left > 0 ? (int)(left * 1000) : 0) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
            rd_kafka_flush(rk, 5000);
            if (!p->err[0]) {
                snprintf(p->err, sizeof p->err, "phase time limit reached");
            }
        }
        p->finish = bench_now();
    }
    pthread_barrier_wait(p->barrier); /* 3: done */
    pthread_barrier_wait(p->barrier); /* 4: measured */
    if (rkt) {
        rd_kafka_topic_destroy(rkt);
    }
    if (rk) {
        rd_kafka_destroy(rk);
    }
    return NULL;
}

/* One timed ingest into a fresh hub: nprod producers share n events. */
static ingest_result hub_ingest(const char *fsync_policy, int nprod, uint64_t n,
                                const uint8_t *payload, size_t size, const char *tag)
{
    ingest_result r = {.size = size};
    pagecache_seconds_per_gb(n * size); /* warm-up: see pagecache_seconds_per_gb */
    bench_server hub;
    bench_hub_start(&hub, opt.eddy, fsync_policy, HUB_PARTITIONS, NULL);
    pid_t perf;
    bench_perf_start(&perf, opt.perf_dir, hub.pid, tag);
    ingest_spec spec = {.port = hub.port, .topic = "ingest", .payload = payload, .size = size};
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, (unsigned)nprod + 1);
    producer *prods = calloc((size_t)nprod, sizeof *prods);
    if (!prods) {
        bench_fatal("out of memory");
    }
    for (int i = 0; i < nprod; i++) {
        prods[i].spec = &spec;
        prods[i].barrier = &barrier;
        prods[i].count = n / (uint64_t)nprod + ((uint64_t)i < n % (uint64_t)nprod ? 1 : 0);
        if (pthread_create(&prods[i].thread, NULL, producer_main, &prods[i]) != 0) {
            bench_fatal("pthread_create failed");
        }
    }
    pthread_barrier_wait(&barrier); /* 1 */
    bool ready = true;
    for (int i = 0; i < nprod; i++) {
        ready = ready && prods[i].ready;
    }
    spec.deadline = bench_now() + opt.phase_seconds;
    double cpu0 = bench_proc_stat_cpu_seconds(hub.pid);
    double client0 = bench_own_cpu_seconds(RUSAGE_SELF);
    double t0 = bench_now();
    pthread_barrier_wait(&barrier); /* 2 */
    pthread_barrier_wait(&barrier); /* 3 */
    double cpu1 = bench_proc_stat_cpu_seconds(hub.pid);
    double client = bench_own_cpu_seconds(RUSAGE_SELF) - client0;
    double t1 = t0;
    for (int i = 0; i < nprod; i++) {
        r.events += prods[i].ok;
        t1 = prods[i].finish > t1 ? prods[i].finish : t1;
    }
    pthread_barrier_wait(&barrier); /* 4 */
    for (int i = 0; i < nprod; i++) {
        pthread_join(prods[i].thread, NULL);
        if (prods[i].err[0] || prods[i].failed) {
            bench_note("%s: producer %d: %" PRIu64 " failed, %s", tag, i, prods[i].failed,
                       prods[i].err);
        }
    }
    bench_perf_stop(perf);
    r.seconds = t1 - t0;
    r.cpu = cpu1 - cpu0;
    r.ok = ready && r.events > 0 && cpu0 >= 0 && cpu1 >= 0;
    if (r.events != n) {
        bench_note("%s: only %" PRIu64 " of %" PRIu64 " events acknowledged", tag, r.events, n);
    }
    free(prods);
    pthread_barrier_destroy(&barrier);
    bench_server_stop(&hub);
    bench_note("%-28s %9.0f events/s %8.1f MB/s  hub CPU %.2f s = %.3f us/event; librdkafka CPU "
               "%.2f s in %.2f s",
               tag, events_per_s(&r), mb_per_s(&r), r.cpu, cpu_us_per_event(&r), client, r.seconds);
    return r;
}

/* --- Redis ingest with redis-benchmark --- */

static ingest_result redis_ingest(const bench_server *redis, int clients, uint64_t n,
                                  const uint8_t *payload, size_t size, const char *tag)
{
    ingest_result r = {.size = size};
    static const char *const flush[] = {"FLUSHALL"};
    if (!bench_resp_ok(redis->port, 1, flush)) {
        bench_fatal("redis FLUSHALL failed");
    }
    char port[16], count[32], conns[16], out[400];
    snprintf(port, sizeof port, "%d", redis->port);
    snprintf(count, sizeof count, "%" PRIu64, n);
    snprintf(conns, sizeof conns, "%d", clients);
    snprintf(out, sizeof out, "%s/redis-benchmark.out", bench_tmp_dir());
    char *value = malloc(size + 1);
    if (!value) {
        bench_fatal("out of memory");
    }
    memcpy(value, payload, size);
    value[size] = '\0';
    char *const argv[] = {
        "redis-benchmark", "-h",    "127.0.0.1", "-p",    port, "-n", count, "-c", conns, "-P",
        REDIS_PIPELINE,    "--csv", "XADD",      "bench", "*",  "f",  value, NULL};
    double cpu0 = bench_proc_stat_cpu_seconds(redis->pid);
    double t0 = bench_now();
    pid_t pid = bench_spawn(argv, out);
    int status = -1;
    bool done = false;
    while (!(done = bench_child_exited(pid, &status)) && bench_now() - t0 < opt.phase_seconds) {
        usleep(5000);
    }
    if (!done) {
        bench_child_stop(pid, SIGKILL, 1);
        bench_note("%s: redis-benchmark hit the phase time limit", tag);
    }
    double cpu1 = bench_proc_stat_cpu_seconds(redis->pid);
    free(value);
    char text[8192];
    bench_read_text(out, text, sizeof text);
    const char *line = strstr(text, "\n\"XADD");
    double rps = 0;
    if (done && status == 0 && line) {
        const char *q = strstr(line, "\",\"");
        rps = q ? strtod(q + 3, NULL) : 0;
    }
    static const char *const xlen[] = {"XLEN", "bench"};
    long long stored = bench_resp_integer(redis->port, 2, xlen);
    r.events = stored > 0 ? (uint64_t)stored : 0;
    r.seconds = rps > 0 ? (double)r.events / rps : 0;
    r.cpu = cpu1 - cpu0;
    /* redis-benchmark rounds up to whole pipelines per client (a few dozen
     * more); the rate is over what it sent, so both sides count alike. */
    r.ok = rps > 0 && r.events >= n;
    if (!r.ok) {
        bench_note("%s: redis-benchmark failed (status %d, %lld entries stored):\n%s", tag, status,
                   stored, text);
    }
    bench_note("%-28s %9.0f events/s %8.1f MB/s  redis CPU %.2f s = %.3f us/event", tag,
               events_per_s(&r), mb_per_s(&r), r.cpu, cpu_us_per_event(&r));
    return r;
}

/* --- in-process ceilings: memcpy + CRC-32C, loopback TCP --- */

/* Best seconds per GB of fn over a 1 MiB buffer. */
static double seconds_per_gb(int which, const uint8_t *src, uint8_t *dst, size_t n)
{
    double best = 0;
    for (int round = 0; round < 6; round++) {
        double t0 = bench_now(), t;
        uint64_t iters = 0;
        do {
            if (which == 0) {
                memcpy(dst, src, n);
                bench_sink(dst[iters % n]);
            } else {
                bench_sink(eddy_crc32c(0, src, n));
            }
            iters++;
            t = bench_now();
        } while (t - t0 < 0.2);
        double gbs = (double)iters * (double)n / (t - t0) / 1e9;
        best = round == 0 ? 0 : (gbs > best ? gbs : best); /* round 0 warms up */
    }
    return 1.0 / best;
}

typedef struct sink_arg {
    int lfd;
    uint64_t bytes;
    double first, last;
} sink_arg;

static void *sink_main(void *arg)
{
    sink_arg *a = arg;
    int fd = accept(a->lfd, NULL, NULL);
    if (fd < 0) {
        return NULL;
    }
    static uint8_t buf[256 * 1024];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (a->bytes == 0) {
            a->first = bench_now();
        }
        a->bytes += (uint64_t)n;
        a->last = bench_now();
    }
    close(fd);
    return NULL;
}

/* One sender thread (this one) and one receiver thread over 127.0.0.1,
 * 16 KiB writes: the best MB/s of three 1-second rounds. */
static double loopback_mb_per_s(void)
{
    static uint8_t chunk[16384];
    memset(chunk, 'x', sizeof chunk);
    double best = 0;
    for (int round = 0; round < 3; round++) {
        sink_arg a = {0};
        int port;
        a.lfd = bench_tcp_listen_any(&port);
        pthread_t th;
        if (a.lfd < 0 || pthread_create(&th, NULL, sink_main, &a) != 0) {
            bench_fatal("loopback: cannot listen");
        }
        int fd = bench_tcp_connect(port);
        if (fd < 0) {
            bench_fatal("loopback: cannot connect");
        }
        double end = bench_now() + 1.0;
        while (bench_now() < end) {
            for (int i = 0; i < 16; i++) {
                if (!bench_write_all(fd, chunk, sizeof chunk)) {
                    bench_fatal("loopback: write failed");
                }
            }
        }
        close(fd);
        pthread_join(th, NULL);
        close(a.lfd);
        double mbs = a.last > a.first ? (double)a.bytes / (a.last - a.first) / 1e6 : 0;
        best = mbs > best ? mbs : best;
    }
    return best;
}

/* --- latency at a fixed rate --- */

typedef struct latency_result {
    bool ok;
    uint64_t sent, samples;
    double p50_ms, p99_ms, p999_ms, max_ms;
} latency_result;

/* Samples are kept only for events sent at or after measure_from (the first
 * second warms up). The payload starts "T<ns> " (CLOCK_MONOTONIC of the send:
 * producer and consumer are threads of this process). */
typedef struct lat_state {
    uint64_t *samples; /* ns */
    uint64_t nsamples, cap;
    uint64_t received;                     /* consumer thread only */
    atomic_uint_least64_t measure_from_ns; /* set by the producer side */
    atomic_bool producing_done;
    atomic_uint_least64_t sent_total;
    double done_at;  /* written before producing_done is set */
    uint64_t t_recv; /* arrival of the reply being walked */
} lat_state;

static void lat_record(lat_state *st, const char *p, size_t n, uint64_t recv_ns)
{
    if (n < 2 || p[0] != 'T') {
        return;
    }
    st->received++;
    uint64_t sent = strtoull(p + 1, NULL, 10);
    if (sent >= atomic_load(&st->measure_from_ns) && st->nsamples < st->cap && recv_ns >= sent) {
        st->samples[st->nsamples++] = recv_ns - sent;
    }
}

static size_t lat_payload(char *buf, uint64_t seq)
{
    int n = snprintf(buf, LAT_SIZE + 1, "T%" PRIu64 " %" PRIu64 " ", bench_now_ns(), seq);
    memset(buf + n, 'x', LAT_SIZE - (size_t)n);
    return LAT_SIZE;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void lat_finish(lat_state *st, latency_result *r)
{
    r->samples = st->nsamples;
    r->ok = st->nsamples > 100;
    if (!r->ok) {
        return;
    }
    qsort(st->samples, st->nsamples, sizeof *st->samples, cmp_u64);
    uint64_t n = st->nsamples;
    r->p50_ms = (double)st->samples[(n - 1) * 50 / 100] / 1e6;
    r->p99_ms = (double)st->samples[(n - 1) * 99 / 100] / 1e6;
    r->p999_ms = (double)st->samples[(n - 1) * 999 / 1000] / 1e6;
    r->max_ms = (double)st->samples[n - 1] / 1e6;
}

/* Waits until time t (CLOCK_MONOTONIC seconds). */
static void sleep_until(double t)
{
    struct timespec ts = {.tv_sec = (time_t)t};
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

/* The consumer stops once everything sent has arrived, or 3 s after the
 * producer finished. */
static bool lat_consumer_done(lat_state *st)
{
    if (!atomic_load(&st->producing_done)) {
        return false;
    }
    return st->received >= atomic_load(&st->sent_total) || bench_now() > st->done_at + 3;
}

typedef struct kafka_lat {
    lat_state st;
    rd_kafka_queue_t *queue;
} kafka_lat;

static void kafka_consumed(rd_kafka_message_t *m, void *opaque)
{
    kafka_lat *k = opaque;
    if (!m->err) {
        lat_record(&k->st, m->payload, m->len, bench_now_ns());
    }
}

/* consume_callback_queue hands over each event as soon as it is there
 * (consume_batch_queue would wait to fill its whole array). */
static void *kafka_consumer_main(void *arg)
{
    kafka_lat *k = arg;
    while (!lat_consumer_done(&k->st)) {
        rd_kafka_consume_callback_queue(k->queue, 100, kafka_consumed, k);
    }
    return NULL;
}

/* Sends total events at rate events/s (send(seq) sends one, false on a
 * failure); behind schedule it sends at once, so bursts follow stalls. */
typedef bool (*send_fn)(void *ctx, uint64_t seq);

static uint64_t paced_send(double rate, uint64_t total, send_fn send, void *ctx)
{
    double t0 = bench_now();
    uint64_t i = 0;
    while (i < total) {
        double due = t0 + (double)i / rate;
        if (bench_now() < due) {
            sleep_until(due);
        }
        if (!send(ctx, i)) {
            break;
        }
        i++;
    }
    return i;
}

typedef struct kafka_send_ctx {
    rd_kafka_t *rk;
    rd_kafka_topic_t *rkt;
    lat_state *st;
} kafka_send_ctx;

static bool kafka_send_one(void *arg, uint64_t seq)
{
    kafka_send_ctx *c = arg;
    char buf[LAT_SIZE + 1];
    size_t n = lat_payload(buf, seq);
    while (rd_kafka_produce(c->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, buf, n, NULL, 0,
                            NULL) != 0) {
        if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            return false;
        }
        rd_kafka_poll(c->rk, 1);
    }
    atomic_fetch_add(&c->st->sent_total, 1);
    rd_kafka_poll(c->rk, 0);
    return true;
}

static latency_result hub_latency(const char *fsync_policy, const char *linger_ms, const char *tag)
{
    latency_result r = {0};
    bench_server hub;
    bench_hub_start(&hub, opt.eddy, fsync_policy, HUB_PARTITIONS, NULL);
    pid_t perf;
    bench_perf_start(&perf, opt.perf_dir, hub.pid, tag);
    producer dr = {0};
    rd_kafka_t *prk = producer_new(hub.port, linger_ms, &dr);
    if (!prk) {
        bench_fatal("%s: cannot create the producer", tag);
    }
    rd_kafka_topic_t *prkt = rd_kafka_topic_new(prk, "latency", NULL);
    char warm[LAT_SIZE + 1];
    memset(warm, 'w', LAT_SIZE);
    rd_kafka_produce(prkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, warm, LAT_SIZE, NULL, 0,
                     NULL);
    rd_kafka_flush(prk, 20000);
    if (dr.ok != 1) {
        bench_fatal("%s: warm-up event not delivered: %s", tag, dr.err);
    }

    rd_kafka_conf_t *conf = bench_kafka_conf(hub.port);
    bench_kafka_set(conf, "fetch.wait.max.ms", opt.fetch_wait);
    bench_kafka_set(conf, "fetch.min.bytes", "1");
    bench_kafka_set(conf, "fetch.error.backoff.ms", "10");
    bench_kafka_set(conf, "enable.partition.eof", "false");
    char err[256];
    rd_kafka_t *crk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!crk) {
        bench_fatal("%s: consumer: %s", tag, err);
    }
    rd_kafka_topic_t *crkt = rd_kafka_topic_new(crk, "latency", NULL);
    kafka_lat k = {.queue = rd_kafka_queue_new(crk)};
    uint64_t total = (uint64_t)(opt.lat_rate * (opt.lat_seconds + 1.0));
    k.st.cap = total;
    k.st.samples = calloc(total, sizeof *k.st.samples);
    lat_state acks = {.cap = total, .samples = calloc(total, sizeof *acks.samples)};
    if (!k.st.samples || !acks.samples) {
        bench_fatal("out of memory");
    }
    atomic_init(&acks.measure_from_ns, UINT64_MAX);
    dr.acks = &acks;
    for (int p = 0; p < HUB_PARTITIONS; p++) {
        if (rd_kafka_consume_start_queue(crkt, p, RD_KAFKA_OFFSET_END, k.queue) != 0) {
            bench_fatal("%s: consume_start: %s", tag, rd_kafka_err2str(rd_kafka_last_error()));
        }
    }
    /* The consumer looks up the end offsets and parks in a long poll. */
    atomic_init(&k.st.measure_from_ns, UINT64_MAX);
    pthread_t th;
    if (pthread_create(&th, NULL, kafka_consumer_main, &k) != 0) {
        bench_fatal("pthread_create failed");
    }
    usleep(1000000);
    double cpu0 = bench_proc_stat_cpu_seconds(hub.pid);
    atomic_store(&k.st.measure_from_ns, bench_now_ns() + 1000000000u); /* 1 s of warm-up */
    atomic_store(&acks.measure_from_ns, atomic_load(&k.st.measure_from_ns));
    kafka_send_ctx sc = {.rk = prk, .rkt = prkt, .st = &k.st};
    r.sent = paced_send(opt.lat_rate, total, kafka_send_one, &sc);
    rd_kafka_flush(prk, 10000);
    k.st.done_at = bench_now();
    atomic_store(&k.st.producing_done, true);
    pthread_join(th, NULL);
    double cpu = bench_proc_stat_cpu_seconds(hub.pid) - cpu0;
    if (dr.failed) {
        bench_note("%s: %" PRIu64 " events failed: %s", tag, dr.failed, dr.err);
    }
    if (k.st.received < r.sent) {
        bench_note("%s: %" PRIu64 " of %" PRIu64 " events arrived", tag, k.st.received, r.sent);
    }
    for (int p = 0; p < HUB_PARTITIONS; p++) {
        rd_kafka_consume_stop(crkt, p);
    }
    rd_kafka_queue_destroy(k.queue);
    rd_kafka_topic_destroy(crkt);
    rd_kafka_destroy(crk);
    rd_kafka_topic_destroy(prkt);
    rd_kafka_destroy(prk);
    bench_perf_stop(perf);
    bench_server_stop(&hub);
    latency_result ack = {0};
    lat_finish(&acks, &ack);
    free(acks.samples);
    bench_note("%-28s produce acks: p50 %.3f ms  p99 %.3f ms  max %.3f ms; hub CPU %.3f us/event",
               tag, ack.p50_ms, ack.p99_ms, ack.max_ms, r.sent ? cpu / (double)r.sent * 1e6 : 0);
    lat_finish(&k.st, &r);
    free(k.st.samples);
    bench_note("%-28s p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%" PRIu64 " samples)",
               tag, r.p50_ms, r.p99_ms, r.p999_ms, r.max_ms, r.samples);
    return r;
}

/* Redis: XADD at the rate on one connection, XREAD BLOCK on another. */
typedef struct redis_lat {
    lat_state st;
    int port;
    char last_id[64];
    bool broken;
} redis_lat;

static void redis_lat_bulk(void *ctx, int depth, const char *p, long n)
{
    redis_lat *rl = ctx;
    if (depth == 4 && n > 0 && (size_t)n < sizeof rl->last_id) {
        memcpy(rl->last_id, p, (size_t)n); /* the entry id */
        rl->last_id[n] = '\0';
    } else if (depth == 5) {
        lat_record(&rl->st, p, (size_t)n, rl->st.t_recv);
    }
}

static void *redis_consumer_main(void *arg)
{
    redis_lat *rl = arg;
    bench_resp_conn c;
    if (!bench_resp_connect(&c, rl->port)) {
        rl->broken = true;
        return NULL;
    }
    snprintf(rl->last_id, sizeof rl->last_id, "$");
    while (!lat_consumer_done(&rl->st)) {
        const char *argv[] = {"XREAD", "COUNT",   "1000",    "BLOCK",
                              "100",   "STREAMS", "latency", rl->last_id};
        if (!bench_resp_send(&c, 8, argv)) {
            rl->broken = true;
            break;
        }
        /* t_recv is stamped when the reply is complete, before the walk. */
        if (bench_resp_read(&c, redis_lat_bulk, rl, &rl->st.t_recv) == 0) {
            rl->broken = true;
            break;
        }
    }
    bench_resp_close(&c);
    return NULL;
}

typedef struct redis_send_ctx {
    int fd;
    lat_state *st;
    uint64_t replies; /* reply bytes read and dropped */
} redis_send_ctx;

static bool redis_send_one(void *arg, uint64_t seq)
{
    redis_send_ctx *c = arg;
    char buf[LAT_SIZE + 1];
    size_t n = lat_payload(buf, seq);
    char out[256];
    int h = snprintf(out, sizeof out,
                     "*5\r\n$4\r\nXADD\r\n$7\r\nlatency\r\n$1\r\n*\r\n$1\r\nt\r\n$%zu\r\n", n);
    memcpy(out + h, buf, n);
    memcpy(out + h + n, "\r\n", 2);
    if (!bench_write_all(c->fd, out, (size_t)h + n + 2)) {
        return false;
    }
    atomic_fetch_add(&c->st->sent_total, 1);
    char drop[4096];
    ssize_t got;
    while ((got = recv(c->fd, drop, sizeof drop, MSG_DONTWAIT)) > 0) {
        c->replies += (uint64_t)got;
    }
    return true;
}

static latency_result redis_latency(const bench_server *redis, const char *tag)
{
    latency_result r = {0};
    static const char *const del[] = {"DEL", "latency"};
    bench_resp_integer(redis->port, 2, del);
    redis_lat rl = {.port = redis->port};
    uint64_t total = (uint64_t)(opt.lat_rate * (opt.lat_seconds + 1.0));
    rl.st.cap = total;
    rl.st.samples = calloc(total, sizeof *rl.st.samples);
    if (!rl.st.samples) {
        bench_fatal("out of memory");
    }
    atomic_init(&rl.st.measure_from_ns, UINT64_MAX);
    pthread_t th;
    if (pthread_create(&th, NULL, redis_consumer_main, &rl) != 0) {
        bench_fatal("pthread_create failed");
    }
    redis_send_ctx sc = {.fd = bench_tcp_connect(redis->port), .st = &rl.st};
    if (sc.fd < 0) {
        bench_fatal("%s: cannot connect to redis", tag);
    }
    usleep(200000); /* the reader is parked in XREAD BLOCK */
    atomic_store(&rl.st.measure_from_ns, bench_now_ns() + 1000000000u);
    r.sent = paced_send(opt.lat_rate, total, redis_send_one, &sc);
    rl.st.done_at = bench_now();
    atomic_store(&rl.st.producing_done, true);
    pthread_join(th, NULL);
    close(sc.fd);
    static const char *const xlen[] = {"XLEN", "latency"};
    long long stored = bench_resp_integer(redis->port, 2, xlen);
    if (rl.broken || stored != (long long)r.sent || rl.st.received < r.sent) {
        bench_note("%s: sent %" PRIu64 ", stored %lld, read back %" PRIu64 "%s", tag, r.sent,
                   stored, rl.st.received, rl.broken ? " (connection broke)" : "");
    }
    lat_finish(&rl.st, &r);
    free(rl.st.samples);
    bench_note("%-28s p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%" PRIu64 " samples)",
               tag, r.p50_ms, r.p99_ms, r.p999_ms, r.max_ms, r.samples);
    return r;
}

/* --- main --- */

static void target(const char *what, double value, double goal)
{
    bench_note("target %-48s %8.3f >= %-4g %s", what, value, goal,
               value >= goal ? "met" : "MISSED");
}

static const int nprods[2] = {1, 8};
static const char *const size_names[2] = {"100 B", "1 KiB"};

/* Everything one run measures; [size: 100 B, 1 KiB][producers: 1, 8]. */
typedef struct results {
    bool ingest, durable, latency;  /* which phases ran */
    double memcpy_s, crc_s, page_s; /* seconds per GB */
    double loop_mbs;
    ingest_result hub_never[2][2], redis[2][2];
    ingest_result hub_always[2], redis_aof[2];          /* 8 producers */
    latency_result lat_hub_never[2], lat_hub_always[2]; /* [linger 0 ms, 5 ms] */
    latency_result lat_redis, lat_redis_aof;
} results;

static const uint8_t *payload_of(int s, size_t *size, uint64_t *n)
{
    static uint8_t small[100], large[1024];
    if (!small[0]) {
        bench_fill_letters(small, sizeof small);
        bench_fill_letters(large, sizeof large);
    }
    *size = s == 0 ? sizeof small : sizeof large;
    *n = s == 0 ? opt.n_small : opt.n_large;
    return s == 0 ? small : large;
}

static void run_ceilings(results *res)
{
    size_t mib = 1 << 20;
    uint8_t *src = malloc(mib), *dst = malloc(mib);
    if (!src || !dst) {
        bench_fatal("out of memory");
    }
    bench_fill_letters(src, mib);
    memset(dst, 0, mib);
    res->memcpy_s = seconds_per_gb(0, src, dst, mib);
    res->crc_s = seconds_per_gb(1, src, dst, mib);
    free(src);
    free(dst);
    bench_note("memcpy %.1f GB/s, CRC-32C %.1f GB/s (1 MiB buffer): %.1f ms per GB together",
               1 / res->memcpy_s, 1 / res->crc_s, (res->memcpy_s + res->crc_s) * 1e3);
    double cold = pagecache_seconds_per_gb((size_t)opt.n_large * 1024);
    res->page_s = pagecache_seconds_per_gb((size_t)opt.n_large * 1024);
    bench_note("page-cache write of a fresh file (1 MiB pwrites): %.1f ms CPU per GB (first: %.1f)",
               res->page_s * 1e3, cold * 1e3);
    res->loop_mbs = loopback_mb_per_s();
    bench_note("loopback TCP, 16 KiB writes: %.0f MB/s", res->loop_mbs);
}

/* Hub fsync never against Redis without persistence; then fsync always
 * against an fsync-always AOF. Each hub phase runs right before its Redis
 * phase, so slow drift in the machine's load hits both alike. */
static void run_servers(results *res)
{
    char tag[64];
    bench_server redis;
    if (res->ingest || res->latency) {
        bench_redis_start(&redis, false);
        for (int s = 0; s < 2 && res->ingest; s++) {
            size_t size;
            uint64_t n;
            const uint8_t *payload = payload_of(s, &size, &n);
            for (int k = 0; k < 2; k++) {
                snprintf(tag, sizeof tag, "hub-never-%zuB-%dp", size, nprods[k]);
                res->hub_never[s][k] = hub_ingest("never", nprods[k], n, payload, size, tag);
                snprintf(tag, sizeof tag, "redis-%zuB-c%d", size, nprods[k]);
                res->redis[s][k] = redis_ingest(&redis, nprods[k], n, payload, size, tag);
            }
        }
        if (res->latency) {
            res->lat_hub_never[0] = hub_latency("never", "0", "latency-hub-never-linger0");
            res->lat_redis = redis_latency(&redis, "latency-redis");
            res->lat_hub_never[1] = hub_latency("never", "5", "latency-hub-never-linger5");
        }
        bench_server_stop(&redis);
    }
    if (res->durable || res->latency) {
        bench_redis_start(&redis, true);
        for (int s = 0; s < 2 && res->durable; s++) {
            size_t size;
            uint64_t n;
            const uint8_t *payload = payload_of(s, &size, &n);
            snprintf(tag, sizeof tag, "hub-always-%zuB-8p", size);
            res->hub_always[s] = hub_ingest("always", 8, n, payload, size, tag);
            snprintf(tag, sizeof tag, "redis-aof-always-%zuB-c8", size);
            res->redis_aof[s] = redis_ingest(&redis, 8, n, payload, size, tag);
        }
        if (res->latency) {
            res->lat_hub_always[0] = hub_latency("always", "0", "latency-hub-always-linger0");
            res->lat_redis_aof = redis_latency(&redis, "latency-redis-aof-always");
            res->lat_hub_always[1] = hub_latency("always", "5", "latency-hub-always-linger5");
        }
        bench_server_stop(&redis);
    }
}

static void print_latency_rows(const char *config, const char *peer, const latency_result *hub,
                               const latency_result *redis)
{
    char name[256];
    for (int l = 0; l < 2; l++) {
        for (int q = 0; q < 2; q++) {
            snprintf(name, sizeof name,
                     "producer-to-consumer %s at %.0f events/s, 100 B, linger.ms=%d, %s (lower is "
                     "better; ratio = redis / eddy)",
                     q == 0 ? "p50" : "p99", opt.lat_rate, l == 0 ? 0 : 5, config);
            bench_row_lower(name, q == 0 ? hub[l].p50_ms : hub[l].p99_ms, peer,
                            q == 0 ? redis->p50_ms : redis->p99_ms, "ms");
        }
    }
}

static void print_table(const results *res)
{
    char name[256];
    for (int s = 0; s < 2 && res->ingest; s++) {
        for (int k = 0; k < 2; k++) {
            const ingest_result *h = &res->hub_never[s][k], *r = &res->redis[s][k];
            snprintf(name, sizeof name,
                     "ingest %s, %d producer%s, hub fsync never (librdkafka acks=all) vs XADD -c "
                     "%d -P " REDIS_PIPELINE ": events/s",
                     size_names[s], nprods[k], nprods[k] > 1 ? "s" : "", nprods[k]);
            bench_row(name, events_per_s(h) / 1e3, "redis-server", events_per_s(r) / 1e3, "k/s");
            snprintf(name, sizeof name, "ingest %s, %d producer%s, hub fsync never: MB/s",
                     size_names[s], nprods[k], nprods[k] > 1 ? "s" : "");
            bench_row(name, mb_per_s(h), "redis-server", mb_per_s(r), "MB/s");
        }
    }
    for (int s = 0; s < 2 && res->durable; s++) {
        const ingest_result *h = &res->hub_always[s], *r = &res->redis_aof[s];
        snprintf(name, sizeof name,
                 "ingest %s, 8 producers, hub fsync always vs XADD -c 8 -P " REDIS_PIPELINE
                 ", appendfsync always: events/s",
                 size_names[s]);
        bench_row(name, events_per_s(h) / 1e3, "redis-server AOF", events_per_s(r) / 1e3, "k/s");
        snprintf(name, sizeof name, "ingest %s, 8 producers, hub fsync always: MB/s",
                 size_names[s]);
        bench_row(name, mb_per_s(h), "redis-server AOF", mb_per_s(r), "MB/s");
    }
    for (int s = 0; s < 2 && res->ingest; s++) {
        for (int k = 0; k < 2; k++) {
            snprintf(name, sizeof name,
                     "server CPU per event, %s, %d producer%s, fsync never (lower is better; "
                     "ratio = redis / eddy, target >= 5)",
                     size_names[s], nprods[k], nprods[k] > 1 ? "s" : "");
            bench_row_lower(name, cpu_us_per_event(&res->hub_never[s][k]), "redis-server per XADD",
                            cpu_us_per_event(&res->redis[s][k]), "us");
        }
    }
    for (int s = 0; s < 2 && res->durable; s++) {
        snprintf(name, sizeof name,
                 "server CPU per event, %s, 8 producers, fsync always (lower is better; ratio = "
                 "redis / eddy)",
                 size_names[s]);
        bench_row_lower(name, cpu_us_per_event(&res->hub_always[s]), "redis-server AOF per XADD",
                        cpu_us_per_event(&res->redis_aof[s]), "us");
    }
    if (res->ingest) {
        const ingest_result *big = &res->hub_never[1][1];
        double ms_per_gb =
            big->ok && big->events ? big->cpu / ((double)big->events * 1024 / 1e9) * 1e3 : 0;
        bench_row_lower("hub CPU per GB ingested, 1 KiB, 8 producers, fsync never (lower is "
                        "better; ratio = memcpy+CRC32C / eddy)",
                        ms_per_gb, "memcpy + CRC-32C, 1 MiB", (res->memcpy_s + res->crc_s) * 1e3,
                        "ms/GB");
        bench_row_lower("hub CPU per GB ingested, 1 KiB, 8 producers, fsync never, against a "
                        "copy + CRC + page-cache write floor (lower is better; ratio = floor / "
                        "eddy)",
                        ms_per_gb, "memcpy + CRC-32C + pwrite to page cache",
                        (res->memcpy_s + res->crc_s + res->page_s) * 1e3, "ms/GB");
        double best = mb_per_s(&res->hub_never[1][0]) > mb_per_s(&res->hub_never[1][1])
                          ? mb_per_s(&res->hub_never[1][0])
                          : mb_per_s(&res->hub_never[1][1]);
        bench_row("ingest 1 KiB, hub fsync never, best of 1/8 producers vs loopback TCP ceiling "
                  "(target ratio >= 0.3)",
                  best, "loopback TCP, 16 KiB writes", res->loop_mbs, "MB/s");
    }
    for (int s = 0; s < 2 && res->ingest && res->durable; s++) {
        snprintf(name, sizeof name,
                 "fsync always vs never, %s, 8 producers: events/s (target ratio >= 0.5)",
                 size_names[s]);
        bench_row(name, events_per_s(&res->hub_always[s]) / 1e3, "eddy hub, fsync never",
                  events_per_s(&res->hub_never[s][1]) / 1e3, "k/s");
    }
    if (res->latency) {
        print_latency_rows("fsync never vs XADD->XREAD BLOCK", "redis-server", res->lat_hub_never,
                           &res->lat_redis);
        print_latency_rows("fsync always vs AOF always", "redis-server AOF", res->lat_hub_always,
                           &res->lat_redis_aof);
    }
}

/* The targets of issue 3, on stderr. */
static void print_targets(const results *res)
{
    char name[128];
    for (int s = 0; s < 2 && res->ingest; s++) {
        for (int k = 0; k < 2; k++) {
            double h = cpu_us_per_event(&res->hub_never[s][k]);
            snprintf(name, sizeof name, "CPU/event redis / hub, %s, %dp", size_names[s], nprods[k]);
            target(name, h > 0 ? cpu_us_per_event(&res->redis[s][k]) / h : 0, 5);
            double r = events_per_s(&res->redis[s][k]);
            snprintf(name, sizeof name, "events/s hub / redis, %s, %dp", size_names[s], nprods[k]);
            target(name, r > 0 ? events_per_s(&res->hub_never[s][k]) / r : 0, 1);
        }
    }
    for (int s = 0; s < 2 && res->ingest && res->durable; s++) {
        double nv = events_per_s(&res->hub_never[s][1]);
        snprintf(name, sizeof name, "fsync always / never, %s, 8p", size_names[s]);
        target(name, nv > 0 ? events_per_s(&res->hub_always[s]) / nv : 0, 0.5);
    }
    if (res->ingest) {
        double best = mb_per_s(&res->hub_never[1][0]) > mb_per_s(&res->hub_never[1][1])
                          ? mb_per_s(&res->hub_never[1][0])
                          : mb_per_s(&res->hub_never[1][1]);
        target("1 KiB ingest / loopback TCP", res->loop_mbs > 0 ? best / res->loop_mbs : 0, 0.3);
    }
}

int main(void)
{
    bench_set_name("bench_hub");
    double scale = bench_env_double("EDDY_BENCH_SCALE", 1.0);
    opt.n_small = (uint64_t)(2000000 * scale);
    opt.n_large = (uint64_t)(500000 * scale);
    opt.n_small = opt.n_small < 1000 ? 1000 : opt.n_small;
    opt.n_large = opt.n_large < 1000 ? 1000 : opt.n_large;
    opt.phase_seconds = bench_env_double("EDDY_BENCH_PHASE_SECONDS", 60);
    opt.lat_seconds = bench_env_double("EDDY_BENCH_LAT_SECONDS", 5);
    opt.lat_rate = bench_env_double("EDDY_BENCH_LAT_RATE", 10000);
    opt.eddy = getenv("EDDY_BENCH_EDDY") ? getenv("EDDY_BENCH_EDDY") : EDDY_BENCH_EDDY_BIN;
    opt.perf_dir = getenv("EDDY_BENCH_PERF_DIR");
    opt.fetch_wait =
        getenv("EDDY_BENCH_FETCH_WAIT_MS") ? getenv("EDDY_BENCH_FETCH_WAIT_MS") : "100";
    if (access(opt.eddy, X_OK) != 0) {
        bench_fatal("%s: not an executable (set EDDY_BENCH_EDDY)", opt.eddy);
    }
    static results res;
    const char *only = getenv("EDDY_BENCH_ONLY");
    res.ingest = !only || strstr(only, "ingest");
    res.durable = !only || strstr(only, "durable");
    res.latency = !only || strstr(only, "latency");

    bench_setup_tmp("/tmp/eddy-bench-hub-XXXXXX");
    bench_note("eddy %s; %" PRIu64 " x 100 B and %" PRIu64 " x 1 KiB events; temp folder %s",
               opt.eddy, opt.n_small, opt.n_large, bench_tmp_dir());
    bench_loadavg_note("at start");
    run_ceilings(&res);
    run_servers(&res);
    /* The loopback ceiling again, after the servers: a burst of other work
     * on the machine during one measurement should not set the ceiling. */
    double again = loopback_mb_per_s();
    bench_note("loopback TCP, 16 KiB writes, again: %.0f MB/s", again);
    res.loop_mbs = again > res.loop_mbs ? again : res.loop_mbs;
    bench_loadavg_note("at end");
    print_table(&res);
    print_targets(&res);
    return 0;
}

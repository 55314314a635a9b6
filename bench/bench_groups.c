/* Consumer-group benchmark: `eddy hub` consumer groups against Redis Streams
 * consumer groups (XREADGROUP), side by side in one run (issue 4).
 *
 * It starts the release `eddy hub` (6 partitions per hub, fsync never, a
 * loopback port the kernel picks, a temp data folder) and redis-server (no
 * persistence, a free loopback port, a temp folder), and loads the same N
 * events of 100 B into both: into the hub with a librdkafka producer, event i
 * to partition i % 6; into Redis as one stream per partition (event i to
 * stream i % 6, pipelined XADD). Each event starts with its sequence number,
 * so both sides count distinct events and duplicates the same way.
 *
 * Why 6 streams: each Redis stream then holds exactly what one hub partition
 * holds, in the same order, and Redis' consumer group (one group per stream,
 * the same name on all six) still hands every entry to exactly one consumer,
 * which is the group semantics being compared. One stream would serialise
 * the whole group on one PEL and cap a reply at COUNT entries where a hub
 * fetch spans partitions; with 6 streams one XREADGROUP returns up to COUNT
 * per stream, the closest match to a multi-partition fetch. It is also the
 * faster layout for Redis here: about 10% more events/s and less CPU per
 * event than one stream (EDDY_BENCH_REDIS_STREAMS=1 runs that layout). Redis
 * still does more work per entry by design (an XACK per entry against the
 * hub's one committed offset per partition): that is the semantic difference
 * measured, not an artefact.
 *
 * Throughput: 3 consumers in one group, each a thread. Hub: 3 librdkafka
 * consumers (own rd_kafka_t, subscribe, auto commit every second, fetch
 * wait 100 ms). Redis: 3 plain RESP clients looping XREADGROUP GROUP g cI
 * COUNT 1000 BLOCK 100 STREAMS ... >, the XACKs of a batch pipelined in front
 * of the next XREADGROUP. Timed from the first subscribe (Redis: XGROUP
 * CREATE) until every one of the N events has been consumed; also from the
 * first event (steady state, without the group join: a new group waits for
 * more members, twice group-initial-rebalance-delay when they arrive
 * together, as Kafka does). Server CPU is read around the phase from the
 * server process's CPU clock (clock_getcpuclockid: the utime+stime of
 * /proc/<pid>/stat, in ns rather than 10 ms ticks).
 *
 * Rebalance: a producer writes steadily (EDDY_BENCH_RATE events/s, spread
 * over the 6 partitions) while 3 hub consumers consume; then one leaves,
 * either gracefully (rd_kafka_consumer_close: LeaveGroup) or kill-style
 * (rd_kafka_destroy_flags with RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE and
 * session.timeout.ms=6000, the minimum the hub accepts). Measured from the
 * departure until the two remaining consumers own all 6 partitions (their
 * rebalance callbacks), and until they have consumed an event from every
 * partition the departed one owned. The hub's log gives the server's share
 * (rebalance started, group stable). The other members learn of a rebalance
 * only from a heartbeat answer (the classic protocol has no push), so these
 * times are mostly the clients' heartbeat cadence and the session timeout;
 * the protocol alone (told to rejoin, to all partitions owned: revoke,
 * JoinGroup, SyncGroup, assign) has rows of its own. Redis has no group
 * membership and no rebalance: entries go to whichever consumer asks, and
 * only the pending (read, unacknowledged) entries of a dead consumer need
 * moving, which another consumer does with XAUTOCLAIM. So the Redis figures
 * are: one XAUTOCLAIM round (6 streams, pipelined) that claims a killed
 * consumer's pending entries, and kill-to-claimed when a surviving consumer
 * polls XAUTOCLAIM every 100 ms with min-idle-time 6000 ms (the
 * application's equivalent of the session timeout). They are not the same
 * operation.
 *
 * Rows go to stdout in bench/run.sh's table format (bench_row and
 * bench_row_lower: above 1 means eddy is better); details to stderr.
 * Everything it starts is stopped and the temp folder removed on exit, on
 * failure and on SIGINT/SIGTERM/SIGHUP; servers also get PR_SET_PDEATHSIG.
 * Those helpers (children, clean-up, servers, the RESP client) are shared
 * with bench_hub.c in benchlib.c.
 *
 * Environment:
 *   EDDY_BENCH_SCALE=F           events times F (default 1: 1,000,000 x 100 B)
 *   EDDY_BENCH_EDDY=PATH         the eddy binary (default: the one built beside)
 *   EDDY_BENCH_PHASE_SECONDS=S   hard limit of one phase (default 60)
 *   EDDY_BENCH_REDIS_STREAMS=N   6 (default, one per partition) or 1
 *   EDDY_BENCH_RATE=N            events/s during the rebalance phases (30000)
 *   EDDY_BENCH_HEARTBEAT_MS=N    hub consumers' heartbeat.interval.ms (1000)
 *   EDDY_BENCH_FETCH_WAIT_MS=N   hub consumers' fetch.wait.max.ms (100)
 *   EDDY_BENCH_ASSIGNOR=NAME     partition.assignment.strategy (librdkafka's
 *                                default "range,roundrobin": eager)
 *   EDDY_BENCH_HUB_ARGS="..."    more `eddy hub` flags, e.g.
 *                                "--group-initial-rebalance-delay 0ms"
 *   EDDY_BENCH_ONLY=LIST         some of throughput,rebalance (default all)
 *   EDDY_BENCH_PERF_DIR=DIR      `perf record -g` of the hub's throughput and
 *                                rebalance phases into DIR (perturbs them)
 *   EDDY_BENCH_RDKAFKA_DEBUG=L   librdkafka debug contexts of the consumers */
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "benchlib.h"

#ifndef EDDY_BENCH_EDDY_BIN
#define EDDY_BENCH_EDDY_BIN "eddy"
#endif

#define PARTS      6
#define ALL_PARTS  ((1u << PARTS) - 1)
#define MEMBERS    3
#define EVENT_SIZE 100
#define SEQ_DIGITS 10
#define LOAD_PIPE  1000 /* XADDs per pipelined write when loading */
#define SESSION_MS "6000"
#define CLAIM_IDLE "6000" /* XAUTOCLAIM min-idle-time: the session timeout */

/* --- options --- */

typedef struct options {
    uint64_t n;
    double phase_seconds;
    double rate;
    int redis_streams;
    const char *heartbeat_ms;
    const char *fetch_wait_ms;
    const char *assignor;
    const char *eddy;
    const char *perf_dir;
    const char *hub_args;
} options;

static options opt;

/* --- clocks --- */

/* Wall-clock milliseconds, to line up with the hub log's ts= fields. */
static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static double ms_between(uint64_t from_ns, uint64_t to_ns)
{
    return to_ns > from_ns ? (double)(to_ns - from_ns) / 1e6 : 0;
}

/* --- the hub's log --- */

/* Milliseconds since the epoch of a hub log line's ts= field, or -1. */
static double log_line_ms(const char *line)
{
    struct tm tm = {0};
    int ms = 0;
    if (sscanf(line, "ts=%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &ms) != 7) {
        return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (double)timegm(&tm) * 1e3 + ms;
}

/* The wall-clock time (ms) of the first hub log line of event for group at
 * or after after_ms, or -1; its reason="..." goes to reason when given. */
static double hub_log_first(const bench_server *hub, const char *event, const char *group,
                            double after_ms, char *reason, size_t rcap)
{
    size_t tcap = 4 << 20;
    char *text = malloc(tcap);
    if (!text) {
        bench_fatal("out of memory");
    }
    bench_read_text(hub->log, text, tcap);
    char ev[96], key[128];
    snprintf(ev, sizeof ev, "event=%s ", event);
    snprintf(key, sizeof key, " group=%s ", group);
    double found = -1;
    for (char *line = text; line && *line && found < 0;) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
        }
        double ts = log_line_ms(line);
        if (ts >= after_ms && strstr(line, ev) && strstr(line, key)) {
            found = ts;
            const char *r = strstr(line, "reason=\"");
            if (reason && r) {
                snprintf(reason, rcap, "%.*s", (int)strcspn(r + 8, "\""), r + 8);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return found;
}

/* --- events: a 10-digit sequence number, then printable filler --- */

static char filler[EVENT_SIZE];

static void make_event(char *buf, uint64_t seq)
{
    memcpy(buf, filler, EVENT_SIZE);
    for (int i = SEQ_DIGITS - 1; i >= 0; i--) {
        buf[i] = (char)('0' + seq % 10);
        seq /= 10;
    }
}

static uint64_t event_seq(const char *p, size_t n)
{
    if (n != EVENT_SIZE) {
        return UINT64_MAX;
    }
    uint64_t seq = 0;
    for (int i = 0; i < SEQ_DIGITS; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return UINT64_MAX;
        }
        seq = seq * 10 + (uint64_t)(p[i] - '0');
    }
    return seq;
}

/* Which sequence numbers were consumed: distinct events and duplicates. */
typedef struct seen_set {
    atomic_uint_least64_t *words;
    uint64_t cap; /* sequence numbers tracked: 0 .. cap-1 */
    atomic_uint_least64_t unique, dups;
} seen_set;

static void seen_init(seen_set *s, uint64_t cap)
{
    s->cap = cap;
    s->words = malloc((size_t)(cap / 64 + 1) * sizeof *s->words);
    if (!s->words) {
        bench_fatal("out of memory");
    }
    for (uint64_t i = 0; i < cap / 64 + 1; i++) {
        atomic_init(&s->words[i], 0);
    }
    atomic_init(&s->unique, 0);
    atomic_init(&s->dups, 0);
}

static void seen_free(seen_set *s)
{
    free(s->words);
    s->words = NULL;
}

/* Marks seq; returns the number of distinct events seen once it is new,
 * else 0. */
static uint64_t seen_mark(seen_set *s, uint64_t seq)
{
    if (seq >= s->cap) {
        return 0;
    }
    uint64_t bit = (uint64_t)1 << (seq % 64);
    if (atomic_fetch_or(&s->words[seq / 64], bit) & bit) {
        atomic_fetch_add(&s->dups, 1);
        return 0;
    }
    return atomic_fetch_add(&s->unique, 1) + 1;
}

/* --- librdkafka helpers --- */

typedef struct delivery {
    atomic_uint_least64_t ok, failed;
    char err[256];
} delivery;

static void producer_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    delivery *d = opaque;
    if (m->err) {
        if (atomic_fetch_add(&d->failed, 1) == 0) {
            snprintf(d->err, sizeof d->err, "%s", rd_kafka_err2str(m->err));
        }
    } else {
        atomic_fetch_add(&d->ok, 1);
    }
}

/* A producer whose topic has been looked up (and auto-created with PARTS
 * partitions), so explicit partitions are valid at once. */
static rd_kafka_t *producer_new(int port, const char *topic, delivery *d, rd_kafka_topic_t **rkt)
{
    rd_kafka_conf_t *conf = bench_kafka_producer_conf(port, "5", "100000", "1000000");
    rd_kafka_conf_set_dr_msg_cb(conf, producer_dr);
    rd_kafka_conf_set_opaque(conf, d);
    char err[256];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        bench_fatal("rd_kafka_new: %s", err);
    }
    *rkt = rd_kafka_topic_new(rk, topic, NULL);
    for (int attempt = 0; attempt < 50; attempt++) {
        const struct rd_kafka_metadata *md = NULL;
        int parts = -1;
        if (rd_kafka_metadata(rk, 0, *rkt, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                parts = md->topics[0].partition_cnt;
            }
            rd_kafka_metadata_destroy(md);
        }
        if (parts == PARTS) {
            return rk;
        }
        if (parts > 0) {
            bench_fatal("hub '%s' has %d partitions, expected %d", topic, parts, PARTS);
        }
        usleep(100000);
    }
    bench_fatal("hub '%s' was not created", topic);
    return NULL;
}

/* Produces one event (copied) to partition seq % PARTS. */
static void produce_seq(rd_kafka_t *rk, rd_kafka_topic_t *rkt, uint64_t seq)
{
    char ev[EVENT_SIZE];
    make_event(ev, seq);
    while (rd_kafka_produce(rkt, (int32_t)(seq % PARTS), RD_KAFKA_MSG_F_COPY, ev, EVENT_SIZE, NULL,
                            0, NULL) != 0) {
        if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            bench_fatal("produce: %s", rd_kafka_err2str(rd_kafka_last_error()));
        }
        rd_kafka_poll(rk, 1);
    }
}

/* --- loading the same events into both --- */

static double hub_load(const bench_server *hub, const char *topic, uint64_t n)
{
    delivery d = {0};
    rd_kafka_topic_t *rkt;
    rd_kafka_t *rk = producer_new(hub->port, topic, &d, &rkt);
    double t0 = bench_now();
    for (uint64_t i = 0; i < n; i++) {
        produce_seq(rk, rkt, i);
        if ((i & 1023) == 0) {
            rd_kafka_poll(rk, 0);
        }
    }
    rd_kafka_flush(rk, (int)(opt.phase_seconds * 1000));
    double t = bench_now() - t0;
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    if (atomic_load(&d.ok) != n) {
        bench_fatal("loading the hub: %" PRIu64 " of %" PRIu64 " events delivered (%s)",
                    (uint64_t)atomic_load(&d.ok), n, d.err);
    }
    return t;
}

/* The stream an event goes to: "<prefix>-<seq % streams>". */
static void stream_name(char *buf, size_t cap, const char *prefix, int s)
{
    snprintf(buf, cap, "%s-%d", prefix, s);
}

static void redis_xadd(bench_resp_conn *c, const char *prefix, uint64_t seq)
{
    char name[64], ev[EVENT_SIZE];
    stream_name(name, sizeof name, prefix, (int)(seq % (uint64_t)opt.redis_streams));
    make_event(ev, seq);
    bench_resp_cmd(c, 5);
    bench_resp_arg(c, "XADD", 4);
    bench_resp_arg_str(c, name);
    bench_resp_arg(c, "*", 1);
    bench_resp_arg(c, "f", 1);
    bench_resp_arg(c, ev, EVENT_SIZE);
}

static double redis_load(const bench_server *redis, const char *prefix, uint64_t n)
{
    bench_resp_conn c;
    if (!bench_resp_connect(&c, redis->port)) {
        bench_fatal("cannot connect to redis");
    }
    double t0 = bench_now();
    for (uint64_t i = 0; i < n;) {
        uint64_t k = n - i < LOAD_PIPE ? n - i : LOAD_PIPE;
        for (uint64_t j = 0; j < k; j++) {
            redis_xadd(&c, prefix, i + j);
        }
        if (!bench_resp_flush(&c)) {
            bench_fatal("loading redis: connection broke");
        }
        for (uint64_t j = 0; j < k; j++) {
            if (bench_resp_read(&c, NULL, NULL, NULL) != '$') {
                bench_fatal("loading redis: XADD failed");
            }
        }
        i += k;
    }
    double t = bench_now() - t0;
    bench_resp_close(&c);
    return t;
}

/* --- hub consumers --- */

enum { ACT_RUN, ACT_CLOSE, ACT_KILL, ACT_STOP };

struct hub_group;

typedef struct hub_member {
    pthread_t thread;
    int idx;
    struct hub_group *g;
    rd_kafka_t *rk;
    atomic_int action;
    atomic_uint mask; /* partitions assigned (bit p) */
    atomic_uint_least64_t received;
    uint64_t errors;
    char err[256];
    uint64_t gone_ns; /* when the close or destroy returned */
    bool joined;
    /* After a departure: when this member was told to rejoin (an eager
     * revoke; the heartbeat answered REBALANCE_IN_PROGRESS). */
    atomic_uint_least64_t revoked_ns;
} hub_member;

typedef struct hub_group {
    int port;
    const char *topic, *group_id, *offset_reset;
    int batch_timeout_ms;
    seen_set seen;
    uint64_t target; /* distinct events to consume; 0: until stopped */
    atomic_bool go, stop;
    atomic_uint_least64_t first_ns, done_ns;
    /* A departure: who, which partitions it owned, and when. */
    pthread_mutex_t mu;
    atomic_int leaver;
    atomic_uint leaver_mask;
    atomic_uint_least64_t leave_ns;
    uint64_t assigned_ns; /* the others own all partitions (under mu) */
    atomic_uint_least64_t resumed_ns[PARTS];
    hub_member m[MEMBERS];
} hub_group;

/* After an assignment change: once a departure happened, when do the
 * others own every partition again? */
static void hub_check_assigned(hub_group *g)
{
    if (atomic_load(&g->leave_ns) == 0) {
        return;
    }
    pthread_mutex_lock(&g->mu);
    unsigned all = 0;
    for (int i = 0; i < MEMBERS; i++) {
        if (i != atomic_load(&g->leaver)) {
            all |= atomic_load(&g->m[i].mask);
        }
    }
    if (all == ALL_PARTS && g->assigned_ns == 0) {
        g->assigned_ns = bench_now_ns();
    }
    pthread_mutex_unlock(&g->mu);
}

static void hub_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    hub_member *m = opaque;
    bool coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    unsigned bits = 0;
    for (int i = 0; i < parts->cnt; i++) {
        if (parts->elems[i].partition >= 0 && parts->elems[i].partition < PARTS) {
            bits |= 1u << parts->elems[i].partition;
        }
    }
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (coop) {
            rd_kafka_error_t *e = rd_kafka_incremental_assign(rk, parts);
            if (e) {
                rd_kafka_error_destroy(e);
            }
            atomic_fetch_or(&m->mask, bits);
        } else {
            rd_kafka_assign(rk, parts);
            atomic_store(&m->mask, bits);
        }
    } else {
        uint64_t zero = 0, leave = atomic_load(&m->g->leave_ns);
        if (leave && m->idx != atomic_load(&m->g->leaver)) {
            atomic_compare_exchange_strong(&m->revoked_ns, &zero, bench_now_ns());
        }
        if (coop) {
            rd_kafka_error_t *e = rd_kafka_incremental_unassign(rk, parts);
            if (e) {
                rd_kafka_error_destroy(e);
            }
            atomic_fetch_and(&m->mask, ~bits);
        } else {
            rd_kafka_assign(rk, NULL);
            atomic_store(&m->mask, 0u);
        }
    }
    hub_check_assigned(m->g);
}

static void hub_on_message(hub_member *m, const rd_kafka_message_t *msg)
{
    hub_group *g = m->g;
    if (msg->err) {
        if (m->errors++ == 0) {
            snprintf(m->err, sizeof m->err, "%s", rd_kafka_message_errstr(msg));
        }
        return;
    }
    uint64_t now = bench_now_ns();
    atomic_fetch_add(&m->received, 1);
    uint64_t zero = 0;
    atomic_compare_exchange_strong(&g->first_ns, &zero, now);
    uint64_t unique = seen_mark(&g->seen, event_seq(msg->payload, msg->len));
    if (g->target && unique == g->target) {
        atomic_store(&g->done_ns, now);
        atomic_store(&g->stop, true);
    }
    uint64_t leave = atomic_load(&g->leave_ns);
    int p = msg->partition;
    if (leave && m->idx != atomic_load(&g->leaver) && p >= 0 && p < PARTS &&
        (atomic_load(&g->leaver_mask) >> p & 1) && now > leave) {
        zero = 0;
        atomic_compare_exchange_strong(&g->resumed_ns[p], &zero, now);
    }
}

static rd_kafka_t *hub_member_new(hub_group *g, hub_member *m)
{
    rd_kafka_conf_t *conf = bench_kafka_conf(g->port);
    char client_id[32];
    snprintf(client_id, sizeof client_id, "bench-c%d", m->idx);
    bench_kafka_set(conf, "client.id", client_id);
    bench_kafka_set(conf, "group.id", g->group_id);
    bench_kafka_set(conf, "auto.offset.reset", g->offset_reset);
    bench_kafka_set(conf, "enable.auto.commit", "true");
    bench_kafka_set(conf, "auto.commit.interval.ms", "1000");
    bench_kafka_set(conf, "session.timeout.ms", SESSION_MS);
    bench_kafka_set(conf, "heartbeat.interval.ms", opt.heartbeat_ms);
    bench_kafka_set(conf, "partition.assignment.strategy", opt.assignor);
    bench_kafka_set(conf, "fetch.wait.max.ms", opt.fetch_wait_ms);
    bench_kafka_set(conf, "fetch.min.bytes", "1");
    bench_kafka_set(conf, "max.partition.fetch.bytes", "1048576");
    bench_kafka_set(conf, "enable.partition.eof", "false");
    if (getenv("EDDY_BENCH_RDKAFKA_DEBUG")) {
        bench_kafka_set(conf, "debug", getenv("EDDY_BENCH_RDKAFKA_DEBUG"));
    }
    rd_kafka_conf_set_rebalance_cb(conf, hub_rebalance_cb);
    rd_kafka_conf_set_opaque(conf, m);
    char err[256];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) {
        bench_fatal("consumer: %s", err);
    }
    rd_kafka_poll_set_consumer(rk);
    return rk;
}

static void *hub_member_main(void *arg)
{
    hub_member *m = arg;
    hub_group *g = m->g;
    while (!atomic_load(&g->go)) {
        usleep(100);
    }
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, g->topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(m->rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err) {
        snprintf(m->err, sizeof m->err, "subscribe: %s", rd_kafka_err2str(err));
    }
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(m->rk);
    rd_kafka_message_t *msgs[1000];
    for (;;) {
        int act = atomic_load(&m->action);
        if (act == ACT_KILL) {
            /* A crash as the group sees it: no LeaveGroup, no final commit. */
            rd_kafka_queue_destroy(q);
            rd_kafka_destroy_flags(m->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
            m->gone_ns = bench_now_ns();
            break;
        }
        if (act == ACT_CLOSE || act == ACT_STOP || atomic_load(&g->stop)) {
            rd_kafka_queue_destroy(q);
            rd_kafka_consumer_close(m->rk);
            m->gone_ns = bench_now_ns();
            rd_kafka_destroy(m->rk);
            break;
        }
        ssize_t n = rd_kafka_consume_batch_queue(q, g->batch_timeout_ms, msgs, 1000);
        for (ssize_t i = 0; i < n; i++) {
            hub_on_message(m, msgs[i]);
            rd_kafka_message_destroy(msgs[i]);
        }
    }
    m->rk = NULL;
    return NULL;
}

static void hub_group_init(hub_group *g, int port, const char *topic, const char *group_id,
                           const char *offset_reset, uint64_t target, uint64_t seen_cap)
{
    memset(g, 0, sizeof *g);
    g->port = port;
    g->topic = topic;
    g->group_id = group_id;
    g->offset_reset = offset_reset;
    g->target = target;
    /* Throughput: a batch returns when full (the backlog fills it at once);
     * rebalance: every event is seen within a millisecond of arriving. */
    g->batch_timeout_ms = target ? 5 : 1;
    seen_init(&g->seen, seen_cap);
    pthread_mutex_init(&g->mu, NULL);
    atomic_init(&g->leaver, -1);
    for (int i = 0; i < MEMBERS; i++) {
        hub_member *m = &g->m[i];
        m->idx = i;
        m->g = g;
        m->rk = hub_member_new(g, m);
        if (pthread_create(&m->thread, NULL, hub_member_main, m) != 0) {
            bench_fatal("pthread_create failed");
        }
    }
}

static void hub_group_finish(hub_group *g, const char *tag)
{
    atomic_store(&g->stop, true);
    atomic_store(&g->go, true);
    for (int i = 0; i < MEMBERS; i++) {
        if (!g->m[i].joined) {
            pthread_join(g->m[i].thread, NULL);
        }
        if (g->m[i].errors || g->m[i].err[0]) {
            bench_note("%s: consumer %d: %" PRIu64 " errors: %s", tag, i, g->m[i].errors,
                       g->m[i].err);
        }
    }
    seen_free(&g->seen);
    pthread_mutex_destroy(&g->mu);
}

/* --- results --- */

typedef struct consume_result {
    bool ok;
    uint64_t events; /* distinct events consumed */
    uint64_t dups;
    double seconds;        /* first subscribe (XGROUP CREATE) to all consumed */
    double steady_seconds; /* first event to all consumed */
    double cpu;            /* the server's CPU seconds over the phase */
    double client_cpu;     /* this process' CPU seconds over the phase */
} consume_result;

static double events_per_s(const consume_result *r, bool steady)
{
    double s = steady ? r->steady_seconds : r->seconds;
    return r->ok && s > 0 ? (double)r->events / s : 0;
}

static double cpu_s_per_million(const consume_result *r)
{
    return r->ok && r->events ? r->cpu / ((double)r->events / 1e6) : 0;
}

static void consume_note(const char *tag, const consume_result *r)
{
    bench_note("%-22s %9.0f events/s (steady %9.0f); %" PRIu64 " events, %" PRIu64
               " duplicates in %.3f s (join %.3f s); server CPU %.2f s = %.3f s per million; "
               "client CPU %.2f s",
               tag, events_per_s(r, false), events_per_s(r, true), r->events, r->dups, r->seconds,
               r->seconds - r->steady_seconds, r->cpu, cpu_s_per_million(r), r->client_cpu);
}

/* --- throughput: hub --- */

static consume_result hub_consume(const bench_server *hub, const char *topic, uint64_t n)
{
    consume_result r = {0};
    hub_group *g = calloc(1, sizeof *g);
    if (!g) {
        bench_fatal("out of memory");
    }
    hub_group_init(g, hub->port, topic, "bench-throughput", "earliest", n, n);
    pid_t perf;
    bench_perf_start(&perf, opt.perf_dir, hub->pid, "hub-group-consume");
    double cpu0 = bench_proc_cpu_seconds(hub->pid);
    double client0 = bench_own_cpu_seconds(RUSAGE_SELF);
    double t0_wall = wall_ms();
    uint64_t t0 = bench_now_ns();
    atomic_store(&g->go, true);
    double deadline = bench_now() + opt.phase_seconds;
    while (atomic_load(&g->done_ns) == 0 && bench_now() < deadline) {
        usleep(2000);
    }
    double cpu1 = bench_proc_cpu_seconds(hub->pid);
    r.client_cpu = bench_own_cpu_seconds(RUSAGE_SELF) - client0;
    bench_perf_stop(perf);
    double joined = hub_log_first(hub, "group.member_joined", g->group_id, t0_wall - 1, NULL, 0);
    double gen = hub_log_first(hub, "group.generation", g->group_id, t0_wall - 1, NULL, 0);
    double stable = hub_log_first(hub, "group.stable", g->group_id, t0_wall - 1, NULL, 0);
    bench_note("hub group join (hub log, ms after the first subscribe): first member joined +%.0f, "
               "generation formed +%.0f, stable +%.0f; first event consumed +%.0f",
               joined - t0_wall, gen - t0_wall, stable - t0_wall,
               ms_between(t0, atomic_load(&g->first_ns)));
    uint64_t done = atomic_load(&g->done_ns);
    r.events = atomic_load(&g->seen.unique);
    r.dups = atomic_load(&g->seen.dups);
    r.ok = done != 0 && r.events == n && cpu0 >= 0 && cpu1 >= 0;
    r.seconds = ms_between(t0, done) / 1e3;
    r.steady_seconds = ms_between(atomic_load(&g->first_ns), done) / 1e3;
    r.cpu = cpu1 - cpu0;
    if (!r.ok) {
        bench_note("hub group: %" PRIu64 " of %" PRIu64 " events consumed within %.0f s", r.events,
                   n, opt.phase_seconds);
    }
    hub_group_finish(g, "hub group");
    free(g);
    consume_note("hub-group-consume", &r);
    return r;
}

/* --- Redis consumers --- */

struct redis_group;

/* The entry ids of one reply, per stream, already in RESP bulk form so an
 * XACK is the ids appended to its head. */
typedef struct id_list {
    char *buf;
    size_t len, cap;
    int count;
} id_list;

typedef struct redis_member {
    pthread_t thread;
    int idx;
    struct redis_group *g;
    atomic_int action; /* ACT_RUN, ACT_KILL (read a batch, leave it pending), ACT_STOP */
    uint64_t received, acked, batches;
    uint64_t pending; /* entries left unacknowledged by a kill */
    uint64_t gone_ns;
    bool broken;
    id_list ids[PARTS];
    int cur; /* the stream whose entries the reply walk is in */
} redis_member;

typedef struct redis_group {
    int port;
    const char *prefix, *group;
    seen_set seen;
    uint64_t target; /* distinct events to consume; 0: until stopped */
    atomic_bool go, stop;
    atomic_uint_least64_t first_ns, done_ns;
    redis_member m[MEMBERS];
} redis_group;

static void id_add(id_list *l, const char *p, long n)
{
    size_t need = l->len + (size_t)n + 32;
    if (need > l->cap) {
        l->cap = need * 2;
        l->buf = realloc(l->buf, l->cap);
        if (!l->buf) {
            bench_fatal("out of memory");
        }
    }
    l->len += (size_t)snprintf(l->buf + l->len, l->cap - l->len, "$%ld\r\n", n);
    memcpy(l->buf + l->len, p, (size_t)n);
    l->len += (size_t)n;
    memcpy(l->buf + l->len, "\r\n", 2);
    l->len += 2;
    l->count++;
}

/* XREADGROUP's reply: [[stream, [[id, [field, value]], ...]], ...]; the
 * stream name is at depth 2, an id at 4, field and value at 5. */
static void redis_reply_bulk(void *ctx, int depth, const char *p, long n)
{
    redis_member *m = ctx;
    redis_group *g = m->g;
    if (depth == 2) {
        m->cur = opt.redis_streams == 1 ? 0 : (int)(p[n - 1] - '0');
    } else if (depth == 4) {
        id_add(&m->ids[m->cur], p, n);
    } else if (depth == 5 && n == EVENT_SIZE) {
        m->received++;
        uint64_t now = bench_now_ns(), zero = 0;
        atomic_compare_exchange_strong(&g->first_ns, &zero, now);
        uint64_t unique = seen_mark(&g->seen, event_seq(p, (size_t)n));
        if (g->target && unique == g->target) {
            atomic_store(&g->done_ns, now);
            atomic_store(&g->stop, true);
        }
    }
}

static void redis_xreadgroup(bench_resp_conn *c, const redis_group *g, int idx)
{
    char consumer[16], name[64];
    snprintf(consumer, sizeof consumer, "c%d", idx);
    bench_resp_cmd(c, 9 + 2 * opt.redis_streams);
    bench_resp_arg_str(c, "XREADGROUP");
    bench_resp_arg_str(c, "GROUP");
    bench_resp_arg_str(c, g->group);
    bench_resp_arg_str(c, consumer);
    bench_resp_arg_str(c, "COUNT");
    bench_resp_arg_str(c, "1000");
    bench_resp_arg_str(c, "BLOCK");
    bench_resp_arg_str(c, "100");
    bench_resp_arg_str(c, "STREAMS");
    for (int s = 0; s < opt.redis_streams; s++) {
        stream_name(name, sizeof name, g->prefix, s);
        bench_resp_arg_str(c, name);
    }
    for (int s = 0; s < opt.redis_streams; s++) {
        bench_resp_arg(c, ">", 1);
    }
}

/* Appends an XACK per stream with entries read; returns how many. */
static int redis_xacks(bench_resp_conn *c, redis_member *m)
{
    int k = 0;
    char name[64];
    for (int s = 0; s < opt.redis_streams; s++) {
        id_list *l = &m->ids[s];
        if (l->count == 0) {
            continue;
        }
        stream_name(name, sizeof name, m->g->prefix, s);
        bench_resp_cmd(c, 3 + l->count);
        bench_resp_arg_str(c, "XACK");
        bench_resp_arg_str(c, name);
        bench_resp_arg_str(c, m->g->group);
        bench_resp_out(c, l->buf, l->len);
        l->len = 0;
        l->count = 0;
        k++;
    }
    return k;
}

static void *redis_member_main(void *arg)
{
    redis_member *m = arg;
    redis_group *g = m->g;
    bench_resp_conn c;
    if (!bench_resp_connect(&c, g->port)) {
        m->broken = true;
        return NULL;
    }
    while (!atomic_load(&g->go)) {
        usleep(100);
    }
    for (;;) {
        bool stop = atomic_load(&g->stop) || atomic_load(&m->action) == ACT_STOP;
        bool kill = atomic_load(&m->action) == ACT_KILL;
        /* The last batch's XACKs go in front of the next XREADGROUP. */
        int acks = redis_xacks(&c, m);
        if (!stop) {
            redis_xreadgroup(&c, g, m->idx);
        }
        if (c.out_len && !bench_resp_flush(&c)) {
            m->broken = true;
            break;
        }
        for (int i = 0; i < acks; i++) {
            if (bench_resp_read(&c, NULL, NULL, NULL) != ':') {
                m->broken = true;
                break;
            }
            m->acked += (uint64_t)strtoull(c.buf + c.last + 1, NULL, 10);
        }
        if (stop || m->broken) {
            break;
        }
        uint64_t before = m->received;
        if (bench_resp_read(&c, redis_reply_bulk, m, NULL) == 0) {
            m->broken = true;
            break;
        }
        m->batches++;
        if (kill && m->received > before) {
            /* Dies holding this batch: its entries stay pending. */
            m->pending = m->received - before;
            m->gone_ns = bench_now_ns();
            break;
        }
    }
    bench_resp_close(&c);
    for (int s = 0; s < PARTS; s++) {
        free(m->ids[s].buf);
    }
    return NULL;
}

/* Creates group on every stream of prefix at start ("0" or "$"). */
static void redis_group_create(int port, const char *prefix, const char *group, const char *start)
{
    bench_resp_conn c;
    if (!bench_resp_connect(&c, port)) {
        bench_fatal("cannot connect to redis");
    }
    char name[64];
    for (int s = 0; s < opt.redis_streams; s++) {
        stream_name(name, sizeof name, prefix, s);
        const char *argv[] = {"XGROUP", "CREATE", name, group, start, "MKSTREAM"};
        if (bench_resp_call(&c, 6, argv) != '+') {
            bench_fatal("XGROUP CREATE %s %s failed", name, group);
        }
    }
    bench_resp_close(&c);
}

static void redis_group_start(redis_group *g, int port, const char *prefix, const char *group,
                              uint64_t target, uint64_t seen_cap)
{
    memset(g, 0, sizeof *g);
    g->port = port;
    g->prefix = prefix;
    g->group = group;
    g->target = target;
    seen_init(&g->seen, seen_cap);
    for (int i = 0; i < MEMBERS; i++) {
        g->m[i].idx = i;
        g->m[i].g = g;
        if (pthread_create(&g->m[i].thread, NULL, redis_member_main, &g->m[i]) != 0) {
            bench_fatal("pthread_create failed");
        }
    }
}

static void redis_group_finish(redis_group *g, const char *tag)
{
    atomic_store(&g->stop, true);
    atomic_store(&g->go, true);
    for (int i = 0; i < MEMBERS; i++) {
        pthread_join(g->m[i].thread, NULL);
        if (g->m[i].broken) {
            bench_note("%s: consumer %d: connection broke", tag, i);
        }
    }
    seen_free(&g->seen);
}

/* --- throughput: Redis --- */

static consume_result redis_consume(const bench_server *redis, const char *prefix, uint64_t n)
{
    consume_result r = {0};
    redis_group *g = calloc(1, sizeof *g);
    if (!g) {
        bench_fatal("out of memory");
    }
    redis_group_start(g, redis->port, prefix, "g", n, n);
    usleep(100000); /* the consumers have connected */
    double cpu0 = bench_proc_cpu_seconds(redis->pid);
    double client0 = bench_own_cpu_seconds(RUSAGE_SELF);
    uint64_t t0 = bench_now_ns();
    redis_group_create(redis->port, prefix, "g", "0");
    atomic_store(&g->go, true);
    double deadline = bench_now() + opt.phase_seconds;
    while (atomic_load(&g->done_ns) == 0 && bench_now() < deadline) {
        usleep(2000);
    }
    double cpu1 = bench_proc_cpu_seconds(redis->pid);
    r.client_cpu = bench_own_cpu_seconds(RUSAGE_SELF) - client0;
    uint64_t done = atomic_load(&g->done_ns);
    r.events = atomic_load(&g->seen.unique);
    r.dups = atomic_load(&g->seen.dups);
    r.ok = done != 0 && r.events == n && cpu0 >= 0 && cpu1 >= 0;
    r.seconds = ms_between(t0, done) / 1e3;
    r.steady_seconds = ms_between(atomic_load(&g->first_ns), done) / 1e3;
    r.cpu = cpu1 - cpu0;
    if (!r.ok) {
        bench_note("redis group: %" PRIu64 " of %" PRIu64 " events consumed within %.0f s",
                   r.events, n, opt.phase_seconds);
    }
    redis_group_finish(g, "redis group");
    uint64_t acked = 0, batches = 0;
    for (int i = 0; i < MEMBERS; i++) {
        acked += g->m[i].acked;
        batches += g->m[i].batches;
    }
    bench_note("redis group: %" PRIu64 " entries acknowledged, %" PRIu64 " XREADGROUP replies",
               acked, batches);
    free(g);
    consume_note("redis-xreadgroup", &r);
    return r;
}

/* --- a steady producer for the rebalance phases --- */

typedef struct rate_producer {
    pthread_t thread;
    bool redis;
    int port;
    const char *topic; /* hub, or stream prefix */
    atomic_bool stop;
    uint64_t sent;
} rate_producer;

static void *rate_producer_main(void *arg)
{
    rate_producer *p = arg;
    rd_kafka_t *rk = NULL;
    rd_kafka_topic_t *rkt = NULL;
    delivery d = {0};
    bench_resp_conn c = {.fd = -1};
    if (p->redis) {
        if (!bench_resp_connect(&c, p->port)) {
            bench_fatal("cannot connect to redis");
        }
    } else {
        rk = producer_new(p->port, p->topic, &d, &rkt);
    }
    double t0 = bench_now();
    while (!atomic_load(&p->stop)) {
        uint64_t due = (uint64_t)((bench_now() - t0) * opt.rate);
        uint64_t k = 0;
        for (; p->sent < due; p->sent++, k++) {
            if (p->redis) {
                redis_xadd(&c, p->topic, p->sent);
            } else {
                produce_seq(rk, rkt, p->sent);
            }
        }
        if (p->redis) {
            if (k && !bench_resp_flush(&c)) {
                bench_fatal("rate producer: redis connection broke");
            }
            for (uint64_t j = 0; j < k; j++) {
                if (bench_resp_read(&c, NULL, NULL, NULL) != '$') {
                    bench_fatal("rate producer: XADD failed");
                }
            }
        } else {
            rd_kafka_poll(rk, 0);
        }
        usleep(1000);
    }
    if (p->redis) {
        bench_resp_close(&c);
    } else {
        rd_kafka_flush(rk, 5000);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        if (atomic_load(&d.failed)) {
            bench_note("rate producer: %" PRIu64 " events failed: %s",
                       (uint64_t)atomic_load(&d.failed), d.err);
        }
    }
    return NULL;
}

static void rate_producer_start(rate_producer *p, bool redis, int port, const char *topic)
{
    memset(p, 0, sizeof *p);
    p->redis = redis;
    p->port = port;
    p->topic = topic;
    if (pthread_create(&p->thread, NULL, rate_producer_main, p) != 0) {
        bench_fatal("pthread_create failed");
    }
}

static void rate_producer_stop(rate_producer *p)
{
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
}

/* --- rebalance: hub --- */

typedef struct rebalance_result {
    bool ok;
    double assigned_ms; /* departure to: the others own all partitions */
    double resumed_ms;  /* ... and have consumed from each departed one */
    double gone_ms;     /* how long the close (or destroy) call took */
    double told_ms;     /* departure to: the last other member told to rejoin */
    uint64_t dups;      /* events consumed twice (redelivered) */
    char server[256];   /* the hub log's view */
} rebalance_result;

/* The hub's own account of the rebalance after a departure at leave_ms
 * (wall clock): when it started (and why) and when the group was stable. */
static void hub_log_rebalance(const bench_server *hub, const char *group, double leave_ms,
                              char *out, size_t cap)
{
    char reason[64] = "?";
    /* Log times have millisecond resolution. */
    double started =
        hub_log_first(hub, "group.rebalance", group, leave_ms - 1, reason, sizeof reason);
    double stable = started < 0 ? -1 : hub_log_first(hub, "group.stable", group, started, NULL, 0);
    if (started < 0) {
        snprintf(out, cap, "no rebalance in the hub log");
    } else if (stable < 0) {
        snprintf(out, cap, "rebalance (%s) at +%.0f ms, never stable", reason, started - leave_ms);
    } else {
        snprintf(out, cap, "rebalance (%s) at +%.0f ms, stable at +%.0f ms", reason,
                 started - leave_ms, stable - leave_ms);
    }
}

static rebalance_result hub_rebalance(const bench_server *hub, const char *topic, int action,
                                      const char *tag)
{
    rebalance_result r = {0};
    hub_group *g = calloc(1, sizeof *g);
    if (!g) {
        bench_fatal("out of memory");
    }
    /* Sequence numbers of the steady producer, up to the phase limit. */
    uint64_t cap = (uint64_t)(opt.rate * (opt.phase_seconds + 60)) + 1000;
    hub_group_init(g, hub->port, topic, tag, "latest", 0, cap);
    atomic_store(&g->go, true);
    /* Steady: every member owns partitions and consumes; then 1.5 s more,
     * so auto commits have run. */
    double deadline = bench_now() + 30;
    bool steady = false;
    while (!steady && bench_now() < deadline) {
        usleep(10000);
        unsigned all = 0;
        steady = true;
        for (int i = 0; i < MEMBERS; i++) {
            unsigned mask = atomic_load(&g->m[i].mask);
            all |= mask;
            steady = steady && mask && atomic_load(&g->m[i].received) > 0;
        }
        steady = steady && all == ALL_PARTS;
    }
    if (!steady) {
        bench_note("%s: the group did not become steady within 30 s", tag);
        hub_group_finish(g, tag);
        free(g);
        return r;
    }
    pid_t perf;
    bench_perf_start(&perf, opt.perf_dir, hub->pid, tag);
    usleep(1500000);
    int leaver = MEMBERS - 1;
    hub_member *lm = &g->m[leaver];
    unsigned lmask = atomic_load(&lm->mask);
    atomic_store(&g->leaver, leaver);
    atomic_store(&g->leaver_mask, lmask);
    double leave_wall = wall_ms();
    uint64_t leave = bench_now_ns();
    atomic_store(&g->leave_ns, leave);
    atomic_store(&lm->action, action);
    deadline = bench_now() + 30;
    uint64_t resumed = 0;
    bool all_resumed = false;
    while (bench_now() < deadline) {
        usleep(1000);
        pthread_mutex_lock(&g->mu);
        uint64_t assigned = g->assigned_ns;
        pthread_mutex_unlock(&g->mu);
        all_resumed = true;
        resumed = 0;
        for (int p = 0; p < PARTS; p++) {
            if (lmask >> p & 1) {
                uint64_t t = atomic_load(&g->resumed_ns[p]);
                all_resumed = all_resumed && t;
                resumed = t > resumed ? t : resumed;
            }
        }
        if (assigned && all_resumed) {
            r.assigned_ms = ms_between(leave, assigned);
            break;
        }
    }
    r.ok = r.assigned_ms > 0 && all_resumed;
    uint64_t told = 0;
    for (int i = 0; i < MEMBERS; i++) {
        uint64_t t = i == leaver ? 0 : atomic_load(&g->m[i].revoked_ns);
        told = t > told ? t : told;
    }
    if (told) {
        r.told_ms = ms_between(leave, told);
    }
    r.resumed_ms = ms_between(leave, resumed);
    usleep(300000); /* redelivered events arrive right after the resumption */
    pthread_join(lm->thread, NULL);
    lm->joined = true;
    bench_perf_stop(perf);
    r.gone_ms = ms_between(leave, lm->gone_ns);
    r.dups = atomic_load(&g->seen.dups);
    hub_group_finish(g, tag);
    free(g);
    hub_log_rebalance(hub, tag, leave_wall, r.server, sizeof r.server);
    if (!r.ok) {
        bench_note("%s: the others did not take over partitions 0x%x within 30 s", tag, lmask);
    }
    bench_note(
        "%-22s all %d partitions owned again after %.0f ms, consuming the departed member's "
        "partitions (0x%x) after %.0f ms; the other members were told to rejoin (revoke "
        "callback) by +%.0f ms, so JoinGroup+SyncGroup took %.1f ms; the %s call took %.0f ms; "
        "%" PRIu64 " events redelivered; hub log: %s",
        tag, PARTS, r.assigned_ms, lmask, r.resumed_ms, r.told_ms,
        r.told_ms > 0 ? r.assigned_ms - r.told_ms : 0,
        action == ACT_KILL ? "destroy" : "consumer_close", r.gone_ms, r.dups, r.server);
    return r;
}

/* --- the Redis equivalent: XAUTOCLAIM of a dead consumer's entries --- */

typedef struct claim_result {
    bool ok;
    uint64_t pending; /* entries the killed consumer left */
    uint64_t claimed;
    double round_ms;    /* the XAUTOCLAIM round that claimed them */
    double failover_ms; /* kill to claimed, polling every 100 ms */
    int rounds;
} claim_result;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void count_claimed(void *ctx, int depth, const char *p, long n)
{
    /* XAUTOCLAIM's reply: [next-id, [[id, [f, v]], ...], [deleted ids]]:
     * an id of a claimed entry is at depth 3. */
    if (depth == 3) {
        (*(uint64_t *)ctx)++;
    }
}

static claim_result redis_claim(const bench_server *redis, const char *prefix)
{
    claim_result r = {0};
    redis_group_create(redis->port, prefix, "rb", "$");
    rate_producer prod;
    rate_producer_start(&prod, true, redis->port, prefix);
    redis_group *g = calloc(1, sizeof *g);
    if (!g) {
        bench_fatal("out of memory");
    }
    uint64_t cap = (uint64_t)(opt.rate * (opt.phase_seconds + 60)) + 1000;
    redis_group_start(g, redis->port, prefix, "rb", 0, cap);
    atomic_store(&g->go, true);
    usleep(1500000);
    redis_member *dead = &g->m[MEMBERS - 1];
    atomic_store(&dead->action, ACT_KILL);
    pthread_join(dead->thread, NULL);
    r.pending = dead->pending;
    uint64_t kill_ns = dead->gone_ns;
    /* Consumer c0, on a connection of its own, claims what has been idle
     * for the session timeout, every 100 ms, as an application would. */
    bench_resp_conn c;
    if (!bench_resp_connect(&c, redis->port)) {
        bench_fatal("cannot connect to redis");
    }
    double deadline = bench_now() + 30;
    double rounds_ms[400];
    while (r.claimed < r.pending && bench_now() < deadline && !dead->broken) {
        char name[64];
        uint64_t t0 = bench_now_ns();
        for (int s = 0; s < opt.redis_streams; s++) {
            stream_name(name, sizeof name, prefix, s);
            const char *argv[] = {"XAUTOCLAIM", name,  "rb",    "c0",
                                  CLAIM_IDLE,   "0-0", "COUNT", "10000"};
            bench_resp_cmd(&c, 8);
            for (int i = 0; i < 8; i++) {
                bench_resp_arg_str(&c, argv[i]);
            }
        }
        if (!bench_resp_flush(&c)) {
            bench_fatal("XAUTOCLAIM: connection broke");
        }
        uint64_t claimed = 0;
        for (int s = 0; s < opt.redis_streams; s++) {
            if (bench_resp_read(&c, count_claimed, &claimed, NULL) != '*') {
                bench_fatal("XAUTOCLAIM failed");
            }
        }
        uint64_t t1 = bench_now_ns();
        if (r.rounds < (int)(sizeof rounds_ms / sizeof rounds_ms[0])) {
            rounds_ms[r.rounds] = ms_between(t0, t1);
        }
        r.rounds++;
        if (claimed > 0) {
            r.round_ms = ms_between(t0, t1);
            r.claimed += claimed;
            r.failover_ms = ms_between(kill_ns, t1);
        }
        if (r.claimed < r.pending) {
            usleep(100000);
        }
    }
    bench_resp_close(&c);
    r.ok = r.pending > 0 && r.claimed >= r.pending;
    int nr = r.rounds < 400 ? r.rounds : 400;
    qsort(rounds_ms, (size_t)nr, sizeof rounds_ms[0], cmp_double);
    double median = nr ? rounds_ms[nr / 2] : 0;
    atomic_store(&g->stop, true);
    for (int i = 0; i < MEMBERS - 1; i++) {
        pthread_join(g->m[i].thread, NULL);
    }
    seen_free(&g->seen);
    free(g);
    rate_producer_stop(&prod);
    bench_note("redis-xautoclaim       a killed consumer left %" PRIu64
               " entries pending; c0 claimed %" PRIu64
               " of them %.0f ms after the kill (min-idle " CLAIM_IDLE
               " ms, %d rounds every 100 ms); "
               "the claiming XAUTOCLAIM round over %d stream%s took %.3f ms (all rounds: median "
               "%.3f ms)",
               r.pending, r.claimed, r.failover_ms, r.rounds, opt.redis_streams,
               opt.redis_streams > 1 ? "s" : "", r.round_ms, median);
    return r;
}

/* --- main --- */

typedef struct results {
    bool throughput, rebalance;
    consume_result hub, redis;
    rebalance_result leave, kill;
    claim_result claim;
} results;

static void print_table(const results *res)
{
    char name[256], peer[128];
    snprintf(peer, sizeof peer, "redis-server XREADGROUP+XACK, %d stream%s", opt.redis_streams,
             opt.redis_streams > 1 ? "s" : "");
    if (res->throughput) {
        bench_row("group consumption, 3 consumers, 6 partitions, 100 B, first subscribe to all "
                  "consumed: events/s",
                  events_per_s(&res->hub, false) / 1e3, peer,
                  events_per_s(&res->redis, false) / 1e3, "k/s");
        bench_row("group consumption, 3 consumers, 6 partitions, 100 B, first event to all "
                  "consumed (steady): events/s",
                  events_per_s(&res->hub, true) / 1e3, peer, events_per_s(&res->redis, true) / 1e3,
                  "k/s");
        bench_row_lower("group consumption, server CPU seconds per million events (lower is "
                        "better; ratio = redis / eddy)",
                        cpu_s_per_million(&res->hub), peer, cpu_s_per_million(&res->redis), "s");
    }
    if (res->rebalance) {
        char claim_peer[200];
        snprintf(claim_peer, sizeof claim_peer,
                 "redis: one XAUTOCLAIM round claiming a dead consumer's %" PRIu64
                 " pending entries (no rebalance in Redis; not the same operation)",
                 res->claim.pending);
        snprintf(name, sizeof name,
                 "rebalance after a graceful leave (consumer_close): the other 2 own all 6 "
                 "partitions (lower is better; ratio = redis / eddy)");
        bench_row_lower(name, res->leave.assigned_ms, claim_peer, res->claim.round_ms, "ms");
        snprintf(name, sizeof name,
                 "rebalance after a graceful leave: consuming the departed member's partitions "
                 "again (lower is better; ratio = redis / eddy)");
        bench_row_lower(name, res->leave.resumed_ms, claim_peer, res->claim.round_ms, "ms");
        const char *kill_peer = "redis: kill to entries claimed, XAUTOCLAIM min-idle 6000 ms "
                                "polled every 100 ms (application-level, not a rebalance)";
        bench_row_lower(
            "rebalance after a kill (no LeaveGroup), session.timeout.ms=6000: the other "
            "2 own all 6 partitions (lower is better; ratio = redis / eddy)",
            res->kill.assigned_ms, kill_peer, res->claim.failover_ms, "ms");
        bench_row_lower("rebalance after a kill, session.timeout.ms=6000: consuming the departed "
                        "member's partitions again (lower is better; ratio = redis / eddy)",
                        res->kill.resumed_ms, kill_peer, res->claim.failover_ms, "ms");
        /* The part that is the server's work once the failure is known:
         * the rejoin (JoinGroup + SyncGroup) against one claim round. */
        snprintf(name, sizeof name,
                 "rebalance protocol alone after a graceful leave: last remaining member told "
                 "to rejoin to all 6 partitions owned, heartbeat.interval.ms=%s excluded (lower "
                 "is better; ratio = redis / eddy)",
                 opt.heartbeat_ms);
        bench_row_lower(name,
                        res->leave.told_ms > 0 ? res->leave.assigned_ms - res->leave.told_ms : 0,
                        claim_peer, res->claim.round_ms, "ms");
        snprintf(name, sizeof name,
                 "rebalance protocol alone after a kill: last remaining member told to rejoin "
                 "to all 6 partitions owned, session timeout and heartbeat excluded (lower is "
                 "better; ratio = redis / eddy)");
        bench_row_lower(name, res->kill.told_ms > 0 ? res->kill.assigned_ms - res->kill.told_ms : 0,
                        claim_peer, res->claim.round_ms, "ms");
    }
}

int main(void)
{
    bench_set_name("bench_groups");
    double scale = bench_env_double("EDDY_BENCH_SCALE", 1.0);
    opt.n = (uint64_t)(1000000 * scale);
    opt.n = opt.n < 6000 ? 6000 : opt.n;
    opt.phase_seconds = bench_env_double("EDDY_BENCH_PHASE_SECONDS", 60);
    opt.rate = bench_env_double("EDDY_BENCH_RATE", 30000);
    opt.redis_streams = (int)bench_env_double("EDDY_BENCH_REDIS_STREAMS", PARTS);
    if (opt.redis_streams != 1 && opt.redis_streams != PARTS) {
        bench_fatal("EDDY_BENCH_REDIS_STREAMS: 1 or %d", PARTS);
    }
    opt.heartbeat_ms =
        getenv("EDDY_BENCH_HEARTBEAT_MS") ? getenv("EDDY_BENCH_HEARTBEAT_MS") : "1000";
    opt.fetch_wait_ms =
        getenv("EDDY_BENCH_FETCH_WAIT_MS") ? getenv("EDDY_BENCH_FETCH_WAIT_MS") : "100";
    opt.assignor =
        getenv("EDDY_BENCH_ASSIGNOR") ? getenv("EDDY_BENCH_ASSIGNOR") : "range,roundrobin";
    opt.eddy = getenv("EDDY_BENCH_EDDY") ? getenv("EDDY_BENCH_EDDY") : EDDY_BENCH_EDDY_BIN;
    opt.perf_dir = getenv("EDDY_BENCH_PERF_DIR");
    opt.hub_args = getenv("EDDY_BENCH_HUB_ARGS");
    if (access(opt.eddy, X_OK) != 0) {
        bench_fatal("%s: not an executable (set EDDY_BENCH_EDDY)", opt.eddy);
    }
    static results res;
    const char *only = getenv("EDDY_BENCH_ONLY");
    res.throughput = !only || strstr(only, "throughput");
    res.rebalance = !only || strstr(only, "rebalance");
    bench_fill_letters(filler, sizeof filler);

    bench_setup_tmp("/tmp/eddy-bench-groups-XXXXXX");
    bench_note("eddy %s; %" PRIu64
               " x %d B events; %d consumers, %d partitions, redis: %d stream%s; "
               "temp folder %s",
               opt.eddy, opt.n, EVENT_SIZE, MEMBERS, PARTS, opt.redis_streams,
               opt.redis_streams > 1 ? "s" : "", bench_tmp_dir());
    bench_loadavg_note("at start");
    bench_server hub, redis;
    bench_hub_start(&hub, opt.eddy, "never", PARTS, opt.hub_args);
    bench_redis_start(&redis, false);
    if (res.throughput) {
        double th = hub_load(&hub, "groups", opt.n);
        double tr = redis_load(&redis, "groups", opt.n);
        bench_note("loaded %" PRIu64 " events: hub %.2f s (librdkafka, acks=all), redis %.2f s "
                   "(XADD pipelined by %d)",
                   opt.n, th, tr, LOAD_PIPE);
        res.hub = hub_consume(&hub, "groups", opt.n);
        res.redis = redis_consume(&redis, "groups", opt.n);
    }
    if (res.rebalance) {
        rate_producer prod;
        rate_producer_start(&prod, false, hub.port, "rebalance");
        usleep(500000);
        res.leave = hub_rebalance(&hub, "rebalance", ACT_CLOSE, "rb-close");
        res.kill = hub_rebalance(&hub, "rebalance", ACT_KILL, "rb-kill");
        rate_producer_stop(&prod);
        res.claim = redis_claim(&redis, "rb");
    }
    bench_server_stop(&hub);
    bench_server_stop(&redis);
    bench_loadavg_note("at end");
    print_table(&res);
    return 0;
}

/* eddy produce: the data generator. Makes events with a generator (gen.h:
 * telemetry, nexmark, a file or stdin) and sends them to an event hub
 * through librdkafka, so the target can be eddy, Kafka, Redpanda or Azure
 * Event Hubs alike.
 *
 * The send loop never sleeps per event: with --rate it asks the rate
 * schedule (client/rate.h) for every event that is due, sends them, then
 * waits in rd_kafka_poll (serving delivery reports) until the next is due.
 * Delivery reports feed the counters and a latency histogram (time from the
 * produce call to the acknowledgement). Progress goes to stderr, the summary
 * to stdout (stderr with --dry-run, whose stdout carries the events). The
 * exit status is 1 when any event was not delivered. */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "client/config.h"
#include "client/hist.h"
#include "client/kafka.h"
#include "client/parse.h"
#include "client/rate.h"
#include "core/clock.h"
#include "core/error.h"
#include "gen/gen.h"
#include "gen/json.h"

_Static_assert(sizeof(void *) >= sizeof(int64_t), "send times travel in the message opaque");

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted++;
}

typedef struct produce_state {
    rd_kafka_t *rk;
    int64_t sent;      /* accepted by librdkafka (or written, --dry-run) */
    int64_t delivered; /* acknowledged */
    int64_t dr_failed; /* accepted, then reported failed */
    int64_t refused;   /* not accepted by librdkafka */
    int64_t skipped;   /* replay: lines skipped (too long) */
    int64_t failed;    /* dr_failed + refused + skipped */
    int64_t bytes_delivered;
    int64_t keyless; /* --key FIELD missing from the body */
    int errors_shown;
    eddy_hist latency; /* ns, produce call to acknowledgement */
} produce_state;

/* Prints the first few failures; later ones are only counted. */
static void report_failure(produce_state *st, const char *fmt, const char *detail)
{
    if (st->errors_shown < 5) {
        fprintf(stderr, "eddy produce: ");
        fprintf(stderr, fmt, detail);
        fprintf(stderr, "\n");
    } else if (st->errors_shown == 5) {
        fprintf(stderr, "eddy produce: (further failures are counted, not shown)\n");
    }
    st->errors_shown++;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    produce_state *st = opaque;
    if (m->err) {
        st->dr_failed++;
        st->failed++;
        report_failure(st, "event not delivered: %s", rd_kafka_err2str(m->err));
        return;
    }
    st->delivered++;
    st->bytes_delivered += (int64_t)(m->len + m->key_len);
    int64_t sent_ns = (int64_t)(intptr_t)m->_private;
    eddy_hist_record(&st->latency, eddy_clock_mono_ns() - sent_ns);
}

static void prepare_producer(rd_kafka_conf_t *conf, void *arg)
{
    rd_kafka_conf_set_opaque(conf, arg);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
}

typedef struct options {
    const char *hub;
    const char *generator;
    double rate;         /* 0: as fast as possible */
    int64_t count;       /* -1: no limit */
    int64_t duration_ms; /* -1: no limit */
    const char *key_field;
    bool no_key;
    bool dry_run;
    bool quiet;
    bool json_summary;
    bool start_time_set;
    int64_t start_time_ms;
    int32_t partition; /* RD_KAFKA_PARTITION_UA: by key */
} options;

/* Progress: a line redrawn in place on a terminal, plain lines every five
 * seconds otherwise. */
typedef struct progress {
    bool tty;
    bool drawn;
    int64_t start_ns;
    int64_t next_ns;
    int64_t last_ns;
    int64_t last_delivered;
} progress;

static void progress_show(progress *pg, const produce_state *st, int64_t now, bool final)
{
    double secs = (double)(now - pg->start_ns) / 1e9;
    double dt = (double)(now - pg->last_ns) / 1e9;
    double rate = dt > 0 ? (double)(st->delivered - pg->last_delivered) / dt : 0;
    if (pg->tty) {
        fprintf(stderr,
                "\r  %6.1f s  sent %lld  acknowledged %lld  failed %lld  %.0f events/s\x1b[K", secs,
                (long long)st->sent, (long long)st->delivered, (long long)st->failed, rate);
        if (final) {
            fprintf(stderr, "\n");
        }
        pg->drawn = !final;
    } else if (!final) {
        fprintf(stderr,
                "eddy produce: %.1f s sent %lld acknowledged %lld failed %lld %.0f events/s\n",
                secs, (long long)st->sent, (long long)st->delivered, (long long)st->failed, rate);
    }
    fflush(stderr);
    pg->last_ns = now;
    pg->last_delivered = st->delivered;
    pg->next_ns = now + (pg->tty ? 1000000000LL : 5000000000LL);
}

/* The partition key for an event: the generator's, none, or --key FIELD
 * from the body (a string's unescaped bytes; any other value's text; no key
 * for null or a missing field). */
static int event_key(const options *o, const eddy_gen_event *ev, char **buf, size_t *cap,
                     const char **key, size_t *key_len)
{
    *key = NULL;
    *key_len = 0;
    if (o->no_key) {
        return 0;
    }
    if (!o->key_field) {
        *key = ev->key;
        *key_len = ev->key_len;
        return 0;
    }
    eddy_json_type type;
    const char *val;
    size_t vlen;
    if (eddy_json_find(ev->value, ev->value_len, o->key_field, &type, &val, &vlen) != 0 ||
        type == EDDY_JSON_NULL) {
        return 1; /* keyless */
    }
    if (type != EDDY_JSON_STRING || !memchr(val, '\\', vlen)) {
        *key = val;
        *key_len = vlen;
        return 0;
    }
    if (vlen > *cap) {
        char *nb = realloc(*buf, vlen);
        if (!nb) {
            return 1;
        }
        *buf = nb;
        *cap = vlen;
    }
    long n = eddy_json_unescape(val, vlen, *buf);
    if (n < 0) {
        return 1;
    }
    *key = *buf;
    *key_len = (size_t)n;
    return 0;
}

static void print_summary(const options *o, const produce_state *st, double secs, const char *hub)
{
    FILE *out = o->dry_run ? stderr : stdout;
    double eps = secs > 0 ? (double)st->delivered / secs : 0;
    double mbps = secs > 0 ? (double)st->bytes_delivered / 1e6 / secs : 0;
    double p50 = (double)eddy_hist_percentile(&st->latency, 50) / 1e6;
    double p99 = (double)eddy_hist_percentile(&st->latency, 99) / 1e6;
    double max = (double)st->latency.max / 1e6;
    int64_t events = st->sent + st->refused + st->skipped;
    int64_t unknown = st->sent - st->delivered - st->dr_failed;
    if (o->json_summary) {
        fprintf(out,
                "{\"hub\":\"%s\",\"events\":%lld,\"delivered\":%lld,\"failed\":%lld,"
                "\"bytes\":%lld,\"seconds\":%.3f,\"events_per_second\":%.1f,"
                "\"mb_per_second\":%.3f,\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f,"
                "\"max\":%.3f},\"keyless\":%lld}\n",
                hub, (long long)events, (long long)st->delivered, (long long)st->failed,
                (long long)st->bytes_delivered, secs, eps, mbps, p50, p99, max,
                (long long)st->keyless);
        fflush(out);
        return;
    }
    fprintf(out, "eddy produce: %s%s\n", o->dry_run ? "dry run" : "hub ", o->dry_run ? "" : hub);
    fprintf(out, "  events      %lld delivered of %lld, %lld failed\n", (long long)st->delivered,
            (long long)events, (long long)st->failed);
    fprintf(out, "  bytes       %lld (%.2f MB, keys and bodies)\n", (long long)st->bytes_delivered,
            (double)st->bytes_delivered / 1e6);
    fprintf(out, "  time        %.3f s\n", secs);
    fprintf(out, "  throughput  %.0f events/s, %.2f MB/s\n", eps, mbps);
    if (!o->dry_run) {
        fprintf(out,
                "  latency     p50 %.2f ms, p99 %.2f ms, max %.2f ms (send to acknowledgement)\n",
                p50, p99, max);
    }
    if (st->keyless) {
        fprintf(out, "  keys        %lld events had no '%s' field and went without a key\n",
                (long long)st->keyless, o->key_field);
    }
    if (unknown > 0) {
        fprintf(out, "  unknown     %lld events were not acknowledged before the end\n",
                (long long)unknown);
    }
    fflush(out);
}

/* Waits for the next due event while serving delivery reports: at least
 * 1 ms (so at high rates the events due meanwhile go out together, never a
 * sleep per event), at most 100 ms (to notice Ctrl-C and show progress). */
static void wait_ns(rd_kafka_t *rk, int64_t ns)
{
    int ms = ns < 1000000 ? 1 : ns > 100000000 ? 100 : (int)(ns / 1000000);
    if (rk) {
        rd_kafka_poll(rk, ms);
    } else {
        struct timespec ts = {0, (long)ms * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Sends one event. Returns 0, 1 to stop quietly (--dry-run's reader went
 * away), or -1 to stop on a fatal condition (printed). */
static int send_event(const options *o, produce_state *st, rd_kafka_topic_t *rkt,
                      const eddy_gen_event *ev, const char *key, size_t key_len)
{
    if (o->dry_run) {
        if (fwrite(ev->value, 1, ev->value_len, stdout) != ev->value_len || putchar('\n') == EOF) {
            if (errno == EPIPE) {
                return 1; /* the reader is gone (| head): stop quietly */
            }
            fprintf(stderr, "eddy produce: writing to standard output failed: %s\n",
                    strerror(errno));
            return -1;
        }
        st->sent++;
        st->delivered++;
        st->bytes_delivered += (int64_t)(ev->value_len + key_len);
        return 0;
    }
    for (;;) {
        int64_t now = eddy_clock_mono_ns();
        if (rd_kafka_produce(rkt, o->partition, RD_KAFKA_MSG_F_COPY, (void *)ev->value,
                             ev->value_len, key, key_len, (void *)(intptr_t)now) == 0) {
            st->sent++;
            return 0;
        }
        rd_kafka_resp_err_t e = rd_kafka_last_error();
        if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            /* Backpressure: the local queue is full; serve reports and retry. */
            rd_kafka_poll(st->rk, 5);
            if (interrupted > 1) {
                return -1;
            }
            continue;
        }
        st->refused++;
        st->failed++;
        report_failure(st, "event refused: %s", rd_kafka_err2str(e));
        if (e == RD_KAFKA_RESP_ERR__FATAL) {
            return -1;
        }
        return 0;
    }
}

static int parse_fraction(const char *s, double *v)
{
    char *end;
    errno = 0;
    double d = s ? strtod(s, &end) : 0;
    if (!s || !*s || *end || errno || !(d >= 0 && d <= 1)) {
        return -1;
    }
    *v = d;
    return 0;
}

int eddy_cmd_produce(int argc, char **argv)
{
    const char *hub = NULL, *bootstrap = NULL, *conn = NULL, *generator = "telemetry";
    const char *rate_s = NULL, *count_s = NULL, *duration_s = NULL, *seed_s = NULL;
    const char *key_s = NULL, *acks_s = "all", *compression_s = "none", *devices_s = NULL;
    const char *late_s = NULL, *lateness_s = NULL, *anomaly_s = NULL, *start_s = NULL;
    const char *max_line_s = NULL, *summary_s = "text", *partition_s = NULL;
    bool no_key = false, dry_run = false, quiet = false;
    eddy_client_props props = {0};
    eddy_cli_opt opts[] = {
        {.name = "hub", .metavar = "NAME", .help = "event hub to send to", .value = &hub},
        EDDY_CLI_OPT_BOOTSTRAP(&bootstrap),
        EDDY_CLI_OPT_CONNECTION_STRING(&conn),
        {.name = "generator",
         .short_name = 'g',
         .metavar = "KIND",
         .help = "telemetry (default) | nexmark | file:PATH | - (stdin)",
         .value = &generator},
        {.name = "rate",
         .metavar = "N",
         .help = "events per second (default: as fast as possible)",
         .value = &rate_s},
        {.name = "count",
         .short_name = 'n',
         .metavar = "N",
         .help = "events to send",
         .value = &count_s},
        {.name = "duration",
         .metavar = "D",
         .help = "send for this long (10s, 2m, 500ms)",
         .value = &duration_s},
        {.name = "seed", .metavar = "S", .help = "random seed (default 0)", .value = &seed_s},
        {.name = "key",
         .metavar = "FIELD",
         .help = "partition key = this JSON field of the body (a.b for nested)",
         .value = &key_s},
        {.name = "no-key", .help = "send without keys (spread over partitions)", .flag = &no_key},
        {.name = "partition",
         .metavar = "P",
         .help = "send every event to partition P (default: by key)",
         .value = &partition_s},
        {.name = "acks",
         .metavar = "0|1|all",
         .help = "acknowledgements (default all)",
         .value = &acks_s},
        {.name = "compression",
         .metavar = "CODEC",
         .help = "none (default) | gzip | snappy | lz4 | zstd",
         .value = &compression_s},
        {.name = "devices",
         .metavar = "N",
         .help = "telemetry: simulated devices (default 100)",
         .value = &devices_s},
        {.name = "anomaly-fraction",
         .metavar = "F",
         .help = "telemetry: share of anomalous readings (default 0.02)",
         .value = &anomaly_s},
        {.name = "late-fraction",
         .metavar = "F",
         .help = "share of events with an earlier, out-of-order time (default 0)",
         .value = &late_s},
        {.name = "max-lateness",
         .metavar = "D",
         .help = "how much earlier at most (default 5s)",
         .value = &lateness_s},
        {.name = "start-time",
         .metavar = "TIME",
         .help = "event times from TIME on a simulated clock (repeatable output)",
         .value = &start_s},
        {.name = "max-line-bytes",
         .metavar = "N",
         .help = "replay: longest line sent (default 1048576)",
         .value = &max_line_s},
        {.name = "dry-run",
         .help = "write the events to stdout instead of sending",
         .flag = &dry_run},
        {.name = "summary",
         .metavar = "text|json",
         .help = "summary format (default text)",
         .value = &summary_s},
        {.name = "quiet", .short_name = 'q', .help = "no progress output", .flag = &quiet},
        EDDY_CLI_OPT_CLIENT_SET(&props),
        {.name = NULL},
    };
    int npos = 0;
    int rc = eddy_cli_parse(
        "produce",
        "Usage: eddy produce --hub NAME [--bootstrap HOST:PORT | --connection-string STR]\n"
        "                    [--generator telemetry|nexmark|file:PATH|-] [--rate N]\n"
        "                    [--count N | --duration D] [--seed S] [--key FIELD]\n"
        "                    [--acks 0|1|all] [--compression CODEC] [-X name=value ...]\n\n"
        "Generates events and sends them to an event hub, then prints a summary:\n"
        "events, bytes, events/s, MB/s and delivery latency. Exits 1 when any event\n"
        "was not delivered. Details and event formats: docs/produce.md.",
        opts, argc, argv, &npos);
    if (rc >= 0) {
        eddy_client_props_free(&props);
        return rc;
    }
    int status = EDDY_EXIT_USAGE;
    options o = {.count = -1,
                 .duration_ms = -1,
                 .no_key = no_key,
                 .dry_run = dry_run,
                 .quiet = quiet,
                 .generator = generator,
                 .partition = RD_KAFKA_PARTITION_UA};
    eddy_gen_config gcfg;
    eddy_gen_config_defaults(&gcfg);
    eddy_client_config ccfg = {0};
    eddy_gen *gen = NULL;
    rd_kafka_t *rk = NULL;
    rd_kafka_topic_t *rkt = NULL;
    char *keybuf = NULL;
    size_t keycap = 0;
    char err[512];
    produce_state st = {0};
    eddy_hist_init(&st.latency);

    if (npos > 0) {
        eddy_cli_usage_error("produce", "unexpected argument '%s'", argv[1]);
        goto done;
    }
    if (rate_s && eddy_client_parse_rate(rate_s, &o.rate)) {
        eddy_cli_usage_error("produce", "--rate must be a positive number of events per second");
        goto done;
    }
    if (count_s && eddy_client_parse_count(count_s, &o.count)) {
        eddy_cli_usage_error("produce", "--count must be a whole number >= 0");
        goto done;
    }
    if (duration_s && eddy_client_parse_duration_ms(duration_s, &o.duration_ms)) {
        eddy_cli_usage_error("produce", "bad --duration '%s' (examples: 10s, 2m, 500ms)",
                             duration_s);
        goto done;
    }
    if (seed_s) {
        int64_t seed;
        if (eddy_client_parse_count(seed_s, &seed)) {
            eddy_cli_usage_error("produce", "--seed must be a whole number >= 0");
            goto done;
        }
        gcfg.seed = (uint64_t)seed;
    }
    if (key_s) {
        if (!*key_s || no_key) {
            eddy_cli_usage_error("produce", "%s",
                                 no_key ? "--key and --no-key exclude each other"
                                        : "--key needs a field name");
            goto done;
        }
        o.key_field = key_s;
    }
    if (strcmp(acks_s, "0") != 0 && strcmp(acks_s, "1") != 0 && strcmp(acks_s, "all") != 0 &&
        strcmp(acks_s, "-1") != 0) {
        eddy_cli_usage_error("produce", "--acks must be 0, 1 or all");
        goto done;
    }
    if (strcmp(compression_s, "none") != 0 && strcmp(compression_s, "gzip") != 0 &&
        strcmp(compression_s, "snappy") != 0 && strcmp(compression_s, "lz4") != 0 &&
        strcmp(compression_s, "zstd") != 0) {
        eddy_cli_usage_error("produce", "--compression must be none, gzip, snappy, lz4 or zstd");
        goto done;
    }
    if (devices_s) {
        int64_t d;
        if (eddy_client_parse_count(devices_s, &d) || d < 1 || d > 1000000) {
            eddy_cli_usage_error("produce", "--devices must be 1..1000000");
            goto done;
        }
        gcfg.devices = (int)d;
    }
    if (anomaly_s && parse_fraction(anomaly_s, &gcfg.anomaly_fraction)) {
        eddy_cli_usage_error("produce", "--anomaly-fraction must be between 0 and 1");
        goto done;
    }
    if (late_s && parse_fraction(late_s, &gcfg.late_fraction)) {
        eddy_cli_usage_error("produce", "--late-fraction must be between 0 and 1");
        goto done;
    }
    if (lateness_s && (eddy_client_parse_duration_ms(lateness_s, &gcfg.max_lateness_ms) ||
                       gcfg.max_lateness_ms < 1)) {
        eddy_cli_usage_error("produce", "bad --max-lateness '%s' (examples: 5s, 800ms)",
                             lateness_s);
        goto done;
    }
    if (start_s) {
        if (eddy_client_parse_time(start_s, &o.start_time_ms)) {
            eddy_cli_usage_error("produce",
                                 "bad --start-time '%s' (ISO-8601, e.g. "
                                 "2026-11-24T20:00:00Z)",
                                 start_s);
            goto done;
        }
        o.start_time_set = true;
    }
    if (max_line_s) {
        int64_t m;
        if (eddy_client_parse_count(max_line_s, &m) || m < 1 || m > (1 << 30)) {
            eddy_cli_usage_error("produce", "--max-line-bytes must be 1..1073741824");
            goto done;
        }
        gcfg.max_line_bytes = (size_t)m;
    }
    if (partition_s) {
        int64_t p;
        if (eddy_client_parse_count(partition_s, &p) || p > 100000) {
            eddy_cli_usage_error("produce", "--partition must be a partition number");
            goto done;
        }
        o.partition = (int32_t)p;
    }
    if (strcmp(summary_s, "text") != 0 && strcmp(summary_s, "json") != 0) {
        eddy_cli_usage_error("produce", "--summary must be text or json");
        goto done;
    }
    o.json_summary = strcmp(summary_s, "json") == 0;
    if (o.rate > 0) {
        gcfg.event_rate = o.rate;
    }
    gcfg.kind = generator;
    gcfg.fd = STDIN_FILENO;

    eddy_client_opts copts = {.bootstrap = bootstrap,
                              .connection_string = conn,
                              .hub = hub,
                              .props = props.v,
                              .nprops = props.n};
    if (eddy_client_config_build(&copts, &ccfg, err, sizeof err)) {
        eddy_cli_usage_error("produce", "%s", err);
        goto done;
    }
    if (!ccfg.hub && !dry_run) {
        eddy_cli_usage_error("produce", "--hub NAME is required");
        goto done;
    }
    o.hub = ccfg.hub ? ccfg.hub : "-";
    int grc = eddy_gen_new(&gcfg, &gen, err, sizeof err);
    if (grc) {
        if (grc == EDDY_ERR_INVALID_ARG) {
            eddy_cli_usage_error("produce", "%s", err);
        } else {
            fprintf(stderr, "eddy produce: %s\n", err);
            status = EDDY_EXIT_FAIL;
        }
        goto done;
    }
    status = EDDY_EXIT_FAIL;

    int partitions = 0;
    if (!dry_run) {
        const char *acks = strcmp(acks_s, "-1") == 0 ? "all" : acks_s;
        int crc = eddy_client_config_set(&ccfg, "acks", acks);
        crc = crc ? crc : eddy_client_config_set(&ccfg, "compression.codec", compression_s);
        /* Murmur2 over the key, as Java clients: a key lands in the same
         * partition whichever client sent it. */
        crc = crc ? crc : eddy_client_config_set(&ccfg, "partitioner", "murmur2_random");
        /* With acks=all, no duplicates on retry (the Java default since 3.0). */
        if (!crc && strcmp(acks, "all") == 0) {
            crc = eddy_client_config_set(&ccfg, "enable.idempotence", "true");
        }
        if (crc) {
            fprintf(stderr, "eddy produce: out of memory\n");
            goto done;
        }
        rk = eddy_client_new(RD_KAFKA_PRODUCER, "produce", &ccfg, prepare_producer, &st, err,
                             sizeof err);
        if (!rk) {
            eddy_cli_usage_error("produce", "%s", err);
            status = EDDY_EXIT_USAGE;
            goto done;
        }
        st.rk = rk;
        const struct rd_kafka_metadata *md;
        if (eddy_client_metadata(rk, &ccfg, o.hub, 15000, &md, err, sizeof err)) {
            fprintf(stderr, "eddy produce: %s\n", err);
            goto done;
        }
        for (int i = 0; i < md->topic_cnt; i++) {
            if (strcmp(md->topics[i].topic, o.hub) == 0) {
                partitions = md->topics[i].partition_cnt;
            }
        }
        rd_kafka_metadata_destroy(md);
        if (o.partition != RD_KAFKA_PARTITION_UA && partitions > 0 && o.partition >= partitions) {
            fprintf(stderr, "eddy produce: hub '%s' has %d partitions (0..%d); there is no %d\n",
                    o.hub, partitions, partitions - 1, (int)o.partition);
            goto done;
        }
        rkt = rd_kafka_topic_new(rk, o.hub, NULL);
        if (!rkt) {
            fprintf(stderr, "eddy produce: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
            goto done;
        }
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!quiet) {
        char what[160] = "";
        size_t wn = 0;
        if (o.rate > 0) {
            wn += (size_t)snprintf(what + wn, sizeof what - wn, ", %.6g events/s", o.rate);
        }
        if (o.count >= 0) {
            wn +=
                (size_t)snprintf(what + wn, sizeof what - wn, ", %lld events", (long long)o.count);
        }
        if (o.duration_ms >= 0) {
            snprintf(what + wn, sizeof what - wn, ", for %.3g s", (double)o.duration_ms / 1000);
        }
        if (dry_run) {
            fprintf(stderr, "eddy produce: %s events to stdout%s\n", eddy_gen_kind_name(gen), what);
        } else {
            fprintf(stderr, "eddy produce: %s events to hub '%s' at %s (%d partitions)%s\n",
                    eddy_gen_kind_name(gen), o.hub, ccfg.endpoint, partitions, what);
        }
    }

    progress pg = {.tty = isatty(STDERR_FILENO) == 1};
    int64_t t0 = eddy_clock_mono_ns();
    int64_t wall0 = eddy_clock_wall_ms();
    pg.start_ns = pg.last_ns = t0;
    pg.next_ns = t0 + (pg.tty ? 1000000000LL : 5000000000LL);
    eddy_rate rate;
    if (o.rate > 0) {
        eddy_rate_init(&rate, o.rate, t0, 1.0);
    }
    int64_t end_ns = o.duration_ms >= 0 ? t0 + o.duration_ms * 1000000 : INT64_MAX;
    /* The simulated clock of --start-time advances 1/rate per event (the
     * Nexmark model's 10,000 events/s without --rate). */
    double sim_ms_per_event = 1000.0 / (o.rate > 0 ? o.rate : gcfg.event_rate);
    int64_t made = 0; /* events taken from the generator, skipped lines too */
    bool input_ended = false, fatal = false;

    while (!interrupted && !input_ended && !fatal) {
        if (o.count >= 0 && made >= o.count) {
            break;
        }
        int64_t now = eddy_clock_mono_ns();
        if (!quiet && now >= pg.next_ns) {
            progress_show(&pg, &st, now, false);
        }
        if (o.rate <= 0 && now >= end_ns) {
            break;
        }
        int batch = 0;
        bool due_past_end = false;
        while (batch < 4096 && !(o.count >= 0 && made >= o.count)) {
            int64_t due_ns = now;
            if (o.rate > 0) {
                if (eddy_rate_due_ns(&rate) >= end_ns) {
                    due_past_end = true;
                    break;
                }
                if (!eddy_rate_next(&rate, now, &due_ns)) {
                    break;
                }
            }
            int64_t ts_ms = o.start_time_set
                                ? o.start_time_ms + (int64_t)((double)made * sim_ms_per_event)
                                : wall0 + (due_ns - t0) / 1000000;
            eddy_gen_event ev;
            int g = eddy_gen_next(gen, ts_ms, &ev);
            made++;
            batch++;
            if (g == 0) {
                made--;
                input_ended = true;
                break;
            }
            if (g < 0) {
                st.skipped++;
                st.failed++;
                report_failure(&st, "%s", eddy_gen_error(gen));
                if (g != EDDY_ERR_LIMIT) {
                    fatal = true;
                    break;
                }
                continue;
            }
            const char *key;
            size_t key_len;
            if (event_key(&o, &ev, &keybuf, &keycap, &key, &key_len)) {
                st.keyless++;
            }
            int src = send_event(&o, &st, rkt, &ev, key, key_len);
            if (src) {
                fatal = src < 0;
                input_ended = src > 0;
                break;
            }
        }
        if (due_past_end) {
            break;
        }
        if (o.rate > 0 && batch == 0) {
            int64_t wait = eddy_rate_wait_ns(&rate, eddy_clock_mono_ns());
            if (eddy_rate_due_ns(&rate) >= end_ns) {
                break;
            }
            wait_ns(rk, wait);
        } else if (rk) {
            rd_kafka_poll(rk, 0);
        }
    }

    /* Wait for every acknowledgement (librdkafka fails what it cannot send
     * within message.timeout.ms, so this ends). A second Ctrl-C gives up. */
    while (rk && st.sent > st.delivered + st.dr_failed && interrupted < 2) {
        rd_kafka_poll(rk, 100);
        int64_t now = eddy_clock_mono_ns();
        if (!quiet && now >= pg.next_ns) {
            progress_show(&pg, &st, now, false);
        }
    }
    if (rk) {
        rd_kafka_flush(rk, 1000);
    }
    if (dry_run) {
        fflush(stdout);
    }
    int64_t t1 = eddy_clock_mono_ns();
    if (!quiet && pg.tty && pg.drawn) {
        progress_show(&pg, &st, t1, true);
    }
    print_summary(&o, &st, (double)(t1 - t0) / 1e9, o.hub);
    status = st.failed == 0 && st.delivered == st.sent && !fatal ? EDDY_EXIT_OK : EDDY_EXIT_FAIL;

done:
    free(keybuf);
    if (rkt) {
        rd_kafka_topic_destroy(rkt);
    }
    if (rk) {
        rd_kafka_destroy(rk);
    }
    eddy_gen_free(gen);
    eddy_client_config_deinit(&ccfg);
    eddy_client_props_free(&props);
    return status;
}

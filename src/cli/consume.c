/* eddy consume: the tail. Prints a hub's events, one line each, from the
 * earliest, the latest, an offset or a time, on all partitions or one, or
 * as a member of a consumer group; through librdkafka, so it reads eddy,
 * Kafka, Redpanda or Azure Event Hubs alike.
 *
 * Without --group the partitions are assigned directly (nothing is
 * committed). With --group the hub's group coordinator balances partitions
 * over the group's members; offsets of printed events are stored and
 * committed every few seconds and at exit, so the next run of the group
 * continues where this one stopped.
 *
 * --format json prints an object per event (docs/produce.md):
 *   {"partition":0,"offset":42,"enqueuedTime":"2026-11-24T20:00:00.123Z",
 *    "key":"device-0042","headers":{},"body":{...}}
 * The body is embedded as JSON when it is a JSON object or array (minified);
 * otherwise it is a JSON string when it is UTF-8 text, else base64 with
 * "bodyEncoding":"base64". --format body prints the raw body bytes and a
 * newline. --until-end stops at the end offsets seen at the start; --stats
 * prints counts and end-to-end latency (arrival minus the event's
 * timestamp) on stderr at exit. */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "client/config.h"
#include "client/hist.h"
#include "client/kafka.h"
#include "client/parse.h"
#include "core/buf.h"
#include "core/clock.h"
#include "gen/json.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

enum from_kind { FROM_EARLIEST, FROM_LATEST, FROM_OFFSET, FROM_TAIL, FROM_TIME };

typedef struct consume_state {
    rd_kafka_t *rk;
    const char *hub;
    enum from_kind from;
    int64_t from_value; /* offset, tail count or time in ms */
    bool first_assignment_done;
    bool until_end;
    bool group;
    /* Per partition (index = partition id; sized to the hub's count). */
    int nparts;
    int64_t *end;  /* --until-end: end offset at the start; -1 unknown */
    bool *done;    /* reached its end */
    bool *active;  /* assigned to us */
    int64_t count; /* printed */
    int64_t bytes;
    eddy_hist latency; /* ns: arrival minus the event timestamp */
    char err[512];
} consume_state;

/* Sets the --from position on every partition of list, asking the hub for
 * offsets by time when needed. Returns 0 or -1 with st->err set. */
static int apply_from(consume_state *st, rd_kafka_topic_partition_list_t *list)
{
    for (int i = 0; i < list->cnt; i++) {
        rd_kafka_topic_partition_t *tp = &list->elems[i];
        switch (st->from) {
        case FROM_EARLIEST:
            tp->offset = RD_KAFKA_OFFSET_BEGINNING;
            break;
        case FROM_LATEST:
            tp->offset = RD_KAFKA_OFFSET_END;
            break;
        case FROM_OFFSET: {
            /* Clamp into the partition's range rather than let an
             * out-of-range offset fall back to a reset policy. */
            int64_t low = 0, high = 0;
            tp->offset = st->from_value;
            if (rd_kafka_query_watermark_offsets(st->rk, tp->topic, tp->partition, &low, &high,
                                                 15000) == 0) {
                if (tp->offset < low || tp->offset > high) {
                    fprintf(stderr,
                            "eddy consume: partition %d holds offsets %lld..%lld; starting at "
                            "%lld\n",
                            (int)tp->partition, (long long)low, (long long)high - 1,
                            (long long)(tp->offset < low ? low : high));
                    tp->offset = tp->offset < low ? low : high;
                }
            }
            break;
        }
        case FROM_TAIL:
            tp->offset = RD_KAFKA_OFFSET_TAIL(st->from_value);
            break;
        case FROM_TIME:
            tp->offset = st->from_value;
            break;
        }
    }
    if (st->from != FROM_TIME || list->cnt == 0) {
        return 0;
    }
    rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(st->rk, list, 15000);
    if (e) {
        snprintf(st->err, sizeof st->err, "cannot look up offsets for the time: %s",
                 rd_kafka_err2str(e));
        return -1;
    }
    for (int i = 0; i < list->cnt; i++) {
        rd_kafka_topic_partition_t *tp = &list->elems[i];
        if (tp->err) {
            snprintf(st->err, sizeof st->err, "cannot look up offsets for the time: %s",
                     rd_kafka_err2str(tp->err));
            return -1;
        }
        if (tp->offset < 0) {
            tp->offset = RD_KAFKA_OFFSET_END; /* no event at or after the time */
        }
    }
    return 0;
}

static void mark(consume_state *st, const rd_kafka_topic_partition_list_t *list, bool active)
{
    for (int i = 0; i < list->cnt; i++) {
        int p = list->elems[i].partition;
        if (p >= 0 && p < st->nparts) {
            st->active[p] = active;
            if (active) {
                st->done[p] = false;
            }
        }
    }
}

/* Group mode: the first assignment starts at --from when it names an offset
 * or a time; later ones (rebalances) continue from committed offsets. */
static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    consume_state *st = opaque;
    bool cooperative = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (!st->first_assignment_done && st->from != FROM_EARLIEST && st->from != FROM_LATEST) {
            if (apply_from(st, parts)) {
                fprintf(stderr, "eddy consume: %s\n", st->err);
            }
        }
        st->first_assignment_done = true;
        mark(st, parts, true);
        if (cooperative) {
            rd_kafka_error_t *e = rd_kafka_incremental_assign(rk, parts);
            if (e) {
                fprintf(stderr, "eddy consume: %s\n", rd_kafka_error_string(e));
                rd_kafka_error_destroy(e);
            }
        } else {
            rd_kafka_assign(rk, parts);
        }
        return;
    }
    mark(st, parts, false);
    if (cooperative) {
        rd_kafka_error_t *e = rd_kafka_incremental_unassign(rk, parts);
        if (e) {
            rd_kafka_error_destroy(e);
        }
    } else {
        rd_kafka_assign(rk, NULL);
    }
}

static void prepare_consumer(rd_kafka_conf_t *conf, void *arg)
{
    consume_state *st = arg;
    rd_kafka_conf_set_opaque(conf, st);
    if (st->group) {
        rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
    }
}

/* Appends bytes as a JSON value: a string when UTF-8, else base64 (and
 * *binary set). */
static void put_text(eddy_buf *b, const void *p, size_t n, bool *binary)
{
    if (eddy_utf8_valid(p, n)) {
        eddy_json_put_string(b, p, n);
        *binary = false;
        return;
    }
    eddy_buf_append(b, "\"", 1);
    eddy_base64_put(b, p, n);
    eddy_buf_append(b, "\"", 1);
    *binary = true;
}

static void put_lit(eddy_buf *b, const char *s)
{
    eddy_buf_append(b, s, strlen(s));
}

static void format_json(eddy_buf *b, const rd_kafka_message_t *m)
{
    char num[64];
    snprintf(num, sizeof num, "{\"partition\":%d,\"offset\":%lld", (int)m->partition,
             (long long)m->offset);
    put_lit(b, num);
    rd_kafka_timestamp_type_t tstype;
    int64_t ts = rd_kafka_message_timestamp(m, &tstype);
    if (tstype != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) {
        char iso[40];
        put_lit(b, ",\"enqueuedTime\":\"");
        put_lit(b, eddy_clock_format_iso_ms(ts, iso, sizeof iso));
        put_lit(b, "\"");
        if (tstype == RD_KAFKA_TIMESTAMP_CREATE_TIME) {
            put_lit(b, ",\"timestampType\":\"CreateTime\"");
        }
    }
    put_lit(b, ",\"key\":");
    bool binary = false;
    if (m->key) {
        put_text(b, m->key, m->key_len, &binary);
        if (binary) {
            put_lit(b, ",\"keyEncoding\":\"base64\"");
        }
    } else {
        put_lit(b, "null");
    }
    put_lit(b, ",\"headers\":{");
    rd_kafka_headers_t *hdrs;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char *name;
        const void *val;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == 0; i++) {
            if (i) {
                put_lit(b, ",");
            }
            eddy_json_put_string(b, name, strlen(name));
            put_lit(b, ":");
            if (!val) {
                put_lit(b, "null");
            } else if (eddy_utf8_valid(val, size)) {
                eddy_json_put_string(b, val, size);
            } else {
                put_lit(b, "{\"base64\":\"");
                eddy_base64_put(b, val, size);
                put_lit(b, "\"}");
            }
        }
    }
    put_lit(b, "},\"body\":");
    eddy_json_type type;
    if (!m->payload) {
        put_lit(b, "null");
    } else if (eddy_json_valid(m->payload, m->len, &type) &&
               (type == EDDY_JSON_OBJECT || type == EDDY_JSON_ARRAY)) {
        uint8_t *dst = eddy_buf_extend(b, m->len);
        if (dst) {
            size_t n = eddy_json_minify(m->payload, m->len, (char *)dst);
            b->len -= m->len - n;
        }
    } else {
        put_text(b, m->payload, m->len, &binary);
        if (binary) {
            put_lit(b, ",\"bodyEncoding\":\"base64\"");
        }
    }
    put_lit(b, "}\n");
}

static bool all_done(const consume_state *st)
{
    bool any = false;
    for (int p = 0; p < st->nparts; p++) {
        if (st->active[p]) {
            any = true;
            if (!st->done[p]) {
                return false;
            }
        }
    }
    return any;
}

static int parse_from(const char *s, consume_state *st)
{
    if (strcmp(s, "earliest") == 0 || strcmp(s, "beginning") == 0) {
        st->from = FROM_EARLIEST;
        return 0;
    }
    if (strcmp(s, "latest") == 0 || strcmp(s, "end") == 0) {
        st->from = FROM_LATEST;
        return 0;
    }
    if (s[0] == '@') {
        st->from = FROM_TIME;
        return eddy_client_parse_time(s + 1, &st->from_value) ? -1 : 0;
    }
    if (s[0] == '-') {
        st->from = FROM_TAIL;
        return eddy_client_parse_count(s + 1, &st->from_value) || st->from_value < 1 ? -1 : 0;
    }
    st->from = FROM_OFFSET;
    return eddy_client_parse_count(s, &st->from_value) ? -1 : 0;
}

int eddy_cmd_consume(int argc, char **argv)
{
    const char *hub = NULL, *bootstrap = NULL, *conn = NULL, *group = NULL, *from_s = NULL;
    const char *partition_s = NULL, *count_s = NULL, *format_s = "json";
    bool until_end = false, stats = false;
    eddy_client_props props = {0};
    eddy_cli_opt opts[] = {
        {.name = "hub", .metavar = "NAME", .help = "event hub to read", .value = &hub},
        EDDY_CLI_OPT_BOOTSTRAP(&bootstrap),
        EDDY_CLI_OPT_CONNECTION_STRING(&conn),
        {.name = "group",
         .metavar = "G",
         .help = "read as a member of consumer group G (commits offsets)",
         .value = &group},
        {.name = "from",
         .metavar = "WHERE",
         .help = "earliest | latest (default) | OFFSET | -N (last N) | @ISO-TIME",
         .value = &from_s},
        {.name = "partition",
         .metavar = "P",
         .help = "read only partition P",
         .value = &partition_s},
        {.name = "count",
         .short_name = 'n',
         .metavar = "N",
         .help = "stop after N events",
         .value = &count_s},
        {.name = "until-end",
         .help = "stop at the end offsets seen at the start",
         .flag = &until_end},
        {.name = "format",
         .metavar = "json|body",
         .help = "json (default): an object per event; body: the raw body",
         .value = &format_s},
        {.name = "stats",
         .help = "print counts and end-to-end latency on stderr at exit",
         .flag = &stats},
        EDDY_CLI_OPT_CLIENT_SET(&props),
        {.name = NULL},
    };
    int npos = 0;
    int rc = eddy_cli_parse(
        "consume",
        "Usage: eddy consume --hub NAME [--bootstrap HOST:PORT | --connection-string STR]\n"
        "                    [--group G] [--from earliest|latest|OFFSET|-N|@ISO-TIME]\n"
        "                    [--partition P] [--count N] [--until-end] [--format json|body]\n\n"
        "Prints a hub's events, one line each. Without --group every partition (or\n"
        "--partition P) is read directly and nothing is committed; with --group the\n"
        "group's committed offsets are used (--from applies where there are none, or,\n"
        "for an offset or a time, to the first assignment) and updated.",
        opts, argc, argv, &npos);
    if (rc >= 0) {
        eddy_client_props_free(&props);
        return rc;
    }
    int status = EDDY_EXIT_USAGE;
    consume_state st = {.from = FROM_LATEST, .until_end = until_end, .group = group != NULL};
    eddy_hist_init(&st.latency);
    eddy_client_config ccfg = {0};
    rd_kafka_t *rk = NULL;
    rd_kafka_topic_partition_list_t *list = NULL;
    eddy_buf out;
    eddy_buf_init(&out, 0);
    char err[512];
    int64_t count = -1;
    int partition = -1;
    bool body_format = false;
    static char outbuf[1 << 20];

    if (npos > 0) {
        eddy_cli_usage_error("consume", "unexpected argument '%s'", argv[1]);
        goto done;
    }
    if (from_s && parse_from(from_s, &st)) {
        eddy_cli_usage_error("consume",
                             "bad --from '%s' (earliest, latest, an offset, -N or @ISO-TIME "
                             "such as @2026-11-24T20:00:00Z)",
                             from_s);
        goto done;
    }
    if (count_s && eddy_client_parse_count(count_s, &count)) {
        eddy_cli_usage_error("consume", "--count must be a whole number >= 0");
        goto done;
    }
    if (partition_s) {
        int64_t p;
        if (eddy_client_parse_count(partition_s, &p) || p > 100000) {
            eddy_cli_usage_error("consume", "--partition must be a partition number");
            goto done;
        }
        partition = (int)p;
        if (group) {
            eddy_cli_usage_error("consume", "--partition and --group exclude each other (the "
                                            "group assigns partitions)");
            goto done;
        }
    }
    if (strcmp(format_s, "json") == 0) {
        body_format = false;
    } else if (strcmp(format_s, "body") == 0) {
        body_format = true;
    } else {
        eddy_cli_usage_error("consume", "--format must be json or body");
        goto done;
    }
    if (group && !*group) {
        eddy_cli_usage_error("consume", "--group needs a name");
        goto done;
    }
    eddy_client_opts copts = {.bootstrap = bootstrap,
                              .connection_string = conn,
                              .hub = hub,
                              .props = props.v,
                              .nprops = props.n};
    if (eddy_client_config_build(&copts, &ccfg, err, sizeof err)) {
        eddy_cli_usage_error("consume", "%s", err);
        goto done;
    }
    if (!ccfg.hub) {
        eddy_cli_usage_error("consume", "--hub NAME is required");
        goto done;
    }
    st.hub = ccfg.hub;
    int crc = 0;
    if (group) {
        crc = eddy_client_config_set(&ccfg, "group.id", group);
        crc = crc ? crc : eddy_client_config_set(&ccfg, "enable.auto.offset.store", "false");
        crc = crc ? crc
                  : eddy_client_config_set(&ccfg, "auto.offset.reset",
                                           st.from == FROM_EARLIEST ? "earliest" : "latest");
    } else {
        /* A consumer needs a group id even when it assigns partitions itself;
         * nothing is committed under it. */
        crc = eddy_client_config_set(&ccfg, "group.id", "eddy-consume");
        crc = crc ? crc : eddy_client_config_set(&ccfg, "enable.auto.commit", "false");
        crc = crc ? crc : eddy_client_config_set(&ccfg, "auto.offset.reset", "earliest");
    }
    crc = crc ? crc : eddy_client_config_set(&ccfg, "enable.partition.eof", "true");
    if (crc) {
        fprintf(stderr, "eddy consume: out of memory\n");
        status = EDDY_EXIT_FAIL;
        goto done;
    }
    rk = eddy_client_new(RD_KAFKA_CONSUMER, "consume", &ccfg, prepare_consumer, &st, err,
                         sizeof err);
    if (!rk) {
        eddy_cli_usage_error("consume", "%s", err);
        goto done;
    }
    st.rk = rk;
    status = EDDY_EXIT_FAIL;
    rd_kafka_poll_set_consumer(rk);

    const struct rd_kafka_metadata *md;
    if (eddy_client_metadata(rk, &ccfg, st.hub, 15000, &md, err, sizeof err)) {
        fprintf(stderr, "eddy consume: %s\n", err);
        goto done;
    }
    for (int i = 0; i < md->topic_cnt; i++) {
        if (strcmp(md->topics[i].topic, st.hub) == 0) {
            st.nparts = md->topics[i].partition_cnt;
        }
    }
    rd_kafka_metadata_destroy(md);
    if (partition >= 0 && partition >= st.nparts) {
        fprintf(stderr, "eddy consume: hub '%s' has %d partitions (0..%d); there is no %d\n",
                st.hub, st.nparts, st.nparts - 1, partition);
        goto done;
    }
    /* Room for partitions added while we run (group mode sees them). */
    int slots = st.nparts + 64;
    st.end = calloc((size_t)slots, sizeof *st.end);
    st.done = calloc((size_t)slots, sizeof *st.done);
    st.active = calloc((size_t)slots, sizeof *st.active);
    if (!st.end || !st.done || !st.active) {
        fprintf(stderr, "eddy consume: out of memory\n");
        goto done;
    }
    int64_t nparts_known = st.nparts;
    st.nparts = slots;
    for (int p = 0; p < slots; p++) {
        st.end[p] = -1;
    }
    if (until_end) {
        for (int p = 0; p < nparts_known; p++) {
            int64_t low, high;
            rd_kafka_resp_err_t e =
                rd_kafka_query_watermark_offsets(rk, st.hub, p, &low, &high, 15000);
            if (e) {
                fprintf(stderr, "eddy consume: cannot read the end of partition %d: %s\n", p,
                        rd_kafka_err2str(e));
                goto done;
            }
            st.end[p] = high;
        }
    }

    if (group) {
        list = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(list, st.hub, RD_KAFKA_PARTITION_UA);
        rd_kafka_resp_err_t e = rd_kafka_subscribe(rk, list);
        if (e) {
            fprintf(stderr, "eddy consume: cannot join group '%s': %s\n", group,
                    rd_kafka_err2str(e));
            goto done;
        }
    } else {
        list = rd_kafka_topic_partition_list_new(nparts_known);
        for (int p = 0; p < nparts_known; p++) {
            if (partition < 0 || p == partition) {
                rd_kafka_topic_partition_list_add(list, st.hub, p);
            }
        }
        if (apply_from(&st, list)) {
            fprintf(stderr, "eddy consume: %s\n", st.err);
            goto done;
        }
        mark(&st, list, true);
        if (until_end) {
            /* Partitions already at their end (or empty) are done now. */
            for (int i = 0; i < list->cnt; i++) {
                rd_kafka_topic_partition_t *tp = &list->elems[i];
                if (tp->offset == RD_KAFKA_OFFSET_END ||
                    (tp->offset >= 0 && tp->offset >= st.end[tp->partition])) {
                    st.done[tp->partition] = true;
                }
            }
        }
        rd_kafka_resp_err_t e = rd_kafka_assign(rk, list);
        if (e) {
            fprintf(stderr, "eddy consume: %s\n", rd_kafka_err2str(e));
            goto done;
        }
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    int64_t t0 = eddy_clock_mono_ns();
    int64_t last_flush = t0;
    status = EDDY_EXIT_OK;
    while (!interrupted && (count < 0 || st.count < count)) {
        if (until_end && all_done(&st)) {
            break;
        }
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        int64_t now = eddy_clock_mono_ns();
        if (!m) {
            fflush(stdout);
            last_flush = now;
            continue;
        }
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            if (m->partition >= 0 && m->partition < st.nparts) {
                st.done[m->partition] = true;
            }
            rd_kafka_message_destroy(m);
            continue;
        }
        if (m->err) {
            fprintf(stderr, "eddy consume: %s\n", rd_kafka_message_errstr(m));
            bool fatal = m->err == RD_KAFKA_RESP_ERR__FATAL ||
                         m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                         m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
                         m->err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED;
            rd_kafka_message_destroy(m);
            if (fatal) {
                status = EDDY_EXIT_FAIL;
                break;
            }
            continue;
        }
        if (stats) {
            rd_kafka_timestamp_type_t tstype;
            int64_t ts = rd_kafka_message_timestamp(m, &tstype);
            if (tstype != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE) {
                eddy_hist_record(&st.latency, eddy_clock_wall_ns() - ts * 1000000);
            }
        }
        st.count++;
        st.bytes += (int64_t)(m->len + m->key_len);
        size_t wrote_ok;
        if (body_format) {
            wrote_ok = (!m->len || fwrite(m->payload, 1, m->len, stdout) == m->len) &&
                       putchar('\n') != EOF;
        } else {
            eddy_buf_reset(&out);
            format_json(&out, m);
            wrote_ok = !out.err && fwrite(out.data, 1, out.len, stdout) == out.len;
        }
        if (!wrote_ok) {
            if (errno != EPIPE) {
                fprintf(stderr, "eddy consume: writing to standard output failed: %s\n",
                        strerror(errno));
                status = EDDY_EXIT_FAIL;
            }
            rd_kafka_message_destroy(m);
            break;
        }
        if (group) {
            rd_kafka_offset_store(m->rkt, m->partition, m->offset);
        }
        if (until_end && m->partition >= 0 && m->partition < st.nparts &&
            st.end[m->partition] >= 0 && m->offset + 1 >= st.end[m->partition]) {
            st.done[m->partition] = true;
        }
        rd_kafka_message_destroy(m);
        if (now - last_flush > 100000000) {
            fflush(stdout);
            last_flush = now;
        }
    }
    if (fflush(stdout) != 0 && errno != EPIPE && status == EDDY_EXIT_OK) {
        status = EDDY_EXIT_FAIL;
    }
    if (stats) {
        double secs = (double)(eddy_clock_mono_ns() - t0) / 1e9;
        fprintf(stderr,
                "eddy consume: events=%lld bytes=%lld seconds=%.3f events_per_second=%.1f "
                "latency_p50_ms=%.3f latency_p99_ms=%.3f latency_max_ms=%.3f\n",
                (long long)st.count, (long long)st.bytes, secs,
                secs > 0 ? (double)st.count / secs : 0,
                (double)eddy_hist_percentile(&st.latency, 50) / 1e6,
                (double)eddy_hist_percentile(&st.latency, 99) / 1e6, (double)st.latency.max / 1e6);
    }
    /* Leaves the group and commits what was printed. */
    rd_kafka_consumer_close(rk);

done:
    if (list) {
        rd_kafka_topic_partition_list_destroy(list);
    }
    if (rk) {
        rd_kafka_destroy(rk);
    }
    fflush(stdout);
    free(st.end);
    free(st.done);
    free(st.active);
    eddy_buf_deinit(&out);
    eddy_client_config_deinit(&ccfg);
    eddy_client_props_free(&props);
    return status;
}

/* eddy query: SQL over files and the lake (docs/sql.md, docs/sql-engine.md).
 *
 *   eddy query [--format table|jsonl|csv] [--out FILE] [--threads N]
 *              ('SQL' | -f FILE.sql)
 *
 * The query is parsed, bound against its sources and run on N threads
 * (default: every core). Rows go to stdout (or --out) as an aligned table
 * for people, or as JSON lines or CSV for machines; a statement with
 * INTO 'file' writes there. Errors point at the query with a caret.
 *
 * Exit status: 0 ok; 2 for a usage error or an error in the query (syntax,
 * unknown names, types); 1 when the input fails it (a missing or
 * malformed file, a value that does not convert, an overflow). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "client/config.h"
#include "client/kafka.h"
#include "client/parse.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/output.h"
#include "sql/parser.h"
#include "stream/stream.h"

static const char usage_text[] =
    "Usage: eddy query [options] 'SQL'\n"
    "       eddy query [options] -f FILE.sql\n\n"
    "Runs a query in the Azure Stream Analytics dialect over JSON lines, CSV and Avro\n"
    "files and the lake (docs/sql.md), or continuously over live hubs: FROM hub('name')\n"
    "(docs/sql-stream.md). Examples:\n\n"
    "  eddy query \"SELECT deviceId, AVG(temperature) AS t FROM 'events.jsonl'\n"
    "              GROUP BY deviceId ORDER BY t DESC LIMIT 5\"\n"
    "  eddy query \"SELECT deviceId, COUNT(*) AS n FROM hub('telemetry')\n"
    "              GROUP BY deviceId, TumblingWindow(second, 10)\"";

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* A duration option in seconds (fractions and units as --duration). */
static int duration_opt(const char *name, const char *v, int64_t *us)
{
    int64_t ms;
    if (eddy_client_parse_duration_ms(v, &ms) != 0) {
        eddy_cli_usage_error("query", "--%s takes a duration such as 5s, 500ms or 2m, not '%s'",
                             name, v);
        return -1;
    }
    *us = ms * 1000;
    return 0;
}

static int read_file(const char *path, eddy_buf *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "eddy query: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (eddy_buf_append(out, buf, n) != 0) {
            fprintf(stderr, "eddy query: %s is too large\n", path);
            if (f != stdin) {
                fclose(f);
            }
            return -1;
        }
    }
    int bad = ferror(f);
    if (f != stdin) {
        fclose(f);
    }
    if (bad) {
        fprintf(stderr, "eddy query: cannot read %s\n", path);
        return -1;
    }
    return 0;
}

static void report(const eddy_sql_error *err, const char *text, size_t len)
{
    eddy_buf msg;
    eddy_buf_init(&msg, 0);
    eddy_sql_error_render(err, text, len, &msg);
    if (!msg.err) {
        fwrite(msg.data, 1, msg.len, stderr);
    }
    eddy_buf_deinit(&msg);
}

/* A query over hubs: the stream driver until the end, a signal or an
 * error. */
static int run_stream(eddy_sql_plan *plan, const char *src, size_t len, eddy_stream_opts *so,
                      eddy_sql_out_format fmt, const char *outpath, const eddy_client_config *cfg,
                      const char *cfg_err)
{
    char err[1024];
    if (!cfg) {
        eddy_cli_usage_error("query", "%s", cfg_err);
        return EDDY_EXIT_USAGE;
    }
    so->client = cfg;
    so->format = fmt;
    so->out = stdout;
    so->out_path = outpath;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    eddy_sql_error qerr;
    int rc = eddy_stream_run(plan, src, len, so, &qerr, err, sizeof err);
    if (rc == 0) {
        return EDDY_EXIT_OK;
    }
    fflush(stdout);
    if (qerr.code && qerr.line > 0) {
        report(&qerr, src, len);
    } else {
        fprintf(stderr, "eddy query: %s\n", err[0] ? err : qerr.msg);
    }
    return EDDY_EXIT_FAIL;
}

int eddy_cmd_query(int argc, char **argv)
{
    const char *format = "table", *outpath = NULL, *threads = NULL, *file = NULL;
    const char *bootstrap = NULL, *conn = NULL, *group = NULL, *from_s = NULL;
    const char *ooo_s = NULL, *late_s = NULL, *policy_s = NULL, *idle_s = NULL;
    const char *ckpt_dir = NULL, *ckpt_s = NULL, *roll_size_s = NULL, *roll_time_s = NULL;
    const char *stats_s = NULL;
    bool until_end = false, quiet = false;
    eddy_client_props props = {0};
    eddy_cli_opt opts[] = {
        {.name = "format",
         .metavar = "FMT",
         .help = "table (default), jsonl or csv",
         .value = &format},
        {.name = "out",
         .short_name = 'o',
         .metavar = "FILE",
         .help = "write the rows to FILE instead of stdout",
         .value = &outpath},
        {.name = "threads",
         .short_name = 't',
         .metavar = "N",
         .help = "worker threads (default: the number of cores)",
         .value = &threads},
        {.name = "file",
         .short_name = 'f',
         .metavar = "FILE.sql",
         .help = "read the query from a file ('-' for stdin)",
         .value = &file},
        EDDY_CLI_OPT_BOOTSTRAP(&bootstrap),
        EDDY_CLI_OPT_CONNECTION_STRING(&conn),
        {.name = "group",
         .metavar = "G",
         .help = "hub(): the consumer group (default: derived from the query)",
         .value = &group},
        {.name = "from",
         .metavar = "WHERE",
         .help = "hub(): committed (default; else latest) | earliest | latest",
         .value = &from_s},
        {.name = "until-end",
         .help = "hub(): read what the hubs hold now, close every window, exit",
         .flag = &until_end},
        {.name = "out-of-order",
         .metavar = "D",
         .help = "hub(): out-of-order tolerance (default 0s)",
         .value = &ooo_s},
        {.name = "late-arrival",
         .metavar = "D",
         .help = "hub(): late-arrival tolerance (default 5s)",
         .value = &late_s},
        {.name = "late-policy",
         .metavar = "P",
         .help = "hub(): adjust (default) or drop late and out-of-order events",
         .value = &policy_s},
        {.name = "idle-timeout",
         .metavar = "D",
         .help = "hub(): a partition quiet this long stops holding windows (default 5s; 0: never)",
         .value = &idle_s},
        {.name = "checkpoint",
         .metavar = "DIR",
         .help = "hub(): keep state and positions in DIR (exactly-once --out after a crash)",
         .value = &ckpt_dir},
        {.name = "checkpoint-interval",
         .metavar = "D",
         .help = "hub(): how often to checkpoint (default 10s)",
         .value = &ckpt_s},
        {.name = "roll-size",
         .metavar = "N",
         .help = "hub(): start a new --out file after N bytes (FILE.000001, ...)",
         .value = &roll_size_s},
        {.name = "roll-time",
         .metavar = "D",
         .help = "hub(): start a new --out file after D",
         .value = &roll_time_s},
        {.name = "stats-interval",
         .metavar = "D",
         .help = "hub(): print the counters on stderr this often",
         .value = &stats_s},
        {.name = "quiet", .short_name = 'q', .help = "no counters at exit", .flag = &quiet},
        EDDY_CLI_OPT_CLIENT_SET(&props),
        {0},
    };
    int npos = 0;
    int rc = eddy_cli_parse("query", usage_text, opts, argc, argv, &npos);
    if (rc >= 0) {
        eddy_client_props_free(&props);
        return rc;
    }
    eddy_stream_opts so = {.from = EDDY_STREAM_FROM_COMMITTED,
                           .until_end = until_end,
                           .policy = {.late_us = 5000000, .idle_us = 5000000},
                           .checkpoint_dir = ckpt_dir,
                           .checkpoint_us = 10000000,
                           .quiet = quiet,
                           .group = group,
                           .stop = &stop_requested};
    if (from_s) {
        if (strcmp(from_s, "earliest") == 0) {
            so.from = EDDY_STREAM_FROM_EARLIEST;
        } else if (strcmp(from_s, "latest") == 0) {
            so.from = EDDY_STREAM_FROM_LATEST;
        } else if (strcmp(from_s, "committed") != 0) {
            eddy_client_props_free(&props);
            return eddy_cli_usage_error("query", "--from takes committed, earliest or latest");
        }
    }
    if (policy_s) {
        if (strcmp(policy_s, "drop") == 0) {
            so.policy.drop = true;
        } else if (strcmp(policy_s, "adjust") != 0) {
            eddy_client_props_free(&props);
            return eddy_cli_usage_error("query", "--late-policy takes adjust or drop");
        }
    }
    if ((ooo_s && duration_opt("out-of-order", ooo_s, &so.policy.out_of_order_us)) ||
        (late_s && duration_opt("late-arrival", late_s, &so.policy.late_us)) ||
        (idle_s && duration_opt("idle-timeout", idle_s, &so.policy.idle_us)) ||
        (ckpt_s && duration_opt("checkpoint-interval", ckpt_s, &so.checkpoint_us)) ||
        (roll_time_s && duration_opt("roll-time", roll_time_s, &so.roll_us)) ||
        (stats_s && duration_opt("stats-interval", stats_s, &so.stats_us))) {
        eddy_client_props_free(&props);
        return EDDY_EXIT_USAGE;
    }
    if (roll_size_s &&
        (eddy_client_parse_count(roll_size_s, &so.roll_bytes) != 0 || so.roll_bytes < 1)) {
        eddy_client_props_free(&props);
        return eddy_cli_usage_error("query", "--roll-size takes a number of bytes");
    }
    if (group && !*group) {
        eddy_client_props_free(&props);
        return eddy_cli_usage_error("query", "--group needs a name");
    }
    eddy_sql_out_format fmt;
    if (eddy_sql_out_format_parse(format, &fmt) != 0) {
        return eddy_cli_usage_error("query", "--format takes table, jsonl or csv, not '%s'",
                                    format);
    }
    long nthreads = sysconf(_SC_NPROCESSORS_ONLN);
    if (threads) {
        char *end;
        nthreads = strtol(threads, &end, 10);
        if (*end || nthreads < 1 || nthreads > 256) {
            return eddy_cli_usage_error("query", "--threads takes 1 to 256, not '%s'", threads);
        }
    }
    if (nthreads < 1) {
        nthreads = 1;
    }
    if ((file && npos > 0) || (!file && npos != 1)) {
        return eddy_cli_usage_error("query", "give the query as one argument or with -f FILE");
    }
    eddy_buf text;
    eddy_buf_init(&text, EDDY_SQL_MAX_TEXT + 1);
    if (file) {
        if (read_file(file, &text) != 0) {
            eddy_buf_deinit(&text);
            return EDDY_EXIT_FAIL;
        }
    } else {
        eddy_buf_append(&text, argv[1], strlen(argv[1]));
    }
    const char *src = text.data ? (const char *)text.data : "";
    size_t len = text.len;

    int status = EDDY_EXIT_OK;
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_plan *plan = NULL;
    eddy_client_config ccfg = {0};
    bool have_cfg = false;
    eddy_sql_sink **sinks = NULL;
    FILE **files = NULL;
    FILE *out = stdout;
    eddy_sql_query *q;
    eddy_sql_error err;
    if (eddy_sql_parse(src, len, &arena, &q, &err) != 0) {
        report(&err, src, len);
        status = EDDY_EXIT_USAGE;
        goto done;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* a hub('name') source is looked at before binding, for SELECT * */
    char cfg_err[512] = "";
    eddy_client_opts copts = {
        .bootstrap = bootstrap, .connection_string = conn, .props = props.v, .nprops = props.n};
    have_cfg = eddy_client_config_build(&copts, &ccfg, cfg_err, sizeof cfg_err) == 0;
    eddy_sql_bind_opts bo = {
        .api = eddy_stream_src_api(have_cfg ? &ccfg : NULL),
        .now_us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000,
    };
    rc = eddy_sql_bind(q, src, len, &bo, &plan, &err);
    if (rc) {
        report(&err, src, len);
        status = rc == EDDY_ERR_INVALID_ARG ? EDDY_EXIT_USAGE : EDDY_EXIT_FAIL;
        goto done;
    }
    bool streaming = false;
    for (uint32_t i = 0; i < plan->nsources; i++) {
        streaming |= plan->sources[i]->opts.kind == EDDY_SQL_SRC_HUB;
    }
    if (streaming) {
        status = run_stream(plan, src, len, &so, fmt, outpath, have_cfg ? &ccfg : NULL, cfg_err);
        goto done;
    }
    if (outpath && !(out = fopen(outpath, "w"))) {
        fprintf(stderr, "eddy query: cannot write %s: %s\n", outpath, strerror(errno));
        out = stdout;
        status = EDDY_EXIT_FAIL;
        goto done;
    }
    sinks = calloc(plan->nstmts, sizeof *sinks);
    files = calloc(plan->nstmts, sizeof *files);
    if (!sinks || !files) {
        fprintf(stderr, "eddy query: out of memory\n");
        status = EDDY_EXIT_FAIL;
        goto done;
    }
    for (uint32_t i = 0; i < plan->nstmts; i++) {
        FILE *fp = out;
        if (plan->stmts[i].into_file) {
            files[i] = fopen(plan->stmts[i].into_file, "w");
            if (!files[i]) {
                fprintf(stderr, "eddy query: cannot write %s: %s\n", plan->stmts[i].into_file,
                        strerror(errno));
                status = EDDY_EXIT_FAIL;
                goto done;
            }
            fp = files[i];
        }
        sinks[i] = eddy_sql_out_new(fmt, fp, NULL);
        if (!sinks[i]) {
            fprintf(stderr, "eddy query: out of memory\n");
            status = EDDY_EXIT_FAIL;
            goto done;
        }
    }
    eddy_sql_exec_opts eo = {.nthreads = (uint32_t)nthreads, .sinks = sinks};
    if (eddy_sql_exec_run(plan, &eo, &err) != 0) {
        fflush(out);
        report(&err, src, len);
        status = EDDY_EXIT_FAIL;
    }
done:
    if (sinks) {
        for (uint32_t i = 0; plan && i < plan->nstmts; i++) {
            eddy_sql_out_free(sinks[i]);
            if (files[i] && fclose(files[i]) != 0 && status == EDDY_EXIT_OK) {
                fprintf(stderr, "eddy query: cannot write %s\n", plan->stmts[i].into_file);
                status = EDDY_EXIT_FAIL;
            }
        }
    }
    free(sinks);
    free(files);
    if (out != stdout && fclose(out) != 0 && status == EDDY_EXIT_OK) {
        fprintf(stderr, "eddy query: cannot write %s: %s\n", outpath, strerror(errno));
        status = EDDY_EXIT_FAIL;
    }
    eddy_sql_plan_free(plan);
    eddy_arena_deinit(&arena);
    eddy_buf_deinit(&text);
    eddy_client_props_free(&props);
    if (have_cfg) {
        eddy_client_config_deinit(&ccfg);
    }
    return status;
}

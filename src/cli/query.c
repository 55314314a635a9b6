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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/output.h"
#include "sql/parser.h"

static const char usage_text[] =
    "Usage: eddy query [options] 'SQL'\n"
    "       eddy query [options] -f FILE.sql\n\n"
    "Runs a query in the Azure Stream Analytics dialect over JSON lines, CSV and Avro\n"
    "files and the lake (docs/sql.md). Example:\n\n"
    "  eddy query \"SELECT deviceId, AVG(temperature) AS t FROM 'events.jsonl'\n"
    "              GROUP BY deviceId ORDER BY t DESC LIMIT 5\"";

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

int eddy_cmd_query(int argc, char **argv)
{
    const char *format = "table", *outpath = NULL, *threads = NULL, *file = NULL;
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
        {0},
    };
    int npos = 0;
    int rc = eddy_cli_parse("query", usage_text, opts, argc, argv, &npos);
    if (rc >= 0) {
        return rc;
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
    eddy_sql_bind_opts bo = {
        .api = &eddy_sql_src_default,
        .now_us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000,
    };
    rc = eddy_sql_bind(q, src, len, &bo, &plan, &err);
    if (rc) {
        report(&err, src, len);
        status = rc == EDDY_ERR_INVALID_ARG ? EDDY_EXIT_USAGE : EDDY_EXIT_FAIL;
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
    return status;
}

/* A test-only stand-in for `eddy query --format jsonl -f -` that reads its
 * files with the test source (sql_testsrc.h): lets the DuckDB differential
 * test (tests/integration/sql_diff.mjs) and benchmarks check the engine
 * before the product's table sources are built in. Not installed, not the
 * product. Usage: sql_query_tool [--threads N] [--format jsonl|csv|table]
 * < query.sql */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/output.h"
#include "sql/parser.h"
#include "sql_testsrc.h"

int main(int argc, char **argv)
{
    uint32_t threads = 1;
    eddy_sql_out_format fmt = EDDY_SQL_OUT_JSONL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0) {
            threads = (uint32_t)atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--format") == 0 &&
                   eddy_sql_out_format_parse(argv[i + 1], &fmt) != 0) {
            return 2;
        }
    }
    eddy_buf text;
    eddy_buf_init(&text, 0);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        eddy_buf_append(&text, buf, n);
    }
    const char *src = text.data ? (const char *)text.data : "";
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *q;
    eddy_sql_error err;
    eddy_sql_plan *plan = NULL;
    int status = 0;
    eddy_buf msg;
    eddy_buf_init(&msg, 0);
    if (eddy_sql_parse(src, text.len, &arena, &q, &err) != 0) {
        status = 2;
    } else {
        eddy_sql_bind_opts bo = {.api = &sql_testsrc_api};
        if (eddy_sql_bind(q, src, text.len, &bo, &plan, &err) != 0) {
            status = 2;
        } else {
            eddy_sql_sink **sinks = calloc(plan->nstmts, sizeof *sinks);
            for (uint32_t i = 0; i < plan->nstmts; i++) {
                sinks[i] = eddy_sql_out_new(fmt, stdout, NULL);
            }
            eddy_sql_exec_opts eo = {.nthreads = threads, .sinks = sinks};
            if (eddy_sql_exec_run(plan, &eo, &err) != 0) {
                status = 1;
            }
            for (uint32_t i = 0; i < plan->nstmts; i++) {
                eddy_sql_out_free(sinks[i]);
            }
            free(sinks);
        }
    }
    if (status) {
        eddy_sql_error_render(&err, src, text.len, &msg);
        fwrite(msg.data, 1, msg.len, stderr);
    }
    eddy_buf_deinit(&msg);
    eddy_sql_plan_free(plan);
    eddy_arena_deinit(&arena);
    eddy_buf_deinit(&text);
    return status;
}

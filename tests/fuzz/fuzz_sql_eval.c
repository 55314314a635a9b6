/* Fuzz target: the binder and the evaluator on arbitrary query text.
 * Whatever parses is bound (table sources are absent: every source fails
 * to open) and what binds is run into a jsonl sink. Nothing may crash or
 * leak; every error must carry a message and, when it points at the
 * query, a position inside it. SELECTs without FROM exercise every
 * operator, function and conversion on constants. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "fuzz.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/output.h"
#include "sql/parser.h"

static int no_open(const eddy_sql_src_opts *o, eddy_sql_src **out, char *err, size_t errlen)
{
    *out = NULL;
    strncpy(err, "no sources when fuzzing", errlen - 1);
    err[errlen - 1] = 0;
    return EDDY_ERR_NOT_FOUND;
}

static const eddy_sql_src_api none = {.open = no_open};

static void check(const eddy_sql_error *e, size_t len)
{
    if (e->msg[0] == 0) {
        abort();
    }
    if (e->line != 0 && (e->off > len || e->len > len - e->off)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    eddy_arena arena;
    eddy_arena_init(&arena, 0, (size_t)64 << 20);
    eddy_sql_query *q;
    eddy_sql_error err;
    if (eddy_sql_parse(text, size, &arena, &q, &err) != 0) {
        eddy_arena_deinit(&arena);
        return 0;
    }
    eddy_sql_plan *plan = NULL;
    eddy_sql_bind_opts bo = {.api = &none, .now_us = 0};
    if (eddy_sql_bind(q, text, size, &bo, &plan, &err) != 0) {
        check(&err, size);
        eddy_arena_deinit(&arena);
        return 0;
    }
    eddy_buf out;
    eddy_buf_init(&out, (size_t)16 << 20);
    eddy_sql_sink **sinks = calloc(plan->nstmts, sizeof *sinks);
    if (sinks) {
        for (uint32_t i = 0; i < plan->nstmts; i++) {
            sinks[i] = eddy_sql_out_new(i % 2 ? EDDY_SQL_OUT_CSV : EDDY_SQL_OUT_JSONL, NULL, &out);
        }
        eddy_sql_exec_opts eo = {.nthreads = 1, .sinks = sinks};
        if (eddy_sql_exec_run(plan, &eo, &err) != 0) {
            check(&err, size);
        }
        for (uint32_t i = 0; i < plan->nstmts; i++) {
            eddy_sql_out_free(sinks[i]);
        }
        free(sinks);
    }
    eddy_buf_deinit(&out);
    eddy_sql_plan_free(plan);
    eddy_arena_deinit(&arena);
    return 0;
}

/* The executor: runs a bound plan (bind.h) and hands each statement's rows
 * to its sink (docs/sql-engine.md).
 *
 * The plan becomes a graph of push-based operators. Each source is split
 * into parts (source.h) that worker threads read at once; a worker runs
 * its chunks through the operators that need no shared state (input time,
 * filter, projection, union) and into the first pipeline breaker:
 * aggregates keep one hash table per worker and merge them at the end;
 * the others (join, sort, DISTINCT, LIMIT) get the chunks through an
 * exchange that replays them in input order on one thread. A sink that
 * can format rows on its own (jsonl, csv) formats on the workers and
 * writes parts in input order. Results do not depend on the number of
 * threads; row order is defined only by ORDER BY (without it, rows come
 * in input order for plain queries and in an unspecified but
 * deterministic order after aggregates and joins).
 *
 * Every operator has push (rows arrive), advance (event time has reached
 * a watermark: emit closed windows) and finish (end of input). Batch runs
 * push everything, then finish, which acts as advance to +infinity. */
#ifndef EDDY_SQL_EXEC_H
#define EDDY_SQL_EXEC_H

#include <stdint.h>

#include "core/buf.h"
#include "sql/bind.h"
#include "sql/diag.h"
#include "sql/vector.h"

/* Where a statement's rows go (output.h makes sinks for table, jsonl and
 * csv). Chunks passed in hold the visible columns first; only the first
 * ncols are the statement's. */
typedef struct eddy_sql_sink eddy_sql_sink;
struct eddy_sql_sink {
    /* Once, before any row. names and types are borrowed from the plan. */
    int (*start)(eddy_sql_sink *s, const char *const *names, const eddy_sql_vtype *types,
                 uint32_t ncols);
    /* Appends the text of every row of c to out. It must not change the
     * sink: workers call it at once for different parts. NULL when the
     * sink needs to see all rows itself (add). */
    int (*format)(const eddy_sql_sink *s, const eddy_sql_chunk *c, eddy_buf *out);
    /* Writes formatted text, in output order, on one thread. */
    int (*write)(eddy_sql_sink *s, const uint8_t *p, size_t n);
    /* Takes rows on one thread (when format is NULL). */
    int (*add)(eddy_sql_sink *s, const eddy_sql_chunk *c);
    /* After the last row. */
    int (*end)(eddy_sql_sink *s);
    /* A failed write, add or end leaves a message here. */
    char msg[256];
};

typedef struct eddy_sql_exec_opts {
    uint32_t nthreads;           /* worker threads; 0 means 1 */
    eddy_sql_sink *const *sinks; /* one per statement (plan->nstmts) */
} eddy_sql_exec_opts;

/* Runs plan (borrowed; its sources are read) to the end. Returns 0, or an
 * error with err set: a query error at run time (EDDY_ERR_INVALID_ARG:
 * overflow, division by zero, a failed CAST; with its position), an input
 * error (the source's code; err->line is 0 and the message names the file
 * and position), EDDY_ERR_IO from a sink, EDDY_ERR_NOMEM. */
int eddy_sql_exec_run(eddy_sql_plan *plan, const eddy_sql_exec_opts *opts, eddy_sql_error *err);

#endif

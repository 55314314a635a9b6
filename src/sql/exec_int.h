/* Internals of the executor shared by exec.c and the operator files
 * (op_*.c): the operator interface, the per-thread context, chunk copies
 * and the row builder. Not for use outside src/sql. */
#ifndef EDDY_SQL_EXEC_INT_H
#define EDDY_SQL_EXEC_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "sql/bind.h"
#include "sql/exec.h"
#include "sql/expr.h"

typedef struct exec exec;
typedef struct op op;

/* A source read by the graph: its scan operator. */
typedef struct scan {
    op *op;
    struct eddy_sql_input *in; /* SOURCE or ONE */
    uint32_t index;
} scan;

/* What a thread carries through the operators: its scratch arena (reset
 * by whoever made the chunk, after pushing it), its evaluation context,
 * and where the chunk being pushed came from, which gives every row an
 * ordinal consistent with input order (Collect, TopOne ties, exchanges). */
typedef struct ctx {
    uint32_t tid;     /* worker index; 0 on the main thread */
    uint32_t origin;  /* the scan (or breaker) that made the chunk */
    uint32_t part;    /* the source part */
    uint32_t chunkno; /* the chunk's number within the part */
    bool worker;      /* reading a source part (part_end will follow) */
    eddy_arena scratch;
    eddy_sql_error err;
    eddy_sql_xctx x;
    exec *ex;
} ctx;

/* Row ordinal: origin (12 bits), part (20), chunk (20), row (12). */
static inline uint64_t ctx_ordinal(const ctx *c, uint32_t row)
{
    return ((uint64_t)(c->origin & 0xFFF) << 52) | ((uint64_t)(c->part & 0xFFFFF) << 32) |
           ((uint64_t)(c->chunkno & 0xFFFFF) << 12) | (row & 0xFFF);
}

typedef struct op_vt {
    const char *name;
    /* rows arrive on port (0 for one-input operators) */
    int (*push)(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in);
    /* event time has reached wm: emit closed windows */
    int (*advance)(op *o, ctx *c, int64_t wm);
    /* port's input has ended (main thread) */
    int (*finish)(op *o, ctx *c, uint32_t port);
    /* a worker finished a source part (optional) */
    int (*part_end)(op *o, ctx *c);
    void (*free)(op *o);
    bool par_in;    /* push may run on several workers at once */
    bool stateless; /* emits from push only, as it gets rows: keeps parallelism */
} op_vt;

/* Where an operator's rows go: one or more consumers (a WITH step read by
 * several statements). */
typedef struct op_out {
    op *to;
    uint32_t port;
} op_out;

struct op {
    const op_vt *vt;
    exec *ex;
    uint32_t id;
    op_out *outs;
    uint32_t nouts;
    uint32_t ports;    /* inputs expected */
    uint32_t finished; /* inputs that have finished */
    /* Streaming, operators of several inputs: the watermark of each input
     * (ports < 8); advance gets their minimum, so a row an input emits at
     * or below its own watermark is never behind what the operator was
     * told (finished inputs do not hold it back). */
    int64_t in_wm[8];
    uint8_t in_seen, in_done;
    bool wm_sent;
    int64_t wm_out;
    bool par_out; /* may emit from several threads at once (in finish) */
};

/* Pushes to every consumer. */
int op_emit(op *o, ctx *c, const eddy_sql_chunk *chunk);
/* Passes a watermark on. */
int op_emit_advance(op *o, ctx *c, int64_t wm);
/* Tells every consumer the input ended. */
int op_emit_finish(op *o, ctx *c);
/* Pushes a chunk this operator made from its own state on the main thread
 * (finish, advance): stamps the context as its origin, then resets the
 * scratch arena. */
int op_emit_own(op *o, ctx *c, const eddy_sql_chunk *chunk);

/* Pushes a chunk a worker made in finish as part c->part of this
 * operator's output (c->worker set): keeps the part, numbers the chunk,
 * resets the scratch arena. */
int op_emit_part(op *o, ctx *c, const eddy_sql_chunk *chunk);
/* Tells the operators that order parts (sinks) that c's part is done. */
int op_part_end(ctx *c);

/* A worker's context (tid), and its release. */
void ctx_init(ctx *c, exec *ex, uint32_t tid);
void ctx_deinit(ctx *c);

/* Default advance (pass the watermark on) and finish (count ports, then
 * pass it on). */
int op_advance_pass(op *o, ctx *c, int64_t wm);
int op_finish_pass(op *o, ctx *c, uint32_t port);
/* True once every port finished (counts this one). */
bool op_all_finished(op *o);

struct exec {
    eddy_sql_plan *plan;
    const eddy_sql_src_api *api;
    uint32_t nthreads;
    /* Streaming (sql/stream.h): one thread; rows of a stream arrive over
     * time, interleaved between inputs; advance(wm) comes after chunks and
     * promises that every later row has an event time > wm. Operators then
     * emit what wm closes, free the state it retires and emit the rows of
     * one window in a canonical order (by key), so output does not depend
     * on how the partitions interleaved. finish still comes at the end of
     * a bounded run (--until-end). */
    bool streaming;
    /* Streaming: called by the input operator of a SOURCE input with the
     * chunk and its event times (the last column), to apply the late and
     * out-of-order policies; it may replace *chunk (rows dropped, times
     * adjusted) in c->scratch. */
    int (*time_hook)(void *arg, const eddy_sql_input *in, ctx *c, eddy_sql_chunk *chunk);
    void *hook_arg;
    op **ops; /* every operator, for free and part_end */
    uint32_t nops, capops;
    op **part_ops; /* operators with a part_end */
    uint32_t npart_ops;
    eddy_arena arena; /* the graph itself */
    /* scans, in run order */
    struct scan *scans;
    uint32_t nscans, capscans;
    eddy_sql_error *err;
    atomic_bool failed;
    atomic_uint_fast64_t fail_at; /* where the reported error is: part << 32 | chunk */
    pthread_mutex_t lock;         /* the reported error */
};

/* Builds the graph of plan with a sink per statement and starts the sinks
 * (main is initialised for the calling thread). Returns 0, or an error
 * with ex->err set; exec_close releases ex either way. */
int exec_open(exec *ex, eddy_sql_plan *plan, eddy_sql_sink *const *sinks, uint32_t nthreads,
              bool streaming, eddy_sql_error *err, ctx *main);
/* Reads scan sc to its end and finishes it. */
int exec_run_scan(exec *ex, scan *sc, ctx *main);
/* The run's result: rc, or the reported error (ex->err filled in). */
int exec_result(exec *ex, ctx *main, int rc);
void exec_close(exec *ex, ctx *main);

/* Reports an error: the first one in input order wins (workers record
 * where they failed; others after it stop, those before it go on, so the
 * error does not depend on which worker got there first). */
void exec_fail(exec *ex, const eddy_sql_error *e);
void exec_fail_at(exec *ex, const eddy_sql_error *e, uint64_t at);
/* True when a worker at part should stop (an error at an earlier part). */
bool exec_stop(exec *ex, uint32_t part);

/* Registers o (zeroed, vt set) in the graph; returns it. */
op *op_new(exec *ex, size_t size, const op_vt *vt, uint32_t ports);

/* Sets err for an out-of-memory condition; returns EDDY_ERR_NOMEM. */
int ctx_nomem(ctx *c);
/* A run-time error without a position in the query. */
int ctx_fail(ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Deep copy of a chunk (vectors and text) into arena. */
int chunk_copy(const eddy_sql_chunk *in, eddy_arena *arena, eddy_sql_chunk *out);

/* A chunk of ncols columns built value by value (V_ANY vectors narrowed at
 * the end), up to EDDY_SQL_CHUNK_ROWS rows. */
typedef struct rowbuild {
    eddy_sql_chunk chunk;
    eddy_arena *arena;
} rowbuild;
int rowbuild_init(rowbuild *rb, uint32_t ncols, eddy_arena *arena);
static inline void rowbuild_set(rowbuild *rb, uint32_t col, uint32_t row, const eddy_sql_value *v)
{
    eddy_sql_vec *vec = &rb->chunk.cols[col];
    vec->any[row] = *v;
    vec->valid[row] = v->type != EDDY_SQL_V_NULL;
}
int rowbuild_finish(rowbuild *rb, uint32_t nrows);

/* Operators (op_*.c). Each returns NULL when out of memory. */
op *op_input_new(exec *ex, const eddy_sql_input *in);
op *op_filter_new(exec *ex, const eddy_sql_x *pred);
op *op_project_new(exec *ex, eddy_sql_x *const *items, uint32_t nitems, const eddy_sql_x *time);
op *op_limit_new(exec *ex, int64_t limit);
op *op_partlimit_new(exec *ex, int64_t limit);
op *op_union_new(exec *ex);
op *op_exchange_new(exec *ex);
op *op_distinct_new(exec *ex, uint32_t ncols);
op *op_sort_new(exec *ex, eddy_sql_x *const *keys, const bool *desc, uint32_t nkeys, int64_t limit);
op *op_join_new(exec *ex, const eddy_sql_join_spec *js, uint32_t lwidth, uint32_t rwidth);
/* A streaming join (op_join.c) that has had rows of both inputs while
 * neither had ended and has no time bound (no DATEDIFF; or, when its left
 * input is itself a join, none that lets it forget right rows): it keeps
 * rows without limit (the CLI warns). False for any other operator. */
bool op_join_unbounded(const op *o);
/* Rows a streaming join keeps for later partners, both sides; 0 for any
 * other operator. */
uint64_t op_join_stored(const op *o);
/* The same plus the rows it has forgotten whose memory compaction has not
 * yet freed: what its arenas hold. */
uint64_t op_join_held(const op *o);
op *op_aggregate_new(exec *ex, const eddy_sql_select_plan *sel);
/* An aggregate's counters (main thread, between calls): rows dropped as
 * late (a row counts once, however many of its windows were emitted
 * already), groups held (streaming: those of open windows; buffer mode:
 * keys with rows) and rows buffered (streaming SlidingWindow and
 * SessionWindow). */
uint64_t op_aggregate_dropped(const op *o);
size_t op_aggregate_groups(const op *o);
size_t op_aggregate_buffered(const op *o);
op *op_sink_new(exec *ex, eddy_sql_sink *sink, const eddy_sql_stmt_plan *st);
/* Rows reach the sink from several workers at once. */
void op_sink_set_parallel(op *o, bool parallel);
op *op_scan_new(exec *ex);

/* Compares two values for ORDER BY with desc and NULLs first ascending. */
int order_cmp(const eddy_sql_value *a, const eddy_sql_value *b, bool desc);

#endif

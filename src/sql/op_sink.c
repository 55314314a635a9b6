/* The sink operator: a statement's rows into its eddy_sql_sink (exec.h).
 *
 * When the sink formats rows itself (jsonl, csv) and rows come from
 * workers, each worker formats its current source part into a buffer of
 * its own; at the end of the part the buffer joins a queue that writes
 * parts in input order (origin, then part), so output order does not
 * depend on which worker finished first. Rows from one thread are
 * formatted and written at once. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "sql/exec_int.h"

typedef struct pending {
    uint32_t origin, part;
    eddy_buf buf;
} pending;

typedef struct lane {
    eddy_buf buf;
    bool used;
} lane;

typedef struct op_sink {
    op base;
    eddy_sql_sink *sink;
    bool parallel;
    lane *lanes;
    uint32_t nlanes;
    pthread_mutex_t lock; /* the queue and the sink's write */
    pending *queue;       /* sorted by (origin, part) */
    size_t nqueue, capqueue;
    bool started;
    uint32_t cur_origin, next_part;
    eddy_buf one; /* single-thread formatting */
} op_sink;

static int sink_error(op_sink *s, ctx *c)
{
    return ctx_fail(c, EDDY_ERR_IO, "%s", s->sink->msg[0] ? s->sink->msg : "cannot write");
}

static int write_buf(op_sink *s, ctx *c, const eddy_buf *b)
{
    if (b->err) {
        return ctx_nomem(c);
    }
    if (b->len && s->sink->write(s->sink, b->data, b->len) != 0) {
        return sink_error(s, c);
    }
    return 0;
}

static int sink_push(op *o, ctx *c, uint32_t port, const eddy_sql_chunk *in)
{
    op_sink *s = (op_sink *)o;
    if (!s->sink->format) {
        if (s->sink->add(s->sink, in) != 0) {
            return sink_error(s, c);
        }
        return 0;
    }
    if (s->parallel && c->worker) {
        lane *l = &s->lanes[c->tid];
        l->used = true;
        if (s->sink->format(s->sink, in, &l->buf) != 0 || l->buf.err) {
            return ctx_nomem(c);
        }
        return 0;
    }
    pthread_mutex_lock(&s->lock);
    eddy_buf_reset(&s->one);
    int rc = s->sink->format(s->sink, in, &s->one) != 0 ? ctx_nomem(c) : write_buf(s, c, &s->one);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Writes queued parts while the next one in order is there. Called with
 * the lock held. */
static int drain(op_sink *s, ctx *c)
{
    while (s->nqueue > 0) {
        pending *h = &s->queue[0];
        if (!s->started || h->origin != s->cur_origin) {
            /* every part of earlier scans was queued before this one
             * started: a new origin begins at part 0 */
            s->started = true;
            s->cur_origin = h->origin;
            s->next_part = 0;
        }
        if (h->part != s->next_part) {
            break;
        }
        int rc = write_buf(s, c, &h->buf);
        eddy_buf_deinit(&h->buf);
        memmove(&s->queue[0], &s->queue[1], sizeof *s->queue * (s->nqueue - 1));
        s->nqueue--;
        s->next_part++;
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int sink_part_end(op *o, ctx *c)
{
    op_sink *s = (op_sink *)o;
    if (!s->parallel || !s->sink->format) {
        return 0;
    }
    lane *l = &s->lanes[c->tid];
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    if (s->nqueue == s->capqueue) {
        size_t nc = s->capqueue ? s->capqueue * 2 : 16;
        pending *nq = realloc(s->queue, sizeof *nq * nc);
        if (!nq) {
            pthread_mutex_unlock(&s->lock);
            return ctx_nomem(c);
        }
        s->queue = nq;
        s->capqueue = nc;
    }
    size_t at = s->nqueue;
    while (at > 0 && (s->queue[at - 1].origin > c->origin ||
                      (s->queue[at - 1].origin == c->origin && s->queue[at - 1].part > c->part))) {
        at--;
    }
    memmove(&s->queue[at + 1], &s->queue[at], sizeof *s->queue * (s->nqueue - at));
    s->queue[at].origin = c->origin;
    s->queue[at].part = c->part;
    s->queue[at].buf = l->buf; /* moves the lane's buffer into the queue */
    s->nqueue++;
    eddy_buf_init(&l->buf, 0);
    l->used = false;
    rc = drain(s, c);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sink_finish(op *o, ctx *c, uint32_t port)
{
    op_sink *s = (op_sink *)o;
    if (!op_all_finished(o)) {
        return 0;
    }
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    /* anything left (cannot be, as every part ends) goes out in order */
    for (size_t i = 0; i < s->nqueue; i++) {
        if (!rc) {
            rc = write_buf(s, c, &s->queue[i].buf);
        }
        eddy_buf_deinit(&s->queue[i].buf);
    }
    s->nqueue = 0;
    pthread_mutex_unlock(&s->lock);
    if (rc) {
        return rc;
    }
    if (s->sink->end(s->sink) != 0) {
        return sink_error(s, c);
    }
    return 0;
}

static void sink_free(op *o)
{
    op_sink *s = (op_sink *)o;
    for (uint32_t i = 0; i < s->nlanes; i++) {
        eddy_buf_deinit(&s->lanes[i].buf);
    }
    for (size_t i = 0; i < s->nqueue; i++) {
        eddy_buf_deinit(&s->queue[i].buf);
    }
    free(s->lanes);
    free(s->queue);
    eddy_buf_deinit(&s->one);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static const op_vt sink_vt_par = {
    .name = "sink",
    .push = sink_push,
    .advance = op_advance_pass,
    .finish = sink_finish,
    .part_end = sink_part_end,
    .free = sink_free,
    .par_in = true,
    .stateless = false,
};

static const op_vt sink_vt_one = {
    .name = "sink",
    .push = sink_push,
    .advance = op_advance_pass,
    .finish = sink_finish,
    .part_end = sink_part_end,
    .free = sink_free,
    .par_in = false,
    .stateless = false,
};

op *op_sink_new(exec *ex, eddy_sql_sink *sink, const eddy_sql_stmt_plan *st)
{
    op_sink *s = (op_sink *)op_new(ex, sizeof *s, sink->format ? &sink_vt_par : &sink_vt_one, 1);
    if (!s) {
        return NULL;
    }
    s->sink = sink;
    pthread_mutex_init(&s->lock, NULL);
    eddy_buf_init(&s->one, 0);
    s->nlanes = ex->nthreads;
    s->lanes = calloc(s->nlanes, sizeof *s->lanes);
    if (!s->lanes) {
        s->nlanes = 0;
        return NULL;
    }
    for (uint32_t i = 0; i < s->nlanes; i++) {
        eddy_buf_init(&s->lanes[i].buf, 0);
    }
    return &s->base;
}

void op_sink_set_parallel(op *o, bool parallel)
{
    ((op_sink *)o)->parallel = parallel;
}

/* Client connections: accept, read frames, write responses in order.
 *
 * Each connection belongs to one worker (network thread). Bytes are read
 * into an input buffer; complete frames (int32 size + body) are handed to
 * the dispatcher one at a time. While a request is in progress (`busy`),
 * later pipelined frames wait, so responses leave strictly in request order.
 * A produce waiting for the log writer does not keep the connection busy: it
 * detaches into a response slot (eddy_conn_detach) and the next frames are
 * served meanwhile, so one connection's produces share a group commit; the
 * slots keep the responses in request order. Responses are queues of
 * chunks: memory chunks go out with writev, file chunks (fetched log data)
 * with sendfile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/endian.h"
#include "core/log.h"
#include "hub/hub_int.h"
#include "io/net.h"
#include "kafka/gen/kafka_msgs.h"

#define READ_CHUNK (256 * 1024)
/* Produces in flight on one connection (librdkafka's default in-flight cap
 * is 1,000,000; this bounds the hub's memory per connection). */
#define MAX_DETACHED 64
/* Stop reading from a client whose responses pile up unread. */
#define OUT_HIGH_WATER (64 * 1024 * 1024)

static void conn_on_event(eddy_loop *loop, eddy_watch *w, uint32_t events);
static void conn_process(eddy_conn *conn);
static void request_done(eddy_conn *conn);

static void out_free(eddy_out *o)
{
    if (o->has_slice) {
        eddy_log_slice_release(&o->slice);
    }
    free(o->owned);
    free(o);
}

static void out_list_free(eddy_out *o)
{
    while (o) {
        eddy_out *next = o->next;
        out_free(o);
        o = next;
    }
}

static void conn_free(eddy_loop *loop, void *arg)
{
    eddy_conn *conn = arg;
    conn->worker->nconns_alloc--;
    out_list_free(conn->out_head);
    while (conn->slots_head) {
        eddy_slot *s = conn->slots_head;
        conn->slots_head = s->next;
        out_list_free(s->head);
        free(s);
    }
    eddy_buf_deinit(&conn->in);
    eddy_arena_deinit(&conn->arena);
    free(conn);
}

void eddy_conn_hold(eddy_conn *conn)
{
    conn->inflight++;
}

void eddy_conn_release(eddy_conn *conn)
{
    conn->inflight--;
    if (conn->closing && conn->inflight == 0) {
        eddy_loop_defer(conn->worker->loop, conn_free, conn);
    }
}

void eddy_conn_close(eddy_conn *conn, const char *why)
{
    if (conn->closing) {
        return;
    }
    if (why) {
        eddy_log_info("conn.close", "conn=%llu peer=%s reason=\"%s\"", (unsigned long long)conn->id,
                      conn->peer, why);
    }
    conn->closing = true;
    eddy_loop_unwatch(conn->worker->loop, &conn->w);
    close(conn->w.fd);
    conn->w.fd = -1;
    eddy_worker *wk = conn->worker;
    if (conn->prev) {
        conn->prev->next = conn->next;
    } else {
        wk->conns = conn->next;
    }
    if (conn->next) {
        conn->next->prev = conn->prev;
    }
    if (conn->inflight == 0) {
        eddy_loop_defer(wk->loop, conn_free, conn);
    }
}

/* Sets the epoll mask: read only while no request is in progress (like
 * Kafka muting a channel), write while output is queued. Level-triggered,
 * so a busy connection must not keep EPOLLIN. */
static void conn_update_watch(eddy_conn *conn)
{
    if (conn->closing) {
        return;
    }
    uint32_t ev =
        (conn->busy || conn->out_bytes > OUT_HIGH_WATER || conn->ndetached >= MAX_DETACHED)
            ? 0
            : EPOLLIN;
    if (conn->out_head) {
        ev |= EPOLLOUT;
    }
    eddy_loop_rewatch(conn->worker->loop, &conn->w, ev);
}

/* Writes as much queued output as the socket takes. Returns false when the
 * connection was closed. */
static bool conn_flush(eddy_conn *conn)
{
    while (conn->out_head) {
        eddy_out *o = conn->out_head;
        if (o->off == o->len) {
            conn->out_head = o->next;
            if (!conn->out_head) {
                conn->out_tail = NULL;
            }
            out_free(o);
            continue;
        }
        ssize_t n;
        if (o->fd >= 0) {
            off_t pos = (off_t)(o->pos + (int64_t)o->off);
            n = sendfile(conn->w.fd, o->fd, &pos, o->len - o->off);
        } else {
            struct iovec iov[64];
            int niov = 0;
            for (eddy_out *c = o; c && c->fd < 0 && niov < 64; c = c->next) {
                iov[niov].iov_base = c->data + c->off;
                iov[niov].iov_len = c->len - c->off;
                niov++;
            }
            n = writev(conn->w.fd, iov, niov);
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                break;
            }
            if (errno == EINTR) {
                continue;
            }
            eddy_conn_close(conn, errno == EPIPE || errno == ECONNRESET ? NULL : "write failed");
            return false;
        }
        if (n == 0 && o->fd >= 0) {
            /* The file is shorter than the slice said: never send a
             * truncated response; drop the connection. */
            eddy_conn_close(conn, "log file shorter than expected");
            return false;
        }
        size_t left = (size_t)n;
        conn->out_bytes -= left;
        for (eddy_out *c = conn->out_head; left && c; c = c->next) {
            size_t take = c->len - c->off < left ? c->len - c->off : left;
            c->off += take;
            left -= take;
        }
    }
    conn_update_watch(conn);
    return true;
}

static void append_out(eddy_conn *conn, eddy_out *o)
{
    o->next = NULL;
    if (conn->out_tail) {
        conn->out_tail->next = o;
    } else {
        conn->out_head = o;
    }
    conn->out_tail = o;
    conn->out_bytes += o->len;
}

/* Appends a chunk to the output, or, while an earlier response is still
 * pending in a slot, to a ready slot behind it. Returns false on out of
 * memory (the chunk is then freed). */
static bool queue_out(eddy_conn *conn, eddy_out *o)
{
    o->next = NULL;
    if (conn->slots_tail) {
        eddy_slot *s = conn->slots_tail;
        if (!s->ready) {
            s = calloc(1, sizeof *s);
            if (!s) {
                out_free(o);
                return false;
            }
            s->ready = true;
            conn->slots_tail->next = s;
            conn->slots_tail = s;
        }
        if (s->tail) {
            s->tail->next = o;
        } else {
            s->head = o;
        }
        s->tail = o;
        return true;
    }
    append_out(conn, o);
    return true;
}

/* Moves the chunks of ready slots at the head of the queue to the output. */
static void promote_slots(eddy_conn *conn)
{
    while (conn->slots_head && conn->slots_head->ready) {
        eddy_slot *s = conn->slots_head;
        conn->slots_head = s->next;
        if (!conn->slots_head) {
            conn->slots_tail = NULL;
        }
        eddy_out *o = s->head;
        free(s);
        while (o) {
            eddy_out *next = o->next;
            append_out(conn, o);
            o = next;
        }
    }
}

eddy_buf *eddy_conn_response_begin_for(int16_t api_key, int16_t api_version, int32_t correlation_id)
{
    eddy_buf *b = malloc(sizeof *b);
    if (!b) {
        return NULL;
    }
    eddy_buf_init(b, 0);
    eddy_buf_put_be32(b, 0); /* size, filled in at the end */
    eddy_buf_put_be32(b, (uint32_t)correlation_id);
    if (eddy_kafka_response_header_version(api_key, api_version) >= 1) {
        eddy_buf_put_u8(b, 0); /* empty tagged fields */
    }
    return b;
}

eddy_buf *eddy_conn_response_begin(eddy_conn *conn)
{
    return eddy_conn_response_begin_for(conn->api_key, conn->api_version, conn->correlation_id);
}

/* Turns an encoded response into a memory chunk; NULL (and b freed) on
 * failure, with *why set. */
static eddy_out *finish_buf(eddy_buf *b, const char **why)
{
    if (b->err) {
        *why = "response encoding failed";
        eddy_buf_deinit(b);
        free(b);
        return NULL;
    }
    eddy_store_be32(b->data, (uint32_t)(b->len - 4));
    eddy_out *o = calloc(1, sizeof *o);
    if (!o) {
        *why = "out of memory";
        eddy_buf_deinit(b);
        free(b);
        return NULL;
    }
    o->fd = -1;
    o->data = eddy_buf_take(b, &o->len);
    o->owned = o->data;
    free(b);
    return o;
}

eddy_slot *eddy_conn_detach(eddy_conn *conn)
{
    eddy_slot *s = calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    if (conn->slots_tail) {
        conn->slots_tail->next = s;
    } else {
        conn->slots_head = s;
    }
    conn->slots_tail = s;
    conn->ndetached++;
    request_done(conn);
    return s;
}

void eddy_conn_slot_fill(eddy_conn *conn, eddy_slot *slot, eddy_buf *b)
{
    conn->ndetached--;
    if (conn->closing) {
        eddy_buf_deinit(b);
        free(b);
        return;
    }
    const char *why = NULL;
    eddy_out *o = finish_buf(b, &why);
    if (!o) {
        eddy_conn_close(conn, why);
        return;
    }
    o->next = NULL;
    slot->head = slot->tail = o;
    slot->ready = true;
    promote_slots(conn);
    if (conn_flush(conn) && !conn->busy && !conn->in_dispatch) {
        conn_process(conn);
    }
}

/* Ends the request in progress. When it ended inside eddy_hub_dispatch
 * (synchronously), conn_process's loop goes on by itself; when it ended later
 * (async), processing of pipelined frames resumes here. */
static void request_done(eddy_conn *conn)
{
    conn->busy = false;
    eddy_arena_reset(&conn->arena);
    if (conn->closing) {
        return;
    }
    if (conn->in_dispatch) {
        return;
    }
    if (conn_flush(conn)) {
        conn_process(conn);
    }
}

void eddy_conn_response_end(eddy_conn *conn, eddy_buf *b)
{
    if (conn->closing) {
        eddy_buf_deinit(b);
        free(b);
        request_done(conn);
        return;
    }
    if (b->err) {
        eddy_log_error("conn.encode_failed", "conn=%llu api=%d version=%d err=%s",
                       (unsigned long long)conn->id, conn->api_key, conn->api_version,
                       eddy_err_name(b->err));
    }
    const char *why = NULL;
    eddy_out *o = finish_buf(b, &why);
    if (!o || !queue_out(conn, o)) {
        request_done(conn);
        eddy_conn_close(conn, why ? why : "out of memory");
        return;
    }
    request_done(conn);
}

void eddy_conn_respond_with_files(eddy_conn *conn, eddy_buf *b, const eddy_kafka_gap *gaps,
                                  const eddy_log_slice *const *slices, size_t n)
{
    size_t extra = 0;
    for (size_t i = 0; i < n; i++) {
        extra += gaps[i].len;
    }
    if (conn->closing || b->err || b->len - 4 + extra > INT32_MAX) {
        for (size_t i = 0; i < n; i++) {
            eddy_log_slice s = *slices[i];
            eddy_log_slice_release(&s);
        }
        eddy_conn_response_end(conn, b); /* closes on b->err */
        return;
    }
    eddy_store_be32(b->data, (uint32_t)(b->len - 4 + extra));
    size_t blen;
    uint8_t *data = eddy_buf_take(b, &blen);
    free(b);
    size_t at = 0;
    bool oom = false;
    for (size_t i = 0; i <= n; i++) {
        size_t end = i < n ? gaps[i].at : blen;
        eddy_out *m = calloc(1, sizeof *m);
        eddy_out *f = i < n ? calloc(1, sizeof *f) : NULL;
        if (!m || (i < n && !f)) {
            free(m);
            free(f);
            oom = true;
        }
        if (oom) {
            if (i < n) {
                eddy_log_slice s = *slices[i];
                eddy_log_slice_release(&s);
            }
            continue;
        }
        m->fd = -1;
        m->data = data + at;
        m->len = end - at;
        m->owned = i == n ? data : NULL;
        if (f) {
            f->fd = slices[i]->fd;
            f->pos = slices[i]->pos;
            f->len = gaps[i].len;
            f->slice = *slices[i];
            f->has_slice = true;
        }
        if (!queue_out(conn, m)) {
            oom = true;
            if (f) {
                out_free(f);
            }
            continue;
        }
        if (f && !queue_out(conn, f)) {
            oom = true;
        }
        at = end;
    }
    if (oom) {
        /* Queued chunks are freed with the connection; the last one (owner
         * of data) may be missing, so free data through a final chunk. */
        eddy_out *m = calloc(1, sizeof *m);
        if (m) {
            m->fd = -1;
            m->owned = data;
            queue_out(conn, m); /* frees m (and data) when it cannot queue */
        } else {
            free(data);
        }
        request_done(conn);
        eddy_conn_close(conn, "out of memory");
        return;
    }
    request_done(conn);
}

void eddy_conn_no_response(eddy_conn *conn)
{
    request_done(conn);
}

/* Hands complete frames to the dispatcher while no request is in progress.
 * The frame bytes stay in the input buffer (and valid) until the request
 * ends: nothing is read while busy, and compaction waits for idle. */
static void conn_process(eddy_conn *conn)
{
    size_t max = (size_t)conn->worker->hub->cfg.max_request_bytes;
    while (!conn->busy && !conn->closing && conn->ndetached < MAX_DETACHED) {
        size_t avail = conn->in.len - conn->in_off;
        if (avail < 4) {
            break;
        }
        const uint8_t *p = conn->in.data + conn->in_off;
        int32_t size = (int32_t)eddy_load_be32(p);
        if (size < 8 || (size_t)size > max) {
            char why[96];
            snprintf(why, sizeof why, "bad frame size %d (limit %zu)", size, max);
            eddy_conn_close(conn, why);
            return;
        }
        if (avail - 4 < (size_t)size) {
            break;
        }
        conn->in_off += 4 + (size_t)size;
        conn->busy = true;
        conn->in_dispatch = true;
        eddy_hub_dispatch(conn, p + 4, (size_t)size);
        conn->in_dispatch = false;
    }
    if (conn->closing) {
        return;
    }
    if (!conn->busy && conn->in_off) {
        memmove(conn->in.data, conn->in.data + conn->in_off, conn->in.len - conn->in_off);
        conn->in.len -= conn->in_off;
        conn->in_off = 0;
    }
    if (!conn->busy && conn->out_head) {
        conn_flush(conn);
    } else {
        conn_update_watch(conn);
    }
}

static void conn_on_event(eddy_loop *loop, eddy_watch *w, uint32_t events)
{
    eddy_conn *conn = w->ctx;
    if (events & EPOLLOUT) {
        if (!conn_flush(conn)) {
            return;
        }
    }
    if (conn->busy || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
        return;
    }
    for (int rounds = 0; rounds < 16 && !conn->closing; rounds++) {
        uint8_t *dst = eddy_buf_extend(&conn->in, READ_CHUNK);
        if (!dst) {
            eddy_conn_close(conn, "out of memory");
            return;
        }
        ssize_t n = read(w->fd, dst, READ_CHUNK);
        conn->in.len -= READ_CHUNK - (n > 0 ? (size_t)n : 0);
        if (n > 0) {
            if ((size_t)n < READ_CHUNK) {
                break;
            }
            continue;
        }
        if (n == 0) {
            eddy_conn_close(conn, NULL); /* the client went away */
            return;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        }
        if (errno == EINTR) {
            continue;
        }
        eddy_conn_close(conn, NULL);
        return;
    }
    conn_process(conn);
}

/* Accepts every pending connection on a worker's listening socket. */
static void on_accept(eddy_loop *loop, eddy_watch *w, uint32_t events)
{
    eddy_worker *wk = w->ctx;
    for (;;) {
        int fd = eddy_net_accept(wk->lfd);
        if (fd == -1) {
            return;
        }
        if (fd < 0) {
            eddy_log_warn("hub.accept_failed", "err=%s", eddy_err_name(fd));
            return;
        }
        eddy_conn *conn = calloc(1, sizeof *conn);
        if (!conn) {
            close(fd);
            continue;
        }
        conn->worker = wk;
        wk->nconns_alloc++;
        conn->id = atomic_fetch_add(&wk->hub->next_conn_id, 1);
        eddy_buf_init(&conn->in, (size_t)wk->hub->cfg.max_request_bytes + 4 + READ_CHUNK);
        eddy_arena_init(&conn->arena, 16 * 1024, 0);
        eddy_net_peer_name(fd, conn->peer, sizeof conn->peer);
        conn->w.fd = fd;
        conn->w.cb = conn_on_event;
        conn->w.ctx = conn;
        if (eddy_loop_watch(loop, &conn->w, EPOLLIN)) {
            close(fd);
            eddy_buf_deinit(&conn->in);
            eddy_arena_deinit(&conn->arena);
            free(conn);
            continue;
        }
        conn->next = wk->conns;
        if (wk->conns) {
            wk->conns->prev = conn;
        }
        wk->conns = conn;
        eddy_log_debug("conn.open", "conn=%llu peer=%s worker=%d", (unsigned long long)conn->id,
                       conn->peer, wk->index);
    }
}

void eddy_worker_start_accepting(eddy_worker *wk)
{
    wk->lw.fd = wk->lfd;
    wk->lw.cb = on_accept;
    wk->lw.ctx = wk;
    eddy_loop_watch(wk->loop, &wk->lw, EPOLLIN | EPOLLEXCLUSIVE);
}

/* Closes every connection of a worker (shutdown). */
void eddy_worker_close_all(eddy_worker *wk)
{
    while (wk->conns) {
        eddy_conn_close(wk->conns, NULL);
    }
}

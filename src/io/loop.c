/* epoll event loop with a timer heap and a posted-message queue (see
 * loop.h). */
#include "io/loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"

typedef struct timer {
    int64_t deadline;
    uint64_t id;
    eddy_loop_fn fn;
    void *arg;
} timer;

typedef struct post {
    struct post *next;
    eddy_loop_fn fn;
    void *arg;
} post;

struct eddy_loop {
    int epfd;
    int evfd;
    eddy_watch evw;
    atomic_bool stop;
    int64_t now_ms;
    /* Timer min-heap; cancel removes in place. */
    timer *heap;
    size_t nheap, capheap;
    uint64_t next_id;
    /* Work deferred to the end of the current iteration (frees). */
    post *deferred;
    /* Posted messages: a mutex-protected FIFO (posts come from the log
     * writer and other network threads, never in bulk). */
    pthread_mutex_t mu;
    post *head, *tail;
};

static void drain_posts(eddy_loop *loop, eddy_watch *w, uint32_t events);

static void run_deferred(eddy_loop *loop)
{
    while (loop->deferred) {
        post *p = loop->deferred;
        loop->deferred = NULL;
        /* Run this generation; callbacks may defer more. */
        while (p) {
            post *next = p->next;
            p->fn(loop, p->arg);
            free(p);
            p = next;
        }
    }
}

int eddy_loop_defer(eddy_loop *loop, eddy_loop_fn fn, void *arg)
{
    post *p = malloc(sizeof *p);
    if (!p) {
        return EDDY_ERR_NOMEM;
    }
    p->fn = fn;
    p->arg = arg;
    p->next = loop->deferred;
    loop->deferred = p;
    return 0;
}

int eddy_loop_new(eddy_loop **out)
{
    eddy_loop *loop = calloc(1, sizeof *loop);
    if (!loop) {
        return EDDY_ERR_NOMEM;
    }
    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    loop->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (loop->epfd < 0 || loop->evfd < 0) {
        int err = eddy_err_from_errno(errno);
        if (loop->epfd >= 0) {
            close(loop->epfd);
        }
        if (loop->evfd >= 0) {
            close(loop->evfd);
        }
        free(loop);
        return err;
    }
    pthread_mutex_init(&loop->mu, NULL);
    loop->next_id = 1;
    loop->now_ms = eddy_clock_mono_ms();
    loop->evw.fd = loop->evfd;
    loop->evw.cb = drain_posts;
    loop->evw.ctx = loop;
    int rc = eddy_loop_watch(loop, &loop->evw, EPOLLIN);
    if (rc) {
        eddy_loop_free(loop);
        return rc;
    }
    *out = loop;
    return 0;
}

void eddy_loop_free(eddy_loop *loop)
{
    if (!loop) {
        return;
    }
    post *p = loop->head;
    while (p) {
        post *next = p->next;
        free(p);
        p = next;
    }
    close(loop->epfd);
    close(loop->evfd);
    pthread_mutex_destroy(&loop->mu);
    run_deferred(loop);
    free(loop->heap);
    free(loop);
}

int64_t eddy_loop_now_ms(const eddy_loop *loop)
{
    return loop->now_ms;
}

int eddy_loop_watch(eddy_loop *loop, eddy_watch *w, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = w};
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, w->fd, &ev) != 0) {
        return eddy_err_from_errno(errno);
    }
    w->events = events;
    return 0;
}

int eddy_loop_rewatch(eddy_loop *loop, eddy_watch *w, uint32_t events)
{
    if (w->events == events) {
        return 0;
    }
    struct epoll_event ev = {.events = events, .data.ptr = w};
    if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) != 0) {
        return eddy_err_from_errno(errno);
    }
    w->events = events;
    return 0;
}

void eddy_loop_unwatch(eddy_loop *loop, eddy_watch *w)
{
    epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
    w->events = 0;
}

/* --- timers --- */

static void heap_swap(timer *a, timer *b)
{
    timer t = *a;
    *a = *b;
    *b = t;
}

static void heap_up(timer *h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h[parent].deadline <= h[i].deadline) {
            break;
        }
        heap_swap(&h[parent], &h[i]);
        i = parent;
    }
}

static void heap_down(timer *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && h[l].deadline < h[m].deadline) {
            m = l;
        }
        if (r < n && h[r].deadline < h[m].deadline) {
            m = r;
        }
        if (m == i) {
            return;
        }
        heap_swap(&h[m], &h[i]);
        i = m;
    }
}

uint64_t eddy_loop_timer_at(eddy_loop *loop, int64_t deadline_ms, eddy_loop_fn fn, void *arg)
{
    if (loop->nheap == loop->capheap) {
        size_t ncap = loop->capheap ? loop->capheap * 2 : 64;
        timer *nh = realloc(loop->heap, ncap * sizeof *nh);
        if (!nh) {
            return 0;
        }
        loop->heap = nh;
        loop->capheap = ncap;
    }
    uint64_t id = loop->next_id++;
    /* ids only grow: a cancelled id is never reused. */
    loop->heap[loop->nheap] = (timer){.deadline = deadline_ms, .id = id, .fn = fn, .arg = arg};
    heap_up(loop->heap, loop->nheap++);
    return id;
}

void eddy_loop_timer_cancel(eddy_loop *loop, uint64_t id)
{
    for (size_t i = 0; i < loop->nheap; i++) {
        if (loop->heap[i].id == id) {
            /* Remove in place: move the last entry here and restore order. */
            loop->heap[i] = loop->heap[--loop->nheap];
            if (i < loop->nheap) {
                heap_down(loop->heap, loop->nheap, i);
                heap_up(loop->heap, i);
            }
            return;
        }
    }
}

static void run_timers(eddy_loop *loop)
{
    while (loop->nheap && loop->heap[0].deadline <= loop->now_ms) {
        timer t = loop->heap[0];
        loop->heap[0] = loop->heap[--loop->nheap];
        heap_down(loop->heap, loop->nheap, 0);
        t.fn(loop, t.arg);
    }
}

/* --- posts --- */

int eddy_loop_post(eddy_loop *loop, eddy_loop_fn fn, void *arg)
{
    post *p = malloc(sizeof *p);
    if (!p) {
        return EDDY_ERR_NOMEM;
    }
    p->next = NULL;
    p->fn = fn;
    p->arg = arg;
    pthread_mutex_lock(&loop->mu);
    bool was_empty = loop->head == NULL;
    if (loop->tail) {
        loop->tail->next = p;
    } else {
        loop->head = p;
    }
    loop->tail = p;
    pthread_mutex_unlock(&loop->mu);
    if (was_empty) {
        uint64_t one = 1;
        ssize_t w = write(loop->evfd, &one, sizeof one);
        (void)w; /* EAGAIN means the counter is already non-zero: awake */
    }
    return 0;
}

static void drain_posts(eddy_loop *loop, eddy_watch *w, uint32_t events)
{
    uint64_t n;
    ssize_t r = read(loop->evfd, &n, sizeof n);
    (void)r;
    pthread_mutex_lock(&loop->mu);
    post *p = loop->head;
    loop->head = loop->tail = NULL;
    pthread_mutex_unlock(&loop->mu);
    while (p) {
        post *next = p->next;
        p->fn(loop, p->arg);
        free(p);
        p = next;
    }
}

void eddy_loop_stop(eddy_loop *loop)
{
    atomic_store(&loop->stop, true);
    uint64_t one = 1;
    ssize_t w = write(loop->evfd, &one, sizeof one);
    (void)w;
}

int eddy_loop_run(eddy_loop *loop)
{
    struct epoll_event evs[256];
    while (!atomic_load(&loop->stop)) {
        loop->now_ms = eddy_clock_mono_ms();
        run_timers(loop);
        int timeout = -1;
        if (loop->nheap) {
            int64_t d = loop->heap[0].deadline - loop->now_ms;
            timeout = d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
        }
        int n = epoll_wait(loop->epfd, evs, 256, timeout);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return eddy_err_from_errno(errno);
        }
        loop->now_ms = eddy_clock_mono_ms();
        for (int i = 0; i < n; i++) {
            eddy_watch *w = evs[i].data.ptr;
            w->cb(loop, w, evs[i].events);
        }
        run_deferred(loop);
    }
    return 0;
}

size_t eddy_loop_drain(eddy_loop *loop, bool fire_timers)
{
    size_t ran = 0;
    loop->now_ms = eddy_clock_mono_ms();
    pthread_mutex_lock(&loop->mu);
    post *p = loop->head;
    loop->head = loop->tail = NULL;
    pthread_mutex_unlock(&loop->mu);
    while (p) {
        post *next = p->next;
        p->fn(loop, p->arg);
        free(p);
        p = next;
        ran++;
    }
    /* Only the timers pending now: a callback that re-arms itself must not
     * keep the drain going. */
    size_t pending = fire_timers ? loop->nheap : 0;
    while (pending-- && loop->nheap) {
        timer t = loop->heap[0];
        loop->heap[0] = loop->heap[--loop->nheap];
        heap_down(loop->heap, loop->nheap, 0);
        t.fn(loop, t.arg);
        ran++;
    }
    if (loop->deferred) {
        ran++;
    }
    run_deferred(loop);
    return ran;
}

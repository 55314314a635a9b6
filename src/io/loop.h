/* The event loop: epoll, timers and cross-thread messages.
 *
 * One loop per network thread. A file descriptor is watched through an
 * eddy_watch that the caller owns (usually embedded in a connection). Timers
 * are a binary heap of deadlines on the monotonic clock. Other threads talk
 * to a loop only through eddy_loop_post(), which queues a function to run on
 * the loop's thread and wakes it through an eventfd (share nothing; pass
 * messages). Everything else is single-threaded: call it on the loop's own
 * thread. */
#ifndef EDDY_IO_LOOP_H
#define EDDY_IO_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct eddy_loop eddy_loop;
typedef struct eddy_watch eddy_watch;

/* Called with the epoll events (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP...). */
typedef void (*eddy_watch_cb)(eddy_loop *loop, eddy_watch *w, uint32_t events);

struct eddy_watch {
    int fd;
    uint32_t events; /* currently registered */
    eddy_watch_cb cb;
    void *ctx;
};

typedef void (*eddy_loop_fn)(eddy_loop *loop, void *arg);

/* Returns 0 or an eddy_err; *out is owned: free with eddy_loop_free. */
int eddy_loop_new(eddy_loop **out);
void eddy_loop_free(eddy_loop *loop);

/* Runs until eddy_loop_stop() is called; returns 0 or an eddy_err. */
int eddy_loop_run(eddy_loop *loop);

/* Thread-safe: asks the loop to return from eddy_loop_run soon. */
void eddy_loop_stop(eddy_loop *loop);

/* Starts watching w->fd for events (EPOLLIN/EPOLLOUT). */
int eddy_loop_watch(eddy_loop *loop, eddy_watch *w, uint32_t events);
/* Changes the event mask (no-op if unchanged). */
int eddy_loop_rewatch(eddy_loop *loop, eddy_watch *w, uint32_t events);
/* Stops watching; safe to call before closing the fd. */
void eddy_loop_unwatch(eddy_loop *loop, eddy_watch *w);

/* Timers. Returns an id > 0, or 0 when out of memory. The callback runs on
 * the loop thread once, at or after the deadline (monotonic ms). */
uint64_t eddy_loop_timer_at(eddy_loop *loop, int64_t deadline_ms, eddy_loop_fn fn, void *arg);
/* Cancels a pending timer; harmless for fired or unknown ids. */
void eddy_loop_timer_cancel(eddy_loop *loop, uint64_t id);

/* Thread-safe: runs fn(loop, arg) on the loop's thread soon. Returns 0 or
 * EDDY_ERR_NOMEM. Posts from one thread run in the order posted. */
int eddy_loop_post(eddy_loop *loop, eddy_loop_fn fn, void *arg);

/* Runs fn(loop, arg) on the loop thread after the current batch of events
 * (used to free objects that a later event of the same batch may still
 * reference). Returns 0 or EDDY_ERR_NOMEM. */
int eddy_loop_defer(eddy_loop *loop, eddy_loop_fn fn, void *arg);

/* Shutdown helper, for a loop whose thread has stopped: runs every queued
 * post and deferred function and, when fire_timers, every pending timer as
 * if its deadline had passed. Returns how many callbacks ran. Not
 * thread-safe with a running eddy_loop_run. */
size_t eddy_loop_drain(eddy_loop *loop, bool fire_timers);

/* Monotonic milliseconds as of the current loop iteration (cheap). */
int64_t eddy_loop_now_ms(const eddy_loop *loop);

#endif

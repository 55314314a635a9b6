/* The event loop: fd readiness, timers in deadline order, cancellation,
 * posts from another thread, deferred work; and host:port parsing. */
#include <pthread.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "io/loop.h"
#include "io/net.h"
#include "test.h"

static int order[8];
static int norder;

static void record(eddy_loop *loop, void *arg)
{
    order[norder++] = (int)(intptr_t)arg;
    if ((intptr_t)arg == 99) {
        eddy_loop_stop(loop);
    }
}

TEST(timers_fire_in_deadline_order_and_cancel)
{
    eddy_loop *loop;
    EXPECT_EQ_INT(eddy_loop_new(&loop), 0);
    int64_t now = eddy_loop_now_ms(loop);
    norder = 0;
    eddy_loop_timer_at(loop, now + 30, record, (void *)3);
    uint64_t id = eddy_loop_timer_at(loop, now + 20, record, (void *)2);
    eddy_loop_timer_at(loop, now + 10, record, (void *)1);
    eddy_loop_timer_at(loop, now + 40, record, (void *)99);
    eddy_loop_timer_cancel(loop, id);
    eddy_loop_timer_cancel(loop, 12345); /* unknown: harmless */
    EXPECT_EQ_INT(eddy_loop_run(loop), 0);
    EXPECT_EQ_INT(norder, 3);
    EXPECT_EQ_INT(order[0], 1);
    EXPECT_EQ_INT(order[1], 3);
    EXPECT_EQ_INT(order[2], 99);
    eddy_loop_free(loop);
}

typedef struct poster {
    eddy_loop *loop;
    int count;
} poster;

static int posted_sum;

static void add_one(eddy_loop *loop, void *arg)
{
    posted_sum += (int)(intptr_t)arg;
}

static void *post_from_thread(void *arg)
{
    poster *p = arg;
    for (int i = 1; i <= p->count; i++) {
        eddy_loop_post(p->loop, add_one, (void *)(intptr_t)i);
    }
    eddy_loop_post(p->loop, record, (void *)99);
    return NULL;
}

TEST(posts_from_another_thread_run_in_order_on_the_loop)
{
    eddy_loop *loop;
    EXPECT_EQ_INT(eddy_loop_new(&loop), 0);
    poster p = {.loop = loop, .count = 1000};
    posted_sum = 0;
    norder = 0;
    pthread_t th;
    pthread_create(&th, NULL, post_from_thread, &p);
    EXPECT_EQ_INT(eddy_loop_run(loop), 0);
    pthread_join(th, NULL);
    /* The stop message was posted last, so every add ran before it. */
    EXPECT_EQ_INT(posted_sum, 1000 * 1001 / 2);
    eddy_loop_free(loop);
}

static int reads_seen;

static void on_readable(eddy_loop *loop, eddy_watch *w, uint32_t events)
{
    char buf[16];
    ssize_t n = read(w->fd, buf, sizeof buf);
    if (n > 0) {
        reads_seen += (int)n;
    }
    eddy_loop_unwatch(loop, w);
    eddy_loop_defer(loop, record, (void *)99);
}

TEST(watch_fd_readiness_and_defer)
{
    eddy_loop *loop;
    EXPECT_EQ_INT(eddy_loop_new(&loop), 0);
    int fds[2];
    EXPECT_EQ_INT(pipe(fds), 0);
    eddy_watch w = {.fd = fds[0], .cb = on_readable};
    EXPECT_EQ_INT(eddy_loop_watch(loop, &w, EPOLLIN), 0);
    EXPECT_EQ_INT(write(fds[1], "hello", 5), 5);
    reads_seen = 0;
    norder = 0;
    EXPECT_EQ_INT(eddy_loop_run(loop), 0);
    EXPECT_EQ_INT(reads_seen, 5);
    close(fds[0]);
    close(fds[1]);
    eddy_loop_free(loop);
}

TEST(split_hostport)
{
    char host[64];
    int port = 0;
    EXPECT_EQ_INT(eddy_net_split_hostport("127.0.0.1:9092", host, sizeof host, &port), 0);
    EXPECT_EQ_STR(host, "127.0.0.1");
    EXPECT_EQ_INT(port, 9092);
    EXPECT_EQ_INT(eddy_net_split_hostport("[::1]:19092", host, sizeof host, &port), 0);
    EXPECT_EQ_STR(host, "::1");
    EXPECT_EQ_INT(port, 19092);
    EXPECT_TRUE(eddy_net_split_hostport("localhost", host, sizeof host, &port) != 0);
    EXPECT_TRUE(eddy_net_split_hostport("h:99999", host, sizeof host, &port) != 0);
    EXPECT_TRUE(eddy_net_split_hostport(":80", host, sizeof host, &port) != 0);
    EXPECT_TRUE(eddy_net_split_hostport("h:8x", host, sizeof host, &port) != 0);
}

TEST(listen_on_a_kernel_chosen_port_and_accept)
{
    int lfd = eddy_net_listen("127.0.0.1", 0, true, 16);
    EXPECT_TRUE(lfd >= 0);
    int port = eddy_net_local_port(lfd);
    EXPECT_TRUE(port > 0);
    EXPECT_EQ_INT(eddy_net_accept(lfd), -1); /* nothing pending */
    close(lfd);
}

int main(void)
{
    RUN(timers_fire_in_deadline_order_and_cancel);
    RUN(posts_from_another_thread_run_in_order_on_the_loop);
    RUN(watch_fd_readiness_and_defer);
    RUN(split_hostport);
    RUN(listen_on_a_kernel_chosen_port_and_accept);
    return test_summary();
}

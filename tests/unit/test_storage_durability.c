/* storage: durability. Idempotent producers and their rebuild after a
 * reopen, group commit under concurrent appenders, fsync modes, the failed
 * state (injected write/fsync errors and a real full tmpfs), and a real
 * crash: a child appending with fsync always is SIGKILLed and every batch
 * it saw acknowledged must be in the reopened log exactly once. */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"
#include "test.h"
#include "test_storage_util.h"

static eddy_log_config cfg_mode(eddy_fsync_mode m)
{
    eddy_log_config c;
    eddy_log_config_defaults(&c);
    c.fsync = m;
    return c;
}

static int append_pid(eddy_log *log, int64_t pid, int16_t epoch, int32_t seq, int records,
                      int64_t *offset)
{
    tb_opts o = tb_default((uint32_t)seq);
    o.pid = pid;
    o.epoch = epoch;
    o.seq = seq;
    o.records = records;
    size_t len;
    uint8_t *b = tb_build(&o, &len);
    int rc = append_sync(log, b, len, offset);
    free(b);
    return rc;
}

/* Waits (up to 10 s) until the log's failed flag equals want. */
static bool wait_failed(eddy_log *log, bool want)
{
    for (int i = 0; i < 2000; i++) {
        eddy_log_stats ls;
        eddy_log_get_stats(log, &ls);
        if (ls.failed == want) {
            return true;
        }
        usleep(5000);
    }
    return false;
}

/* The producer checks of one scenario, run before and after reopen. */
static void check_producers(eddy_log *log, int64_t dup_off)
{
    int64_t off = -1;
    /* A resend of the batch at seq 3..4 is a duplicate at its offset. */
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 3, 2, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(off, dup_off);
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 9, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(append_pid(log, 1000, 0, 5, 1, &off), EDDY_ERR_INVALID_PRODUCER_EPOCH);
    /* After the sequence wrap the state continues from 1. */
    EXPECT_EQ_INT(append_pid(log, 3000, 0, 1, 1, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(append_pid(log, 3000, 0, 0, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
}

TEST(idempotent_producer_rules_and_rebuild)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = cfg_mode(EDDY_FSYNC_NEVER);
    c.segment_bytes = 600; /* rolls, so snapshots at roll are used too */
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    int64_t off = -1;
    EXPECT_EQ_INT(append_pid(log, 1000, 0, 0, 3, &off), 0);
    EXPECT_EQ_INT(off, 0);
    EXPECT_EQ_INT(append_pid(log, 1000, 0, 0, 3, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(off, 0);
    EXPECT_EQ_INT(append_pid(log, 1000, 0, 3, 1, &off), 0);
    EXPECT_EQ_INT(off, 3);
    EXPECT_EQ_INT(append_pid(log, 1000, 0, 5, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    /* A new epoch must start at sequence 0. */
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 4, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 0, 3, &off), 0);
    EXPECT_EQ_INT(off, 4);
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 3, 2, &off), 0);
    int64_t dup_off = off;
    EXPECT_EQ_INT(append_pid(log, 1000, 0, 5, 1, &off), EDDY_ERR_INVALID_PRODUCER_EPOCH);
    /* Unknown producer: accepted at any sequence. */
    EXPECT_EQ_INT(append_pid(log, 2000, 0, 7, 1, &off), 0);
    /* Only the last five batches are remembered. */
    for (int32_t s = 0; s < 7; s++) {
        EXPECT_EQ_INT(append_pid(log, 4000, 0, s, 1, &off), 0);
    }
    EXPECT_EQ_INT(append_pid(log, 4000, 0, 1, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(append_pid(log, 4000, 0, 3, 1, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(append_pid(log, 3000, 0, INT32_MAX - 1, 3, &off), 0);
    EXPECT_EQ_INT(append_pid(log, 3000, 0, 0, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    /* Sequence wrap: INT32_MAX-1 with 3 records ends at 0, next is 1. */
    EXPECT_EQ_INT(append_pid(log, 3000, 0, 1, 1, &off), 0);
    EXPECT_EQ_INT(append_pid(log, 3000, 0, 0, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    /* Idempotent batch without a sequence. */
    EXPECT_EQ_INT(append_pid(log, 5000, 0, -1, 1, &off), EDDY_ERR_INVALID_RECORD);
    int64_t hw = eddy_log_high_watermark(log);
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_TRUE(ls.rolls >= 1);

    /* Clean close: the close snapshot carries the state. */
    eddy_log_close(log);
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), hw);
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 3, 2, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(off, dup_off);
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 9, 1, &off), EDDY_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(append_pid(log, 1000, 0, 5, 1, &off), EDDY_ERR_INVALID_PRODUCER_EPOCH);
    EXPECT_EQ_INT(append_pid(log, 4000, 0, 3, 1, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(append_pid(log, 3000, 0, 1, 1, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    eddy_log_close(log);

    /* As after a crash: drop the newest snapshot (the close one); the
     * state comes from the roll snapshot plus a replay of the rest. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls %s/*.snapshot | sort | tail -n 1 | xargs rm -f", dir);
    EXPECT_EQ_INT(system(cmd), 0);
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    check_producers(log, dup_off);
    EXPECT_EQ_INT(append_pid(log, 4000, 0, 3, 1, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    eddy_log_close(log);

    /* No snapshot at all: a replay of the whole log; a damaged one is
     * ignored the same way. */
    snprintf(cmd, sizeof cmd,
             "rm -f %s/*.snapshot && printf 'junk' > %s/00000000000000000001.snapshot", dir, dir);
    EXPECT_EQ_INT(system(cmd), 0);
    int saved = eddy_log_get_level();
    eddy_log_set_level(EDDY_LOG_ERROR);
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_set_level((eddy_log_level)saved);
    check_producers(log, dup_off);
    EXPECT_EQ_INT(append_pid(log, 1000, 1, 5, 1, &off), 0);
    EXPECT_EQ_INT(off, hw);
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

/* A duplicate whose original is not yet durable is answered only when the
 * original is: hold the writer inside a completion to make that window. */
static sem_t hold, held;
static void blocking_done(void *ctx, int err, int64_t off)
{
    (void)ctx;
    (void)err;
    (void)off;
    sem_post(&held);
    sem_wait(&hold);
}

TEST(duplicate_of_pending_batch_waits_for_it)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = cfg_mode(EDDY_FSYNC_ALWAYS);
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    sem_init(&hold, 0, 0);
    sem_init(&held, 0, 0);
    size_t len;
    tb_opts o = tb_default(1);
    uint8_t *b = tb_build(&o, &len);
    eddy_append_req breq = {false, 0, blocking_done, NULL};
    eddy_append_result res;
    EXPECT_EQ_INT(eddy_log_append(log, b, len, &breq, &res), 0);
    free(b);
    sem_wait(&held); /* the writer is now parked in blocking_done */

    o = tb_default(2);
    o.pid = 77;
    o.epoch = 0;
    o.seq = 0;
    b = tb_build(&o, &len);
    waiter w1, w2;
    waiter_init(&w1);
    waiter_init(&w2);
    w1.outstanding = w2.outstanding = 1;
    eddy_append_req r1 = {false, 0, waiter_done, &w1}, r2 = {false, 0, waiter_done, &w2};
    EXPECT_EQ_INT(eddy_log_append(log, b, len, &r1, &res), 0);
    EXPECT_EQ_INT(res.base_offset, 1);
    EXPECT_EQ_INT(eddy_log_append(log, b, len, &r2, &res), 0); /* queued, not refused */
    EXPECT_EQ_INT(res.base_offset, 1);
    EXPECT_EQ_INT(w2.calls, 0);
    sem_post(&hold);
    waiter_wait(&w1);
    waiter_wait(&w2);
    EXPECT_EQ_INT(w1.err, 0);
    EXPECT_EQ_INT(w1.offset, 1);
    EXPECT_EQ_INT(w2.err, EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(w2.offset, 1);
    EXPECT_EQ_INT(w2.calls, 1);
    /* Now durable: refused at once, with the offset. */
    int64_t off;
    EXPECT_EQ_INT(append_sync(log, b, len, &off), EDDY_ERR_DUPLICATE_SEQUENCE_NUMBER);
    EXPECT_EQ_INT(off, 1);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), 2);
    free(b);
    waiter_deinit(&w1);
    waiter_deinit(&w2);
    eddy_log_close(log);
    eddy_store_close(st);
    sem_destroy(&hold);
    sem_destroy(&held);
    tmp_dir_free(dir);
}

/* ---- group commit ------------------------------------------------------ */

enum { GC_THREADS = 8, GC_PER_THREAD = 150 };

typedef struct gc_arg {
    eddy_log *log;
    int t;
    int64_t offsets[GC_PER_THREAD];
    int errors;
} gc_arg;

static void *gc_thread(void *p)
{
    gc_arg *a = p;
    for (int i = 0; i < GC_PER_THREAD; i++) {
        uint32_t id = (uint32_t)(a->t * 10000 + i);
        if (append_id(a->log, id, 1 + i % 3, &a->offsets[i]) != 0) {
            a->errors++;
        }
    }
    return NULL;
}

TEST(group_commit_shares_fsyncs)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = cfg_mode(EDDY_FSYNC_ALWAYS);
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    static gc_arg args[GC_THREADS];
    pthread_t th[GC_THREADS];
    for (int t = 0; t < GC_THREADS; t++) {
        args[t].log = log;
        args[t].t = t;
        args[t].errors = 0;
        pthread_create(&th[t], NULL, gc_thread, &args[t]);
    }
    for (int t = 0; t < GC_THREADS; t++) {
        pthread_join(th[t], NULL);
        EXPECT_EQ_INT(args[t].errors, 0);
    }
    eddy_store_stats ss;
    eddy_store_get_stats(st, &ss);
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    printf("    group commit: %llu batches, %llu fsyncs, %llu writes, %llu rounds\n",
           (unsigned long long)ls.batches, (unsigned long long)ls.fsyncs,
           (unsigned long long)ls.writes, (unsigned long long)ss.rounds);
    EXPECT_EQ_UINT(ls.batches, GC_THREADS * GC_PER_THREAD);
    EXPECT_TRUE(ls.fsyncs < ls.batches);
    EXPECT_EQ_UINT(ss.fsyncs, ls.fsyncs);
    /* Every acknowledged batch is where its ack said, once. */
    static walked w[GC_THREADS * GC_PER_THREAD + 1];
    EXPECT_EQ_INT(walk_log(log, w, GC_THREADS * GC_PER_THREAD + 1), GC_THREADS * GC_PER_THREAD);
    for (int i = 0; i < GC_THREADS * GC_PER_THREAD; i++) {
        int t = (int)(w[i].id / 10000), k = (int)(w[i].id % 10000);
        EXPECT_TRUE(t < GC_THREADS && k < GC_PER_THREAD);
        EXPECT_EQ_INT(args[t].offsets[k], w[i].base);
        args[t].offsets[k] = -1; /* seen once */
    }
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(fsync_modes_interval_and_never)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = cfg_mode(EDDY_FSYNC_NEVER);
    c.segment_bytes = 2048;
    char *p1 = path_join(dir, "never"), *p2 = path_join(dir, "interval");
    eddy_log *never, *interval;
    EXPECT_EQ_INT(eddy_log_open(st, p1, &c, &never), 0);
    c.fsync = EDDY_FSYNC_INTERVAL;
    c.fsync_interval_ms = 20;
    EXPECT_EQ_INT(eddy_log_open(st, p2, &c, &interval), 0);
    int64_t off;
    for (uint32_t i = 0; i < 30; i++) {
        EXPECT_EQ_INT(append_id(never, i, 2, &off), 0);
        EXPECT_EQ_INT(append_id(interval, i, 2, &off), 0);
    }
    eddy_log_stats ls;
    eddy_log_get_stats(never, &ls);
    EXPECT_EQ_UINT(ls.fsyncs, 0);
    EXPECT_TRUE(ls.rolls > 0);
    /* The interval timer syncs without further appends. */
    bool synced = false;
    for (int i = 0; i < 2000 && !synced; i++) {
        eddy_log_get_stats(interval, &ls);
        synced = ls.fsyncs > ls.rolls;
        usleep(5000);
    }
    EXPECT_TRUE(synced);
    eddy_log_close(never);
    eddy_log_close(interval);
    EXPECT_EQ_INT(eddy_log_open(st, p1, &c, &never), 0);
    EXPECT_EQ_INT(eddy_log_high_watermark(never), 60);
    eddy_log_close(never);
    free(p1);
    free(p2);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

/* ---- concurrency: appends, reads and retention at once ----------------- */

typedef struct conc {
    eddy_log *log;
    _Atomic int stop;
    _Atomic int bad;
    _Atomic long reads;
} conc;

static void *conc_reader(void *p)
{
    conc *c = p;
    unsigned seed = 12345;
    uint8_t *buf = malloc(1 << 17);
    while (!atomic_load(&c->stop)) {
        int64_t start = eddy_log_start_offset(c->log), hw = eddy_log_high_watermark(c->log);
        if (hw <= start) {
            continue;
        }
        seed = seed * 1103515245u + 12345u;
        int64_t off = start + (int64_t)(seed >> 8) % (hw - start);
        eddy_log_slice s;
        int rc = eddy_log_read(c->log, off, 1 + (seed % 20000), &s);
        if (rc == EDDY_ERR_OFFSET_OUT_OF_RANGE) {
            continue; /* retention moved the start meanwhile */
        }
        if (rc != 0 || s.len == 0 || s.len > (1 << 17) ||
            pread(s.fd, buf, s.len, s.pos) != (ssize_t)s.len) {
            c->bad++;
            eddy_log_slice_release(&s);
            continue;
        }
        eddy_batch_header h;
        if (eddy_batch_header_parse(buf, s.len, &h) != 0 || h.base_offset > off ||
            eddy_batch_last_offset(&h) < off ||
            !eddy_batch_crc_ok(buf, eddy_batch_total_size(&h))) {
            c->bad++;
        }
        int64_t ts_off, ts;
        if (eddy_log_offset_for_time(c->log, 1700000000000LL, &ts_off, &ts) != 0) {
            c->bad++;
        }
        eddy_log_slice_release(&s);
        c->reads++;
    }
    free(buf);
    return NULL;
}

TEST(concurrent_appends_reads_and_retention)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config cfg = cfg_mode(EDDY_FSYNC_NEVER);
    cfg.segment_bytes = 16 * 1024;
    cfg.index_interval_bytes = 512;
    cfg.retention_bytes = 64 * 1024;
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &cfg, &log), 0);
    conc c = {.log = log};
    pthread_t rd[2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&rd[i], NULL, conc_reader, &c);
    }
    int deleted = 0;
    for (uint32_t i = 0; i < 3000; i++) {
        tb_opts o = tb_default(i);
        o.records = 1 + (int)(i % 5);
        o.value_size = 30 + (i * 17) % 400;
        size_t len;
        uint8_t *b = tb_build(&o, &len);
        eddy_append_req req = {false, 0, NULL, NULL};
        eddy_append_result res;
        EXPECT_EQ_INT(eddy_log_append(log, b, len, &req, &res), 0);
        free(b);
        if (i % 50 == 0) {
            int n = eddy_log_enforce_retention(log, 0);
            EXPECT_TRUE(n >= 0);
            deleted += n;
        }
    }
    /* Let the writer catch up, then retention can see every roll. */
    for (int i = 0; i < 2000 && eddy_log_high_watermark(log) < eddy_log_next_offset(log); i++) {
        usleep(5000);
    }
    int n0 = eddy_log_enforce_retention(log, 0);
    EXPECT_TRUE(n0 >= 0);
    deleted += n0;
    atomic_store(&c.stop, 1);
    for (int i = 0; i < 2; i++) {
        pthread_join(rd[i], NULL);
    }
    EXPECT_EQ_INT(atomic_load(&c.bad), 0);
    EXPECT_TRUE(atomic_load(&c.reads) > 0);
    EXPECT_TRUE(deleted > 0);
    eddy_log_close(log);
    EXPECT_EQ_INT(eddy_log_open(st, dir, &cfg, &log), 0);
    walked *w = malloc(4000 * sizeof *w);
    long n = walk_log(log, w, 4000);
    EXPECT_TRUE(n > 0);
    EXPECT_EQ_INT(w[n - 1].id, 2999);
    free(w);
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

/* ---- failures ---------------------------------------------------------- */

typedef struct async_rec {
    waiter w;
    int rc;
    int64_t base;
} async_rec;

static void failure_case(eddy_fault_op op, int errnum)
{
    char *dir = tmp_dir();
    eddy_store_config sc;
    eddy_store_config_defaults(&sc);
    sc.failure_backoff_ms = 500; /* long enough to see the failed state */
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(&sc, &st), 0);
    eddy_log_config c = cfg_mode(EDDY_FSYNC_ALWAYS);
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    int64_t off;
    for (uint32_t i = 0; i < 5; i++) {
        EXPECT_EQ_INT(append_id(log, i, 2, &off), 0);
    }
    int saved = eddy_log_get_level();
    eddy_log_set_level(EDDY_LOG_OFF);
    eddy_store_inject_fault(st, op, errnum, 1);
    EXPECT_EQ_INT(append_id(log, 5, 2, &off), EDDY_ERR_KAFKA_STORAGE_ERROR);
    EXPECT_EQ_INT(off, -1);
    /* Failed: appends refused at once, durable data still readable. */
    EXPECT_EQ_INT(append_id(log, 6, 2, &off), EDDY_ERR_KAFKA_STORAGE_ERROR);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), 10);
    walked w[64];
    EXPECT_EQ_INT(walk_log(log, w, 64), 5);
    EXPECT_TRUE(wait_failed(log, false));
    eddy_log_set_level((eddy_log_level)saved);
    /* Recovered: offsets continue right after the durable data. */
    EXPECT_EQ_INT(append_id(log, 7, 2, &off), 0);
    EXPECT_EQ_INT(off, 10);

    /* Many appends in flight when the write fails: each one either
     * succeeds where its ack says or fails, and the log holds exactly the
     * successful ones. */
    enum { N = 40 };
    static async_rec recs[N];
    eddy_log_set_level(EDDY_LOG_OFF);
    eddy_store_inject_fault(st, op, errnum, 1);
    for (int i = 0; i < N; i++) {
        waiter_init(&recs[i].w);
        recs[i].w.outstanding = 1;
        tb_opts o = tb_default(100 + (uint32_t)i);
        size_t len;
        uint8_t *b = tb_build(&o, &len);
        eddy_append_req req = {false, 0, waiter_done, &recs[i].w};
        eddy_append_result res;
        recs[i].rc = eddy_log_append(log, b, len, &req, &res);
        free(b);
        if (recs[i].rc != 0) {
            recs[i].w.outstanding = 0;
        }
    }
    int ok = 0;
    for (int i = 0; i < N; i++) {
        waiter_wait(&recs[i].w);
        if (recs[i].rc == 0 && recs[i].w.err == 0) {
            ok++;
        }
    }
    EXPECT_TRUE(ok < N);
    EXPECT_TRUE(wait_failed(log, false));
    eddy_log_set_level((eddy_log_level)saved);
    EXPECT_EQ_INT(append_id(log, 999, 1, &off), 0);
    long n = walk_log(log, w, 64);
    EXPECT_EQ_INT(n, 6 + ok + 1);
    int k = 6;
    for (int i = 0; i < N; i++) {
        if (recs[i].rc == 0 && recs[i].w.err == 0) {
            EXPECT_EQ_UINT(w[k].id, 100 + (uint32_t)i);
            EXPECT_EQ_INT(w[k].base, recs[i].w.offset);
            k++;
        }
        waiter_deinit(&recs[i].w);
    }
    EXPECT_EQ_UINT(w[n - 1].id, 999);
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.failures, 2);
    EXPECT_EQ_UINT(ls.recoveries, 2);
    eddy_log_close(log);
    /* Nothing stored was damaged: a clean reopen. */
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.truncated_bytes, 0);
    EXPECT_EQ_INT(walk_log(log, w, 64), n);
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(write_failure_fails_log_then_recovers)
{
    failure_case(EDDY_FAULT_WRITE, ENOSPC);
}

TEST(fsync_failure_fails_log_then_recovers)
{
    failure_case(EDDY_FAULT_FSYNC, EIO);
}

/* A real full disk: a 1 MiB tmpfs (needs root; skipped otherwise). */
TEST(real_enospc_on_tmpfs)
{
    char *dir = tmp_dir();
    char *mnt = path_join(dir, "mnt");
    mkdir(mnt, 0755);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=1m") != 0) {
        printf("    skipped: cannot mount a tmpfs here (%s)\n", strerror(errno));
        free(mnt);
        tmp_dir_free(dir);
        return;
    }
    eddy_store_config sc;
    eddy_store_config_defaults(&sc);
    sc.failure_backoff_ms = 50;
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(&sc, &st), 0);
    eddy_log_config c = cfg_mode(EDDY_FSYNC_ALWAYS);
    char *ldir = path_join(mnt, "topic-0");
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, ldir, &c, &log), 0);
    /* Leave ~200 KiB free. */
    char *filler = path_join(mnt, "filler");
    FILE *f = fopen(filler, "wb");
    static uint8_t zeros[8192];
    for (int i = 0; i < 100; i++) {
        fwrite(zeros, 1, sizeof zeros, f);
    }
    fclose(f);
    int saved = eddy_log_get_level();
    eddy_log_set_level(EDDY_LOG_OFF);
    int64_t off;
    int ok = 0, rc = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        tb_opts o = tb_default(i);
        o.value_size = 3000;
        o.records = 3;
        size_t len;
        uint8_t *b = tb_build(&o, &len);
        rc = append_sync(log, b, len, &off);
        free(b);
        if (rc != 0) {
            break;
        }
        ok++;
    }
    EXPECT_EQ_INT(rc, EDDY_ERR_KAFKA_STORAGE_ERROR);
    EXPECT_TRUE(ok > 10);
    walked w[1024];
    EXPECT_EQ_INT(walk_log(log, w, 1024), ok);
    /* Space returns: writes resume after the back-off. */
    unlink(filler);
    EXPECT_TRUE(wait_failed(log, false));
    eddy_log_set_level((eddy_log_level)saved);
    EXPECT_EQ_INT(append_id(log, 5000, 1, &off), 0);
    EXPECT_EQ_INT(off, ok * 3);
    eddy_log_close(log);
    EXPECT_EQ_INT(eddy_log_open(st, ldir, &c, &log), 0);
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.truncated_bytes, 0);
    EXPECT_EQ_INT(walk_log(log, w, 1024), ok + 1);
    for (int i = 0; i < ok; i++) {
        EXPECT_EQ_UINT(w[i].id, (uint32_t)i);
    }
    eddy_log_close(log);
    eddy_store_close(st);
    umount2(mnt, MNT_DETACH);
    free(filler);
    free(ldir);
    free(mnt);
    tmp_dir_free(dir);
}

/* ---- a real crash ------------------------------------------------------ */

typedef struct ack {
    int64_t offset;
    uint32_t id;
    uint32_t pad;
} ack;

static int ack_fd;
static _Atomic int in_flight;

static void child_done(void *ctx, int err, int64_t off)
{
    if (err == 0) {
        ack a = {off, (uint32_t)(uintptr_t)ctx, 0};
        if (write(ack_fd, &a, sizeof a) != (ssize_t)sizeof a) {
            _exit(3);
        }
    }
    atomic_fetch_sub(&in_flight, 1);
}

/* Appends forever with up to 16 batches in flight. */
static void child_run(const char *dir, uint32_t first_id)
{
    eddy_log_set_level(EDDY_LOG_OFF);
    eddy_store *st;
    eddy_log *log;
    eddy_log_config c = cfg_mode(EDDY_FSYNC_ALWAYS);
    c.segment_bytes = 64 * 1024;
    if (eddy_store_open(NULL, &st) != 0 || eddy_log_open(st, dir, &c, &log) != 0) {
        _exit(2);
    }
    for (uint32_t id = first_id;; id++) {
        while (atomic_load(&in_flight) >= 16) {
            usleep(50);
        }
        tb_opts o = tb_default(id);
        o.records = 1 + (int)(id % 4);
        o.value_size = 50 + (id * 131) % 900;
        size_t len;
        uint8_t *b = tb_build(&o, &len);
        atomic_fetch_add(&in_flight, 1);
        eddy_append_req req = {false, 0, child_done, (void *)(uintptr_t)id};
        eddy_append_result res;
        if (eddy_log_append(log, b, len, &req, &res) != 0) {
            _exit(4);
        }
        free(b);
    }
}

TEST(sigkill_keeps_every_acknowledged_batch)
{
    char *dir = tmp_dir();
    enum { ROUNDS = 3, MAX_ACKS = 100000 };
    static ack acks[MAX_ACKS];
    size_t nacks = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int fds[2];
        EXPECT_EQ_INT(pipe(fds), 0);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            ack_fd = fds[1];
            child_run(dir, (uint32_t)round * 1000000u);
            _exit(0);
        }
        close(fds[1]);
        /* Let it run for a while (a number of acks), then kill it. */
        size_t before = nacks;
        bool killed = false;
        for (;;) {
            ack a;
            ssize_t r = read(fds[0], &a, sizeof a);
            if (r != (ssize_t)sizeof a) {
                break;
            }
            if (nacks < MAX_ACKS) {
                acks[nacks++] = a;
            }
            if (!killed && nacks - before >= 400 + (size_t)round * 97) {
                kill(pid, SIGKILL);
                killed = true; /* keep reading what was acked before */
            }
        }
        close(fds[0]);
        int status;
        waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    }
    /* Reopen: every acknowledged batch is there, where its ack said,
     * exactly once; nothing else is damaged. */
    eddy_log_set_level(EDDY_LOG_ERROR);
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log *log;
    eddy_log_config c = cfg_mode(EDDY_FSYNC_ALWAYS);
    c.segment_bytes = 64 * 1024;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    enum { MAXB = 200000 };
    walked *w = malloc(MAXB * sizeof *w);
    long n = walk_log(log, w, MAXB);
    EXPECT_TRUE(n > 0 && n < MAXB);
    printf("    crash: %zu acks over %d kills, %ld batches in the log\n", nacks, ROUNDS, n);
    for (size_t i = 0; i < nacks; i++) {
        /* Binary search the walked batches by base offset. */
        long lo = 0, hi = n - 1, found = -1;
        while (lo <= hi) {
            long mid = (lo + hi) / 2;
            if (w[mid].base == acks[i].offset) {
                found = mid;
                break;
            }
            if (w[mid].base < acks[i].offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        EXPECT_TRUE(found >= 0);
        EXPECT_EQ_UINT(w[found].id, acks[i].id);
    }
    for (long i = 1; i < n; i++) {
        /* Ids within a round rise by one: nothing duplicated or lost in
         * the middle (only unacked tails may be missing). */
        if (w[i].id / 1000000u == w[i - 1].id / 1000000u) {
            EXPECT_EQ_UINT(w[i].id, w[i - 1].id + 1);
        }
    }
    free(w);
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

int main(void)
{
    eddy_log_set_level(EDDY_LOG_WARN);
    RUN(idempotent_producer_rules_and_rebuild);
    RUN(duplicate_of_pending_batch_waits_for_it);
    RUN(group_commit_shares_fsyncs);
    RUN(fsync_modes_interval_and_never);
    RUN(concurrent_appends_reads_and_retention);
    RUN(write_failure_fails_log_then_recovers);
    RUN(fsync_failure_fails_log_then_recovers);
    RUN(real_enospc_on_tmpfs);
    /* Last: it forks, and no other test's threads may be running. */
    RUN(sigkill_keeps_every_acknowledged_batch);
    return test_summary();
}

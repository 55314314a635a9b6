/* storage: appends and reads, reopen, torn-tail recovery, segment roll and
 * the sparse indexes, time lookup, retention, configuration parsing. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "test.h"
#include "test_storage_util.h"

#define MAXW 4096

static eddy_log_config small_cfg(void)
{
    eddy_log_config c;
    eddy_log_config_defaults(&c);
    c.fsync = EDDY_FSYNC_NEVER;
    return c;
}

TEST(fsync_parse_and_defaults)
{
    eddy_fsync_mode m;
    int64_t ms = 0;
    EXPECT_EQ_INT(eddy_fsync_parse("always", &m, &ms), 0);
    EXPECT_EQ_INT(m, EDDY_FSYNC_ALWAYS);
    EXPECT_EQ_INT(eddy_fsync_parse("never", &m, &ms), 0);
    EXPECT_EQ_INT(m, EDDY_FSYNC_NEVER);
    EXPECT_EQ_INT(eddy_fsync_parse("interval:250", &m, &ms), 0);
    EXPECT_EQ_INT(m, EDDY_FSYNC_INTERVAL);
    EXPECT_EQ_INT(ms, 250);
    EXPECT_EQ_INT(eddy_fsync_parse("interval:", &m, &ms), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_fsync_parse("interval:0", &m, &ms), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_fsync_parse("interval:1x", &m, &ms), EDDY_ERR_INVALID_ARG);
    EXPECT_EQ_INT(eddy_fsync_parse("sometimes", &m, &ms), EDDY_ERR_INVALID_ARG);
    eddy_log_config c;
    eddy_log_config_defaults(&c);
    EXPECT_EQ_INT(c.segment_bytes, 1024LL * 1024 * 1024);
    EXPECT_EQ_INT(c.index_interval_bytes, 4096);
    EXPECT_EQ_INT(c.max_batch_bytes, 1024 * 1024);
    EXPECT_EQ_INT(c.retention_bytes, -1);
    EXPECT_EQ_INT(c.fsync, EDDY_FSYNC_ALWAYS);
}

TEST(bad_config_rejected)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    c.segment_bytes = 10;
    eddy_log *log = NULL;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), EDDY_ERR_INVALID_ARG);
    c = small_cfg();
    c.fsync = EDDY_FSYNC_INTERVAL;
    c.fsync_interval_ms = 0;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), EDDY_ERR_INVALID_ARG);
    EXPECT_TRUE(log == NULL);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(roundtrip_and_reads)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c;
    eddy_log_config_defaults(&c); /* fsync always */
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), 0);
    eddy_log_slice s;
    EXPECT_EQ_INT(eddy_log_read(log, 0, 1000, &s), 0);
    EXPECT_EQ_INT(s.len, 0);
    EXPECT_EQ_INT(eddy_log_read(log, 1, 1000, &s), EDDY_ERR_OFFSET_OUT_OF_RANGE);

    int64_t expect = 0;
    uint8_t *orig[60];
    size_t olen[60];
    for (uint32_t i = 0; i < 60; i++) {
        tb_opts o = tb_default(i);
        o.records = 1 + (int)(i % 5);
        o.value_size = 10 + i * 13;
        orig[i] = tb_build(&o, &olen[i]);
        int64_t off = -1;
        EXPECT_EQ_INT(append_sync(log, orig[i], olen[i], &off), 0);
        EXPECT_EQ_INT(off, expect);
        expect += o.records;
        EXPECT_EQ_INT(eddy_log_high_watermark(log), expect);
    }
    EXPECT_EQ_INT(eddy_log_next_offset(log), expect);
    /* Every offset reads back starting with the batch that holds it, whole,
     * bytes equal except the broker-owned fields. */
    int64_t base = 0;
    for (uint32_t i = 0; i < 60; i++) {
        int64_t last = base + 1 + (int64_t)(i % 5) - 1;
        for (int64_t off = base; off <= last; off++) {
            EXPECT_EQ_INT(eddy_log_read(log, off, 0, &s), 0);
            EXPECT_EQ_INT(s.first_offset, base);
            EXPECT_EQ_UINT(s.len, olen[i]);
            uint8_t *got = malloc(s.len);
            EXPECT_TRUE(pread(s.fd, got, s.len, s.pos) == (ssize_t)s.len);
            EXPECT_EQ_INT((int64_t)eddy_load_be64(got), base);
            EXPECT_EQ_INT((int32_t)eddy_load_be32(got + 12), 0);
            EXPECT_EQ_MEM(got + 16, s.len - 16, orig[i] + 16, olen[i] - 16);
            free(got);
            eddy_log_slice_release(&s);
        }
        base = last + 1;
    }
    /* max_bytes bounds the slice to whole batches. */
    EXPECT_EQ_INT(eddy_log_read(log, 0, olen[0] + olen[1] + olen[2] - 1, &s), 0);
    EXPECT_EQ_UINT(s.len, olen[0] + olen[1]);
    EXPECT_EQ_INT(s.high_watermark, expect);
    EXPECT_EQ_INT(s.log_start_offset, 0);
    eddy_log_slice_release(&s);
    EXPECT_EQ_INT(eddy_log_read(log, expect, 100, &s), 0);
    EXPECT_EQ_INT(s.len, 0);
    EXPECT_EQ_INT(eddy_log_read(log, expect + 1, 100, &s), EDDY_ERR_OFFSET_OUT_OF_RANGE);
    EXPECT_EQ_INT(eddy_log_read(log, -1, 100, &s), EDDY_ERR_OFFSET_OUT_OF_RANGE);

    walked w[MAXW];
    EXPECT_EQ_INT(walk_log(log, w, MAXW), 60);
    for (uint32_t i = 0; i < 60; i++) {
        EXPECT_EQ_UINT(w[i].id, i);
    }
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.batches, 60);
    EXPECT_TRUE(ls.fsyncs >= 1 && ls.fsyncs <= 60);
    EXPECT_EQ_UINT(ls.segments, 1);
    for (int i = 0; i < 60; i++) {
        free(orig[i]);
    }
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(append_rejects_and_log_append_time)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    c.max_batch_bytes = 2000;
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    tb_opts o = tb_default(1);
    o.value_size = 3000;
    size_t len;
    uint8_t *b = tb_build(&o, &len);
    eddy_append_req req = {false, 0, NULL, NULL};
    eddy_append_result res;
    EXPECT_EQ_INT(eddy_log_append(log, b, len, &req, &res), EDDY_ERR_MESSAGE_TOO_LARGE);
    free(b);
    o.value_size = 100;
    b = tb_build(&o, &len);
    EXPECT_EQ_INT(eddy_log_append(log, b, len - 1, &req, &res), EDDY_ERR_CORRUPT_MESSAGE);
    EXPECT_EQ_INT(eddy_log_append(log, b, 20, &req, &res), EDDY_ERR_CORRUPT_MESSAGE);
    /* LogAppendTime: stamped, CRC recomputed, reported. */
    waiter w;
    waiter_init(&w);
    w.outstanding = 1;
    eddy_append_req lat = {true, 1800000000000LL, waiter_done, &w};
    EXPECT_EQ_INT(eddy_log_append(log, b, len, &lat, &res), 0);
    EXPECT_EQ_INT(res.log_append_time_ms, 1800000000000LL);
    EXPECT_EQ_INT(res.base_offset, 0);
    waiter_wait(&w);
    EXPECT_EQ_INT(w.err, 0);
    waiter_deinit(&w);
    eddy_log_slice s;
    EXPECT_EQ_INT(eddy_log_read(log, 0, 0, &s), 0);
    uint8_t *got = malloc(s.len);
    EXPECT_TRUE(pread(s.fd, got, s.len, s.pos) == (ssize_t)s.len);
    EXPECT_TRUE(eddy_batch_crc_ok(got, s.len));
    eddy_batch_header h;
    EXPECT_EQ_INT(eddy_batch_header_parse(got, s.len, &h), 0);
    EXPECT_TRUE(h.attributes & EDDY_BATCH_TIMESTAMP_LOG_APPEND);
    EXPECT_EQ_INT(h.max_timestamp, 1800000000000LL);
    free(got);
    /* A slice stays usable after the log is closed. */
    eddy_log_close(log);
    uint8_t one;
    EXPECT_TRUE(pread(s.fd, &one, 1, s.pos) == 1);
    eddy_log_slice_release(&s);
    free(b);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(reopen_continues_offsets)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    int64_t off;
    for (uint32_t i = 0; i < 10; i++) {
        EXPECT_EQ_INT(append_id(log, i, 3, &off), 0);
    }
    eddy_log_close(log);
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), 30);
    EXPECT_EQ_INT(eddy_log_next_offset(log), 30);
    EXPECT_EQ_INT(append_id(log, 10, 2, &off), 0);
    EXPECT_EQ_INT(off, 30);
    walked w[64];
    EXPECT_EQ_INT(walk_log(log, w, 64), 11);
    EXPECT_EQ_UINT(w[10].id, 10);
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.truncated_bytes, 0);
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

/* Appends 5 batches, closes, damages the active segment with fn, reopens:
 * the last batch (or nothing, for pure garbage after it) must go. */
typedef void (*damage_fn)(const char *seg, long last_batch_pos, long size);

static void damage_truncate(const char *seg, long pos, long size)
{
    (void)pos;
    EXPECT_TRUE(truncate(seg, size - 7) == 0);
}

static void damage_garble(const char *seg, long pos, long size)
{
    int fd = open(seg, O_WRONLY);
    uint8_t junk[4] = {0xde, 0xad, 0xbe, 0xef};
    EXPECT_TRUE(pwrite(fd, junk, 4, pos + 70) == 4);
    close(fd);
    (void)size;
}

static void damage_append_garbage(const char *seg, long pos, long size)
{
    (void)pos;
    int fd = open(seg, O_WRONLY);
    uint8_t junk[300];
    for (int i = 0; i < 300; i++) {
        junk[i] = (uint8_t)(i * 31 + 5);
    }
    EXPECT_TRUE(pwrite(fd, junk, sizeof junk, size) == (ssize_t)sizeof junk);
    close(fd);
}

static void damage_zero_fill(const char *seg, long pos, long size)
{
    (void)pos;
    EXPECT_TRUE(truncate(seg, size + 65536) == 0);
}

static void damage_header_copy(const char *seg, long pos, long size)
{
    /* A valid-looking header whose length runs past the end. */
    int fd = open(seg, O_RDWR);
    uint8_t hdr[61];
    EXPECT_TRUE(pread(fd, hdr, sizeof hdr, pos) == (ssize_t)sizeof hdr);
    EXPECT_TRUE(pwrite(fd, hdr, sizeof hdr, size) == (ssize_t)sizeof hdr);
    close(fd);
}

static void torn_case(damage_fn fn, int expect_batches)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    int64_t off;
    for (uint32_t i = 0; i < 5; i++) {
        EXPECT_EQ_INT(append_id(log, i, 2, &off), 0);
    }
    eddy_log_slice s;
    EXPECT_EQ_INT(eddy_log_read(log, 8, 0, &s), 0);
    long last_pos = (long)s.pos;
    eddy_log_slice_release(&s);
    eddy_log_close(log);
    char *seg = newest_segment(dir);
    EXPECT_TRUE(seg != NULL);
    long size = file_size(seg);
    fn(seg, last_pos, size);

    int saved = eddy_log_get_level();
    eddy_log_set_level(EDDY_LOG_ERROR); /* the truncation warning is expected */
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_set_level((eddy_log_level)saved);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), expect_batches * 2);
    walked w[16];
    EXPECT_EQ_INT(walk_log(log, w, 16), expect_batches);
    for (int i = 0; i < expect_batches; i++) {
        EXPECT_EQ_UINT(w[i].id, (uint32_t)i);
    }
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_TRUE(ls.truncated_bytes > 0);
    EXPECT_EQ_INT(append_id(log, 99, 1, &off), 0);
    EXPECT_EQ_INT(off, expect_batches * 2);
    EXPECT_EQ_INT(walk_log(log, w, 16), expect_batches + 1);
    EXPECT_EQ_UINT(w[expect_batches].id, 99);
    eddy_log_close(log);
    /* And the repaired log reopens clean. */
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.truncated_bytes, 0);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), expect_batches * 2 + 1);
    eddy_log_close(log);
    free(seg);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(torn_tail_truncated)
{
    torn_case(damage_truncate, 4);
}

TEST(torn_tail_garbled)
{
    torn_case(damage_garble, 4);
}

TEST(torn_tail_garbage_appended)
{
    torn_case(damage_append_garbage, 5);
}

TEST(torn_tail_zero_filled)
{
    torn_case(damage_zero_fill, 5);
}

TEST(torn_tail_overlong_header)
{
    torn_case(damage_header_copy, 5);
}

TEST(bad_segment_header_restarts_segment)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_close(log);
    char *seg = newest_segment(dir);
    EXPECT_TRUE(truncate(seg, 10) == 0); /* torn while being created */
    int saved = eddy_log_get_level();
    eddy_log_set_level(EDDY_LOG_ERROR);
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_set_level((eddy_log_level)saved);
    int64_t off;
    EXPECT_EQ_INT(append_id(log, 1, 1, &off), 0);
    EXPECT_EQ_INT(off, 0);
    eddy_log_close(log);
    free(seg);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(roll_by_size_and_index_lookups)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    c.segment_bytes = 8192;
    c.index_interval_bytes = 300;
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    int64_t off, total = 0;
    for (uint32_t i = 0; i < 200; i++) {
        tb_opts o = tb_default(i);
        o.records = 1 + (int)(i % 4);
        o.value_size = 20 + (i * 37) % 200;
        size_t len;
        uint8_t *b = tb_build(&o, &len);
        EXPECT_EQ_INT(append_sync(log, b, len, &off), 0);
        EXPECT_EQ_INT(off, total);
        total += o.records;
        free(b);
    }
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_TRUE(ls.segments > 3);
    EXPECT_EQ_UINT(ls.rolls, ls.segments - 1);

    for (int round = 0; round < 3; round++) {
        /* Every offset finds the batch that holds it, in every segment. */
        walked w[MAXW];
        EXPECT_EQ_INT(walk_log(log, w, MAXW), 200);
        long bi = 0;
        for (int64_t o2 = 0; o2 < total; o2++) {
            while (w[bi].last < o2) {
                bi++;
            }
            eddy_log_slice s;
            EXPECT_EQ_INT(eddy_log_read(log, o2, 1, &s), 0);
            EXPECT_EQ_INT(s.first_offset, w[bi].base);
            eddy_log_slice_release(&s);
        }
        /* A large read stops at the end of its segment, on a batch edge. */
        eddy_log_slice s;
        EXPECT_EQ_INT(eddy_log_read(log, 0, 1 << 20, &s), 0);
        EXPECT_TRUE(s.len > 0 && s.len <= 8192 - 32);
        eddy_log_slice_release(&s);
        eddy_log_close(log);
        if (round == 1) {
            /* Lose one index file and damage a time index: both are
             * rebuilt by a scan. */
            char *p = path_join(dir, "00000000000000000000.index");
            EXPECT_EQ_INT(unlink(p), 0);
            free(p);
            char cmd[1024];
            snprintf(cmd, sizeof cmd,
                     "f=$(ls %s/*.timeindex | sed -n 2p); printf 'XXXX' | "
                     "dd of=$f bs=1 seek=30 conv=notrunc status=none",
                     dir);
            EXPECT_EQ_INT(system(cmd), 0);
        }
        int saved = eddy_log_get_level();
        eddy_log_set_level(EDDY_LOG_WARN);
        EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
        eddy_log_set_level((eddy_log_level)saved);
        EXPECT_EQ_INT(eddy_log_high_watermark(log), total);
        char *p = path_join(dir, "00000000000000000000.index");
        EXPECT_TRUE(file_size(p) > 0); /* rewritten by the rebuild */
        free(p);
    }
    /* Appends continue after reopen, into the last segment. */
    EXPECT_EQ_INT(append_id(log, 1000, 1, &off), 0);
    EXPECT_EQ_INT(off, total);
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(roll_by_age)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    c.segment_ms = 5;
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    int64_t off;
    EXPECT_EQ_INT(append_id(log, 1, 1, &off), 0);
    usleep(20 * 1000);
    EXPECT_EQ_INT(append_id(log, 2, 1, &off), 0);
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.segments, 2);
    walked w[4];
    EXPECT_EQ_INT(walk_log(log, w, 4), 2);
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(time_lookup)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    c.segment_bytes = 4096;
    c.index_interval_bytes = 200;
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    int64_t off, o2, ts2;
    EXPECT_EQ_INT(eddy_log_offset_for_time(log, 0, &o2, &ts2), 0);
    EXPECT_EQ_INT(o2, -1);
    /* Mostly rising timestamps with some going back. */
    enum { N = 150 };
    int64_t max_ts[N], base[N];
    for (uint32_t i = 0; i < N; i++) {
        tb_opts o = tb_default(i);
        o.records = 2;
        o.ts = 1000 + (int64_t)i * 10 - ((i % 7 == 3) ? 55 : 0);
        o.value_size = 40;
        size_t len;
        uint8_t *b = tb_build(&o, &len);
        EXPECT_EQ_INT(append_sync(log, b, len, &off), 0);
        base[i] = off;
        max_ts[i] = o.ts + 1;
        free(b);
    }
    for (int round = 0; round < 2; round++) {
        for (int64_t ts = 900; ts <= 1000 + N * 10 + 5; ts += 3) {
            int64_t eo = -1, ets = -1;
            for (int i = 0; i < N; i++) {
                if (max_ts[i] >= ts) {
                    eo = base[i];
                    ets = max_ts[i];
                    break;
                }
            }
            EXPECT_EQ_INT(eddy_log_offset_for_time(log, ts, &o2, &ts2), 0);
            EXPECT_EQ_INT(o2, eo);
            EXPECT_EQ_INT(ts2, ets);
        }
        eddy_log_close(log);
        EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    }
    eddy_log_close(log);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

static int listener_calls;
static void on_advance(void *ctx)
{
    (void)ctx;
    __atomic_add_fetch(&listener_calls, 1, __ATOMIC_SEQ_CST);
}

TEST(retention_by_size_time_and_floor)
{
    char *dir = tmp_dir();
    eddy_store *st;
    EXPECT_EQ_INT(eddy_store_open(NULL, &st), 0);
    eddy_log_config c = small_cfg();
    c.segment_bytes = 2048;
    c.retention_ms = -1;
    c.retention_bytes = -1;
    eddy_log *log;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_set_listener(log, on_advance, NULL);
    int64_t off;
    for (uint32_t i = 0; i < 100; i++) {
        tb_opts o = tb_default(i);
        o.ts = 10000 + i * 100;
        o.value_size = 100;
        size_t len;
        uint8_t *b = tb_build(&o, &len);
        EXPECT_EQ_INT(append_sync(log, b, len, &off), 0);
        free(b);
    }
    /* The listener runs after the completions of its round. */
    EXPECT_TRUE(__atomic_load_n(&listener_calls, __ATOMIC_SEQ_CST) >= 99);
    eddy_log_stats ls;
    eddy_log_get_stats(log, &ls);
    uint64_t segs = ls.segments;
    EXPECT_TRUE(segs >= 6);
    /* Nothing configured: nothing goes. */
    EXPECT_EQ_INT(eddy_log_enforce_retention(log, 1LL << 50), 0);
    eddy_log_close(log);

    /* Time: everything sealed is old, but the floor holds offset 30+. */
    c.retention_ms = 1000;
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    eddy_log_set_retention_floor(log, 30);
    int n = eddy_log_enforce_retention(log, 1LL << 50);
    EXPECT_TRUE(n >= 1);
    int64_t start = eddy_log_start_offset(log);
    EXPECT_TRUE(start > 0 && start <= 30);
    eddy_log_slice s;
    EXPECT_EQ_INT(eddy_log_read(log, start - 1, 100, &s), EDDY_ERR_OFFSET_OUT_OF_RANGE);
    EXPECT_EQ_INT(eddy_log_read(log, start, 100, &s), 0);
    EXPECT_EQ_INT(s.first_offset, start);
    /* Slices survive deletion of their segment by retention. */
    eddy_log_set_retention_floor(log, INT64_MAX);
    /* Not old enough yet at this time: the max timestamps are ~10000+. */
    EXPECT_EQ_INT(eddy_log_enforce_retention(log, 10000), 0);
    n = eddy_log_enforce_retention(log, 1LL << 50);
    eddy_log_get_stats(log, &ls);
    EXPECT_EQ_UINT(ls.segments, 1); /* only the active one is left */
    uint8_t one;
    EXPECT_TRUE(pread(s.fd, &one, 1, s.pos) == 1);
    eddy_log_slice_release(&s);
    walked w[128];
    long left = walk_log(log, w, 128);
    EXPECT_TRUE(left >= 1);
    EXPECT_EQ_INT(w[left - 1].last, 99);
    eddy_log_close(log);

    /* Reopen keeps the new start; size retention on a fresh log. */
    EXPECT_EQ_INT(eddy_log_open(st, dir, &c, &log), 0);
    EXPECT_EQ_INT(eddy_log_start_offset(log), w[0].base);
    EXPECT_EQ_INT(append_id(log, 500, 1, &off), 0);
    EXPECT_EQ_INT(off, 100);
    eddy_log_close(log);

    char *dir2 = path_join(dir, "p2");
    c.retention_ms = -1;
    c.retention_bytes = 5000;
    EXPECT_EQ_INT(eddy_log_open(st, dir2, &c, &log), 0);
    for (uint32_t i = 0; i < 100; i++) {
        EXPECT_EQ_INT(append_id(log, i, 1, &off), 0);
    }
    eddy_log_get_stats(log, &ls);
    uint64_t before = ls.size_bytes;
    n = eddy_log_enforce_retention(log, 0);
    EXPECT_TRUE(n > 0);
    eddy_log_get_stats(log, &ls);
    EXPECT_TRUE(ls.size_bytes >= 5000 && ls.size_bytes < before);
    EXPECT_TRUE(ls.size_bytes < 5000 + 2048);
    EXPECT_TRUE(walk_log(log, w, 128) > 0);
    /* eddy_log_delete removes the folder. */
    EXPECT_EQ_INT(eddy_log_delete(log), 0);
    struct stat sb;
    EXPECT_TRUE(stat(dir2, &sb) != 0);
    free(dir2);
    eddy_store_close(st);
    tmp_dir_free(dir);
}

TEST(folder_lock_and_store_close_closes_logs)
{
    char *dir = tmp_dir();
    eddy_store_config sc;
    eddy_store_config_defaults(&sc);
    sc.dir = dir;
    eddy_store *st, *st2;
    EXPECT_EQ_INT(eddy_store_open(&sc, &st), 0);
    /* flock is per open file description: a second open in-process
     * conflicts just like another process would. */
    EXPECT_EQ_INT(eddy_store_open(&sc, &st2), EDDY_ERR_EXISTS);
    eddy_log *log;
    char *p = path_join(dir, "t-0");
    eddy_log_config c = small_cfg();
    EXPECT_EQ_INT(eddy_log_open(st, p, &c, &log), 0);
    int64_t off;
    EXPECT_EQ_INT(append_id(log, 7, 1, &off), 0);
    eddy_store_close(st); /* closes the log too */
    EXPECT_EQ_INT(eddy_store_open(&sc, &st), 0);
    EXPECT_EQ_INT(eddy_log_open(st, p, &c, &log), 0);
    EXPECT_EQ_INT(eddy_log_high_watermark(log), 1);
    eddy_store_close(st);
    free(p);
    tmp_dir_free(dir);
}

int main(void)
{
    eddy_log_set_level(EDDY_LOG_WARN);
    RUN(fsync_parse_and_defaults);
    RUN(bad_config_rejected);
    RUN(roundtrip_and_reads);
    RUN(append_rejects_and_log_append_time);
    RUN(reopen_continues_offsets);
    RUN(torn_tail_truncated);
    RUN(torn_tail_garbled);
    RUN(torn_tail_garbage_appended);
    RUN(torn_tail_zero_filled);
    RUN(torn_tail_overlong_header);
    RUN(bad_segment_header_restarts_segment);
    RUN(roll_by_size_and_index_lookups);
    RUN(roll_by_age);
    RUN(time_lookup);
    RUN(retention_by_size_time_and_floor);
    RUN(folder_lock_and_store_close_closes_logs);
    return test_summary();
}

/* The checkpoint file of a streaming query (src/stream/checkpoint.c):
 * written and read back field by field, and every kind of damage refused
 * with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream/checkpoint.h"
#include "test.h"

static char dir[256];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/eddy-ckpt-test-%d", (int)getpid());
    mkdir(dir, 0755);
}

static ckpt sample(ckpt_sink *sinks, ckpt_part *parts)
{
    ckpt c = {.query_hash = 0x1234567890abcdefULL,
              .sinks = sinks,
              .nsinks = 2,
              .parts = parts,
              .nparts = 3};
    c.stats = (eddy_sql_stream_stats){.rows = 10,
                                      .late = 1,
                                      .out_of_order = 2,
                                      .adjusted = 3,
                                      .dropped = 4,
                                      .have_watermark = true,
                                      .watermark_us = 1764000000123456};
    sinks[0] = (ckpt_sink){.index = 3, .bytes = 4096, .rows = 77};
    sinks[1] = (ckpt_sink){.index = 0, .bytes = 0, .rows = 0};
    memset(parts, 0, 3 * sizeof *parts);
    snprintf(parts[0].hub, sizeof parts[0].hub, "telemetry");
    parts[0].partition = 2;
    parts[0].source = 1;
    parts[0].next_offset = 1000;
    parts[0].ps = (eddy_sql_part_state){.replay_offset = 900, .has_max = true, .max_us = -5};
    parts[1].partition = 0; /* an empty hub name is still a valid entry */
    parts[1].next_offset = 0;
    parts[1].ps.replay_offset = 0;
    snprintf(parts[2].hub, sizeof parts[2].hub, "h\xc3\xa9");
    parts[2].partition = 7;
    parts[2].next_offset = INT64_MAX;
    parts[2].ps = (eddy_sql_part_state){.replay_offset = -1, .has_max = false};
    return c;
}

TEST(round_trip)
{
    make_dir();
    ckpt_sink sinks[2];
    ckpt_part parts[3];
    ckpt c = sample(sinks, parts);
    char err[512];
    ckpt r;
    EXPECT_EQ_INT(ckpt_read(dir, &r, err, sizeof err), 0); /* none yet */
    EXPECT_EQ_INT(ckpt_write(dir, &c, err, sizeof err), 0);
    EXPECT_EQ_INT(ckpt_read(dir, &r, err, sizeof err), 1);
    EXPECT_TRUE(r.query_hash == c.query_hash);
    EXPECT_TRUE(memcmp(&r.stats, &c.stats, sizeof r.stats) == 0);
    EXPECT_EQ_INT(r.nsinks, 2);
    EXPECT_EQ_INT(r.sinks[0].index, 3);
    EXPECT_TRUE(r.sinks[0].bytes == 4096 && r.sinks[0].rows == 77);
    EXPECT_EQ_INT(r.nparts, 3);
    for (int i = 0; i < 3; i++) {
        EXPECT_EQ_STR(r.parts[i].hub, c.parts[i].hub);
        EXPECT_EQ_INT(r.parts[i].partition, c.parts[i].partition);
        EXPECT_EQ_INT(r.parts[i].source, c.parts[i].source);
        EXPECT_TRUE(r.parts[i].next_offset == c.parts[i].next_offset);
        EXPECT_TRUE(r.parts[i].ps.replay_offset == c.parts[i].ps.replay_offset);
        EXPECT_TRUE(r.parts[i].ps.has_max == c.parts[i].ps.has_max);
        EXPECT_TRUE(!c.parts[i].ps.has_max || r.parts[i].ps.max_us == c.parts[i].ps.max_us);
    }
    ckpt_free(&r);
}

TEST(damage_is_refused)
{
    make_dir();
    ckpt_sink sinks[2];
    ckpt_part parts[3];
    ckpt c = sample(sinks, parts);
    char err[512], path[300];
    EXPECT_EQ_INT(ckpt_write(dir, &c, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/checkpoint", dir);
    FILE *f = fopen(path, "rb");
    uint8_t buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ckpt r;
    EXPECT_EQ_INT(ckpt_parse(buf, n, "x", &r, err, sizeof err), 1);
    ckpt_free(&r);
    /* every flipped byte, every cut */
    for (size_t i = 0; i < n; i++) {
        buf[i] ^= 0x41;
        err[0] = 0;
        EXPECT_EQ_INT(ckpt_parse(buf, n, "x", &r, err, sizeof err), -1);
        EXPECT_TRUE(err[0] != 0);
        buf[i] ^= 0x41;
        EXPECT_EQ_INT(ckpt_parse(buf, i, "x", &r, err, sizeof err), -1);
    }
    memcpy(buf, "EDCX", 4);
    EXPECT_EQ_INT(ckpt_parse(buf, n, "x", &r, err, sizeof err), -1);
    EXPECT_EQ_STR(err, "x is not an eddy checkpoint");
}

int main(void)
{
    RUN(round_trip);
    RUN(damage_is_refused);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) {
        return 1;
    }
    return test_summary();
}

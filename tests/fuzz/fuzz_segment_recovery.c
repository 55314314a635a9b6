/* Fuzz target: recovery of the active segment.
 *
 * The input becomes the only segment file of a partition folder, which is
 * then opened. An input starting with 'E' (the first byte of the segment
 * magic) is the whole file, so the segment header itself is fuzzed; any
 * other input is batch bytes, written after a valid header for base offset
 * 0. Opening
 * must never crash, and the recovered log must hold only whole batches with
 * valid CRCs and continuous offsets up to its high watermark; an append
 * must then land exactly at the high watermark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/crc.h"
#include "core/endian.h"
#include "core/log.h"
#include "fuzz.h"
#include "record/batch.h"
#include "storage/fs.h"
#include "storage/storage.h"

static eddy_store *store;
static char root[256];

static void teardown(void)
{
    eddy_store_close(store);
    eddy_fs_rm_r(root);
}

static void setup(void)
{
    if (store) {
        return;
    }
    eddy_log_set_level(EDDY_LOG_OFF);
    const char *t = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/eddy-fuzz-seg-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(root) || eddy_store_open(NULL, &store) != 0) {
        abort();
    }
    atexit(teardown);
}

static void check_log(eddy_log *log)
{
    int64_t off = eddy_log_start_offset(log), hw = eddy_log_high_watermark(log);
    int64_t expect = off;
    while (off < hw) {
        eddy_log_slice s;
        if (eddy_log_read(log, off, 1 << 16, &s) != 0 || s.len == 0) {
            abort();
        }
        uint8_t *buf = malloc(s.len);
        if (!buf || pread(s.fd, buf, s.len, s.pos) != (ssize_t)s.len) {
            abort();
        }
        size_t p = 0;
        while (p < s.len) {
            eddy_batch_header h;
            if (eddy_batch_header_parse(buf + p, s.len - p, &h) != 0 ||
                eddy_batch_total_size(&h) > s.len - p ||
                !eddy_batch_crc_ok(buf + p, eddy_batch_total_size(&h)) || h.base_offset != expect) {
                abort();
            }
            expect = eddy_batch_last_offset(&h) + 1;
            p += eddy_batch_total_size(&h);
        }
        free(buf);
        eddy_log_slice_release(&s);
        off = expect;
    }
    if (expect != hw) {
        abort();
    }
}

static int append_done_err = 1;
static void on_done(void *ctx, int err, int64_t off)
{
    (void)ctx;
    (void)off;
    __atomic_store_n(&append_done_err, err, __ATOMIC_SEQ_CST);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char dir[300], path[400];
    snprintf(dir, sizeof dir, "%s/p", root);
    eddy_fs_rm_r(dir);
    if (eddy_fs_mkdir_p(dir, 0755) != 0) {
        abort();
    }
    snprintf(path, sizeof path, "%s/00000000000000000000.log", dir);
    FILE *f = fopen(path, "wb");
    if (!f) {
        abort();
    }
    if (size == 0 || data[0] != 'E') {
        uint8_t hdr[32] = {0};
        eddy_store_be32(hdr, 0x45444C47u); /* "EDLG", docs/format/segment.md */
        eddy_store_be16(hdr + 4, 1);
        eddy_store_be32(hdr + 28, eddy_crc32c(0, hdr, 28));
        fwrite(hdr, 1, sizeof hdr, f);
    }
    if (size) {
        fwrite(data, 1, size, f);
    }
    fclose(f);

    eddy_log_config cfg;
    eddy_log_config_defaults(&cfg);
    cfg.fsync = EDDY_FSYNC_NEVER;
    cfg.index_interval_bytes = 128;
    eddy_log *log;
    if (eddy_log_open(store, dir, &cfg, &log) != 0) {
        abort(); /* a lone active segment is always recoverable */
    }
    check_log(log);

    /* One empty-valued record, to see appends continue at the watermark. */
    uint8_t b[EDDY_BATCH_HEADER_SIZE + 8] = {0};
    uint8_t rec[] = {0x0c, 0, 0, 0,
                     1,    0, 0}; /* len 6, attr, ts 0, off 0, key -1, value 0, hdrs 0 */
    memcpy(b + EDDY_BATCH_HEADER_SIZE, rec, sizeof rec);
    size_t total = EDDY_BATCH_HEADER_SIZE + sizeof rec;
    eddy_store_be32(b + EDDY_BATCH_OFF_LENGTH, (uint32_t)(total - EDDY_BATCH_LOG_OVERHEAD));
    b[EDDY_BATCH_OFF_MAGIC] = 2;
    eddy_store_be64(b + EDDY_BATCH_OFF_PRODUCER_ID, (uint64_t)-1);
    eddy_store_be16(b + EDDY_BATCH_OFF_PRODUCER_EPOCH, 0xffff);
    eddy_store_be32(b + EDDY_BATCH_OFF_BASE_SEQUENCE, 0xffffffffu);
    eddy_store_be32(b + EDDY_BATCH_OFF_RECORDS_COUNT, 1);
    eddy_store_be32(b + EDDY_BATCH_OFF_CRC, eddy_batch_compute_crc(b, total));
    int64_t hw = eddy_log_high_watermark(log);
    eddy_append_req req = {false, 0, on_done, NULL};
    eddy_append_result res;
    __atomic_store_n(&append_done_err, 1, __ATOMIC_SEQ_CST);
    if (eddy_log_append(log, b, total, &req, &res) != 0 || res.base_offset != hw) {
        abort();
    }
    eddy_log_close(log); /* waits for the completion */
    if (__atomic_load_n(&append_done_err, __ATOMIC_SEQ_CST) != 0) {
        abort();
    }
    return 0;
}

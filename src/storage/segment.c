/* Segment files: header, batch scanner, sparse offset and time indexes.
 *
 * A segment is one file "<20-digit base offset>.log": a 32-byte header, then
 * record batches exactly as stored (docs/format/segment.md). A sealed
 * segment has two index files beside it, ".index" (offset -> position) and
 * ".timeindex" (max timestamp so far -> offset), written once at seal time
 * (docs/format/index.md); the active segment's index lives in memory and is
 * rebuilt by the recovery scan. Everything read from a file is checked
 * before use; nothing here asserts on file contents. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/crc.h"
#include "core/endian.h"
#include "core/error.h"
#include "core/reader.h"
#include "storage/fs.h"
#include "storage/storage_int.h"

eddy_segment *eddy_segment_new(int64_t base, int fd, char *path)
{
    eddy_segment *seg = calloc(1, sizeof *seg);
    if (!seg) {
        return NULL;
    }
    seg->base_offset = base;
    seg->fd = fd;
    seg->path = path;
    atomic_init(&seg->refs, 1);
    seg->visible = EDDY_SEG_HEADER_SIZE;
    seg->size = EDDY_SEG_HEADER_SIZE;
    seg->vis_end_offset = base;
    seg->end_offset = base;
    seg->max_ts = EDDY_TS_NONE;
    seg->w_max_ts = EDDY_TS_NONE;
    return seg;
}

void eddy_segment_ref(eddy_segment *seg)
{
    atomic_fetch_add_explicit(&seg->refs, 1, memory_order_relaxed);
}

void eddy_segment_unref(eddy_segment *seg)
{
    if (!seg || atomic_fetch_sub_explicit(&seg->refs, 1, memory_order_acq_rel) != 1) {
        return;
    }
    if (seg->fd >= 0) {
        close(seg->fd);
    }
    free(seg->idx);
    free(seg->path);
    free(seg);
}

int eddy_seg_path(char *out, size_t outlen, const char *dir, int64_t base, const char *ext)
{
    int n = snprintf(out, outlen, "%s/%020" PRId64 "%s", dir, base, ext);
    return (n < 0 || (size_t)n >= outlen) ? EDDY_ERR_INVALID_ARG : 0;
}

void eddy_seg_header_encode(uint8_t out[EDDY_SEG_HEADER_SIZE], int64_t base, int64_t created_ms)
{
    memset(out, 0, EDDY_SEG_HEADER_SIZE);
    eddy_store_be32(out, EDDY_SEG_MAGIC);
    eddy_store_be16(out + 4, EDDY_FORMAT_VERSION);
    eddy_store_be64(out + 8, (uint64_t)base);
    eddy_store_be64(out + 16, (uint64_t)created_ms);
    eddy_store_be32(out + 28, eddy_crc32c(0, out, 28));
}

int eddy_seg_header_check(const uint8_t *p, size_t len, int64_t base, int64_t *created_ms)
{
    if (len < EDDY_SEG_HEADER_SIZE || eddy_load_be32(p) != EDDY_SEG_MAGIC ||
        eddy_load_be16(p + 4) != EDDY_FORMAT_VERSION ||
        eddy_load_be32(p + 28) != eddy_crc32c(0, p, 28) || (int64_t)eddy_load_be64(p + 8) != base) {
        return EDDY_ERR_CORRUPT;
    }
    *created_ms = (int64_t)eddy_load_be64(p + 16);
    return 0;
}

/* ---- sparse index ------------------------------------------------------ */

int eddy_seg_index_add(eddy_segment *seg, int64_t offset, int64_t pos, int64_t ts_before)
{
    /* On disk an entry is 32-bit relative offset and position; a batch
     * beyond that range is simply not indexed (reads scan a little more). */
    if (pos > (int64_t)UINT32_MAX || offset - seg->base_offset > (int64_t)UINT32_MAX) {
        return 0;
    }
    if (seg->nidx == seg->idx_cap) {
        size_t cap = seg->idx_cap ? seg->idx_cap * 2 : 64;
        eddy_index_entry *n = realloc(seg->idx, cap * sizeof *n);
        if (!n) {
            return EDDY_ERR_NOMEM;
        }
        seg->idx = n;
        seg->idx_cap = cap;
    }
    seg->idx[seg->nidx++] = (eddy_index_entry){offset, pos, ts_before};
    return 0;
}

/* Binary searches share one shape: the last entry for which pred holds,
 * given pred is true for a prefix of the array. */
#define LAST_WHERE(seg, cond)                                                                      \
    do {                                                                                           \
        size_t lo_ = 0, hi_ = (seg)->nidx;                                                         \
        while (lo_ < hi_) {                                                                        \
            size_t mid_ = lo_ + (hi_ - lo_) / 2;                                                   \
            const eddy_index_entry *e = &(seg)->idx[mid_];                                         \
            if (cond) {                                                                            \
                lo_ = mid_ + 1;                                                                    \
            } else {                                                                               \
                hi_ = mid_;                                                                        \
            }                                                                                      \
        }                                                                                          \
        return lo_ ? &(seg)->idx[lo_ - 1] : NULL;                                                  \
    } while (0)

const eddy_index_entry *eddy_seg_index_by_offset(const eddy_segment *seg, int64_t target)
{
    LAST_WHERE(seg, e->offset <= target);
}

const eddy_index_entry *eddy_seg_index_by_pos(const eddy_segment *seg, int64_t target)
{
    LAST_WHERE(seg, e->pos <= target);
}

const eddy_index_entry *eddy_seg_index_by_time(const eddy_segment *seg, int64_t ts)
{
    LAST_WHERE(seg, e->ts_before < ts);
}

int eddy_seg_index_save(const eddy_segment *seg, const char *dir)
{
    char path[4096];
    size_t n = seg->nidx;
    size_t ilen = EDDY_IDX_HEADER_SIZE + n * EDDY_IDX_ENTRY_SIZE + 4;
    size_t tlen = EDDY_TIX_HEADER_SIZE + n * EDDY_TIX_ENTRY_SIZE + 4;
    uint8_t *ib = calloc(1, ilen), *tb = calloc(1, tlen);
    int rc = EDDY_ERR_NOMEM;
    if (!ib || !tb) {
        goto out;
    }
    eddy_store_be32(ib, EDDY_IDX_MAGIC);
    eddy_store_be16(ib + 4, EDDY_FORMAT_VERSION);
    eddy_store_be64(ib + 8, (uint64_t)seg->base_offset);
    eddy_store_be64(ib + 16, (uint64_t)seg->vis_end_offset);
    eddy_store_be64(ib + 24, (uint64_t)seg->visible);
    eddy_store_be64(ib + 32, (uint64_t)seg->max_ts);
    eddy_store_be32(ib + 40, (uint32_t)n);
    eddy_store_be32(tb, EDDY_TIX_MAGIC);
    eddy_store_be16(tb + 4, EDDY_FORMAT_VERSION);
    eddy_store_be64(tb + 8, (uint64_t)seg->base_offset);
    eddy_store_be32(tb + 16, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        uint32_t rel = (uint32_t)(seg->idx[i].offset - seg->base_offset);
        uint8_t *ie = ib + EDDY_IDX_HEADER_SIZE + i * EDDY_IDX_ENTRY_SIZE;
        uint8_t *te = tb + EDDY_TIX_HEADER_SIZE + i * EDDY_TIX_ENTRY_SIZE;
        eddy_store_be32(ie, rel);
        eddy_store_be32(ie + 4, (uint32_t)seg->idx[i].pos);
        eddy_store_be64(te, (uint64_t)seg->idx[i].ts_before);
        eddy_store_be32(te + 8, rel);
    }
    eddy_store_be32(ib + ilen - 4, eddy_crc32c(0, ib, ilen - 4));
    eddy_store_be32(tb + tlen - 4, eddy_crc32c(0, tb, tlen - 4));
    rc = eddy_seg_path(path, sizeof path, dir, seg->base_offset, ".timeindex");
    if (rc == 0) {
        rc = eddy_fs_write_atomic(path, tb, tlen);
    }
    if (rc == 0) {
        rc = eddy_seg_path(path, sizeof path, dir, seg->base_offset, ".index");
    }
    if (rc == 0) {
        rc = eddy_fs_write_atomic(path, ib, ilen);
    }
out:
    free(ib);
    free(tb);
    return rc;
}

/* Reads one index file whole and checks its magic, version, base and CRC;
 * returns a reader over the bytes between header and CRC. */
static int load_checked(const char *path, uint32_t magic, size_t header, int64_t base,
                        uint8_t **data, size_t *len)
{
    int rc = eddy_fs_read_file(path, 256u * 1024 * 1024, data, len);
    if (rc != 0) {
        return rc == EDDY_ERR_NOT_FOUND ? rc : EDDY_ERR_CORRUPT;
    }
    const uint8_t *p = *data;
    if (*len < header + 4 || eddy_load_be32(p) != magic ||
        eddy_load_be16(p + 4) != EDDY_FORMAT_VERSION || (int64_t)eddy_load_be64(p + 8) != base ||
        eddy_load_be32(p + *len - 4) != eddy_crc32c(0, p, *len - 4)) {
        return EDDY_ERR_CORRUPT;
    }
    return 0;
}

int eddy_seg_index_load(eddy_segment *seg, const char *dir, int64_t file_size)
{
    char path[4096];
    uint8_t *ib = NULL, *tb = NULL;
    size_t ilen = 0, tlen = 0;
    eddy_index_entry *idx = NULL;
    int64_t base = seg->base_offset;
    int rc = eddy_seg_path(path, sizeof path, dir, base, ".index");
    if (rc == 0) {
        rc = load_checked(path, EDDY_IDX_MAGIC, EDDY_IDX_HEADER_SIZE, base, &ib, &ilen);
    }
    if (rc == 0) {
        rc = eddy_seg_path(path, sizeof path, dir, base, ".timeindex");
    }
    if (rc == 0) {
        rc = load_checked(path, EDDY_TIX_MAGIC, EDDY_TIX_HEADER_SIZE, base, &tb, &tlen);
    }
    if (rc != 0) {
        goto out;
    }
    rc = EDDY_ERR_CORRUPT;
    int64_t end_offset = (int64_t)eddy_load_be64(ib + 16);
    int64_t data_size = (int64_t)eddy_load_be64(ib + 24);
    int64_t max_ts = (int64_t)eddy_load_be64(ib + 32);
    uint32_t n = eddy_load_be32(ib + 40);
    if (data_size != file_size || data_size < EDDY_SEG_HEADER_SIZE || end_offset < base ||
        end_offset - base > (int64_t)UINT32_MAX + INT32_MAX ||
        ilen != EDDY_IDX_HEADER_SIZE + (size_t)n * EDDY_IDX_ENTRY_SIZE + 4 ||
        eddy_load_be32(tb + 16) != n ||
        tlen != EDDY_TIX_HEADER_SIZE + (size_t)n * EDDY_TIX_ENTRY_SIZE + 4) {
        goto out;
    }
    if (n) {
        idx = malloc((size_t)n * sizeof *idx);
        if (!idx) {
            rc = EDDY_ERR_NOMEM;
            goto out;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *ie = ib + EDDY_IDX_HEADER_SIZE + (size_t)i * EDDY_IDX_ENTRY_SIZE;
        const uint8_t *te = tb + EDDY_TIX_HEADER_SIZE + (size_t)i * EDDY_TIX_ENTRY_SIZE;
        uint32_t rel = eddy_load_be32(ie);
        int64_t pos = eddy_load_be32(ie + 4);
        int64_t ts_before = (int64_t)eddy_load_be64(te);
        if (eddy_load_be32(te + 8) != rel || base + rel >= end_offset ||
            pos < EDDY_SEG_HEADER_SIZE || pos >= data_size ||
            (i > 0 && (base + rel <= idx[i - 1].offset || pos <= idx[i - 1].pos ||
                       ts_before < idx[i - 1].ts_before))) {
            goto out;
        }
        idx[i] = (eddy_index_entry){base + rel, pos, ts_before};
    }
    free(seg->idx);
    seg->idx = idx;
    seg->nidx = seg->idx_cap = n;
    idx = NULL;
    seg->visible = seg->size = data_size;
    seg->vis_end_offset = seg->end_offset = end_offset;
    seg->max_ts = seg->w_max_ts = max_ts;
    rc = 0;
out:
    free(idx);
    free(ib);
    free(tb);
    return rc;
}

void eddy_seg_unlink_files(const char *dir, int64_t base)
{
    static const char *const exts[] = {".log", ".index", ".timeindex"};
    char path[4096];
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        if (eddy_seg_path(path, sizeof path, dir, base, exts[i]) == 0) {
            unlink(path);
        }
    }
}

/* ---- scanner ----------------------------------------------------------- */

void eddy_scan_init(eddy_scan *sc, int fd, int64_t end, uint8_t *buf, size_t cap, size_t chunk)
{
    sc->fd = fd;
    sc->end = end;
    sc->buf = buf;
    sc->cap = cap;
    sc->growable = false;
    sc->buf_pos = 0;
    sc->buf_len = 0;
    sc->chunk = chunk < cap ? chunk : cap;
}

int eddy_scan_init_heap(eddy_scan *sc, int fd, int64_t end, size_t chunk)
{
    uint8_t *buf = malloc(chunk);
    if (!buf) {
        return EDDY_ERR_NOMEM;
    }
    eddy_scan_init(sc, fd, end, buf, chunk, chunk);
    sc->growable = true;
    return 0;
}

void eddy_scan_deinit(eddy_scan *sc)
{
    if (sc->growable) {
        free(sc->buf);
    }
    sc->buf = NULL;
}

/* Returns bytes [pos, pos + n), or NULL with *err = 0 (past the end or a
 * short file) or a negative I/O error. */
static const uint8_t *scan_get(eddy_scan *sc, int64_t pos, size_t n, int *err)
{
    *err = 0;
    if (pos < 0 || pos > sc->end || (uint64_t)(sc->end - pos) < n) {
        return NULL;
    }
    if (pos >= sc->buf_pos && (uint64_t)(pos - sc->buf_pos) + n <= sc->buf_len) {
        return sc->buf + (pos - sc->buf_pos);
    }
    size_t want = n > sc->chunk ? n : sc->chunk;
    if ((uint64_t)(sc->end - pos) < want) {
        want = (size_t)(sc->end - pos);
    }
    if (want > sc->cap) {
        if (!sc->growable) {
            *err = EDDY_ERR_LIMIT;
            return NULL;
        }
        uint8_t *nb = malloc(want);
        if (!nb) {
            *err = EDDY_ERR_NOMEM;
            return NULL;
        }
        free(sc->buf);
        sc->buf = nb;
        sc->cap = want;
    }
    size_t got = 0;
    sc->buf_len = 0;
    int rc = eddy_fs_pread_full(sc->fd, sc->buf, want, pos, &got);
    if (rc != 0) {
        *err = rc;
        return NULL;
    }
    sc->buf_pos = pos;
    sc->buf_len = got;
    return got < n ? NULL : sc->buf;
}

int eddy_scan_batch(eddy_scan *sc, int64_t pos, eddy_batch_header *h, const uint8_t **whole)
{
    if (pos == sc->end) {
        return EDDY_SCAN_END;
    }
    int err;
    const uint8_t *p = scan_get(sc, pos, EDDY_BATCH_HEADER_SIZE, &err);
    if (!p) {
        return err ? err : EDDY_SCAN_BAD;
    }
    if (eddy_batch_header_parse(p, EDDY_BATCH_HEADER_SIZE, h) != 0 || h->last_offset_delta < 0) {
        return EDDY_SCAN_BAD;
    }
    uint64_t total = (uint64_t)eddy_batch_total_size(h);
    if (total > (uint64_t)(sc->end - pos)) {
        return EDDY_SCAN_BAD;
    }
    if (whole) {
        if (total > EDDY_SCAN_MAX_BATCH) {
            return EDDY_SCAN_BAD;
        }
        p = scan_get(sc, pos, (size_t)total, &err);
        if (!p) {
            return err ? err : EDDY_SCAN_BAD;
        }
        if (!eddy_batch_crc_ok(p, (size_t)total)) {
            return EDDY_SCAN_BAD;
        }
        *whole = p;
    }
    return EDDY_SCAN_OK;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

int eddy_seg_scan(eddy_segment *seg, int64_t file_end, int32_t interval, eddy_seg_scan_result *res)
{
    eddy_scan sc;
    int rc = eddy_scan_init_heap(&sc, seg->fd, file_end, 1024 * 1024);
    if (rc != 0) {
        return rc;
    }
    int64_t pos = EDDY_SEG_HEADER_SIZE, expect = seg->base_offset, max_ts = EDDY_TS_NONE;
    int64_t next_index = pos + interval;
    res->stop = NULL;
    res->batches = 0;
    seg->nidx = 0;
    for (;;) {
        eddy_batch_header h;
        const uint8_t *whole = NULL;
        rc = eddy_scan_batch(&sc, pos, &h, &whole);
        if (rc == EDDY_SCAN_END) {
            rc = 0;
            break;
        }
        if (rc < 0) {
            goto out;
        }
        if (rc == EDDY_SCAN_BAD) {
            int zerr;
            size_t look = file_end - pos < EDDY_BATCH_HEADER_SIZE ? (size_t)(file_end - pos)
                                                                  : EDDY_BATCH_HEADER_SIZE;
            const uint8_t *p = scan_get(&sc, pos, look, &zerr);
            res->stop = (p && all_zero(p, look)) ? "zero-filled tail" : "torn or corrupt batch";
            rc = 0;
            break;
        }
        if (h.base_offset != expect) {
            res->stop = "offset discontinuity";
            rc = 0;
            break;
        }
        if (pos >= next_index) {
            rc = eddy_seg_index_add(seg, h.base_offset, pos, max_ts);
            if (rc != 0) {
                goto out;
            }
            next_index = pos + interval;
        }
        if (h.max_timestamp > max_ts) {
            max_ts = h.max_timestamp;
        }
        expect = eddy_batch_last_offset(&h) + 1;
        pos += (int64_t)eddy_batch_total_size(&h);
        res->batches++;
    }
    res->valid_end = pos;
    res->end_offset = expect;
    res->max_ts = max_ts;
    seg->next_index_pos = next_index;
out:
    eddy_scan_deinit(&sc);
    return rc;
}

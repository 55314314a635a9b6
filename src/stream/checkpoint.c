/* The checkpoint file (checkpoint.h; docs/format/checkpoint.md). All
 * integers little-endian:
 *
 *   "EDCK" u32 version (1) u32 body length
 *   body: u64 query hash
 *         u64 rows, late, out_of_order, adjusted, dropped
 *         u8 have_watermark, i64 watermark_us
 *         u32 nsinks, then per sink: u32 index, u64 bytes, u64 rows
 *         u32 nparts, then per part: u16 hub length, hub bytes,
 *             i32 partition, u32 source, i64 next offset,
 *             i64 replay offset, u8 has_max, i64 max_us
 *   u32 CRC-32C of the body */
#include "stream/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/crc.h"
#include "core/endian.h"

#define CKPT_VERSION 1
#define CKPT_MAX     ((size_t)64 << 20)

static void put32(eddy_buf *b, uint32_t v)
{
    uint8_t x[4];
    for (int i = 0; i < 4; i++) {
        x[i] = (uint8_t)(v >> (8 * i));
    }
    eddy_buf_append(b, x, 4);
}

static void put64(eddy_buf *b, uint64_t v)
{
    uint8_t x[8];
    for (int i = 0; i < 8; i++) {
        x[i] = (uint8_t)(v >> (8 * i));
    }
    eddy_buf_append(b, x, 8);
}

static void put8(eddy_buf *b, uint8_t v)
{
    eddy_buf_append(b, &v, 1);
}

int ckpt_write(const char *dir, const ckpt *c, char *err, size_t errlen)
{
    eddy_buf body;
    eddy_buf_init(&body, CKPT_MAX);
    put64(&body, c->query_hash);
    const eddy_sql_stream_stats *s = &c->stats;
    put64(&body, s->rows);
    put64(&body, s->late);
    put64(&body, s->out_of_order);
    put64(&body, s->adjusted);
    put64(&body, s->dropped);
    put8(&body, s->have_watermark);
    put64(&body, (uint64_t)s->watermark_us);
    put32(&body, c->nsinks);
    for (uint32_t i = 0; i < c->nsinks; i++) {
        put32(&body, c->sinks[i].index);
        put64(&body, c->sinks[i].bytes);
        put64(&body, c->sinks[i].rows);
    }
    put32(&body, c->nparts);
    for (uint32_t i = 0; i < c->nparts; i++) {
        const ckpt_part *p = &c->parts[i];
        size_t hl = strlen(p->hub);
        uint8_t l2[2] = {(uint8_t)hl, (uint8_t)(hl >> 8)};
        eddy_buf_append(&body, l2, 2);
        eddy_buf_append(&body, p->hub, hl);
        put32(&body, (uint32_t)p->partition);
        put32(&body, p->source);
        put64(&body, (uint64_t)p->next_offset);
        put64(&body, (uint64_t)p->ps.replay_offset);
        put8(&body, p->ps.has_max);
        put64(&body, (uint64_t)p->ps.max_us);
    }
    eddy_buf file;
    eddy_buf_init(&file, CKPT_MAX + 64);
    eddy_buf_append(&file, "EDCK", 4);
    put32(&file, CKPT_VERSION);
    put32(&file, (uint32_t)body.len);
    eddy_buf_append(&file, body.data ? body.data : (const uint8_t *)"", body.len);
    put32(&file, eddy_crc32c(0, body.data ? body.data : (const uint8_t *)"", body.len));
    int rc = -1;
    if (body.err || file.err) {
        snprintf(err, errlen, "the checkpoint is too large");
        goto out;
    }
    char tmp[4096], fin[4096];
    snprintf(tmp, sizeof tmp, "%s/checkpoint.tmp", dir);
    snprintf(fin, sizeof fin, "%s/checkpoint", dir);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    size_t off = 0;
    while (off < file.len) {
        ssize_t w = write(fd, file.data + off, file.len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
            close(fd);
            goto out;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        snprintf(err, errlen, "cannot sync %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (rename(tmp, fin) != 0) {
        snprintf(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
        goto out;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) != 0) {
        snprintf(err, errlen, "cannot sync %s: %s", dir, strerror(errno));
        if (dfd >= 0) {
            close(dfd);
        }
        goto out;
    }
    close(dfd);
    rc = 0;
out:
    eddy_buf_deinit(&body);
    eddy_buf_deinit(&file);
    return rc;
}

typedef struct rd {
    const uint8_t *p, *end;
    bool bad;
} rd;

static uint64_t get(rd *r, int n)
{
    if (r->end - r->p < n) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        v |= (uint64_t)r->p[i] << (8 * i);
    }
    r->p += n;
    return v;
}

int ckpt_parse(const uint8_t *data, size_t len, const char *name, ckpt *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    int rc = -1;
    rd r = {.p = data, .end = data + len};
    if (len < 16 || memcmp(data, "EDCK", 4) != 0) {
        snprintf(err, errlen, "%s is not an eddy checkpoint", name);
        goto out;
    }
    r.p += 4;
    uint32_t version = (uint32_t)get(&r, 4);
    uint32_t blen = (uint32_t)get(&r, 4);
    if (version != CKPT_VERSION) {
        snprintf(err, errlen, "%s has version %u; this eddy reads version %u", name, version,
                 CKPT_VERSION);
        goto out;
    }
    if ((size_t)(r.end - r.p) != (size_t)blen + 4) {
        snprintf(err, errlen, "%s is truncated or has trailing bytes", name);
        goto out;
    }
    uint32_t crc = (uint32_t)r.p[blen] | ((uint32_t)r.p[blen + 1] << 8) |
                   ((uint32_t)r.p[blen + 2] << 16) | ((uint32_t)r.p[blen + 3] << 24);
    if (eddy_crc32c(0, r.p, blen) != crc) {
        snprintf(err, errlen, "%s is damaged (CRC mismatch)", name);
        goto out;
    }
    r.end = r.p + blen;
    c->query_hash = get(&r, 8);
    c->stats.rows = get(&r, 8);
    c->stats.late = get(&r, 8);
    c->stats.out_of_order = get(&r, 8);
    c->stats.adjusted = get(&r, 8);
    c->stats.dropped = get(&r, 8);
    c->stats.have_watermark = get(&r, 1) != 0;
    c->stats.watermark_us = (int64_t)get(&r, 8);
    c->nsinks = (uint32_t)get(&r, 4);
    if (r.bad || c->nsinks > 4096 || (size_t)(r.end - r.p) < (size_t)c->nsinks * 20) {
        snprintf(err, errlen, "%s is damaged (sinks)", name);
        goto out;
    }
    c->sinks = calloc(c->nsinks ? c->nsinks : 1, sizeof *c->sinks);
    for (uint32_t i = 0; c->sinks && i < c->nsinks; i++) {
        c->sinks[i].index = (uint32_t)get(&r, 4);
        c->sinks[i].bytes = get(&r, 8);
        c->sinks[i].rows = get(&r, 8);
    }
    c->nparts = (uint32_t)get(&r, 4);
    /* an entry is at least 35 bytes (an empty hub name) */
    if (!c->sinks || r.bad || (size_t)(r.end - r.p) / 35 < c->nparts) {
        snprintf(err, errlen, "%s is damaged (partitions)", name);
        goto out;
    }
    c->parts = calloc(c->nparts ? c->nparts : 1, sizeof *c->parts);
    for (uint32_t i = 0; c->parts && i < c->nparts && !r.bad; i++) {
        ckpt_part *p = &c->parts[i];
        size_t hl = (size_t)get(&r, 2);
        if (r.bad || hl >= sizeof p->hub || (size_t)(r.end - r.p) < hl) {
            r.bad = true;
            break;
        }
        memcpy(p->hub, r.p, hl);
        p->hub[hl] = 0;
        r.p += hl;
        p->partition = (int32_t)get(&r, 4);
        p->source = (uint32_t)get(&r, 4);
        p->next_offset = (int64_t)get(&r, 8);
        p->ps.replay_offset = (int64_t)get(&r, 8);
        p->ps.has_max = get(&r, 1) != 0;
        p->ps.max_us = (int64_t)get(&r, 8);
    }
    if (!c->parts || r.bad || r.p != r.end) {
        snprintf(err, errlen, "%s is damaged", name);
        goto out;
    }
    rc = 1;
out:
    if (rc < 0) {
        ckpt_free(c);
    }
    return rc;
}

int ckpt_read(const char *dir, ckpt *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    char fin[4096];
    snprintf(fin, sizeof fin, "%s/checkpoint", dir);
    FILE *f = fopen(fin, "rb");
    if (!f) {
        if (errno == ENOENT) {
            return 0;
        }
        snprintf(err, errlen, "cannot read %s: %s", fin, strerror(errno));
        return -1;
    }
    eddy_buf b;
    eddy_buf_init(&b, CKPT_MAX + 64);
    uint8_t chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        eddy_buf_append(&b, chunk, n);
    }
    bool ioerr = ferror(f);
    fclose(f);
    int rc;
    if (ioerr || b.err) {
        snprintf(err, errlen, "cannot read %s", fin);
        rc = -1;
    } else {
        rc = ckpt_parse(b.data ? b.data : (const uint8_t *)"", b.len, fin, c, err, errlen);
    }
    eddy_buf_deinit(&b);
    return rc;
}

void ckpt_free(ckpt *c)
{
    free(c->sinks);
    free(c->parts);
    memset(c, 0, sizeof *c);
}

/* The container file reader (see avro.h).
 *
 * Input is a window [pos, len) over either the caller's memory (all of the
 * file, eof from the start) or an owned buffer refilled from an fd. A step
 * asks fill() for the bytes it needs; the fd variant compacts the window and
 * reads until it has them or the file ends, so memory stays about one block
 * (plus read_size) whatever the file's size. The header is parsed from one
 * window of at most max_header_bytes; each block's count and size are
 * checked against the limits before its data is read, so a hostile size
 * never makes the reader allocate more than max_block_bytes.
 *
 * A null-codec block's data is used in place; other codecs decompress into
 * a buffer kept across blocks. Every error is written once into r->err with
 * the block index and file offset, and is sticky. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/avro_int.h"
#include "core/error.h"

#define DEFAULT_MAX_HEADER (4u << 20)
#define DEFAULT_MAX_BLOCK  (64u << 20)
#define DEFAULT_MAX_COUNT  (16 << 20)
#define DEFAULT_READ_SIZE  (1u << 20)
#define MAX_META_ENTRIES   4096

static const uint8_t avro_magic[4] = {'O', 'b', 'j', 1};

typedef struct meta_entry {
    const uint8_t *key;
    size_t klen;
    const uint8_t *val;
    size_t vlen;
} meta_entry;

struct eddy_avro_reader {
    eddy_avro_reader_opts opts;
    int fd; /* borrowed; -1 for memory */
    const uint8_t *buf;
    size_t pos, len; /* the unread window is buf[pos..len) */
    uint8_t *own;    /* fd: the buffer buf points at */
    size_t cap;
    uint64_t base; /* file offset of buf[0] */
    bool eof;      /* nothing beyond buf[len] */

    uint8_t *header; /* fd: a copy of the header (meta entries point into it) */
    meta_entry *meta;
    size_t nmeta;
    const uint8_t *schema_json;
    size_t schema_len;
    eddy_avro_schema *schema;
    eddy_avro_codec codec;
    uint8_t sync[EDDY_AVRO_SYNC_SIZE];

    avro_codec_ctx cctx;
    eddy_buf dbuf; /* decompressed block data */
    eddy_avro_decoder dec;
    eddy_reader blk;     /* the current block's data */
    int64_t block_index; /* of the current block; -1 before the first */
    uint64_t block_offset;
    int64_t block_count;
    int64_t datum; /* datums of the current block handed out */
    bool in_block;
    bool done;
    eddy_avro_error err;
};

__attribute__((format(printf, 5, 6))) static int rfail(eddy_avro_reader *r, int code, int64_t block,
                                                       uint64_t offset, const char *fmt, ...)
{
    if (r->err.code) {
        return r->err.code;
    }
    r->err.code = code;
    r->err.block = block;
    r->err.offset = offset;
    char what[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (block < 0) {
        snprintf(r->err.msg, sizeof r->err.msg, "header at byte %llu: %s",
                 (unsigned long long)offset, what);
    } else {
        snprintf(r->err.msg, sizeof r->err.msg, "block %lld at byte %llu: %s", (long long)block,
                 (unsigned long long)offset, what);
    }
    return code;
}

static uint64_t file_pos(const eddy_avro_reader *r)
{
    return r->base + r->pos;
}

static size_t avail(const eddy_avro_reader *r)
{
    return r->len - r->pos;
}

/* Makes at least need bytes available if the file has them. Returns 0 (check
 * avail() for what came) or a read error. */
static int fill(eddy_avro_reader *r, size_t need)
{
    if (avail(r) >= need || r->eof) {
        return 0;
    }
    /* Compact, then grow to hold need plus a read. */
    if (r->pos > 0) {
        size_t a = avail(r);
        memmove(r->own, r->own + r->pos, a);
        r->base += r->pos;
        r->pos = 0;
        r->len = a;
    }
    size_t want = need > SIZE_MAX - r->opts.read_size ? need : need + r->opts.read_size;
    if (r->cap < need) {
        size_t ncap = r->cap ? r->cap : r->opts.read_size;
        while (ncap < want) {
            ncap = ncap > SIZE_MAX / 2 ? want : ncap * 2;
        }
        uint8_t *n = realloc(r->own, ncap);
        if (!n) {
            return EDDY_ERR_NOMEM;
        }
        r->own = n;
        r->cap = ncap;
    }
    r->buf = r->own;
    while (r->len < need) {
        ssize_t got = read(r->fd, r->own + r->len, r->cap - r->len);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return eddy_err_from_errno(errno);
        }
        if (got == 0) {
            r->eof = true;
            break;
        }
        r->len += (size_t)got;
    }
    return 0;
}

static void apply_defaults(eddy_avro_reader_opts *o)
{
    if (!o->max_header_bytes) {
        o->max_header_bytes = DEFAULT_MAX_HEADER;
    }
    if (!o->max_block_bytes) {
        o->max_block_bytes = DEFAULT_MAX_BLOCK;
    }
    if (!o->max_block_datum_bytes) {
        o->max_block_datum_bytes = DEFAULT_MAX_BLOCK;
    }
    if (!o->max_block_count) {
        o->max_block_count = DEFAULT_MAX_COUNT;
    }
    if (!o->read_size) {
        o->read_size = DEFAULT_READ_SIZE;
    }
}

static bool key_is(const meta_entry *m, const char *key)
{
    size_t n = strlen(key);
    return m->klen == n && memcmp(m->key, key, n) == 0;
}

/* Header reads: 0 ok, 1 when the bytes run out (truncated, or over the
 * size limit), -1 for a malformed varint or length. */
static int hdr_long(eddy_reader *hr, int64_t *v)
{
    size_t rem = eddy_reader_remaining(hr);
    const uint8_t *p = hr->p + hr->pos;
    size_t i = 0;
    while (i < rem && i < EDDY_VARINT64_MAX && (p[i] & 0x80)) {
        i++;
    }
    if (i == rem && i < EDDY_VARINT64_MAX) {
        return 1;
    }
    *v = eddy_reader_varlong(hr);
    return hr->err ? -1 : 0;
}

static int hdr_bytes(eddy_reader *hr, const uint8_t **p, size_t *n)
{
    int64_t len;
    int rc = hdr_long(hr, &len);
    if (rc) {
        return rc;
    }
    if (len < 0) {
        return -1;
    }
    if ((uint64_t)len > eddy_reader_remaining(hr)) {
        return 1;
    }
    *p = eddy_reader_bytes(hr, (size_t)len);
    *n = (size_t)len;
    return 0;
}

static int add_meta(eddy_avro_reader *r, size_t *cap, const meta_entry *m)
{
    if (r->nmeta == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        meta_entry *nm = realloc(r->meta, ncap * sizeof *nm);
        if (!nm) {
            return EDDY_ERR_NOMEM;
        }
        r->meta = nm;
        *cap = ncap;
    }
    r->meta[r->nmeta++] = *m;
    return 0;
}

/* Parses the metadata map and the sync marker from hr. Returns 0, 1 (out
 * of bytes), -1 (malformed; *what says why) or an eddy error. */
static int parse_meta(eddy_avro_reader *r, eddy_reader *hr, size_t *at, const char **what)
{
    size_t cap = 0;
    for (;;) {
        *at = hr->pos;
        int64_t count;
        int rc = hdr_long(hr, &count);
        if (rc) {
            *what = "malformed metadata count";
            return rc;
        }
        if (count == 0) {
            break;
        }
        if (count < 0) {
            int64_t size;
            if (count == INT64_MIN) {
                *what = "metadata count out of range";
                return -1;
            }
            count = -count;
            rc = hdr_long(hr, &size);
            if (rc) {
                *what = "malformed metadata block size";
                return rc;
            }
        }
        if ((uint64_t)count > MAX_META_ENTRIES - r->nmeta) {
            *what = "too many metadata entries";
            return -1;
        }
        for (int64_t i = 0; i < count; i++) {
            meta_entry m;
            *at = hr->pos;
            rc = hdr_bytes(hr, &m.key, &m.klen);
            if (!rc) {
                rc = hdr_bytes(hr, &m.val, &m.vlen);
            }
            if (rc) {
                *what = "malformed metadata entry";
                return rc;
            }
            if (add_meta(r, &cap, &m)) {
                return EDDY_ERR_NOMEM;
            }
        }
    }
    *at = hr->pos;
    if (eddy_reader_remaining(hr) < EDDY_AVRO_SYNC_SIZE) {
        return 1;
    }
    memcpy(r->sync, eddy_reader_bytes(hr, EDDY_AVRO_SYNC_SIZE), EDDY_AVRO_SYNC_SIZE);
    return 0;
}

/* Parses the header from the window. */
static int read_header(eddy_avro_reader *r)
{
    /* The window grows until the header fits: 64 KiB first (schemas are
     * small), then doubling, up to one byte past the limit, which tells
     * "too large" from "truncated". */
    size_t cap = r->opts.max_header_bytes + 1;
    size_t want = cap < 65536 ? cap : 65536;
    size_t a, at;
    eddy_reader hr;
    for (;;) {
        int rc = fill(r, want);
        if (rc) {
            return rfail(r, rc, -1, 0, "read error: %s", eddy_err_str(rc));
        }
        a = avail(r);
        if (a == 0) {
            return rfail(r, EDDY_ERR_CORRUPT, -1, 0, "empty file: not an Avro container");
        }
        if (a < sizeof avro_magic || memcmp(r->buf + r->pos, avro_magic, sizeof avro_magic) != 0) {
            if (a < sizeof avro_magic && memcmp(r->buf + r->pos, avro_magic, a) == 0) {
                r->err.truncated = true;
                return rfail(r, EDDY_ERR_CORRUPT, -1, 0, "truncated at byte %zu (in the magic)", a);
            }
            return rfail(r, EDDY_ERR_CORRUPT, -1, 0,
                         "not an Avro object container file (no \"Obj\\x01\" magic)");
        }
        size_t limit = a < r->opts.max_header_bytes ? a : r->opts.max_header_bytes;
        eddy_reader_init(&hr, r->buf + r->pos, limit);
        eddy_reader_skip(&hr, sizeof avro_magic);
        at = 0;
        const char *what = "malformed header";
        r->nmeta = 0;
        rc = parse_meta(r, &hr, &at, &what);
        if (rc == 1 && !r->eof && want < cap) {
            want = want > cap / 2 ? cap : want * 2;
            continue;
        }
        if (rc == 1) {
            if (a > r->opts.max_header_bytes) {
                return rfail(r, EDDY_ERR_LIMIT, -1, 0, "header larger than the limit of %zu bytes",
                             r->opts.max_header_bytes);
            }
            r->err.truncated = true;
            return rfail(r, EDDY_ERR_CORRUPT, -1, at, "truncated at byte %zu (in the header)", a);
        }
        if (rc == -1) {
            return rfail(r, EDDY_ERR_CORRUPT, -1, at, "%s", what);
        }
        if (rc) {
            return rfail(r, rc, -1, at, "%s", eddy_err_str(rc));
        }
        break;
    }
    size_t hlen = hr.pos;

    /* Keep the header's bytes: the window moves on. */
    if (r->fd >= 0) {
        r->header = malloc(hlen);
        if (!r->header) {
            return rfail(r, EDDY_ERR_NOMEM, -1, 0, "out of memory");
        }
        memcpy(r->header, r->buf + r->pos, hlen);
        for (size_t i = 0; i < r->nmeta; i++) {
            r->meta[i].key = r->header + (r->meta[i].key - (r->buf + r->pos));
            r->meta[i].val = r->header + (r->meta[i].val - (r->buf + r->pos));
        }
    }
    r->pos += hlen;

    const meta_entry *codec = NULL, *schema = NULL;
    for (size_t i = 0; i < r->nmeta; i++) {
        if (key_is(&r->meta[i], "avro.codec")) {
            codec = &r->meta[i];
        } else if (key_is(&r->meta[i], "avro.schema")) {
            schema = &r->meta[i];
        }
    }
    r->codec = EDDY_AVRO_CODEC_NULL;
    if (codec) {
        char name[32];
        if (codec->vlen >= sizeof name || memchr(codec->val, 0, codec->vlen)) {
            return rfail(r, EDDY_ERR_UNSUPPORTED, -1, 0, "unsupported codec (a %zu-byte name)",
                         codec->vlen);
        }
        memcpy(name, codec->val, codec->vlen);
        name[codec->vlen] = '\0';
        if (eddy_avro_codec_parse(name, &r->codec)) {
            return rfail(r, EDDY_ERR_UNSUPPORTED, -1, 0,
                         "unsupported codec '%s' (eddy reads null, deflate and snappy)", name);
        }
    }
    if (!schema) {
        return rfail(r, EDDY_ERR_CORRUPT, -1, 0, "no avro.schema in the metadata");
    }
    r->schema_json = schema->val;
    r->schema_len = schema->vlen;
    char msg[256];
    int rc = eddy_avro_schema_parse((const char *)schema->val, schema->vlen, &r->schema, msg,
                                    sizeof msg);
    if (rc) {
        return rfail(r, rc == EDDY_ERR_NOMEM ? rc : EDDY_ERR_CORRUPT, -1, 0, "bad schema: %s", msg);
    }
    return 0;
}

static int open_common(eddy_avro_reader **out, eddy_avro_reader *r,
                       const eddy_avro_reader_opts *opts, eddy_avro_error *err)
{
    r->opts = opts ? *opts : (eddy_avro_reader_opts){0};
    apply_defaults(&r->opts);
    r->block_index = -1;
    eddy_buf_init(&r->dbuf, 0);
    eddy_avro_decoder_init(&r->dec);
    int rc = read_header(r);
    if (rc) {
        if (err) {
            *err = r->err;
        }
        eddy_avro_reader_close(r);
        return rc;
    }
    if (err) {
        memset(err, 0, sizeof *err);
    }
    *out = r;
    return 0;
}

int eddy_avro_reader_open_mem(eddy_avro_reader **out, const void *data, size_t len,
                              const eddy_avro_reader_opts *opts, eddy_avro_error *err)
{
    *out = NULL;
    eddy_avro_reader *r = calloc(1, sizeof *r);
    if (!r) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = EDDY_ERR_NOMEM;
            snprintf(err->msg, sizeof err->msg, "out of memory");
        }
        return EDDY_ERR_NOMEM;
    }
    r->fd = -1;
    r->buf = data ? data : (const uint8_t *)"";
    r->len = data ? len : 0;
    r->eof = true;
    return open_common(out, r, opts, err);
}

int eddy_avro_reader_open_fd(eddy_avro_reader **out, int fd, const eddy_avro_reader_opts *opts,
                             eddy_avro_error *err)
{
    *out = NULL;
    eddy_avro_reader *r = calloc(1, sizeof *r);
    if (!r) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = EDDY_ERR_NOMEM;
            snprintf(err->msg, sizeof err->msg, "out of memory");
        }
        return EDDY_ERR_NOMEM;
    }
    r->fd = fd;
    r->buf = (const uint8_t *)"";
    return open_common(out, r, opts, err);
}

void eddy_avro_reader_close(eddy_avro_reader *r)
{
    if (!r) {
        return;
    }
    eddy_avro_schema_free(r->schema);
    avro_codec_ctx_deinit(&r->cctx);
    eddy_buf_deinit(&r->dbuf);
    free(r->meta);
    free(r->header);
    free(r->own);
    free(r);
}

const eddy_avro_schema *eddy_avro_reader_schema(const eddy_avro_reader *r)
{
    return r->schema;
}

const uint8_t *eddy_avro_reader_schema_json(const eddy_avro_reader *r, size_t *len)
{
    *len = r->schema_len;
    return r->schema_json;
}

eddy_avro_codec eddy_avro_reader_codec(const eddy_avro_reader *r)
{
    return r->codec;
}

int eddy_avro_reader_meta(const eddy_avro_reader *r, const char *key, const uint8_t **val,
                          size_t *len)
{
    for (size_t i = 0; i < r->nmeta; i++) {
        if (key_is(&r->meta[i], key)) {
            *val = r->meta[i].val;
            *len = r->meta[i].vlen;
            return 0;
        }
    }
    return EDDY_ERR_NOT_FOUND;
}

const eddy_avro_error *eddy_avro_reader_error(const eddy_avro_reader *r)
{
    return &r->err;
}

uint64_t eddy_avro_reader_offset(const eddy_avro_reader *r)
{
    return file_pos(r);
}

int64_t eddy_avro_reader_block_index(const eddy_avro_reader *r)
{
    return r->block_index;
}

eddy_avro_decoder *eddy_avro_reader_decoder(eddy_avro_reader *r)
{
    return &r->dec;
}

int eddy_avro_reader_next_block(eddy_avro_reader *r, eddy_avro_block *blk)
{
    if (r->err.code) {
        return r->err.code;
    }
    if (r->done) {
        return 0;
    }
    int64_t index = r->block_index + 1;
    uint64_t offset = file_pos(r);
    int rc = fill(r, 2 * EDDY_VARINT64_MAX);
    if (rc) {
        return rfail(r, rc, index, offset, "read error: %s", eddy_err_str(rc));
    }
    size_t a = avail(r);
    if (a == 0) {
        r->done = true;
        return 0;
    }
    eddy_reader hr;
    eddy_reader_init(&hr, r->buf + r->pos, a);
    int64_t count = eddy_reader_varlong(&hr);
    int64_t size = eddy_reader_varlong(&hr);
    if (hr.err) {
        if (r->eof && a < 2 * EDDY_VARINT64_MAX) {
            r->err.truncated = true;
            return rfail(r, EDDY_ERR_CORRUPT, index, offset,
                         "truncated at byte %llu (torn last block: %zu bytes of its header)",
                         (unsigned long long)(offset + a), a);
        }
        return rfail(r, EDDY_ERR_CORRUPT, index, offset, "malformed block header");
    }
    if (count < 0) {
        return rfail(r, EDDY_ERR_CORRUPT, index, offset, "negative datum count %lld",
                     (long long)count);
    }
    if (count > r->opts.max_block_count) {
        return rfail(r, EDDY_ERR_LIMIT, index, offset,
                     "%lld datums in a block (over the limit of %lld)", (long long)count,
                     (long long)r->opts.max_block_count);
    }
    if (size < 0) {
        return rfail(r, EDDY_ERR_CORRUPT, index, offset, "negative block size %lld",
                     (long long)size);
    }
    if ((uint64_t)size > r->opts.max_block_bytes) {
        return rfail(r, EDDY_ERR_LIMIT, index, offset,
                     "block of %lld bytes (over the limit of %zu)", (long long)size,
                     r->opts.max_block_bytes);
    }
    size_t hlen = hr.pos;
    size_t total = hlen + (size_t)size + EDDY_AVRO_SYNC_SIZE;
    rc = fill(r, total);
    if (rc) {
        return rfail(r, rc, index, offset, "read error: %s", eddy_err_str(rc));
    }
    a = avail(r);
    if (a < total) {
        r->err.truncated = true;
        return rfail(r, EDDY_ERR_CORRUPT, index, offset,
                     "truncated at byte %llu (torn last block: %zu of %zu bytes present)",
                     (unsigned long long)(offset + a), a, total);
    }
    const uint8_t *data = r->buf + r->pos + hlen;
    if (memcmp(data + size, r->sync, EDDY_AVRO_SYNC_SIZE) != 0) {
        return rfail(r, EDDY_ERR_CORRUPT, index, offset,
                     "sync marker mismatch at byte %llu (corrupt block, or not a block boundary)",
                     (unsigned long long)(offset + hlen + (uint64_t)size));
    }
    const uint8_t *out = data;
    size_t out_len = (size_t)size;
    if (r->codec != EDDY_AVRO_CODEC_NULL) {
        const char *what = "decompression failed";
        rc = avro_block_decompress(&r->cctx, r->codec, data, (size_t)size,
                                   r->opts.max_block_datum_bytes, &r->dbuf, &what);
        if (rc) {
            return rfail(r, rc, index, offset, "%s (%s)", what, eddy_avro_codec_name(r->codec));
        }
        out = r->dbuf.data ? r->dbuf.data : (const uint8_t *)"";
        out_len = r->dbuf.len;
    } else if (out_len > r->opts.max_block_datum_bytes) {
        return rfail(r, EDDY_ERR_LIMIT, index, offset, "block of %zu bytes (over the limit)",
                     out_len);
    }
    uint32_t m = eddy_avro_schema_root(r->schema)->min_size;
    if ((m && (uint64_t)count > out_len / m) || (count == 0 && out_len > 0)) {
        return rfail(r, EDDY_ERR_CORRUPT, index, offset,
                     "%lld datums cannot fill %zu bytes of data", (long long)count, out_len);
    }
    r->pos += total;
    r->block_index = index;
    r->block_offset = offset;
    blk->index = index;
    blk->offset = offset;
    blk->stored = total;
    blk->count = count;
    blk->data = out;
    blk->len = out_len;
    return 1;
}

int eddy_avro_reader_fail_datum(eddy_avro_reader *r)
{
    const eddy_avro_decoder *d = &r->dec;
    int code = d->err ? d->err : EDDY_ERR_PARSE;
    if (code == EDDY_ERR_PARSE) {
        code = EDDY_ERR_CORRUPT;
    }
    return rfail(r, code, r->block_index, r->block_offset,
                 "datum %lld: %s (at byte %zu of the block's data)", (long long)(r->datum - 1),
                 d->what ? d->what : "malformed datum", d->err ? d->at : r->blk.pos);
}

int eddy_avro_reader_next(eddy_avro_reader *r, eddy_reader **datum)
{
    *datum = NULL;
    if (r->err.code) {
        return r->err.code;
    }
    if (r->in_block) {
        if (r->dec.err || r->blk.err) {
            return eddy_avro_reader_fail_datum(r);
        }
        if (r->datum < r->block_count) {
            eddy_avro_decoder_reset(&r->dec);
            r->datum++;
            *datum = &r->blk;
            return 1;
        }
        size_t left = eddy_reader_remaining(&r->blk);
        if (left) {
            return rfail(r, EDDY_ERR_CORRUPT, r->block_index, r->block_offset,
                         "%lld datums leave %zu bytes of the block's data unread",
                         (long long)r->block_count, left);
        }
        r->in_block = false;
    }
    for (;;) {
        eddy_avro_block b;
        int rc = eddy_avro_reader_next_block(r, &b);
        if (rc <= 0) {
            return rc;
        }
        eddy_reader_init(&r->blk, b.data, b.len);
        r->block_count = b.count;
        r->datum = 0;
        if (b.count == 0) {
            continue;
        }
        r->in_block = true;
        eddy_avro_decoder_reset(&r->dec);
        r->datum = 1;
        *datum = &r->blk;
        return 1;
    }
}

/* The container file writer (see avro.h).
 *
 * Datums are appended straight into the pending block's buffer; when it
 * holds block_bytes the block is compressed (one libdeflate compressor per
 * writer, kept) and written with one writev: [count][size] varints, the
 * data, the sync marker. The header is written at open, so a file closed
 * with zero datums is a valid empty container. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/avro_int.h"
#include "core/error.h"

static const uint8_t avro_magic[4] = {'O', 'b', 'j', 1};

struct eddy_avro_writer {
    int fd; /* borrowed */
    eddy_avro_codec codec;
    size_t block_bytes;
    uint8_t sync[EDDY_AVRO_SYNC_SIZE];
    eddy_buf block;   /* the pending block's datums */
    eddy_buf packed;  /* the compressed block */
    size_t committed; /* bytes of the block's whole datums (end_datum seen) */
    int64_t count;    /* datums in the pending block */
    uint64_t datums;
    uint64_t file_bytes;
    avro_codec_ctx codec_ctx;
    int err; /* first error; sticky */
};

/* Writes every byte of iov[0..n) (consumed in place), looping over partial
 * writes and EINTR. */
static int writev_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n > IOV_MAX ? IOV_MAX : n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return eddy_err_from_errno(errno);
        }
        size_t left = (size_t)w;
        while (n > 0 && left >= iov->iov_len) {
            left -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + left;
            iov->iov_len -= left;
        }
    }
    return 0;
}

void eddy_avro_put_long(eddy_buf *b, int64_t v)
{
    uint8_t *p = eddy_buf_extend(b, EDDY_VARINT64_MAX);
    if (p) {
        b->len -= EDDY_VARINT64_MAX - eddy_avro_long_encode(p, v);
    }
}

void eddy_avro_put_bytes(eddy_buf *b, const void *p, size_t n)
{
    if (n > INT64_MAX) {
        eddy_buf_fail(b, EDDY_ERR_LIMIT);
        return;
    }
    eddy_avro_put_long(b, (int64_t)n);
    eddy_buf_append(b, p, n);
}

void eddy_avro_put_double(eddy_buf *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    uint8_t *p = eddy_buf_extend(b, 8);
    if (p) {
        for (int i = 0; i < 8; i++) {
            p[i] = (uint8_t)(u >> (8 * i));
        }
    }
}

static int fail(eddy_avro_writer *w, int err)
{
    if (!w->err) {
        w->err = err;
    }
    return err;
}

int eddy_avro_writer_open(eddy_avro_writer **out, int fd, const char *schema_json,
                          const eddy_avro_writer_opts *opts)
{
    *out = NULL;
    eddy_avro_writer_opts o = opts ? *opts : (eddy_avro_writer_opts){0};
    if (fd < 0 || !schema_json || (int)o.codec < 0 || o.codec > EDDY_AVRO_CODEC_SNAPPY ||
        o.level < 0 || o.level > 12) {
        return EDDY_ERR_INVALID_ARG;
    }
    size_t schema_len = strlen(schema_json);
    eddy_avro_schema *schema;
    char err[8];
    int rc = eddy_avro_schema_parse(schema_json, schema_len, &schema, err, sizeof err);
    if (rc) {
        return rc == EDDY_ERR_NOMEM ? rc : EDDY_ERR_INVALID_ARG;
    }
    eddy_avro_schema_free(schema);

    eddy_avro_writer *w = calloc(1, sizeof *w);
    if (!w) {
        return EDDY_ERR_NOMEM;
    }
    w->fd = fd;
    w->codec = o.codec;
    w->block_bytes = o.block_bytes ? o.block_bytes : EDDY_AVRO_DEFAULT_BLOCK_BYTES;
    w->codec_ctx.level = o.level ? o.level : EDDY_AVRO_DEFAULT_LEVEL;
    eddy_buf_init(&w->block, 0);
    eddy_buf_init(&w->packed, 0);
    if (getrandom(w->sync, sizeof w->sync, 0) != (ssize_t)sizeof w->sync) {
        rc = EDDY_ERR_IO;
        goto fail;
    }

    /* Header: magic, metadata map {avro.schema, avro.codec}, sync. */
    eddy_buf *h = &w->packed;
    const char *codec = eddy_avro_codec_name(w->codec);
    eddy_buf_append(h, avro_magic, sizeof avro_magic);
    eddy_avro_put_long(h, 2);
    eddy_avro_put_bytes(h, "avro.schema", 11);
    eddy_avro_put_bytes(h, schema_json, schema_len);
    eddy_avro_put_bytes(h, "avro.codec", 10);
    eddy_avro_put_bytes(h, codec, strlen(codec));
    eddy_avro_put_long(h, 0);
    eddy_buf_append(h, w->sync, sizeof w->sync);
    if (h->err) {
        rc = h->err;
        goto fail;
    }
    struct iovec iov = {.iov_base = h->data, .iov_len = h->len};
    rc = writev_all(fd, &iov, 1);
    if (rc) {
        goto fail;
    }
    w->file_bytes = h->len;
    eddy_buf_reset(h);
    *out = w;
    return 0;

fail:
    eddy_buf_deinit(&w->block);
    eddy_buf_deinit(&w->packed);
    free(w);
    return rc;
}

eddy_buf *eddy_avro_writer_datum(eddy_avro_writer *w)
{
    return &w->block;
}

static int write_block(eddy_avro_writer *w)
{
    if (w->count == 0) {
        return 0;
    }
    const uint8_t *data = w->block.data;
    size_t len = w->committed;
    if (w->codec != EDDY_AVRO_CODEC_NULL) {
        eddy_buf_reset(&w->packed);
        int rc =
            avro_block_compress(&w->codec_ctx, w->codec, w->block.data, w->committed, &w->packed);
        if (rc) {
            return fail(w, rc);
        }
        data = w->packed.data;
        len = w->packed.len;
    }
    uint8_t head[2 * EDDY_VARINT64_MAX];
    size_t hn = eddy_avro_long_encode(head, w->count);
    hn += eddy_avro_long_encode(head + hn, (int64_t)len);
    struct iovec iov[3] = {
        {.iov_base = head, .iov_len = hn},
        {.iov_base = (void *)data, .iov_len = len},
        {.iov_base = w->sync, .iov_len = sizeof w->sync},
    };
    int rc = writev_all(w->fd, iov, 3);
    if (rc) {
        return fail(w, rc);
    }
    w->file_bytes += hn + len + sizeof w->sync;
    /* Bytes of a datum begun but not ended stay for the next block. */
    size_t tail = w->block.len - w->committed;
    if (tail) {
        memmove(w->block.data, w->block.data + w->committed, tail);
    }
    w->block.len = tail;
    w->committed = 0;
    w->count = 0;
    return 0;
}

int eddy_avro_writer_end_datum(eddy_avro_writer *w)
{
    if (w->err) {
        return EDDY_ERR_FAILED;
    }
    if (w->block.err) {
        return fail(w, w->block.err);
    }
    w->committed = w->block.len;
    w->count++;
    w->datums++;
    if (w->committed >= w->block_bytes) {
        return write_block(w);
    }
    return 0;
}

int eddy_avro_writer_flush(eddy_avro_writer *w)
{
    if (w->err) {
        return EDDY_ERR_FAILED;
    }
    return write_block(w);
}

uint64_t eddy_avro_writer_file_bytes(const eddy_avro_writer *w)
{
    return w->file_bytes;
}

uint64_t eddy_avro_writer_pending_bytes(const eddy_avro_writer *w)
{
    return w->committed;
}

uint64_t eddy_avro_writer_datums(const eddy_avro_writer *w)
{
    return w->datums;
}

int eddy_avro_writer_close(eddy_avro_writer *w)
{
    if (!w) {
        return 0;
    }
    int rc = eddy_avro_writer_flush(w);
    eddy_buf_deinit(&w->block);
    eddy_buf_deinit(&w->packed);
    avro_codec_ctx_deinit(&w->codec_ctx);
    free(w);
    return rc;
}

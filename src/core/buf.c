/* Growable byte buffers (see buf.h). */
#include "core/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

void eddy_buf_init(eddy_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : SIZE_MAX;
    b->err = 0;
}

void eddy_buf_deinit(eddy_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->err = 0;
}

void eddy_buf_reset(eddy_buf *b)
{
    b->len = 0;
    b->err = 0;
}

int eddy_buf_reserve(eddy_buf *b, size_t extra)
{
    if (b->err) {
        return b->err;
    }
    if (extra > b->max || b->len > b->max - extra) {
        b->err = EDDY_ERR_LIMIT;
        return b->err;
    }
    size_t need = b->len + extra;
    if (need <= b->cap) {
        return 0;
    }
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need) {
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    }
    if (ncap > b->max) {
        ncap = b->max;
    }
    uint8_t *nd = realloc(b->data, ncap);
    if (!nd) {
        b->err = EDDY_ERR_NOMEM;
        return b->err;
    }
    b->data = nd;
    b->cap = ncap;
    return 0;
}

uint8_t *eddy_buf_extend(eddy_buf *b, size_t n)
{
    if (b->err) {
        return NULL;
    }
    /* A zero-length write still allocates, so the result is never NULL on
     * success (NULL means error). */
    if ((b->cap - b->len < n || !b->data) && eddy_buf_reserve(b, n ? n : 1)) {
        return NULL;
    }
    uint8_t *p = b->data + b->len;
    b->len += n;
    return p;
}

int eddy_buf_append(eddy_buf *b, const void *p, size_t n)
{
    uint8_t *d = eddy_buf_extend(b, n);
    if (d && n) {
        memcpy(d, p, n);
    }
    return b->err;
}

uint8_t *eddy_buf_take(eddy_buf *b, size_t *len)
{
    uint8_t *d = b->data;
    *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return d;
}

int eddy_buf_put_uvarint(eddy_buf *b, uint64_t v)
{
    uint8_t tmp[EDDY_VARINT64_MAX];
    size_t n = eddy_uvarint_encode(tmp, v);
    return eddy_buf_append(b, tmp, n);
}

/* The latency histogram (see hist.h).
 *
 * Bucket index for v: below 128 the value itself; above, with e the index
 * of v's top bit and h = e - 6, the top 7 bits of v (64..127) plus h * 64.
 * Bucket ranges are contiguous and widen by a factor of two every 64. */
#include "client/hist.h"

#include <string.h>

void eddy_hist_init(eddy_hist *h)
{
    memset(h, 0, sizeof *h);
}

static int index_of(uint64_t v)
{
    if (v < 2 * EDDY_HIST_SUB) {
        return (int)v;
    }
    int e = 63 - __builtin_clzll(v);
    int shift = e - 6;
    return shift * EDDY_HIST_SUB + (int)(v >> shift);
}

/* The largest value that falls in bucket i. */
static uint64_t upper_of(int i)
{
    if (i < 2 * EDDY_HIST_SUB) {
        return (uint64_t)i;
    }
    int shift = i / EDDY_HIST_SUB - 1;
    uint64_t top = (uint64_t)(i - shift * EDDY_HIST_SUB);
    return ((top + 1) << shift) - 1;
}

void eddy_hist_record(eddy_hist *h, int64_t v)
{
    if (v < 0) {
        v = 0;
    }
    if (h->count == 0 || v < h->min) {
        h->min = v;
    }
    if (v > h->max) {
        h->max = v;
    }
    h->count++;
    h->sum += (double)v;
    int i = index_of((uint64_t)v);
    h->buckets[i < EDDY_HIST_BUCKETS ? i : EDDY_HIST_BUCKETS - 1]++;
}

int64_t eddy_hist_percentile(const eddy_hist *h, double p)
{
    if (h->count == 0) {
        return 0;
    }
    if (p < 0) {
        p = 0;
    }
    if (p > 100) {
        p = 100;
    }
    /* The rank of the value: at least 1, at most count. */
    uint64_t rank = (uint64_t)(p / 100.0 * (double)h->count + 0.5);
    if (rank < 1) {
        rank = 1;
    }
    if (rank > h->count) {
        rank = h->count;
    }
    uint64_t seen = 0;
    for (int i = 0; i < EDDY_HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t up = upper_of(i);
            return up > (uint64_t)h->max ? h->max : (int64_t)up;
        }
    }
    return h->max;
}

void eddy_hist_merge(eddy_hist *dst, const eddy_hist *src)
{
    if (src->count == 0) {
        return;
    }
    if (dst->count == 0 || src->min < dst->min) {
        dst->min = src->min;
    }
    if (src->max > dst->max) {
        dst->max = src->max;
    }
    dst->count += src->count;
    dst->sum += src->sum;
    for (int i = 0; i < EDDY_HIST_BUCKETS; i++) {
        dst->buckets[i] += src->buckets[i];
    }
}

/* A latency histogram in the spirit of HdrHistogram: log-linear buckets,
 * 64 per power of two above 128, so any recorded value is reported within
 * 1/64 (1.6%) of itself, from 1 ns to 2^62 ns in 32 KiB with no allocation.
 * Used for delivery latency in `eddy produce` and end-to-end latency in
 * `eddy consume --stats`. Not thread-safe: record from one thread, or merge
 * per-thread histograms. */
#ifndef EDDY_CLIENT_HIST_H
#define EDDY_CLIENT_HIST_H

#include <stdint.h>

#define EDDY_HIST_SUB     64
#define EDDY_HIST_BUCKETS (EDDY_HIST_SUB * 64)

typedef struct eddy_hist {
    uint64_t count;
    int64_t min;
    int64_t max;
    double sum;
    uint64_t buckets[EDDY_HIST_BUCKETS];
} eddy_hist;

void eddy_hist_init(eddy_hist *h);

/* Records one value (negative values count as 0). */
void eddy_hist_record(eddy_hist *h, int64_t v);

/* The value at percentile p (0..100): the upper end of the bucket holding
 * it, but never above the largest value recorded. 0 when empty. */
int64_t eddy_hist_percentile(const eddy_hist *h, double p);

void eddy_hist_merge(eddy_hist *dst, const eddy_hist *src);

#endif

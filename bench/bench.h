/* Helpers for benchmarks: a timer that repeats work until a minimum time
 * has passed, and the row format bench/run.sh gathers into one table.
 * Every row compares eddy with a peer measured in the same run:
 *   | benchmark | eddy | peer | peer result | eddy / peer |
 * (bench_row_lower rows, where lower is better, print peer / eddy instead). */
#ifndef EDDY_BENCH_H
#define EDDY_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Prints one table row; higher is better for both values. */
static inline void bench_row(const char *name, double eddy, const char *peer, double peer_value,
                             const char *unit)
{
    printf("| %s | %.2f %s | %s | %.2f %s | %.2f |\n", name, eddy, unit, peer, peer_value, unit,
           peer_value > 0 ? eddy / peer_value : 0.0);
    fflush(stdout);
}

/* Prints one row where lower is better for both values (CPU per event,
 * latency). The last column is then peer / eddy, so that above 1 still
 * means eddy is better; the row name should say so. */
static inline void bench_row_lower(const char *name, double eddy, const char *peer,
                                   double peer_value, const char *unit)
{
    printf("| %s | %.3f %s | %s | %.3f %s | %.2f |\n", name, eddy, unit, peer, peer_value, unit,
           eddy > 0 ? peer_value / eddy : 0.0);
    fflush(stdout);
}

/* Keeps the optimiser from dropping a computed value. */
static volatile uint64_t bench_sink_value;

static inline void bench_sink(uint64_t v)
{
    bench_sink_value = bench_sink_value ^ v;
}

#endif

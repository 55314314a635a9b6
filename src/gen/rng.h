/* The generators' pseudo-random numbers: splitmix64, small and fast, and
 * identical on every platform, so a seed gives the same events everywhere.
 * Internal to the gen module. */
#ifndef EDDY_GEN_RNG_H
#define EDDY_GEN_RNG_H

#include <stdint.h>

typedef struct eddy_rng {
    uint64_t s;
} eddy_rng;

static inline uint64_t eddy_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void eddy_rng_seed(eddy_rng *r, uint64_t seed)
{
    r->s = eddy_mix64(seed ^ 0x9e3779b97f4a7c15ull);
}

static inline uint64_t eddy_rng_u64(eddy_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ull;
    return eddy_mix64(r->s);
}

/* Uniform in [0, 1). */
static inline double eddy_rng_unit(eddy_rng *r)
{
    return (double)(eddy_rng_u64(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [0, n) for n >= 1 (multiply-shift; the bias is below 2^-32). */
static inline uint64_t eddy_rng_below(eddy_rng *r, uint64_t n)
{
    if (n <= UINT32_MAX) {
        return ((eddy_rng_u64(r) >> 32) * n) >> 32;
    }
    return eddy_rng_u64(r) % n;
}

#endif

/* Big-endian loads and stores on unaligned memory.
 *
 * Kafka's wire format and eddy's on-disk formats are big-endian; these inline
 * helpers compile to a single load/store plus bswap on x86-64. */
#ifndef EDDY_CORE_ENDIAN_H
#define EDDY_CORE_ENDIAN_H

#include <stdint.h>
#include <string.h>

static inline uint16_t eddy_load_be16(const void *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return __builtin_bswap16(v);
}

static inline uint32_t eddy_load_be32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return __builtin_bswap32(v);
}

static inline uint64_t eddy_load_be64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return __builtin_bswap64(v);
}

static inline void eddy_store_be16(void *p, uint16_t v)
{
    v = __builtin_bswap16(v);
    memcpy(p, &v, sizeof v);
}

static inline void eddy_store_be32(void *p, uint32_t v)
{
    v = __builtin_bswap32(v);
    memcpy(p, &v, sizeof v);
}

static inline void eddy_store_be64(void *p, uint64_t v)
{
    v = __builtin_bswap64(v);
    memcpy(p, &v, sizeof v);
}

#endif

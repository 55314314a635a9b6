/* A hash map from byte-string keys to pointers.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones), load factor at most 3/4. Keys are copied into the map; values
 * are borrowed pointers the map never frees. Not thread-safe. */
#ifndef EDDY_CORE_MAP_H
#define EDDY_CORE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct eddy_map_slot {
    uint64_t hash; /* 0 = empty (real hashes are forced non-zero) */
    char *key;     /* owned, NUL-terminated copy */
    size_t klen;
    void *value;
} eddy_map_slot;

typedef struct eddy_map {
    eddy_map_slot *slots;
    size_t cap; /* power of two, or 0 before the first put */
    size_t count;
} eddy_map;

/* A fast 64-bit hash of n bytes (not cryptographic). */
uint64_t eddy_hash_bytes(const void *p, size_t n, uint64_t seed);

void eddy_map_init(eddy_map *m);

/* Frees the slots and the key copies (not the values). */
void eddy_map_deinit(eddy_map *m);

/* Returns the value for key, or NULL. */
void *eddy_map_get(const eddy_map *m, const void *key, size_t klen);

/* Returns true when key is present (also for a NULL value). */
bool eddy_map_has(const eddy_map *m, const void *key, size_t klen);

/* Inserts or replaces. *old (if old != NULL) receives the replaced value or
 * NULL. Returns 0 or EDDY_ERR_NOMEM (then the map is unchanged). */
int eddy_map_put(eddy_map *m, const void *key, size_t klen, void *value, void **old);

/* Removes key; returns its value, or NULL when absent. */
void *eddy_map_del(eddy_map *m, const void *key, size_t klen);

/* Iterates: start with *it = 0; returns false at the end. The map must not be
 * changed while iterating (collect keys first to delete several). */
bool eddy_map_next(const eddy_map *m, size_t *it, const char **key, size_t *klen, void **value);

/* Convenience for NUL-terminated keys. */
static inline void *eddy_map_gets(const eddy_map *m, const char *key)
{
    size_t n = 0;
    while (key[n]) {
        n++;
    }
    return eddy_map_get(m, key, n);
}

#endif

/* Hash map (see map.h). */
#include "core/map.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static inline uint64_t mix(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t eddy_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *s = p;
    const uint64_t k0 = 0x9e3779b97f4a7c15ull, k1 = 0xbf58476d1ce4e5b9ull;
    uint64_t h = seed ^ mix(n ^ k0, k1);
    while (n >= 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + 8, 8);
        h = mix(a ^ k0 ^ h, b ^ k1);
        s += 16;
        n -= 16;
    }
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4);
        memcpy(&y, s + n - 4, 4);
        a = x;
        b = y;
    } else if (n > 0) {
        a = ((uint64_t)s[0] << 16) | ((uint64_t)s[n / 2] << 8) | s[n - 1];
    }
    return mix(a ^ k1 ^ h, b ^ k0 ^ n);
}

static inline uint64_t key_hash(const void *key, size_t klen)
{
    uint64_t h = eddy_hash_bytes(key, klen, 0);
    return h ? h : 1;
}

void eddy_map_init(eddy_map *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
}

void eddy_map_deinit(eddy_map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].hash) {
            free(m->slots[i].key);
        }
    }
    free(m->slots);
    eddy_map_init(m);
}

static size_t find(const eddy_map *m, const void *key, size_t klen, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const eddy_map_slot *s = &m->slots[i];
        if (!s->hash) {
            return SIZE_MAX;
        }
        if (s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0) {
            return i;
        }
    }
}

void *eddy_map_get(const eddy_map *m, const void *key, size_t klen)
{
    if (!m->count) {
        return NULL;
    }
    size_t i = find(m, key, klen, key_hash(key, klen));
    return i == SIZE_MAX ? NULL : m->slots[i].value;
}

bool eddy_map_has(const eddy_map *m, const void *key, size_t klen)
{
    return m->count && find(m, key, klen, key_hash(key, klen)) != SIZE_MAX;
}

static void place(eddy_map_slot *slots, size_t cap, eddy_map_slot s)
{
    size_t mask = cap - 1;
    size_t i = s.hash & mask;
    while (slots[i].hash) {
        i = (i + 1) & mask;
    }
    slots[i] = s;
}

static int grow(eddy_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    eddy_map_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns) {
        return EDDY_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].hash) {
            place(ns, ncap, m->slots[i]);
        }
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

int eddy_map_put(eddy_map *m, const void *key, size_t klen, void *value, void **old)
{
    uint64_t h = key_hash(key, klen);
    if (old) {
        *old = NULL;
    }
    if (m->count) {
        size_t i = find(m, key, klen, h);
        if (i != SIZE_MAX) {
            if (old) {
                *old = m->slots[i].value;
            }
            m->slots[i].value = value;
            return 0;
        }
    }
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m)) {
        return EDDY_ERR_NOMEM;
    }
    char *k = malloc(klen + 1);
    if (!k) {
        return EDDY_ERR_NOMEM;
    }
    if (klen) {
        memcpy(k, key, klen);
    }
    k[klen] = '\0';
    place(m->slots, m->cap, (eddy_map_slot){.hash = h, .key = k, .klen = klen, .value = value});
    m->count++;
    return 0;
}

void *eddy_map_del(eddy_map *m, const void *key, size_t klen)
{
    if (!m->count) {
        return NULL;
    }
    size_t i = find(m, key, klen, key_hash(key, klen));
    if (i == SIZE_MAX) {
        return NULL;
    }
    void *value = m->slots[i].value;
    free(m->slots[i].key);
    m->count--;
    /* Backward-shift: pull later entries of the probe run into the hole when
     * their home slot is at or before it (cyclically). */
    size_t mask = m->cap - 1;
    size_t hole = i;
    for (size_t j = (i + 1) & mask; m->slots[j].hash; j = (j + 1) & mask) {
        size_t home = m->slots[j].hash & mask;
        /* Entry j may move to hole if hole lies cyclically in [home, j). */
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    memset(&m->slots[hole], 0, sizeof m->slots[hole]);
    return value;
}

bool eddy_map_next(const eddy_map *m, size_t *it, const char **key, size_t *klen, void **value)
{
    for (size_t i = *it; i < m->cap; i++) {
        if (m->slots[i].hash) {
            *it = i + 1;
            if (key) {
                *key = m->slots[i].key;
            }
            if (klen) {
                *klen = m->slots[i].klen;
            }
            if (value) {
                *value = m->slots[i].value;
            }
            return true;
        }
    }
    *it = m->cap;
    return false;
}

/* Helpers shared by the record tests: loading fixture files, the manifest's
 * key=value lines (written by tools/gen_record_fixtures.py), and rewriting a
 * batch's header fields with a fresh CRC so a mutation gets past the CRC
 * check to the rule under test. */
#ifndef EDDY_TEST_RECORD_UTIL_H
#define EDDY_TEST_RECORD_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crc.h"
#include "core/endian.h"
#include "record/batch.h"

#ifndef EDDY_RECORD_DATA
#define EDDY_RECORD_DATA "tests/unit/data/record"
#endif

/* Reads a whole file; returns owned memory (free with free()) or NULL. */
static inline uint8_t *trec_load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
    if (p && n > 0 && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = n > 0 ? (size_t)n : 0;
    return p;
}

/* Loads a fixture by name from the data folder. */
static inline uint8_t *trec_fixture(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", EDDY_RECORD_DATA, name);
    return trec_load(path, len);
}

/* Finds "key=" in a manifest line; returns the value (up to the next space
 * or end) copied into out, or NULL. */
static inline const char *trec_field(const char *line, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    const char *p = line;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == line || p[-1] == ' ') && p[klen] == '=') {
            p += klen + 1;
            size_t n = strcspn(p, " \n");
            if (n >= cap) {
                return NULL;
            }
            memcpy(out, p, n);
            out[n] = 0;
            return out;
        }
        p += klen;
    }
    return NULL;
}

static inline long long trec_int(const char *line, const char *key)
{
    char v[64];
    return trec_field(line, key, v, sizeof v) ? strtoll(v, NULL, 10) : -999999;
}

/* An expected bytes value: "-" null, "#LEN:CRC" a digest, else hex. */
typedef struct trec_bytes {
    bool null;
    bool digest;
    size_t len;
    uint32_t crc;
    uint8_t *data; /* owned when !null && !digest */
} trec_bytes;

static inline int trec_hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* Parses field key of line into b; returns false if absent or malformed. */
static inline bool trec_bytes_field(const char *line, const char *key, trec_bytes *b)
{
    memset(b, 0, sizeof *b);
    size_t cap = strlen(line) + 1;
    char *v = malloc(cap);
    if (!v || !trec_field(line, key, v, cap)) {
        free(v);
        return false;
    }
    bool ok = true;
    if (strcmp(v, "-") == 0) {
        b->null = true;
    } else if (v[0] == '#') {
        b->digest = true;
        char *colon = strchr(v, ':');
        ok = colon != NULL;
        if (ok) {
            b->len = strtoull(v + 1, NULL, 10);
            b->crc = (uint32_t)strtoul(colon + 1, NULL, 16);
        }
    } else {
        size_t n = strlen(v);
        b->len = n / 2;
        b->data = malloc(b->len ? b->len : 1);
        for (size_t i = 0; ok && i < b->len; i++) {
            int hi = trec_hexval(v[2 * i]), lo = trec_hexval(v[2 * i + 1]);
            ok = hi >= 0 && lo >= 0;
            b->data[i] = (uint8_t)(hi << 4 | lo);
        }
        ok = ok && n % 2 == 0;
    }
    free(v);
    return ok;
}

static inline void trec_bytes_free(trec_bytes *b)
{
    free(b->data);
    b->data = NULL;
}

/* True when actual bytes (ptr, len; len -1 = null) match the expectation. */
static inline bool trec_bytes_match(const trec_bytes *b, const uint8_t *ptr, int32_t len)
{
    if (b->null || len < 0) {
        return b->null && len < 0;
    }
    if ((size_t)len != b->len) {
        return false;
    }
    if (b->digest) {
        return eddy_crc32c(0, ptr, (size_t)len) == b->crc;
    }
    return len == 0 || memcmp(ptr, b->data, (size_t)len) == 0;
}

/* Recomputes the CRC of a whole batch after a mutation. */
static inline void trec_recrc(uint8_t *batch, size_t total)
{
    eddy_store_be32(batch + EDDY_BATCH_OFF_CRC, eddy_batch_compute_crc(batch, total));
}

/* Returns an owned copy (free with free()). */
static inline uint8_t *trec_dup(const uint8_t *p, size_t len, size_t extra)
{
    uint8_t *d = malloc(len + extra + 1);
    memcpy(d, p, len);
    memset(d + len, 0, extra);
    return d;
}

#endif

/* Helpers shared by the avro unit tests: a deterministic set of EventData
 * events of every shape (null and binary keys and bodies, headers with null
 * values and non-UTF-8 keys), writing them to a file with eddy's writer,
 * and reading a file into memory. */
#ifndef EDDY_TEST_AVRO_UTIL_H
#define EDDY_TEST_AVRO_UTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"

#define TEST_MAX_PROPS 4

/* One test event with its own storage. */
typedef struct test_event {
    eddy_avro_event ev;
    eddy_avro_kv kv[TEST_MAX_PROPS];
    char key[32];
    uint8_t body[600];
    char hk[TEST_MAX_PROPS][16];
    char hv[TEST_MAX_PROPS][16];
} test_event;

/* Event i of the deterministic set: offsets from base, times from t0 at 7
 * ms steps, a ~200-byte JSON body; every 5th has no key, every 7th a
 * binary key, every 11th a null body, every 13th a binary body, i % 4
 * headers (a null value on every 3rd header). */
static inline void test_event_make(test_event *t, int64_t base, int64_t t0, int i)
{
    memset(t, 0, sizeof *t);
    eddy_avro_event *ev = &t->ev;
    ev->sequence_number = base + i;
    ev->enqueued_ms = t0 + 7 * (int64_t)i;
    if (i % 5 == 0) {
        ev->key_len = -1;
    } else if (i % 7 == 0) {
        t->key[0] = (char)0xff;
        t->key[1] = (char)0xfe;
        t->key[2] = 'k';
        ev->key = (const uint8_t *)t->key;
        ev->key_len = 3;
    } else {
        ev->key_len = snprintf(t->key, sizeof t->key, "device-%04d", i % 100);
        ev->key = (const uint8_t *)t->key;
    }
    if (i % 11 == 0) {
        ev->body_len = -1;
    } else if (i % 13 == 0) {
        for (int k = 0; k < 64; k++) {
            t->body[k] = (uint8_t)(k * 37 + i);
        }
        ev->body = t->body;
        ev->body_len = 64;
    } else {
        ev->body_len =
            snprintf((char *)t->body, sizeof t->body,
                     "{\"deviceId\":\"device-%04d\",\"seq\":%d,\"ts\":\"2026-11-24T20:00:"
                     "%02d.%03dZ\",\"temperature\":%d.%d,\"humidity\":%d,\"status\":"
                     "\"ok\",\"site\":\"plant-%d\",\"firmware\":\"1.4.%d\",\"tags\":["
                     "\"a\",\"b\",\"c\"],\"pad\":\"%.*s\"}",
                     i % 100, i, i % 60, i % 1000, 20 + i % 10, i % 10, 40 + i % 50, i % 7, i % 20,
                     40, "........................................");
        ev->body = t->body;
    }
    int nh = i % 4;
    for (int h = 0; h < nh; h++) {
        size_t kl;
        if (h == 2 && i % 8 == 3) {
            /* A key that is not UTF-8 (written with U+FFFD). */
            t->hk[h][0] = 'b';
            t->hk[h][1] = (char)0xc3;
            kl = 2;
        } else {
            kl = (size_t)snprintf(t->hk[h], sizeof t->hk[h], "hdr-%d", h);
        }
        t->kv[h].key = (const uint8_t *)t->hk[h];
        t->kv[h].key_len = kl;
        if (h % 3 == 1) {
            t->kv[h].value_len = -1;
        } else {
            t->kv[h].value_len = snprintf(t->hv[h], sizeof t->hv[h], "v%d-%d", h, i);
            t->kv[h].value = (const uint8_t *)t->hv[h];
        }
    }
    ev->props = t->kv;
    ev->nprops = (size_t)nh;
}

/* Writes events [0, n) to a new file at path with eddy's writer. Returns 0
 * or an eddy error. */
static inline int test_write_events(const char *path, eddy_avro_codec codec, size_t block_bytes,
                                    int64_t base, int64_t t0, int n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        return -1;
    }
    eddy_avro_writer *w;
    eddy_avro_writer_opts o = {.codec = codec, .block_bytes = block_bytes};
    int rc = eddy_avro_writer_open(&w, fd, EDDY_AVRO_EVENTDATA_SCHEMA, &o);
    if (rc) {
        close(fd);
        return rc;
    }
    test_event t;
    for (int i = 0; i < n && !rc; i++) {
        test_event_make(&t, base, t0, i);
        eddy_avro_eventdata_encode(eddy_avro_writer_datum(w), &t.ev);
        rc = eddy_avro_writer_end_datum(w);
    }
    int rc2 = eddy_avro_writer_close(w);
    close(fd);
    return rc ? rc : rc2;
}

/* Reads a whole file; returns owned bytes (free()) and *len (0 when it
 * cannot be opened), or NULL. */
static inline uint8_t *test_read_file(const char *path, size_t *len)
{
    *len = 0;
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

/* A temp path under $TMPDIR, unique per process and tag. */
static inline const char *test_tmp_path(char *buf, size_t n, const char *tag)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, n, "%s/eddy-avro-test-%d-%s.avro", dir && *dir ? dir : "/tmp", (int)getpid(),
             tag);
    return buf;
}

#endif

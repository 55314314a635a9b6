/* Avro benchmark: EventData files of ~200-byte JSON bodies (a key, one
 * header), the capture path. Writing: eddy's encoder and writer against
 * avro-c's generic-value writer (avro_value_set_* per field, then
 * avro_file_writer_append_value), both to /dev/null with 256 KiB blocks, per
 * codec; rows give events per second and the bytes per event each wrote
 * (avro-c's deflate is zlib at its own default level, eddy's libdeflate at
 * level 1). Reading: eddy's reader with the EventData fast path against
 * avro-c's avro_file_reader_read_value plus fetching every field, over the
 * same file (written by eddy). Best of several rounds. A quick measurement;
 * bench/run.sh does not run it yet. */
#include <avro.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"
#include "bench.h"

#define N      200000
#define ROUNDS 3

typedef struct ev_src {
    char key[16];
    char body[256];
    int key_len, body_len;
    char hv[16];
} ev_src;

static ev_src *make_events(void)
{
    ev_src *v = calloc(N, sizeof *v);
    for (int i = 0; i < N; i++) {
        v[i].key_len = snprintf(v[i].key, sizeof v[i].key, "device-%04d", i % 1000);
        v[i].body_len = snprintf(
            v[i].body, sizeof v[i].body,
            "{\"deviceId\":\"device-%04d\",\"ts\":\"2026-11-24T20:00:%02d.%03dZ\",\"temperature\":"
            "%d.%d,\"humidity\":%d,\"pressure\":%d.%02d,\"status\":\"ok\",\"site\":\"plant-%d\","
            "\"firmware\":\"1.4.%d\",\"battery\":%d,\"seq\":%d,\"tags\":[\"a\",\"b\"]}",
            i % 1000, i % 60, i % 1000, 15 + i % 20, i % 10, 30 + i % 50, 1000 + i % 30, i % 100,
            i % 7, i % 20, 50 + i % 50, i);
        snprintf(v[i].hv, sizeof v[i].hv, "gen-%d", i % 3);
    }
    return v;
}

static double eddy_write(const ev_src *v, eddy_avro_codec codec, int level, const char *path,
                         double *bytes)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    eddy_avro_writer *w;
    eddy_avro_writer_opts o = {.codec = codec, .level = level};
    double t0 = bench_now();
    if (eddy_avro_writer_open(&w, fd, EDDY_AVRO_EVENTDATA_SCHEMA, &o)) {
        abort();
    }
    for (int i = 0; i < N; i++) {
        eddy_avro_kv kv = {.key = (const uint8_t *)"source",
                           .key_len = 6,
                           .value = (const uint8_t *)v[i].hv,
                           .value_len = (int32_t)strlen(v[i].hv)};
        eddy_avro_event ev = {.sequence_number = 1000000 + i,
                              .enqueued_ms = 1795550400123LL + i / 10,
                              .key = (const uint8_t *)v[i].key,
                              .key_len = v[i].key_len,
                              .body = (const uint8_t *)v[i].body,
                              .body_len = v[i].body_len,
                              .props = &kv,
                              .nprops = 1};
        eddy_avro_eventdata_encode(eddy_avro_writer_datum(w), &ev);
        if (eddy_avro_writer_end_datum(w)) {
            abort();
        }
    }
    if (eddy_avro_writer_flush(w)) {
        abort();
    }
    *bytes = (double)eddy_avro_writer_file_bytes(w);
    eddy_avro_writer_close(w);
    double t = bench_now() - t0;
    close(fd);
    return N / t;
}

static double avroc_write(const ev_src *v, const char *codec, const char *path, double *bytes)
{
    avro_schema_t schema;
    if (avro_schema_from_json_length(EDDY_AVRO_EVENTDATA_SCHEMA, strlen(EDDY_AVRO_EVENTDATA_SCHEMA),
                                     &schema)) {
        abort();
    }
    unlink(path);
    avro_file_writer_t w;
    double t0 = bench_now();
    if (avro_file_writer_create_with_codec(path, schema, &w, codec, 256 * 1024)) {
        abort();
    }
    avro_value_iface_t *iface = avro_generic_class_from_schema(schema);
    avro_value_t val, f, e, br;
    avro_generic_value_new(iface, &val);
    for (int i = 0; i < N; i++) {
        char off[24], when[EDDY_AVRO_TIME_LEN + 1];
        int64_t seq = 1000000 + i, ms = 1795550400123LL + i / 10;
        snprintf(off, sizeof off, "%lld", (long long)seq);
        eddy_avro_format_time(ms, when);
        when[EDDY_AVRO_TIME_LEN] = '\0';
        avro_value_reset(&val);
        avro_value_get_by_index(&val, 0, &f, NULL);
        avro_value_set_long(&f, seq);
        avro_value_get_by_index(&val, 1, &f, NULL);
        avro_value_set_string(&f, off);
        avro_value_get_by_index(&val, 2, &f, NULL);
        avro_value_set_string(&f, when);
        avro_value_get_by_index(&val, 3, &f, NULL);
        avro_value_add(&f, "x-opt-sequence-number", &e, NULL, NULL);
        avro_value_set_branch(&e, 0, &br);
        avro_value_set_long(&br, seq);
        avro_value_add(&f, "x-opt-offset", &e, NULL, NULL);
        avro_value_set_branch(&e, 2, &br);
        avro_value_set_string(&br, off);
        avro_value_add(&f, "x-opt-enqueued-time", &e, NULL, NULL);
        avro_value_set_branch(&e, 0, &br);
        avro_value_set_long(&br, ms);
        avro_value_add(&f, "x-opt-partition-key", &e, NULL, NULL);
        avro_value_set_branch(&e, 2, &br);
        avro_value_set_string_len(&br, v[i].key, (size_t)v[i].key_len + 1);
        avro_value_get_by_index(&val, 4, &f, NULL);
        avro_value_add(&f, "source", &e, NULL, NULL);
        avro_value_set_branch(&e, 3, &br);
        avro_value_set_bytes(&br, (void *)v[i].hv, strlen(v[i].hv));
        avro_value_get_by_index(&val, 5, &f, NULL);
        avro_value_set_branch(&f, 1, &br);
        avro_value_set_bytes(&br, (void *)v[i].body, (size_t)v[i].body_len);
        if (avro_file_writer_append_value(w, &val)) {
            abort();
        }
    }
    avro_file_writer_flush(w);
    avro_file_writer_close(w);
    double t = bench_now() - t0;
    avro_value_decref(&val);
    avro_value_iface_decref(iface);
    avro_schema_decref(schema);
    int fd = open(path, O_RDONLY);
    *bytes = (double)lseek(fd, 0, SEEK_END);
    close(fd);
    return N / t;
}

static double eddy_read(const char *path)
{
    int fd = open(path, O_RDONLY);
    eddy_avro_reader *r;
    double t0 = bench_now();
    if (eddy_avro_reader_open_fd(&r, fd, NULL, NULL)) {
        abort();
    }
    eddy_reader *dr;
    uint64_t sum = 0, n = 0;
    while (eddy_avro_reader_next(r, &dr) == 1) {
        eddy_avro_eventdata ev;
        if (eddy_avro_eventdata_decode(eddy_avro_reader_decoder(r), dr, &ev)) {
            abort();
        }
        sum += (uint64_t)ev.sequence_number + (uint64_t)ev.body_len + ev.enqueued[20];
        n++;
    }
    double t = bench_now() - t0;
    eddy_avro_reader_close(r);
    close(fd);
    bench_sink(sum);
    return (double)n / t;
}

static double avroc_read(const char *path)
{
    avro_file_reader_t reader;
    double t0 = bench_now();
    if (avro_file_reader(path, &reader)) {
        abort();
    }
    avro_schema_t schema = avro_file_reader_get_writer_schema(reader);
    avro_value_iface_t *iface = avro_generic_class_from_schema(schema);
    avro_value_t v, f, br;
    avro_generic_value_new(iface, &v);
    uint64_t sum = 0, n = 0;
    while (avro_file_reader_read_value(reader, &v) == 0) {
        int64_t seq;
        const char *s;
        const void *p;
        size_t len, sz;
        avro_value_get_by_index(&v, 0, &f, NULL);
        avro_value_get_long(&f, &seq);
        avro_value_get_by_index(&v, 2, &f, NULL);
        avro_value_get_string(&f, &s, &len);
        avro_value_get_by_index(&v, 3, &f, NULL);
        avro_value_get_size(&f, &sz);
        avro_value_get_by_index(&v, 5, &f, NULL);
        avro_value_get_current_branch(&f, &br);
        avro_value_get_bytes(&br, &p, &len);
        sum += (uint64_t)seq + len + sz + (uint8_t)s[20];
        n++;
    }
    double t = bench_now() - t0;
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    avro_schema_decref(schema);
    avro_file_reader_close(reader);
    bench_sink(sum);
    return (double)n / t;
}

int main(void)
{
    ev_src *v = make_events();
    static const char *names[] = {"null", "deflate", "snappy"};
    char path[] = "/tmp/eddy-bench-avro.avro", cpath[] = "/tmp/eddy-bench-avro-c.avro";
    for (int c = 0; c < 3; c++) {
        double best_e = 0, best_a = 0, be = 0, ba = 0, br_e = 0, br_a = 0;
        for (int r = 0; r < ROUNDS; r++) {
            double x = eddy_write(v, (eddy_avro_codec)c, 0, path, &be);
            best_e = x > best_e ? x : best_e;
            x = avroc_write(v, names[c], cpath, &ba);
            best_a = x > best_a ? x : best_a;
        }
        for (int r = 0; r < ROUNDS; r++) {
            double x = eddy_read(path);
            br_e = x > br_e ? x : br_e;
            x = avroc_read(path);
            br_a = x > br_a ? x : br_a;
        }
        char row[96];
        snprintf(row, sizeof row, "avro write EventData %s (bytes/event %.0f vs %.0f)", names[c],
                 be / N, ba / N);
        bench_row(row, best_e / 1e6, "avro-c", best_a / 1e6, "M events/s");
        snprintf(row, sizeof row, "avro read EventData %s", names[c]);
        bench_row(row, br_e / 1e6, "avro-c", br_a / 1e6, "M events/s");
        if (c == EDDY_AVRO_CODEC_DEFLATE) {
            /* avro-c's deflate compresses harder: eddy at higher levels too. */
            for (int level = 6; level <= 9; level += 3) {
                double best = 0, b = 0;
                for (int r = 0; r < ROUNDS; r++) {
                    double x = eddy_write(v, EDDY_AVRO_CODEC_DEFLATE, level, path, &b);
                    best = x > best ? x : best;
                }
                snprintf(row, sizeof row,
                         "avro write EventData deflate level %d (bytes/event %.0f "
                         "vs %.0f)",
                         level, b / N, ba / N);
                bench_row(row, best / 1e6, "avro-c", best_a / 1e6, "M events/s");
            }
        }
    }
    unlink(path);
    unlink(cpath);
    free(v);
    return 0;
}

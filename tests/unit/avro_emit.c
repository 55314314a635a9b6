/* avro_emit: a test helper that writes EventData files with eddy's writer,
 * for checks by other readers (python3-avro) and for building lake folders
 * in integration tests while capture is written elsewhere.
 *
 *   avro_emit [options] OUT.avro < events.jsonl
 *   avro_emit [options] --lake DIR --ns NS --hub HUB --partition P
 *             --window ISO|MS < events.jsonl
 *
 * The second form writes DIR/NS/HUB/P/YYYY/MM/DD/hh/mm/ss.avro named for the
 * window's start and prints the path. Each input line is one event:
 *   {"seq":5,"ms":1795550400123,"key":"k"|null|{"hex":"ff00"},
 *    "body":"text"|null|{"hex":"..."},"headers":[["name","value"|null|{"hex":".."}],...]}
 * Options: --codec null|deflate|snappy, --block-bytes N, --truncate N (cut
 * the written file to N bytes; negative: drop -N bytes from its end).
 *
 *   avro_emit --dump FILE
 *
 * reads any container file with eddy's reader and prints each datum as one
 * line of JSON (unions without their wrapper), for checks of files other
 * writers made. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "avro/avro.h"
#include "avro/eventdata.h"

#define MAX_HEADERS 64

static int usage(void)
{
    fprintf(stderr, "usage: avro_emit [--codec C] [--block-bytes N] [--truncate N] "
                    "(OUT.avro | --lake DIR --ns NS --hub HUB --partition P --window T) "
                    "< events.jsonl\n");
    return 2;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* A JSON value as bytes: a string, null (-1), or {"hex":"..."}; the bytes
 * go to a buffer owned by the caller's arena list. */
static int32_t bytes_of(json_t *v, const uint8_t **p, uint8_t **owned)
{
    *owned = NULL;
    if (!v || json_is_null(v)) {
        *p = NULL;
        return -1;
    }
    if (json_is_string(v)) {
        *p = (const uint8_t *)json_string_value(v);
        return (int32_t)json_string_length(v);
    }
    json_t *h = json_object_get(v, "hex");
    const char *s = h ? json_string_value(h) : NULL;
    if (!s) {
        fprintf(stderr, "avro_emit: expected a string, null or {\"hex\":...}\n");
        exit(1);
    }
    size_t n = strlen(s) / 2;
    uint8_t *b = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "avro_emit: bad hex\n");
            exit(1);
        }
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    *owned = b;
    *p = b;
    return (int32_t)n;
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return 0;
}

static int dump(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    eddy_avro_reader *r;
    eddy_avro_error err;
    if (eddy_avro_reader_open_fd(&r, fd, NULL, &err)) {
        fprintf(stderr, "avro_emit: %s: %s\n", path, err.msg);
        return 1;
    }
    const eddy_avro_node *root = eddy_avro_schema_root(eddy_avro_reader_schema(r));
    eddy_buf out;
    eddy_buf_init(&out, 0);
    eddy_reader *dr;
    while (eddy_avro_reader_next(r, &dr) == 1) {
        eddy_buf_reset(&out);
        if (eddy_avro_datum_to_json(eddy_avro_reader_decoder(r), root, dr, &out,
                                    EDDY_AVRO_JSON_PLAIN_UNIONS)) {
            eddy_avro_reader_fail_datum(r);
            break;
        }
        printf("%.*s\n", (int)out.len, (const char *)out.data);
    }
    int rc = eddy_avro_reader_error(r)->code;
    if (rc) {
        fprintf(stderr, "avro_emit: %s: %s\n", path, eddy_avro_reader_error(r)->msg);
    }
    eddy_buf_deinit(&out);
    eddy_avro_reader_close(r);
    close(fd);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--dump") == 0) {
        return dump(argv[2]);
    }
    const char *out = NULL, *lake = NULL, *ns = NULL, *hub = NULL, *part = NULL, *window = NULL;
    eddy_avro_writer_opts o = {0};
    long long truncate_to = 0;
    bool truncate = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--codec") == 0 && v) {
            if (eddy_avro_codec_parse(v, &o.codec)) {
                return usage();
            }
            i++;
        } else if (strcmp(a, "--block-bytes") == 0 && v) {
            o.block_bytes = (size_t)atoll(v);
            i++;
        } else if (strcmp(a, "--truncate") == 0 && v) {
            truncate_to = atoll(v);
            truncate = true;
            i++;
        } else if (strcmp(a, "--lake") == 0 && v) {
            lake = argv[++i];
        } else if (strcmp(a, "--ns") == 0 && v) {
            ns = argv[++i];
        } else if (strcmp(a, "--hub") == 0 && v) {
            hub = argv[++i];
        } else if (strcmp(a, "--partition") == 0 && v) {
            part = argv[++i];
        } else if (strcmp(a, "--window") == 0 && v) {
            window = argv[++i];
        } else if (a[0] != '-' && !out) {
            out = a;
        } else {
            return usage();
        }
    }
    char path[4096];
    if (lake) {
        if (!ns || !hub || !part || !window || out) {
            return usage();
        }
        int64_t ms;
        if (eddy_avro_parse_time((const uint8_t *)window, strlen(window), &ms) != 0) {
            ms = atoll(window);
        }
        char t[EDDY_AVRO_TIME_LEN];
        eddy_avro_format_time(ms, t);
        /* YYYY-MM-DDThh:mm:ss */
        snprintf(path, sizeof path, "%s/%s/%s/%s/%.4s/%.2s/%.2s/%.2s/%.2s/%.2s.avro", lake, ns, hub,
                 part, t, t + 5, t + 8, t + 11, t + 14, t + 17);
        if (mkdirs(path) != 0) {
            perror("avro_emit: mkdir");
            return 1;
        }
        out = path;
    } else if (!out) {
        return usage();
    }

    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(out);
        return 1;
    }
    eddy_avro_writer *w;
    int rc = eddy_avro_writer_open(&w, fd, EDDY_AVRO_EVENTDATA_SCHEMA, &o);
    if (rc) {
        fprintf(stderr, "avro_emit: open: %d\n", rc);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        lineno++;
        if (n <= 1) {
            continue;
        }
        json_error_t je;
        json_t *j = json_loadb(line, (size_t)n, 0, &je);
        if (!j || !json_is_object(j)) {
            fprintf(stderr, "avro_emit: line %ld: %s\n", lineno, j ? "not an object" : je.text);
            return 1;
        }
        eddy_avro_event ev = {0};
        eddy_avro_kv kv[MAX_HEADERS];
        uint8_t *owned[2 + 2 * MAX_HEADERS] = {0};
        size_t nowned = 0;
        ev.sequence_number = json_integer_value(json_object_get(j, "seq"));
        ev.enqueued_ms = json_integer_value(json_object_get(j, "ms"));
        ev.key_len = bytes_of(json_object_get(j, "key"), &ev.key, &owned[nowned++]);
        ev.body_len = bytes_of(json_object_get(j, "body"), &ev.body, &owned[nowned++]);
        json_t *hs = json_object_get(j, "headers");
        for (size_t i = 0; hs && i < json_array_size(hs) && i < MAX_HEADERS; i++) {
            json_t *h = json_array_get(hs, i);
            const uint8_t *k;
            int32_t kl = bytes_of(json_array_get(h, 0), &k, &owned[nowned++]);
            kv[i].key = k;
            kv[i].key_len = kl < 0 ? 0 : (size_t)kl;
            kv[i].value_len = bytes_of(json_array_get(h, 1), &kv[i].value, &owned[nowned++]);
            ev.nprops = i + 1;
        }
        ev.props = kv;
        eddy_avro_eventdata_encode(eddy_avro_writer_datum(w), &ev);
        rc = eddy_avro_writer_end_datum(w);
        for (size_t i = 0; i < nowned; i++) {
            free(owned[i]);
        }
        json_decref(j);
        if (rc) {
            fprintf(stderr, "avro_emit: write: %d\n", rc);
            return 1;
        }
    }
    free(line);
    rc = eddy_avro_writer_close(w);
    if (rc) {
        fprintf(stderr, "avro_emit: close: %d\n", rc);
        return 1;
    }
    if (truncate) {
        off_t size = lseek(fd, 0, SEEK_END);
        off_t to = truncate_to >= 0 ? (off_t)truncate_to : size + (off_t)truncate_to;
        if (to < 0 || ftruncate(fd, to) != 0) {
            perror("avro_emit: truncate");
            return 1;
        }
    }
    close(fd);
    if (lake) {
        printf("%s\n", out);
    }
    return 0;
}

/* Fuzz target: the replay path of eddy produce, which reads untrusted
 * files and stdin. The first two bytes pick the read size (1..256) and the
 * line cap (1..256 bytes, or the default); the rest is the input. Checks:
 * without skipped lines the lines joined by '\n' give back the input (plus
 * at most one newline); every line respects the cap; and the JSON helpers
 * used on lines (validator, minifier, field finder, unescape, UTF-8 check)
 * never misbehave and agree with each other. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fuzz.h"
#include "gen/json.h"
#include "gen/lines.h"

typedef struct src {
    const uint8_t *p;
    size_t n;
    size_t pos;
    size_t chunk;
} src;

static ssize_t src_read(void *ctx, void *buf, size_t cap)
{
    src *s = ctx;
    size_t n = s->n - s->pos;
    if (n > cap) {
        n = cap;
    }
    if (n > s->chunk) {
        n = s->chunk;
    }
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (ssize_t)n;
}

static void check_json(const char *line, size_t n)
{
    eddy_json_type type;
    bool ok = eddy_json_valid(line, n, &type);
    if (ok) {
        char *m = malloc(n ? n : 1);
        if (!m) {
            return;
        }
        size_t mn = eddy_json_minify(line, n, m);
        eddy_json_type type2;
        if (mn > n || !eddy_json_valid(m, mn, &type2) || type2 != type) {
            abort(); /* minifying valid JSON must keep it valid */
        }
        free(m);
        if (!eddy_utf8_valid(line, n)) {
            abort(); /* valid JSON text is UTF-8 */
        }
    }
    static const char *const paths[] = {"a", "deviceId", "a.b", "bid.auction", ""};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        eddy_json_type t;
        const char *v;
        size_t vlen;
        int rc = eddy_json_find(line, n, paths[i], &t, &v, &vlen);
        if (rc == 0) {
            if (v < line || v + vlen > line + n) {
                abort();
            }
            if (t == EDDY_JSON_STRING) {
                char *out = malloc(vlen ? vlen : 1);
                if (!out) {
                    return;
                }
                long un = eddy_json_unescape(v, vlen, out);
                if (un > (long)vlen) {
                    abort();
                }
                free(out);
            }
        } else if (rc != EDDY_ERR_NOT_FOUND && rc != EDDY_ERR_PARSE) {
            abort();
        }
        if (ok && rc == EDDY_ERR_PARSE) {
            abort(); /* a valid text is never "malformed" to the finder */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    src s = {data + 2, size - 2, 0, (size_t)data[0] + 1};
    size_t max_line = data[1] ? (size_t)data[1] : 0;
    eddy_line_reader r;
    if (eddy_line_reader_init(&r, src_read, &s, max_line)) {
        return 0;
    }
    uint8_t *joined = malloc(s.n + 2);
    size_t jn = 0;
    int skipped = 0;
    for (int guard = 0; guard < 1000000; guard++) {
        const char *line;
        size_t n;
        int rc = eddy_line_reader_next(&r, &line, &n);
        if (rc == 0) {
            break;
        }
        if (rc == EDDY_ERR_LIMIT) {
            skipped++;
            continue;
        }
        if (rc != 1 || n > r.max_line) {
            abort();
        }
        check_json(line, n);
        if (joined) {
            memcpy(joined + jn, line, n);
            jn += n;
            joined[jn++] = '\n';
        }
    }
    if (joined && !skipped) {
        /* Lines and newlines give back the input; the last line may have
         * lacked its newline. */
        bool same = (jn == s.n && memcmp(joined, s.p, jn) == 0) ||
                    (jn == s.n + 1 && memcmp(joined, s.p, s.n) == 0 && joined[s.n] == '\n');
        if (!same) {
            abort();
        }
    }
    free(joined);
    eddy_line_reader_deinit(&r);
    return 0;
}

/* Fuzz target: the JSON reader behind RECORD and ARRAY values
 * (sql/json.h). The bytes are record or array text as an input file could
 * hold; every entry point must stay inside them and either find a value
 * (whose span lies inside the text and reads back as a value) or report
 * malformed text. The first byte picks the member name and element index
 * to look up, the rest is the text. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "fuzz.h"
#include "sql/json.h"

static void inside(const char *text, size_t len, eddy_sql_str s)
{
    if (s.p < text || s.p + s.len > text + len) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    static const char *const names[] = {"a", "b", "A", "deviceId", "", "x\"y", "\xc3\xa9", "fw"};
    const char *name = names[data[0] & 7];
    int64_t index = (data[0] >> 3) & 7;
    /* a copy without the terminator, so reads past the end are caught */
    size_t len = size - 1;
    char *text = malloc(len ? len : 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data + 1, len);
    eddy_arena arena;
    eddy_arena_init(&arena, 0, (size_t)1 << 24);

    const char *end = eddy_sql_json_skip(text, text + len);
    if (end && (end < text || end > text + len)) {
        abort();
    }
    eddy_sql_str v;
    if (eddy_sql_json_member(text, len, name, strlen(name), &v) == 1) {
        inside(text, len, v);
        eddy_sql_value val;
        eddy_sql_json_value(v.p, v.len, &arena, &val);
    }
    if (eddy_sql_json_element(text, len, index, &v) == 1) {
        inside(text, len, v);
    }
    int64_t n;
    if (eddy_sql_json_length(text, len, &n) == 0 && n < 0) {
        abort();
    }
    size_t pos = 0;
    eddy_sql_str k;
    int r, guard = 0;
    while ((r = eddy_sql_json_next(text, len, &pos, &k, &v)) == 1 && guard++ < 100000) {
        inside(text, len, k);
        inside(text, len, v);
        char *buf = malloc(k.len ? k.len : 1);
        if (buf) {
            eddy_sql_json_unescape(k.p, k.len, buf);
            free(buf);
        }
    }
    eddy_sql_value val;
    if (eddy_sql_json_value(text, len, &arena, &val) == 0 &&
        (val.type == EDDY_SQL_V_RECORD || val.type == EDDY_SQL_V_ARRAY)) {
        inside(text, len, val.s);
    }
    eddy_arena_deinit(&arena);
    free(text);
    return 0;
}

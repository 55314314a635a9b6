/* Fuzz target: the SQL parser and printer. Text in; it must parse or fail
 * with a well-formed error (a position inside the text, a line and column
 * of at least 1, a renderable message), never crash. Whatever parses must
 * print to text that parses again and prints to the very same text (the
 * printer is a fixed point), within the same limits. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "fuzz.h"
#include "sql/parser.h"
#include "sql/print.h"

/* Arena cap: generous for fuzz-sized inputs, small enough to stay fast. */
#define ARENA_CAP ((size_t)64 << 20)

static int parse_print(const char *src, size_t len, eddy_buf *out)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, ARENA_CAP);
    eddy_sql_query *q;
    eddy_sql_error err;
    int rc = eddy_sql_parse(src, len, &arena, &q, &err);
    if (rc == 0) {
        if (!q || eddy_sql_print_query(q, out) != 0) {
            abort();
        }
    } else {
        if (q || (rc != EDDY_ERR_PARSE && rc != EDDY_ERR_LIMIT && rc != EDDY_ERR_NOMEM) ||
            err.code != rc) {
            abort();
        }
        if (rc != EDDY_ERR_NOMEM && (err.off > len || err.len > len - err.off || err.line < 1 ||
                                     err.col < 1 || err.msg[0] == '\0')) {
            abort();
        }
        eddy_buf msg;
        eddy_buf_init(&msg, 0);
        if (eddy_sql_error_render(&err, src, len, &msg) != 0 || msg.len == 0) {
            abort();
        }
        eddy_buf_deinit(&msg);
    }
    eddy_arena_deinit(&arena);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eddy_buf first, second;
    eddy_buf_init(&first, 0);
    eddy_buf_init(&second, 0);
    if (parse_print((const char *)data, size, &first) == 0) {
        int rc = parse_print((const char *)first.data, first.len, &second);
        /* Printing may lengthen the text past the size cap; anything else
         * must parse again. */
        if (rc != 0 && !(rc == EDDY_ERR_LIMIT && first.len > EDDY_SQL_MAX_TEXT)) {
            abort();
        }
        if (rc == 0 &&
            (second.len != first.len || memcmp(first.data, second.data, first.len) != 0)) {
            abort();
        }
    }
    eddy_buf_deinit(&first);
    eddy_buf_deinit(&second);
    return 0;
}

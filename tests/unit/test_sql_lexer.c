/* SQL front end pieces: tokens and their positions, the edit distance and
 * nearest-name helper, the function table, the error renderer, spans of
 * tree nodes, limits and memory exhaustion. The grammar itself is tested by
 * the case files (test_sql_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "sql/diag.h"
#include "sql/functions.h"
#include "sql/lexer.h"
#include "sql/parser.h"
#include "sql/print.h"
#include "test.h"

TEST(lexer_tokens_and_positions)
{
    const char *src = "SELECT [a]]b], 'it''s'\n  FROM\tt -- c\n/* x */ 12 3.5 => <> != é";
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_lexer lx;
    eddy_sql_lexer_init(&lx, src, strlen(src), &arena);
    eddy_sql_error err;
    eddy_sql_token t;
    struct {
        eddy_sql_tok kind;
        uint32_t off, len, line, col;
        const char *text;
    } want[] = {
        {EDDY_SQL_TOK_WORD, 0, 6, 1, 1, "SELECT"}, {EDDY_SQL_TOK_QIDENT, 7, 6, 1, 8, "a]b"},
        {EDDY_SQL_TOK_COMMA, 13, 1, 1, 14, NULL},  {EDDY_SQL_TOK_STRING, 15, 7, 1, 16, "it's"},
        {EDDY_SQL_TOK_WORD, 25, 4, 2, 3, "FROM"},  {EDDY_SQL_TOK_WORD, 30, 1, 2, 8, "t"},
        {EDDY_SQL_TOK_INT, 45, 2, 3, 9, NULL},     {EDDY_SQL_TOK_FLOAT, 48, 3, 3, 12, NULL},
        {EDDY_SQL_TOK_ARROW, 52, 2, 3, 16, NULL},  {EDDY_SQL_TOK_NE, 55, 2, 3, 19, NULL},
        {EDDY_SQL_TOK_NE, 58, 2, 3, 22, NULL},     {EDDY_SQL_TOK_WORD, 61, 2, 3, 25, "é"},
        {EDDY_SQL_TOK_EOF, 63, 0, 3, 26, NULL},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        EXPECT_EQ_INT(eddy_sql_lexer_next(&lx, &t, &err), 0);
        EXPECT_EQ_INT(t.kind, want[i].kind);
        EXPECT_EQ_INT(t.off, want[i].off);
        EXPECT_EQ_INT(t.len, want[i].len);
        EXPECT_EQ_INT(t.line, want[i].line);
        EXPECT_EQ_INT(t.col, want[i].col);
        if (want[i].text) {
            EXPECT_EQ_INT(t.text_len, strlen(want[i].text));
            EXPECT_TRUE(memcmp(t.text, want[i].text, t.text_len) == 0);
        }
        if (t.kind == EDDY_SQL_TOK_INT) {
            EXPECT_EQ_UINT(t.ival, 12);
        }
        if (t.kind == EDDY_SQL_TOK_FLOAT) {
            EXPECT_TRUE(t.fval == 3.5);
        }
    }
    /* EOF again and again. */
    EXPECT_EQ_INT(eddy_sql_lexer_next(&lx, &t, &err), 0);
    EXPECT_EQ_INT(t.kind, EDDY_SQL_TOK_EOF);
    eddy_arena_deinit(&arena);
}

TEST(lexer_keywords)
{
    EXPECT_EQ_INT(eddy_sql_keyword("select", 6), EDDY_SQL_KW_SELECT);
    EXPECT_EQ_INT(eddy_sql_keyword("SeLeCt", 6), EDDY_SQL_KW_SELECT);
    EXPECT_EQ_INT(eddy_sql_keyword("try_cast", 8), EDDY_SQL_KW_TRY_CAST);
    EXPECT_EQ_INT(eddy_sql_keyword("timestamp", 9), EDDY_SQL_KW_TIMESTAMP);
    EXPECT_EQ_INT(eddy_sql_keyword("selects", 7), EDDY_SQL_KW_NONE);
    EXPECT_EQ_INT(eddy_sql_keyword("a", 1), EDDY_SQL_KW_NONE);
    EXPECT_EQ_STR(eddy_sql_kw_name(EDDY_SQL_KW_WHERE), "WHERE");
}

TEST(lexer_int_limits)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_lexer lx;
    eddy_sql_error err;
    eddy_sql_token t;
    const char *ok = "9223372036854775808";
    eddy_sql_lexer_init(&lx, ok, strlen(ok), &arena);
    EXPECT_EQ_INT(eddy_sql_lexer_next(&lx, &t, &err), 0);
    EXPECT_EQ_UINT(t.ival, (uint64_t)INT64_MAX + 1);
    const char *big = "x 9223372036854775809";
    eddy_sql_lexer_init(&lx, big, strlen(big), &arena);
    EXPECT_EQ_INT(eddy_sql_lexer_next(&lx, &t, &err), 0);
    EXPECT_EQ_INT(eddy_sql_lexer_next(&lx, &t, &err), EDDY_ERR_PARSE);
    EXPECT_EQ_INT(t.kind, EDDY_SQL_TOK_ERROR);
    EXPECT_EQ_INT(err.off, 2);
    EXPECT_EQ_INT(err.col, 3);
    eddy_arena_deinit(&arena);
}

TEST(edit_distance_and_nearest)
{
    EXPECT_EQ_UINT(eddy_sql_edit_distance("AVGG", 4, "AVG", 3), 1);
    EXPECT_EQ_UINT(eddy_sql_edit_distance("avg", 3, "AVG", 3), 0);
    EXPECT_EQ_UINT(eddy_sql_edit_distance("UPPRE", 5, "UPPER", 5), 1); /* transposition */
    EXPECT_EQ_UINT(eddy_sql_edit_distance("", 0, "abc", 3), 3);
    EXPECT_EQ_UINT(eddy_sql_edit_distance("kitten", 6, "sitting", 7), 3);
    char long_name[80];
    memset(long_name, 'a', sizeof long_name);
    EXPECT_EQ_UINT(eddy_sql_edit_distance(long_name, 80, "a", 1), SIZE_MAX);
    const char *const names[] = {"deviceId", "temperature", "humidity", "ts"};
    EXPECT_EQ_INT(eddy_sql_nearest("temprature", 10, names, 4), 1);
    EXPECT_EQ_INT(eddy_sql_nearest("DEVICEID", 8, names, 4), 0);
    EXPECT_EQ_INT(eddy_sql_nearest("zzzzzz", 6, names, 4), -1);
    EXPECT_EQ_INT(eddy_sql_nearest("tx", 2, names, 4), 3);
}

TEST(function_table)
{
    const eddy_sql_func *f = eddy_sql_func_lookup("count", 5);
    EXPECT_TRUE(f != NULL);
    EXPECT_EQ_INT(f->id, EDDY_SQL_FN_COUNT);
    EXPECT_EQ_INT(f->kind, EDDY_SQL_FUNC_AGGREGATE);
    EXPECT_TRUE(f->flags & EDDY_SQL_F_STAR);
    f = eddy_sql_func_lookup("TUMBLING", 8);
    EXPECT_TRUE(f != NULL);
    EXPECT_EQ_STR(f->name, "TumblingWindow");
    f = eddy_sql_func_lookup("system.timestamp", 16);
    EXPECT_TRUE(f != NULL && f->id == EDDY_SQL_FN_SYSTEM_TIMESTAMP);
    EXPECT_TRUE(eddy_sql_func_lookup("LEN\0X", 5) == NULL);
    EXPECT_TRUE(eddy_sql_func_lookup("nope", 4) == NULL);
    f = eddy_sql_func_nearest("lak", 3, EDDY_SQL_FUNC_TABLE);
    EXPECT_TRUE(f != NULL);
    EXPECT_EQ_STR(f->name, "lake");
    EXPECT_TRUE(eddy_sql_func_nearest("lak", 3, EDDY_SQL_FUNC_SCALAR) == NULL);
    /* Every id maps back to its own row. */
    for (int i = 0; i < EDDY_SQL_FN_COUNT_; i++) {
        f = eddy_sql_func_get((eddy_sql_func_id)i);
        EXPECT_TRUE(f != NULL);
        EXPECT_EQ_INT(f->id, i);
        EXPECT_TRUE(f->min_args <= f->max_args);
        EXPECT_TRUE(eddy_sql_func_lookup(f->name, strlen(f->name)) == f);
    }
    EXPECT_TRUE(eddy_sql_func_get(EDDY_SQL_FN_COUNT_) == NULL);
}

static void render(const char *src, size_t off, size_t len, const char *msg, eddy_buf *out)
{
    eddy_sql_error err;
    eddy_sql_error_set(&err, EDDY_ERR_PARSE, src, strlen(src), off, len, "%s", msg);
    eddy_buf_reset(out);
    eddy_sql_error_render(&err, src, strlen(src), out);
    eddy_buf_put_u8(out, 0);
}

TEST(error_render)
{
    eddy_buf out;
    eddy_buf_init(&out, 0);
    render("SELECT a\r\nFROM t WHERE\r\n", 13, 1, "boom", &out);
    EXPECT_EQ_STR((const char *)out.data, "error: boom at line 2, column 4\n"
                                          "  2 | FROM t WHERE\n"
                                          "    |    ^\n");
    /* A span is underlined; tabs are kept; UTF-8 counts as one column. */
    render("x\n\té 'abc' y", 6, 5, "here", &out);
    EXPECT_EQ_STR((const char *)out.data, "error: here at line 2, column 4\n"
                                          "  2 | \té 'abc' y\n"
                                          "    | \t  ^~~~~\n");
    /* At the very end of an empty text. */
    render("", 0, 0, "empty", &out);
    EXPECT_EQ_STR((const char *)out.data, "error: empty at line 1, column 1\n"
                                          "  1 |\n"
                                          "    | ^\n");
    /* Line numbers of any width. */
    render("\n\n\n\n\n\n\n\n\n\nabc", 11, 1, "ten", &out);
    EXPECT_EQ_STR((const char *)out.data, "error: ten at line 11, column 2\n"
                                          "  11 | abc\n"
                                          "     |  ^\n");
    /* A span past the line end stops at the line end. */
    render("ab\ncd", 1, 10, "x", &out);
    EXPECT_EQ_STR((const char *)out.data, "error: x at line 1, column 2\n"
                                          "  1 | ab\n"
                                          "    |  ^\n");
    eddy_buf_deinit(&out);
}

static int parse(const char *src, eddy_arena *arena, eddy_sql_query **q, eddy_sql_error *err)
{
    return eddy_sql_parse(src, strlen(src), arena, q, err);
}

TEST(node_spans)
{
    const char *src = "SELECT a.b + 1 AS x, COUNT(*) FROM t WHERE -5 < LEN('q')";
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *q;
    eddy_sql_error err;
    EXPECT_EQ_INT(parse(src, &arena, &q, &err), 0);
    eddy_sql_select *sel = q->stmts[0]->selects[0];
    eddy_sql_expr *e = sel->items[0].expr;
    EXPECT_EQ_INT(e->kind, EDDY_SQL_EXPR_BINARY);
    EXPECT_EQ_INT(e->span.off, 7);
    EXPECT_EQ_INT(e->span.len, 7); /* "a.b + 1" */
    EXPECT_EQ_INT(e->binary.left->span.len, 3);
    EXPECT_EQ_INT(e->binary.left->column.nparts, 2);
    EXPECT_EQ_STR(e->binary.left->column.parts[1].str, "b");
    EXPECT_EQ_INT(sel->items[0].alias.span.off, 18);
    e = sel->items[1].expr;
    EXPECT_EQ_INT(e->kind, EDDY_SQL_EXPR_CALL);
    EXPECT_EQ_INT(e->span.len, 8); /* "COUNT(*)" */
    EXPECT_EQ_INT(e->call.args[0]->kind, EDDY_SQL_EXPR_STAR);
    e = sel->where->binary.left;
    EXPECT_EQ_INT(e->kind, EDDY_SQL_EXPR_LITERAL);
    EXPECT_EQ_INT(e->lit.i, -5);
    EXPECT_EQ_INT(e->span.off, 43);
    EXPECT_EQ_INT(e->span.len, 2); /* "-5" */
    EXPECT_EQ_INT(q->stmts[0]->span.len, strlen(src));
    eddy_arena_deinit(&arena);
}

TEST(window_durations)
{
    const char *src = "SELECT 1 FROM t GROUP BY HoppingWindow(Duration(minute, 10), Hop(second, "
                      "30), Offset(millisecond, 5))";
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *q;
    eddy_sql_error err;
    EXPECT_EQ_INT(parse(src, &arena, &q, &err), 0);
    eddy_sql_expr *w = q->stmts[0]->selects[0]->group_by[0];
    EXPECT_EQ_INT(w->kind, EDDY_SQL_EXPR_WINDOW);
    EXPECT_EQ_INT(w->window.kind, EDDY_SQL_WINDOW_HOPPING);
    EXPECT_EQ_INT(w->window.size.us, 600000000);
    EXPECT_EQ_INT(w->window.hop.us, 30000000);
    EXPECT_TRUE(w->window.has_offset);
    EXPECT_EQ_INT(w->window.offset.us, 5000);
    EXPECT_EQ_INT(w->window.hop.unit, EDDY_SQL_UNIT_SECOND);
    eddy_arena_deinit(&arena);
}

TEST(limits)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *q;
    eddy_sql_error err;
    size_t n = EDDY_SQL_MAX_TEXT + 1;
    char *big = malloc(n);
    memset(big, ' ', n);
    EXPECT_EQ_INT(eddy_sql_parse(big, n, &arena, &q, &err), EDDY_ERR_LIMIT);
    EXPECT_TRUE(q == NULL);
    free(big);
    /* A long chain of NOTs is a tall tree, not deep recursion. */
    size_t k = 100000;
    char *nots = malloc(4 * k + 32);
    strcpy(nots, "SELECT ");
    for (size_t i = 0; i < k; i++) {
        strcat(nots + 7 + 4 * i, "NOT ");
    }
    strcat(nots, "a");
    EXPECT_EQ_INT(parse(nots, &arena, &q, &err), EDDY_ERR_LIMIT);
    free(nots);
    /* Signs fold into a literal however many there are. */
    char *signs = malloc(2 * k + 32);
    strcpy(signs, "SELECT ");
    for (size_t i = 0; i < k; i++) {
        memcpy(signs + 7 + 2 * i, "- ", 2);
    }
    strcpy(signs + 7 + 2 * k, "5");
    EXPECT_EQ_INT(parse(signs, &arena, &q, &err), 0);
    EXPECT_EQ_INT(q->stmts[0]->selects[0]->items[0].expr->lit.i, 5);
    free(signs);
    eddy_arena_deinit(&arena);
}

TEST(out_of_memory)
{
    /* Every arena cap from tiny to enough: NOMEM or success, never a crash
     * and never a half-built tree. */
    const char *src = "WITH s AS (SELECT a, 'str''ing', [q n] FROM t) SELECT COUNT(*), "
                      "CASE WHEN a IN (1, 2) THEN 'x' END FROM s JOIN u ON s.a = u.a "
                      "GROUP BY a, TumblingWindow(second, 10) HAVING COUNT(*) > 1";
    int ok = 0;
    for (size_t cap = 16; cap < 64 * 1024; cap += 16) {
        eddy_arena arena;
        eddy_arena_init(&arena, 256, cap);
        eddy_sql_query *q;
        eddy_sql_error err;
        int rc = parse(src, &arena, &q, &err);
        EXPECT_TRUE(rc == 0 || rc == EDDY_ERR_NOMEM);
        EXPECT_TRUE((rc == 0) == (q != NULL));
        if (rc == EDDY_ERR_NOMEM) {
            EXPECT_EQ_STR(err.msg, "out of memory");
        }
        ok += rc == 0;
        eddy_arena_deinit(&arena);
    }
    EXPECT_TRUE(ok > 0);
}

TEST(print_expr)
{
    eddy_arena arena;
    eddy_arena_init(&arena, 0, 0);
    eddy_sql_query *q;
    eddy_sql_error err;
    EXPECT_EQ_INT(parse("SELECT NOT a = -b * 2", &arena, &q, &err), 0);
    eddy_buf out;
    eddy_buf_init(&out, 0);
    eddy_sql_print_expr(q->stmts[0]->selects[0]->items[0].expr, &out);
    eddy_buf_put_u8(&out, 0);
    EXPECT_EQ_STR((const char *)out.data, "(NOT (a = ((-b) * 2)))");
    eddy_buf_deinit(&out);
    eddy_arena_deinit(&arena);
}

int main(void)
{
    RUN(lexer_tokens_and_positions);
    RUN(lexer_keywords);
    RUN(lexer_int_limits);
    RUN(edit_distance_and_nearest);
    RUN(function_table);
    RUN(error_render);
    RUN(node_spans);
    RUN(window_durations);
    RUN(limits);
    RUN(out_of_memory);
    RUN(print_expr);
    return test_summary();
}

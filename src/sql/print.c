/* The canonical printer (see print.h). Recursion follows the tree, whose
 * height the parser caps, so the stack is bounded. */
#include "sql/print.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/lexer.h"

static void put_n(eddy_buf *out, const char *s, size_t n)
{
    /* "- -5" must not become "--5" (a comment), nor "/ *" a comment start. */
    if (n && out->len) {
        char last = (char)out->data[out->len - 1];
        if ((last == '-' && s[0] == '-') || (last == '/' && s[0] == '*')) {
            eddy_buf_append(out, " ", 1);
        }
    }
    eddy_buf_append(out, s, n);
}

static void put(eddy_buf *out, const char *s)
{
    put_n(out, s, strlen(s));
}

/* A name, bracketed unless it reads back as a plain word (keywords only
 * where keyword_ok: argument names before =>). */
static void put_name(eddy_buf *out, const char *s, size_t n, bool keyword_ok)
{
    bool plain = n > 0 && !(s[0] >= '0' && s[0] <= '9') &&
                 (keyword_ok || eddy_sql_keyword(s, n) == EDDY_SQL_KW_NONE);
    for (size_t i = 0; plain && i < n; i++) {
        char c = s[i];
        plain =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (plain) {
        put_n(out, s, n);
        return;
    }
    put(out, "[");
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ']') {
            eddy_buf_append(out, s + start, i + 1 - start);
            eddy_buf_append(out, "]", 1);
            start = i + 1;
        }
    }
    eddy_buf_append(out, s + start, n - start);
    put(out, "]");
}

static void put_ident(eddy_buf *out, const eddy_sql_ident *id)
{
    put_name(out, id->str, id->len, false);
}

static void put_string(eddy_buf *out, const char *s, size_t n)
{
    put(out, "'");
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') {
            eddy_buf_append(out, s + start, i + 1 - start);
            eddy_buf_append(out, "'", 1);
            start = i + 1;
        }
    }
    eddy_buf_append(out, s + start, n - start);
    put(out, "'");
}

/* The shortest text that reads back as exactly d, with a '.' or an
 * exponent so that it lexes as a float again: plain decimals when they
 * are short (1000.0, 0.0001), else an exponent without '+' or leading
 * zeros (1e100, 1.5e-7). */
static void put_double(eddy_buf *out, double d)
{
    char buf[48], fix[48];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            break;
        }
    }
    char *e = strchr(buf, 'e');
    if (e) {
        /* Plain decimals when some 1..8 fraction digits are exact and short. */
        for (int prec = 1; prec <= 8; prec++) {
            int n = snprintf(fix, sizeof fix, "%.*f", prec, d);
            if (n > 0 && n <= 20 && strtod(fix, NULL) == d) {
                while (fix[n - 1] == '0' && fix[n - 2] != '.') {
                    fix[--n] = '\0';
                }
                put(out, fix);
                return;
            }
        }
        /* 1e+07 -> 1e7, 1e-07 -> 1e-7 */
        char *src = e + 1, *dst = e + 1;
        if (*src == '+') {
            src++;
        } else if (*src == '-') {
            *dst++ = *src++;
        }
        while (*src == '0' && src[1]) {
            src++;
        }
        memmove(dst, src, strlen(src) + 1);
    } else if (!strchr(buf, '.')) {
        strcat(buf, ".0");
    }
    put(out, buf);
}

static void put_int(eddy_buf *out, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    put(out, buf);
}

static void print_expr(const eddy_sql_expr *e, eddy_buf *out);

static void print_list(eddy_sql_expr *const *list, uint32_t n, eddy_buf *out)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) {
            put(out, ", ");
        }
        print_expr(list[i], out);
    }
}

static void print_order(const eddy_sql_order_item *items, uint32_t n, eddy_buf *out)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) {
            put(out, ", ");
        }
        print_expr(items[i].expr, out);
        put(out, items[i].desc ? " DESC" : " ASC");
    }
}

static void print_duration(const char *name, const eddy_sql_duration *d, eddy_buf *out)
{
    put(out, name);
    put(out, "(");
    put(out, eddy_sql_unit_name(d->unit));
    put(out, ", ");
    put_int(out, d->count);
    put(out, ")");
}

static void print_window(const eddy_sql_window *w, eddy_buf *out)
{
    bool hopping = w->kind == EDDY_SQL_WINDOW_HOPPING;
    bool session = w->kind == EDDY_SQL_WINDOW_SESSION;
    eddy_sql_unit u = w->size.unit;
    bool same = (!hopping || w->hop.unit == u) && (!session || w->max.unit == u) &&
                (!w->has_offset || w->offset.unit == u);
    put(out, eddy_sql_window_name(w->kind));
    put(out, "(");
    if (same) {
        put(out, eddy_sql_unit_name(u));
        put(out, ", ");
        put_int(out, w->size.count);
        if (hopping) {
            put(out, ", ");
            put_int(out, w->hop.count);
        }
        if (session) {
            put(out, ", ");
            put_int(out, w->max.count);
        }
        if (w->has_offset) {
            put(out, ", ");
            put_int(out, w->offset.count);
        }
    } else {
        print_duration(session ? "Timeout" : "Duration", &w->size, out);
        if (hopping) {
            put(out, ", ");
            print_duration("Hop", &w->hop, out);
        }
        if (session) {
            put(out, ", ");
            print_duration("MaxDuration", &w->max, out);
        }
        if (w->has_offset) {
            put(out, ", ");
            print_duration("Offset", &w->offset, out);
        }
    }
    put(out, ")");
    if (w->npartition) {
        put(out, " OVER (PARTITION BY ");
        print_list(w->partition, w->npartition, out);
        put(out, ")");
    }
}

static void print_expr(const eddy_sql_expr *e, eddy_buf *out)
{
    switch (e->kind) {
    case EDDY_SQL_EXPR_LITERAL:
        switch (e->lit.type) {
        case EDDY_SQL_LIT_NULL:
            put(out, "NULL");
            break;
        case EDDY_SQL_LIT_BOOL:
            put(out, e->lit.b ? "TRUE" : "FALSE");
            break;
        case EDDY_SQL_LIT_INT:
            put_int(out, e->lit.i);
            break;
        case EDDY_SQL_LIT_DOUBLE:
            put_double(out, e->lit.d);
            break;
        case EDDY_SQL_LIT_STRING:
            put_string(out, e->lit.s, e->lit.slen);
            break;
        }
        break;
    case EDDY_SQL_EXPR_COLUMN:
        for (uint32_t i = 0; i < e->column.nparts; i++) {
            if (i) {
                put(out, ".");
            }
            put_ident(out, &e->column.parts[i]);
        }
        break;
    case EDDY_SQL_EXPR_STAR:
        for (uint32_t i = 0; i < e->star.nqualifier; i++) {
            put_ident(out, &e->star.qualifier[i]);
            put(out, ".");
        }
        put(out, "*");
        break;
    case EDDY_SQL_EXPR_UNARY:
        put(out, e->unary.op == EDDY_SQL_OP_NOT   ? "(NOT "
                 : e->unary.op == EDDY_SQL_OP_NEG ? "(-"
                                                  : "(+");
        print_expr(e->unary.arg, out);
        put(out, ")");
        break;
    case EDDY_SQL_EXPR_BINARY:
        put(out, "(");
        print_expr(e->binary.left, out);
        put(out, " ");
        put(out, eddy_sql_op_name(e->binary.op));
        put(out, " ");
        print_expr(e->binary.right, out);
        put(out, ")");
        break;
    case EDDY_SQL_EXPR_CALL:
        put(out, e->call.func->name);
        put(out, "(");
        if (e->call.distinct) {
            put(out, "DISTINCT ");
        }
        print_list(e->call.args, e->call.nargs, out);
        put(out, ")");
        if (e->call.has_over) {
            put(out, " OVER (ORDER BY ");
            print_order(e->call.over, e->call.nover, out);
            put(out, ")");
        }
        break;
    case EDDY_SQL_EXPR_CASE:
        put(out, "CASE");
        if (e->case_.operand) {
            put(out, " ");
            print_expr(e->case_.operand, out);
        }
        for (uint32_t i = 0; i < e->case_.nwhens; i++) {
            put(out, " WHEN ");
            print_expr(e->case_.whens[i].cond, out);
            put(out, " THEN ");
            print_expr(e->case_.whens[i].result, out);
        }
        if (e->case_.else_) {
            put(out, " ELSE ");
            print_expr(e->case_.else_, out);
        }
        put(out, " END");
        break;
    case EDDY_SQL_EXPR_CAST:
        put(out, e->cast.try_ ? "TRY_CAST(" : "CAST(");
        print_expr(e->cast.arg, out);
        put(out, " AS ");
        put(out, eddy_sql_type_name(e->cast.type));
        put(out, ")");
        break;
    case EDDY_SQL_EXPR_IN:
        put(out, "(");
        print_expr(e->in.arg, out);
        put(out, e->in.negated ? " NOT IN (" : " IN (");
        print_list(e->in.list, e->in.nlist, out);
        put(out, "))");
        break;
    case EDDY_SQL_EXPR_BETWEEN:
        put(out, "(");
        print_expr(e->between.arg, out);
        put(out, e->between.negated ? " NOT BETWEEN " : " BETWEEN ");
        print_expr(e->between.lo, out);
        put(out, " AND ");
        print_expr(e->between.hi, out);
        put(out, ")");
        break;
    case EDDY_SQL_EXPR_LIKE:
        put(out, "(");
        print_expr(e->like.arg, out);
        put(out, e->like.negated ? " NOT LIKE " : " LIKE ");
        print_expr(e->like.pattern, out);
        if (e->like.escape) {
            put(out, " ESCAPE ");
            print_expr(e->like.escape, out);
        }
        put(out, ")");
        break;
    case EDDY_SQL_EXPR_IS_NULL:
        put(out, "(");
        print_expr(e->is_null.arg, out);
        put(out, e->is_null.negated ? " IS NOT NULL)" : " IS NULL)");
        break;
    case EDDY_SQL_EXPR_DATEPART:
        put(out, eddy_sql_unit_name(e->datepart.unit));
        break;
    case EDDY_SQL_EXPR_WINDOW:
        print_window(&e->window, out);
        break;
    case EDDY_SQL_EXPR_NAMED_ARG:
        put_name(out, e->named.name.str, e->named.name.len, true);
        put(out, " => ");
        print_expr(e->named.value, out);
        break;
    }
}

int eddy_sql_print_expr(const eddy_sql_expr *e, eddy_buf *out)
{
    print_expr(e, out);
    return out->err;
}

/* A new line indented by indent spaces (none before the very first). */
static void line(eddy_buf *out, size_t start, int indent)
{
    if (out->len > start) {
        put(out, "\n");
    }
    for (int i = 0; i < indent; i++) {
        put(out, " ");
    }
}

static void print_source(const eddy_sql_source *s, eddy_buf *out)
{
    switch (s->kind) {
    case EDDY_SQL_SOURCE_NAME:
        put_ident(out, &s->name);
        break;
    case EDDY_SQL_SOURCE_FILE:
        put_string(out, s->file, s->file_len);
        break;
    case EDDY_SQL_SOURCE_CALL:
        print_expr(s->call, out);
        break;
    }
    if (s->has_alias) {
        put(out, " AS ");
        put_ident(out, &s->alias);
    }
    if (s->npartition_by) {
        put(out, " PARTITION BY ");
        print_list(s->partition_by, s->npartition_by, out);
    }
    if (s->timestamp_by) {
        put(out, " TIMESTAMP BY ");
        print_expr(s->timestamp_by, out);
        if (s->ntimestamp_over) {
            put(out, " OVER ");
            print_list(s->timestamp_over, s->ntimestamp_over, out);
        }
    }
}

static void print_select(const eddy_sql_select *sel, eddy_buf *out, size_t start, int indent)
{
    line(out, start, indent);
    put(out, "SELECT ");
    if (sel->distinct) {
        put(out, "DISTINCT ");
    }
    if (sel->top >= 0) {
        put(out, "TOP ");
        put_int(out, sel->top);
        put(out, " ");
    }
    for (uint32_t i = 0; i < sel->nitems; i++) {
        if (i) {
            put(out, ", ");
        }
        print_expr(sel->items[i].expr, out);
        if (sel->items[i].has_alias) {
            put(out, " AS ");
            put_ident(out, &sel->items[i].alias);
        }
    }
    if (sel->into) {
        line(out, start, indent);
        put(out, "INTO ");
        print_source(sel->into, out);
    }
    if (sel->from) {
        line(out, start, indent);
        put(out, "FROM ");
        print_source(sel->from, out);
    }
    for (uint32_t i = 0; i < sel->njoins; i++) {
        const eddy_sql_join *j = &sel->joins[i];
        line(out, start, indent);
        put(out, j->kind == EDDY_SQL_JOIN_LEFT    ? "LEFT JOIN "
                 : j->kind == EDDY_SQL_JOIN_CROSS ? "CROSS JOIN "
                                                  : "INNER JOIN ");
        print_source(&j->source, out);
        if (j->on) {
            put(out, " ON ");
            print_expr(j->on, out);
        }
    }
    if (sel->where) {
        line(out, start, indent);
        put(out, "WHERE ");
        print_expr(sel->where, out);
    }
    if (sel->ngroup_by) {
        line(out, start, indent);
        put(out, "GROUP BY ");
        print_list(sel->group_by, sel->ngroup_by, out);
    }
    if (sel->having) {
        line(out, start, indent);
        put(out, "HAVING ");
        print_expr(sel->having, out);
    }
}

static void print_stmt(const eddy_sql_stmt *st, eddy_buf *out, size_t start, int indent)
{
    for (uint32_t i = 0; i < st->nselects; i++) {
        if (i) {
            line(out, start, indent);
            put(out, st->selects[i]->union_all ? "UNION ALL" : "UNION");
        }
        print_select(st->selects[i], out, start, indent);
    }
    if (st->norder_by) {
        line(out, start, indent);
        put(out, "ORDER BY ");
        print_order(st->order_by, st->norder_by, out);
    }
    if (st->limit >= 0) {
        line(out, start, indent);
        put(out, "LIMIT ");
        put_int(out, st->limit);
    }
}

int eddy_sql_print_query(const eddy_sql_query *q, eddy_buf *out)
{
    size_t start = out->len;
    for (uint32_t i = 0; i < q->nsteps; i++) {
        put(out, i ? ",\n" : "WITH ");
        put_ident(out, &q->steps[i].name);
        put(out, " AS (");
        print_stmt(q->steps[i].body, out, start, 4);
        put(out, "\n)");
    }
    for (uint32_t i = 0; i < q->nstmts; i++) {
        if (i) {
            put(out, ";");
        }
        print_stmt(q->stmts[i], out, start, 0);
    }
    return out->err;
}

/* The SQL parser (see parser.h; grammar in docs/sql.md).
 *
 * Recursive descent over a lazily lexed token stream with a small ring of
 * lookahead (the grammar needs at most three tokens). Every parse function
 * returns NULL (or -1) after the first error, which is kept in p->err;
 * nodes come from the arena, so an error needs no cleanup.
 *
 * Stack use is bounded: recursion happens only through parse_expr (depth
 * counted, EDDY_SQL_MAX_DEPTH), prefix operators (NOT, -, +) are collected
 * in a loop rather than by recursion, and every node's height is capped
 * (EDDY_SQL_MAX_HEIGHT), so tree walks such as the printer are bounded
 * too. The height cap sits below the depth cap so that the printed form of
 * any accepted tree, whose parentheses nest once per level, parses again. */
#include "sql/parser.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "sql/lexer.h"

#define RING 8 /* > the largest lookahead + 1 */

typedef struct parser {
    eddy_sql_lexer lx;
    eddy_arena *arena;
    const char *src;
    size_t len;
    eddy_sql_token ring[RING];
    size_t pos;       /* index of the current token */
    size_t nlexed;    /* tokens lexed so far */
    bool lex_stopped; /* EOF or an error was lexed: nothing follows */
    int lex_rc;       /* the lexer's error code, if it stopped on one */
    eddy_sql_error lex_err;
    uint32_t prev_end; /* end offset of the last consumed token */
    eddy_sql_error *err;
    bool failed;
    int depth;
    /* Qualified stars (t.*): allowed only as the first primary of a select
     * item; the item checks that the star is all there is. */
    bool star_ok;
    eddy_sql_expr *star;
    /* The last literal was -9223372036854775808, which used up a minus. */
    bool used_min;
} parser;

typedef struct vec {
    void *items;
    uint32_t n;
    uint32_t cap;
} vec;

static eddy_sql_expr *parse_expr(parser *p);
static eddy_sql_expr *parse_additive(parser *p);

/* ---- tokens ---- */

static eddy_sql_token *peek(parser *p, size_t k)
{
    while (p->nlexed <= p->pos + k) {
        if (p->lex_stopped) {
            return &p->ring[(p->nlexed - 1) % RING];
        }
        eddy_sql_token *t = &p->ring[p->nlexed % RING];
        int rc = eddy_sql_lexer_next(&p->lx, t, &p->lex_err);
        if (rc) {
            p->lex_rc = rc;
            t->kind = EDDY_SQL_TOK_ERROR;
            p->lex_stopped = true;
        } else if (t->kind == EDDY_SQL_TOK_EOF) {
            p->lex_stopped = true;
        }
        p->nlexed++;
    }
    return &p->ring[(p->pos + k) % RING];
}

static eddy_sql_token *cur(parser *p)
{
    return peek(p, 0);
}

static void advance(parser *p)
{
    eddy_sql_token *t = cur(p);
    if (t->kind != EDDY_SQL_TOK_EOF && t->kind != EDDY_SQL_TOK_ERROR) {
        p->prev_end = t->off + t->len;
        p->pos++;
    }
}

static bool is_kw(const eddy_sql_token *t, eddy_sql_kw kw)
{
    return t->kind == EDDY_SQL_TOK_WORD && t->kw == kw;
}

static bool is_name(const eddy_sql_token *t)
{
    return (t->kind == EDDY_SQL_TOK_WORD && t->kw == EDDY_SQL_KW_NONE) ||
           t->kind == EDDY_SQL_TOK_QIDENT;
}

static bool accept_kw(parser *p, eddy_sql_kw kw)
{
    if (is_kw(cur(p), kw)) {
        advance(p);
        return true;
    }
    return false;
}

static bool accept(parser *p, eddy_sql_tok kind)
{
    if (cur(p)->kind == kind) {
        advance(p);
        return true;
    }
    return false;
}

/* Can t begin an expression (for "missing ','" messages)? '-' and '+'
 * are left out: after an expression they are operators. */
static bool starts_expr(const eddy_sql_token *t)
{
    switch (t->kind) {
    case EDDY_SQL_TOK_INT:
    case EDDY_SQL_TOK_FLOAT:
    case EDDY_SQL_TOK_STRING:
    case EDDY_SQL_TOK_QIDENT:
    case EDDY_SQL_TOK_LPAREN:
        return true;
    case EDDY_SQL_TOK_WORD:
        return t->kw == EDDY_SQL_KW_NONE || t->kw == EDDY_SQL_KW_NULL ||
               t->kw == EDDY_SQL_KW_TRUE || t->kw == EDDY_SQL_KW_FALSE ||
               t->kw == EDDY_SQL_KW_CASE || t->kw == EDDY_SQL_KW_CAST ||
               t->kw == EDDY_SQL_KW_TRY_CAST;
    default:
        return false;
    }
}

/* ---- errors ---- */

/* Copies text for a message: at most 32 bytes, control characters as '?',
 * "..." when cut. */
static void excerpt(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = n > 32 ? 32 : n;
    if (k > cap - 4) {
        k = cap - 4;
    }
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    if (k < n) {
        memcpy(out + k, "...", 4);
    } else {
        out[k] = '\0';
    }
}

/* How a token reads after "found": ')', end of query, WHERE, 'name'. */
static const char *describe(parser *p, const eddy_sql_token *t, char *buf, size_t cap)
{
    char ex[48];
    switch (t->kind) {
    case EDDY_SQL_TOK_WORD:
        if (t->kw) {
            return eddy_sql_kw_name(t->kw);
        }
        excerpt(p->src + t->off, t->len, ex, sizeof ex);
        snprintf(buf, cap, "'%s'", ex);
        return buf;
    case EDDY_SQL_TOK_QIDENT:
        excerpt(p->src + t->off, t->len, ex, sizeof ex);
        snprintf(buf, cap, "%s", ex);
        return buf;
    case EDDY_SQL_TOK_STRING:
        excerpt(p->src + t->off, t->len, ex, sizeof ex);
        snprintf(buf, cap, "string %s", ex);
        return buf;
    case EDDY_SQL_TOK_INT:
    case EDDY_SQL_TOK_FLOAT:
        excerpt(p->src + t->off, t->len, ex, sizeof ex);
        snprintf(buf, cap, "number %s", ex);
        return buf;
    default:
        return eddy_sql_tok_name(t->kind);
    }
}

static void *nomem(parser *p)
{
    if (!p->failed) {
        p->failed = true;
        memset(p->err, 0, sizeof *p->err);
        p->err->code = EDDY_ERR_NOMEM;
        snprintf(p->err->msg, sizeof p->err->msg, "out of memory");
    }
    return NULL;
}

static void *fail_code(parser *p, int code, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void *fail_code(parser *p, int code, size_t off, size_t len, const char *fmt, ...)
{
    if (!p->failed) {
        p->failed = true;
        va_list ap;
        va_start(ap, fmt);
        eddy_sql_error_setv(p->err, code, p->src, p->len, off, len, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

#define fail_at(p, off, len, ...) fail_code(p, EDDY_ERR_PARSE, off, len, __VA_ARGS__)

/* An error at token t. If t is where the lexer stopped, its error wins: the
 * parser only stumbled over text the lexer could not read. */
static void *fail_tok(parser *p, const eddy_sql_token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void *fail_tok(parser *p, const eddy_sql_token *t, const char *fmt, ...)
{
    if (p->failed) {
        return NULL;
    }
    if (t->kind == EDDY_SQL_TOK_ERROR) {
        if (p->lex_rc == EDDY_ERR_NOMEM) {
            return nomem(p);
        }
        p->failed = true;
        *p->err = p->lex_err;
        return NULL;
    }
    p->failed = true;
    /* At the end, point just past the last token rather than at trailing
     * blank lines or comments. */
    size_t off = t->kind == EDDY_SQL_TOK_EOF ? p->prev_end : t->off;
    va_list ap;
    va_start(ap, fmt);
    eddy_sql_error_setv(p->err, EDDY_ERR_PARSE, p->src, p->len, off, t->len, fmt, ap);
    va_end(ap);
    return NULL;
}

/* "expected WHAT, found X" at the current token. */
static void *expected(parser *p, const char *what)
{
    char buf[64];
    eddy_sql_token *t = cur(p);
    return fail_tok(p, t, "expected %s, found %s", what, describe(p, t, buf, sizeof buf));
}

/* After an item of a comma list: a token that starts an expression means a
 * forgotten comma. Returns NULL (after failing) in that case, else p. */
static void *no_missing_comma(parser *p)
{
    eddy_sql_token *t = cur(p);
    if (starts_expr(t)) {
        char buf[64];
        return fail_tok(p, t, "missing ',' before %s", describe(p, t, buf, sizeof buf));
    }
    return p;
}

static bool expect(parser *p, eddy_sql_tok kind, const char *what)
{
    if (accept(p, kind)) {
        return true;
    }
    expected(p, what);
    return false;
}

static bool expect_kw(parser *p, eddy_sql_kw kw, const char *what)
{
    if (accept_kw(p, kw)) {
        return true;
    }
    expected(p, what);
    return false;
}

/* ---- memory ---- */

static void *vec_push(parser *p, vec *v, size_t size)
{
    if (v->n == v->cap) {
        uint32_t ncap = v->cap ? v->cap * 2 : 4;
        void *items = eddy_arena_alloc(p->arena, (size_t)ncap * size);
        if (!items) {
            return nomem(p);
        }
        if (v->n) {
            memcpy(items, v->items, (size_t)v->n * size);
        }
        v->items = items;
        v->cap = ncap;
    }
    return (char *)v->items + (size_t)v->n++ * size;
}

static bool push_expr(parser *p, vec *v, eddy_sql_expr *e)
{
    eddy_sql_expr **slot = vec_push(p, v, sizeof *slot);
    if (!slot) {
        return false;
    }
    *slot = e;
    return true;
}

static bool make_ident(parser *p, const eddy_sql_token *t, eddy_sql_ident *id)
{
    id->str = eddy_arena_strndup(p->arena, t->text, t->text_len);
    if (!id->str) {
        nomem(p);
        return false;
    }
    id->len = t->text_len;
    id->span.off = t->off;
    id->span.len = t->len;
    return true;
}

static eddy_sql_expr *new_expr(parser *p, eddy_sql_expr_kind kind, uint32_t start)
{
    eddy_sql_expr *e = eddy_arena_calloc(p->arena, 1, sizeof *e);
    if (!e) {
        return nomem(p);
    }
    e->kind = kind;
    e->span.off = start;
    e->height = 1;
    return e;
}

static uint32_t height_of(const eddy_sql_expr *e)
{
    return e ? e->height : 0;
}

static uint32_t max_height(eddy_sql_expr *const *list, uint32_t n)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = height_of(list[i]);
        h = x > h ? x : h;
    }
    return h;
}

#define MAX2(a, b) ((a) > (b) ? (a) : (b))

/* Closes e's span at the last consumed token and sets its height from its
 * children; fails when the tree gets too deep. */
static eddy_sql_expr *finish(parser *p, eddy_sql_expr *e)
{
    uint32_t h = 0;
    e->span.len = p->prev_end - e->span.off;
    switch (e->kind) {
    case EDDY_SQL_EXPR_UNARY:
        h = height_of(e->unary.arg);
        break;
    case EDDY_SQL_EXPR_BINARY:
        h = MAX2(height_of(e->binary.left), height_of(e->binary.right));
        break;
    case EDDY_SQL_EXPR_CALL:
        h = max_height(e->call.args, e->call.nargs);
        for (uint32_t i = 0; i < e->call.nover; i++) {
            h = MAX2(h, height_of(e->call.over[i].expr));
        }
        break;
    case EDDY_SQL_EXPR_CASE:
        h = MAX2(height_of(e->case_.operand), height_of(e->case_.else_));
        for (uint32_t i = 0; i < e->case_.nwhens; i++) {
            h = MAX2(h, height_of(e->case_.whens[i].cond));
            h = MAX2(h, height_of(e->case_.whens[i].result));
        }
        break;
    case EDDY_SQL_EXPR_CAST:
        h = height_of(e->cast.arg);
        break;
    case EDDY_SQL_EXPR_IN:
        h = MAX2(height_of(e->in.arg), max_height(e->in.list, e->in.nlist));
        break;
    case EDDY_SQL_EXPR_BETWEEN:
        h = MAX2(height_of(e->between.arg), height_of(e->between.lo));
        h = MAX2(h, height_of(e->between.hi));
        break;
    case EDDY_SQL_EXPR_LIKE:
        h = MAX2(height_of(e->like.arg), height_of(e->like.pattern));
        h = MAX2(h, height_of(e->like.escape));
        break;
    case EDDY_SQL_EXPR_IS_NULL:
        h = height_of(e->is_null.arg);
        break;
    case EDDY_SQL_EXPR_WINDOW:
        h = max_height(e->window.partition, e->window.npartition);
        break;
    case EDDY_SQL_EXPR_NAMED_ARG:
        h = height_of(e->named.value);
        break;
    default:
        break;
    }
    if (h + 1 > EDDY_SQL_MAX_HEIGHT) {
        return fail_code(p, EDDY_ERR_LIMIT, e->span.off, e->span.len,
                         "expression is nested too deeply (more than %d levels)",
                         EDDY_SQL_MAX_HEIGHT);
    }
    e->height = (uint16_t)(h + 1);
    return e;
}

static eddy_sql_expr *binary(parser *p, eddy_sql_op op, eddy_sql_expr *l, eddy_sql_expr *r)
{
    eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_BINARY, l->span.off);
    if (!e) {
        return NULL;
    }
    e->binary.op = op;
    e->binary.left = l;
    e->binary.right = r;
    return finish(p, e);
}

/* ---- expressions ---- */

/* Clause ranks, in the order a statement takes them. */
enum { R_INTO = 1, R_FROM, R_JOIN, R_WHERE, R_GROUP, R_HAVING, R_UNION, R_ORDER, R_LIMIT };

static const char *const rank_names[] = {"",         "INTO",   "FROM",  "JOIN",     "WHERE",
                                         "GROUP BY", "HAVING", "UNION", "ORDER BY", "LIMIT"};

static int clause_rank(const eddy_sql_token *t)
{
    if (t->kind != EDDY_SQL_TOK_WORD) {
        return 0;
    }
    switch (t->kw) {
    case EDDY_SQL_KW_INTO:
        return R_INTO;
    case EDDY_SQL_KW_FROM:
        return R_FROM;
    case EDDY_SQL_KW_JOIN:
    case EDDY_SQL_KW_INNER:
    case EDDY_SQL_KW_LEFT:
    case EDDY_SQL_KW_CROSS:
        return R_JOIN;
    case EDDY_SQL_KW_WHERE:
        return R_WHERE;
    case EDDY_SQL_KW_GROUP:
        return R_GROUP;
    case EDDY_SQL_KW_HAVING:
        return R_HAVING;
    case EDDY_SQL_KW_UNION:
        return R_UNION;
    case EDDY_SQL_KW_ORDER:
        return R_ORDER;
    case EDDY_SQL_KW_LIMIT:
        return R_LIMIT;
    default:
        return 0;
    }
}

static bool enter(parser *p)
{
    if (++p->depth > EDDY_SQL_MAX_DEPTH) {
        eddy_sql_token *t = cur(p);
        fail_code(p, EDDY_ERR_LIMIT, t->off, t->len,
                  "query is nested too deeply (more than %d levels)", EDDY_SQL_MAX_DEPTH);
        return false;
    }
    return true;
}

/* A comma list of expressions up to (not including) the token that ends
 * it. */
static bool parse_expr_list(parser *p, vec *v)
{
    do {
        eddy_sql_expr *e = parse_expr(p);
        if (!e || !push_expr(p, v, e)) {
            return false;
        }
    } while (accept(p, EDDY_SQL_TOK_COMMA));
    return no_missing_comma(p) != NULL;
}

/* expr [ASC | DESC] {, ...} */
static bool parse_order_list(parser *p, eddy_sql_order_item **items, uint32_t *n)
{
    vec v = {0};
    do {
        eddy_sql_expr *e = parse_expr(p);
        if (!e) {
            return false;
        }
        eddy_sql_order_item *it = vec_push(p, &v, sizeof *it);
        if (!it) {
            return false;
        }
        it->expr = e;
        it->desc = false;
        if (accept_kw(p, EDDY_SQL_KW_DESC)) {
            it->desc = true;
        } else {
            accept_kw(p, EDDY_SQL_KW_ASC);
        }
    } while (accept(p, EDDY_SQL_TOK_COMMA));
    if (!no_missing_comma(p)) {
        return false;
    }
    *items = v.items;
    *n = v.n;
    return true;
}

static const char *const unit_canonical[] = {
    "year", "quarter", "month",  "dayofyear",   "week",        "weekday",    "day",
    "hour", "minute",  "second", "millisecond", "microsecond", "nanosecond",
};

/* A datepart unit word. window: only fixed durations (day..microsecond). */
static bool parse_unit(parser *p, bool window, eddy_sql_unit *unit)
{
    eddy_sql_token *t = cur(p);
    char buf[64], ex[48];
    if (t->kind != EDDY_SQL_TOK_WORD || t->kw) {
        fail_tok(p, t, "expected a time unit such as second, minute or day, found %s",
                 describe(p, t, buf, sizeof buf));
        return false;
    }
    excerpt(t->text, t->text_len, ex, sizeof ex);
    if (eddy_sql_unit_lookup(t->text, t->text_len, unit) != 0) {
        long i = eddy_sql_nearest(t->text, t->text_len, unit_canonical,
                                  sizeof unit_canonical / sizeof unit_canonical[0]);
        if (i >= 0) {
            fail_tok(p, t, "unknown time unit '%s'; did you mean '%s'?", ex, unit_canonical[i]);
        } else {
            fail_tok(p, t, "unknown time unit '%s'", ex);
        }
        return false;
    }
    if (window && eddy_sql_unit_us(*unit) == 0) {
        fail_tok(p, t,
                 "a window unit must be day, hour, minute, second, millisecond or microsecond, "
                 "found '%s'",
                 ex);
        return false;
    }
    advance(p);
    return true;
}

/* A call's arguments after '(' up to ')'. named: name => value allowed. */
static bool parse_args(parser *p, const eddy_sql_func *f, bool named, vec *args)
{
    if (cur(p)->kind == EDDY_SQL_TOK_RPAREN) {
        return true;
    }
    if (f->flags & EDDY_SQL_F_DATEPART) {
        uint32_t start = cur(p)->off;
        eddy_sql_unit unit;
        if (!parse_unit(p, false, &unit)) {
            return false;
        }
        eddy_sql_expr *d = new_expr(p, EDDY_SQL_EXPR_DATEPART, start);
        if (!d) {
            return false;
        }
        d->datepart.unit = unit;
        if (!finish(p, d) || !push_expr(p, args, d)) {
            return false;
        }
        if (!accept(p, EDDY_SQL_TOK_COMMA)) {
            return true; /* the arity check reports it */
        }
    }
    do {
        eddy_sql_token *t = cur(p);
        eddy_sql_expr *e;
        /* Any word names an argument, keywords too (group => 'g1'). */
        if ((t->kind == EDDY_SQL_TOK_WORD || t->kind == EDDY_SQL_TOK_QIDENT) &&
            peek(p, 1)->kind == EDDY_SQL_TOK_ARROW) {
            if (!named) {
                return fail_tok(p, t,
                                "named arguments (name => value) are only allowed in table "
                                "sources such as read_csv('f.csv', header => true)") != NULL;
            }
            e = new_expr(p, EDDY_SQL_EXPR_NAMED_ARG, t->off);
            if (!e || !make_ident(p, t, &e->named.name)) {
                return false;
            }
            advance(p);
            advance(p);
            e->named.value = parse_expr(p);
            if (!e->named.value || !finish(p, e)) {
                return false;
            }
        } else {
            e = parse_expr(p);
            if (!e) {
                return false;
            }
        }
        if (!push_expr(p, args, e)) {
            return false;
        }
    } while (accept(p, EDDY_SQL_TOK_COMMA));
    return no_missing_comma(p) != NULL;
}

/* Checks the argument count (positional ones: named ones do not count). */
static bool check_arity(parser *p, const eddy_sql_expr *call)
{
    const eddy_sql_func *f = call->call.func;
    uint32_t n = 0;
    for (uint32_t i = 0; i < call->call.nargs; i++) {
        n += call->call.args[i]->kind != EDDY_SQL_EXPR_NAMED_ARG;
    }
    if (n >= f->min_args && (f->max_args == EDDY_SQL_ARGS_MANY || n <= f->max_args)) {
        return true;
    }
    const char *what = f->kind == EDDY_SQL_FUNC_TABLE ? "positional argument" : "argument";
    if (f->max_args == 0) {
        fail_at(p, call->span.off, call->span.len, "%s takes no arguments, found %u", f->name, n);
    } else if (f->min_args == f->max_args) {
        fail_at(p, call->span.off, call->span.len, "%s takes %u %s%s, found %u", f->name,
                f->min_args, what, f->min_args == 1 ? "" : "s", n);
    } else if (f->max_args == EDDY_SQL_ARGS_MANY) {
        fail_at(p, call->span.off, call->span.len, "%s takes at least %u %ss, found %u", f->name,
                f->min_args, what, n);
    } else {
        fail_at(p, call->span.off, call->span.len, "%s takes %u to %u %ss, found %u", f->name,
                f->min_args, f->max_args, what, n);
    }
    return false;
}

/* A call of a scalar or aggregate function; the current token is '('.
 * name[0..len) is the function name as written, at start. */
static eddy_sql_expr *parse_call(parser *p, uint32_t start, const char *name, size_t len)
{
    char ex[48];
    excerpt(name, len, ex, sizeof ex);
    const eddy_sql_func *f = eddy_sql_func_lookup(name, len);
    uint32_t name_len = p->prev_end - start;
    if (!f) {
        const eddy_sql_func *g = eddy_sql_func_nearest(
            name, len, EDDY_SQL_FUNC_SCALAR | EDDY_SQL_FUNC_AGGREGATE | EDDY_SQL_FUNC_WINDOW);
        if (g) {
            return fail_at(p, start, name_len, "unknown function '%s'; did you mean '%s'?", ex,
                           g->name);
        }
        return fail_at(p, start, name_len, "unknown function '%s'", ex);
    }
    if (f->kind == EDDY_SQL_FUNC_WINDOW) {
        return fail_at(p, start, name_len, "%s is only allowed as a GROUP BY item", f->name);
    }
    if (f->kind == EDDY_SQL_FUNC_TABLE) {
        return fail_at(p, start, name_len, "%s(...) is a table source: use it in FROM or JOIN",
                       f->name);
    }
    advance(p); /* ( */
    eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_CALL, start);
    if (!e) {
        return NULL;
    }
    e->call.func = f;
    if (is_kw(cur(p), EDDY_SQL_KW_DISTINCT)) {
        if (!(f->flags & EDDY_SQL_F_DISTINCT)) {
            return fail_tok(p, cur(p), "DISTINCT is not allowed in %s(...)", f->name);
        }
        e->call.distinct = true;
        advance(p);
    }
    vec args = {0};
    eddy_sql_token *t = cur(p);
    if (t->kind == EDDY_SQL_TOK_STAR && peek(p, 1)->kind == EDDY_SQL_TOK_RPAREN) {
        if (!(f->flags & EDDY_SQL_F_STAR)) {
            return fail_tok(p, t, "'*' is not an argument of %s: only COUNT(*) and Collect(*)",
                            f->name);
        }
        if (e->call.distinct) {
            return fail_tok(p, t, "COUNT(DISTINCT *) is not allowed: name the columns");
        }
        eddy_sql_expr *s = new_expr(p, EDDY_SQL_EXPR_STAR, t->off);
        if (!s) {
            return NULL;
        }
        advance(p);
        if (!finish(p, s) || !push_expr(p, &args, s)) {
            return NULL;
        }
    } else if (!parse_args(p, f, false, &args)) {
        return NULL;
    }
    if (cur(p)->kind != EDDY_SQL_TOK_RPAREN) {
        char what[96];
        snprintf(what, sizeof what, "',' or ')' in the arguments of %s", f->name);
        return expected(p, what);
    }
    advance(p);
    e->call.args = args.items;
    e->call.nargs = args.n;
    e->span.len = p->prev_end - start;
    if (!check_arity(p, e)) {
        return NULL;
    }
    if (is_kw(cur(p), EDDY_SQL_KW_OVER)) {
        if (!(f->flags & EDDY_SQL_F_OVER)) {
            return fail_tok(p, cur(p),
                            "OVER is only allowed after PERCENTILE_CONT, PERCENTILE_DISC and "
                            "TopOne, not after %s",
                            f->name);
        }
        advance(p);
        if (!expect(p, EDDY_SQL_TOK_LPAREN, "'(' after OVER") ||
            !expect_kw(p, EDDY_SQL_KW_ORDER, "ORDER BY in OVER (...)") ||
            !expect_kw(p, EDDY_SQL_KW_BY, "BY after ORDER")) {
            return NULL;
        }
        if (!parse_order_list(p, &e->call.over, &e->call.nover)) {
            return NULL;
        }
        if (!expect(p, EDDY_SQL_TOK_RPAREN, "')' to close OVER (...)")) {
            return NULL;
        }
        e->call.has_over = true;
    } else if (f->flags & EDDY_SQL_F_OVER) {
        return fail_at(p, start, p->prev_end - start, "%s needs OVER (ORDER BY ...) after it",
                       f->name);
    }
    return finish(p, e);
}

/* A name path: a, a.b.c, t.* (when allowed), or a call a(...), or the
 * System.Timestamp property. */
static eddy_sql_expr *parse_path(parser *p, bool star_ok)
{
    eddy_sql_token *t = cur(p);
    uint32_t start = t->off;
    vec parts = {0};
    eddy_sql_ident *id = vec_push(p, &parts, sizeof *id);
    if (!id || !make_ident(p, t, id)) {
        return NULL;
    }
    advance(p);
    while (cur(p)->kind == EDDY_SQL_TOK_DOT) {
        eddy_sql_token *n = peek(p, 1);
        /* A field may be spelt like a keyword (t.select, System.Timestamp)
         * when it is glued to the dot; "a. FROM" is a dangling dot. */
        bool glued = n->off == cur(p)->off + 1;
        if ((n->kind == EDDY_SQL_TOK_WORD && (n->kw == EDDY_SQL_KW_NONE || glued)) ||
            n->kind == EDDY_SQL_TOK_QIDENT) {
            advance(p);
            id = vec_push(p, &parts, sizeof *id);
            if (!id || !make_ident(p, n, id)) {
                return NULL;
            }
            advance(p);
        } else if (n->kind == EDDY_SQL_TOK_STAR) {
            if (!star_ok) {
                return fail_tok(p, n, "'*' is only allowed as a whole select item (t.*)");
            }
            advance(p);
            advance(p);
            eddy_sql_expr *s = new_expr(p, EDDY_SQL_EXPR_STAR, start);
            if (!s) {
                return NULL;
            }
            s->star.qualifier = parts.items;
            s->star.nqualifier = parts.n;
            p->star = s;
            return finish(p, s);
        } else {
            advance(p);
            return expected(p, "a name after '.'");
        }
    }
    /* The dotted name, for function lookups. */
    size_t total = 0;
    eddy_sql_ident *ids = parts.items;
    for (uint32_t i = 0; i < parts.n; i++) {
        total += ids[i].len + 1;
    }
    char *name = eddy_arena_alloc(p->arena, total);
    if (!name) {
        return nomem(p);
    }
    size_t o = 0;
    for (uint32_t i = 0; i < parts.n; i++) {
        memcpy(name + o, ids[i].str, ids[i].len);
        o += ids[i].len;
        name[o++] = i + 1 < parts.n ? '.' : '\0';
    }
    size_t name_len = total - 1;
    if (cur(p)->kind == EDDY_SQL_TOK_LPAREN) {
        return parse_call(p, start, name, name_len);
    }
    const eddy_sql_func *f = parts.n == 2 ? eddy_sql_func_lookup(name, name_len) : NULL;
    if (f && f->id == EDDY_SQL_FN_SYSTEM_TIMESTAMP) {
        /* ASA's older property form: System.Timestamp without (). */
        eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_CALL, start);
        if (!e) {
            return NULL;
        }
        e->call.func = f;
        return finish(p, e);
    }
    eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_COLUMN, start);
    if (!e) {
        return NULL;
    }
    e->column.parts = parts.items;
    e->column.nparts = parts.n;
    return finish(p, e);
}

static const char *const type_names[] = {"bigint", "float",  "nvarchar", "datetime",
                                         "bit",    "record", "array"};

static bool parse_type(parser *p, eddy_sql_type *type)
{
    eddy_sql_token *t = cur(p);
    char buf[64], ex[48];
    if (t->kind != EDDY_SQL_TOK_WORD || t->kw) {
        fail_tok(p, t,
                 "expected a type (bigint, float, nvarchar(max), datetime, bit, record, array), "
                 "found %s",
                 describe(p, t, buf, sizeof buf));
        return false;
    }
    size_t n = sizeof type_names / sizeof type_names[0];
    for (size_t i = 0; i < n; i++) {
        if (strlen(type_names[i]) == t->text_len &&
            strncasecmp(t->text, type_names[i], t->text_len) == 0) {
            *type = (eddy_sql_type)i;
            advance(p);
            if (*type != EDDY_SQL_TYPE_NVARCHAR) {
                return true;
            }
            if (!expect(p, EDDY_SQL_TOK_LPAREN, "'(' after nvarchar: nvarchar(max)")) {
                return false;
            }
            t = cur(p);
            if (t->kind != EDDY_SQL_TOK_WORD || t->text_len != 3 ||
                strncasecmp(t->text, "max", 3) != 0) {
                fail_tok(p, t, "only nvarchar(max) is supported, found %s",
                         describe(p, t, buf, sizeof buf));
                return false;
            }
            advance(p);
            return expect(p, EDDY_SQL_TOK_RPAREN, "')' after nvarchar(max");
        }
    }
    excerpt(t->text, t->text_len, ex, sizeof ex);
    long i = eddy_sql_nearest(t->text, t->text_len, type_names, n);
    if (i >= 0) {
        fail_tok(p, t, "unknown type '%s'; did you mean '%s'?", ex, type_names[i]);
    } else {
        fail_tok(p, t,
                 "unknown type '%s': use bigint, float, nvarchar(max), datetime, bit, record or "
                 "array",
                 ex);
    }
    return false;
}

static eddy_sql_expr *parse_cast(parser *p)
{
    eddy_sql_token *t = cur(p);
    eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_CAST, t->off);
    if (!e) {
        return NULL;
    }
    e->cast.try_ = t->kw == EDDY_SQL_KW_TRY_CAST;
    const char *name = e->cast.try_ ? "TRY_CAST" : "CAST";
    advance(p);
    char what[64];
    snprintf(what, sizeof what, "'(' after %s", name);
    if (!expect(p, EDDY_SQL_TOK_LPAREN, what)) {
        return NULL;
    }
    e->cast.arg = parse_expr(p);
    if (!e->cast.arg) {
        return NULL;
    }
    snprintf(what, sizeof what, "AS in %s(value AS type)", name);
    if (!expect_kw(p, EDDY_SQL_KW_AS, what) || !parse_type(p, &e->cast.type)) {
        return NULL;
    }
    snprintf(what, sizeof what, "')' to close %s(...)", name);
    if (!expect(p, EDDY_SQL_TOK_RPAREN, what)) {
        return NULL;
    }
    return finish(p, e);
}

static eddy_sql_expr *parse_case(parser *p)
{
    eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_CASE, cur(p)->off);
    if (!e) {
        return NULL;
    }
    advance(p);
    if (!is_kw(cur(p), EDDY_SQL_KW_WHEN)) {
        e->case_.operand = parse_expr(p);
        if (!e->case_.operand) {
            return NULL;
        }
    }
    vec whens = {0};
    while (accept_kw(p, EDDY_SQL_KW_WHEN)) {
        eddy_sql_when *w = vec_push(p, &whens, sizeof *w);
        if (!w || !(w->cond = parse_expr(p))) {
            return NULL;
        }
        if (!expect_kw(p, EDDY_SQL_KW_THEN, "THEN after the WHEN condition") ||
            !(w->result = parse_expr(p))) {
            return NULL;
        }
    }
    if (whens.n == 0) {
        return expected(p, "WHEN in CASE");
    }
    e->case_.whens = whens.items;
    e->case_.nwhens = whens.n;
    if (accept_kw(p, EDDY_SQL_KW_ELSE) && !(e->case_.else_ = parse_expr(p))) {
        return NULL;
    }
    if (!expect_kw(p, EDDY_SQL_KW_END, "WHEN, ELSE or END in CASE")) {
        return NULL;
    }
    return finish(p, e);
}

static eddy_sql_expr *parse_primary(parser *p, bool negated)
{
    bool star_ok = p->star_ok;
    p->star_ok = false;
    eddy_sql_token *t = cur(p);
    char buf[64];
    eddy_sql_expr *e;
    switch (t->kind) {
    case EDDY_SQL_TOK_INT:
        e = new_expr(p, EDDY_SQL_EXPR_LITERAL, t->off);
        if (!e) {
            return NULL;
        }
        e->lit.type = EDDY_SQL_LIT_INT;
        if (t->ival > (uint64_t)INT64_MAX) {
            if (!negated) {
                excerpt(p->src + t->off, t->len, buf, sizeof buf);
                return fail_tok(
                    p, t, "integer %s is out of range (the largest is 9223372036854775807)", buf);
            }
            e->lit.i = INT64_MIN;
            p->used_min = true;
        } else {
            e->lit.i = (int64_t)t->ival;
        }
        advance(p);
        return finish(p, e);
    case EDDY_SQL_TOK_FLOAT:
        e = new_expr(p, EDDY_SQL_EXPR_LITERAL, t->off);
        if (!e) {
            return NULL;
        }
        e->lit.type = EDDY_SQL_LIT_DOUBLE;
        e->lit.d = t->fval;
        advance(p);
        return finish(p, e);
    case EDDY_SQL_TOK_STRING:
        e = new_expr(p, EDDY_SQL_EXPR_LITERAL, t->off);
        if (!e) {
            return NULL;
        }
        e->lit.type = EDDY_SQL_LIT_STRING;
        e->lit.s = t->text;
        e->lit.slen = t->text_len;
        advance(p);
        return finish(p, e);
    case EDDY_SQL_TOK_LPAREN:
        advance(p);
        e = parse_expr(p);
        if (!e || !expect(p, EDDY_SQL_TOK_RPAREN, "')'")) {
            return NULL;
        }
        return e;
    case EDDY_SQL_TOK_QIDENT:
        return parse_path(p, star_ok);
    case EDDY_SQL_TOK_WORD:
        switch (t->kw) {
        case EDDY_SQL_KW_NONE:
            return parse_path(p, star_ok);
        case EDDY_SQL_KW_NULL:
        case EDDY_SQL_KW_TRUE:
        case EDDY_SQL_KW_FALSE:
            e = new_expr(p, EDDY_SQL_EXPR_LITERAL, t->off);
            if (!e) {
                return NULL;
            }
            e->lit.type = t->kw == EDDY_SQL_KW_NULL ? EDDY_SQL_LIT_NULL : EDDY_SQL_LIT_BOOL;
            e->lit.b = t->kw == EDDY_SQL_KW_TRUE;
            advance(p);
            return finish(p, e);
        case EDDY_SQL_KW_CASE:
            return parse_case(p);
        case EDDY_SQL_KW_CAST:
        case EDDY_SQL_KW_TRY_CAST:
            return parse_cast(p);
        default:
            if (!clause_rank(t) && !is_kw(t, EDDY_SQL_KW_SELECT) && !is_kw(t, EDDY_SQL_KW_ON) &&
                !is_kw(t, EDDY_SQL_KW_BY) && !is_kw(t, EDDY_SQL_KW_AS) &&
                !is_kw(t, EDDY_SQL_KW_AND) && !is_kw(t, EDDY_SQL_KW_OR) &&
                !is_kw(t, EDDY_SQL_KW_END) && !is_kw(t, EDDY_SQL_KW_THEN) &&
                !is_kw(t, EDDY_SQL_KW_ELSE) && !is_kw(t, EDDY_SQL_KW_WHEN)) {
                /* A word that reads like a name: say how to use it as one. */
                char ex[48];
                excerpt(t->text, t->text_len, ex, sizeof ex);
                return fail_tok(p, t,
                                "expected an expression, found %s (a reserved word: write [%s] "
                                "for a name)",
                                eddy_sql_kw_name(t->kw), ex);
            }
            return expected(p, "an expression");
        }
    case EDDY_SQL_TOK_STAR:
        return fail_tok(p, t,
                        "'*' is only allowed as a whole select item (SELECT *) or in COUNT(*)");
    default:
        return expected(p, "an expression");
    }
}

/* Prefix '-' and '+' in a loop (not recursion); a sign on a number literal
 * folds into it, so -5 is the literal -5. */
static eddy_sql_expr *parse_unary(parser *p)
{
    typedef struct {
        uint32_t off;
        bool neg;
    } sign;
    vec signs = {0};
    for (;;) {
        eddy_sql_token *t = cur(p);
        if (t->kind != EDDY_SQL_TOK_MINUS && t->kind != EDDY_SQL_TOK_PLUS) {
            break;
        }
        sign *s = vec_push(p, &signs, sizeof *s);
        if (!s) {
            return NULL;
        }
        s->off = t->off;
        s->neg = t->kind == EDDY_SQL_TOK_MINUS;
        advance(p);
    }
    sign *ss = signs.items;
    p->used_min = false;
    eddy_sql_expr *e = parse_primary(p, signs.n > 0 && ss[signs.n - 1].neg);
    if (!e) {
        return NULL;
    }
    uint32_t i = signs.n;
    if (p->used_min) {
        p->used_min = false;
        i--;
        e->span.len += e->span.off - ss[i].off;
        e->span.off = ss[i].off;
    }
    while (i-- > 0) {
        if (e->kind == EDDY_SQL_EXPR_LITERAL &&
            ((e->lit.type == EDDY_SQL_LIT_INT && (!ss[i].neg || e->lit.i != INT64_MIN)) ||
             e->lit.type == EDDY_SQL_LIT_DOUBLE)) {
            if (ss[i].neg) {
                if (e->lit.type == EDDY_SQL_LIT_INT) {
                    e->lit.i = -e->lit.i;
                } else {
                    e->lit.d = -e->lit.d;
                }
            }
            e->span.len += e->span.off - ss[i].off;
            e->span.off = ss[i].off;
            continue;
        }
        eddy_sql_expr *u = new_expr(p, EDDY_SQL_EXPR_UNARY, ss[i].off);
        if (!u) {
            return NULL;
        }
        u->unary.op = ss[i].neg ? EDDY_SQL_OP_NEG : EDDY_SQL_OP_POS;
        u->unary.arg = e;
        e = finish(p, u);
        if (!e) {
            return NULL;
        }
    }
    return e;
}

static eddy_sql_expr *parse_multiplicative(parser *p)
{
    eddy_sql_expr *e = parse_unary(p);
    while (e) {
        eddy_sql_op op;
        switch (cur(p)->kind) {
        case EDDY_SQL_TOK_STAR:
            op = EDDY_SQL_OP_MUL;
            break;
        case EDDY_SQL_TOK_SLASH:
            op = EDDY_SQL_OP_DIV;
            break;
        case EDDY_SQL_TOK_PERCENT:
            op = EDDY_SQL_OP_MOD;
            break;
        default:
            return e;
        }
        advance(p);
        eddy_sql_expr *r = parse_unary(p);
        e = r ? binary(p, op, e, r) : NULL;
    }
    return NULL;
}

static eddy_sql_expr *parse_additive(parser *p)
{
    eddy_sql_expr *e = parse_multiplicative(p);
    while (e) {
        eddy_sql_op op;
        switch (cur(p)->kind) {
        case EDDY_SQL_TOK_PLUS:
            op = EDDY_SQL_OP_ADD;
            break;
        case EDDY_SQL_TOK_MINUS:
            op = EDDY_SQL_OP_SUB;
            break;
        default:
            return e;
        }
        advance(p);
        eddy_sql_expr *r = parse_multiplicative(p);
        e = r ? binary(p, op, e, r) : NULL;
    }
    return NULL;
}

/* Comparisons and the predicates IS [NOT] NULL, [NOT] IN, [NOT] LIKE,
 * [NOT] BETWEEN, left to right. */
static eddy_sql_expr *parse_predicate(parser *p)
{
    eddy_sql_expr *e = parse_additive(p);
    while (e) {
        eddy_sql_token *t = cur(p);
        eddy_sql_op op;
        switch (t->kind) {
        case EDDY_SQL_TOK_EQ:
            op = EDDY_SQL_OP_EQ;
            break;
        case EDDY_SQL_TOK_NE:
            op = EDDY_SQL_OP_NE;
            break;
        case EDDY_SQL_TOK_LT:
            op = EDDY_SQL_OP_LT;
            break;
        case EDDY_SQL_TOK_LE:
            op = EDDY_SQL_OP_LE;
            break;
        case EDDY_SQL_TOK_GT:
            op = EDDY_SQL_OP_GT;
            break;
        case EDDY_SQL_TOK_GE:
            op = EDDY_SQL_OP_GE;
            break;
        default:
            op = EDDY_SQL_OP_NOT; /* not a comparison */
            break;
        }
        if (op != EDDY_SQL_OP_NOT) {
            advance(p);
            eddy_sql_expr *r = parse_additive(p);
            e = r ? binary(p, op, e, r) : NULL;
            continue;
        }
        if (is_kw(t, EDDY_SQL_KW_IS)) {
            advance(p);
            eddy_sql_expr *n = new_expr(p, EDDY_SQL_EXPR_IS_NULL, e->span.off);
            if (!n) {
                return NULL;
            }
            n->is_null.arg = e;
            n->is_null.negated = accept_kw(p, EDDY_SQL_KW_NOT);
            if (!expect_kw(p, EDDY_SQL_KW_NULL,
                           n->is_null.negated ? "NULL after IS NOT"
                                              : "NULL or NOT NULL after IS")) {
                return NULL;
            }
            e = finish(p, n);
            continue;
        }
        bool negated = false;
        eddy_sql_token *next = peek(p, 1);
        if (is_kw(t, EDDY_SQL_KW_NOT) &&
            (is_kw(next, EDDY_SQL_KW_IN) || is_kw(next, EDDY_SQL_KW_LIKE) ||
             is_kw(next, EDDY_SQL_KW_BETWEEN))) {
            negated = true;
            advance(p);
            t = cur(p);
        }
        if (is_kw(t, EDDY_SQL_KW_IN)) {
            advance(p);
            eddy_sql_expr *n = new_expr(p, EDDY_SQL_EXPR_IN, e->span.off);
            if (!n || !expect(p, EDDY_SQL_TOK_LPAREN, "'(' and a list of values after IN")) {
                return NULL;
            }
            vec list = {0};
            if (!parse_expr_list(p, &list) ||
                !expect(p, EDDY_SQL_TOK_RPAREN, "',' or ')' in the IN list")) {
                return NULL;
            }
            n->in.arg = e;
            n->in.list = list.items;
            n->in.nlist = list.n;
            n->in.negated = negated;
            e = finish(p, n);
        } else if (is_kw(t, EDDY_SQL_KW_LIKE)) {
            advance(p);
            eddy_sql_expr *n = new_expr(p, EDDY_SQL_EXPR_LIKE, e->span.off);
            if (!n || !(n->like.pattern = parse_additive(p))) {
                return NULL;
            }
            if (accept_kw(p, EDDY_SQL_KW_ESCAPE) && !(n->like.escape = parse_additive(p))) {
                return NULL;
            }
            n->like.arg = e;
            n->like.negated = negated;
            e = finish(p, n);
        } else if (is_kw(t, EDDY_SQL_KW_BETWEEN)) {
            advance(p);
            eddy_sql_expr *n = new_expr(p, EDDY_SQL_EXPR_BETWEEN, e->span.off);
            if (!n || !(n->between.lo = parse_additive(p))) {
                return NULL;
            }
            if (!expect_kw(p, EDDY_SQL_KW_AND, "AND in BETWEEN low AND high") ||
                !(n->between.hi = parse_additive(p))) {
                return NULL;
            }
            n->between.arg = e;
            n->between.negated = negated;
            e = finish(p, n);
        } else {
            return e;
        }
    }
    return NULL;
}

/* Prefix NOTs in a loop, then a predicate. */
static eddy_sql_expr *parse_not(parser *p)
{
    vec nots = {0};
    while (is_kw(cur(p), EDDY_SQL_KW_NOT)) {
        uint32_t *off = vec_push(p, &nots, sizeof *off);
        if (!off) {
            return NULL;
        }
        *off = cur(p)->off;
        advance(p);
    }
    eddy_sql_expr *e = parse_predicate(p);
    const uint32_t *offs = nots.items;
    for (uint32_t i = nots.n; e && i-- > 0;) {
        eddy_sql_expr *u = new_expr(p, EDDY_SQL_EXPR_UNARY, offs[i]);
        if (!u) {
            return NULL;
        }
        u->unary.op = EDDY_SQL_OP_NOT;
        u->unary.arg = e;
        e = finish(p, u);
    }
    return e;
}

static eddy_sql_expr *parse_and(parser *p)
{
    eddy_sql_expr *e = parse_not(p);
    while (e && accept_kw(p, EDDY_SQL_KW_AND)) {
        eddy_sql_expr *r = parse_not(p);
        e = r ? binary(p, EDDY_SQL_OP_AND, e, r) : NULL;
    }
    return e;
}

static eddy_sql_expr *parse_or(parser *p)
{
    eddy_sql_expr *e = parse_and(p);
    while (e && accept_kw(p, EDDY_SQL_KW_OR)) {
        eddy_sql_expr *r = parse_and(p);
        e = r ? binary(p, EDDY_SQL_OP_OR, e, r) : NULL;
    }
    return e;
}

static eddy_sql_expr *parse_expr(parser *p)
{
    if (!enter(p)) {
        return NULL;
    }
    eddy_sql_expr *e = parse_or(p);
    p->depth--;
    return e;
}

/* ---- windows ---- */

/* A whole number of units at the current token. min: the smallest count
 * allowed (1 for sizes, 0 for offsets). */
static bool parse_count(parser *p, eddy_sql_unit unit, int64_t min, eddy_sql_duration *d,
                        const char *what)
{
    eddy_sql_token *t = cur(p);
    char buf[64];
    if (t->kind != EDDY_SQL_TOK_INT || t->ival > (uint64_t)INT64_MAX || (int64_t)t->ival < min) {
        fail_tok(p, t, "expected the %s as a %s whole number, found %s", what,
                 min > 0 ? "positive" : "non-negative", describe(p, t, buf, sizeof buf));
        return false;
    }
    int64_t per = eddy_sql_unit_us(unit);
    if ((int64_t)t->ival > INT64_MAX / per) {
        fail_tok(p, t, "the %s is out of range (at most 2^63 microseconds)", what);
        return false;
    }
    d->unit = unit;
    d->count = (int64_t)t->ival;
    d->us = d->count * per;
    advance(p);
    return true;
}

/* unit, count */
static bool parse_unit_count(parser *p, int64_t min, eddy_sql_duration *d, const char *what)
{
    eddy_sql_unit unit;
    uint32_t start = cur(p)->off;
    char comma[64];
    snprintf(comma, sizeof comma, "',' and the %s", what);
    if (!parse_unit(p, true, &unit) || !expect(p, EDDY_SQL_TOK_COMMA, comma) ||
        !parse_count(p, unit, min, d, what)) {
        return false;
    }
    d->span.off = start;
    d->span.len = p->prev_end - start;
    return true;
}

/* Name(unit, count): the long form's Duration(...), Hop(...), etc. */
static bool parse_part(parser *p, const char *name, int64_t min, eddy_sql_duration *d,
                       const char *what, const char *form)
{
    eddy_sql_token *t = cur(p);
    size_t n = strlen(name);
    if (t->kind != EDDY_SQL_TOK_WORD || t->text_len != n || strncasecmp(t->text, name, n) != 0 ||
        peek(p, 1)->kind != EDDY_SQL_TOK_LPAREN) {
        char what2[160];
        snprintf(what2, sizeof what2, "%s(unit, n) in %s", name, form);
        expected(p, what2);
        return false;
    }
    uint32_t start = t->off;
    advance(p);
    advance(p);
    if (!parse_unit_count(p, min, d, what) ||
        !expect(p, EDDY_SQL_TOK_RPAREN, "')' after the duration")) {
        return false;
    }
    d->span.off = start;
    d->span.len = p->prev_end - start;
    return true;
}

static bool is_part_word(const eddy_sql_token *t)
{
    static const char *const parts[] = {"Duration", "Hop", "Offset", "Timeout", "MaxDuration"};
    if (t->kind != EDDY_SQL_TOK_WORD) {
        return false;
    }
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (strlen(parts[i]) == t->text_len && strncasecmp(t->text, parts[i], t->text_len) == 0) {
            return true;
        }
    }
    return false;
}

/* A window spec in GROUP BY; the current token is its name. */
static eddy_sql_expr *parse_window(parser *p, const eddy_sql_func *f)
{
    eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_WINDOW, cur(p)->off);
    if (!e) {
        return NULL;
    }
    eddy_sql_window *w = &e->window;
    const char *form;
    switch (f->id) {
    case EDDY_SQL_FN_HOPPINGWINDOW:
        w->kind = EDDY_SQL_WINDOW_HOPPING;
        form = "HoppingWindow(unit, size, hop[, offset])";
        break;
    case EDDY_SQL_FN_SLIDINGWINDOW:
        w->kind = EDDY_SQL_WINDOW_SLIDING;
        form = "SlidingWindow(unit, size)";
        break;
    case EDDY_SQL_FN_SESSIONWINDOW:
        w->kind = EDDY_SQL_WINDOW_SESSION;
        form = "SessionWindow(unit, timeout, max duration)";
        break;
    default:
        w->kind = EDDY_SQL_WINDOW_TUMBLING;
        form = "TumblingWindow(unit, size[, offset])";
        break;
    }
    advance(p);
    advance(p); /* ( */
    bool tumbling = w->kind == EDDY_SQL_WINDOW_TUMBLING,
         hopping = w->kind == EDDY_SQL_WINDOW_HOPPING;
    bool session = w->kind == EDDY_SQL_WINDOW_SESSION;
    if (is_part_word(cur(p)) && peek(p, 1)->kind == EDDY_SQL_TOK_LPAREN) {
        const char *lform = tumbling  ? "TumblingWindow(Duration(...)[, Offset(...)])"
                            : hopping ? "HoppingWindow(Duration(...), Hop(...)[, Offset(...)])"
                            : session ? "SessionWindow(Timeout(...), MaxDuration(...))"
                                      : "SlidingWindow(Duration(...))";
        if (session) {
            if (!parse_part(p, "Timeout", 1, &w->size, "timeout", lform) ||
                !expect(p, EDDY_SQL_TOK_COMMA, "',' and MaxDuration(unit, n)") ||
                !parse_part(p, "MaxDuration", 1, &w->max, "maximum duration", lform)) {
                return NULL;
            }
        } else {
            if (!parse_part(p, "Duration", 1, &w->size, "window size", lform)) {
                return NULL;
            }
            if (hopping && (!expect(p, EDDY_SQL_TOK_COMMA, "',' and Hop(unit, n)") ||
                            !parse_part(p, "Hop", 1, &w->hop, "hop size", lform))) {
                return NULL;
            }
            if ((tumbling || hopping) && accept(p, EDDY_SQL_TOK_COMMA)) {
                if (!parse_part(p, "Offset", 0, &w->offset, "offset", lform)) {
                    return NULL;
                }
                w->has_offset = true;
            }
        }
    } else {
        eddy_sql_unit unit;
        uint32_t start = cur(p)->off;
        if (!parse_unit(p, true, &unit) ||
            !expect(p, EDDY_SQL_TOK_COMMA,
                    session ? "',' and the timeout" : "',' and the window size") ||
            !parse_count(p, unit, 1, &w->size, session ? "timeout" : "window size")) {
            return NULL;
        }
        w->size.span.off = start;
        w->size.span.len = p->prev_end - start;
        if (hopping || session) {
            eddy_sql_duration *d = hopping ? &w->hop : &w->max;
            if (!expect(p, EDDY_SQL_TOK_COMMA,
                        hopping ? "',' and the hop size" : "',' and the maximum duration")) {
                return NULL;
            }
            uint32_t s = cur(p)->off;
            if (!parse_count(p, unit, 1, d, hopping ? "hop size" : "maximum duration")) {
                return NULL;
            }
            d->span.off = s;
            d->span.len = p->prev_end - s;
        }
        if ((tumbling || hopping) && accept(p, EDDY_SQL_TOK_COMMA)) {
            uint32_t s = cur(p)->off;
            if (!parse_count(p, unit, 0, &w->offset, "offset")) {
                return NULL;
            }
            w->offset.span.off = s;
            w->offset.span.len = p->prev_end - s;
            w->has_offset = true;
        }
    }
    if (cur(p)->kind != EDDY_SQL_TOK_RPAREN) {
        char what[128];
        snprintf(what, sizeof what, "')' to close %s", form);
        return expected(p, what);
    }
    advance(p);
    if (is_kw(cur(p), EDDY_SQL_KW_OVER)) {
        if (!session) {
            return fail_tok(p, cur(p), "only SessionWindow takes OVER (PARTITION BY ...)");
        }
        advance(p);
        if (!expect(p, EDDY_SQL_TOK_LPAREN, "'(' after OVER") ||
            !expect_kw(p, EDDY_SQL_KW_PARTITION, "PARTITION BY in OVER (...)") ||
            !expect_kw(p, EDDY_SQL_KW_BY, "BY after PARTITION")) {
            return NULL;
        }
        vec keys = {0};
        if (!parse_expr_list(p, &keys) ||
            !expect(p, EDDY_SQL_TOK_RPAREN, "')' to close OVER (PARTITION BY ...)")) {
            return NULL;
        }
        w->partition = keys.items;
        w->npartition = keys.n;
    }
    return finish(p, e);
}

/* ---- statements ---- */

/* A table source call in FROM, JOIN or INTO; the current token is its
 * name, followed by '('. */
static eddy_sql_expr *parse_table_call(parser *p, bool into)
{
    eddy_sql_token *t = cur(p);
    char ex[48];
    excerpt(t->text, t->text_len, ex, sizeof ex);
    const eddy_sql_func *f = eddy_sql_func_lookup(t->text, t->text_len);
    if (!f || f->kind != EDDY_SQL_FUNC_TABLE) {
        const eddy_sql_func *g =
            f ? NULL : eddy_sql_func_nearest(t->text, t->text_len, EDDY_SQL_FUNC_TABLE);
        if (g) {
            return fail_tok(p, t, "unknown table source '%s'; did you mean '%s'?", ex, g->name);
        }
        return fail_tok(p, t,
                        "%s '%s' is not a table source: use lake(), read_json(), read_csv(), "
                        "read_avro() or hub()",
                        f ? "function" : "name", ex);
    }
    if (into && !(f->flags & EDDY_SQL_F_SINK)) {
        return fail_tok(p, t, "%s() cannot follow INTO: write to an output name or hub('name')",
                        f->name);
    }
    eddy_sql_expr *e = new_expr(p, EDDY_SQL_EXPR_CALL, t->off);
    if (!e) {
        return NULL;
    }
    e->call.func = f;
    advance(p);
    advance(p); /* ( */
    vec args = {0};
    if (!parse_args(p, f, true, &args)) {
        return NULL;
    }
    if (cur(p)->kind != EDDY_SQL_TOK_RPAREN) {
        char what[96];
        snprintf(what, sizeof what, "',' or ')' in the arguments of %s", f->name);
        return expected(p, what);
    }
    advance(p);
    e->call.args = args.items;
    e->call.nargs = args.n;
    e->span.len = p->prev_end - e->span.off;
    if (!check_arity(p, e)) {
        return NULL;
    }
    return finish(p, e);
}

static bool parse_source(parser *p, eddy_sql_source *s, bool into)
{
    eddy_sql_token *t = cur(p);
    s->span.off = t->off;
    if (t->kind == EDDY_SQL_TOK_STRING) {
        s->kind = EDDY_SQL_SOURCE_FILE;
        s->file = t->text;
        s->file_len = t->text_len;
        advance(p);
    } else if (t->kind == EDDY_SQL_TOK_WORD && !t->kw && peek(p, 1)->kind == EDDY_SQL_TOK_LPAREN) {
        s->kind = EDDY_SQL_SOURCE_CALL;
        if (!(s->call = parse_table_call(p, into))) {
            return false;
        }
    } else if (is_name(t)) {
        s->kind = EDDY_SQL_SOURCE_NAME;
        if (!make_ident(p, t, &s->name)) {
            return false;
        }
        advance(p);
        if (cur(p)->kind == EDDY_SQL_TOK_DOT) {
            fail_tok(p, cur(p), "%s names have one part: write [a.b] for a name with a dot",
                     into ? "output" : "input");
            return false;
        }
    } else {
        expected(p, into ? "an output after INTO: a name or hub('name')"
                         : "an input: a name, a 'file' or a source such as lake('dir')");
        return false;
    }
    s->span.len = p->prev_end - s->span.off;
    if (into) {
        return true;
    }
    if (accept_kw(p, EDDY_SQL_KW_AS)) {
        if (!is_name(cur(p))) {
            expected(p, "an alias after AS");
            return false;
        }
    }
    if (is_name(cur(p))) {
        if (!make_ident(p, cur(p), &s->alias)) {
            return false;
        }
        s->has_alias = true;
        advance(p);
    }
    for (;;) {
        t = cur(p);
        if (is_kw(t, EDDY_SQL_KW_PARTITION)) {
            if (s->npartition_by) {
                fail_tok(p, t, "PARTITION BY given twice for one input");
                return false;
            }
            advance(p);
            vec keys = {0};
            if (!expect_kw(p, EDDY_SQL_KW_BY, "BY after PARTITION") || !parse_expr_list(p, &keys)) {
                return false;
            }
            s->partition_by = keys.items;
            s->npartition_by = keys.n;
        } else if (is_kw(t, EDDY_SQL_KW_TIMESTAMP)) {
            if (s->timestamp_by) {
                fail_tok(p, t, "TIMESTAMP BY given twice for one input");
                return false;
            }
            advance(p);
            if (!expect_kw(p, EDDY_SQL_KW_BY, "BY after TIMESTAMP") ||
                !(s->timestamp_by = parse_expr(p))) {
                return false;
            }
            if (accept_kw(p, EDDY_SQL_KW_OVER)) {
                vec keys = {0};
                if (!parse_expr_list(p, &keys)) {
                    return false;
                }
                s->timestamp_over = keys.items;
                s->ntimestamp_over = keys.n;
            }
        } else {
            return true;
        }
    }
}

static bool parse_joins(parser *p, eddy_sql_select *sel)
{
    vec joins = {0};
    for (;;) {
        eddy_sql_token *t = cur(p);
        eddy_sql_join_kind kind;
        uint32_t start = t->off;
        if (is_kw(t, EDDY_SQL_KW_JOIN)) {
            kind = EDDY_SQL_JOIN_INNER;
        } else if (is_kw(t, EDDY_SQL_KW_INNER)) {
            kind = EDDY_SQL_JOIN_INNER;
            advance(p);
        } else if (is_kw(t, EDDY_SQL_KW_LEFT)) {
            kind = EDDY_SQL_JOIN_LEFT;
            advance(p);
            accept_kw(p, EDDY_SQL_KW_OUTER);
        } else if (is_kw(t, EDDY_SQL_KW_CROSS)) {
            kind = EDDY_SQL_JOIN_CROSS;
            advance(p);
        } else if (is_kw(t, EDDY_SQL_KW_RIGHT)) {
            fail_tok(p, t, "RIGHT JOIN is not supported: swap the inputs and use LEFT JOIN");
            return false;
        } else if (is_kw(t, EDDY_SQL_KW_FULL)) {
            fail_tok(p, t, "FULL JOIN is not supported: only INNER, LEFT and CROSS joins");
            return false;
        } else {
            break;
        }
        if (!expect_kw(p, EDDY_SQL_KW_JOIN, "JOIN")) {
            return false;
        }
        eddy_sql_join *j = vec_push(p, &joins, sizeof *j);
        if (!j) {
            return false;
        }
        memset(j, 0, sizeof *j);
        j->kind = kind;
        if (!parse_source(p, &j->source, false)) {
            return false;
        }
        if (kind == EDDY_SQL_JOIN_CROSS) {
            if (is_kw(cur(p), EDDY_SQL_KW_ON)) {
                fail_tok(p, cur(p), "CROSS JOIN takes no ON condition");
                return false;
            }
        } else {
            if (!expect_kw(p, EDDY_SQL_KW_ON, "ON and a join condition") ||
                !(j->on = parse_expr(p))) {
                return false;
            }
        }
        j->span.off = start;
        j->span.len = p->prev_end - start;
    }
    sel->joins = joins.items;
    sel->njoins = joins.n;
    return true;
}

static bool parse_select_item(parser *p, eddy_sql_select_item *it)
{
    eddy_sql_token *t = cur(p);
    memset(it, 0, sizeof *it);
    if (t->kind == EDDY_SQL_TOK_STAR) {
        it->expr = new_expr(p, EDDY_SQL_EXPR_STAR, t->off);
        if (!it->expr) {
            return false;
        }
        advance(p);
        finish(p, it->expr);
    } else {
        p->star_ok = true;
        p->star = NULL;
        it->expr = parse_expr(p);
        p->star_ok = false;
        if (!it->expr) {
            return false;
        }
        if (p->star && it->expr != p->star) {
            fail_at(p, p->star->span.off, p->star->span.len,
                    "'*' is only allowed as a whole select item (t.*)");
            return false;
        }
    }
    bool as = accept_kw(p, EDDY_SQL_KW_AS);
    t = cur(p);
    if (!is_name(t)) {
        if (as) {
            expected(p, "an alias after AS");
            return false;
        }
        return true;
    }
    if (it->expr->kind == EDDY_SQL_EXPR_STAR) {
        fail_tok(p, t, "'*' cannot have an alias");
        return false;
    }
    if (!make_ident(p, t, &it->alias)) {
        return false;
    }
    it->has_alias = true;
    advance(p);
    return true;
}

static eddy_sql_select *parse_select(parser *p)
{
    eddy_sql_select *sel = eddy_arena_calloc(p->arena, 1, sizeof *sel);
    if (!sel) {
        return nomem(p);
    }
    sel->span.off = cur(p)->off;
    sel->top = -1;
    advance(p); /* SELECT */
    if (accept_kw(p, EDDY_SQL_KW_DISTINCT)) {
        sel->distinct = true;
    } else {
        accept_kw(p, EDDY_SQL_KW_ALL);
    }
    if (accept_kw(p, EDDY_SQL_KW_TOP)) {
        bool paren = accept(p, EDDY_SQL_TOK_LPAREN);
        eddy_sql_token *t = cur(p);
        if (t->kind != EDDY_SQL_TOK_INT || t->ival > (uint64_t)INT64_MAX) {
            return expected(p, "a number of rows after TOP");
        }
        sel->top = (int64_t)t->ival;
        advance(p);
        if (paren && !expect(p, EDDY_SQL_TOK_RPAREN, "')' after TOP (n")) {
            return NULL;
        }
    }
    vec items = {0};
    do {
        eddy_sql_select_item *it = vec_push(p, &items, sizeof *it);
        if (!it || !parse_select_item(p, it)) {
            return NULL;
        }
    } while (accept(p, EDDY_SQL_TOK_COMMA));
    if (!no_missing_comma(p)) {
        return NULL;
    }
    sel->items = items.items;
    sel->nitems = items.n;
    if (accept_kw(p, EDDY_SQL_KW_INTO)) {
        sel->into = eddy_arena_calloc(p->arena, 1, sizeof *sel->into);
        if (!sel->into) {
            return nomem(p);
        }
        if (!parse_source(p, sel->into, true)) {
            return NULL;
        }
    }
    if (accept_kw(p, EDDY_SQL_KW_FROM)) {
        sel->from = eddy_arena_calloc(p->arena, 1, sizeof *sel->from);
        if (!sel->from) {
            return nomem(p);
        }
        if (!parse_source(p, sel->from, false) || !parse_joins(p, sel)) {
            return NULL;
        }
    }
    if (accept_kw(p, EDDY_SQL_KW_WHERE) && !(sel->where = parse_expr(p))) {
        return NULL;
    }
    if (accept_kw(p, EDDY_SQL_KW_GROUP)) {
        if (!expect_kw(p, EDDY_SQL_KW_BY, "BY after GROUP")) {
            return NULL;
        }
        vec keys = {0};
        eddy_sql_expr *window = NULL;
        do {
            eddy_sql_token *t = cur(p);
            const eddy_sql_func *f = NULL;
            if (t->kind == EDDY_SQL_TOK_WORD && !t->kw && peek(p, 1)->kind == EDDY_SQL_TOK_LPAREN) {
                f = eddy_sql_func_lookup(t->text, t->text_len);
            }
            eddy_sql_expr *e;
            if (f && f->kind == EDDY_SQL_FUNC_WINDOW) {
                e = parse_window(p, f);
                if (e && window) {
                    return fail_at(p, e->span.off, e->span.len,
                                   "GROUP BY takes one window; this is a second one");
                }
                window = e;
            } else {
                e = parse_expr(p);
            }
            if (!e || !push_expr(p, &keys, e)) {
                return NULL;
            }
        } while (accept(p, EDDY_SQL_TOK_COMMA));
        if (!no_missing_comma(p)) {
            return NULL;
        }
        sel->group_by = keys.items;
        sel->ngroup_by = keys.n;
    }
    if (accept_kw(p, EDDY_SQL_KW_HAVING) && !(sel->having = parse_expr(p))) {
        return NULL;
    }
    sel->span.len = p->prev_end - sel->span.off;
    return sel;
}

static eddy_sql_stmt *parse_stmt(parser *p)
{
    eddy_sql_stmt *st = eddy_arena_calloc(p->arena, 1, sizeof *st);
    if (!st) {
        return nomem(p);
    }
    st->span.off = cur(p)->off;
    st->limit = -1;
    vec sels = {0};
    bool all = false;
    for (;;) {
        eddy_sql_select *sel = parse_select(p);
        if (!sel) {
            return NULL;
        }
        sel->union_all = all;
        eddy_sql_select **slot = vec_push(p, &sels, sizeof *slot);
        if (!slot) {
            return NULL;
        }
        *slot = sel;
        if (!accept_kw(p, EDDY_SQL_KW_UNION)) {
            break;
        }
        all = accept_kw(p, EDDY_SQL_KW_ALL);
        if (!is_kw(cur(p), EDDY_SQL_KW_SELECT)) {
            return expected(p, all ? "SELECT after UNION ALL" : "SELECT after UNION");
        }
    }
    st->selects = sels.items;
    st->nselects = sels.n;
    if (accept_kw(p, EDDY_SQL_KW_ORDER)) {
        if (!expect_kw(p, EDDY_SQL_KW_BY, "BY after ORDER") ||
            !parse_order_list(p, &st->order_by, &st->norder_by)) {
            return NULL;
        }
    }
    if (accept_kw(p, EDDY_SQL_KW_LIMIT)) {
        eddy_sql_token *t = cur(p);
        if (t->kind != EDDY_SQL_TOK_INT || t->ival > (uint64_t)INT64_MAX) {
            return expected(p, "a number of rows after LIMIT");
        }
        st->limit = (int64_t)t->ival;
        advance(p);
    }
    st->span.len = p->prev_end - st->span.off;
    return st;
}

/* The statement st ended at a token that cannot end it (not ';', the end,
 * the next SELECT, or in_step's ')'): say what is wrong. A clause keyword
 * out of order gets "X must come before Y". */
static bool check_end(parser *p, const eddy_sql_stmt *st, bool in_step)
{
    eddy_sql_token *t = cur(p);
    if (in_step ? t->kind == EDDY_SQL_TOK_RPAREN
                : t->kind == EDDY_SQL_TOK_SEMI || t->kind == EDDY_SQL_TOK_EOF ||
                      is_kw(t, EDDY_SQL_KW_SELECT)) {
        return true;
    }
    const eddy_sql_select *sel = st->selects[st->nselects - 1];
    bool present[R_LIMIT + 1] = {false};
    present[R_INTO] = sel->into != NULL;
    present[R_FROM] = sel->from != NULL;
    present[R_JOIN] = sel->njoins > 0;
    present[R_WHERE] = sel->where != NULL;
    present[R_GROUP] = sel->ngroup_by > 0;
    present[R_HAVING] = sel->having != NULL;
    present[R_UNION] = st->nselects > 1;
    present[R_ORDER] = st->norder_by > 0;
    present[R_LIMIT] = st->limit >= 0;
    int r = clause_rank(t);
    if (r) {
        for (int later = r + 1; later <= R_LIMIT; later++) {
            if (present[later]) {
                fail_tok(p, t, "%s must come before %s", rank_names[r], rank_names[later]);
                return false;
            }
        }
        if (present[r]) {
            fail_tok(p, t, "%s given twice", rank_names[r]);
            return false;
        }
        if (r == R_JOIN) {
            fail_tok(p, t, "JOIN needs a FROM before it");
            return false;
        }
    }
    if (is_kw(t, EDDY_SQL_KW_TIMESTAMP) || is_kw(t, EDDY_SQL_KW_PARTITION)) {
        fail_tok(p, t, "%s BY must follow its input in FROM or JOIN", eddy_sql_kw_name(t->kw));
        return false;
    }
    if (is_kw(t, EDDY_SQL_KW_ON)) {
        fail_tok(p, t, "ON must follow a JOIN");
        return false;
    }
    bool bare = true;
    for (int k = R_FROM; k <= R_LIMIT; k++) {
        bare = bare && !present[k];
    }
    if (in_step) {
        expected(p, bare ? "FROM or ')' to close the WITH step" : "')' to close the WITH step");
    } else {
        expected(p, bare ? "FROM or end of query" : "end of query");
    }
    return false;
}

static eddy_sql_query *parse_query(parser *p)
{
    eddy_sql_query *q = eddy_arena_calloc(p->arena, 1, sizeof *q);
    if (!q) {
        return nomem(p);
    }
    while (accept(p, EDDY_SQL_TOK_SEMI)) {
    }
    q->span.off = cur(p)->off;
    if (cur(p)->kind == EDDY_SQL_TOK_EOF) {
        return fail_tok(p, cur(p), "empty query: expected SELECT or WITH");
    }
    vec steps = {0};
    if (accept_kw(p, EDDY_SQL_KW_WITH)) {
        do {
            eddy_sql_token *t = cur(p);
            uint32_t start = t->off;
            if (!is_name(t)) {
                return expected(p, "a step name after WITH");
            }
            eddy_sql_step *s = vec_push(p, &steps, sizeof *s);
            if (!s || !make_ident(p, t, &s->name)) {
                return NULL;
            }
            advance(p);
            if (!expect_kw(p, EDDY_SQL_KW_AS, "AS after the step name") ||
                !expect(p, EDDY_SQL_TOK_LPAREN, "'(' and a SELECT after AS")) {
                return NULL;
            }
            if (!is_kw(cur(p), EDDY_SQL_KW_SELECT)) {
                return expected(p, "SELECT in the WITH step");
            }
            if (!(s->body = parse_stmt(p)) || !check_end(p, s->body, true)) {
                return NULL;
            }
            advance(p); /* ) */
            s->span.off = start;
            s->span.len = p->prev_end - start;
        } while (accept(p, EDDY_SQL_TOK_COMMA));
        if (is_name(cur(p)) && is_kw(peek(p, 1), EDDY_SQL_KW_AS)) {
            char buf[64];
            return fail_tok(p, cur(p), "missing ',' before %s",
                            describe(p, cur(p), buf, sizeof buf));
        }
        if (!is_kw(cur(p), EDDY_SQL_KW_SELECT)) {
            return expected(p, "SELECT after the WITH steps");
        }
    }
    q->steps = steps.items;
    q->nsteps = steps.n;
    vec stmts = {0};
    for (;;) {
        if (!is_kw(cur(p), EDDY_SQL_KW_SELECT)) {
            if (is_kw(cur(p), EDDY_SQL_KW_WITH)) {
                return fail_tok(p, cur(p), "WITH must come before the first SELECT");
            }
            return expected(p, stmts.n ? "SELECT or end of query" : "SELECT or WITH");
        }
        eddy_sql_stmt *st = parse_stmt(p);
        if (!st || !check_end(p, st, false)) {
            return NULL;
        }
        eddy_sql_stmt **slot = vec_push(p, &stmts, sizeof *slot);
        if (!slot) {
            return NULL;
        }
        *slot = st;
        while (accept(p, EDDY_SQL_TOK_SEMI)) {
        }
        if (cur(p)->kind == EDDY_SQL_TOK_EOF) {
            break;
        }
    }
    q->stmts = stmts.items;
    q->nstmts = stmts.n;
    q->span.len = p->prev_end - q->span.off;
    return q;
}

int eddy_sql_parse(const char *src, size_t len, eddy_arena *arena, eddy_sql_query **out,
                   eddy_sql_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    if (len > EDDY_SQL_MAX_TEXT) {
        eddy_sql_error_set(err, EDDY_ERR_LIMIT, src, len, 0, 0, "query is longer than %zu bytes",
                           EDDY_SQL_MAX_TEXT);
        return EDDY_ERR_LIMIT;
    }
    parser p;
    memset(&p, 0, sizeof p);
    eddy_sql_lexer_init(&p.lx, src, len, arena);
    p.arena = arena;
    p.src = src;
    p.len = len;
    p.err = err;
    eddy_sql_query *q = parse_query(&p);
    if (!q || p.failed) {
        if (!p.failed) {
            nomem(&p);
        }
        return err->code;
    }
    *out = q;
    return 0;
}

/* The SQL syntax tree, as the parser builds it.
 *
 * Everything lives in the arena given to eddy_sql_parse (src/core/arena.h)
 * and dies with it; nothing here owns memory. Every node keeps its source
 * span (byte offset and length in the query text), so later stages (the
 * binder, type checks) can point at the text with a caret through
 * eddy_sql_error_set. Names are unescaped copies with their length (they are
 * NUL-terminated too, but a quoted name may hold a NUL byte). Lists are an
 * array and a count; an absent optional part is NULL (or a count of 0, or
 * -1 for TOP/LIMIT).
 *
 * The tree is syntax only: names are not resolved and nothing is typed.
 * What the parser does check: function names against the function table
 * (sql/functions.h) and their argument counts, datepart units, window
 * specs (only as GROUP BY items; durations are normalized to
 * microseconds), '*' only where it may stand, named arguments only in
 * table sources. */
#ifndef EDDY_SQL_AST_H
#define EDDY_SQL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sql/functions.h"

typedef struct eddy_sql_span {
    uint32_t off; /* first byte in the query text */
    uint32_t len; /* bytes */
} eddy_sql_span;

/* A name as written: plain, [bracketed] or "quoted", unescaped. */
typedef struct eddy_sql_ident {
    const char *str; /* NUL-terminated; may hold NUL bytes, use len */
    uint32_t len;
    eddy_sql_span span;
} eddy_sql_ident;

/* Datepart units of DATEADD/DATEDIFF/DATEPART and the windows; each has
 * ASA's abbreviations (docs/sql.md). Windows take DAY..MICROSECOND. */
typedef enum eddy_sql_unit {
    EDDY_SQL_UNIT_YEAR,
    EDDY_SQL_UNIT_QUARTER,
    EDDY_SQL_UNIT_MONTH,
    EDDY_SQL_UNIT_DAYOFYEAR,
    EDDY_SQL_UNIT_WEEK,
    EDDY_SQL_UNIT_WEEKDAY,
    EDDY_SQL_UNIT_DAY,
    EDDY_SQL_UNIT_HOUR,
    EDDY_SQL_UNIT_MINUTE,
    EDDY_SQL_UNIT_SECOND,
    EDDY_SQL_UNIT_MILLISECOND,
    EDDY_SQL_UNIT_MICROSECOND,
    EDDY_SQL_UNIT_NANOSECOND,
} eddy_sql_unit;

/* CAST/TRY_CAST targets: ASA's types. */
typedef enum eddy_sql_type {
    EDDY_SQL_TYPE_BIGINT,
    EDDY_SQL_TYPE_FLOAT,
    EDDY_SQL_TYPE_NVARCHAR, /* nvarchar(max) */
    EDDY_SQL_TYPE_DATETIME,
    EDDY_SQL_TYPE_BIT,
    EDDY_SQL_TYPE_RECORD,
    EDDY_SQL_TYPE_ARRAY,
} eddy_sql_type;

typedef enum eddy_sql_op {
    /* unary */
    EDDY_SQL_OP_NEG, /* -x */
    EDDY_SQL_OP_POS, /* +x (kept: +'a' is a type error later, not a no-op) */
    EDDY_SQL_OP_NOT,
    /* binary */
    EDDY_SQL_OP_ADD,
    EDDY_SQL_OP_SUB,
    EDDY_SQL_OP_MUL,
    EDDY_SQL_OP_DIV,
    EDDY_SQL_OP_MOD,
    EDDY_SQL_OP_EQ,
    EDDY_SQL_OP_NE, /* <> and != */
    EDDY_SQL_OP_LT,
    EDDY_SQL_OP_LE,
    EDDY_SQL_OP_GT,
    EDDY_SQL_OP_GE,
    EDDY_SQL_OP_AND,
    EDDY_SQL_OP_OR,
} eddy_sql_op;

typedef enum eddy_sql_lit_type {
    EDDY_SQL_LIT_NULL,
    EDDY_SQL_LIT_BOOL,
    EDDY_SQL_LIT_INT,    /* int64 */
    EDDY_SQL_LIT_DOUBLE, /* a literal with '.' or an exponent */
    EDDY_SQL_LIT_STRING,
} eddy_sql_lit_type;

typedef enum eddy_sql_expr_kind {
    EDDY_SQL_EXPR_LITERAL,
    EDDY_SQL_EXPR_COLUMN,    /* a.b.c: a path of names, resolved by the binder */
    EDDY_SQL_EXPR_STAR,      /* * or t.* (select items only; COUNT(*) has one as its arg) */
    EDDY_SQL_EXPR_UNARY,     /* -x, +x, NOT x */
    EDDY_SQL_EXPR_BINARY,    /* arithmetic, comparison, AND, OR */
    EDDY_SQL_EXPR_CALL,      /* scalar or aggregate function call */
    EDDY_SQL_EXPR_CASE,      /* simple (with operand) or searched */
    EDDY_SQL_EXPR_CAST,      /* CAST / TRY_CAST */
    EDDY_SQL_EXPR_IN,        /* x [NOT] IN (list) */
    EDDY_SQL_EXPR_BETWEEN,   /* x [NOT] BETWEEN lo AND hi */
    EDDY_SQL_EXPR_LIKE,      /* x [NOT] LIKE pattern [ESCAPE e] */
    EDDY_SQL_EXPR_IS_NULL,   /* x IS [NOT] NULL */
    EDDY_SQL_EXPR_DATEPART,  /* the unit argument of DATEADD/DATEDIFF/DATEPART */
    EDDY_SQL_EXPR_WINDOW,    /* TumblingWindow(...) etc.: GROUP BY items only */
    EDDY_SQL_EXPR_NAMED_ARG, /* name => value: table-source arguments only */
} eddy_sql_expr_kind;

typedef struct eddy_sql_expr eddy_sql_expr;

typedef struct eddy_sql_order_item {
    eddy_sql_expr *expr;
    bool desc; /* ASC when false (also when not written) */
} eddy_sql_order_item;

typedef struct eddy_sql_when {
    eddy_sql_expr *cond; /* searched: a condition; simple: a value */
    eddy_sql_expr *result;
} eddy_sql_when;

typedef enum eddy_sql_window_kind {
    EDDY_SQL_WINDOW_TUMBLING,
    EDDY_SQL_WINDOW_HOPPING,
    EDDY_SQL_WINDOW_SLIDING,
    EDDY_SQL_WINDOW_SESSION,
} eddy_sql_window_kind;

/* One duration of a window: as written (unit, count) and normalized. */
typedef struct eddy_sql_duration {
    eddy_sql_unit unit;
    int64_t count;
    int64_t us; /* count * the unit, in microseconds (checked for overflow) */
    eddy_sql_span span;
} eddy_sql_duration;

typedef struct eddy_sql_window {
    eddy_sql_window_kind kind;
    eddy_sql_duration size;   /* window size; a session's timeout */
    eddy_sql_duration hop;    /* hopping only */
    eddy_sql_duration max;    /* session only: the maximum duration */
    eddy_sql_duration offset; /* tumbling/hopping, when has_offset */
    bool has_offset;
    /* SessionWindow(...) OVER (PARTITION BY keys) */
    eddy_sql_expr **partition;
    uint32_t npartition;
} eddy_sql_window;

struct eddy_sql_expr {
    eddy_sql_expr_kind kind;
    eddy_sql_span span;
    uint16_t height; /* 1 for a leaf; the parser caps it (EDDY_SQL_MAX_HEIGHT) */
    union {
        struct {
            eddy_sql_lit_type type;
            bool b;
            int64_t i;
            double d;
            const char *s; /* STRING: unescaped, NUL-terminated, may hold NULs */
            uint32_t slen;
        } lit;
        struct {
            eddy_sql_ident *parts; /* a.b.c: 3 parts */
            uint32_t nparts;
        } column;
        struct {
            eddy_sql_ident *qualifier; /* t.* : 1 part; bare *: none */
            uint32_t nqualifier;
        } star;
        struct {
            eddy_sql_op op;
            eddy_sql_expr *arg;
        } unary;
        struct {
            eddy_sql_op op;
            eddy_sql_expr *left;
            eddy_sql_expr *right;
        } binary;
        struct {
            const eddy_sql_func *func; /* canonical table entry; never NULL */
            eddy_sql_expr **args;      /* COUNT(*): one STAR; DATEADD: a DATEPART first */
            uint32_t nargs;
            bool distinct;
            bool has_over;             /* OVER (ORDER BY ...) given */
            eddy_sql_order_item *over; /* its ORDER BY items */
            uint32_t nover;
        } call;
        struct {
            eddy_sql_expr *operand; /* NULL: searched CASE */
            eddy_sql_when *whens;   /* at least one */
            uint32_t nwhens;
            eddy_sql_expr *else_; /* NULL: no ELSE */
        } case_;
        struct {
            eddy_sql_expr *arg;
            eddy_sql_type type;
            bool try_; /* TRY_CAST */
        } cast;
        struct {
            eddy_sql_expr *arg;
            eddy_sql_expr **list; /* at least one */
            uint32_t nlist;
            bool negated;
        } in;
        struct {
            eddy_sql_expr *arg;
            eddy_sql_expr *lo;
            eddy_sql_expr *hi;
            bool negated;
        } between;
        struct {
            eddy_sql_expr *arg;
            eddy_sql_expr *pattern;
            eddy_sql_expr *escape; /* NULL: none */
            bool negated;
        } like;
        struct {
            eddy_sql_expr *arg;
            bool negated; /* IS NOT NULL */
        } is_null;
        struct {
            eddy_sql_unit unit;
        } datepart;
        eddy_sql_window window;
        struct {
            eddy_sql_ident name;
            eddy_sql_expr *value;
        } named;
    };
};

/* A source in FROM or JOIN, or the target of INTO. */
typedef enum eddy_sql_source_kind {
    EDDY_SQL_SOURCE_NAME, /* an input or a WITH step: FROM telemetry */
    EDDY_SQL_SOURCE_FILE, /* FROM 'events.jsonl' */
    EDDY_SQL_SOURCE_CALL, /* FROM lake('dir'), read_csv('x.csv', header => true), hub('h') */
} eddy_sql_source_kind;

typedef struct eddy_sql_source {
    eddy_sql_source_kind kind;
    eddy_sql_span span;  /* the source itself, without alias and clauses */
    eddy_sql_ident name; /* NAME */
    const char *file;    /* FILE: the string's value */
    uint32_t file_len;
    eddy_sql_expr *call; /* CALL: a CALL node of a table function */
    bool has_alias;
    eddy_sql_ident alias;
    /* PARTITION BY keys (ASA's input partitioning / repartitioning). */
    eddy_sql_expr **partition_by;
    uint32_t npartition_by;
    /* TIMESTAMP BY expr [OVER keys]: event time, per-key substreams. */
    eddy_sql_expr *timestamp_by;
    eddy_sql_expr **timestamp_over;
    uint32_t ntimestamp_over;
} eddy_sql_source;

typedef enum eddy_sql_join_kind {
    EDDY_SQL_JOIN_INNER, /* JOIN, INNER JOIN */
    EDDY_SQL_JOIN_LEFT,  /* LEFT [OUTER] JOIN */
    EDDY_SQL_JOIN_CROSS, /* CROSS JOIN: no ON */
} eddy_sql_join_kind;

typedef struct eddy_sql_join {
    eddy_sql_join_kind kind;
    eddy_sql_span span; /* from the join keyword to the end of ON */
    eddy_sql_source source;
    eddy_sql_expr *on; /* NULL for CROSS */
} eddy_sql_join;

typedef struct eddy_sql_select_item {
    eddy_sql_expr *expr; /* may be a STAR */
    bool has_alias;
    eddy_sql_ident alias;
} eddy_sql_select_item;

/* One SELECT block. */
typedef struct eddy_sql_select {
    eddy_sql_span span;
    bool union_all; /* joined to the previous block by UNION ALL (not UNION) */
    bool distinct;
    int64_t top; /* TOP n; -1: none */
    eddy_sql_select_item *items;
    uint32_t nitems;
    eddy_sql_source *into; /* NULL: none (kind NAME, FILE or CALL of a sink) */
    eddy_sql_source *from; /* NULL: SELECT without FROM */
    eddy_sql_join *joins;
    uint32_t njoins;
    eddy_sql_expr *where;
    eddy_sql_expr **group_by; /* expressions and at most one WINDOW node */
    uint32_t ngroup_by;
    eddy_sql_expr *having;
} eddy_sql_select;

/* A statement: SELECT blocks chained by UNION [ALL], then ORDER BY and
 * LIMIT over the whole chain. */
typedef struct eddy_sql_stmt {
    eddy_sql_span span;
    eddy_sql_select **selects; /* at least one */
    uint32_t nselects;
    eddy_sql_order_item *order_by;
    uint32_t norder_by;
    int64_t limit; /* -1: none */
} eddy_sql_stmt;

/* WITH name AS (stmt) */
typedef struct eddy_sql_step {
    eddy_sql_span span;
    eddy_sql_ident name;
    eddy_sql_stmt *body;
} eddy_sql_step;

/* A whole query text: WITH steps shared by one or more statements (ASA
 * jobs write several outputs: SELECT ... INTO a ...; SELECT ... INTO b). */
typedef struct eddy_sql_query {
    eddy_sql_span span;
    eddy_sql_step *steps;
    uint32_t nsteps;
    eddy_sql_stmt **stmts; /* at least one */
    uint32_t nstmts;
} eddy_sql_query;

/* Names for messages and the printer. */
const char *eddy_sql_unit_name(eddy_sql_unit unit);          /* "second" */
const char *eddy_sql_type_name(eddy_sql_type type);          /* "BIGINT", "NVARCHAR(MAX)" */
const char *eddy_sql_op_name(eddy_sql_op op);                /* "+", "<>", "AND", "NOT" */
const char *eddy_sql_window_name(eddy_sql_window_kind kind); /* "TumblingWindow" */

/* Looks a datepart name or abbreviation up (case-insensitive): "second",
 * "ss", "s" -> SECOND. Returns 0 and sets *unit, or -1. */
int eddy_sql_unit_lookup(const char *name, size_t len, eddy_sql_unit *unit);

/* Microseconds in one unit: DAY..MICROSECOND; 0 for the others (no fixed
 * length, or NANOSECOND, below the resolution). */
int64_t eddy_sql_unit_us(eddy_sql_unit unit);

#endif

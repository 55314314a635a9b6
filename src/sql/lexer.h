/* The SQL lexer: query text in, tokens out, one at a time.
 *
 * Words are identifiers or reserved keywords (ASCII case-insensitive);
 * [bracketed] (with "]]" for ']') and "double quoted" (with '""') names are
 * identifiers that are never keywords. String literals are 'single quoted'
 * with '' for a quote, optionally N'prefixed'. Numbers are integers (up to
 * 2^63, so that -9223372036854775808 can be written; the parser rejects 2^63
 * without a minus) or floats (a '.' or an exponent; out of the double range
 * is an error). "--" comments run to the end of the line, block comments
 * do not nest. docs/sql.md has the full lexical rules.
 *
 * Every token keeps its byte offset and length in the text, its line and
 * its column (1-based, in UTF-8 characters). The text is borrowed and must
 * outlive the tokens; unescaped names and strings are copied into the
 * arena. Not thread-safe: one lexer per thread. */
#ifndef EDDY_SQL_LEXER_H
#define EDDY_SQL_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "sql/diag.h"

/* Reserved keywords: a word spelling one is not an identifier (write
 * [select] for a column of that name). */
#define EDDY_SQL_KEYWORDS(X)                                                                       \
    X(ALL)                                                                                         \
    X(AND)                                                                                         \
    X(AS)                                                                                          \
    X(ASC)                                                                                         \
    X(BETWEEN)                                                                                     \
    X(BY)                                                                                          \
    X(CASE)                                                                                        \
    X(CAST)                                                                                        \
    X(CROSS)                                                                                       \
    X(DESC)                                                                                        \
    X(DISTINCT)                                                                                    \
    X(ELSE)                                                                                        \
    X(END)                                                                                         \
    X(ESCAPE)                                                                                      \
    X(FALSE)                                                                                       \
    X(FROM)                                                                                        \
    X(FULL)                                                                                        \
    X(GROUP)                                                                                       \
    X(HAVING)                                                                                      \
    X(IN)                                                                                          \
    X(INNER)                                                                                       \
    X(INTO)                                                                                        \
    X(IS)                                                                                          \
    X(JOIN)                                                                                        \
    X(LEFT)                                                                                        \
    X(LIKE)                                                                                        \
    X(LIMIT)                                                                                       \
    X(NOT)                                                                                         \
    X(NULL)                                                                                        \
    X(ON)                                                                                          \
    X(OR)                                                                                          \
    X(ORDER)                                                                                       \
    X(OUTER)                                                                                       \
    X(OVER)                                                                                        \
    X(PARTITION)                                                                                   \
    X(RIGHT)                                                                                       \
    X(SELECT)                                                                                      \
    X(THEN)                                                                                        \
    X(TIMESTAMP)                                                                                   \
    X(TOP)                                                                                         \
    X(TRUE)                                                                                        \
    X(TRY_CAST)                                                                                    \
    X(UNION)                                                                                       \
    X(WHEN)                                                                                        \
    X(WHERE)                                                                                       \
    X(WITH)

typedef enum eddy_sql_kw {
    EDDY_SQL_KW_NONE = 0,
#define EDDY_X_KW(name) EDDY_SQL_KW_##name,
    EDDY_SQL_KEYWORDS(EDDY_X_KW)
#undef EDDY_X_KW
} eddy_sql_kw;

typedef enum eddy_sql_tok {
    EDDY_SQL_TOK_EOF = 0,
    EDDY_SQL_TOK_ERROR,   /* the lexer failed here; see the error it returned */
    EDDY_SQL_TOK_WORD,    /* identifier or keyword (kw says which) */
    EDDY_SQL_TOK_QIDENT,  /* [bracketed] or "double quoted" identifier */
    EDDY_SQL_TOK_STRING,  /* 'literal' */
    EDDY_SQL_TOK_INT,     /* integer literal */
    EDDY_SQL_TOK_FLOAT,   /* float literal */
    EDDY_SQL_TOK_PLUS,    /* + */
    EDDY_SQL_TOK_MINUS,   /* - */
    EDDY_SQL_TOK_STAR,    /* * */
    EDDY_SQL_TOK_SLASH,   /* / */
    EDDY_SQL_TOK_PERCENT, /* % */
    EDDY_SQL_TOK_EQ,      /* = */
    EDDY_SQL_TOK_NE,      /* <> or != */
    EDDY_SQL_TOK_LT,      /* < */
    EDDY_SQL_TOK_LE,      /* <= */
    EDDY_SQL_TOK_GT,      /* > */
    EDDY_SQL_TOK_GE,      /* >= */
    EDDY_SQL_TOK_LPAREN,  /* ( */
    EDDY_SQL_TOK_RPAREN,  /* ) */
    EDDY_SQL_TOK_COMMA,   /* , */
    EDDY_SQL_TOK_DOT,     /* . */
    EDDY_SQL_TOK_SEMI,    /* ; */
    EDDY_SQL_TOK_ARROW,   /* => */
} eddy_sql_tok;

typedef struct eddy_sql_token {
    eddy_sql_tok kind;
    eddy_sql_kw kw; /* WORD: the keyword it spells, or NONE */
    uint32_t off;   /* first byte in the text */
    uint32_t len;   /* bytes in the text */
    uint32_t line;  /* 1-based */
    uint32_t col;   /* 1-based, UTF-8 characters */
    /* WORD: the word (borrowed from the text); QIDENT: the name, STRING:
     * the value, unescaped (arena, NUL-terminated; may hold NUL bytes). */
    const char *text;
    uint32_t text_len;
    uint64_t ival; /* INT: 0..2^63 */
    double fval;   /* FLOAT */
} eddy_sql_token;

typedef struct eddy_sql_lexer {
    const char *src; /* borrowed */
    size_t len;
    size_t pos;
    eddy_arena *arena; /* borrowed; for unescaped names and strings */
    /* Line/column cursor: advanced monotonically to each token's start. */
    size_t cur_off;
    uint32_t cur_line;
    uint32_t cur_col;
} eddy_sql_lexer;

/* Starts lexing src[0..len) (borrowed). The caller keeps len below 4 GiB
 * (the parser caps queries far lower). */
void eddy_sql_lexer_init(eddy_sql_lexer *lx, const char *src, size_t len, eddy_arena *arena);

/* Reads the next token into *tok. Returns 0; at the end, 0 and an EOF
 * token, again on every call. On a lexical error returns EDDY_ERR_PARSE
 * with *err set and tok->kind ERROR; on arena exhaustion EDDY_ERR_NOMEM.
 * After an error, do not call again. */
int eddy_sql_lexer_next(eddy_sql_lexer *lx, eddy_sql_token *tok, eddy_sql_error *err);

/* The keyword word[0..len) spells (case-insensitive), or NONE. */
eddy_sql_kw eddy_sql_keyword(const char *word, size_t len);

/* "SELECT" for EDDY_SQL_KW_SELECT; "" for NONE. */
const char *eddy_sql_kw_name(eddy_sql_kw kw);

/* How a token kind reads in a message: "')'", "end of query", "number". */
const char *eddy_sql_tok_name(eddy_sql_tok kind);

#endif

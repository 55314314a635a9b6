/* The SQL lexer (see lexer.h). One pass, no backtracking past a token;
 * the line/column cursor only moves forward, so positions cost O(text). */
#include "sql/lexer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

static const char *const kw_names[] = {"",
#define EDDY_X_KW_NAME(name) #name,
                                       EDDY_SQL_KEYWORDS(EDDY_X_KW_NAME)
#undef EDDY_X_KW_NAME
};

#define NKW (sizeof kw_names / sizeof kw_names[0])

eddy_sql_kw eddy_sql_keyword(const char *word, size_t len)
{
    if (len < 2 || len > 9) {
        return EDDY_SQL_KW_NONE;
    }
    for (size_t i = 1; i < NKW; i++) {
        if (strlen(kw_names[i]) == len && strncasecmp(word, kw_names[i], len) == 0) {
            return (eddy_sql_kw)i;
        }
    }
    return EDDY_SQL_KW_NONE;
}

const char *eddy_sql_kw_name(eddy_sql_kw kw)
{
    return (unsigned)kw < NKW ? kw_names[kw] : "";
}

const char *eddy_sql_tok_name(eddy_sql_tok kind)
{
    switch (kind) {
    case EDDY_SQL_TOK_EOF:
        return "end of query";
    case EDDY_SQL_TOK_ERROR:
        return "invalid text";
    case EDDY_SQL_TOK_WORD:
    case EDDY_SQL_TOK_QIDENT:
        return "name";
    case EDDY_SQL_TOK_STRING:
        return "string";
    case EDDY_SQL_TOK_INT:
    case EDDY_SQL_TOK_FLOAT:
        return "number";
    case EDDY_SQL_TOK_PLUS:
        return "'+'";
    case EDDY_SQL_TOK_MINUS:
        return "'-'";
    case EDDY_SQL_TOK_STAR:
        return "'*'";
    case EDDY_SQL_TOK_SLASH:
        return "'/'";
    case EDDY_SQL_TOK_PERCENT:
        return "'%'";
    case EDDY_SQL_TOK_EQ:
        return "'='";
    case EDDY_SQL_TOK_NE:
        return "'<>'";
    case EDDY_SQL_TOK_LT:
        return "'<'";
    case EDDY_SQL_TOK_LE:
        return "'<='";
    case EDDY_SQL_TOK_GT:
        return "'>'";
    case EDDY_SQL_TOK_GE:
        return "'>='";
    case EDDY_SQL_TOK_LPAREN:
        return "'('";
    case EDDY_SQL_TOK_RPAREN:
        return "')'";
    case EDDY_SQL_TOK_COMMA:
        return "','";
    case EDDY_SQL_TOK_DOT:
        return "'.'";
    case EDDY_SQL_TOK_SEMI:
        return "';'";
    case EDDY_SQL_TOK_ARROW:
        return "'=>'";
    }
    return "token";
}

void eddy_sql_lexer_init(eddy_sql_lexer *lx, const char *src, size_t len, eddy_arena *arena)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->arena = arena;
    lx->cur_off = 0;
    lx->cur_line = 1;
    lx->cur_col = 1;
}

static int is_word_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_word_char(unsigned char c)
{
    return is_word_start(c) || is_digit(c);
}

static unsigned char at(const eddy_sql_lexer *lx, size_t i)
{
    return i < lx->len ? (unsigned char)lx->src[i] : 0;
}

/* Moves the line/column cursor forward to off (off >= cur_off). */
static void advance_cursor(eddy_sql_lexer *lx, size_t off)
{
    for (size_t i = lx->cur_off; i < off; i++) {
        unsigned char ch = (unsigned char)lx->src[i];
        if (ch == '\n') {
            lx->cur_line++;
            lx->cur_col = 1;
        } else if (ch == '\r' && i + 1 < lx->len && lx->src[i + 1] == '\n') {
            /* "\r\n" ends the line once, at the '\n' */
        } else if ((ch & 0xC0) != 0x80) {
            lx->cur_col++;
        }
    }
    lx->cur_off = off;
}

static int fail(eddy_sql_lexer *lx, eddy_sql_token *tok, eddy_sql_error *err, size_t off,
                size_t len, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int fail(eddy_sql_lexer *lx, eddy_sql_token *tok, eddy_sql_error *err, size_t off,
                size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eddy_sql_error_setv(err, EDDY_ERR_PARSE, lx->src, lx->len, off, len, fmt, ap);
    va_end(ap);
    tok->kind = EDDY_SQL_TOK_ERROR;
    tok->off = err->off;
    tok->len = err->len;
    tok->line = err->line;
    tok->col = err->col;
    lx->pos = lx->len; /* nothing after an error */
    return EDDY_ERR_PARSE;
}

/* Writes src[off, off+len) for a message: at most 40 bytes, control
 * characters as '?', "..." when cut. */
static void excerpt(const eddy_sql_lexer *lx, size_t off, size_t len, char *out, size_t cap)
{
    size_t n = len > 40 ? 40 : len;
    if (n > cap - 4) {
        n = cap - 4;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)lx->src[off + i];
        out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    if (n < len) {
        memcpy(out + n, "...", 4);
    } else {
        out[n] = '\0';
    }
}

/* Skips blanks and comments. Returns 0 or the error for an unterminated
 * block comment. */
static int skip_space(eddy_sql_lexer *lx, eddy_sql_token *tok, eddy_sql_error *err)
{
    for (;;) {
        unsigned char c = at(lx, lx->pos);
        if (lx->pos >= lx->len) {
            return 0;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            lx->pos++;
        } else if (c == '-' && at(lx, lx->pos + 1) == '-') {
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n') {
                lx->pos++;
            }
        } else if (c == '/' && at(lx, lx->pos + 1) == '*') {
            size_t start = lx->pos;
            lx->pos += 2;
            for (;;) {
                if (lx->pos + 1 >= lx->len) {
                    advance_cursor(lx, start);
                    return fail(lx, tok, err, start, 2, "unterminated comment: missing '*/'");
                }
                if (lx->src[lx->pos] == '*' && lx->src[lx->pos + 1] == '/') {
                    lx->pos += 2;
                    break;
                }
                lx->pos++;
            }
        } else {
            return 0;
        }
    }
}

/* Scans a quoted run starting at lx->pos (the opening quote) up to the
 * closing quote q, where qq stands for one q. Copies the unescaped bytes
 * into the arena. Returns 0, 1 when unterminated, or NOMEM. */
static int scan_quoted(eddy_sql_lexer *lx, char q, const char **text, uint32_t *text_len)
{
    size_t i = lx->pos + 1, n = 0;
    for (;;) {
        if (i >= lx->len) {
            return 1;
        }
        if (lx->src[i] == q) {
            if (at(lx, i + 1) == (unsigned char)q) {
                i += 2;
                n++;
                continue;
            }
            break;
        }
        i++;
        n++;
    }
    char *out = eddy_arena_alloc(lx->arena, n + 1);
    if (!out) {
        return EDDY_ERR_NOMEM;
    }
    size_t o = 0;
    for (size_t k = lx->pos + 1; k < i; k++) {
        out[o++] = lx->src[k];
        if (lx->src[k] == q) {
            k++; /* the doubled quote */
        }
    }
    out[o] = '\0';
    *text = out;
    *text_len = (uint32_t)n;
    lx->pos = i + 1;
    return 0;
}

static int scan_number(eddy_sql_lexer *lx, eddy_sql_token *tok, eddy_sql_error *err)
{
    size_t start = lx->pos, i = start;
    int is_float = 0;
    while (is_digit(at(lx, i))) {
        i++;
    }
    if (at(lx, i) == '.') {
        is_float = 1;
        i++;
        while (is_digit(at(lx, i))) {
            i++;
        }
    }
    if (at(lx, i) == 'e' || at(lx, i) == 'E') {
        size_t j = i + 1;
        if (at(lx, j) == '+' || at(lx, j) == '-') {
            j++;
        }
        if (is_digit(at(lx, j))) {
            is_float = 1;
            i = j;
            while (is_digit(at(lx, i))) {
                i++;
            }
        }
    }
    if (is_word_char(at(lx, i))) {
        /* "12abc", "1e", "1.5x": a number glued to a word. */
        while (is_word_char(at(lx, i))) {
            i++;
        }
        char ex[48];
        excerpt(lx, start, i - start, ex, sizeof ex);
        return fail(lx, tok, err, start, i - start, "malformed number '%s'", ex);
    }
    tok->len = (uint32_t)(i - start);
    if (!is_float) {
        uint64_t v = 0;
        for (size_t k = start; k < i; k++) {
            unsigned d = (unsigned)(lx->src[k] - '0');
            if (v > (UINT64_MAX - d) / 10) {
                v = UINT64_MAX;
                break;
            }
            v = v * 10 + d;
        }
        if (v > (uint64_t)INT64_MAX + 1) {
            char ex[48];
            excerpt(lx, start, i - start, ex, sizeof ex);
            return fail(lx, tok, err, start, i - start,
                        "integer %s is out of range (the largest is 9223372036854775807)", ex);
        }
        tok->kind = EDDY_SQL_TOK_INT;
        tok->ival = v;
    } else {
        char *copy = eddy_arena_strndup(lx->arena, lx->src + start, i - start);
        if (!copy) {
            return EDDY_ERR_NOMEM;
        }
        double d = strtod(copy, NULL);
        if (isinf(d)) {
            char ex[48];
            excerpt(lx, start, i - start, ex, sizeof ex);
            return fail(lx, tok, err, start, i - start, "number %s is out of range", ex);
        }
        tok->kind = EDDY_SQL_TOK_FLOAT;
        tok->fval = d;
    }
    lx->pos = i;
    return 0;
}

int eddy_sql_lexer_next(eddy_sql_lexer *lx, eddy_sql_token *tok, eddy_sql_error *err)
{
    memset(tok, 0, sizeof *tok);
    int rc = skip_space(lx, tok, err);
    if (rc) {
        return rc;
    }
    size_t start = lx->pos;
    advance_cursor(lx, start);
    tok->off = (uint32_t)start;
    tok->line = lx->cur_line;
    tok->col = lx->cur_col;
    if (start >= lx->len) {
        tok->kind = EDDY_SQL_TOK_EOF;
        return 0;
    }
    unsigned char c = at(lx, start), c1 = at(lx, start + 1);

    if ((c == 'N' || c == 'n') && c1 == '\'') {
        lx->pos++; /* N'...': a string; the prefix changes nothing here */
        c = '\'';
    }
    if (c == '\'' || c == '[' || c == '"') {
        char close = c == '[' ? ']' : (char)c;
        rc = scan_quoted(lx, close, &tok->text, &tok->text_len);
        if (rc == EDDY_ERR_NOMEM) {
            return rc;
        }
        if (rc) {
            if (c == '\'') {
                return fail(lx, tok, err, start, 1, "unterminated string: missing closing quote");
            }
            return fail(lx, tok, err, start, 1, "unterminated quoted name: missing '%c'", close);
        }
        tok->len = (uint32_t)(lx->pos - start);
        if (c == '\'') {
            tok->kind = EDDY_SQL_TOK_STRING;
        } else {
            if (tok->text_len == 0) {
                return fail(lx, tok, err, start, tok->len, "empty quoted name");
            }
            tok->kind = EDDY_SQL_TOK_QIDENT;
        }
        return 0;
    }
    if (is_word_start(c)) {
        size_t i = start;
        while (is_word_char(at(lx, i))) {
            i++;
        }
        tok->kind = EDDY_SQL_TOK_WORD;
        tok->len = (uint32_t)(i - start);
        tok->text = lx->src + start;
        tok->text_len = tok->len;
        tok->kw = eddy_sql_keyword(tok->text, tok->len);
        lx->pos = i;
        return 0;
    }
    if (is_digit(c) || (c == '.' && is_digit(c1))) {
        return scan_number(lx, tok, err);
    }

    eddy_sql_tok kind;
    size_t n = 1;
    switch (c) {
    case '+':
        kind = EDDY_SQL_TOK_PLUS;
        break;
    case '-':
        kind = EDDY_SQL_TOK_MINUS;
        break;
    case '*':
        kind = EDDY_SQL_TOK_STAR;
        break;
    case '/':
        kind = EDDY_SQL_TOK_SLASH;
        break;
    case '%':
        kind = EDDY_SQL_TOK_PERCENT;
        break;
    case '(':
        kind = EDDY_SQL_TOK_LPAREN;
        break;
    case ')':
        kind = EDDY_SQL_TOK_RPAREN;
        break;
    case ',':
        kind = EDDY_SQL_TOK_COMMA;
        break;
    case '.':
        kind = EDDY_SQL_TOK_DOT;
        break;
    case ';':
        kind = EDDY_SQL_TOK_SEMI;
        break;
    case '=':
        kind = c1 == '>' ? EDDY_SQL_TOK_ARROW : EDDY_SQL_TOK_EQ;
        n = c1 == '>' ? 2 : 1;
        break;
    case '<':
        kind = c1 == '>' ? EDDY_SQL_TOK_NE : c1 == '=' ? EDDY_SQL_TOK_LE : EDDY_SQL_TOK_LT;
        n = c1 == '>' || c1 == '=' ? 2 : 1;
        break;
    case '>':
        kind = c1 == '=' ? EDDY_SQL_TOK_GE : EDDY_SQL_TOK_GT;
        n = c1 == '=' ? 2 : 1;
        break;
    case '!':
        if (c1 == '=') {
            kind = EDDY_SQL_TOK_NE;
            n = 2;
            break;
        }
        return fail(lx, tok, err, start, 1,
                    "unexpected character '!' (use NOT, or <> for not equal)");
    default:
        if (c >= 0x20 && c < 0x7F) {
            return fail(lx, tok, err, start, 1, "unexpected character '%c'", c);
        }
        return fail(lx, tok, err, start, 1, "unexpected character (byte 0x%02X)", c);
    }
    tok->kind = kind;
    tok->len = (uint32_t)n;
    lx->pos = start + n;
    return 0;
}

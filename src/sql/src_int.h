/* Internals of the table sources (source.h), shared by src_*.c only.
 *
 *   src.c        the public functions: open, project, split, readers; the
 *                file list and its byte ranges
 *   src_files.c  listing a file, a folder or a glob
 *   src_col.c    per-chunk typed column builders (INT -> DOUBLE -> ANY)
 *   src_jscan.c  the JSON scanner with projection pushdown (a trie of the
 *                projected paths), used by JSON lines and the lake's Body
 *   src_json.c   JSON lines files, read in large blocks, split by range
 *   src_csv.c    CSV (RFC 4180)
 *   src_avro.c   Avro container files and the lake (EventData)
 *
 * A source is shared read-only by the worker threads once split has run;
 * everything a reader changes lives in the reader. */
#ifndef EDDY_SQL_SRC_INT_H
#define EDDY_SQL_SRC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/map.h"
#include "sql/source.h"
#include "sql/vector.h"

#define SRC_ROWS EDDY_SQL_CHUNK_ROWS

/* Lines sampled for the JSON columns, events for the lake's Body keys. */
#define SRC_SAMPLE_LINES 1000
/* Longest line (JSON) or record (CSV) a reader accepts. */
#define SRC_MAX_LINE ((size_t)256 << 20)
/* Default size of a reader's file buffer. */
#define SRC_READ_SIZE ((size_t)4 << 20)
/* Smallest automatic part (bytes of input per part). */
#define SRC_MIN_PART ((uint64_t)4 << 20)

/* ---- files, ranges, parts ------------------------------------------- */

typedef struct src_file {
    char *path;
    uint64_t size;
    int64_t partition; /* lake: the partition folder's number, else -1 */
} src_file;

/* Lines (records) starting in [start, end) of a file. */
typedef struct src_range {
    uint32_t file;
    uint64_t start, end;
} src_range;

typedef struct src_part {
    uint32_t first, count; /* ranges */
} src_part;

/* Lists the files of pattern (a file, a folder: every regular file below it
 * whose name does not start with '.', or a glob whose folder matches are
 * expanded the same way), sorted by path. With only_avro, folders yield
 * only *.avro files (the lake). Returns 0 with *files (owned; free with
 * src_files_free), EDDY_ERR_NOT_FOUND naming the pattern, or an I/O
 * error. An existing empty folder gives 0 files. */
int src_files_list(const char *pattern, bool only_avro, src_file **files, size_t *n, char *err,
                   size_t errlen);
void src_files_free(src_file *files, size_t n);

/* ---- per-chunk typed columns ------------------------------------------ */

/* A column being filled: typed by its first non-null value; INT becomes
 * DOUBLE when a float comes, any other mix turns it into ANY (where each
 * value keeps its own type, integers included). Rows are filled at most
 * once each; rows never filled are null. */
typedef struct src_col {
    eddy_sql_vtype type; /* NULL while every row so far is null */
    uint32_t nvalid;
    uint8_t *valid;      /* SRC_ROWS */
    union {              /* SRC_ROWS slots of 16 bytes */
        int64_t *i;      /* INT, TIME */
        double *d;       /* DOUBLE */
        uint8_t *b;      /* BOOL */
        eddy_sql_str *s; /* STRING, RECORD, ARRAY */
        void *data;
    };
    eddy_sql_value *any; /* ANY: SRC_ROWS tagged values (allocated on need) */
    /* A DOUBLE column that holds integers keeps them exactly (in any[])
     * with a mark per row, so that turning to ANY restores them as INT. */
    uint8_t *was_int;
    bool has_ints;
    bool oom; /* a type change could not allocate: the read fails */
} src_col;

int src_col_init(src_col *c);
void src_col_deinit(src_col *c);
/* Starts a chunk: every row null. */
void src_col_clear(src_col *c);
/* The slow paths of the puts below (type changes). */
void src_col_put_slow(src_col *c, uint32_t row, const eddy_sql_value *v);
/* Ends a chunk of nrows: zeroes the data of null rows and describes the
 * column in *out (pointers into c). */
void src_col_finish(src_col *c, uint32_t nrows, eddy_sql_vec *out);
/* Copies the text of rows [from, to) into arena (when the buffer they point
 * into is about to change). Returns 0 or EDDY_ERR_NOMEM. */
int src_col_detach(src_col *c, uint32_t from, uint32_t to, eddy_arena *arena);

static inline void src_col_put_int(src_col *c, uint32_t row, int64_t v)
{
    if (c->type == EDDY_SQL_V_INT) {
        c->i[row] = v;
        c->valid[row] = 1;
        c->nvalid++;
        return;
    }
    eddy_sql_value x = {.type = EDDY_SQL_V_INT, .i = v};
    src_col_put_slow(c, row, &x);
}

static inline void src_col_put_double(src_col *c, uint32_t row, double v)
{
    if (c->type == EDDY_SQL_V_DOUBLE) {
        c->d[row] = v;
        c->valid[row] = 1;
        c->nvalid++;
        return;
    }
    eddy_sql_value x = {.type = EDDY_SQL_V_DOUBLE, .d = v};
    src_col_put_slow(c, row, &x);
}

/* STRING, RECORD or ARRAY text (borrowed). */
static inline void src_col_put_text(src_col *c, uint32_t row, eddy_sql_vtype t, const char *p,
                                    size_t n)
{
    if (c->type == t) {
        c->s[row].p = p;
        c->s[row].len = (uint32_t)n;
        c->valid[row] = 1;
        c->nvalid++;
        return;
    }
    eddy_sql_value x = {.type = t, .s = {p, (uint32_t)n}};
    src_col_put_slow(c, row, &x);
}

static inline void src_col_put_bool(src_col *c, uint32_t row, bool v)
{
    if (c->type == EDDY_SQL_V_BOOL) {
        c->b[row] = v;
        c->valid[row] = 1;
        c->nvalid++;
        return;
    }
    eddy_sql_value x = {.type = EDDY_SQL_V_BOOL, .b = v};
    src_col_put_slow(c, row, &x);
}

static inline void src_col_put_time(src_col *c, uint32_t row, int64_t us)
{
    if (c->type == EDDY_SQL_V_TIME) {
        c->i[row] = us;
        c->valid[row] = 1;
        c->nvalid++;
        return;
    }
    eddy_sql_value x = {.type = EDDY_SQL_V_TIME, .i = us};
    src_col_put_slow(c, row, &x);
}

/* ---- projected paths -------------------------------------------------- */

/* A trie of the projected paths: node 0 is the root (the line's object);
 * a node is a name under its parent, with the internal column it feeds (or
 * -1) and its children. */
typedef struct src_pnode {
    const char *name; /* owned by the trie */
    uint32_t len;
    int32_t col; /* internal column, or -1 */
    uint32_t nkids;
    uint32_t *kids; /* node indexes */
    uint32_t hmask; /* kid lookup table of hmask + 1 slots (0 = none) */
    uint16_t *htab; /* kid position + 1 */
} src_pnode;

typedef struct src_ptrie {
    src_pnode *nodes;
    uint32_t nnodes;
    eddy_arena arena;
} src_ptrie;

/* Builds the trie of paths (cols[i] feeds internal column ids[i]); skip
 * leading names of each path are dropped (0 for plain JSON). Returns 0 or
 * EDDY_ERR_NOMEM. */
int src_ptrie_build(src_ptrie *t, const eddy_sql_src_col *cols, const uint32_t *ids, size_t n);
void src_ptrie_free(src_ptrie *t);
/* The kid of node named key[0..len), or -1. */
int32_t src_ptrie_find(const src_ptrie *t, uint32_t node, const char *key, size_t len);

/* ---- the JSON scanner ------------------------------------------------- */

#define JSCAN_PRED     32 /* keys per object whose order is predicted */
#define JSCAN_PRED_LEN 30 /* longest predicted key */

typedef struct jscan_pred {
    uint8_t len;                  /* 0 = no prediction */
    char key[JSCAN_PRED_LEN + 2]; /* the key, its closing quote, and slack for 16-byte loads */
    int32_t kid;                  /* node, or -1 for a key not projected */
} jscan_pred;

/* A scanner of one reader: fills cols (by the trie's column ids) from one
 * JSON object per call. */
typedef struct jscan {
    const src_ptrie *trie;
    src_col *cols;
    eddy_arena *arena; /* unescaped strings */
    uint32_t *stamp;   /* per trie node: the object (line) it was last seen in */
    uint32_t line;
    jscan_pred *pred; /* per trie node, JSCAN_PRED positions */
    char *kbuf;       /* an unescaped key */
    size_t kcap;
    /* The error of the last call. */
    const char *what;
    const char *at;
} jscan;

int jscan_init(jscan *js, const src_ptrie *trie, src_col *cols, eddy_arena *arena);
void jscan_deinit(jscan *js);

/* Scans the object in [p, end) (surrounding whitespace allowed) into row.
 * Returns 1 with the row filled, 0 for a blank text (no row; only when
 * blank_ok), or -1 with js->what and js->at (inside [p, end]). */
int jscan_object(jscan *js, const char *p, const char *end, uint32_t row, bool blank_ok);

/* Calls fn for each top-level key of the object in [p, end) (unescaped).
 * Returns 0, or -1 on malformed input. */
typedef int (*jscan_key_fn)(void *ctx, const char *key, size_t len);
int jscan_keys(const char *p, const char *end, jscan_key_fn fn, void *ctx);

/* Parses a JSON number in [p, end); *is_int tells which of *i and *d holds
 * it. Returns the end of the number, or NULL when it is malformed. */
const char *jscan_number(const char *p, const char *end, bool *is_int, int64_t *i, double *d);

/* ---- the source and its readers ---------------------------------------- */

typedef struct src_kind_ops src_kind_ops;

/* A column set of names for SELECT * (columns()). */
typedef struct src_names {
    char **v;
    size_t n, cap;
    eddy_arena arena;
} src_names;

int src_names_add(src_names *nm, const char *name, size_t len);

/* Collects the keys a sample scan sees (jscan_keys' callback) into names,
 * each once, in first-seen order; err is set when memory runs out. */
typedef struct src_sample {
    eddy_map seen;
    src_names *names;
    int err;
} src_sample;

int src_sample_key(void *arg, const char *key, size_t len);

/* The projection of a source with fixed columns beside a JSON Body (the
 * lake, a hub): *fixed (replaced; one per internal column) gets
 * fixed_of(the column's name) for a one-name path, else -1, and s->trie
 * the other paths, into the Body. Returns 0 or EDDY_ERR_NOMEM. */
int src_project_body(eddy_sql_src *s, int (*fixed_of)(const char *name, size_t len), int8_t **fixed,
                     char *err, size_t errlen);

struct eddy_sql_src {
    eddy_sql_src_opts opts;
    const src_kind_ops *ops;
    char *pattern;
    src_file *files;
    size_t nfiles;
    const uint8_t *mem; /* open_mem: the one "file"'s bytes (borrowed) */
    size_t memlen;
    src_names names;
    /* Projection: the executor's columns map onto distinct internal ones. */
    size_t ncols;
    uint32_t *colmap;
    eddy_sql_src_col *icols; /* nicols distinct paths (owned copies) */
    size_t nicols;
    eddy_arena parena;
    src_ptrie trie;
    bool projected;
    /* Split. */
    src_range *ranges;
    size_t nranges;
    src_part *parts;
    size_t nparts;
    size_t read_size;
    void *kind; /* format-specific state */
};

struct eddy_sql_src_reader {
    eddy_sql_src *s;
    uint32_t range, range_end; /* next range, one past the part's last */
    eddy_arena arena;          /* the chunk's own text */
    src_col *cols;             /* s->nicols */
    eddy_sql_vec *vecs;        /* s->ncols */
    void *kind;
};

struct src_kind_ops {
    /* Lists nothing; reads what the format needs up front (names). */
    int (*open)(eddy_sql_src *s, char *err, size_t errlen);
    /* Checks the projection (icols are set). */
    int (*project)(eddy_sql_src *s, char *err, size_t errlen);
    /* Fills s->ranges (one per file by default when NULL). */
    int (*ranges)(eddy_sql_src *s, uint64_t part_bytes);
    int (*reader_open)(eddy_sql_src_reader *r);
    /* Fills r->cols with up to SRC_ROWS rows; *nrows = 0 at the end. */
    int (*read)(eddy_sql_src_reader *r, uint32_t *nrows, char *err, size_t errlen);
    void (*reader_close)(eddy_sql_src_reader *r);
    void (*close)(eddy_sql_src *s);
};

extern const src_kind_ops src_json_ops;
extern const src_kind_ops src_csv_ops;
extern const src_kind_ops src_avro_ops;
extern const src_kind_ops src_lake_ops;
extern const src_kind_ops src_hub_ops;

/* A reader of ranges [first, first + count) (count 0: a hub's reader). */
int src_reader_new(eddy_sql_src *s, uint32_t first, uint32_t count, eddy_sql_src_reader **out);
/* Starts a chunk: the reader's arena reset, every column cleared. */
void src_reader_begin(eddy_sql_src_reader *r);
/* Ends a chunk of nrows: the columns as vectors in the executor's order. */
int src_reader_end(eddy_sql_src_reader *r, uint32_t nrows, eddy_sql_chunk *chunk, char *err,
                   size_t errlen);

/* Adds a range to s->ranges. Returns 0 or EDDY_ERR_NOMEM. */
int src_add_range(eddy_sql_src *s, uint32_t file, uint64_t start, uint64_t end);

/* Reads up to n bytes of file at off into dst (from s->mem for open_mem).
 * Returns the bytes read (0 at the end), or a negative error with errno's
 * message in err. fd is the file's descriptor (-1 for memory). */
ptrdiff_t src_pread(const eddy_sql_src *s, int fd, void *dst, size_t n, uint64_t off);

/* Opens file i for reading; returns the descriptor, -2 for memory, or a
 * negative error (-1) with a message in err. */
int src_open_file(const eddy_sql_src *s, uint32_t i, char *err, size_t errlen);

/* ---- a window over a file (JSON lines, CSV) ----------------------------- */

typedef struct src_fbuf {
    const eddy_sql_src *s;
    int fd;
    uint32_t file;
    char *buf; /* cap bytes + padding */
    size_t cap;
    size_t len;   /* bytes held */
    size_t pos;   /* next unread byte */
    uint64_t off; /* file offset of buf[0] */
    uint64_t end; /* read lazily past here only to finish a line */
    bool eof;
} src_fbuf;

int src_fbuf_init(src_fbuf *f, const eddy_sql_src *s, size_t cap);
void src_fbuf_deinit(src_fbuf *f);
/* Points the window at file i, offset off, reading ahead up to end
 * (then in small steps). Returns 0 or an error (message in err). */
int src_fbuf_open(src_fbuf *f, uint32_t file, uint64_t off, uint64_t end, char *err, size_t errlen);
void src_fbuf_close(src_fbuf *f);
/* Moves the unread bytes to the front and reads more; grows the buffer
 * when it is full of unread bytes. Returns 0 (f->eof at the end), or an
 * error with a message. Invalidates pointers into the buffer. */
int src_fbuf_more(src_fbuf *f, char *err, size_t errlen);

/* The 1-based line of file offset off (counts newlines before it). */
uint64_t src_line_of(const eddy_sql_src *s, uint32_t file, uint64_t off);

/* Test and benchmark knobs: parts of about part_bytes bytes (byte ranges
 * of big files for JSON and CSV) and reads of read_size bytes. Call
 * instead of eddy_sql_src_split. */
size_t eddy_sql_src_split_bytes(eddy_sql_src *s, uint64_t part_bytes, size_t read_size);

/* A source over bytes in memory (borrowed; JSON lines and CSV), named name
 * in messages: the fuzz targets' entry. */
int eddy_sql_src_open_mem(const eddy_sql_src_opts *opts, const char *name, const void *data,
                          size_t len, eddy_sql_src **out, char *err, size_t errlen);

#endif

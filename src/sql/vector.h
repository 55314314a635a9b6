/* Column vectors and chunks: the data the SQL executor's operators pass to
 * each other (docs/sql-engine.md "Values and types", "Chunks and
 * operators").
 *
 * A chunk holds up to EDDY_SQL_CHUNK_ROWS rows as one vector per column.
 * A vector has one physical type for all its rows, a validity byte per row
 * (1 = a value, 0 = null), and the values in a plain array. Strings, records
 * and arrays are {pointer, length} views: into the input buffer the chunk
 * was scanned from (valid while the chunk is), or into the chunk's arena
 * (strings computed by expressions). A source that cannot give one type to
 * a column in a chunk (JSON with an integer here and a string there) uses
 * EDDY_SQL_V_ANY: a tagged value per row.
 *
 * Chunks and vectors are plain data, owned by whoever made them; operators
 * never keep pointers into a chunk they were pushed after push returns
 * (they copy what they keep, e.g. group keys, into their own arenas). */
#ifndef EDDY_SQL_VECTOR_H
#define EDDY_SQL_VECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define EDDY_SQL_CHUNK_ROWS 2048

/* Physical types. */
typedef enum eddy_sql_vtype {
    EDDY_SQL_V_NULL = 0, /* every row is null (a null literal, a missing field) */
    EDDY_SQL_V_BOOL,     /* bit: b[] 0/1 */
    EDDY_SQL_V_INT,      /* bigint: i[] */
    EDDY_SQL_V_DOUBLE,   /* float: d[] */
    EDDY_SQL_V_STRING,   /* nvarchar(max): s[] UTF-8 */
    EDDY_SQL_V_TIME,     /* datetime: i[] microseconds since the epoch, UTC */
    EDDY_SQL_V_RECORD,   /* record: s[] the JSON object's text */
    EDDY_SQL_V_ARRAY,    /* array: s[] the JSON array's text */
    EDDY_SQL_V_ANY,      /* mixed: any[] tagged values */
} eddy_sql_vtype;

typedef struct eddy_sql_str {
    const char *p;
    uint32_t len;
} eddy_sql_str;

/* One value of any type (V_ANY vectors, constants, group keys). For
 * STRING, RECORD and ARRAY s points at the text (not owned). */
typedef struct eddy_sql_value {
    eddy_sql_vtype type; /* EDDY_SQL_V_NULL for null */
    union {
        bool b;
        int64_t i; /* INT, TIME */
        double d;
        eddy_sql_str s;
    };
} eddy_sql_value;

typedef struct eddy_sql_vec {
    eddy_sql_vtype type;
    uint32_t n;     /* rows */
    bool constant;  /* one value (row 0) stands for all n rows */
    uint8_t *valid; /* n bytes, 1 = not null; NULL = every row valid */
    union {
        uint8_t *b;
        int64_t *i;
        double *d;
        eddy_sql_str *s;
        eddy_sql_value *any;
        void *data;
    };
} eddy_sql_vec;

static inline bool eddy_sql_vec_valid(const eddy_sql_vec *v, uint32_t row)
{
    if (v->type == EDDY_SQL_V_NULL) {
        return false;
    }
    uint32_t r = v->constant ? 0 : row;
    return !v->valid || v->valid[r];
}

typedef struct eddy_sql_chunk {
    uint32_t nrows;
    uint32_t ncols;
    eddy_sql_vec *cols; /* ncols vectors of nrows rows */
    eddy_arena *arena;  /* where the chunk's own strings and arrays live */
} eddy_sql_chunk;

#endif

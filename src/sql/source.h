/* Table sources of batch queries: JSON lines, CSV, Avro files and the lake
 * (docs/sql-engine.md "Sources"). The contract between the executor and
 * the readers:
 *
 *   open      lists the files (a path, a folder or a glob), reads what the
 *             format says up front (CSV header, Avro schema, a sample of
 *             JSON lines) and knows the columns it can name;
 *   project   the executor asks for the columns the query uses, as paths of
 *             names (a.b.c reaches into nested JSON objects and Avro
 *             records): only those are decoded (projection pushdown);
 *   split     the input is cut into parts (whole files and byte ranges of
 *             large files, at line or block boundaries) so that each worker
 *             thread reads its own parts;
 *   read      a reader fills a chunk (sql/vector.h) of up to
 *             EDDY_SQL_CHUNK_ROWS rows with the projected columns, in
 *             project's order; typed per chunk (INT while every value is an
 *             integer, DOUBLE when a float appears, STRING, BOOL, RECORD /
 *             ARRAY as JSON text, ANY when types mix); a missing field or a
 *             JSON null is null.
 *
 * A chunk and everything it points at belong to the reader and stay valid
 * until the reader's next read or close. Bad input (a malformed line, a
 * truncated Avro block) fails the read with a message naming the file and
 * the position (line and byte); nothing crashes (the scanners are fuzzed).
 * An eddy_sql_src is shared by the threads only through split and
 * reader_open (before reading starts); a reader belongs to one thread. */
#ifndef EDDY_SQL_SOURCE_H
#define EDDY_SQL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sql/vector.h"

typedef enum eddy_sql_src_kind {
    EDDY_SQL_SRC_JSON, /* read_json('glob') and FROM 'file.jsonl': one JSON object per line */
    EDDY_SQL_SRC_CSV,  /* read_csv('glob', header => true, delim => ',') */
    EDDY_SQL_SRC_AVRO, /* read_avro('glob'): any Avro container file */
    EDDY_SQL_SRC_LAKE, /* lake('dir or glob'): Event Hubs Capture files, Body as JSON */
    EDDY_SQL_SRC_HUB,  /* hub('name'): a live hub's events (sql/stream.h), Body as JSON */
} eddy_sql_src_kind;

typedef struct eddy_sql_src_opts {
    eddy_sql_src_kind kind;
    const char *pattern;  /* file, folder (every file below it) or glob */
    bool csv_header;      /* first line names the columns (else col1, col2, ...) */
    char csv_delim;       /* 0 = ',' */
    int64_t processed_us; /* lake: EventProcessedUtcTime (the query's start) */
} eddy_sql_src_opts;

/* A column the query reads: names from the top level down. */
typedef struct eddy_sql_src_col {
    const char *const *parts;
    const uint32_t *lens;
    uint32_t nparts;
} eddy_sql_src_col;

typedef struct eddy_sql_src eddy_sql_src;
typedef struct eddy_sql_src_reader eddy_sql_src_reader;

/* Opens a source. Returns 0 with *out, or an error with a message in err:
 * EDDY_ERR_NOT_FOUND (no file matches), EDDY_ERR_PARSE (a bad CSV header,
 * Avro header or schema, naming the file), an I/O error. */
int eddy_sql_src_open(const eddy_sql_src_opts *opts, eddy_sql_src **out, char *err, size_t errlen);

/* The top-level columns the source knows before reading, for SELECT * and
 * for "did you mean" suggestions: CSV header names, the Avro record's
 * fields, the lake's SequenceNumber, Offset, EventEnqueuedUtcTime,
 * PartitionId, EventProcessedUtcTime and the Body's fields, JSON's keys as
 * seen in a sample of the first lines. *names is borrowed from s. */
size_t eddy_sql_src_columns(const eddy_sql_src *s, const char *const **names);

/* Chooses the columns every chunk will hold, in this order (copied).
 * Returns 0, or EDDY_ERR_INVALID_ARG with a message when the source cannot
 * have such a column (a CSV has no nested fields). */
int eddy_sql_src_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                         size_t errlen);

/* Cuts the input into parts for about nthreads workers; returns the number
 * of parts (0 for an empty input). Call after project, before readers. */
size_t eddy_sql_src_split(eddy_sql_src *s, size_t nthreads);

/* A reader of part (0 <= part < the split count). */
int eddy_sql_src_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out);

/* Fills *chunk (its vectors and arena belong to the reader) with the next
 * rows of the part: 0 with chunk->nrows > 0, 0 with nrows == 0 at the end,
 * or an error with a message naming the file and position in err. */
int eddy_sql_src_read(eddy_sql_src_reader *r, eddy_sql_chunk *chunk, char *err, size_t errlen);

void eddy_sql_src_reader_close(eddy_sql_src_reader *r);
void eddy_sql_src_close(eddy_sql_src *s);

#endif

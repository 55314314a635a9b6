/* Output of eddy query: sinks (exec.h) that write a statement's rows as an
 * aligned table for people, or as JSON lines or CSV for machines
 * (docs/sql-engine.md "Output").
 *
 * jsonl: one object per row, every column by name, null as null; integers
 * as written, floats in their shortest round-trip form ("0.1", "3.0"),
 * datetimes as "2026-11-24T20:00:00.1230000Z", bits as true/false,
 * records and arrays as their JSON.
 * csv: RFC 4180, a header line, fields quoted when they hold a comma, a
 * quote or a line break; null is an empty field, the empty string "".
 * table: a header, a rule, one line per row (numbers right-aligned, null
 * as NULL), then the row count; it keeps every row until the end.
 *
 * A sink writes to a stdio stream or appends to a buffer (tests). It is
 * used by one query at a time; format may run on several threads. */
#ifndef EDDY_SQL_OUTPUT_H
#define EDDY_SQL_OUTPUT_H

#include <stdio.h>

#include "core/buf.h"
#include "sql/exec.h"

typedef enum eddy_sql_out_format {
    EDDY_SQL_OUT_TABLE,
    EDDY_SQL_OUT_JSONL,
    EDDY_SQL_OUT_CSV,
} eddy_sql_out_format;

/* Parses "table", "jsonl" or "csv"; returns 0 or -1. */
int eddy_sql_out_format_parse(const char *name, eddy_sql_out_format *fmt);

/* A sink writing to fp (borrowed; not closed) or, when fp is NULL,
 * appending to buf (borrowed). Returns owned; free with eddy_sql_out_free.
 * NULL when out of memory. */
eddy_sql_sink *eddy_sql_out_new(eddy_sql_out_format fmt, FILE *fp, eddy_buf *buf);

/* Rows the sink has written (after end). */
uint64_t eddy_sql_out_rows(const eddy_sql_sink *s);

void eddy_sql_out_free(eddy_sql_sink *s);

#endif

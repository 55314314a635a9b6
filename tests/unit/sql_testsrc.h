/* A small table source for the SQL engine's tests: JSON lines and CSV
 * files read whole into memory, typed per chunk as source.h asks, split
 * into line ranges. It is not the product's reader (src/sql's sources are
 * another file's work); it exists so that the executor's tests can run on
 * files without it, and it can cut chunks small to cross chunk
 * boundaries. */
#ifndef EDDY_TEST_SQL_TESTSRC_H
#define EDDY_TEST_SQL_TESTSRC_H

#include <stdint.h>

#include "sql/bind.h"

extern const eddy_sql_src_api sql_testsrc_api;

/* Rows per chunk (default EDDY_SQL_CHUNK_ROWS) and parts per requested
 * thread (default 2); set before running a query. */
extern uint32_t sql_testsrc_chunk_rows;
extern uint32_t sql_testsrc_parts_per_thread;

#endif

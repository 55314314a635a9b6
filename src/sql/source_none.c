/* Placeholder table sources for builds without the readers of source.h
 * (JSON lines, CSV, Avro, lake): every open fails with "source not
 * available", so eddy query can parse, bind what needs no input and
 * report clearly. src/sql/CMakeLists.txt compiles this file only while no
 * other file defines eddy_sql_src_open. */
#include <stdio.h>

#include "core/error.h"
#include "sql/source.h"

int eddy_sql_src_open(const eddy_sql_src_opts *opts, eddy_sql_src **out, char *err, size_t errlen)
{
    *out = NULL;
    snprintf(err, errlen,
             "source not available: this eddy is built without the table sources (read_json, "
             "read_csv, read_avro, lake), so '%s' cannot be read",
             opts->pattern ? opts->pattern : "");
    return EDDY_ERR_UNSUPPORTED;
}

size_t eddy_sql_src_columns(const eddy_sql_src *s, const char *const **names)
{
    *names = NULL;
    return 0;
}

int eddy_sql_src_project(eddy_sql_src *s, const eddy_sql_src_col *cols, size_t ncols, char *err,
                         size_t errlen)
{
    return EDDY_ERR_UNSUPPORTED;
}

size_t eddy_sql_src_split(eddy_sql_src *s, size_t nthreads)
{
    return 0;
}

int eddy_sql_src_reader_open(eddy_sql_src *s, size_t part, eddy_sql_src_reader **out)
{
    *out = NULL;
    return EDDY_ERR_UNSUPPORTED;
}

int eddy_sql_src_read(eddy_sql_src_reader *r, eddy_sql_chunk *chunk, char *err, size_t errlen)
{
    return EDDY_ERR_UNSUPPORTED;
}

void eddy_sql_src_reader_close(eddy_sql_src_reader *r)
{
}

void eddy_sql_src_close(eddy_sql_src *s)
{
}

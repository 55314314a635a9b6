/* The table sources of source.h as an eddy_sql_src_api (bind.h): what
 * eddy query uses. Tests plug in readers of their own instead. */
#include "sql/bind.h"

const eddy_sql_src_api eddy_sql_src_default = {
    .open = eddy_sql_src_open,
    .columns = eddy_sql_src_columns,
    .project = eddy_sql_src_project,
    .split = eddy_sql_src_split,
    .reader_open = eddy_sql_src_reader_open,
    .read = eddy_sql_src_read,
    .reader_close = eddy_sql_src_reader_close,
    .close = eddy_sql_src_close,
};

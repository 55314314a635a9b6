/* Names of the syntax tree's enums, and the datepart unit table (see
 * ast.h). */
#include "sql/ast.h"

#include <string.h>
#include <strings.h>

/* Every spelling of every unit: ASA's DATEADD/DATEDIFF/DATEPART names and
 * abbreviations. The first row of a unit is its canonical name. */
static const struct {
    const char *name;
    eddy_sql_unit unit;
} unit_names[] = {
    {"year", EDDY_SQL_UNIT_YEAR},       {"yy", EDDY_SQL_UNIT_YEAR},
    {"yyyy", EDDY_SQL_UNIT_YEAR},       {"quarter", EDDY_SQL_UNIT_QUARTER},
    {"qq", EDDY_SQL_UNIT_QUARTER},      {"q", EDDY_SQL_UNIT_QUARTER},
    {"month", EDDY_SQL_UNIT_MONTH},     {"mm", EDDY_SQL_UNIT_MONTH},
    {"m", EDDY_SQL_UNIT_MONTH},         {"dayofyear", EDDY_SQL_UNIT_DAYOFYEAR},
    {"dy", EDDY_SQL_UNIT_DAYOFYEAR},    {"y", EDDY_SQL_UNIT_DAYOFYEAR},
    {"week", EDDY_SQL_UNIT_WEEK},       {"wk", EDDY_SQL_UNIT_WEEK},
    {"ww", EDDY_SQL_UNIT_WEEK},         {"weekday", EDDY_SQL_UNIT_WEEKDAY},
    {"dw", EDDY_SQL_UNIT_WEEKDAY},      {"w", EDDY_SQL_UNIT_WEEKDAY},
    {"day", EDDY_SQL_UNIT_DAY},         {"dd", EDDY_SQL_UNIT_DAY},
    {"d", EDDY_SQL_UNIT_DAY},           {"hour", EDDY_SQL_UNIT_HOUR},
    {"hh", EDDY_SQL_UNIT_HOUR},         {"minute", EDDY_SQL_UNIT_MINUTE},
    {"mi", EDDY_SQL_UNIT_MINUTE},       {"n", EDDY_SQL_UNIT_MINUTE},
    {"second", EDDY_SQL_UNIT_SECOND},   {"ss", EDDY_SQL_UNIT_SECOND},
    {"s", EDDY_SQL_UNIT_SECOND},        {"millisecond", EDDY_SQL_UNIT_MILLISECOND},
    {"ms", EDDY_SQL_UNIT_MILLISECOND},  {"microsecond", EDDY_SQL_UNIT_MICROSECOND},
    {"mcs", EDDY_SQL_UNIT_MICROSECOND}, {"nanosecond", EDDY_SQL_UNIT_NANOSECOND},
    {"ns", EDDY_SQL_UNIT_NANOSECOND},
};

int eddy_sql_unit_lookup(const char *name, size_t len, eddy_sql_unit *unit)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++) {
        if (strlen(unit_names[i].name) == len && strncasecmp(name, unit_names[i].name, len) == 0) {
            *unit = unit_names[i].unit;
            return 0;
        }
    }
    return -1;
}

const char *eddy_sql_unit_name(eddy_sql_unit unit)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++) {
        if (unit_names[i].unit == unit) {
            return unit_names[i].name;
        }
    }
    return "?";
}

int64_t eddy_sql_unit_us(eddy_sql_unit unit)
{
    switch (unit) {
    case EDDY_SQL_UNIT_DAY:
        return INT64_C(86400000000);
    case EDDY_SQL_UNIT_HOUR:
        return INT64_C(3600000000);
    case EDDY_SQL_UNIT_MINUTE:
        return INT64_C(60000000);
    case EDDY_SQL_UNIT_SECOND:
        return INT64_C(1000000);
    case EDDY_SQL_UNIT_MILLISECOND:
        return INT64_C(1000);
    case EDDY_SQL_UNIT_MICROSECOND:
        return 1;
    default:
        return 0;
    }
}

const char *eddy_sql_type_name(eddy_sql_type type)
{
    switch (type) {
    case EDDY_SQL_TYPE_BIGINT:
        return "BIGINT";
    case EDDY_SQL_TYPE_FLOAT:
        return "FLOAT";
    case EDDY_SQL_TYPE_NVARCHAR:
        return "NVARCHAR(MAX)";
    case EDDY_SQL_TYPE_DATETIME:
        return "DATETIME";
    case EDDY_SQL_TYPE_BIT:
        return "BIT";
    case EDDY_SQL_TYPE_RECORD:
        return "RECORD";
    case EDDY_SQL_TYPE_ARRAY:
        return "ARRAY";
    }
    return "?";
}

const char *eddy_sql_op_name(eddy_sql_op op)
{
    switch (op) {
    case EDDY_SQL_OP_NEG:
    case EDDY_SQL_OP_SUB:
        return "-";
    case EDDY_SQL_OP_POS:
    case EDDY_SQL_OP_ADD:
        return "+";
    case EDDY_SQL_OP_NOT:
        return "NOT";
    case EDDY_SQL_OP_MUL:
        return "*";
    case EDDY_SQL_OP_DIV:
        return "/";
    case EDDY_SQL_OP_MOD:
        return "%";
    case EDDY_SQL_OP_EQ:
        return "=";
    case EDDY_SQL_OP_NE:
        return "<>";
    case EDDY_SQL_OP_LT:
        return "<";
    case EDDY_SQL_OP_LE:
        return "<=";
    case EDDY_SQL_OP_GT:
        return ">";
    case EDDY_SQL_OP_GE:
        return ">=";
    case EDDY_SQL_OP_AND:
        return "AND";
    case EDDY_SQL_OP_OR:
        return "OR";
    }
    return "?";
}

const char *eddy_sql_window_name(eddy_sql_window_kind kind)
{
    switch (kind) {
    case EDDY_SQL_WINDOW_TUMBLING:
        return "TumblingWindow";
    case EDDY_SQL_WINDOW_HOPPING:
        return "HoppingWindow";
    case EDDY_SQL_WINDOW_SLIDING:
        return "SlidingWindow";
    case EDDY_SQL_WINDOW_SESSION:
        return "SessionWindow";
    }
    return "?";
}

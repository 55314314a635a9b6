/* The SQL function table: every function name the dialect knows, with its
 * kind and argument counts.
 *
 * The parser uses it to reject unknown names (with the nearest valid name)
 * and wrong argument counts at parse time, and to know which calls take a
 * datepart first (DATEADD(second, ...)), a '*' (COUNT(*)), DISTINCT, an
 * OVER (ORDER BY ...) clause or named arguments. Window specs and table
 * sources are in the table too, so that a misspelt TumblingWindow or lake
 * gets a suggestion. The binder later adds types and implementations, keyed
 * by eddy_sql_func_id. Static data; thread-safe. */
#ifndef EDDY_SQL_FUNCTIONS_H
#define EDDY_SQL_FUNCTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef enum eddy_sql_func_kind {
    EDDY_SQL_FUNC_SCALAR = 1,
    EDDY_SQL_FUNC_AGGREGATE = 2,
    EDDY_SQL_FUNC_WINDOW = 4, /* a window spec: only as a GROUP BY item */
    EDDY_SQL_FUNC_TABLE = 8,  /* a table source: only in FROM, JOIN or INTO */
} eddy_sql_func_kind;

/* Flags. */
#define EDDY_SQL_F_DATEPART 0x01 /* the first argument is a datepart (second, ss, ...) */
#define EDDY_SQL_F_STAR     0x02 /* takes '*' as its one argument: COUNT(*) */
#define EDDY_SQL_F_DISTINCT 0x04 /* takes DISTINCT before its argument */
#define EDDY_SQL_F_OVER     0x08 /* needs OVER (ORDER BY ...) after the call */
#define EDDY_SQL_F_NAMED    0x10 /* takes named arguments: name => value */
#define EDDY_SQL_F_SINK     0x20 /* a table function that may follow INTO */

/* No upper bound on the argument count. */
#define EDDY_SQL_ARGS_MANY 255

/* X(ID, canonical name, kind, min args, max args, flags). For window specs
 * the counts are those of the short form (unit, sizes...); the parser
 * checks the Duration()/Hop() forms itself. For table sources they count
 * positional arguments only. */
#define EDDY_SQL_FUNCTIONS(X)                                                                      \
    X(COUNT, "COUNT", AGGREGATE, 1, 1, EDDY_SQL_F_STAR | EDDY_SQL_F_DISTINCT)                      \
    X(SUM, "SUM", AGGREGATE, 1, 1, EDDY_SQL_F_DISTINCT)                                            \
    X(AVG, "AVG", AGGREGATE, 1, 1, EDDY_SQL_F_DISTINCT)                                            \
    X(MIN, "MIN", AGGREGATE, 1, 1, 0)                                                              \
    X(MAX, "MAX", AGGREGATE, 1, 1, 0)                                                              \
    X(STDEV, "STDEV", AGGREGATE, 1, 1, 0)                                                          \
    X(STDEVP, "STDEVP", AGGREGATE, 1, 1, 0)                                                        \
    X(VAR, "VAR", AGGREGATE, 1, 1, 0)                                                              \
    X(VARP, "VARP", AGGREGATE, 1, 1, 0)                                                            \
    X(PERCENTILE_CONT, "PERCENTILE_CONT", AGGREGATE, 1, 1, EDDY_SQL_F_OVER)                        \
    X(PERCENTILE_DISC, "PERCENTILE_DISC", AGGREGATE, 1, 1, EDDY_SQL_F_OVER)                        \
    X(TOPONE, "TopOne", AGGREGATE, 0, 0, EDDY_SQL_F_OVER)                                          \
    X(COLLECT, "Collect", AGGREGATE, 0, 1, EDDY_SQL_F_STAR)                                        \
    X(LEN, "LEN", SCALAR, 1, 1, 0)                                                                 \
    X(SUBSTRING, "SUBSTRING", SCALAR, 3, 3, 0)                                                     \
    X(UPPER, "UPPER", SCALAR, 1, 1, 0)                                                             \
    X(LOWER, "LOWER", SCALAR, 1, 1, 0)                                                             \
    X(CONCAT, "CONCAT", SCALAR, 2, EDDY_SQL_ARGS_MANY, 0)                                          \
    X(CHARINDEX, "CHARINDEX", SCALAR, 2, 3, 0)                                                     \
    X(REPLACE, "REPLACE", SCALAR, 3, 3, 0)                                                         \
    X(TRIM, "TRIM", SCALAR, 1, 1, 0)                                                               \
    X(REGEXMATCH, "REGEXMATCH", SCALAR, 2, 2, 0)                                                   \
    X(ABS, "ABS", SCALAR, 1, 1, 0)                                                                 \
    X(ROUND, "ROUND", SCALAR, 1, 3, 0)                                                             \
    X(FLOOR, "FLOOR", SCALAR, 1, 1, 0)                                                             \
    X(CEILING, "CEILING", SCALAR, 1, 1, 0)                                                         \
    X(POWER, "POWER", SCALAR, 2, 2, 0)                                                             \
    X(SQRT, "SQRT", SCALAR, 1, 1, 0)                                                               \
    X(LOG, "LOG", SCALAR, 1, 2, 0)                                                                 \
    X(EXP, "EXP", SCALAR, 1, 1, 0)                                                                 \
    X(DATEADD, "DATEADD", SCALAR, 3, 3, EDDY_SQL_F_DATEPART)                                       \
    X(DATEDIFF, "DATEDIFF", SCALAR, 3, 3, EDDY_SQL_F_DATEPART)                                     \
    X(DATEPART, "DATEPART", SCALAR, 2, 2, EDDY_SQL_F_DATEPART)                                     \
    X(YEAR, "YEAR", SCALAR, 1, 1, 0)                                                               \
    X(MONTH, "MONTH", SCALAR, 1, 1, 0)                                                             \
    X(DAY, "DAY", SCALAR, 1, 1, 0)                                                                 \
    X(DATETIMEFROMPARTS, "DATETIMEFROMPARTS", SCALAR, 7, 7, 0)                                     \
    X(GETRECORDPROPERTYVALUE, "GetRecordPropertyValue", SCALAR, 2, 2, 0)                           \
    X(GETARRAYELEMENT, "GetArrayElement", SCALAR, 2, 2, 0)                                         \
    X(GETARRAYLENGTH, "GetArrayLength", SCALAR, 1, 1, 0)                                           \
    X(SYSTEM_TIMESTAMP, "System.Timestamp", SCALAR, 0, 0, 0)                                       \
    X(TUMBLINGWINDOW, "TumblingWindow", WINDOW, 2, 3, 0)                                           \
    X(HOPPINGWINDOW, "HoppingWindow", WINDOW, 3, 4, 0)                                             \
    X(SLIDINGWINDOW, "SlidingWindow", WINDOW, 2, 2, 0)                                             \
    X(SESSIONWINDOW, "SessionWindow", WINDOW, 3, 3, 0)                                             \
    X(LAKE, "lake", TABLE, 1, 1, EDDY_SQL_F_NAMED)                                                 \
    X(READ_JSON, "read_json", TABLE, 1, 1, EDDY_SQL_F_NAMED)                                       \
    X(READ_CSV, "read_csv", TABLE, 1, 1, EDDY_SQL_F_NAMED)                                         \
    X(READ_AVRO, "read_avro", TABLE, 1, 1, EDDY_SQL_F_NAMED)                                       \
    X(HUB, "hub", TABLE, 1, 1, EDDY_SQL_F_NAMED | EDDY_SQL_F_SINK)

/* X(alias, ID): other spellings ASA accepts. */
#define EDDY_SQL_FUNCTION_ALIASES(X)                                                               \
    X("Tumbling", TUMBLINGWINDOW)                                                                  \
    X("Hopping", HOPPINGWINDOW)                                                                    \
    X("Sliding", SLIDINGWINDOW)                                                                    \
    X("Session", SESSIONWINDOW)

typedef enum eddy_sql_func_id {
#define EDDY_X_FUNC_ID(id, name, kind, min, max, flags) EDDY_SQL_FN_##id,
    EDDY_SQL_FUNCTIONS(EDDY_X_FUNC_ID)
#undef EDDY_X_FUNC_ID
        EDDY_SQL_FN_COUNT_
} eddy_sql_func_id;

typedef struct eddy_sql_func {
    eddy_sql_func_id id;
    const char *name; /* canonical spelling, as printed */
    eddy_sql_func_kind kind;
    uint8_t min_args;
    uint8_t max_args; /* EDDY_SQL_ARGS_MANY: no bound */
    uint16_t flags;   /* EDDY_SQL_F_* */
} eddy_sql_func;

/* The entry for id (canonical), or NULL for an id out of range. */
const eddy_sql_func *eddy_sql_func_get(eddy_sql_func_id id);

/* Looks name[0..len) up, ASCII case-insensitive, aliases included; returns
 * the canonical entry or NULL. */
const eddy_sql_func *eddy_sql_func_lookup(const char *name, size_t len);

/* The entry whose name (or alias) is nearest to name[0..len) among the
 * kinds in kind_mask (EDDY_SQL_FUNC_* or-ed), or NULL when none is near
 * enough (eddy_sql_suggest_limit). Returns the canonical entry. */
const eddy_sql_func *eddy_sql_func_nearest(const char *name, size_t len, unsigned kind_mask);

/* "scalar", "aggregate", "window", "table". */
const char *eddy_sql_func_kind_name(eddy_sql_func_kind kind);

#endif

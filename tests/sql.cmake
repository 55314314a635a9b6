# sql: the parse cases in tests/sql/parse (query + expected print or error,
# with the print fixed-point check), unit tests of the lexer, diagnostics and
# function table, and the parser fuzz target.
eddy_unit_test(test_sql_parse eddy_sql)
target_compile_definitions(test_sql_parse PRIVATE
                           EDDY_SQL_CASES="${CMAKE_CURRENT_SOURCE_DIR}/sql/parse")
eddy_unit_test(test_sql_lexer eddy_sql)
eddy_fuzz_target(fuzz_sql_parse sql_parse eddy_sql)

# The table sources (src/sql/src*.c): JSON lines against the plain parser
# of json_plain.c (the oracle), CSV, Avro and the lake, and the JSON and
# CSV fuzz targets (the JSON one compares with the oracle too).
add_library(eddy_test_json_plain STATIC unit/json_plain.c)
target_link_libraries(eddy_test_json_plain PUBLIC eddy_core)
target_include_directories(eddy_test_json_plain PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/unit)
eddy_unit_test(test_sql_src eddy_sql eddy_test_json_plain m)
eddy_unit_test(test_sql_src_csv eddy_sql)
eddy_unit_test(test_sql_src_avro eddy_sql eddy_avro)
eddy_fuzz_target(fuzz_sql_json sql_json eddy_sql eddy_test_json_plain m)
eddy_fuzz_target(fuzz_sql_csv sql_csv eddy_sql eddy_test_json_plain)
# The executor: the query cases in tests/sql/query (query + expected rows or
# error, over tests/sql/data) run in-process with a test-only table source
# (tests/unit/sql_testsrc.c; the product's readers are source.h's), and
# unit tests of expressions and operators on literal chunks.
add_library(eddy_sql_testsrc STATIC unit/sql_testsrc.c)
target_link_libraries(eddy_sql_testsrc PUBLIC eddy_sql)
target_include_directories(eddy_sql_testsrc PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/unit)
eddy_unit_test(test_sql_query eddy_sql_testsrc eddy_sql)
target_compile_definitions(test_sql_query PRIVATE
                           EDDY_SQL_QUERY_CASES="${CMAKE_CURRENT_SOURCE_DIR}/sql/query"
                           EDDY_SQL_DATA="${CMAKE_CURRENT_SOURCE_DIR}/sql/data")
# The same cases through the real eddy query.
eddy_integration_test(test_sql_queries)
eddy_unit_test(test_sql_expr eddy_sql)
eddy_unit_test(test_sql_ops eddy_sql)
# The aggregate in streaming mode: windows emitted by advance equal batch.
eddy_unit_test(test_sql_stream_agg eddy_sql)
# The streaming join against the batch one (op_join.c).
eddy_unit_test(test_sql_join_stream eddy_sql)
# Fuzz targets of the executor: the JSON reader of RECORD/ARRAY text, and
# bind + run of arbitrary query text (seeded with the query cases that
# need no input files).
eddy_fuzz_target(fuzz_sql_record sql_record eddy_sql)
eddy_fuzz_target(fuzz_sql_eval sql_eval eddy_sql)
# A test-only `eddy query` over the test source (the engine alone, for
# comparing with the real readers and for debugging).
add_executable(sql_query_tool unit/sql_query_tool.c)
target_link_libraries(sql_query_tool PRIVATE eddy_sql_testsrc eddy_sql)
# Random queries against DuckDB, a second grammar beside
# test_sql_differential (skips without node/DuckDB or table sources).
eddy_integration_test(test_sql_random_queries)
eddy_integration_test(test_sql_cli)

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

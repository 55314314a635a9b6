# sql: the parse cases in tests/sql/parse (query + expected print or error,
# with the print fixed-point check), unit tests of the lexer, diagnostics and
# function table, and the parser fuzz target.
eddy_unit_test(test_sql_parse eddy_sql)
target_compile_definitions(test_sql_parse PRIVATE
                           EDDY_SQL_CASES="${CMAKE_CURRENT_SOURCE_DIR}/sql/parse")
eddy_unit_test(test_sql_lexer eddy_sql)
eddy_fuzz_target(fuzz_sql_parse sql_parse eddy_sql)

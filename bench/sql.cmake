# sql: the JSON lines source's scan speed against DuckDB's read_json (via
# node and @duckdb/node-api when installed).
add_executable(bench_sql_scan ${CMAKE_CURRENT_LIST_DIR}/bench_sql_scan.c)
target_link_libraries(bench_sql_scan PRIVATE eddy_sql m Threads::Threads)
target_compile_definitions(bench_sql_scan PRIVATE EDDY_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

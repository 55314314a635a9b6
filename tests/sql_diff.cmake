# The SQL engine against DuckDB (generated queries over generated data), and
# lake(...) against read_json(...) over the same events.
eddy_integration_test(test_sql_differential)
eddy_integration_test(test_sql_lake)

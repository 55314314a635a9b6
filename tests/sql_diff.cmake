# The SQL engine against DuckDB: generated queries over generated data.
eddy_integration_test(test_sql_differential)

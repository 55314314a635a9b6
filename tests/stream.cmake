# Streaming queries over live hubs (docs/sql-stream.md): hub('T') with
# --until-end against the lake and DuckDB, and scale-out with --group.
eddy_integration_test(test_stream_until_end)
eddy_integration_test(test_stream_groups)

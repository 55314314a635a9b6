# Streaming SQL over live hubs (docs/sql-stream.md): checkpoints and
# restarts, bounded runs against the lake and DuckDB, scale-out in groups,
# event-time policies.
eddy_integration_test(test_stream_checkpoint)
eddy_integration_test(test_stream_time)
eddy_integration_test(test_stream_into_hub)
# Fuzz targets: the checkpoint file, a hub's event Bodies as rows.
eddy_fuzz_target(fuzz_stream_checkpoint stream_checkpoint eddy_stream)
eddy_fuzz_target(fuzz_sql_hub sql_hub eddy_sql)
# The checkpoint file: round trip and every damage refused.
eddy_unit_test(test_stream_checkpoint eddy_stream)
# The native fetch path's input: a Fetch response from a hub, its records.
eddy_fuzz_target(fuzz_fetch_response fetch_response eddy_kafka eddy_record)
eddy_integration_test(test_stream_hub_restart)

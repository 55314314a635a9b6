# Streaming SQL over live hubs (docs/sql-stream.md): event-time policies,
# checkpoints and restarts, bounded runs against the lake and DuckDB,
# scale-out in groups, INTO hub, a hub restarting under a query.
eddy_integration_test(test_stream_time)
eddy_integration_test(test_stream_checkpoint)
eddy_integration_test(test_stream_until_end)
eddy_integration_test(test_stream_groups)
eddy_integration_test(test_stream_into_hub)
eddy_integration_test(test_stream_hub_restart)
# The checkpoint file: round trip and every damage refused.
eddy_unit_test(test_stream_checkpoint eddy_stream)
# Fuzz targets: the checkpoint file, a hub's event Bodies as rows, and the
# native fetch path's input (a Fetch response from a hub, its records).
eddy_fuzz_target(fuzz_stream_checkpoint stream_checkpoint eddy_stream)
eddy_fuzz_target(fuzz_sql_hub sql_hub eddy_sql)
eddy_fuzz_target(fuzz_fetch_response fetch_response eddy_kafka eddy_record)

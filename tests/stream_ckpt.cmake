# Streaming SQL over live hubs (docs/sql-stream.md): checkpoints and
# restarts, bounded runs against the lake and DuckDB, scale-out in groups,
# event-time policies.
eddy_integration_test(test_stream_checkpoint)
eddy_integration_test(test_stream_time)
eddy_integration_test(test_stream_into_hub)

# capture: the hub writes the lake (Event Hubs Capture Avro files); the files
# are read back by python3-avro, avrocat and avsc; kill -9 during capture.
eddy_integration_test(test_capture_readers)
eddy_integration_test(test_capture_crash)
eddy_integration_test(test_capture_codecs)
eddy_integration_test(test_capture_retention)

# kafka: the wire codec. Golden frames captured from real clients live in
# unit/data/kafka (tools/capture_kafka_requests.py); kafka_samples.c is
# generated with the codec (tools/kafka_codegen.py).
set(EDDY_KAFKA_TESTDATA "${CMAKE_CURRENT_SOURCE_DIR}/unit/data/kafka")

eddy_unit_test(test_kafka_roundtrip eddy_kafka)
target_sources(test_kafka_roundtrip PRIVATE unit/kafka_samples.c)

eddy_unit_test(test_kafka_golden eddy_kafka)
target_compile_definitions(test_kafka_golden PRIVATE
                           EDDY_KAFKA_TESTDATA="${EDDY_KAFKA_TESTDATA}")

eddy_unit_test(test_kafka_header eddy_kafka)

eddy_fuzz_target(fuzz_kafka_request kafka_request eddy_kafka)

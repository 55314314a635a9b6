# gen and client: the generators, the line reader and JSON helpers, client
# configuration (Event Hubs connection strings), rate control and the
# latency histogram; integration tests of eddy produce, consume, hubs and
# groups against a real hub; the line reader's fuzz target.
find_package(PkgConfig REQUIRED)
pkg_check_modules(EDDY_TEST_JANSSON REQUIRED IMPORTED_TARGET jansson)

eddy_unit_test(test_gen_json eddy_gen PkgConfig::EDDY_TEST_JANSSON)
eddy_unit_test(test_gen_lines eddy_gen)
eddy_unit_test(test_gen_generators eddy_gen PkgConfig::EDDY_TEST_JANSSON m)
eddy_unit_test(test_client_config eddy_client)
eddy_unit_test(test_client_rate eddy_client m)

eddy_fuzz_target(fuzz_line_reader line_reader eddy_gen)

eddy_integration_test(test_produce_telemetry)
eddy_integration_test(test_produce_replay)
eddy_integration_test(test_produce_rate)
eddy_integration_test(test_produce_nexmark)
eddy_integration_test(test_produce_cli)
eddy_integration_test(test_consume_formats)
eddy_integration_test(test_consume_groups)
eddy_integration_test(test_consume_hubs)

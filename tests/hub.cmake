# hub: the real `eddy hub` driven by real Kafka clients over loopback
# (tests/integration/test_hub_*.sh, client programs in tests/clients/).
eddy_integration_test(test_hub_kcat)
eddy_integration_test(test_hub_kafka_python)
eddy_integration_test(test_hub_confluent)
eddy_integration_test(test_hub_kafkajs)
eddy_integration_test(test_hub_platformatic)
eddy_integration_test(test_hub_restart)
eddy_integration_test(test_hub_kill9)
eddy_integration_test(test_hub_bad_input)
eddy_integration_test(test_hub_exclusive)

# groups: the consumer-group coordinator and committed offsets (issue 4).
eddy_unit_test(test_group_coord eddy_hub)
eddy_integration_test(test_groups_errors)
foreach(client confluent cooperative kafka-python kafkajs platformatic)
    add_test(NAME integration.test_groups_${client}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integration/test_groups_clients.sh ${client})
    set_tests_properties(integration.test_groups_${client} PROPERTIES
        LABELS integration TIMEOUT 600 SKIP_RETURN_CODE 77
        ENVIRONMENT "EDDY=$<TARGET_FILE:eddy>;EDDY_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endforeach()

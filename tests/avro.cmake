# avro: unit tests (container round trips, damaged files, schemas, JSON,
# EventData and its dates), the avro-c oracle (both directions), the
# python3-avro check of eddy's files, and the fuzz targets.
find_package(PkgConfig REQUIRED)
pkg_check_modules(AVROC IMPORTED_TARGET avro-c)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)

eddy_unit_test(test_avro_container eddy_avro)
eddy_unit_test(test_avro_schema eddy_avro m)
eddy_unit_test(test_avro_eventdata eddy_avro)

# avro-c as the oracle (skipped when libavro's pkg-config file is missing).
if(AVROC_FOUND)
    eddy_unit_test(test_avro_oracle eddy_avro PkgConfig::AVROC PkgConfig::JANSSON)
endif()

# EventData files from eddy's writer, read by python3-avro's DataFileReader
# (every field, every codec). Skips (77) when the module is missing.
add_executable(avro_emit unit/avro_emit.c)
target_link_libraries(avro_emit PRIVATE eddy_avro PkgConfig::JANSSON)
find_program(EDDY_AVRO_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT EDDY_AVRO_PYTHON)
    set(EDDY_AVRO_PYTHON python3)
endif()
add_test(NAME unit.test_avro_python
         COMMAND ${EDDY_AVRO_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_avro_python.py
                 $<TARGET_FILE:avro_emit>)
set_tests_properties(unit.test_avro_python PROPERTIES LABELS unit TIMEOUT 120 SKIP_RETURN_CODE 77)

eddy_fuzz_target(fuzz_avro_reader avro_reader eddy_avro)
eddy_fuzz_target(fuzz_avro_schema avro_schema eddy_avro)

# eddy lake over lakes built with avro_emit (capture is tested with the hub).
eddy_integration_test(test_lake_cli)
set_property(TEST integration.test_lake_cli APPEND PROPERTY ENVIRONMENT
             "AVRO_EMIT=$<TARGET_FILE:avro_emit>")
eddy_integration_test(test_lake_verify)
set_property(TEST integration.test_lake_verify APPEND PROPERTY ENVIRONMENT
             "AVRO_EMIT=$<TARGET_FILE:avro_emit>")

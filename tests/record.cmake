# record: unit tests (kafka-python fixtures, validation error paths, codecs,
# builder and iterators), the kafka-python interop check of the builder, and
# the record-batch fuzz target.
find_package(ZLIB REQUIRED)
set(EDDY_RECORD_DATA ${CMAKE_CURRENT_SOURCE_DIR}/unit/data/record)

eddy_unit_test(test_record_fixtures eddy_record)
eddy_unit_test(test_record_validate eddy_record)
eddy_unit_test(test_record_codec eddy_record PkgConfig::ZSTD PkgConfig::LZ4 ZLIB::ZLIB)
eddy_unit_test(test_record_builder eddy_record)
foreach(t test_record_fixtures test_record_validate)
    target_compile_definitions(${t} PRIVATE EDDY_RECORD_DATA="${EDDY_RECORD_DATA}")
endforeach()

# Batches built by eddy, read by kafka-python's DefaultRecordBatch (CRC and
# contents). Skips (77) when the system python lacks kafka-python.
add_executable(test_record_emit unit/test_record_emit.c)
target_link_libraries(test_record_emit PRIVATE eddy_record)
find_program(EDDY_SYSTEM_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT EDDY_SYSTEM_PYTHON)
    set(EDDY_SYSTEM_PYTHON python3)
endif()
add_test(NAME unit.test_record_kafka_python
         COMMAND ${EDDY_SYSTEM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_record_kafka_python.py
                 $<TARGET_FILE:test_record_emit>)
set_tests_properties(unit.test_record_kafka_python PROPERTIES
    LABELS unit TIMEOUT 120 SKIP_RETURN_CODE 77)

eddy_fuzz_target(fuzz_record_batch record_batch eddy_record)

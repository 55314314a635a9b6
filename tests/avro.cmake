# avro: unit tests (container round trips, damaged files, schemas, JSON,
# EventData and its dates), the avro-c oracle (both directions), the
# python3-avro check of eddy's files, and the fuzz targets.
find_package(PkgConfig REQUIRED)
pkg_check_modules(AVROC IMPORTED_TARGET avro-c)

eddy_unit_test(test_avro_container eddy_avro)
eddy_unit_test(test_avro_schema eddy_avro m)
eddy_unit_test(test_avro_eventdata eddy_avro)

# avro-c as the oracle (skipped when libavro's pkg-config file is missing).
if(AVROC_FOUND)
    pkg_check_modules(AVRO_JANSSON REQUIRED IMPORTED_TARGET jansson)
    eddy_unit_test(test_avro_oracle eddy_avro PkgConfig::AVROC PkgConfig::AVRO_JANSSON)
endif()

# avro: unit tests (container round trips, damaged files, schemas, JSON,
# EventData and its dates), the avro-c oracle (both directions), the
# python3-avro check of eddy's files, and the fuzz targets.
find_package(PkgConfig REQUIRED)
pkg_check_modules(AVROC IMPORTED_TARGET avro-c)

eddy_unit_test(test_avro_container eddy_avro)

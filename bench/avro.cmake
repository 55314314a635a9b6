# avro: EventData writing and reading against avro-c (a quick measurement;
# not in bench/run.sh yet).
find_package(PkgConfig REQUIRED)
pkg_check_modules(BENCH_AVROC IMPORTED_TARGET avro-c)
if(BENCH_AVROC_FOUND)
    add_executable(bench_avro ${CMAKE_CURRENT_LIST_DIR}/bench_avro.c)
    target_link_libraries(bench_avro PRIVATE eddy_avro PkgConfig::BENCH_AVROC)
endif()

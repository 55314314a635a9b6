# The capture benchmark (bench_capture.c): eddy's Avro encoder and the hub's
# capture against avro-c writing the same records with the same codec, and
# the capture's lag, with in-process hubs. Needs librdkafka (pkg-config
# rdkafka) and avro-c (pkg-config avro-c); skipped when either is missing.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND AND NOT TARGET PkgConfig::RDKAFKA)
    pkg_check_modules(RDKAFKA QUIET IMPORTED_TARGET rdkafka)
endif()
if(PKG_CONFIG_FOUND AND NOT TARGET PkgConfig::AVROC)
    pkg_check_modules(AVROC QUIET IMPORTED_TARGET avro-c)
endif()
if(TARGET PkgConfig::RDKAFKA AND TARGET PkgConfig::AVROC AND TARGET eddy_hub)
    add_executable(bench_capture bench_capture.c benchlib.c)
    target_link_libraries(bench_capture PRIVATE eddy_hub eddy_avro eddy_gen eddy_client eddy_core
                          PkgConfig::AVROC PkgConfig::RDKAFKA Threads::Threads)
    target_compile_definitions(bench_capture PRIVATE EDDY_BENCH_AVROC_VERSION="${AVROC_VERSION}")
else()
    message(STATUS "bench_capture skipped: needs librdkafka (pkg-config rdkafka) and avro-c "
                   "(pkg-config avro-c)")
endif()

# The consumer-group benchmark (bench_groups.c): eddy hub consumer groups
# against Redis Streams XREADGROUP, and rebalance times. Needs librdkafka
# (pkg-config rdkafka) and the eddy binary; at run time also redis-server.
# Skipped when librdkafka is missing. benchlib.c holds the helpers it shares
# with bench_hub.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND AND TARGET eddy AND NOT TARGET PkgConfig::RDKAFKA)
    pkg_check_modules(RDKAFKA QUIET IMPORTED_TARGET rdkafka)
endif()
if(TARGET PkgConfig::RDKAFKA AND TARGET eddy)
    add_executable(bench_groups bench_groups.c benchlib.c)
    target_link_libraries(bench_groups PRIVATE PkgConfig::RDKAFKA Threads::Threads)
    target_compile_definitions(bench_groups PRIVATE EDDY_BENCH_EDDY_BIN="$<TARGET_FILE:eddy>")
    add_dependencies(bench_groups eddy)
else()
    message(STATUS "bench_groups skipped: needs librdkafka (pkg-config rdkafka) and the eddy target")
endif()

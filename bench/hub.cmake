# The hub benchmark (bench_hub.c): eddy hub against Redis Streams. Needs
# librdkafka (pkg-config rdkafka) and the eddy binary; at run time also
# redis-server and redis-benchmark. Skipped when librdkafka is missing.
# benchlib.c holds the helpers it shares with bench_groups.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND AND TARGET eddy)
    pkg_check_modules(RDKAFKA QUIET IMPORTED_TARGET rdkafka)
endif()
if(RDKAFKA_FOUND)
    add_executable(bench_hub bench_hub.c benchlib.c)
    target_link_libraries(bench_hub PRIVATE eddy_core PkgConfig::RDKAFKA Threads::Threads)
    target_compile_definitions(bench_hub PRIVATE EDDY_BENCH_EDDY_BIN="$<TARGET_FILE:eddy>")
    add_dependencies(bench_hub eddy)
else()
    message(STATUS "bench_hub skipped: needs librdkafka (pkg-config rdkafka) and the eddy target")
endif()

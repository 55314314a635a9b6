# record: eddy_batch_validate throughput against memcpy and the codec
# libraries alone. Include from bench/CMakeLists.txt:  include(record.cmake)
# and add "record) "$B/bench_record" ;;" to bench/run.sh.
add_executable(bench_record ${CMAKE_CURRENT_LIST_DIR}/bench_record.c)
target_link_libraries(bench_record PRIVATE eddy_record PkgConfig::LZ4 PkgConfig::ZSTD)

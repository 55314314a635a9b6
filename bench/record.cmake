# record: eddy_batch_validate throughput against memcpy and the codec
# libraries alone (bench/run.sh record).
add_executable(bench_record ${CMAKE_CURRENT_LIST_DIR}/bench_record.c)
target_link_libraries(bench_record PRIVATE eddy_record PkgConfig::LZ4 PkgConfig::ZSTD)

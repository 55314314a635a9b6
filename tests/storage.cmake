# storage: unit tests and the segment-recovery fuzz target.
eddy_unit_test(test_storage_log eddy_storage)
eddy_unit_test(test_storage_durability eddy_storage)
eddy_fuzz_target(fuzz_segment_recovery segment_recovery eddy_storage)

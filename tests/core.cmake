# core: unit tests and fuzz targets.
eddy_unit_test(test_crc eddy_core)
eddy_unit_test(test_buf_reader eddy_core)
eddy_unit_test(test_map_arena eddy_core)
eddy_unit_test(test_misc eddy_core)
eddy_fuzz_target(fuzz_reader reader eddy_core)

# hub: unit tests of pieces that need no sockets.
eddy_unit_test(test_hub_config eddy_hub)

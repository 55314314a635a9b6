# io: event loop and sockets.
eddy_unit_test(test_io_loop eddy_io)

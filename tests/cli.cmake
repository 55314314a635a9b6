# cli: the command line itself.
eddy_integration_test(test_cli)
eddy_integration_test(test_demo)

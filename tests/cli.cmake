# cli: the command line itself.
eddy_integration_test(test_cli)

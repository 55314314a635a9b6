# hub: integration tests of the server's own behaviour (disk full).
eddy_integration_test(test_disk_full)
eddy_integration_test(test_admin_configs)

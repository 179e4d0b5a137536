package mac_test

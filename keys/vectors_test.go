package keys_test

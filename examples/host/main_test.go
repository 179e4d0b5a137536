package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

func TestRunErrors(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"listen": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, config, addr string
	}{
		{"missing configuration file", "testdata/none.json", ""},
		{"invalid configuration", bad, ""},
		{"address that cannot be listened on", "testdata/seed.json", "127.0.0.1:99999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := run(tc.config, tc.addr, "", "", "none", log); err == nil {
				t.Errorf("run(%s, %q) = nil, want an error", tc.config, tc.addr)
			}
		})
	}
}

package scenario

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/posflow/posflow/examples/terminal/pos"
)

// TestRestartKeepsBatch pays three times (online, offline with its
// advice, and a purchase the card declines after the host approved it,
// reversed), stops the terminal without settling, as a power cut would,
// starts a new one on the same state directory, pays twice more and
// settles. With the batch file the new terminal's 0500 carries the five
// purchases and the host finds it in balance at the first try; without it
// (the file removed before the restart, as the terminal was before the
// batch file) the 0500 is out of balance and the batch closes only on the
// upload.
func TestRestartKeepsBatch(t *testing.T) {
	for _, tt := range []struct {
		name      string
		keepBatch bool
	}{
		{"batch file kept", true},
		{"batch file lost", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			clk := Clock() // one clock for both terminals, as a real one
			w, err := Start(ctx, Options{Seed: 1, StateDir: dir, Time: clk})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := w.Close(ctx); err != nil {
					t.Error(err)
				}
			})
			for _, name := range []string{"approved", "offline", "card-declines"} {
				if _, err := w.Run(ctx, w.Catalogue.Lookup(name)); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			before := w.Terminal.Batch()
			if n := len(before.Entries); n != 3 {
				t.Fatalf("%d purchases in the batch before the restart, want 3", n)
			}

			// The power cut: the terminal's memory is gone, its files
			// stay.
			if err := w.Terminal.Close(); err != nil {
				t.Fatal(err)
			}
			w.Terminal = nil
			path := filepath.Join(dir, BatchFile)
			file, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"approved", "offline", "card-declines"} {
				c := w.Catalogue.Lookup(name).Card
				if bytes.Contains(file, []byte(c.Track2[len(c.Issued.PAN):])) {
					t.Errorf("batch file holds the track data of %s…", c.Issued.PAN[:6])
				}
			}
			if !tt.keepBatch {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			}

			term, pad, err := Connect(w.Catalogue, w.Link, Options{Seed: 1, StateDir: dir, Time: clk})
			if err != nil {
				t.Fatal(err)
			}
			w.Terminal, w.PINPad = term, pad
			if tt.keepBatch {
				if got := term.Batch(); got.Totals() != before.Totals() || len(got.Entries) != len(before.Entries) {
					t.Fatalf("restarted terminal's batch totals %+v, want %+v", got.Totals(), before.Totals())
				}
			}
			if _, err := term.Forward(ctx); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"stripe-only", "tap-online"} {
				r, err := w.Run(ctx, w.Catalogue.Lookup(name))
				if err != nil {
					t.Fatalf("%s after the restart: %v", name, err)
				}
				if !r.Approved {
					t.Errorf("%s after the restart: declined %s (%s)", name, string(r.Response), r.Reason)
				}
				// STANs go on after the batch's, rather than from 1.
				for _, e := range before.Entries {
					if tt.keepBatch && r.STAN <= e.STAN {
						t.Errorf("%s after the restart: STAN %s, not after the batch's %s", name, r.STAN, e.STAN)
					}
				}
			}
			s, err := term.Settle(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Closed {
				t.Fatalf("Settle = %+v, want the batch closed", s)
			}
			var reconciles []string
			for _, e := range journal(t, w) {
				if e.Kind == "reconcile" {
					reconciles = append(reconciles, e.Code)
				}
			}
			if tt.keepBatch {
				if !s.InBalance || s.Uploaded != 0 || s.Totals.DebitsNumber != 5 {
					t.Errorf("Settle = %+v, want in balance at the first 0500 with 5 debits", s)
				}
				if want := []string{"00"}; !slices.Equal(reconciles, want) {
					t.Errorf("host answered the 0500s %q, want %q", reconciles, want)
				}
			} else if s.InBalance || s.Uploaded == 0 {
				t.Errorf("Settle without the batch file = %+v, want out of balance and an upload", s)
			}
			if n := len(term.Batch().Entries); n != 0 {
				t.Errorf("%d purchases left after the close", n)
			}
			b, err := pos.OpenBatch(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(b.Batch().Entries); n != 0 {
				t.Errorf("batch file after the close holds %d purchases", n)
			}
		})
	}
}

package pos

import (
	"strings"
	"testing"

	"github.com/posflow/posflow/iso8583"
)

func TestBatchTotals(t *testing.T) {
	b := Batch{Entries: []Entry{
		{STAN: "000001", Amount: 2500},
		{STAN: "000002", Amount: 850, Offline: true, Advice: true},
		{STAN: "000003", Amount: 9900, Reversed: true},
	}}
	want := iso8583.Totals{DebitsNumber: 3, DebitsAmount: 13250, DebitsReversalNumber: 1, DebitsReversalAmount: 9900}
	if got := b.Totals(); got != want {
		t.Errorf("Totals() = %+v, want %+v", got, want)
	}
	if got := b.Net(); got != 3350 {
		t.Errorf("Net() = %d, want 3350", got)
	}
}

func TestEntryStringMasksPAN(t *testing.T) {
	e := Entry{STAN: "000001", PAN: "4761739001010119", Amount: 100}
	if s := e.String(); s == "" || strings.Contains(s, "4761739001010119") {
		t.Errorf("Entry.String() = %q shows the PAN", s)
	}
}

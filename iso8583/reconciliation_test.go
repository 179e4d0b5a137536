package iso8583

import "testing"

func TestReconciliationRoundTrip(t *testing.T) {
	net := int64(-5099)
	r := &Reconciliation{Transmitted: "0821230000", STAN: "000200", TerminalID: "TERM0001",
		Totals: Totals{CreditsNumber: 1, CreditsAmount: 500, DebitsNumber: 3, DebitsAmount: 7698, DebitsReversalNumber: 1, DebitsReversalAmount: 2599, Net: &net}}
	m, err := r.Message()
	if err != nil {
		t.Fatal(err)
	}
	if m.Text(97) != "D0000000000005099" {
		t.Errorf("field 97 = %q", m.Text(97))
	}
	for _, s := range []*Spec{SpecASCII, SpecBCD} {
		got, err := ReadReconciliation(overTheWire(t, s, m))
		if err != nil {
			t.Fatal(err)
		}
		if got.Totals.DebitsAmount != 7698 || got.Totals.Net == nil || *got.Totals.Net != net || got.Totals.DebitsReversalAmount != 2599 {
			t.Errorf("%s: totals %+v", s.Name(), got.Totals)
		}
	}
}

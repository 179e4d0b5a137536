package emv

import (
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/tlv"
)

func TestAppendField55(t *testing.T) {
	values := map[tlv.Tag][]byte{0x9F26: mustHexT("1122334455667788"), 0x9F27: {0x80}, 0x95: make([]byte, 5)}
	got, err := AppendField55([]byte{0xEE}, []tlv.Tag{0x9F27, 0x9F26, 0x9F10, 0x95}, func(t tlv.Tag) ([]byte, bool) {
		v, ok := values[t]
		return v, ok
	})
	want := "EE" + "9F270180" + "9F26081122334455667788" + "95050000000000"
	if err != nil || hexUpper(got) != want {
		t.Errorf("AppendField55 = %X, %v, want %s (order of the list, absent tags skipped)", got, err, want)
	}
}

func TestResultStrings(t *testing.T) {
	for o, want := range map[Outcome]string{Terminated: "terminated", ApprovedOffline: "approved offline",
		ApprovedOnline: "approved online", DeclinedOffline: "declined offline", DeclinedOnline: "declined online", 9: "outcome 9"} {
		if o.String() != want {
			t.Errorf("Outcome(%d) = %q, want %q", o, o.String(), want)
		}
	}
	err := &StepError{Step: StepReadData, Err: errors.Join(ErrMissingData)}
	if s := err.Error(); s != "emv: read application data: mandatory card data missing" {
		t.Errorf("StepError = %q", s)
	}
	fc := newFakeCard(t)
	fc.records[[2]byte{1, 1}] = dropTag(fc.records[[2]byte{1, 1}], 0x5F24)
	res := run(t, fc, testConfig(t), testTxn(100))
	if s := res.String(); !strings.HasPrefix(s, "terminated: TVR") || !strings.Contains(s, "tag 5F24") || strings.Contains(s, "4761739") {
		t.Errorf("Result.String() = %q", s)
	}
	if !errors.Is(res.Err, ErrMissingData) {
		t.Errorf("Err %v", res.Err)
	}
}

package iso8583

import (
	"errors"
	"testing"
)

func TestResponseCode(t *testing.T) {
	approved := []ResponseCode{"00", "08", "10", "11"}
	declined := []ResponseCode{"05", "12", "13", "14", "30", "41", "43", "51", "54", "55", "57", "58", "61", "62", "65", "75", "91", "94", "95", "96", "Z3"}
	for _, c := range approved {
		if !c.Approved() || c.Err() != nil {
			t.Errorf("%s: Approved %v Err %v, want approved", c, c.Approved(), c.Err())
		}
	}
	for _, c := range declined {
		err := c.Err()
		var got ResponseCode
		if c.Approved() || !errors.As(err, &got) || got != c {
			t.Errorf("%s: Approved %v Err %v, want the code as an error", c, c.Approved(), err)
		}
	}
	if got := DoNotHonour.Error(); got != "iso8583: response code 05: do not honour" {
		t.Errorf("Error() = %q", got)
	}
	if got := ResponseCode("Z3").Meaning(); got != "unknown" {
		t.Errorf("Meaning(Z3) = %q", got)
	}
	if got := ResponseCode("\x00\x01").String(); got != "invalid" {
		t.Errorf("String of a non-code = %q", got)
	}
	if !errors.Is(InsufficientFunds.Err(), InsufficientFunds) {
		t.Error("errors.Is(code.Err(), code) is false")
	}
}

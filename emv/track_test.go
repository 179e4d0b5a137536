package emv

import (
	"errors"
	"strings"
	"testing"
)

// The track data of the public test card of testdata/vectors.json
// (openemv/emv-utils), written as a stripe would hold it.
const (
	testTrack2 = ";4761739001010119=22122011758928889?"
	testTrack1 = "%B4761739001010119^EXPIRED/CARD^2212201175890960000000?"
)

func TestParseTrack2(t *testing.T) {
	got, err := ParseTrack2(testTrack2)
	if err != nil {
		t.Fatal(err)
	}
	if got.PAN != "4761739001010119" || got.Expiry != "2212" || got.ServiceCode.String() != "201" || got.Discretionary != "1758928889" {
		t.Errorf("ParseTrack2 = %#v", got)
	}
	if _, err := ParseTrack2("4761739001010119=2212201"); err != nil {
		t.Errorf("no sentinels, no discretionary data: %v", err)
	}
	if _, err := ParseTrack2(";4761739001010119=22122011758928889?7"); err != nil {
		t.Errorf("LRC after the end sentinel: %v", err)
	}
	bad := []struct{ in, why string }{
		{"4761739001010119", "no separator"},
		{"47617390=22122011758928889", "PAN too short"},
		{"47617390010101191234=2212201", "PAN too long"},
		{"476173900101A119=2212201", "non-digit PAN"},
		{"4761739001010119=22122", "no service code"},
		{"4761739001010119=2212X01", "non-digit service code"},
		{";4761739001010119=2212201?12345", "data after the end sentinel"},
	}
	for _, b := range bad {
		_, err := ParseTrack2(b.in)
		if !errors.Is(err, ErrTrack) {
			t.Errorf("ParseTrack2(%s) = %v, want ErrTrack (%s)", b.why, err, b.why)
		}
		if err != nil && strings.Contains(err.Error(), "4761") {
			t.Errorf("error shows card data: %v", err)
		}
	}
}

func TestParseTrack2Equivalent(t *testing.T) {
	// An odd number of digits is padded with F: 17-digit discretionary
	// length made from the test card by dropping one digit.
	got, err := ParseTrack2Equivalent(mustHex(t, "4761739001010119D2212201175892888F"))
	if err != nil || got.Discretionary != "175892888" {
		t.Errorf("F-padded = %#v, %v", got, err)
	}
	for _, h := range []string{"4761739001010119", "4761739001010119D221", "47617390010101192212201175892888999999999999"} {
		if _, err := ParseTrack2Equivalent(mustHex(t, h)); !errors.Is(err, ErrTrack) {
			t.Errorf("ParseTrack2Equivalent(%s) = %v, want ErrTrack", h, err)
		}
	}
}

func TestParseTrack1(t *testing.T) {
	got, err := ParseTrack1(testTrack1)
	if err != nil {
		t.Fatal(err)
	}
	if got.PAN != "4761739001010119" || got.Name != "EXPIRED/CARD" || got.Expiry != "2212" || got.ServiceCode.String() != "201" || got.Discretionary != "175890960000000" {
		t.Errorf("ParseTrack1 = %#v", got)
	}
	if s := got.String(); strings.Contains(s, "4761739001010119") || strings.Contains(s, "EXPIRED") {
		t.Errorf("Track1.String() = %q shows card data", s)
	}
	bad := []struct{ in, why string }{
		{"%A4761739001010119^NAME^2212201?", "format code A"},
		{"%B4761739001010119^NAME", "two fields"},
		{"%B4761739001010119^N^2212201?", "name too short"},
		{"%B4761739001010119^" + strings.Repeat("N", 27) + "^2212201?", "name too long"},
		{"%B4761739001010119^NAME^22A2201?", "non-digit expiry"},
		{"%B47617390010^NAME^2212201?", "PAN too short"},
		{"%B4761739001010119^name^2212201?", "lower case is outside the track 1 set"},
		{"%B4761739001010119^NAME^2212201?XYZ", "data after the end sentinel"},
	}
	for _, b := range bad {
		if _, err := ParseTrack1(b.in); !errors.Is(err, ErrTrack) {
			t.Errorf("ParseTrack1 (%s) = %v, want ErrTrack", b.why, err)
		}
	}
}

func TestServiceCode(t *testing.T) {
	tests := []struct {
		sc                                                  string
		chip, intl, online, pin, prompt, goodsOnly, atmOnly bool
	}{
		{"201", true, true, false, false, false, false, false},
		{"101", false, true, false, false, false, false, false},
		{"220", true, true, true, true, false, false, false},
		{"606", true, false, false, false, true, false, false},
		{"502", false, false, false, false, false, true, false},
		{"123", false, true, true, true, false, false, true},
		{"127", false, true, true, false, true, true, false},
		{"105", false, true, false, true, false, true, false},
	}
	for _, tt := range tests {
		var s ServiceCode
		copy(s[:], tt.sc)
		got := []bool{s.ChipPresent(), s.International(), s.OnlineAuthorisation(), s.PINRequired(), s.PromptForPIN(), s.GoodsAndServicesOnly(), s.ATMOnly()}
		want := []bool{tt.chip, tt.intl, tt.online, tt.pin, tt.prompt, tt.goodsOnly, tt.atmOnly}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("service code %s: check %d = %v, want %v", tt.sc, i, got[i], want[i])
			}
		}
	}
}

func TestMagstripeEntryMode(t *testing.T) {
	chip := ServiceCode{'2', '0', '1'}
	stripe := ServiceCode{'1', '0', '1'}
	if _, err := MagstripeEntryMode(chip, false); !errors.Is(err, ErrInsertChip) {
		t.Errorf("chip card swiped first: %v, want ErrInsertChip", err)
	}
	if m, err := MagstripeEntryMode(chip, true); err != nil || m != EntryFallbackMagstripe {
		t.Errorf("chip card after chip failure: %v, %v; want fallback 80", m, err)
	}
	if m, err := MagstripeEntryMode(stripe, false); err != nil || m != EntryMagstripe {
		t.Errorf("stripe-only card: %v, %v; want 90", m, err)
	}
}

package c3_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/entrypoint"
)

func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// A qVSDC GPO response of the shape of the public Visa test card's
// online transaction (own values, not the card's).
const online = "82022000 5F340101 570E4761739001010010D2212201123F 9F1007 06010A03A00000 9F2608 1122334455667788 9F2701 80 9F3602 0077 9F6C02 9000"

// An offline one: no 9F27, the TC in the IAD (CVR byte 2 = 90), an AFL.
const offline = "82022000 9408 1801010110010100 570E4761739001010010D2212201123F 9F1007 06011103900000 9F2608 1122334455667788 9F3602 0015"

// t77 wraps a body in template 77.
func t77(body string) string {
	n := len(h(body))
	return hex.EncodeToString([]byte{0x77, byte(n)}) + body
}

func TestParseGPOResponse(t *testing.T) {
	g, err := c3.ParseGPOResponse(h(t77(online)))
	if err != nil {
		t.Fatalf("ParseGPOResponse(online) = %v", err)
	}
	if g.CID != emv.ARQC || !g.HasCTQ || g.CTQ != (c3.CTQ{0x90, 0x00}) || g.AFL != nil || g.AIP != (emv.AIP{0x20, 0x00}) {
		t.Errorf("online = %+v", g)
	}
	g, err = c3.ParseGPOResponse(h(t77(offline)))
	if err != nil {
		t.Fatalf("ParseGPOResponse(offline) = %v", err)
	}
	if g.CID != emv.TC || g.HasCTQ || len(g.AFL) != 2 {
		t.Errorf("offline = %+v", g)
	}

	bad := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", entrypoint.ErrCardData},
		{"format 1", "8006 2000 18010101", c3.ErrFormat1},
		{"other template", "7003 820120", entrypoint.ErrCardData},
		{"data after the template", t77(online) + "01", entrypoint.ErrCardData},
		{"truncated", t77(online)[:24], entrypoint.ErrCardData},
		{"no cryptogram", t77("82022000 9F1007 06010A03A00000"), c3.ErrMissingData},
		{"AIP twice", t77("82022000 " + online), entrypoint.ErrCardData},
		{"no 9F27 and an unknown IAD format", t77(strings.Replace(offline, "06011103900000", "0A011103900000", 1)), c3.ErrCryptogram},
		{"CTQ of one byte", t77(strings.Replace(online, "9F6C02 9000", "9F6C01 90", 1)), entrypoint.ErrCardData},
		{"RFU cryptogram type", t77(strings.Replace(online, "9F2701 80", "9F2701 C0", 1)), c3.ErrCryptogram},
		{"malformed AFL", t77(strings.Replace(offline, "9408 1801010110010100", "9408 0001010110010100", 1)), entrypoint.ErrCardData},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c3.ParseGPOResponse(h(tt.in)); !errors.Is(err, tt.want) {
				t.Errorf("ParseGPOResponse(%s) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func FuzzParseGPOResponse(f *testing.F) {
	f.Add(h(t77(online)))
	f.Add(h(t77(offline)))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := c3.ParseGPOResponse(b)
		if err != nil {
			return
		}
		if !bytes.Contains(b, g.Template) {
			t.Fatalf("template not a part of the input")
		}
		if g.CID.Type() == 0xC0 {
			t.Fatalf("RFU cryptogram type accepted")
		}
		for i := range b {
			if _, err := c3.ParseGPOResponse(b[:i]); err == nil && bytes.Trim(b[i:], "\x00") != nil && len(bytes.Trim(b[i:], "\x00")) > 0 {
				t.Fatalf("strict prefix %x parses", b[:i])
			}
		}
	})
}

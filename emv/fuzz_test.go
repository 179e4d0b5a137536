package emv

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/tlv"
)

func FuzzParseDOL(f *testing.F) {
	f.Add(mustHex(f, "9F02069F03069F1A0295055F2A029A039C019F3704"))
	f.Add(mustHex(f, "5A0A9F1E0A7003DF0103"))
	f.Add(mustHex(f, "9F8001"))
	f.Fuzz(func(t *testing.T, dol []byte) {
		entries, err := ParseDOL(dol)
		n, errLen := DOLLen(dol)
		data, errData := AppendDOLData(nil, dol, func(tag tlv.Tag) ([]byte, bool) {
			return bytes.Repeat([]byte{0x5A}, int(tag)%40), tag%3 != 0
		})
		if (err == nil) != (errLen == nil) || (err == nil) != (errData == nil) {
			t.Fatalf("ParseDOL, DOLLen and AppendDOLData disagree: %v / %v / %v", err, errLen, errData)
		}
		if err != nil {
			if !errors.Is(err, ErrDOL) {
				t.Fatalf("error %v does not wrap ErrDOL", err)
			}
			return
		}
		total := 0
		var enc []byte
		for _, e := range entries {
			total += e.Length
			enc = tlv.AppendTag(enc, e.Tag)
			enc = append(enc, byte(e.Length))
		}
		if total != n || len(data) != n {
			t.Fatalf("DOL asks for %d bytes; DOLLen %d, data %d", total, n, len(data))
		}
		if !bytes.Equal(enc, dol) {
			t.Fatalf("re-encoded DOL %X != %X", enc, dol)
		}
	})
}

func FuzzParseAFL(f *testing.F) {
	for _, v := range loadVectors(f).AFLs {
		f.Add(mustHex(f, v.Hex))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		entries, err := ParseAFL(v)
		if err != nil {
			if !errors.Is(err, ErrAFL) {
				t.Fatalf("error %v does not wrap ErrAFL", err)
			}
			return
		}
		var enc []byte
		for _, e := range entries {
			if e.SFI < 1 || e.SFI > 30 || e.First == 0 || e.Last < e.First || int(e.ODA) > int(e.Last-e.First)+1 {
				t.Fatalf("invalid entry accepted: %+v", e)
			}
			enc = append(enc, e.SFI<<3, e.First, e.Last, e.ODA)
		}
		if !bytes.Equal(enc, v) {
			t.Fatalf("re-encoded AFL %X != %X", enc, v)
		}
	})
}

func FuzzParseCVMList(f *testing.F) {
	for _, v := range loadVectors(f).CVMLists {
		f.Add(mustHex(f, v.Hex))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		l, err := ParseCVMList(v)
		if err != nil {
			if !errors.Is(err, ErrCVMList) {
				t.Fatalf("error %v does not wrap ErrCVMList", err)
			}
			return
		}
		if enc := AppendCVMList(nil, l); !bytes.Equal(enc, v) {
			t.Fatalf("AppendCVMList(ParseCVMList(%X)) = %X", v, enc)
		}
		for _, r := range l.Rules {
			_ = r.Code.String()
		}
	})
}

func FuzzParseTrack(f *testing.F) {
	f.Add(testTrack2)
	f.Add(testTrack1)
	f.Add("4761739001010119=2212201")
	f.Fuzz(func(t *testing.T, s string) {
		if t2, err := ParseTrack2(s); err == nil {
			if len(t2.PAN) < 12 || len(t2.PAN) > 19 || len(t2.Expiry) != 4 {
				t.Fatalf("track 2 accepted with PAN %d digits, expiry %q", len(t2.PAN), t2.Expiry)
			}
			_ = t2.String()
		} else if !errors.Is(err, ErrTrack) {
			t.Fatalf("track 2 error %v does not wrap ErrTrack", err)
		}
		if t1, err := ParseTrack1(s); err == nil {
			if len(t1.Name) < 2 || len(t1.Name) > 26 {
				t.Fatalf("track 1 accepted with a name of %d characters", len(t1.Name))
			}
		} else if !errors.Is(err, ErrTrack) {
			t.Fatalf("track 1 error %v does not wrap ErrTrack", err)
		}
		if _, err := ParseTrack2Equivalent([]byte(s)); err != nil && !errors.Is(err, ErrTrack) {
			t.Fatalf("track 2 equivalent error %v does not wrap ErrTrack", err)
		}
	})
}

// FuzzTransport drives the T=0 rules with a card whose answers come from
// the fuzzer: no panic, no endless exchange, typed errors.
func FuzzTransport(f *testing.F) {
	f.Add([]byte{0x61, 0x04, 0x6F, 0x02, 0x84, 0x00, 0x90, 0x00}, true)
	f.Add([]byte{0x62, 0x83, 0x6F, 0x00, 0x90, 0x00}, true)
	f.Add([]byte{0x6C, 0x05, 0x70, 0x00, 0x90, 0x00}, false)
	f.Fuzz(func(t *testing.T, script []byte, t0 bool) {
		// Each answer is: length byte, then that many bytes.
		calls := 0
		c := cardFunc(func([]byte) ([]byte, error) {
			calls++
			if len(script) == 0 {
				return []byte{0x90, 0x00}, nil
			}
			n := min(int(script[0]), len(script)-1)
			resp := script[1 : 1+n]
			script = script[1+n:]
			return resp, nil
		})
		tr := Transport{Card: c, T0: t0}
		_, err := tr.Exchange(Select([]byte("1PAY.SYS.DDF01"), false))
		if err != nil && !errors.Is(err, ErrTransport) && !errors.Is(err, ErrResponse) {
			t.Fatalf("untyped error %v", err)
		}
		if calls > maxGetResponse+3 {
			t.Fatalf("%d commands for one exchange", calls)
		}
	})
}

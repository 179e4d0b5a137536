package qr

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

type mpmVector struct {
	Name    string `json:"name"`
	Payload string `json:"payload"`
	CRC     string `json:"crc"`
	Lenient bool   `json:"lenient"`
	Source  string `json:"source"`
}

func loadMPMVectors(t testing.TB) []mpmVector {
	t.Helper()
	b, err := os.ReadFile("testdata/mpm.json")
	if err != nil {
		t.Fatal(err)
	}
	var v []mpmVector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMPMVectors parses every published payload, checks its CRC against the
// one recorded with it and rebuilds it byte for byte.
func TestMPMVectors(t *testing.T) {
	for _, v := range loadMPMVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			opts := Options{Lenient: v.Lenient}
			m, err := opts.ParseMPM(v.Payload)
			if err != nil {
				t.Fatalf("ParseMPM(%q) = %v", v.Payload, err)
			}
			if got := hex4(m.CRC); got != v.CRC {
				t.Errorf("CRC = %s, want %s", got, v.CRC)
			}
			body := v.Payload[:len(v.Payload)-4]
			if got := hex4(CRCString(body)); got != v.CRC {
				t.Errorf("CRCString(payload without CRC) = %s, want %s", got, v.CRC)
			}
			if got := hex4(CRC([]byte(body))); got != v.CRC {
				t.Errorf("CRC(payload without CRC) = %s, want %s", got, v.CRC)
			}
			b, err := opts.AppendMPM(nil, m)
			if err != nil {
				t.Fatalf("AppendMPM = %v", err)
			}
			if string(b) != v.Payload {
				t.Errorf("AppendMPM =\n%s\nwant\n%s", b, v.Payload)
			}
			if v.Lenient {
				if _, err := ParseMPM(v.Payload); !errors.Is(err, ErrMissing) {
					t.Errorf("strict ParseMPM = %v, want ErrMissing", err)
				}
			}
			// Every strict prefix fails.
			for i := range len(v.Payload) {
				if _, err := opts.ParseMPM(v.Payload[:i]); err == nil {
					t.Fatalf("ParseMPM(prefix of %d bytes) succeeded", i)
				}
			}
		})
	}
}

// TestMPMEMVCoExample checks the objects of the EMVCo example one by one.
func TestMPMEMVCoExample(t *testing.T) {
	v := loadMPMVectors(t)[0]
	m, err := ParseMPM(v.Payload)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range m.Objects {
		ids = append(ids, o.ID.String())
	}
	if got, want := strings.Join(ids, " "), "00 01 29 31 52 58 59 60 64 54 53 55 62 91"; got != want {
		t.Errorf("IDs = %s, want %s", got, want)
	}
	checks := []struct{ got, want string }{
		{m.Amount(), "23.72"},
		{m.Currency(), "156"},
		{m.MerchantName(), "BEST TRANSPORT"},
		{m.MerchantCity(), "BEIJING"},
		{m.Value(IDTipIndicator), "01"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d = %q, want %q", i, c.got, c.want)
		}
	}
	if !m.Dynamic() {
		t.Error("Dynamic() = false")
	}
	lang, _ := m.Find(IDLanguageTemplate)
	if got := lang.SubValue(IDAlternateName); got != "最佳运输" {
		t.Errorf("64.01 = %q", got)
	}
	add, _ := m.Find(IDAdditionalData)
	if got := add.SubValue(IDTerminalLabel); got != "A6008667" {
		t.Errorf("62.07 = %q", got)
	}
	accts := m.MerchantAccounts()
	if len(accts) != 2 || accts[0].SubValue(IDGUI) != "D15600000000" || accts[1].SubValue(3) != "12345678" {
		t.Errorf("MerchantAccounts() = %+v", accts)
	}
}

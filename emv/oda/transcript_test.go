package oda

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posflow/posflow/tlv"
)

// contactlessDir holds the Daniel Hu transcripts (MohamedHassanNasr/emv);
// they stay in the shared folder and are read from there (see
// testdata/README.md).
var contactlessDir = filepath.Join("..", "..", "..", "shared", "fixtures", "contactless")

type transcript struct {
	Randoms string `json:"randoms"`
	Date    string `json:"date"`
	Req     string `json:"transaction-req"`
	APDUs   []struct {
		Cmd  string `json:"cmd"`
		Resp string `json:"resp"`
	} `json:"apdus"`
}

// card is what a kernel would have collected from a transcript.
type card struct {
	rid        RID
	pdolData   []byte
	gpo        []byte // response data field of GET PROCESSING OPTIONS
	records    map[[2]byte][]byte
	static     []byte // static data to be authenticated
	genacCDOL1 []byte
	genacResp  []byte
	un, amount []byte
	currency   []byte
	date       time.Time
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadTranscript(t *testing.T, name string) *card {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(contactlessDir, name))
	if os.IsNotExist(err) {
		t.Skipf("%s not found: the shared contactless fixtures are not on this machine", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	var tr transcript
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	c := &card{records: map[[2]byte][]byte{}, un: mustHex(t, tr.Randoms)}
	d := mustHex(t, tr.Date)
	c.date = time.Date(2000+int(d[0]>>4)*10+int(d[0]&15), time.Month(int(d[1]>>4)*10+int(d[1]&15)), int(d[2]>>4)*10+int(d[2]&15), 0, 0, 0, 0, time.UTC)
	req := mustHex(t, tr.Req)
	c.amount = find(t, req, 0x9F02)
	c.currency = find(t, req, 0x5F2A)
	for _, a := range tr.APDUs {
		cmd, resp := mustHex(t, a.Cmd), mustHex(t, a.Resp)
		resp = resp[:len(resp)-2] // SW1 SW2
		switch {
		case cmd[0] == 0x00 && cmd[1] == 0xA4 && cmd[4] == 7:
			copy(c.rid[:], cmd[5:10])
		case cmd[0] == 0x80 && cmd[1] == 0xA8:
			data := cmd[5 : 5+int(cmd[4])]
			c.pdolData = find(t, data, 0x83)
			c.gpo = resp
		case cmd[0] == 0x00 && cmd[1] == 0xB2:
			c.records[[2]byte{cmd[3] >> 3, cmd[2]}] = resp
		case cmd[0] == 0x80 && cmd[1] == 0xAE:
			c.genacCDOL1 = cmd[5 : 5+int(cmd[4])]
			c.genacResp = resp
		}
	}
	// Static data to be authenticated (Book 3 10.3): the records the AFL
	// marks, the value of template 70 for SFI 1 to 10; then the AIP when
	// 9F4A lists it.
	afl := find(t, c.gpo, 0x94)
	for i := 0; i+4 <= len(afl); i += 4 {
		sfi := afl[i] >> 3
		for r := afl[i+1]; r < afl[i+1]+afl[i+3]; r++ {
			rec, ok := c.records[[2]byte{sfi, r}]
			if !ok {
				t.Fatalf("signed record SFI %d record %d not read", sfi, r)
			}
			c.static, err = AppendStaticData(c.static, int(sfi), rec)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	c.static, err = AppendSDATagList(c.static, c.tag(t, 0x9F4A), find(t, c.gpo, 0x82))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func find(t testing.TB, data []byte, tag tlv.Tag) []byte {
	t.Helper()
	o, err := lenient.Find(data, tag)
	if err != nil {
		t.Fatalf("tag %v: %v", tag, err)
	}
	return o.Value
}

// tag returns a data object from the records or the GPO response, nil if
// absent.
func (c *card) tag(t testing.TB, tag tlv.Tag) []byte {
	t.Helper()
	for _, rec := range append([][]byte{c.gpo}, mapValues(c.records)...) {
		if o, err := lenient.Find(rec, tag); err == nil {
			return o.Value
		}
	}
	return nil
}

func mapValues(m map[[2]byte][]byte) [][]byte {
	var out [][]byte
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// chain verifies the issuer and ICC certificates of a transcript and
// returns the ICC public key.
func (c *card) chain(t *testing.T) *PublicKey {
	t.Helper()
	ca, err := TestKeys().Lookup(c.rid, c.tag(t, 0x8F)[0])
	if err != nil {
		t.Fatal(err)
	}
	chk := Checks{PAN: c.tag(t, 0x5A), Date: c.date}
	ic, err := RecoverIssuerCertificate(ca, c.tag(t, 0x90))
	if err != nil {
		t.Fatalf("RecoverIssuerCertificate: %v", err)
	}
	issuer, err := ic.Verify(c.tag(t, 0x92), c.tag(t, 0x9F32), chk)
	if err != nil {
		t.Fatalf("issuer Verify: %v", err)
	}
	if ssad := c.tag(t, 0x93); ssad != nil {
		// The M/Chip cards also carry signed static application data over
		// the same static data: static data authentication must pass too.
		s, err := VerifySSAD(issuer, ssad, c.static)
		if err != nil {
			t.Errorf("VerifySSAD: %v", err)
		} else {
			t.Logf("SDA passed, DAC %X", s.DAC)
		}
	}
	cc, err := RecoverICCCertificate(issuer, c.tag(t, 0x9F46))
	if err != nil {
		t.Fatalf("RecoverICCCertificate: %v", err)
	}
	icc, err := cc.Verify(c.tag(t, 0x9F48), c.tag(t, 0x9F47), c.static, chk)
	if err != nil {
		t.Fatalf("ICC Verify: %v", err)
	}
	// One byte less of static data breaks the hash.
	if _, err := cc.Verify(c.tag(t, 0x9F48), c.tag(t, 0x9F47), c.static[:len(c.static)-1], chk); err == nil {
		t.Error("ICC Verify over truncated static data succeeded")
	}
	return icc
}

// TestTranscriptFDDA verifies the fDDA version 01 signature of the Visa
// qVSDC offline transcript under Visa test CAPK 92.
func TestTranscriptFDDA(t *testing.T) {
	c := loadTranscript(t, "mock-visa-offline.json")
	icc := c.chain(t)
	d := FDDA{UN: c.un, Amount: c.amount, Currency: c.currency, CardAuthData: c.tag(t, 0x9F69)}
	if d.Version() != 1 {
		t.Fatalf("fDDA version %02X", d.Version())
	}
	s, err := VerifyFDDA(icc, find(t, c.gpo, 0x9F4B), d)
	if err != nil {
		t.Fatalf("VerifyFDDA: %v", err)
	}
	if want := find(t, c.gpo, 0x9F36); !bytes.Equal(s.IDN, want) {
		t.Errorf("IDN = %X, want the ATC %X", s.IDN, want)
	}
	d.Amount = []byte{0, 0, 0, 0, 0x02, 0x01}
	_, err = VerifyFDDA(icc, find(t, c.gpo, 0x9F4B), d)
	wantErr(t, "VerifyFDDA with another amount", err, ErrHash)
}

// TestTranscriptCDA verifies CDA, transaction data hash code included, on
// the three Mastercard M/Chip transcripts.
func TestTranscriptCDA(t *testing.T) {
	for _, tc := range []struct {
		file    string
		idn, ac string
		cid     byte
	}{
		{"mock-msc-offline.json", "AB803A04B0BCA313", "49C27A9F8E4BF538", 0x40},
		{"mock-msc-offline-2.json", "D0987654", "AC123456789ABCDE", 0x80},
		{"mock-msc-online.json", "B39C5522F9D77FAD", "675B759BB5350F8C", 0x80},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c := loadTranscript(t, tc.file)
			icc := c.chain(t)
			d := CDA{UN: c.un, PDOLData: c.pdolData, CDOL1Data: c.genacCDOL1, Response: c.genacResp}
			s, err := VerifyCDA(icc, d)
			if err != nil {
				t.Fatalf("VerifyCDA: %v", err)
			}
			if got := hex.EncodeToString(s.IDN); got != lower(tc.idn) {
				t.Errorf("IDN = %s, want %s", got, tc.idn)
			}
			if got := hex.EncodeToString(s.AC); got != lower(tc.ac) {
				t.Errorf("AC = %s, want %s", got, tc.ac)
			}
			if s.CID != tc.cid {
				t.Errorf("CID = %02X, want %02X", s.CID, tc.cid)
			}
			// The transaction data hash code covers the CDOL1 data.
			cdol := bytes.Clone(c.genacCDOL1)
			cdol[0] ^= 1
			d.CDOL1Data = cdol
			_, err = VerifyCDA(icc, d)
			wantErr(t, "VerifyCDA with altered CDOL1 data", err, ErrTransactionDataHash)
		})
	}
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

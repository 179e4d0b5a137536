package iso8583

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/posflow/posflow/tlv"
)

var update = flag.Bool("update", false, "rewrite the self-built golden messages in testdata/golden")

// goldenMACKey is the double-length key of the self-built signed messages
// (the ANSI X9.19 sample key pattern 0123456789ABCDEF FEDCBA9876543210).
var goldenMACKey = mustHex("0123456789ABCDEFFEDCBA9876543210")

// goldenNetwork returns the 0800 echo test of the golden files.
func goldenNetwork() *Message {
	r := &NetworkRequest{Code: Echo, Transmitted: "0821153045", STAN: "000124", TerminalID: "TERM0001"}
	m, err := r.Message()
	if err != nil {
		panic(err)
	}
	return m
}

type goldenCase struct {
	name string
	msg  *Message
	mac  bool
}

func must(m *Message, err error) *Message {
	if err != nil {
		panic(err)
	}
	return m
}

func respond(req *Message, code ResponseCode, edit func(r *Response)) *Message {
	r, err := Respond(req, code)
	if err != nil {
		panic(err)
	}
	if edit != nil {
		edit(r)
	}
	return must(r.Message())
}

// goldenCases are the self-built messages: one of each class of the POS
// flow, built through the typed builders.
func goldenCases() []goldenCase {
	purchase := testPurchase("000123", "TERM0001")
	auth := must((&AuthorizationRequest{Transaction: Transaction{
		Track2: "4761739001010119=29122011143804400000", ProcessingCode: "000000", Amount: 10000,
		Transmitted: "0821153000", STAN: "000122", EntryMode: "901", Condition: "06", Acquirer: "476173",
		TerminalID: "TERM0001", MerchantID: "MERCHANT0000001", MerchantName: fmt.Sprintf("%-23s%-13s%-2s%2s", "POSFLOW TEST SHOP", "AMSTERDAM", "", "NL"),
		Currency: "978",
	}}).Message())
	advice := must((&FinancialAdvice{Transaction: Transaction{
		PAN: "4761739001010119", ProcessingCode: "000000", Amount: 1250, Transmitted: "0821160000", STAN: "000130",
		LocalTime: "160000", LocalDate: "0821", Expiry: "2912", EntryMode: "051", CardSequence: "001", Condition: "00",
		AuthCode: "Y1    ", TerminalID: "TERM0001", MerchantID: "MERCHANT0000001", Currency: "840", ICC: testICC,
	}}).Message())
	upload := must((&BatchUpload{Transaction: Transaction{
		PAN: "5264220612693576", ProcessingCode: "000000", Amount: 1280000, STAN: "000123", LocalTime: "140347",
		LocalDate: "0711", EntryMode: "000", NII: "010", Condition: "00", RRN: "110718000118", TerminalID: "60060004",
		MerchantID: "600600600600600", Private: [4][]byte{[]byte("0200000118110718000118")},
	}}).Message())
	rev, err := NewReversal(purchase, false)
	if err != nil {
		panic(err)
	}
	reversal := must(rev.Message())
	rev.Advice = true
	revAdvice := must(rev.Message())
	recon := must((&Reconciliation{
		Transmitted: "0821230000", STAN: "000200", SettlementDate: "0821", TerminalID: "TERM0001",
		MerchantID: "MERCHANT0000001", Currency: "840", BatchNumber: "000001",
		Totals: Totals{CreditsNumber: 1, CreditsAmount: 500, DebitsNumber: 3, DebitsAmount: 7698, DebitsReversalNumber: 1, DebitsReversalAmount: 2599},
	}).Message())
	signOn := must((&NetworkRequest{Code: SignOn, Transmitted: "0821080000", STAN: "000001", TerminalID: "TERM0001"}).Message())
	keyChange := must((&NetworkRequest{Code: KeyChange, Transmitted: "0821080100", STAN: "000002", TerminalID: "TERM0001",
		SecurityControl: mustHex("FFFF9876543210E00001")}).Message())
	issuer, err := tlv.Encode(tlv.TLV{Tag: 0x91, Value: mustHex("11223344556677883030")}, tlv.TLV{Tag: 0x8A, Value: []byte("00")})
	if err != nil {
		panic(err)
	}
	return []goldenCase{
		{"0100", auth, false},
		{"0110", respond(auth, InsufficientFunds, nil), false},
		{"0200", purchase.Clone(), true},
		{"0210", respond(purchase, Approved, func(r *Response) { r.AuthCode = "A1B2C3"; r.ICC = issuer }), true},
		{"0220", advice, false},
		{"0230", respond(advice, Approved, nil), false},
		{"0320", upload, false},
		{"0330", respond(upload, Approved, nil), false},
		{"0400", reversal, false},
		{"0410", respond(reversal, Approved, nil), false},
		{"0420", revAdvice, false},
		{"0430", respond(revAdvice, Approved, nil), false},
		{"0500", recon, false},
		{"0510", respond(recon, Approved, func(r *Response) { r.SettlementCode = "1" }), false},
		{"0800_signon", signOn, false},
		{"0810_signon", respond(signOn, Approved, nil), false},
		{"0800_keychange", keyChange, false},
		{"0810_keychange", respond(keyChange, Approved, func(r *Response) { r.Additional = "C2D1E0F9A8B7C6D5E4F30011223344556677" }), false},
		{"0800_echo", goldenNetwork(), false},
	}
}

var goldenFramings = map[string]Framing{
	"binary2":      {},
	"binary2 tpdu": {TPDU: true},
	"ascii4":       {Length: ASCII4},
	"ascii4 tpdu":  {Length: ASCII4, TPDU: true},
}

func specByName(n string) *Spec {
	switch n {
	case "ascii":
		return SpecASCII
	case "bcd":
		return SpecBCD
	case "ascii-pin16":
		return SpecASCII.VariablePINData()
	case "bcd-pin16":
		return SpecBCD.VariablePINData()
	}
	return nil
}

// goldenPIN16Cases are the messages of the VariablePINData specs: the
// 0200 with its 8-byte (TDES) PIN block, and with a 16-byte one (AES,
// ISO 9564-1 format 4) and the 12-byte AES DUKPT KSN in field 53.
func goldenPIN16Cases() []goldenCase {
	return []goldenCase{
		{"0200", testPurchase("000123", "TERM0001"), true},
		{"0200_aes", testPurchaseAES("000124", "TERM0001"), true},
	}
}

func writeGolden(t *testing.T) {
	tpdu := TPDU{0x60, 0x00, 0x10, 0x00, 0x00}
	for _, sp := range []struct {
		name    string
		framing string
		cases   func() []goldenCase
	}{
		{"ascii", "ascii4", goldenCases},
		{"bcd", "binary2 tpdu", goldenCases},
		{"ascii-pin16", "ascii4", goldenPIN16Cases},
		{"bcd-pin16", "binary2 tpdu", goldenPIN16Cases},
	} {
		spec := specByName(sp.name)
		for _, gc := range sp.cases() {
			m := gc.msg.Clone()
			var raw []byte
			var err error
			if gc.mac {
				k, _ := RetailMAC(goldenMACKey)
				raw, err = Sign(spec, m, k)
			} else {
				raw, err = spec.Pack(m)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", sp.name, gc.name, err)
			}
			f := goldenFramings[sp.framing]
			frame, err := f.AppendFrame(nil, tpdu, raw)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "# %s: self-built with the typed builders of this package (not from a public source).\n", gc.name)
			fmt.Fprintf(&b, "# Regenerate with: go test ./iso8583 -run TestGolden -update\n")
			fmt.Fprintf(&b, "source: self-built\nspec: %s\nframing: %s\n", sp.name, sp.framing)
			if gc.mac {
				fmt.Fprintf(&b, "mac-key: %X\n", goldenMACKey)
			}
			fmt.Fprintf(&b, "frame: %X\nmti: %s\n", frame, m.MTI)
			for id, v := range m.All() {
				fmt.Fprintf(&b, "%d: %s\n", id, goldenValue(spec, id, v))
			}
			path := filepath.Join("testdata", "golden", sp.name+"_"+gc.name+".txt")
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func goldenValue(s *Spec, id int, v []byte) string {
	if s.fields[id].class == classB {
		return "hex:" + strings.ToUpper(hex.EncodeToString(v))
	}
	return strconv.Quote(string(v))
}

type goldenFile struct {
	spec     *Spec
	framing  Framing
	unframed bool // frame is the bare message
	frame    []byte
	mti      MTI
	macKey   []byte
	fields   map[int]string
}

func readGolden(t *testing.T, path string) goldenFile {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g := goldenFile{fields: map[int]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("%s: bad line %q", path, line)
		}
		switch k {
		case "source":
		case "spec":
			g.spec = specByName(v)
		case "framing":
			g.framing = goldenFramings[v]
			g.unframed = v == "none"
		case "frame":
			g.frame = mustHex(v)
		case "mti":
			g.mti = MTI(v)
		case "mac-key":
			g.macKey = mustHex(v)
		default:
			id, err := strconv.Atoi(k)
			if err != nil {
				t.Fatalf("%s: bad field %q", path, k)
			}
			g.fields[id] = v
		}
	}
	if g.spec == nil || g.frame == nil {
		t.Fatalf("%s: spec or frame missing", path)
	}
	return g
}

// TestGolden reads each golden message: frame, unpack, compare every
// field, pack and frame back to the same bytes, read it as its class's
// typed struct and verify its MAC when it has a key.
func TestGolden(t *testing.T) {
	if *update {
		writeGolden(t)
	}
	paths, err := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	classes := map[MTI]bool{}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			g := readGolden(t, path)
			var tpdu TPDU
			raw := g.frame
			if !g.unframed {
				tpdu, raw, err = g.framing.ReadFrame(bytes.NewReader(g.frame), nil)
				if err != nil {
					t.Fatalf("ReadFrame: %v", err)
				}
			}
			m, err := g.spec.Unpack(raw)
			if err != nil {
				t.Fatalf("Unpack(%X): %v", raw, err)
			}
			if m.MTI != g.mti {
				t.Errorf("MTI = %s, want %s", m.MTI, g.mti)
			}
			classes[m.MTI] = true
			var got []int
			for id, v := range m.All() {
				got = append(got, id)
				if want, ok := g.fields[id]; !ok {
					t.Errorf("field %d present, not in the golden file", id)
				} else if gv := goldenValue(g.spec, id, v); gv != want {
					t.Errorf("field %d = %s, want %s", id, gv, want)
				}
			}
			if len(got) != len(g.fields) {
				var want []int
				for id := range g.fields {
					want = append(want, id)
				}
				sort.Ints(want)
				t.Errorf("fields %v, want %v", got, want)
			}
			again, err := g.spec.Pack(m)
			if err != nil || !bytes.Equal(again, raw) {
				t.Errorf("Pack(Unpack(x)) = %X, %v; want x", again, err)
			}
			frame, _ := g.framing.AppendFrame(nil, tpdu, again)
			if !g.unframed && !bytes.Equal(frame, g.frame) {
				t.Errorf("re-framed %X, want %X", frame, g.frame)
			}
			if err := readTyped(m); err != nil {
				t.Errorf("typed read: %v", err)
			}
			if g.macKey != nil {
				k, _ := RetailMAC(g.macKey)
				if err := Verify(m, k); err != nil {
					t.Errorf("Verify: %v", err)
				}
			}
		})
	}
	for _, mti := range []MTI{"0100", "0110", "0200", "0210", "0220", "0230", "0320", "0330", "0400", "0410", "0420", "0430", "0500", "0510", "0800", "0810"} {
		if !classes[mti] {
			t.Errorf("no golden message of type %s", mti)
		}
	}
}

// readTyped reads m as the typed struct of its class.
func readTyped(m *Message) error {
	if m.MTI.IsResponse() {
		_, err := ReadResponse(m)
		return err
	}
	var err error
	switch m.MTI.Original() {
	case MTIAuthorizationRequest:
		_, err = ReadAuthorizationRequest(m)
	case MTIFinancialRequest:
		_, err = ReadFinancialRequest(m)
	case MTIFinancialAdvice:
		_, err = ReadFinancialAdvice(m)
	case MTIBatchUpload:
		_, err = ReadBatchUpload(m)
	case MTIReversalRequest, MTIReversalAdvice:
		_, err = ReadReversal(m)
	case MTIReconciliationRequest:
		_, err = ReadReconciliation(m)
	case MTINetworkRequest:
		_, err = ReadNetworkRequest(m)
	default:
		err = fmt.Errorf("no typed reader for %s", m.MTI)
	}
	return err
}

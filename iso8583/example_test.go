package iso8583_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// A real host's sign-on response (the HPDH POS protocol, from the public
// repository evenN2S/iso8583-custom; see testdata/README.md): a 2-byte
// length, a TPDU, and the message in BCD.
func ExampleSpec_Unpack() {
	frame, _ := hex.DecodeString("00236000000000081082200000020000000400000000000000120409245700000130300001")
	framing := iso8583.Framing{Length: iso8583.Binary2, TPDU: true}
	tpdu, raw, err := framing.ReadFrame(bytes.NewReader(frame), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := iso8583.SpecBCD.Unpack(raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := iso8583.ReadResponse(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("TPDU %X\n", tpdu)
	fmt.Println(m)
	fmt.Println(r.Network == iso8583.SignOn, r.Code.Approved())
	// Output:
	// TPDU 6000000000
	// 0810 7=1204092457 11=000001 39=00 70=001
	// true true
}

func ExampleFinancialRequest() {
	r := &iso8583.FinancialRequest{Transaction: iso8583.Transaction{
		PAN:            "4761739001010119",
		ProcessingCode: "000000",
		Amount:         2599, // 25.99
		Transmitted:    "0821153045",
		STAN:           "000123",
		Expiry:         "2912",
		EntryMode:      "071",
		Condition:      "00",
		TerminalID:     "TERM0001",
		MerchantID:     "MERCHANT0000001",
		Currency:       "840",
	}}
	m, err := r.Message()
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := iso8583.SpecBCD.Pack(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%X\n", b)
	fmt.Println(m) // card data masked
	// Output:
	// 02007224048000C08000164761739001010119000000000000002599082115304500012329120071005445524D303030314D45524348414E5430303030303031383430
	// 0200 2=476173******0119 3=000000 4=000000002599 7=0821153045 11=000123 14=**** 22=071 25=00 41=TERM0001 42=MERCHANT0000001 49=840
}

func ExampleSign() {
	key, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	k, err := iso8583.RetailMAC(key)
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &iso8583.NetworkRequest{Code: iso8583.Echo, Transmitted: "0821153045", STAN: "000124", TerminalID: "TERM0001"}
	m, _ := req.Message()
	raw, err := iso8583.Sign(iso8583.SpecBCD, m, k)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%X\n", raw) // the MAC is in field 128: field 70 needs the secondary bitmap

	// The receiver verifies over exactly the bytes it received.
	got, _ := iso8583.SpecBCD.Unpack(raw)
	fmt.Println(iso8583.Verify(got, k))
	raw[25] ^= 1 // STAN 000124 becomes 000125
	got, err = iso8583.SpecBCD.Unpack(raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(errors.Is(iso8583.Verify(got, k), iso8583.ErrMACMismatch))
	// Output:
	// 08008220000000800000040000000000000108211530450001245445524D303030310301C7686A3685A71744
	// <nil>
	// true
}

func ExampleBuildICC() {
	// The kernel's data objects, in the kernel's order, including the PAN,
	// which field 55 must not carry.
	kernel, _ := hex.DecodeString("5A0847617390010101199F2701809F2608C2A4B3F1E0D7C6B59F360200019F02060000000025999F37041A2B3C4D")
	f55, err := iso8583.BuildICC(kernel, []tlv.Tag{0x9F26, 0x9F27, 0x9F36, 0x9F37, 0x9F02})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%X\n", f55)
	// Output:
	// 9F2608C2A4B3F1E0D7C6B59F2701809F360200019F37041A2B3C4D9F0206000000002599
}

func ExampleResponseCode_Err() {
	for _, code := range []iso8583.ResponseCode{"00", "51"} {
		var rc iso8583.ResponseCode
		if err := code.Err(); errors.As(err, &rc) {
			fmt.Println("declined:", err, "approved:", rc.Approved())
			continue
		}
		fmt.Println("approved:", code.Meaning())
	}
	// Output:
	// approved: approved
	// declined: iso8583: response code 51: not sufficient funds approved: false
}

func ExampleDescribe() {
	r := &iso8583.FinancialRequest{Transaction: iso8583.Transaction{
		ProcessingCode: "000000", Amount: 2599, STAN: "000123", EntryMode: "051",
		Track2: "4761739001010119=29122011143804400000", TerminalID: "TERM0001", Currency: "840",
		PINBlock: []byte{0x8B, 0x5E, 0x2F, 0x1A, 0x9C, 0x3D, 0x4E, 0x70},
	}}
	r.ICC, _ = hex.DecodeString("5A0847617390010101199F2608C2A4B3F1E0D7C6B5")
	m, err := r.Message()
	if err != nil {
		fmt.Println(err)
		return
	}
	iso8583.Describe(os.Stdout, m)
	// Output:
	// MTI 0200
	//   3 Processing code                               000000
	//   4 Amount, transaction                           000000002599
	//  11 Systems trace audit number                    000123
	//  22 Point of service entry mode                   051
	//  35 Track 2 data                                  [37 bytes hidden]
	//  41 Card acceptor terminal identification         TERM0001
	//  49 Currency code, transaction                    840
	//  52 PIN data                                      [8 bytes hidden]
	//  55 ICC system related data                       5A=476173******0119 9F26=C2A4B3F1E0D7C6B5
}

// A host answers 0200s; a client sends one over loopback.
func ExampleClient() {
	mux := iso8583.NewServeMux()
	mux.HandleFunc(iso8583.MTIFinancialRequest, func(ctx context.Context, req *iso8583.Message) *iso8583.Message {
		r, err := iso8583.Respond(req, iso8583.Approved)
		if err != nil {
			return nil
		}
		r.AuthCode = "A1B2C3"
		m, err := r.Message()
		if err != nil {
			return nil
		}
		return m
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := &iso8583.Server{Handler: mux, Spec: iso8583.SpecBCD, Framing: iso8583.Framing{TPDU: true}}
	go srv.Serve(l)
	defer srv.Shutdown(context.Background())

	c := iso8583.NewClient(iso8583.ClientConfig{
		Addr: l.Addr().String(), Spec: iso8583.SpecBCD,
		Framing: iso8583.Framing{TPDU: true}, TPDU: iso8583.TPDU{0x60, 0x00, 0x10, 0x00, 0x00},
	})
	defer c.Close()
	req, _ := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{
		PAN: "4761739001010119", ProcessingCode: "000000", Amount: 2599, STAN: "000123",
		EntryMode: "071", TerminalID: "TERM0001", MerchantID: "MERCHANT0000001", Currency: "840",
	}}).Message()
	resp, err := c.Send(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := iso8583.ReadResponse(resp)
	fmt.Println(resp.MTI, r.STAN, string(r.Code), r.AuthCode)
	// Output:
	// 0210 000123 00 A1B2C3
}

// Messages logged with log/slog are masked: the PAN shows its first six
// and last four digits, track 2 and the PIN block only their length.
func ExampleMessage_LogValue() {
	r := &iso8583.FinancialRequest{Transaction: iso8583.Transaction{
		ProcessingCode: "000000", Amount: 2599, STAN: "000123", EntryMode: "051",
		Track2: "4761739001010119=29122011143804400000", PAN: "4761739001010119", TerminalID: "TERM0001",
		PINBlock: []byte{0x8B, 0x5E, 0x2F, 0x1A, 0x9C, 0x3D, 0x4E, 0x70},
	}}
	m, _ := r.Message()
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{} // deterministic output
			}
			return a
		},
	}))
	log.Info("sent", "msg", m)
	// Output:
	// level=INFO msg=sent msg.mti=0200 msg.2=476173******0119 msg.3=000000 msg.4=000000002599 msg.11=000123 msg.22=051 msg.35="[37 bytes hidden]" msg.41=TERM0001 msg.52="[8 bytes hidden]"
}

// An AES DUKPT PIN pad's ISO 9564-1 format 4 PIN block (PIN 1234, PAN
// 4111111111111111, the first block of the ANSI X9.24-3-2017 supplement
// test vectors) and its 12-byte KSN, in field 52 of the b..16 layout: an
// LL prefix counting bytes, then the block as hexadecimal characters.
func ExampleSpec_VariablePINData() {
	block, _ := hex.DecodeString("A912150391AB65A67E52883D81CE2D15")
	ksn, _ := hex.DecodeString("123456789012345600000001")
	m := iso8583.NewMessage(iso8583.MTIFinancialRequest)
	m.Set(52, block)
	m.Set(53, ksn)
	spec := iso8583.SpecASCII.VariablePINData()
	raw, err := spec.Pack(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n", raw[4+8:])

	// The 1987 layout carries 8 bytes only.
	_, err = iso8583.SpecASCII.Pack(m)
	fmt.Println(err)
	// Output:
	// 16A912150391AB65A67E52883D81CE2D1512123456789012345600000001
	// iso8583: field 52: invalid field: length 16, want 8 (a 16-byte PIN block needs Spec.VariablePINData)
}

package main

import (
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// maxInput bounds what posflow reads from standard input: a little over the
// largest BER-TLV object EMV carries, in hexadecimal with spacing.
const maxInput = 1 << 20

func runTLV(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "decode" {
		fmt.Fprint(stderr, "usage: posflow tlv decode [-reveal] [-lenient] [-ff] [HEX...]\n")
		return 2
	}
	fs := flag.NewFlagSet("posflow tlv decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reveal := fs.Bool("reveal", false, "print the PAN, track data, cardholder name and PIN data in clear (test cards only)")
	lenient := fs.Bool("lenient", false, "accept non-minimal length encodings, as some cards send them")
	skipFF := fs.Bool("ff", false, "skip 0xFF padding between objects (ISO/IEC 7816-4 Annex D)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: posflow tlv decode [-reveal] [-lenient] [-ff] [HEX...]\n\nReads hex from the arguments, or from standard input if there are none.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}

	text := strings.Join(fs.Args(), "")
	if fs.NArg() == 0 || text == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, maxInput+1))
		if err != nil {
			fmt.Fprintf(stderr, "posflow: tlv decode: reading standard input: %v\n", err)
			return 1
		}
		if len(b) > maxInput {
			fmt.Fprintf(stderr, "posflow: tlv decode: input longer than %d bytes\n", maxInput)
			return 1
		}
		text = string(b)
	}
	data, err := decodeHex(text)
	if err != nil {
		fmt.Fprintf(stderr, "posflow: tlv decode: %v\n", err)
		return 1
	}
	if len(data) == 0 {
		fmt.Fprint(stderr, "posflow: tlv decode: no input\n")
		return 1
	}

	p := emv.Printer()
	p.Options = tlv.Options{Lenient: *lenient, SkipFF: *skipFF}
	if *reveal {
		p.Value = nil
	}
	if err := p.Fprint(stdout, data); err != nil {
		fmt.Fprintf(stderr, "posflow: tlv decode: %v\n", err)
		return 1
	}
	return 0
}

// decodeHex decodes hexadecimal text, ignoring white space.
func decodeHex(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil {
		if e, ok := err.(hex.InvalidByteError); ok {
			return nil, fmt.Errorf("invalid hex digit %q at position %d", rune(e), strings.IndexByte(s, byte(e)))
		}
		if err == hex.ErrLength {
			return nil, fmt.Errorf("odd number of hex digits (%d)", len(s))
		}
		return nil, err
	}
	return b, nil
}

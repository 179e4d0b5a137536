// Command posflow is a decoder and calculator for payments engineers:
// BER-TLV and EMV data, ISO 8583 messages, PIN blocks, DUKPT keys, EMV
// cryptograms, MACs and key check values, offline and scriptable.
//
// Usage:
//
//	posflow <group> <command> [flags] [operands]
//
// The commands:
//
//	tlv decode          BER-TLV tree with EMV names and decoded bit fields
//	emv decode          one EMV object (TVR, TSI, AIP, AUC, CID, CVM list, ...) bit by bit
//	iso8583 decode      unpack an ISO 8583 message, card data masked (-tlv for field 55)
//	iso8583 encode      pack an ISO 8583 message from JSON
//	pinblock encode     ISO 9564-1 PIN block, formats 0 to 4, clear or enciphered
//	pinblock decode     check a PIN block and recover its PIN
//	pinblock translate  re-encipher a PIN block under another key and format
//	dukpt derive        TDES and AES DUKPT initial, transaction and working keys with KCVs
//	dukpt ksn           KSN counter, validity and next KSN
//	emv mk              ICC master key, options A and B
//	emv sk              session keys: common, Mastercard SKD, Visa secure messaging
//	emv arqc            application cryptogram of a field 55 for its CVN
//	emv arpc            ARPC and issuer authentication data
//	emv verify          verify a cryptogram and explain where a mismatch starts
//	mac                 ISO/IEC 9797-1 MAC algorithms 1 and 3, CMAC
//	kcv                 key check value
//	keys combine        key from clear components, with KCVs
//	qr decode           EMV QR payload, merchant- or consumer-presented, checked
//	qr encode           merchant-presented EMV QR payload from JSON, with its CRC
//
// Run "posflow help" for the list of commands and "posflow <group>
// <command> -h" for the flags of one, with a worked example from
// published test vectors.
//
// Conventions shared by every command:
//
//   - The main operand is read from the command line, or from standard
//     input when it is absent or "-". Hexadecimal may be upper or lower
//     case, and white space in it is ignored, so a field 55 copied from a
//     log with spaces or line breaks decodes as it is.
//   - -json prints the result as one JSON object (or array, for tlv
//     decode) instead of aligned text.
//   - Keys, PINs and clear PIN blocks are never printed in full: keys show
//     their length and key check value (KCV), PINs their number of digits,
//     PANs their first six and last four digits. -reveal prints them in
//     clear, for test keys and test cards.
//   - The exit status is 0 on success, 1 for invalid input (one line on
//     standard error naming the problem and, where there is one, its
//     offset) and 2 for a usage error.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// A command is one posflow command, such as "pinblock encode".
type command struct {
	group, name string // "pinblock", "encode"; name is empty for "mac" and "kcv"
	args        string // synopsis of the flags and operands
	summary     string // one line, for "posflow help"
	doc         string // what the command does, for -h
	example     []string
	source      string // the published source of the example's vector
	reveal      bool   // the command accepts -reveal
	// setup defines the command's own flags on fs and returns the function
	// that runs it.
	setup func(fs *flag.FlagSet) func(e *env) (any, error)
}

func (c *command) path() string {
	if c.name == "" {
		return c.group
	}
	return c.group + " " + c.name
}

// commands lists every command in the order "posflow help" shows them.
var commands []*command

func init() {
	commands = []*command{
		tlvDecodeCmd,
		emvDecodeCmd,
		iso8583DecodeCmd, iso8583EncodeCmd,
		pinblockEncodeCmd, pinblockDecodeCmd, pinblockTranslateCmd,
		dukptDeriveCmd, dukptKSNCmd,
		emvMKCmd, emvSKCmd, emvARQCCmd, emvARPCCmd, emvVerifyCmd,
		macCmd, kcvCmd, keysCombineCmd,
		qrDecodeCmd, qrEncodeCmd,
	}
}

func usage() string {
	var b strings.Builder
	b.WriteString("usage: posflow <command> [flags] [operands]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-18s %s\n", c.path(), c.summary)
	}
	b.WriteString(`
Operands are read from standard input when absent or "-"; hex may contain
spaces. Every command takes -json; keys and PINs are hidden unless -reveal.
Run 'posflow <command> -h' for the flags of a command and a worked example.
`)
	return b.String()
}

// run is the whole program, with its inputs and outputs passed in so that
// tests can drive it. It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage())
		return 0
	}
	var group []*command
	for _, c := range commands {
		if c.group == args[0] {
			group = append(group, c)
		}
	}
	if len(group) == 0 {
		fmt.Fprintf(stderr, "posflow: unknown command %q\n%s", args[0], usage())
		return 2
	}
	if len(group) == 1 && group[0].name == "" {
		return runCommand(group[0], args[1:], stdin, stdout, stderr)
	}
	if len(args) > 1 {
		for _, c := range group {
			if c.name == args[1] {
				return runCommand(c, args[2:], stdin, stdout, stderr)
			}
		}
	}
	for _, c := range group {
		fmt.Fprintf(stderr, "usage: posflow %s %s\n", c.path(), c.args)
	}
	return 2
}

// env is what a running command sees: its operands, standard input and the
// shared flags.
type env struct {
	args   []string // operands
	stdin  io.Reader
	reveal bool
	json   bool
}

// A usageError is a mistake in the command line rather than in the data:
// a missing flag or an operand too many. It exits with status 2.
type usageError string

func (e usageError) Error() string { return string(e) }

func runCommand(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("posflow "+c.path(), flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // help goes to standard output, see below
	e := &env{stdin: stdin}
	fs.BoolVar(&e.json, "json", false, "print the result as JSON")
	if c.reveal {
		fs.BoolVar(&e.reveal, "reveal", false, "print keys, PINs and card data in clear (test keys and cards only)")
	}
	runFn := c.setup(fs)
	// Flags may follow operands: posflow kcv KEY -json.
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				writeHelp(stdout, c, fs)
				return 0
			}
			fmt.Fprintf(stderr, "usage: posflow %s %s\n", c.path(), c.args)
			return 2
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		e.args = append(e.args, args[0])
		args = args[1:]
	}
	res, err := runFn(e)
	var re *resultError
	if errors.As(err, &re) {
		res = re.res
	}
	if err != nil && re == nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "posflow %s: %v\nusage: posflow %s %s\n", c.path(), err, c.path(), c.args)
			return 2
		}
		msg := strings.ReplaceAll(err.Error(), "\n", " ")
		fmt.Fprintf(stderr, "posflow: %s: %s\n", c.path(), msg)
		return 1
	}
	var out bytes.Buffer
	switch r := res.(type) {
	case obj:
		if e.json {
			writeJSON(&out, r)
		} else {
			writeText(&out, r, "")
		}
	case printer:
		if e.json {
			writeJSON(&out, r.jsonValue())
		} else {
			r.writeText(&out)
		}
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "posflow: %s: %v\n", c.path(), err)
		return 1
	}
	if re != nil {
		fmt.Fprintf(stderr, "posflow: %s: %s\n", c.path(), strings.ReplaceAll(re.err.Error(), "\n", " "))
		return 1
	}
	return 0
}

// A printer is a result with a text form of its own, such as a TLV tree.
type printer interface {
	writeText(w io.Writer)
	jsonValue() any
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		// Results hold strings, numbers and objects of them only.
		panic(err)
	}
}

// writeHelp writes the help of c: synopsis, description, flags, and the
// worked example run for real, so that the help cannot drift from the
// program.
func writeHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: posflow %s %s\n\n%s\n", c.path(), c.args, strings.TrimSpace(c.doc))
	fmt.Fprintf(w, "\nflags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	if len(c.example) > 0 {
		fmt.Fprintf(w, "\nexample (%s):\n\n  $ posflow %s\n", c.source, strings.Join(quoteArgs(c.example), " "))
		var out, errOut bytes.Buffer
		run(c.example, strings.NewReader(""), &out, &errOut)
		for _, line := range strings.SplitAfter(out.String()+errOut.String(), "\n") {
			if line != "" {
				fmt.Fprintf(w, "  %s", line)
			}
		}
	}
}

func quoteArgs(args []string) []string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"") {
			a = "'" + a + "'"
		}
		q[i] = a
	}
	return q
}

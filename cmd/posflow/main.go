// Command posflow is a decoder and calculator for payments engineers.
//
// Usage:
//
//	posflow tlv decode [-reveal] [-lenient] [-ff] [HEX...]
//
// tlv decode prints the tree of BER-TLV data (EMV 4.4 Book 3 Annex B) given
// in hexadecimal on the command line, or on standard input when no HEX
// argument is given or it is "-". White space in the hex is ignored, so a
// field 55 copied from a log with spaces or line breaks decodes as it is.
// Each line shows a tag, its name from the EMV data dictionary, the value's
// length in bytes and, for a primitive object, the value (in hexadecimal,
// or quoted for text elements); the children of a constructed object
// follow, indented. The PAN shows only its first six and last four digits;
// track data, cardholder names and PIN data are hidden. -reveal prints them
// in clear, for test cards. On malformed input posflow prints one
// line naming the byte offset and the tag, and exits with status 1; a usage
// error exits with status 2.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: posflow <command> [arguments]

commands:
  tlv decode [-reveal] [-lenient] [-ff] [HEX...]   print the tree of BER-TLV data

Run 'posflow <command> -h' for the options of a command.
`

// run is the whole program, with its inputs and outputs passed in so that
// tests can drive it. It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "tlv":
		return runTLV(args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "posflow: unknown command %q\n%s", args[0], usage)
	return 2
}

package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// maxInput bounds what posflow reads from standard input: a little over the
// largest BER-TLV object EMV carries, in hexadecimal with spacing.
const maxInput = 1 << 20

// operandText returns the operands joined, or standard input when there
// are none or the only one is "-".
func (e *env) operandText() (string, error) {
	if len(e.args) > 0 && !(len(e.args) == 1 && e.args[0] == "-") {
		return strings.Join(e.args, " "), nil
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, maxInput+1))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %v", err)
	}
	if len(b) > maxInput {
		return "", fmt.Errorf("input longer than %d bytes", maxInput)
	}
	return string(b), nil
}

// operandHex returns the hexadecimal operand, from the command line or
// standard input, decoded. Empty input is an error.
func (e *env) operandHex() ([]byte, error) {
	text, err := e.operandText()
	if err != nil {
		return nil, err
	}
	b, err := decodeHex(text)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("no input")
	}
	return b, nil
}

// decodeHex decodes hexadecimal text, ignoring white space and a leading
// 0x. Errors name the offending digit and its position in the text without
// white space.
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

// hexFlag decodes the value of flag name. A flag that is required and
// empty is a usage error; a malformed one is invalid input, named by its
// flag so that the message never repeats the value (which may be a key).
func hexFlag(name, value string, required bool) ([]byte, error) {
	if value == "" {
		if required {
			return nil, usageError("-" + name + " is required")
		}
		return nil, nil
	}
	b, err := decodeHex(value)
	if err != nil {
		return nil, fmt.Errorf("-%s: %v", name, err)
	}
	return b, nil
}

// hexFlagLen is hexFlag for a value of one of the lengths given.
func hexFlagLen(name, value string, required bool, lens ...int) ([]byte, error) {
	b, err := hexFlag(name, value, required)
	if err != nil || b == nil {
		return b, err
	}
	for _, n := range lens {
		if len(b) == n {
			return b, nil
		}
	}
	want := make([]string, len(lens))
	for i, n := range lens {
		want[i] = fmt.Sprint(n)
	}
	return nil, fmt.Errorf("-%s: %d bytes, want %s", name, len(b), strings.Join(want, " or "))
}

// required returns a usage error if the string flag name is empty.
func required(name, value string) error {
	if value == "" {
		return usageError("-" + name + " is required")
	}
	return nil
}

// noOperands returns a usage error if the command got operands.
func (e *env) noOperands() error {
	if len(e.args) > 0 {
		return usageError(fmt.Sprintf("%d unexpected operand(s); this command takes flags only", len(e.args)))
	}
	return nil
}

// Package pinblock implements the PIN block formats of ISO 9564-1:2017
// (formats 0, 1, 2, 3 and 4), their encipherment, PIN translation, and the
// two PIN verification methods in common use at issuers: the Visa PIN
// verification value (PVV) and the IBM 3624 natural PIN and offset.
//
// # Formats
//
// Formats 0 to 3 are 8-byte blocks enciphered with TDES (double- or
// triple-length key, ECB); format 4 is a 16-byte block enciphered with
// AES-128, AES-192 or AES-256:
//
//	format 0  0 L P P P P P/F … F  XOR  0000 + 12 rightmost PAN digits excluding the check digit
//	format 1  1 L P P P P P/R … R      (R random; no PAN)
//	format 2  2 L P P P P P/F … F      (offline PIN to an ICC; no PAN)
//	format 3  3 L P P P P P/X … X  XOR  PAN field as format 0 (X random A–F)
//	format 4  PIN field 4 L P P P P P/A … A ‖ 8 random bytes
//	          PAN field M ‖ PAN (12+M digits) ‖ 0 … 0
//	          block = E(K, E(K, PIN field) XOR PAN field)
//
// L is the PIN length, 4 to 12, written as the hexadecimal digit 4–C. In
// format 4, M is the PAN length minus 12; a PAN shorter than 12 digits is
// right-justified in 12 digits with zeros on the left and M = 0. Formats 0
// and 3 likewise left-pad a PAN of fewer than 12 digits (excluding the
// check digit) with zeros. This package accepts PANs of [MinPANLength] to
// [MaxPANLength] digits.
//
// [Encode] and [Decode] handle the clear 8-byte blocks of formats 0 to 3.
// Format 4 has no single clear block, so its two fields have functions of
// their own: [Format4PINField], [Format4PANField] and
// [DecodeFormat4PINField]. [Encrypt], [Decrypt] and [Translate] handle all
// five formats.
//
// # Randomness
//
// Formats 1, 3 and 4 contain random digits. They are drawn from
// [Config.Rand] (crypto/rand when nil) by rejection sampling, so every fill
// value is equally likely; the package-level functions use a zero
// [Config]. Inject a deterministic reader only in tests.
//
// # Strict decoding
//
// A block that does not decode returns an error, never a wrong PIN: the
// control nibble, the length nibble, every PIN digit and every fill digit
// are checked against the format (F for formats 0 and 2, A–F for format 3,
// A for the padding of format 4). All errors match one of the sentinel
// errors with [errors.Is]; malformed input is reported as a [*SyntaxError]
// naming the field and position. No error, and no String method, ever
// contains a PIN, a PIN block, a PAN or a key.
//
// # Example
//
// The example of ANSI X9.24-1:2009 Annex A.4: PIN 1234 and PAN
// 4012345678909 give the format 0 block 041274EDCBA9876F.
//
//	block, err := pinblock.Encode(pinblock.ISO0, "1234", "4012345678909")
//	// block = 04 12 74 ED CB A9 87 6F
package pinblock

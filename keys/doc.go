// Package keys implements the key utilities that payment-key custody and
// the posflow cryptographic packages share: building a Triple DES block
// cipher from a double- or triple-length key (NIST SP 800-67 Rev. 2 keying
// options 1 and 2), key check values as defined by ANSI X9.24-1:2017,
// DES odd parity (FIPS 46-3), the combination of clear key components by
// exclusive-or, and key variants (exclusive-or masks).
//
// The package works on raw key bytes and on [cipher.Block] values so that
// callers keep full control over which algorithm a key belongs to: a
// 16-byte key is never silently treated as both double-length TDES and
// AES-128.
//
// Key blocks (ANSI X9.143 / ASC X9 TR-31) are not implemented yet; they
// will live in a package of their own built on this one.
//
// Nothing in this package prints key material: errors report sizes and
// positions only.
package keys

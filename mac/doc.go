// Package mac implements message authentication codes built on a block
// cipher: MAC algorithm 1 (CBC-MAC) and MAC algorithm 3 (the retail MAC of
// ANSI X9.19) of ISO/IEC 9797-1:2011 with its padding methods 1, 2 and 3,
// and CMAC as specified by NIST SP 800-38B (2005, updated 2016) and, for
// AES, RFC 4493. CMAC is also MAC algorithm 5 of ISO/IEC 9797-1:2011.
//
// In the spirit of [crypto/cipher], the caller chooses the block cipher:
// [Alg1] and [CMAC] take any [cipher.Block] (DES, TDES from
// [github.com/posflow/posflow/keys.NewTDES], AES, or any other block cipher
// such as SM4), so a 16-byte key is never ambiguous between double-length
// TDES and AES-128. Only [Alg3] takes raw key bytes, because MAC algorithm 3
// is defined over single DES with two keys K and K′.
//
// # Truncation
//
// Every function returns the full output block; a MAC of m bytes is its
// leftmost m bytes (the truncation step of ISO/IEC 9797-1:2011 and of
// SP 800-38B MAC generation). ANSI X9.24-1 DUKPT MACs, for example, are the
// leftmost 4 bytes of an X9.19 MAC. The Verify functions accept such
// truncated tags of [MinTagSize] bytes up to a full block, and compare them
// in constant time.
//
// # Allocation
//
// The Append functions write the MAC into the caller's slice and do not
// allocate when it has room for one block; the chaining value lives in
// that block, so no allocation happens inside the MAC loop. [Alg3] builds
// two DES key schedules per call, on its stack; a [Retail] key builds them
// once.
package mac

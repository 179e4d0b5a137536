//go:build !purego

package aeskey

import "crypto/fips140"

// useAESNI reports whether Expand and Encrypt use the AES-NI assembly.
// In FIPS 140-3 mode the validated module in crypto/aes does the work.
var useAESNI = hasAESNI() && !fips140.Enabled()

// hasAESNI reports whether CPUID leaf 1 sets ECX bit 25, the AES
// instructions. Every amd64 processor has the SSE2 instructions the
// assembly also uses, and operating systems for amd64 save the XMM
// registers.
func hasAESNI() bool

// expandKeyAsm writes the round keys of the nr-round key at key into rk
// (15*16 bytes).
//
//go:noescape
func expandKeyAsm(nr int, key *byte, rk *byte)

// encryptBlockAsm encrypts the block at src into dst with the nr-round
// schedule rk.
//
//go:noescape
func encryptBlockAsm(nr int, rk *byte, dst, src *byte)

//go:build !amd64 || purego

package aeskey

// useAESNI is false: every platform but amd64, and the purego build, use
// crypto/aes.
var useAESNI = false

func expandKeyAsm(nr int, key *byte, rk *byte) { panic("aeskey: no assembly") }

func encryptBlockAsm(nr int, rk *byte, dst, src *byte) { panic("aeskey: no assembly") }

package des

import (
	"bytes"
	"crypto/cipher"
	stddes "crypto/des"
	"math/rand/v2"
	"testing"
)

// TestChainCBC checks ChainCBC against crypto/des in CBC mode: the state
// it leaves is the last block of cipher.NewCBCEncrypter's output, for
// random keys, initialization vectors and 0 to 40 blocks.
func TestChainCBC(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		key, iv := make([]byte, 8), make([]byte, 8)
		src := make([]byte, 8*(i%41))
		for _, b := range [][]byte{key, iv, src} {
			for j := range b {
				b[j] = byte(r.Uint32())
			}
		}
		checkChainCBC(t, key, iv, src)
	}
}

// checkChainCBC compares ChainCBC with crypto/des for key, iv and src,
// whole blocks.
func checkChainCBC(t *testing.T, key, iv, src []byte) {
	t.Helper()
	std, err := stddes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Clone(iv)
	if len(src) > 0 {
		out := make([]byte, len(src))
		cipher.NewCBCEncrypter(std, iv).CryptBlocks(out, src)
		want = out[len(out)-BlockSize:]
	}
	var c Cipher
	if err := c.SetKey(key); err != nil {
		t.Fatal(err)
	}
	state := bytes.Clone(iv)
	c.ChainCBC(state, src)
	if !bytes.Equal(state, want) {
		t.Fatalf("key %X, IV %X, %d blocks: ChainCBC = %X, crypto/des CBC %X", key, iv, len(src)/BlockSize, state, want)
	}
}

func TestChainCBCPanics(t *testing.T) {
	var c Cipher
	if err := c.SetKey([]byte("01234567")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name       string
		state, src []byte
	}{
		{"short state", make([]byte, 7), make([]byte, 8)},
		{"long state", make([]byte, 9), make([]byte, 8)},
		{"partial block", make([]byte, 8), make([]byte, 12)},
	} {
		if !panics(func() { c.ChainCBC(tt.state, tt.src) }) {
			t.Errorf("%s: no panic", tt.name)
		}
	}
	var none Cipher
	if !panics(func() { none.ChainCBC(make([]byte, 8), make([]byte, 8)) }) {
		t.Error("ChainCBC without a key: no panic")
	}
	if raceEnabled {
		return
	}
	state, src := make([]byte, 8), make([]byte, 64)
	if got := testing.AllocsPerRun(100, func() { c.ChainCBC(state, src) }); got != 0 {
		t.Errorf("ChainCBC: %v allocations, want 0", got)
	}
}

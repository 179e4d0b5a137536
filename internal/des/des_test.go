package des

import (
	"bytes"
	"crypto/cipher"
	stddes "crypto/des"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
)

type vector struct {
	Name       string
	Key        testvec.Hex
	Plaintext  testvec.Hex
	Ciphertext testvec.Hex
}

// checkECB encrypts and decrypts v block by block, into a separate buffer
// and in place, with c.
func checkECB(t *testing.T, c cipher.Block, v vector) {
	t.Helper()
	if len(v.Plaintext)%BlockSize != 0 || len(v.Plaintext) != len(v.Ciphertext) {
		t.Fatalf("vector of %d and %d bytes, not whole blocks of equal length", len(v.Plaintext), len(v.Ciphertext))
	}
	for i := 0; i < len(v.Plaintext); i += BlockSize {
		pt, ct := v.Plaintext[i:i+BlockSize], v.Ciphertext[i:i+BlockSize]
		got := make([]byte, BlockSize)
		c.Encrypt(got, pt)
		if !bytes.Equal(got, ct) {
			t.Errorf("Encrypt(%X) under %X = %X, want %X", []byte(pt), []byte(v.Key), got, []byte(ct))
		}
		c.Decrypt(got, ct)
		if !bytes.Equal(got, pt) {
			t.Errorf("Decrypt(%X) under %X = %X, want %X", []byte(ct), []byte(v.Key), got, []byte(pt))
		}
		buf := bytes.Clone(pt)
		c.Encrypt(buf, buf)
		if !bytes.Equal(buf, ct) {
			t.Errorf("in-place Encrypt(%X) under %X = %X, want %X", []byte(pt), []byte(v.Key), buf, []byte(ct))
		}
		c.Decrypt(buf, buf)
		if !bytes.Equal(buf, pt) {
			t.Errorf("in-place Decrypt(%X) under %X = %X, want %X", []byte(ct), []byte(v.Key), buf, []byte(pt))
		}
	}
}

func newCipher(t *testing.T, key []byte) cipher.Block {
	t.Helper()
	var c cipher.Block
	var err error
	if len(key) == 8 {
		c, err = NewCipher(key)
	} else {
		c, err = NewTripleDESCipher(key)
	}
	if err != nil {
		t.Fatalf("key of %d bytes: %v", len(key), err)
	}
	return c
}

// newValue is newCipher with the value types: a Cipher for an 8-byte key,
// a TripleDESCipher otherwise, keyed with SetKey.
func newValue(t *testing.T, key []byte) cipher.Block {
	t.Helper()
	c, err := setKey(key)
	if err != nil {
		t.Fatalf("SetKey, key of %d bytes: %v", len(key), err)
	}
	return c
}

func setKey(key []byte) (cipher.Block, error) {
	if len(key) == 8 {
		c := new(Cipher)
		return c, c.SetKey(key)
	}
	c := new(TripleDESCipher)
	return c, c.SetKey(key)
}

// checkBoth runs checkECB with the cipher NewCipher or NewTripleDESCipher
// returns and with the value type keyed by SetKey.
func checkBoth(t *testing.T, v vector) {
	t.Helper()
	checkECB(t, newCipher(t, v.Key), v)
	checkECB(t, newValue(t, v.Key), v)
}

// TestSP80020 runs the known answer tests of NIST SP 800-20 Appendix A
// (the NBS tests of SP 500-20) with the single key K1, as a TDEA bundle
// K1 K1 K1 as the standard gives them, and as K1 K2 K1 with K2 = K1.
func TestSP80020(t *testing.T) {
	var file struct{ Vectors []vector }
	testvec.Load(t, "sp800-20.json", &file)
	if len(file.Vectors) != 64+56+32+19+1 {
		t.Fatalf("%d vectors, want 172", len(file.Vectors))
	}
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			checkBoth(t, v)
			k := bytes.Repeat(v.Key, 3)
			checkBoth(t, vector{v.Name, k, v.Plaintext, v.Ciphertext})
			k = bytes.Repeat(v.Key, 2) // K1‖K2 with K2 = K1, for SetKey only
			checkECB(t, newValue(t, k), vector{v.Name, k, v.Plaintext, v.Ciphertext})
		})
	}
}

func TestFIPS81(t *testing.T) {
	var file struct{ Vectors []vector }
	testvec.Load(t, "fips81.json", &file)
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) { checkBoth(t, v) })
	}
}

func TestSP80067(t *testing.T) {
	var file struct{ Vectors []vector }
	testvec.Load(t, "sp800-67.json", &file)
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) { checkBoth(t, v) })
	}
}

// TestRivest runs Rivest's chain of sixteen encryptions and decryptions,
// each of the previous value under itself as the key.
func TestRivest(t *testing.T) {
	var file struct{ X0, X16 testvec.Hex }
	testvec.Load(t, "rivest.json", &file)
	x := bytes.Clone(file.X0)
	for i := range 16 {
		c := newCipher(t, x)
		if i%2 == 0 {
			c.Encrypt(x, x)
		} else {
			c.Decrypt(x, x)
		}
	}
	if !bytes.Equal(x, file.X16) {
		t.Errorf("X16 = %X, want %X", x, []byte(file.X16))
	}
	// Again with one Cipher keyed sixteen times.
	x = bytes.Clone(file.X0)
	var c Cipher
	for i := range 16 {
		if err := c.SetKey(x); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			c.Encrypt(x, x)
		} else {
			c.Decrypt(x, x)
		}
	}
	if !bytes.Equal(x, file.X16) {
		t.Errorf("X16 with Cipher.SetKey = %X, want %X", x, []byte(file.X16))
	}
}

// TestAgainstCryptoDES compares every operation with crypto/des over
// random keys and blocks: single DES, TDEA with three distinct keys, two-key
// TDEA given as 16 bytes K1‖K2 extended to K1‖K2‖K1, and 24-byte keys whose
// third part is the first with its parity bits changed. Each key is tried
// with NewCipher or NewTripleDESCipher and with SetKey on one Cipher and
// one TripleDESCipher kept across keys, so that a key replaces another of
// each kind; a two-key bundle is also given to SetKey as its 16 bytes.
func TestAgainstCryptoDES(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	r := rand.New(rand.NewChaCha8([32]byte{'d', 'e', 's'}))
	key := make([]byte, 24)
	src := make([]byte, BlockSize)
	var single Cipher
	var triple TripleDESCipher
	for i := range n {
		fill(r, key)
		fill(r, src)
		var k, short []byte // short: the 16-byte form of a K1‖K2‖K1 key
		var c, std cipher.Block
		var err, stdErr error
		switch i % 4 {
		case 0:
			k = key[:8]
			c, err = NewCipher(k)
			std, stdErr = stddes.NewCipher(k)
		case 1:
			k = key
			c, err = NewTripleDESCipher(k)
			std, stdErr = stddes.NewTripleDESCipher(k)
		case 2:
			k = append(key[:16:16], key[:8]...)
			short = key[:16]
			c, err = NewTripleDESCipher(k)
			std, stdErr = stddes.NewTripleDESCipher(k)
		case 3:
			copy(key[16:], key[:8])
			for j := 16; j < 24; j++ {
				key[j] ^= byte(r.Uint32()) & 1
			}
			k = key
			c, err = NewTripleDESCipher(k)
			std, stdErr = stddes.NewTripleDESCipher(k)
		}
		if err != nil || stdErr != nil {
			t.Fatalf("key %X: %v, crypto/des %v", k, err, stdErr)
		}
		if d := blockDiff(c, std, src); d != "" {
			t.Fatalf("under %X: %s", k, d)
		}

		name, val, set := "TripleDESCipher", cipher.Block(&triple), triple.SetKey
		if len(k) == 8 {
			name, val, set = "Cipher", &single, single.SetKey
		}
		setKeys := [][]byte{k}
		if short != nil {
			setKeys = append(setKeys, short)
		}
		for _, k := range setKeys {
			if err := set(k); err != nil {
				t.Fatalf("%s.SetKey(%X): %v", name, k, err)
			}
			if d := blockDiff(val, std, src); d != "" {
				t.Fatalf("%s under %X: %s", name, k, d)
			}
		}
	}
}

func fill(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

// The weak and semi-weak keys of FIPS 74 (1981), 3.6. A weak key's round
// keys are all equal, so encryption is its own inverse; a semi-weak pair's
// schedules are each other's reverse, so each key decrypts under the other.
var weakKeys = []string{
	"0101010101010101", "FEFEFEFEFEFEFEFE", "E0E0E0E0F1F1F1F1", "1F1F1F1F0E0E0E0E",
	// The same with the parity bits cleared or set.
	"0000000000000000", "FFFFFFFFFFFFFFFF", "E1E1E1E1F0F0F0F0", "1E1E1E1E0F0F0F0F",
}

var semiWeakPairs = [][2]string{
	{"01FE01FE01FE01FE", "FE01FE01FE01FE01"},
	{"1FE01FE00EF10EF1", "E01FE01FF10EF10E"},
	{"01E001E001F101F1", "E001E001F101F101"},
	{"1FFE1FFE0EFE0EFE", "FE1FFE1FFE0EFE0E"},
	{"011F011F010E010E", "1F011F010E010E01"},
	{"E0FEE0FEF1FEF1FE", "FEE0FEE0FEF1FEF1"},
}

func TestWeakKeys(t *testing.T) {
	src := testvec.MustHex("0123456789ABCDEF")
	for _, k := range weakKeys {
		c := newCipher(t, testvec.MustHex(k))
		dst := make([]byte, BlockSize)
		c.Encrypt(dst, src)
		c.Encrypt(dst, dst)
		if !bytes.Equal(dst, src) {
			t.Errorf("weak key %s: E(E(%X)) = %X, want the block back", k, src, dst)
		}
		compareWithStd(t, testvec.MustHex(k), src)
	}
	for _, p := range semiWeakPairs {
		c1, c2 := newCipher(t, testvec.MustHex(p[0])), newCipher(t, testvec.MustHex(p[1]))
		dst := make([]byte, BlockSize)
		c1.Encrypt(dst, src)
		c2.Encrypt(dst, dst)
		if !bytes.Equal(dst, src) {
			t.Errorf("semi-weak pair %s, %s: E2(E1(%X)) = %X, want the block back", p[0], p[1], src, dst)
		}
		compareWithStd(t, testvec.MustHex(p[0]), src)
		compareWithStd(t, testvec.MustHex(p[1]), src)
	}
}

// compareWithStd checks one block each way under key against crypto/des,
// with NewCipher and with Cipher.SetKey.
func compareWithStd(t *testing.T, key, src []byte) {
	t.Helper()
	std, err := stddes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []cipher.Block{newCipher(t, key), newValue(t, key)} {
		if d := blockDiff(c, std, src); d != "" {
			t.Errorf("%T under %X: %s", c, key, d)
		}
	}
}

// TestParityIgnored checks that the least significant bit of each key byte
// changes nothing, for every one of the 256 patterns of those bits.
func TestParityIgnored(t *testing.T) {
	key := testvec.MustHex("0123456789ABCDEF")
	src := testvec.MustHex("4E6F772069732074")
	want := testvec.MustHex("3FA40E8A984D4815") // FIPS 81 Table B1
	for p := range 256 {
		k := bytes.Clone(key)
		for i := range k {
			k[i] = k[i]&^1 | byte(p>>i&1)
		}
		got := make([]byte, BlockSize)
		newCipher(t, k).Encrypt(got, src)
		if !bytes.Equal(got, want) {
			t.Errorf("Encrypt(%X) under %X = %X, want %X", src, k, got, want)
		}
		newValue(t, k).Encrypt(got, src)
		if !bytes.Equal(got, want) {
			t.Errorf("Cipher.Encrypt(%X) under %X = %X, want %X", src, k, got, want)
		}
	}
}

// TestKeyBundles checks which keying option each TDEA key gets: a third key
// equal to the first, parity bits aside, computes two schedules, with
// NewTripleDESCipher and with TripleDESCipher.SetKey, which also takes the
// 16-byte form K1‖K2 of a two-key bundle.
func TestKeyBundles(t *testing.T) {
	k1, k2, k3 := "0123456789ABCDEF", "23456789ABCDEF01", "456789ABCDEF0123"
	tests := []struct {
		name   string
		key    string
		twoKey bool
	}{
		{"K1 K2 K3", k1 + k2 + k3, false},
		{"K1 K2 K1", k1 + k2 + k1, true},
		{"K1 K2 K1 with other parity bits", k1 + k2 + "0022446688AACCEE", true},
		{"K1 K1 K1", k1 + k1 + k1, true},
		{"K1 K2 K2", k1 + k2 + k2, false},
		{"K1 K2 and K1 with one key bit changed", k1 + k2 + "0123456789ABCDED", false},
	}
	var v TripleDESCipher // rekeyed from one option to the other
	for _, tt := range tests {
		key := testvec.MustHex(tt.key)
		c := newCipher(t, key)
		if twoKey := c.(*TripleDESCipher).option == 2; twoKey != tt.twoKey {
			t.Errorf("%s: NewTripleDESCipher gives keying option %d, want two schedules %v", tt.name, c.(*TripleDESCipher).option, tt.twoKey)
		}
		if err := v.SetKey(key); err != nil {
			t.Fatal(err)
		}
		if twoKey := v.option == 2; twoKey != tt.twoKey || v.option == 0 {
			t.Errorf("%s: SetKey gives keying option %d, want two schedules %v", tt.name, v.option, tt.twoKey)
		}
		if v.option == 2 && v.ks3 != (schedule{}) {
			t.Errorf("%s: SetKey leaves an unused schedule of K3", tt.name)
		}
		compareTripleWithStd(t, key, c)
		compareTripleWithStd(t, key, &v)
	}
	// The 16-byte form.
	if err := v.SetKey(testvec.MustHex(k1 + k2)); err != nil || v.option != 2 {
		t.Errorf("SetKey(K1‖K2) = %v, keying option %d, want 2", err, v.option)
	}
	compareTripleWithStd(t, testvec.MustHex(k1+k2+k1), &v)
}

// compareTripleWithStd checks one block each way with c against
// crypto/des under the 24-byte key.
func compareTripleWithStd(t *testing.T, key []byte, c cipher.Block) {
	t.Helper()
	std, err := stddes.NewTripleDESCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	if d := blockDiff(c, std, testvec.MustHex("5468652071756663")); d != "" {
		t.Errorf("under %X: %s", key, d)
	}
}

// TestKeySizeError checks that every key length crypto/des refuses is
// refused with the same crypto/des.KeySizeError, by the constructors and by
// SetKey, which then leaves the value without a key; TripleDESCipher.SetKey
// also accepts 16 bytes.
func TestKeySizeError(t *testing.T) {
	for n := range 50 {
		key := make([]byte, n)
		c, err := NewCipher(key)
		_, stdErr := stddes.NewCipher(key)
		if !sameError(err, stdErr) || (err == nil) != (c != nil) {
			t.Errorf("NewCipher(%d bytes) = %v, %v; crypto/des: %v", n, c != nil, err, stdErr)
		}
		c, err = NewTripleDESCipher(key)
		_, stdErr = stddes.NewTripleDESCipher(key)
		if !sameError(err, stdErr) || (err == nil) != (c != nil) {
			t.Errorf("NewTripleDESCipher(%d bytes) = %v, %v; crypto/des: %v", n, c != nil, err, stdErr)
		}
		if err != nil {
			var kse stddes.KeySizeError
			if !errors.As(err, &kse) || int(kse) != n {
				t.Errorf("NewTripleDESCipher(%d bytes): error %#v, want crypto/des.KeySizeError(%d)", n, err, n)
			}
		}

		single := Cipher{keyed: true}
		err = single.SetKey(key)
		_, stdErr = stddes.NewCipher(key)
		if !sameError(err, stdErr) || single.keyed != (err == nil) {
			t.Errorf("Cipher.SetKey(%d bytes) = %v, keyed %v; crypto/des: %v", n, err, single.keyed, stdErr)
		}
		triple := TripleDESCipher{option: 1}
		err = triple.SetKey(key)
		if n == 16 || n == 24 {
			if err != nil || triple.option == 0 {
				t.Errorf("TripleDESCipher.SetKey(%d bytes) = %v, option %d", n, err, triple.option)
			}
		} else if err != stddes.KeySizeError(n) || triple.option != 0 {
			t.Errorf("TripleDESCipher.SetKey(%d bytes) = %#v, option %d; want crypto/des.KeySizeError(%d), option 0", n, err, triple.option, n)
		}
	}
}

func sameError(err, stdErr error) bool {
	if err == nil || stdErr == nil {
		return err == nil && stdErr == nil
	}
	return err == stdErr || err.Error() == stdErr.Error()
}

// TestFIPS140Only runs this test binary again with GODEBUG=fips140=only,
// where crypto/des refuses every key, and checks that this package refuses
// them with the same errors.
func TestFIPS140Only(t *testing.T) {
	if os.Getenv("POSFLOW_DES_FIPS140_CHILD") == "1" {
		for _, n := range []int{8, 24, 7} {
			key := make([]byte, n)
			c, err := NewCipher(key)
			_, stdErr := stddes.NewCipher(key)
			if c != nil || err == nil || !sameError(err, stdErr) {
				t.Errorf("NewCipher(%d bytes) in FIPS 140-only mode = %v, %v; crypto/des: %v", n, c, err, stdErr)
			}
			c, err = NewTripleDESCipher(key)
			_, stdErr = stddes.NewTripleDESCipher(key)
			if c != nil || err == nil || !sameError(err, stdErr) {
				t.Errorf("NewTripleDESCipher(%d bytes) in FIPS 140-only mode = %v, %v; crypto/des: %v", n, c, err, stdErr)
			}
		}
		for _, n := range []int{8, 16, 24, 7} {
			key := make([]byte, n)
			var single Cipher
			err := single.SetKey(key)
			_, stdErr := stddes.NewCipher(key)
			if err == nil || !sameError(err, stdErr) || single.keyed {
				t.Errorf("Cipher.SetKey(%d bytes) in FIPS 140-only mode = %v, keyed %v; crypto/des: %v", n, err, single.keyed, stdErr)
			}
			var triple TripleDESCipher
			err = triple.SetKey(key)
			_, stdErr = stddes.NewTripleDESCipher(key)
			if err == nil || !sameError(err, stdErr) || triple.option != 0 {
				t.Errorf("TripleDESCipher.SetKey(%d bytes) in FIPS 140-only mode = %v, option %d; crypto/des: %v", n, err, triple.option, stdErr)
			}
		}
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestFIPS140Only$", "-test.v")
	cmd.Env = append(os.Environ(), "POSFLOW_DES_FIPS140_CHILD=1", "GODEBUG=fips140=only")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestFIPS140Only")) {
		t.Fatalf("child did not run the test:\n%s", out)
	}
}

// TestPanics checks that Encrypt and Decrypt panic where crypto/des's do,
// for each kind of key, with the constructors' ciphers and the value types.
func TestPanics(t *testing.T) {
	keys := map[string][]byte{
		"DES":      testvec.MustHex("0123456789ABCDEF"),
		"K1 K2 K3": testvec.MustHex("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123"),
		"K1 K2 K1": testvec.MustHex("0123456789ABCDEF 23456789ABCDEF01 0123456789ABCDEF"),
	}
	buf := make([]byte, 32)
	tests := []struct {
		name      string
		dst, src  []byte
		wantPanic bool
	}{
		{"short src", buf[8:16], buf[16:23], true},
		{"empty src", buf[8:16], nil, true},
		{"short dst", buf[8:15], buf[16:24], true},
		{"dst one byte after src", buf[9:17], buf[8:16], true},
		{"dst one byte before src", buf[7:15], buf[8:16], true},
		{"dst longer than a block, overlapping after it", buf[0:16], buf[9:17], false},
		{"same block", buf[8:16], buf[8:16], false},
		{"adjacent blocks", buf[0:8], buf[8:16], false},
		{"longer src and dst", buf[0:12], buf[16:32], false},
	}
	for name, key := range keys {
		for _, tt := range tests {
			for _, decrypt := range []bool{false, true} {
				var std cipher.Block
				if len(key) == 8 {
					std, _ = stddes.NewCipher(key)
				} else {
					std, _ = stddes.NewTripleDESCipher(key)
				}
				op := func(b cipher.Block) func() {
					if decrypt {
						return func() { b.Decrypt(tt.dst, tt.src) }
					}
					return func() { b.Encrypt(tt.dst, tt.src) }
				}
				for _, c := range []cipher.Block{newCipher(t, key), newValue(t, key)} {
					if got, stdGot := panics(op(c)), panics(op(std)); got != tt.wantPanic || stdGot != tt.wantPanic {
						t.Errorf("%s, %T, %s, decrypt %v: panic %v, crypto/des %v, want %v", name, c, tt.name, decrypt, got, stdGot, tt.wantPanic)
					}
				}
			}
		}
	}
}

func panics(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

// TestNoKey checks that a Cipher or TripleDESCipher without a key, the
// zero value, one whose SetKey failed or one cleared, panics rather than
// encrypt under an all-zero schedule, and that Clear zeroes everything.
func TestNoKey(t *testing.T) {
	key := testvec.MustHex("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123")
	buf := make([]byte, BlockSize)
	states := []struct {
		name string
		c    cipher.Block
	}{
		{"zero Cipher", new(Cipher)},
		{"zero TripleDESCipher", new(TripleDESCipher)},
		{"Cipher after a refused key", func() cipher.Block {
			c := new(Cipher)
			if err := c.SetKey(key[:8]); err != nil {
				t.Fatal(err)
			}
			if c.SetKey(key[:7]) == nil {
				t.Fatal("Cipher.SetKey accepted 7 bytes")
			}
			return c
		}()},
		{"TripleDESCipher after a refused key", func() cipher.Block {
			c := new(TripleDESCipher)
			if err := c.SetKey(key); err != nil {
				t.Fatal(err)
			}
			if c.SetKey(key[:8]) == nil {
				t.Fatal("TripleDESCipher.SetKey accepted 8 bytes")
			}
			return c
		}()},
	}
	for _, k := range [][]byte{key, key[:16]} {
		c := new(TripleDESCipher)
		if err := c.SetKey(k); err != nil {
			t.Fatal(err)
		}
		c.Clear()
		if *c != (TripleDESCipher{}) {
			t.Errorf("TripleDESCipher keyed with %d bytes, then cleared: not the zero value", len(k))
		}
		states = append(states, struct {
			name string
			c    cipher.Block
		}{"cleared TripleDESCipher", c})
	}
	c := new(Cipher)
	if err := c.SetKey(key[:8]); err != nil {
		t.Fatal(err)
	}
	c.Clear()
	if *c != (Cipher{}) {
		t.Errorf("cleared Cipher: not the zero value")
	}
	states = append(states, struct {
		name string
		c    cipher.Block
	}{"cleared Cipher", c})
	for _, s := range states {
		if !panics(func() { s.c.Encrypt(buf, buf) }) {
			t.Errorf("%s: Encrypt did not panic", s.name)
		}
		if !panics(func() { s.c.Decrypt(buf, buf) }) {
			t.Errorf("%s: Decrypt did not panic", s.name)
		}
		if s.c.BlockSize() != BlockSize {
			t.Errorf("%s: BlockSize() = %d, want %d", s.name, s.c.BlockSize(), BlockSize)
		}
	}
}

// allocSink keeps the ciphers TestAllocations makes.
var allocSink cipher.Block

// TestAllocations pins what the package is for: a key costs one allocation,
// the returned cipher, and a block none; a Cipher or TripleDESCipher on the
// stack, keyed, used and cleared, costs none.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	keys := map[string][]byte{
		"DES":      testvec.MustHex("0123456789ABCDEF"),
		"K1 K2 K3": testvec.MustHex("0123456789ABCDEF 23456789ABCDEF01 456789ABCDEF0123"),
		"K1 K2 K1": testvec.MustHex("0123456789ABCDEF 23456789ABCDEF01 0123456789ABCDEF"),
	}
	src, dst := make([]byte, BlockSize), make([]byte, BlockSize)
	for name, key := range keys {
		newKey := func() {
			// Kept, as a caller keeps it: a cipher dropped at once may be
			// left on the stack by the compiler.
			if len(key) == 8 {
				allocSink, _ = NewCipher(key)
			} else {
				allocSink, _ = NewTripleDESCipher(key)
			}
		}
		if got := testing.AllocsPerRun(100, newKey); got != 1 {
			t.Errorf("%s: new cipher: %v allocations, want 1", name, got)
		}
		c := newCipher(t, key)
		if got := testing.AllocsPerRun(100, func() { c.Encrypt(dst, src) }); got != 0 {
			t.Errorf("%s: Encrypt: %v allocations, want 0", name, got)
		}
		if got := testing.AllocsPerRun(100, func() { c.Decrypt(dst, src) }); got != 0 {
			t.Errorf("%s: Decrypt: %v allocations, want 0", name, got)
		}
		onStack := func() {
			if len(key) == 8 {
				var c Cipher
				_ = c.SetKey(key)
				c.Encrypt(dst, src)
				c.Decrypt(dst, dst)
				c.Clear()
			} else {
				var c TripleDESCipher
				_ = c.SetKey(key)
				c.Encrypt(dst, src)
				c.Decrypt(dst, dst)
				c.Clear()
			}
		}
		if got := testing.AllocsPerRun(100, onStack); got != 0 {
			t.Errorf("%s: SetKey, Encrypt, Decrypt and Clear on the stack: %v allocations, want 0", name, got)
		}
	}
	var c TripleDESCipher
	if got := testing.AllocsPerRun(100, func() { _ = c.SetKey(keys["K1 K2 K1"][:16]); c.Encrypt(dst, src) }); got != 0 {
		t.Errorf("16-byte key: SetKey and Encrypt: %v allocations, want 0", got)
	}
}

// blockDiff describes the first difference between c and crypto/des's std
// enciphering and deciphering src, or returns "" when they agree.
func blockDiff(c, std cipher.Block, src []byte) string {
	got, want := make([]byte, BlockSize), make([]byte, BlockSize)
	c.Encrypt(got, src)
	std.Encrypt(want, src)
	if !bytes.Equal(got, want) {
		return fmt.Sprintf("Encrypt(%X) = %X, crypto/des %X", src, got, want)
	}
	c.Decrypt(got, src)
	std.Decrypt(want, src)
	if !bytes.Equal(got, want) {
		return fmt.Sprintf("Decrypt(%X) = %X, crypto/des %X", src, got, want)
	}
	return ""
}

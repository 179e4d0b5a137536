package keys_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/bits"
	"os"
	"strings"
	"testing"

	"github.com/posflow/posflow/keys"
)

type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := hex.DecodeString(s)
	*h = d
	return err
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestKCVVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/kcv.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []struct {
			Name      string
			Algorithm string
			Key       hexBytes
			KCV       hexBytes // published value; for AES only a prefix may be published
		}
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			var c cipher.Block
			var err error
			wantLen := 3
			switch v.Algorithm {
			case "TDES":
				c, err = keys.NewTDES(v.Key)
			case "AES":
				c, err = aes.NewCipher(v.Key)
				wantLen = 5
			}
			if err != nil {
				t.Fatal(err)
			}
			got := keys.KCV(c)
			if len(got) != wantLen || !bytes.HasPrefix(got, v.KCV) {
				t.Errorf("KCV = %X, want %X (length %d)", got, []byte(v.KCV), wantLen)
			}
			if !keys.CheckKCV(c, v.KCV) {
				t.Errorf("CheckKCV(%X) = false", []byte(v.KCV))
			}
			bad := bytes.Clone(v.KCV)
			bad[0] ^= 0x80
			if keys.CheckKCV(c, bad) {
				t.Errorf("CheckKCV(%X) = true", bad)
			}
		})
	}
}

func TestKCVEdges(t *testing.T) {
	c, _ := keys.NewTDES(mustHex("0123456789ABCDEFFEDCBA9876543210"))
	if keys.CheckKCV(c, nil) {
		t.Error("CheckKCV(empty) = true")
	}
	if keys.CheckKCV(c, mustHex("08D7B400")) {
		t.Error("CheckKCV(too long) = true")
	}
	// AppendKCV keeps the prefix and leaves nothing behind in capacity.
	dst := make([]byte, 1, 32)
	out := keys.AppendKCV(dst, c)
	if !bytes.Equal(out, mustHex("0008D7B4")) {
		t.Errorf("AppendKCV = %X", out)
	}
	if rest := out[len(out):cap(out)]; !bytes.Equal(rest, make([]byte, len(rest))) {
		t.Errorf("AppendKCV left %X in capacity", rest)
	}
	defer func() {
		if recover() == nil {
			t.Error("KCV of a 4-byte block cipher did not panic")
		}
	}()
	keys.KCV(block4{})
}

type block4 struct{}

func (block4) BlockSize() int          { return 4 }
func (block4) Encrypt(dst, src []byte) { copy(dst, src) }
func (block4) Decrypt(dst, src []byte) { copy(dst, src) }

func TestNewTDES(t *testing.T) {
	k16 := mustHex("0123456789ABCDEFFEDCBA9876543210")
	k24 := append(bytes.Clone(k16), k16[:8]...)
	c16, err := keys.NewTDES(k16)
	if err != nil {
		t.Fatal(err)
	}
	c24, err := keys.NewTDES(k24)
	if err != nil {
		t.Fatal(err)
	}
	std, _ := des.NewTripleDESCipher(k24)
	in := mustHex("0123456789ABCDEF")
	a, b, s := make([]byte, 8), make([]byte, 8), make([]byte, 8)
	c16.Encrypt(a, in)
	c24.Encrypt(b, in)
	std.Encrypt(s, in)
	if !bytes.Equal(a, b) || !bytes.Equal(a, s) {
		t.Errorf("K1K2 (%X) and K1K2K1 (%X, std %X) differ", a, b, s)
	}
	// K‖K is single DES.
	single, _ := des.NewCipher(k16[:8])
	kk, _ := keys.NewTDES(append(bytes.Clone(k16[:8]), k16[:8]...))
	single.Encrypt(a, in)
	kk.Encrypt(b, in)
	if !bytes.Equal(a, b) {
		t.Errorf("K‖K = %X, single DES = %X", b, a)
	}
	for _, n := range []int{0, 7, 8, 15, 17, 23, 25, 32} {
		_, err := keys.NewTDES(make([]byte, n))
		var kse keys.KeySizeError
		if !errors.Is(err, keys.ErrKeySize) || !errors.As(err, &kse) || int(kse) != n {
			t.Errorf("NewTDES(%d bytes) err = %v, want KeySizeError(%d)", n, err, n)
		}
	}
}

func TestParity(t *testing.T) {
	good := mustHex("0123456789ABCDEFFEDCBA9876543210")
	if err := keys.CheckParity(good); err != nil {
		t.Errorf("CheckParity(test key) = %v", err)
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	adj := bytes.Clone(all)
	keys.AdjustParity(adj)
	for i, b := range adj {
		if bits.OnesCount8(b)%2 != 1 || b&0xfe != all[i]&0xfe {
			t.Fatalf("AdjustParity(%02X) = %02X", all[i], b)
		}
	}
	if err := keys.CheckParity(adj); err != nil {
		t.Errorf("CheckParity(adjusted) = %v", err)
	}
	bad := bytes.Clone(good)
	bad[5] ^= 1
	err := keys.CheckParity(bad)
	var pe *keys.ParityError
	if !errors.Is(err, keys.ErrParity) || !errors.As(err, &pe) || pe.Offset != 5 {
		t.Errorf("CheckParity(bad) = %v, want ParityError at 5", err)
	}
	if strings.Contains(err.Error(), "AB") {
		t.Errorf("parity error %q shows key material", err)
	}
}

func TestCombine(t *testing.T) {
	key := mustHex("0123456789ABCDEFFEDCBA9876543210")
	c1 := mustHex("1111111111111111222222222222222F")
	c3 := mustHex("A5A5A5A5A5A5A5A55A5A5A5A5A5A5A5A")
	c2 := make([]byte, 16)
	for i := range c2 {
		c2[i] = key[i] ^ c1[i] ^ c3[i]
	}
	got, err := keys.Combine(c1, c2, c3)
	if err != nil || !bytes.Equal(got, key) {
		t.Errorf("Combine = %X, %v, want %X", got, err, key)
	}
	// Combining does not modify the components.
	if !bytes.Equal(c1, mustHex("1111111111111111222222222222222F")) {
		t.Error("Combine modified a component")
	}
	for _, tc := range []struct {
		name  string // why the components are bad
		comps [][]byte
		index int
	}{
		{"a single component", [][]byte{key}, -1},
		{"no components", nil, -1},
		{"component lengths differ", [][]byte{key, key[:8]}, 1},
		{"component of 10 bytes is no key length", [][]byte{key[:10], key[:10]}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.Combine(tc.comps...)
			var ce *keys.ComponentError
			if !errors.Is(err, keys.ErrComponents) || !errors.As(err, &ce) || ce.Index != tc.index {
				t.Errorf("Combine err = %v, want ComponentError at %d", err, tc.index)
			}
		})
	}
}

func TestVariant(t *testing.T) {
	// ANSI X9.24-1:2009 Table A-1 PIN variant on the transaction key of
	// KSN FFFF9876543210E00001.
	got, err := keys.Variant(mustHex("042666B49184CFA368DE9628D0397BC9"), mustHex("00000000000000FF"))
	if err != nil || !bytes.Equal(got, mustHex("042666B49184CF5C68DE9628D0397B36")) {
		t.Errorf("Variant = %X, %v", got, err)
	}
	full, err := keys.Variant(mustHex("00112233"), mustHex("FFFFFFFF"))
	if err != nil || !bytes.Equal(full, mustHex("FFEEDDCC")) {
		t.Errorf("full-length Variant = %X, %v", full, err)
	}
	for _, tc := range []struct {
		name      string // why the mask is bad
		key, mask []byte
	}{
		{"empty mask", make([]byte, 16), nil},
		{"mask longer than the key", make([]byte, 8), make([]byte, 16)},
		{"mask does not divide the key", make([]byte, 16), make([]byte, 3)},
		{"empty key", nil, make([]byte, 8)},
	} {
		if _, err := keys.Variant(tc.key, tc.mask); !errors.Is(err, keys.ErrMaskSize) {
			t.Errorf("%s: err = %v, want ErrMaskSize", tc.name, err)
		}
	}
}

func BenchmarkKCV(b *testing.B) {
	t, _ := keys.NewTDES(mustHex("0123456789ABCDEFFEDCBA9876543210"))
	a, _ := aes.NewCipher(mustHex("3F419E1CB7079442AA37474C2EFBF8B8"))
	for _, bc := range []struct {
		name string
		c    cipher.Block
	}{{"TDES", t}, {"AES", a}} {
		b.Run(bc.name, func(b *testing.B) {
			dst := make([]byte, 0, 16)
			b.ReportAllocs()
			for b.Loop() {
				dst = keys.AppendKCV(dst[:0], bc.c)
			}
		})
	}
}

func BenchmarkNewTDES(b *testing.B) {
	k := mustHex("0123456789ABCDEFFEDCBA9876543210")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.NewTDES(k); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPsecCrossCheck compares check values and parity adjustment with
// psec, an independent implementation (testdata/psec-crosscheck.json).
func TestPsecCrossCheck(t *testing.T) {
	b, err := os.ReadFile("testdata/psec-crosscheck.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		TDES []struct {
			Key            hexBytes
			KCV            hexBytes
			ParityAdjusted hexBytes `json:"parity_adjusted"`
		}
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.TDES) == 0 {
		t.Fatal("empty cross-check file")
	}
	for i, v := range file.TDES {
		c, err := keys.NewTDES(v.Key)
		if err != nil {
			t.Fatal(err)
		}
		if got := keys.KCV(c); !bytes.Equal(got, v.KCV) {
			t.Errorf("%d: KCV = %X, want %X", i, got, []byte(v.KCV))
		}
		adj := bytes.Clone(v.Key)
		keys.AdjustParity(adj)
		if !bytes.Equal(adj, v.ParityAdjusted) {
			t.Errorf("%d: AdjustParity = %X, want %X", i, adj, []byte(v.ParityAdjusted))
		}
	}
}

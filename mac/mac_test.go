package mac_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/mac"
)

func newBlock(t testing.TB, alg string, key []byte) cipher.Block {
	t.Helper()
	var c cipher.Block
	var err error
	switch alg {
	case "AES":
		c, err = aes.NewCipher(key)
	case "TDES":
		c, err = keys.NewTDES(key)
	case "DES":
		c, err = des.NewCipher(key)
	default:
		t.Fatalf("unknown cipher %q", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCMACVectors(t *testing.T) {
	var file struct {
		Vectors []struct {
			Name   string
			Cipher string
			Key    hexBytes
			Data   hexBytes
			MAC    hexBytes
		}
	}
	loadJSON(t, "cmac.json", &file)
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			c := newBlock(t, v.Cipher, v.Key)
			if got := mac.CMAC(c, v.Data); !bytes.Equal(got, v.MAC) {
				t.Errorf("CMAC(%X) = %X, want %X", []byte(v.Data), got, []byte(v.MAC))
			}
			if err := mac.VerifyCMAC(c, v.Data, v.MAC); err != nil {
				t.Errorf("VerifyCMAC = %v", err)
			}
			if err := mac.VerifyCMAC(c, v.Data, v.MAC[:4]); err != nil {
				t.Errorf("VerifyCMAC(truncated) = %v", err)
			}
			bad := bytes.Clone(v.MAC)
			bad[len(bad)-1] ^= 1
			if err := mac.VerifyCMAC(c, v.Data, bad); !errors.Is(err, mac.ErrMismatch) {
				t.Errorf("VerifyCMAC(corrupted) = %v, want ErrMismatch", err)
			}
		})
	}
}

func TestISO9797Vectors(t *testing.T) {
	var file struct {
		Alg1 []struct {
			Name    string
			Cipher  string
			Key     hexBytes
			Data    hexBytes
			Padding mac.Padding
			MAC     hexBytes
		}
		Alg3 []struct {
			Name    string
			Key     hexBytes
			Data    hexBytes
			Padding mac.Padding
			MAC     hexBytes
		}
		Padding []struct {
			Name      string
			Data      hexBytes
			Padding   mac.Padding
			BlockSize int `json:"block_size"`
			Padded    hexBytes
		}
	}
	loadJSON(t, "iso9797-1.json", &file)
	for _, v := range file.Alg1 {
		t.Run("alg1/"+v.Name, func(t *testing.T) {
			c := newBlock(t, v.Cipher, v.Key)
			if got := mac.Alg1(c, v.Data, v.Padding); !bytes.Equal(got, v.MAC) {
				t.Errorf("Alg1 = %X, want %X", got, []byte(v.MAC))
			}
			if err := mac.VerifyAlg1(c, v.Data, v.Padding, v.MAC); err != nil {
				t.Errorf("VerifyAlg1 = %v", err)
			}
		})
	}
	for _, v := range file.Alg3 {
		t.Run("alg3/"+v.Name, func(t *testing.T) {
			got, err := mac.Alg3(v.Key, v.Data, v.Padding)
			if err != nil || !bytes.Equal(got, v.MAC) {
				t.Errorf("Alg3 = %X, %v, want %X", got, err, []byte(v.MAC))
			}
			if err := mac.VerifyAlg3(v.Key, v.Data, v.Padding, v.MAC); err != nil {
				t.Errorf("VerifyAlg3 = %v", err)
			}
		})
	}
	for _, v := range file.Padding {
		t.Run("padding/"+v.Name, func(t *testing.T) {
			if got := mac.AppendPad(nil, v.Data, v.Padding, v.BlockSize); !bytes.Equal(got, v.Padded) {
				t.Errorf("AppendPad = %X, want %X", got, []byte(v.Padded))
			}
		})
	}
}

// TestX924DUKPTMAC checks the request and response MACs of the
// ANSI X9.24-1:2009 Annex A.4 DUKPT examples: ANSI X9.19 with padding
// method 1 under variants of the transaction key, leftmost 4 bytes.
func TestX924DUKPTMAC(t *testing.T) {
	var file struct {
		DataASCII       string   `json:"data_ascii"`
		RequestVariant  hexBytes `json:"request_variant"`
		ResponseVariant hexBytes `json:"response_variant"`
		Vectors         []struct {
			Name           string
			TransactionKey hexBytes `json:"transaction_key"`
			RequestMAC     hexBytes `json:"request_mac"`
			ResponseMAC    hexBytes `json:"response_mac"`
		}
	}
	loadJSON(t, "x9.24-1-dukpt-mac.json", &file)
	if len(file.Vectors) != 34 {
		t.Fatalf("%d vectors, want 34", len(file.Vectors))
	}
	data := []byte(file.DataASCII)
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			for _, c := range []struct {
				dir     string
				variant []byte
				want    []byte
			}{{"request", file.RequestVariant, v.RequestMAC}, {"response", file.ResponseVariant, v.ResponseMAC}} {
				key, err := keys.Variant(v.TransactionKey, c.variant)
				if err != nil {
					t.Fatal(err)
				}
				got, err := mac.Alg3(key, data, mac.Method1)
				if err != nil || !bytes.Equal(got[:4], c.want) {
					t.Errorf("%s: Alg3 = %X, %v, want %X…", c.dir, got, err, c.want)
				}
				if err := mac.VerifyAlg3(key, data, mac.Method1, c.want); err != nil {
					t.Errorf("%s: VerifyAlg3 = %v", c.dir, err)
				}
			}
		})
	}
}

// cbcReference computes CBC-MAC the textbook way: pad, then CBC-encrypt
// with crypto/cipher and keep the last block.
func cbcReference(c cipher.Block, data []byte, p mac.Padding) []byte {
	padded := mac.AppendPad(nil, data, p, c.BlockSize())
	out := make([]byte, len(padded))
	cipher.NewCBCEncrypter(c, make([]byte, c.BlockSize())).CryptBlocks(out, padded)
	return out[len(out)-c.BlockSize():]
}

// cmacReference computes CMAC straight from SP 800-38B clause 6.2 with
// math on whole slices.
func cmacReference(c cipher.Block, data []byte) []byte {
	n := c.BlockSize()
	rb := byte(0x87)
	if n == 8 {
		rb = 0x1b
	}
	double := func(in []byte) []byte {
		out := make([]byte, n)
		for i := range n {
			out[i] = in[i] << 1
			if i+1 < n {
				out[i] |= in[i+1] >> 7
			}
		}
		if in[0]&0x80 != 0 {
			out[n-1] ^= rb
		}
		return out
	}
	l := make([]byte, n)
	c.Encrypt(l, l)
	k1 := double(l)
	k2 := double(k1)
	var last []byte
	blocks := (len(data) + n - 1) / n
	if blocks > 0 && len(data)%n == 0 {
		last = bytes.Clone(data[(blocks-1)*n:])
		for i := range last {
			last[i] ^= k1[i]
		}
	} else {
		if blocks == 0 {
			blocks = 1
		}
		last = make([]byte, n)
		tail := data[(blocks-1)*n:]
		copy(last, tail)
		last[len(tail)] = 0x80
		for i := range last {
			last[i] ^= k2[i]
		}
	}
	msg := append(bytes.Clone(data[:(blocks-1)*n]), last...)
	out := make([]byte, len(msg))
	cipher.NewCBCEncrypter(c, make([]byte, n)).CryptBlocks(out, msg)
	return out[len(out)-n:]
}

func TestAgainstReference(t *testing.T) {
	ciphers := map[string]cipher.Block{
		"DES":  newBlock(t, "DES", mustHex("0123456789ABCDEF")),
		"TDES": newBlock(t, "TDES", mustHex("0123456789ABCDEFFEDCBA9876543210")),
		"AES":  newBlock(t, "AES", mustHex("000102030405060708090A0B0C0D0E0F")),
	}
	data := make([]byte, 70)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for name, c := range ciphers {
		for n := range len(data) {
			for p := mac.Method1; p <= mac.Method3; p++ {
				if got, want := mac.Alg1(c, data[:n], p), cbcReference(c, data[:n], p); !bytes.Equal(got, want) {
					t.Errorf("%s Alg1(%d bytes, %v) = %X, reference %X", name, n, p, got, want)
				}
			}
			if got, want := mac.CMAC(c, data[:n]), cmacReference(c, data[:n]); !bytes.Equal(got, want) {
				t.Errorf("%s CMAC(%d bytes) = %X, reference %X", name, n, got, want)
			}
		}
	}
}

// TestAlg3Definition checks Alg3 against its definition: CBC-MAC under K,
// then decipher under K′ and encipher under K.
func TestAlg3Definition(t *testing.T) {
	key := mustHex("0123456789ABCDEFFEDCBA9876543210")
	k := newBlock(t, "DES", key[:8])
	k2 := newBlock(t, "DES", key[8:])
	data := []byte("Now is the time for all good men")
	for n := range len(data) {
		for p := mac.Method1; p <= mac.Method3; p++ {
			want := cbcReference(k, data[:n], p)
			k2.Decrypt(want, want)
			k.Encrypt(want, want)
			got, err := mac.Alg3(key, data[:n], p)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("Alg3(%d bytes, %v) = %X, %v, want %X", n, p, got, err, want)
			}
		}
	}
}

func TestPadding(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   string
		p      mac.Padding
		n      int
		padded string
	}{
		{"method 1 empty is one zero block", "", mac.Method1, 8, "0000000000000000"},
		{"method 1 full block unchanged", "0102030405060708", mac.Method1, 8, "0102030405060708"},
		{"method 2 empty", "", mac.Method2, 8, "8000000000000000"},
		{"method 2 full block adds a block", "0102030405060708", mac.Method2, 8, "01020304050607088000000000000000"},
		{"method 3 empty is the length block only", "", mac.Method3, 8, "0000000000000000"},
		{"method 3 with 16-byte blocks", "01", mac.Method3, 16, "0000000000000000000000000000000801000000000000000000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mac.AppendPad(nil, mustHex(tc.data), tc.p, tc.n); !bytes.Equal(got, mustHex(tc.padded)) {
				t.Errorf("AppendPad = %X, want %s", got, tc.padded)
			}
		})
	}
	if got := mac.Method2.String(); got != "method 2" {
		t.Errorf("String = %q", got)
	}
	if got := mac.Padding(9).String(); got != "Padding(9)" {
		t.Errorf("String = %q", got)
	}
}

func TestAdversarial(t *testing.T) {
	tdes := newBlock(t, "TDES", mustHex("0123456789ABCDEFFEDCBA9876543210"))
	aesc := newBlock(t, "AES", mustHex("000102030405060708090A0B0C0D0E0F"))
	key := mustHex("0123456789ABCDEFFEDCBA9876543210")
	data := []byte("message")
	rows := []struct {
		name string // why the input is bad
		err  error
		want error
	}{
		{"Alg3 key of 8 bytes (single DES)", func() error { _, err := mac.Alg3(key[:8], data, mac.Method1); return err }(), mac.ErrKeySize},
		{"Alg3 key of 24 bytes", func() error { _, err := mac.Alg3(append(key, key[:8]...), data, mac.Method1); return err }(), mac.ErrKeySize},
		{"Alg3 key of 0 bytes", func() error { _, err := mac.Alg3(nil, data, mac.Method2); return err }(), mac.ErrKeySize},
		{"VerifyAlg3 with a bad key", mac.VerifyAlg3(key[:15], data, mac.Method1, make([]byte, 8)), mac.ErrKeySize},
		{"tag of 3 bytes is below MinTagSize", mac.VerifyCMAC(aesc, data, make([]byte, 3)), mac.ErrTagSize},
		{"empty tag", mac.VerifyAlg1(tdes, data, mac.Method1, nil), mac.ErrTagSize},
		{"tag of 9 bytes for a 64-bit cipher", mac.VerifyAlg1(tdes, data, mac.Method2, make([]byte, 9)), mac.ErrTagSize},
		{"tag of 17 bytes for AES", mac.VerifyCMAC(aesc, data, make([]byte, 17)), mac.ErrTagSize},
		{"tag of 9 bytes for Alg3", mac.VerifyAlg3(key, data, mac.Method1, make([]byte, 9)), mac.ErrTagSize},
		{"all-zero tag does not verify", mac.VerifyCMAC(aesc, data, make([]byte, 16)), mac.ErrMismatch},
		{"Alg1 tag under other padding", mac.VerifyAlg1(tdes, data, mac.Method1, mac.Alg1(tdes, data, mac.Method2)), mac.ErrMismatch},
		{"Alg3 tag of other data", func() error {
			m, _ := mac.Alg3(key, []byte("other"), mac.Method1)
			return mac.VerifyAlg3(key, data, mac.Method1, m)
		}(), mac.ErrMismatch},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if !errors.Is(r.err, r.want) {
				t.Fatalf("err = %v, want %v", r.err, r.want)
			}
			if !strings.HasPrefix(r.err.Error(), "mac: ") {
				t.Errorf("message %q lacks the package prefix", r.err)
			}
		})
	}
	var tse mac.TagSizeError
	if err := mac.VerifyCMAC(aesc, data, make([]byte, 2)); !errors.As(err, &tse) || tse != 2 {
		t.Errorf("errors.As TagSizeError: %v", err)
	}
	var kse mac.KeySizeError
	if _, err := mac.Alg3(key[:7], data, mac.Method1); !errors.As(err, &kse) || kse != 7 {
		t.Errorf("errors.As KeySizeError: %v", err)
	}
}

// block4 is a toy 32-bit block cipher for the panic test.
type block4 struct{}

func (block4) BlockSize() int          { return 4 }
func (block4) Encrypt(dst, src []byte) { copy(dst, src) }
func (block4) Decrypt(dst, src []byte) { copy(dst, src) }

func TestPanics(t *testing.T) {
	tdes := newBlock(t, "TDES", mustHex("0123456789ABCDEFFEDCBA9876543210"))
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Alg1 with padding 0", func() { mac.Alg1(tdes, nil, 0) }},
		{"Alg1 with padding 4", func() { mac.Alg1(tdes, nil, 4) }},
		{"Alg3 with padding 0", func() { _, _ = mac.Alg3(make([]byte, 16), nil, 0) }},
		{"CMAC with a 32-bit block cipher", func() { mac.CMAC(block4{}, nil) }},
		{"AppendPad with block size 0", func() { mac.AppendPad(nil, nil, mac.Method1, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}

// TestNoAllocs pins that the MAC loop does not allocate when dst has room.
func TestNoAllocs(t *testing.T) {
	tdes := newBlock(t, "TDES", mustHex("0123456789ABCDEFFEDCBA9876543210"))
	aesc := newBlock(t, "AES", mustHex("000102030405060708090A0B0C0D0E0F"))
	data := make([]byte, 256)
	dst := make([]byte, 0, 16)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"AppendAlg1 TDES", func() { mac.AppendAlg1(dst, tdes, data, mac.Method2) }},
		{"AppendAlg1 AES method 3", func() { mac.AppendAlg1(dst, aesc, data, mac.Method3) }},
		{"AppendCMAC AES", func() { mac.AppendCMAC(dst, aesc, data) }},
		{"AppendCMAC TDES", func() { mac.AppendCMAC(dst, tdes, data[:77]) }},
	} {
		if n := testing.AllocsPerRun(100, tc.f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tc.name, n)
		}
	}
	// Alg3 allocates only its two DES key schedules.
	if n := testing.AllocsPerRun(100, func() { _, _ = mac.AppendAlg3(dst, make([]byte, 16), data, mac.Method1) }); n > 2 {
		t.Errorf("AppendAlg3: %v allocations, want at most 2", n)
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	aesc := newBlock(t, "AES", mustHex("2b7e151628aed2a6abf7158809cf4f3c"))
	out := mac.AppendCMAC([]byte("pre"), aesc, nil)
	if !bytes.Equal(out, append([]byte("pre"), mustHex("bb1d6929e95937287fa37d129b756746")...)) {
		t.Errorf("AppendCMAC = %X", out)
	}
}

package keys_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"os"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
)

func TestKCVVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/kcv.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []struct {
			Name      string
			Algorithm string
			Key       testvec.Hex
			KCV       testvec.Hex // published value; for AES only a prefix may be published
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
	c, _ := keys.NewTDES(testvec.MustHex("0123456789ABCDEFFEDCBA9876543210"))
	if keys.CheckKCV(c, nil) {
		t.Error("CheckKCV(empty) = true")
	}
	if keys.CheckKCV(c, testvec.MustHex("08D7B400")) {
		t.Error("CheckKCV(too long) = true")
	}
	// AppendKCV keeps the prefix and leaves nothing behind in capacity.
	dst := make([]byte, 1, 32)
	out := keys.AppendKCV(dst, c)
	if !bytes.Equal(out, testvec.MustHex("0008D7B4")) {
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

// block4 is a toy 32-bit block cipher for the panic test.
type block4 struct{}

func (block4) BlockSize() int          { return 4 }
func (block4) Encrypt(dst, src []byte) { copy(dst, src) }
func (block4) Decrypt(dst, src []byte) { copy(dst, src) }

func BenchmarkKCV(b *testing.B) {
	t, _ := keys.NewTDES(testvec.MustHex("0123456789ABCDEFFEDCBA9876543210"))
	a, _ := aes.NewCipher(testvec.MustHex("3F419E1CB7079442AA37474C2EFBF8B8"))
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

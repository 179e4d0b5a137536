package mac_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/mac"
)

// TestX924DUKPTMAC checks the request and response MACs of the
// ANSI X9.24-1:2009 Annex A.4 DUKPT examples: ANSI X9.19 with padding
// method 1 under variants of the transaction key, leftmost 4 bytes.
func TestX924DUKPTMAC(t *testing.T) {
	var file struct {
		DataASCII       string      `json:"data_ascii"`
		RequestVariant  testvec.Hex `json:"request_variant"`
		ResponseVariant testvec.Hex `json:"response_variant"`
		Vectors         []struct {
			Name           string
			TransactionKey testvec.Hex `json:"transaction_key"`
			RequestMAC     testvec.Hex `json:"request_mac"`
			ResponseMAC    testvec.Hex `json:"response_mac"`
		}
	}
	testvec.Load(t, "x9.24-1-dukpt-mac.json", &file)
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
				r, err := mac.NewRetail(key)
				if err != nil {
					t.Fatal(err)
				}
				if got := r.AppendMAC(nil, data, mac.Method1); !bytes.Equal(got[:4], c.want) {
					t.Errorf("%s: Retail.AppendMAC = %X, want %X…", c.dir, got, c.want)
				}
				if err := r.Verify(data, mac.Method1, c.want); err != nil {
					t.Errorf("%s: Retail.Verify = %v", c.dir, err)
				}
				bad := bytes.Clone(c.want)
				bad[0] ^= 1
				if err := r.Verify(data, mac.Method1, bad); !errors.Is(err, mac.ErrMismatch) {
					t.Errorf("%s: Retail.Verify(wrong tag) = %v, want ErrMismatch", c.dir, err)
				}
			}
		})
	}
}

// TestAlg3Definition checks Alg3 against its definition: CBC-MAC under K,
// then decipher under K′ and encipher under K.
func TestAlg3Definition(t *testing.T) {
	key := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
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

func TestRetailKeySize(t *testing.T) {
	for _, n := range []int{0, 8, 15, 17, 24} {
		if _, err := mac.NewRetail(make([]byte, n)); !errors.Is(err, mac.ErrKeySize) {
			t.Errorf("NewRetail(%d bytes) = %v, want ErrKeySize", n, err)
		}
	}
}

func TestRetailAllocs(t *testing.T) {
	r, err := mac.NewRetail(testvec.MustHex("0123456789ABCDEFFEDCBA9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 256)
	dst := make([]byte, 0, 8)
	if n := testing.AllocsPerRun(100, func() { r.AppendMAC(dst, data, mac.Method1) }); n != 0 {
		t.Errorf("Retail.AppendMAC: %v allocations, want 0", n)
	}
	tag := r.AppendMAC(nil, data, mac.Method2)
	if n := testing.AllocsPerRun(100, func() { r.Verify(data, mac.Method2, tag) }); n != 0 {
		t.Errorf("Retail.Verify: %v allocations, want 0", n)
	}
	// A Retail holds its two DES key schedules: one allocation.
	key := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
	if n := testing.AllocsPerRun(100, func() { sinkRetail, _ = mac.NewRetail(key) }); n != 1 {
		t.Errorf("NewRetail: %v allocations, want 1", n)
	}
}

var sinkRetail *mac.Retail

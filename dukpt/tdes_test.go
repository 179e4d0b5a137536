package dukpt

import (
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
)

func TestTDESInitialKey(t *testing.T) {
	v := loadTDES(t)
	ik, err := TDESInitialKey(v.BDK, v.IKSN)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ik, v.IK) {
		t.Errorf("TDESInitialKey(%X) = %X, want %X", []byte(v.IKSN), ik, []byte(v.IK))
	}
	// Every KSN of the device gives the same initial key.
	for _, x := range v.all() {
		ik, err := TDESInitialKey(v.BDK, x.KSN)
		if err != nil || !bytes.Equal(ik, v.IK) {
			t.Errorf("TDESInitialKey(%X) = %X, %v, want %X", []byte(x.KSN), ik, err, []byte(v.IK))
		}
	}
}

func TestTDESVectors(t *testing.T) {
	v := loadTDES(t)
	data := zeroPad([]byte(v.DataASCII), 8)
	for _, s := range v.Sequences {
		for _, x := range s.Vectors {
			t.Run(s.Reference+"/"+x.KSN.String(), func(t *testing.T) {
				key, err := TDESTransactionKey(v.IK, x.KSN)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(key, x.TransactionKey) {
					t.Errorf("TDESTransactionKey = %X, want %X", key, []byte(x.TransactionKey))
				}

				pinKey, err := TDESWorkingKey(v.IK, x.KSN, PINEncryption)
				if err != nil {
					t.Fatal(err)
				}
				if got := tdesECB(t, pinKey, v.ClearPINBlock); !bytes.Equal(got, x.PINBlock) {
					t.Errorf("PIN block = %X, want %X", got, []byte(x.PINBlock))
				}

				for _, m := range []struct {
					u    Usage
					want []byte
				}{{MACRequest, x.MACRequest}, {MACResponse, x.MACResponse}} {
					k, err := TDESWorkingKey(v.IK, x.KSN, m.u)
					if err != nil {
						t.Fatal(err)
					}
					if got := x919(t, k, zeroPad([]byte(v.DataASCII), 8)); !bytes.Equal(got[:len(m.want)], m.want) {
						t.Errorf("%v MAC = %X, want %X", m.u, got, m.want)
					}
				}

				dk, err := TDESWorkingKey(v.IK, x.KSN, DataRequest)
				if err != nil {
					t.Fatal(err)
				}
				if got := tdesCBC(t, dk, data); !bytes.Equal(got, x.DataRequest) {
					t.Errorf("request data = %X, want %X", got, []byte(x.DataRequest))
				}
			})
		}
	}
}

func TestTDESExtraVectors(t *testing.T) {
	v := loadTDES(t)
	var extra tdesExtra
	testvec.Load(t, "tdes_moov_extra.json", &extra)
	data := zeroPad([]byte(v.DataASCII), 8)
	for _, x := range extra.Vectors {
		t.Run(x.KSN.String(), func(t *testing.T) {
			for _, m := range []struct {
				u    Usage
				want []byte
			}{{MACRequest, x.MACRequest}, {MACResponse, x.MACResponse}} {
				k, err := TDESWorkingKey(v.IK, x.KSN, m.u)
				if err != nil {
					t.Fatal(err)
				}
				if got := x919(t, k, data); !bytes.Equal(got, m.want) {
					t.Errorf("%v MAC = %X, want %X", m.u, got, m.want)
				}
			}
			dk, err := TDESWorkingKey(v.IK, x.KSN, DataResponse)
			if err != nil {
				t.Fatal(err)
			}
			if got := tdesCBC(t, dk, data); !bytes.Equal(got, x.DataResponse) {
				t.Errorf("response data = %X, want %X", got, []byte(x.DataResponse))
			}
		})
	}
}

func TestTDESErrors(t *testing.T) {
	v := loadTDES(t)
	ksn1 := []byte(v.Sequences[0].Vectors[0].KSN)
	tests := []struct {
		name string
		f    func() error
		want error
	}{
		{"BDK of 15 bytes", func() error { _, err := TDESInitialKey(v.BDK[:15], ksn1); return err }, ErrKeyLength},
		{"BDK of 24 bytes (triple length is not X9.24-1 DUKPT)", func() error { _, err := TDESInitialKey(make([]byte, 24), ksn1); return err }, ErrKeyLength},
		{"KSN of 8 bytes", func() error { _, err := TDESInitialKey(v.BDK, ksn1[:8]); return err }, ErrKSNLength},
		{"KSN of 12 bytes (AES)", func() error { _, err := TDESTransactionKey(v.IK, make([]byte, 12)); return err }, ErrKSNLength},
		{"IK of 8 bytes", func() error { _, err := TDESTransactionKey(v.IK[:8], ksn1); return err }, ErrKeyLength},
		{"counter 0", func() error { _, err := TDESTransactionKey(v.IK, v.IKSN); return err }, ErrCounterZero},
		{"counter 0 for a working key", func() error { _, err := TDESWorkingKey(v.IK, v.IKSN, PINEncryption); return err }, ErrCounterZero},
		{"AES-only usage", func() error { _, err := TDESWorkingKey(v.IK, ksn1, KeyEncryption); return err }, ErrUsage},
		{"usage 0", func() error { _, err := TDESWorkingKey(v.IK, ksn1, 0); return err }, ErrUsage},
	}
	for _, tt := range tests {
		err := tt.f()
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestTDESCounterNotValidated checks that host derivation computes keys for
// counters a device never uses: 11 one-bits here.
func TestTDESCounterNotValidated(t *testing.T) {
	v := loadTDES(t)
	k := KSN(v.IKSN).WithCounter(0x7FF)
	if err := k.Valid(); !errors.Is(err, ErrCounterInvalid) {
		t.Fatalf("Valid() = %v, want ErrCounterInvalid", err)
	}
	key, err := TDESTransactionKey(v.IK, k[:])
	if err != nil {
		t.Fatal(err)
	}
	// The key of 7FFh is the key of 7FEh advanced by one step.
	k2 := KSN(v.IKSN).WithCounter(0x7FE)
	want, _ := TDESTransactionKey(v.IK, k2[:])
	nrkgp(want, k.register()|0x7FF)
	if !bytes.Equal(key, want) {
		t.Errorf("TDESTransactionKey(%v) = %X, want %X", k, key, want)
	}
}

func zeroPad(b []byte, n int) []byte {
	for len(b)%n != 0 {
		b = append(b, 0)
	}
	return b
}

// tdesECB, tdesCBC and x919 are independent reference computations on
// crypto/des used to check the vectors.
func tdesBlock(t testing.TB, key []byte) cipher.Block {
	t.Helper()
	c, err := des.NewTripleDESCipher(append(append([]byte{}, key...), key[:8]...))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func tdesECB(t testing.TB, key, block []byte) []byte {
	out := make([]byte, 8)
	tdesBlock(t, key).Encrypt(out, block)
	return out
}

func tdesCBC(t testing.TB, key, data []byte) []byte {
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(tdesBlock(t, key), make([]byte, 8)).CryptBlocks(out, data)
	return out
}

// x919 is the ANSI X9.19 retail MAC: single-DES CBC-MAC under the left
// half, then decrypt under the right half and encrypt under the left.
func x919(t testing.TB, key, data []byte) []byte {
	k1, _ := des.NewCipher(key[:8])
	k2, _ := des.NewCipher(key[8:])
	s := make([]byte, 8)
	for i := 0; i < len(data); i += 8 {
		for j := range 8 {
			s[j] ^= data[i+j]
		}
		k1.Encrypt(s, s)
	}
	k2.Decrypt(s, s)
	k1.Encrypt(s, s)
	return s
}

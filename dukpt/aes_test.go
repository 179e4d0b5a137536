package dukpt

import (
	"bytes"
	"crypto/aes"
	"testing"
)

var aesFiles = []string{"aes128_x9_24_3.json", "aes256_x9_24_3.json"}

func TestAESVectors(t *testing.T) {
	for _, name := range aesFiles {
		v := loadAES(t, name)
		t.Run(name, func(t *testing.T) {
			ksn0 := append(append([]byte{}, v.IKID...), 0, 0, 0, 0)
			ik, err := AESInitialKey(v.BDK, ksn0)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ik, v.IK) {
				t.Fatalf("AESInitialKey = %X, want %X", ik, []byte(v.IK))
			}
			for _, x := range v.Vectors {
				t.Run(x.KSN.String(), func(t *testing.T) {
					dk, err := AESTransactionKey(v.IK, x.KSN)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(dk, x.TransactionKey) {
						t.Errorf("AESTransactionKey = %X, want %X", dk, []byte(x.TransactionKey))
					}
					for _, w := range x.WorkingKeys {
						u, kt := usageByName(t, w.Usage), keyTypeByName(t, w.Type)
						got, err := AESWorkingKey(v.IK, x.KSN, u, kt)
						if err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(got, w.Key) {
							t.Errorf("AESWorkingKey(%v, %v) = %X, want %X", u, kt, got, []byte(w.Key))
						}
					}
					if x.PINBlock != nil {
						// Format 4 encipherment with the published random
						// fill: AES(K, AES(K, PIN field) XOR PAN field).
						pk, _ := AESWorkingKey(v.IK, x.KSN, PINEncryption, AES128)
						c, _ := aes.NewCipher(pk)
						b := make([]byte, 16)
						c.Encrypt(b, v.ISO4.PINField)
						for i := range b {
							b[i] ^= v.ISO4.PANField[i]
						}
						c.Encrypt(b, b)
						if !bytes.Equal(b, x.PINBlock) {
							t.Errorf("ISO 4 PIN block = %X, want %X", b, []byte(x.PINBlock))
						}
					}
				})
			}
			for _, x := range v.Counters {
				t.Run("counter/"+x.KSN.String(), func(t *testing.T) {
					dk, err := AESTransactionKey(v.IK, x.KSN)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(dk, x.TransactionKey) {
						t.Errorf("AESTransactionKey = %X, want %X", dk, []byte(x.TransactionKey))
					}
					k, _ := ParseAESKSN(x.KSN)
					if err := k.Valid(); (err == nil) != x.DeviceValid {
						t.Errorf("Valid() = %v, want valid %v", err, x.DeviceValid)
					}
				})
			}
			for _, x := range v.UpdateKeys {
				t.Run("update/"+x.Type, func(t *testing.T) {
					got, err := AESUpdateKey(v.IK, ksn0, keyTypeByName(t, x.Type))
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, x.Key) {
						t.Errorf("AESUpdateKey(%s) = %X, want %X (%s)", x.Type, got, []byte(x.Key), x.Reference)
					}
				})
			}
		})
	}
}

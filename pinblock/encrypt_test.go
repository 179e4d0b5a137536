package pinblock_test

import (
	"bytes"
	"crypto/aes"
	"crypto/des"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/pinblock"
)

// TestX924DUKPTPIN checks the enciphered format 0 blocks of the
// ANSI X9.24-1:2009 Annex A.4 DUKPT examples.
func TestX924DUKPTPIN(t *testing.T) {
	var file struct {
		PIN        string      `json:"pin"`
		PAN        string      `json:"pan"`
		ClearBlock testvec.Hex `json:"clear_block"`
		PINVariant testvec.Hex `json:"pin_variant"`
		Vectors    []struct {
			Name           string      `json:"name"`
			TransactionKey testvec.Hex `json:"transaction_key"`
			EncryptedBlock testvec.Hex `json:"encrypted_block"`
		}
	}
	testvec.Load(t, "x9.24-1-dukpt-pin.json", &file)
	if len(file.Vectors) != 34 {
		t.Fatalf("%d vectors, want 34", len(file.Vectors))
	}
	clearBlock, err := pinblock.Encode(pinblock.ISO0, file.PIN, file.PAN)
	if err != nil || !bytes.Equal(clearBlock, file.ClearBlock) {
		t.Fatalf("Encode = %X, %v, want %X", clearBlock, err, []byte(file.ClearBlock))
	}
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			key, err := keys.Variant(v.TransactionKey, file.PINVariant)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pinblock.Encrypt(pinblock.ISO0, key, file.PIN, file.PAN)
			if err != nil || !bytes.Equal(got, v.EncryptedBlock) {
				t.Errorf("Encrypt = %X, %v, want %X", got, err, []byte(v.EncryptedBlock))
			}
			pin, err := pinblock.Decrypt(pinblock.ISO0, key, v.EncryptedBlock, file.PAN)
			if err != nil || pin != file.PIN {
				t.Errorf("Decrypt(%X) = %q, %v, want %q", []byte(v.EncryptedBlock), pin, err, file.PIN)
			}
		})
	}
}

// TestEncryptRoundTrip enciphers and deciphers every format with every key
// size.
func TestEncryptRoundTrip(t *testing.T) {
	keysBySize := map[int][]byte{}
	for _, n := range []int{16, 24, 32} {
		k := make([]byte, n)
		for i := range k {
			k[i] = byte(i*37 + n)
		}
		keysBySize[n] = k
	}
	for f := pinblock.ISO0; f <= pinblock.ISO4; f++ {
		sizes := []int{16, 24}
		if f == pinblock.ISO4 {
			sizes = []int{16, 24, 32}
		}
		for _, n := range sizes {
			for _, pin := range []string{"0000", "1234", "98765", "123456789012"} {
				for _, pan := range []string{"40123456", "123456789", "4012345678909", "1234567890123456789"} {
					blk, err := pinblock.Encrypt(f, keysBySize[n], pin, pan)
					if err != nil {
						t.Fatalf("Encrypt(%v, %d-byte key): %v", f, n, err)
					}
					if len(blk) != f.BlockSize() {
						t.Fatalf("Encrypt(%v) gave %d bytes", f, len(blk))
					}
					got, err := pinblock.Decrypt(f, keysBySize[n], blk, pan)
					if err != nil || got != pin {
						t.Errorf("Decrypt(%v, %d-byte key, PAN %d digits) = %q, %v, want %q", f, n, len(pan), got, err, pin)
					}
				}
			}
		}
	}
}

func TestEncryptWithWrongCipher(t *testing.T) {
	a, _ := aes.NewCipher(aesKey)
	d, _ := des.NewCipher(tdesKey[:8])
	if _, err := pinblock.EncryptWith(pinblock.ISO0, a, "1234", "4012345678909"); !errors.Is(err, pinblock.ErrCipher) {
		t.Errorf("EncryptWith(ISO0, AES) err = %v, want ErrCipher", err)
	}
	if _, err := pinblock.DecryptWith(pinblock.ISO4, d, make([]byte, 16), "4012345678909"); !errors.Is(err, pinblock.ErrCipher) {
		t.Errorf("DecryptWith(ISO4, DES) err = %v, want ErrCipher", err)
	}
	if _, err := (&pinblock.Config{}).TranslateWith(pinblock.ISO0, a, pinblock.ISO4, a, make([]byte, 8), "4012345678909"); !errors.Is(err, pinblock.ErrCipher) {
		t.Errorf("TranslateWith err = %v, want ErrCipher", err)
	}
	// EncryptWith accepts any cipher.Block of the right size, such as a
	// single-DES cipher.
	blk, err := pinblock.EncryptWith(pinblock.ISO0, d, "1234", "4012345678909")
	if err != nil {
		t.Fatal(err)
	}
	if pin, err := pinblock.DecryptWith(pinblock.ISO0, d, blk, "4012345678909"); err != nil || pin != "1234" {
		t.Errorf("DecryptWith = %q, %v", pin, err)
	}
}

package pinblock_test

import (
	"bytes"
	"crypto/aes"
	"crypto/des"
	"errors"
	"testing"

	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/pinblock"
)

// TestX924DUKPTPIN checks the enciphered format 0 blocks of the
// ANSI X9.24-1:2009 Annex A.4 DUKPT examples.
func TestX924DUKPTPIN(t *testing.T) {
	var file struct {
		PIN        string   `json:"pin"`
		PAN        string   `json:"pan"`
		ClearBlock hexBytes `json:"clear_block"`
		PINVariant hexBytes `json:"pin_variant"`
		Vectors    []struct {
			Name           string   `json:"name"`
			TransactionKey hexBytes `json:"transaction_key"`
			EncryptedBlock hexBytes `json:"encrypted_block"`
		}
	}
	loadJSON(t, "x9.24-1-dukpt-pin.json", &file)
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

// TestX924ISO4 checks the format 4 blocks of the ANSI X9.24-3-2017
// supplement, enciphering with the published random part.
func TestX924ISO4(t *testing.T) {
	var file struct {
		PIN      string   `json:"pin"`
		PAN      string   `json:"pan"`
		Random   hexBytes `json:"random"`
		PINField hexBytes `json:"pin_field"`
		PANField hexBytes `json:"pan_field"`
		Vectors  []struct {
			Name           string   `json:"name"`
			PINKey         hexBytes `json:"pin_key"`
			EncryptedBlock hexBytes `json:"encrypted_block"`
		}
	}
	loadJSON(t, "x9.24-3-iso4.json", &file)
	if len(file.Vectors) != 8 {
		t.Fatalf("%d vectors, want 8", len(file.Vectors))
	}
	c := &pinblock.Config{Rand: fixedRand(file.Random)}
	if f, err := c.Format4PINField(file.PIN); err != nil || !bytes.Equal(f, file.PINField) {
		t.Errorf("Format4PINField = %X, %v, want %X", f, err, []byte(file.PINField))
	}
	if f, err := pinblock.Format4PANField(file.PAN); err != nil || !bytes.Equal(f, file.PANField) {
		t.Errorf("Format4PANField = %X, %v, want %X", f, err, []byte(file.PANField))
	}
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			c := &pinblock.Config{Rand: fixedRand(file.Random)}
			got, err := c.Encrypt(pinblock.ISO4, v.PINKey, file.PIN, file.PAN)
			if err != nil || !bytes.Equal(got, v.EncryptedBlock) {
				t.Errorf("Encrypt = %X, %v, want %X", got, err, []byte(v.EncryptedBlock))
			}
			pin, err := pinblock.Decrypt(pinblock.ISO4, v.PINKey, v.EncryptedBlock, file.PAN)
			if err != nil || pin != file.PIN {
				t.Errorf("Decrypt = %q, %v, want %q", pin, err, file.PIN)
			}
		})
	}
}

func TestFormat4Vectors(t *testing.T) {
	var file struct {
		PINFields []struct {
			Name   string   `json:"name"`
			PIN    string   `json:"pin"`
			Random hexBytes `json:"random"`
			Field  hexBytes `json:"field"`
		} `json:"pin_fields"`
		PANFields []struct {
			Name  string   `json:"name"`
			PAN   string   `json:"pan"`
			Field hexBytes `json:"field"`
		} `json:"pan_fields"`
		Deciphered []struct {
			Name  string   `json:"name"`
			Key   hexBytes `json:"key"`
			PAN   string   `json:"pan"`
			Block hexBytes `json:"block"`
			PIN   string   `json:"pin"`
		}
	}
	loadJSON(t, "iso9564-format4.json", &file)
	for _, v := range file.PINFields {
		t.Run("PIN field/"+v.Name, func(t *testing.T) {
			got, err := pinblock.DecodeFormat4PINField(v.Field)
			if err != nil || got != v.PIN {
				t.Errorf("DecodeFormat4PINField(%X) = %q, %v, want %q", []byte(v.Field), got, err, v.PIN)
			}
			c := &pinblock.Config{Rand: fixedRand(v.Random)}
			f, err := c.Format4PINField(v.PIN)
			if err != nil || !bytes.Equal(f, v.Field) {
				t.Errorf("Format4PINField = %X, %v, want %X", f, err, []byte(v.Field))
			}
		})
	}
	for _, v := range file.PANFields {
		t.Run("PAN field/"+v.Name, func(t *testing.T) {
			f, err := pinblock.Format4PANField(v.PAN)
			if err != nil || !bytes.Equal(f, v.Field) {
				t.Errorf("Format4PANField(%s) = %X, %v, want %X", v.PAN, f, err, []byte(v.Field))
			}
		})
	}
	for _, v := range file.Deciphered {
		t.Run("deciphered/"+v.Name, func(t *testing.T) {
			pin, err := pinblock.Decrypt(pinblock.ISO4, v.Key, v.Block, v.PAN)
			if err != nil || pin != v.PIN {
				t.Errorf("Decrypt = %q, %v, want %q", pin, err, v.PIN)
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

// TestFormat4ShortPAN checks that a PAN under 12 digits is left-padded and
// that PANs which pad to the same field still decode.
func TestFormat4ShortPAN(t *testing.T) {
	blk, err := pinblock.Encrypt(pinblock.ISO4, aesKey, "1234", "123456789")
	if err != nil {
		t.Fatal(err)
	}
	if pin, err := pinblock.Decrypt(pinblock.ISO4, aesKey, blk, "123456789"); err != nil || pin != "1234" {
		t.Errorf("Decrypt = %q, %v", pin, err)
	}
	if _, err := pinblock.Decrypt(pinblock.ISO4, aesKey, blk, "123456788"); err == nil {
		t.Error("Decrypt with another PAN succeeded")
	}
}

func TestCheckDigitIsNotBound(t *testing.T) {
	// Formats 0 and 3 use the 12 rightmost digits excluding the check
	// digit, so PANs that differ only in the check digit give one block.
	blk, err := pinblock.Encode(pinblock.ISO0, "1234", "4012345678909")
	if err != nil {
		t.Fatal(err)
	}
	if pin, err := pinblock.Decode(pinblock.ISO0, blk, "4012345678901"); err != nil || pin != "1234" {
		t.Errorf("Decode = %q, %v", pin, err)
	}
}

func TestTranslate(t *testing.T) {
	const pin, pan = "1234", "4012345678909"
	keyFor := func(f pinblock.Format) []byte {
		if f == pinblock.ISO4 {
			return aesKey
		}
		return tdesKey
	}
	for from := pinblock.ISO0; from <= pinblock.ISO4; from++ {
		for to := pinblock.ISO0; to <= pinblock.ISO4; to++ {
			blk, err := pinblock.Encrypt(from, keyFor(from), pin, pan)
			if err != nil {
				t.Fatal(err)
			}
			out, err := pinblock.Translate(from, keyFor(from), to, keyFor(to), blk, pan)
			bindsPAN := func(f pinblock.Format) bool { return f == pinblock.ISO0 || f == pinblock.ISO3 || f == pinblock.ISO4 }
			if bindsPAN(from) && !bindsPAN(to) {
				if !errors.Is(err, pinblock.ErrTranslation) || out != nil {
					t.Errorf("Translate(%v→%v) = %X, %v, want ErrTranslation", from, to, out, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Translate(%v→%v): %v", from, to, err)
			}
			if got, err := pinblock.Decrypt(to, keyFor(to), out, pan); err != nil || got != pin {
				t.Errorf("Decrypt(Translate(%v→%v)) = %q, %v", from, to, got, err)
			}
		}
	}
	// A block that does not decode is not translated.
	if _, err := pinblock.Translate(pinblock.ISO0, tdesKey, pinblock.ISO3, tdesKey, make([]byte, 8), pan); err == nil {
		t.Error("Translate of a zero block succeeded")
	}
}

func TestTranslateDeterministic(t *testing.T) {
	// X9.24-1 A.4 KSN ...E00001: format 0 under the PIN-variant key, to
	// format 4 under the X9.24-3 AES PIN key with the published random
	// part, gives the published X9.24-3 block for PAN 4111111111111111
	// only if the PAN matches, so translate a block made for that PAN.
	const pan = "4111111111111111"
	tdes := mustHex("042666B49184CF5C68DE9628D0397B36")
	in, err := pinblock.Encrypt(pinblock.ISO0, tdes, "1234", pan)
	if err != nil {
		t.Fatal(err)
	}
	c := &pinblock.Config{Rand: fixedRand(mustHex("2F69ADDE2E9E7ACE"))}
	out, err := c.Translate(pinblock.ISO0, tdes, pinblock.ISO4, mustHex("AF8CB133A78F8DC2D1359F18527593FB"), in, pan)
	if err != nil || !bytes.Equal(out, mustHex("A912150391AB65A67E52883D81CE2D15")) {
		t.Errorf("Translate = %X, %v, want A912150391AB65A67E52883D81CE2D15", out, err)
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

package pinblock_test

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

// TestX924ISO4 checks the format 4 blocks of the ANSI X9.24-3-2017
// supplement, enciphering with the published random part.
func TestX924ISO4(t *testing.T) {
	var file struct {
		PIN      string      `json:"pin"`
		PAN      string      `json:"pan"`
		Random   testvec.Hex `json:"random"`
		PINField testvec.Hex `json:"pin_field"`
		PANField testvec.Hex `json:"pan_field"`
		Vectors  []struct {
			Name           string      `json:"name"`
			PINKey         testvec.Hex `json:"pin_key"`
			EncryptedBlock testvec.Hex `json:"encrypted_block"`
		}
	}
	testvec.Load(t, "x9.24-3-iso4.json", &file)
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
			Name   string      `json:"name"`
			PIN    string      `json:"pin"`
			Random testvec.Hex `json:"random"`
			Field  testvec.Hex `json:"field"`
		} `json:"pin_fields"`
		PANFields []struct {
			Name  string      `json:"name"`
			PAN   string      `json:"pan"`
			Field testvec.Hex `json:"field"`
		} `json:"pan_fields"`
		Deciphered []struct {
			Name  string      `json:"name"`
			Key   testvec.Hex `json:"key"`
			PAN   string      `json:"pan"`
			Block testvec.Hex `json:"block"`
			PIN   string      `json:"pin"`
		}
	}
	testvec.Load(t, "iso9564-format4.json", &file)
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

package dukpt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/pinblock"
)

func TestTDESConvenienceVectors(t *testing.T) {
	v := loadTDES(t)
	h, _ := NewTDESHost(v.BDK, HostConfig{})
	data := zeroPad([]byte(v.DataASCII), 8)
	for _, x := range v.all() {
		tx, err := h.Transaction(KSN(x.KSN))
		if err != nil {
			t.Fatal(err)
		}
		block, err := tx.EncryptPIN(pinblock.ISO0, v.PIN, v.PAN)
		if err != nil || !bytes.Equal(block, x.PINBlock) {
			t.Errorf("%v: EncryptPIN(ISO0) = %X, %v, want %X", x.KSN, block, err, []byte(x.PINBlock))
		}
		if pin, err := tx.DecryptPIN(pinblock.ISO0, x.PINBlock, v.PAN); err != nil || pin != v.PIN {
			t.Errorf("%v: DecryptPIN = %q, %v", x.KSN, pin, err)
		}
		for _, m := range []struct {
			u    Usage
			want []byte
		}{{MACRequest, x.MACRequest}, {MACResponse, x.MACResponse}} {
			got, err := tx.MAC(m.u, []byte(v.DataASCII))
			if err != nil || !bytes.Equal(got[:4], m.want) {
				t.Errorf("%v: MAC(%v) = %X, %v, want %X…", x.KSN, m.u, got, err, m.want)
			}
			if err := tx.VerifyMAC(m.u, []byte(v.DataASCII), m.want); err != nil {
				t.Errorf("%v: VerifyMAC(%v, published) = %v", x.KSN, m.u, err)
			}
		}
		if err := tx.VerifyMAC(MACResponse, []byte(v.DataASCII), x.MACRequest); !errors.Is(err, ErrMAC) || !errors.Is(err, mac.ErrMismatch) {
			t.Errorf("%v: VerifyMAC(response, request MAC) = %v, want ErrMAC", x.KSN, err)
		}
		enc, err := tx.Encrypt(DataRequest, nil, data)
		if err != nil || !bytes.Equal(enc, x.DataRequest) {
			t.Errorf("%v: Encrypt(DataRequest) = %X, %v, want %X", x.KSN, enc, err, []byte(x.DataRequest))
		}
		if dec, err := tx.Decrypt(DataRequest, nil, x.DataRequest); err != nil || !bytes.Equal(dec, data) {
			t.Errorf("%v: Decrypt(DataRequest) = %X, %v", x.KSN, dec, err)
		}
	}

	var extra tdesExtra
	testvec.Load(t, "tdes_moov_extra.json", &extra)
	for _, x := range extra.Vectors {
		tx, _ := h.Transaction(KSN(x.KSN))
		if got, _ := tx.MAC(MACRequest, []byte(v.DataASCII)); !bytes.Equal(got, x.MACRequest) {
			t.Errorf("%v: MAC(request) = %X, want %X", x.KSN, got, []byte(x.MACRequest))
		}
		if got, _ := tx.MAC(MACResponse, []byte(v.DataASCII)); !bytes.Equal(got, x.MACResponse) {
			t.Errorf("%v: MAC(response) = %X, want %X", x.KSN, got, []byte(x.MACResponse))
		}
		if got, _ := tx.Encrypt(DataResponse, nil, data); !bytes.Equal(got, x.DataResponse) {
			t.Errorf("%v: Encrypt(DataResponse) = %X, want %X", x.KSN, got, []byte(x.DataResponse))
		}
	}
}

// TestTDESPINFormats round-trips formats 0 to 3 between a device and the
// host.
func TestTDESPINFormats(t *testing.T) {
	v := loadTDES(t)
	d, _ := NewTDESDevice(v.IK, KSN(v.IKSN))
	h, _ := NewTDESHost(v.BDK, HostConfig{CacheDevices: 1})
	for _, f := range []pinblock.Format{pinblock.ISO0, pinblock.ISO1, pinblock.ISO2, pinblock.ISO3} {
		dt, _ := d.Next()
		block, err := dt.EncryptPIN(f, "123456789012", v.PAN)
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		ht, _ := h.Transaction(dt.KSN())
		if pin, err := ht.DecryptPIN(f, block, v.PAN); err != nil || pin != "123456789012" {
			t.Errorf("%v: host DecryptPIN = %q, %v", f, pin, err)
		}
	}
}

func TestAESConvenienceVectors(t *testing.T) {
	v := loadAES(t, "aes128_x9_24_3.json")
	h, _ := NewAESHost(v.BDK, HostConfig{})
	fill := v.ISO4.PINField[8:]
	data := zeroPad([]byte("4012345678909D987"), 16)
	for _, x := range v.Vectors {
		tx, _ := h.Transaction(AESKSN(x.KSN))
		c := &pinblock.Config{Rand: bytes.NewReader(fill)}
		block, err := tx.EncryptPINWith(c, AES128, v.ISO4.PIN, v.ISO4.PAN)
		if err != nil || !bytes.Equal(block, x.PINBlock) {
			t.Errorf("%v: EncryptPINWith(published fill) = %X, %v, want %X", x.KSN, block, err, []byte(x.PINBlock))
		}
		if pin, err := tx.DecryptPIN(AES128, x.PINBlock, v.ISO4.PAN); err != nil || pin != v.ISO4.PIN {
			t.Errorf("%v: DecryptPIN = %q, %v", x.KSN, pin, err)
		}
		for _, w := range x.WorkingKeys {
			wc, _ := aes.NewCipher(w.Key)
			switch w.Usage {
			case "MACRequest":
				got, err := tx.CMAC(MACRequest, AES128, []byte("4012345678909D987"))
				if err != nil || !bytes.Equal(got, mac.CMAC(wc, []byte("4012345678909D987"))) {
					t.Errorf("%v: CMAC = %X, %v", x.KSN, got, err)
				}
			case "DataRequest":
				enc, err := tx.Encrypt(DataRequest, AES128, nil, data)
				if err != nil {
					t.Fatal(err)
				}
				dec := make([]byte, len(enc))
				cipher.NewCBCDecrypter(wc, make([]byte, 16)).CryptBlocks(dec, enc)
				if !bytes.Equal(dec, data) {
					t.Errorf("%v: Encrypt(DataRequest) does not decrypt under the published data key", x.KSN)
				}
			}
		}
	}

	var cm struct {
		KSN       testvec.Hex `json:"ksn"`
		DataASCII string      `json:"data_ascii"`
		CMAC      testvec.Hex `json:"cmac"`
	}
	testvec.Load(t, "aes128_cmac_moov.json", &cm)
	tx, _ := h.Transaction(AESKSN(cm.KSN))
	if got, _ := tx.CMAC(MACRequest, AES128, []byte(cm.DataASCII)); !bytes.Equal(got, cm.CMAC) {
		t.Errorf("CMAC = %X, want %X", got, []byte(cm.CMAC))
	}
	if err := tx.VerifyCMAC(MACRequest, AES128, []byte(cm.DataASCII), cm.CMAC[:8]); err != nil {
		t.Errorf("VerifyCMAC(8 bytes) = %v", err)
	}
	if err := tx.VerifyCMAC(MACResponse, AES128, []byte(cm.DataASCII), cm.CMAC); !errors.Is(err, ErrMAC) {
		t.Errorf("VerifyCMAC(response key) = %v, want ErrMAC", err)
	}
}

// TestAES256BDKConvenience uses the AES-256 BDK with working keys of both
// strengths, device to host.
func TestAES256BDKConvenience(t *testing.T) {
	v := loadAES(t, "aes256_x9_24_3.json")
	d, _ := NewAESDevice(v.IK, AESKSN(append(append([]byte{}, v.IKID...), 0, 0, 0, 0)))
	h, _ := NewAESHost(v.BDK, HostConfig{CacheDevices: 8})
	msg := []byte("4012345678909D987")
	for i := 0; i < 8; i++ {
		dt, _ := d.Next()
		ht, _ := h.Transaction(dt.KSN())
		for _, kt := range []KeyType{AES128, AES192, AES256} {
			block, err := dt.EncryptPIN(kt, "1234", "4111111111111111")
			if err != nil {
				t.Fatal(err)
			}
			if pin, err := ht.DecryptPIN(kt, block, "4111111111111111"); err != nil || pin != "1234" {
				t.Errorf("%v %v: DecryptPIN = %q, %v", dt.KSN(), kt, pin, err)
			}
			for _, u := range []Usage{MACRequest, MACResponse, MACBoth} {
				tag, _ := dt.CMAC(u, kt, msg)
				if err := ht.VerifyCMAC(u, kt, msg, tag); err != nil {
					t.Errorf("%v %v %v: VerifyCMAC = %v", dt.KSN(), u, kt, err)
				}
			}
			for _, u := range []Usage{DataRequest, DataResponse, DataBoth} {
				enc, _ := dt.Encrypt(u, kt, nil, zeroPad(msg, 16))
				dec, err := ht.Decrypt(u, kt, nil, enc)
				if err != nil || !bytes.Equal(dec, zeroPad(msg, 16)) {
					t.Errorf("%v %v %v: Decrypt = %v", dt.KSN(), u, kt, err)
				}
			}
		}
		for _, kt := range []KeyType{HMAC128, HMAC192, HMAC256} {
			tag, err := dt.HMAC(MACRequest, kt, msg)
			if err != nil {
				t.Fatal(err)
			}
			key, _ := ht.WorkingKey(MACRequest, kt)
			m := hmac.New(sha256.New, key)
			m.Write(msg)
			if !bytes.Equal(tag, m.Sum(nil)) {
				t.Errorf("%v %v: HMAC differs from crypto/hmac under WorkingKey", dt.KSN(), kt)
			}
			if err := ht.VerifyHMAC(MACRequest, kt, msg, tag[:16]); err != nil {
				t.Errorf("%v %v: VerifyHMAC = %v", dt.KSN(), kt, err)
			}
			if err := ht.VerifyHMAC(MACResponse, kt, msg, tag); !errors.Is(err, ErrMAC) {
				t.Errorf("%v %v: VerifyHMAC(response key) = %v, want ErrMAC", dt.KSN(), kt, err)
			}
		}
	}
}

func TestConvenienceErrors(t *testing.T) {
	v := loadTDES(t)
	h, _ := NewTDESHost(v.BDK, HostConfig{})
	tx, _ := h.Transaction(KSN(v.Sequences[0].Vectors[0].KSN))
	a := loadAES(t, "aes128_x9_24_3.json")
	ah, _ := NewAESHost(a.BDK, HostConfig{})
	atx, _ := ah.Transaction(AESKSN(a.Vectors[0].KSN))
	msg := []byte("4012345678909D987")
	tests := []struct {
		name string
		f    func() error
		want error
	}{
		{"TDES format 4", func() error { _, err := tx.EncryptPIN(pinblock.ISO4, "1234", "4111111111111111"); return err }, pinblock.ErrFormat},
		{"TDES decrypt format 4", func() error { _, err := tx.DecryptPIN(pinblock.ISO4, make([]byte, 16), "4111111111111111"); return err }, pinblock.ErrFormat},
		{"TDES PIN of 3 digits", func() error { _, err := tx.EncryptPIN(pinblock.ISO0, "123", v.PAN); return err }, pinblock.ErrPINLength},
		{"TDES MAC with the PIN usage", func() error { _, err := tx.MAC(PINEncryption, msg); return err }, ErrUsage},
		{"TDES verify MAC with a 2-byte tag", func() error { return tx.VerifyMAC(MACRequest, msg, []byte{1, 2}) }, mac.ErrTagSize},
		{"TDES data with the MAC usage", func() error { _, err := tx.Encrypt(MACRequest, nil, make([]byte, 8)); return err }, ErrUsage},
		{"TDES data of 17 bytes", func() error { _, err := tx.Encrypt(DataRequest, nil, msg); return err }, ErrDataLength},
		{"TDES empty data", func() error { _, err := tx.Decrypt(DataRequest, nil, nil); return err }, ErrDataLength},
		{"TDES IV of 16 bytes", func() error { _, err := tx.Encrypt(DataRequest, make([]byte, 16), make([]byte, 8)); return err }, ErrDataLength},
		{"zero TDESTransaction", func() error { _, err := (TDESTransaction{}).MAC(MACRequest, msg); return err }, ErrKeyLength},
		{"AES PIN with an HMAC key type", func() error { _, err := atx.EncryptPIN(HMAC128, "1234", "4111111111111111"); return err }, ErrKeyType},
		{"AES-256 PIN key under an AES-128 BDK", func() error { _, err := atx.EncryptPIN(AES256, "1234", "4111111111111111"); return err }, ErrKeyStrength},
		{"AES CMAC with the data usage", func() error { _, err := atx.CMAC(DataRequest, AES128, msg); return err }, ErrUsage},
		{"AES HMAC with an AES key type", func() error { _, err := atx.HMAC(MACRequest, AES128, msg); return err }, ErrKeyType},
		{"AES HMAC tag of 2 bytes", func() error { return atx.VerifyHMAC(MACRequest, HMAC128, msg, []byte{1, 2}) }, mac.ErrTagSize},
		{"AES data with the PIN usage", func() error { _, err := atx.Encrypt(PINEncryption, AES128, nil, make([]byte, 16)); return err }, ErrUsage},
		{"AES data of 8 bytes", func() error { _, err := atx.Encrypt(DataRequest, AES128, nil, make([]byte, 8)); return err }, ErrDataLength},
		{"AES key type 0", func() error { _, err := atx.WorkingKey(PINEncryption, 0); return err }, ErrKeyType},
		{"AES usage 0", func() error { _, err := atx.WorkingKey(0, AES128); return err }, ErrUsage},
		{"zero AESTransaction", func() error { _, err := (AESTransaction{}).WorkingKey(PINEncryption, AES128); return err }, ErrKeyLength},
		{"NewAESTransaction with counter 0", func() error { _, err := NewAESTransaction(AESKSN{}, make([]byte, 16)); return err }, ErrCounterZero},
		{"NewAESTransaction with a 20-byte key", func() error { _, err := NewAESTransaction(AESKSN{11: 1}, make([]byte, 20)); return err }, ErrKeyLength},
		{"NewTDESTransaction with counter 0", func() error { _, err := NewTDESTransaction(KSN{}, make([]byte, 16)); return err }, ErrCounterZero},
		{"NewTDESTransaction with an 8-byte key", func() error { _, err := NewTDESTransaction(KSN{9: 1}, make([]byte, 8)); return err }, ErrKeyLength},
	}
	for _, tt := range tests {
		if err := tt.f(); !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
	}
}

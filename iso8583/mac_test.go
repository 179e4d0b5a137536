package iso8583

import (
	"bytes"
	"crypto/aes"
	"errors"
	"testing"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/mac"
)

// signedPurchase signs the test purchase with k in spec s and unpacks it
// again, as the receiver sees it.
func signedPurchase(t *testing.T, s *Spec, k MACKey, secondary bool) (sent []byte, got *Message) {
	t.Helper()
	m := testPurchase("000123", "TERM0001")
	if secondary {
		m.SetString(90, "020000012308211530450000047617300000000000")
	}
	raw, err := Sign(s, m, k)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Raw(), raw) {
		t.Fatal("Sign did not keep the packed bytes as Raw")
	}
	got, err = s.Unpack(raw)
	if err != nil {
		t.Fatal(err)
	}
	return raw, got
}

func TestSignVerifyRetailMAC(t *testing.T) {
	key := mustHex("0123456789ABCDEFFEDCBA9876543210")
	k, err := RetailMAC(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Spec{SpecASCII, SpecBCD} {
		for _, secondary := range []bool{false, true} {
			raw, m := signedPurchase(t, s, k, secondary)
			id := 64
			if secondary {
				id = 128
			}
			if !m.Has(id) || m.lastID() != id {
				t.Fatalf("%s: MAC not in field %d", s.Name(), id)
			}
			// The MAC is the X9.19 MAC of every byte before the MAC field,
			// computed independently with package mac.
			i, _ := m.find(id)
			want, err := mac.Alg3(key, raw[:m.fields[i].start], mac.Method1)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := m.Field(id); !bytes.Equal(v, want) {
				t.Errorf("%s field %d = %X, want %X", s.Name(), id, v, want)
			}
			if err := Verify(m, k); err != nil {
				t.Errorf("%s: Verify = %v", s.Name(), err)
			}
			// Any changed byte before the MAC is detected.
			bad := bytes.Clone(raw)
			bad[len(bad)/2] ^= 0x01
			if bm, err := s.Unpack(bad); err == nil {
				if err := Verify(bm, k); !errors.Is(err, ErrMACMismatch) || !errors.Is(err, mac.ErrMismatch) {
					t.Errorf("%s: Verify(tampered) = %v, want ErrMACMismatch", s.Name(), err)
				}
			}
		}
	}
}

func TestVerifyNeedsReceivedBytes(t *testing.T) {
	k, _ := RetailMAC(mustHex("0123456789ABCDEFFEDCBA9876543210"))
	_, m := signedPurchase(t, SpecASCII, k, false)
	m.SetString(41, "TERM0002") // changed after receipt: no received bytes any more
	if err := Verify(m, k); !errors.Is(err, ErrNoMAC) {
		t.Errorf("Verify(changed message) = %v, want ErrNoMAC", err)
	}
	plain, _ := SpecASCII.Unpack(must2(SpecASCII.Pack(testPurchase("000001", "TERM0001"))))
	if err := Verify(plain, k); !errors.Is(err, ErrNoMAC) {
		t.Errorf("Verify(no MAC) = %v, want ErrNoMAC", err)
	}
	if _, err := RetailMAC(make([]byte, 8)); err == nil {
		t.Error("RetailMAC accepted an 8-byte key")
	}
}

func must2(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestDUKPTMAC signs a request on the device with the request MAC key
// and checks it on the host, then the response the other way, with the
// ANSI X9.24-1:2009 A.4 BDK and initial KSN.
func TestDUKPTMAC(t *testing.T) {
	bdk := mustHex("0123456789ABCDEFFEDCBA9876543210")
	iksn, err := dukpt.ParseKSN(mustHex("FFFF9876543210E00000"))
	if err != nil {
		t.Fatal(err)
	}
	ik, err := dukpt.TDESInitialKey(bdk, iksn[:])
	if err != nil {
		t.Fatal(err)
	}
	dev, err := dukpt.NewTDESDevice(ik, iksn)
	if err != nil {
		t.Fatal(err)
	}
	devTx, err := dev.Next()
	if err != nil {
		t.Fatal(err)
	}
	host, err := dukpt.NewTDESHost(bdk, dukpt.HostConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ksn := devTx.KSN()
	hostTx, err := host.Transaction(ksn)
	if err != nil {
		t.Fatal(err)
	}

	req := testPurchase("000123", "TERM0001")
	req.Set(53, ksn[:])
	raw, err := Sign(SpecBCD, req, DUKPTMAC(devTx, dukpt.MACRequest))
	if err != nil {
		t.Fatal(err)
	}
	got, err := SpecBCD.Unpack(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(got, DUKPTMAC(hostTx, dukpt.MACRequest)); err != nil {
		t.Errorf("host Verify(request) = %v", err)
	}
	if err := Verify(got, DUKPTMAC(hostTx, dukpt.MACResponse)); !errors.Is(err, ErrMACMismatch) {
		t.Errorf("Verify(request) with the response key = %v, want a mismatch", err)
	}
	resp := respond(got, Approved, nil)
	rraw, err := Sign(SpecBCD, resp, DUKPTMAC(hostTx, dukpt.MACResponse))
	if err != nil {
		t.Fatal(err)
	}
	rgot, _ := SpecBCD.Unpack(rraw)
	if err := Verify(rgot, DUKPTMAC(devTx, dukpt.MACResponse)); err != nil {
		t.Errorf("device Verify(response) = %v", err)
	}
}

// TestAESCMAC signs with AES-CMAC under a plain AES key and under an AES
// DUKPT MAC key (ANSI X9.24-3-2017 sample BDK and KSN).
func TestAESCMAC(t *testing.T) {
	block, err := aes.NewCipher(mustHex("2B7E151628AED2A6ABF7158809CF4F3C"))
	if err != nil {
		t.Fatal(err)
	}
	raw, m := signedPurchase(t, SpecASCII, CMAC(block), false)
	i, _ := m.find(64)
	want := mac.CMAC(block, raw[:m.fields[i].start])[:8]
	if v, _ := m.Field(64); !bytes.Equal(v, want) {
		t.Errorf("field 64 = %X, want the leftmost 8 bytes of CMAC %X", v, want)
	}
	if err := Verify(m, CMAC(block)); err != nil {
		t.Errorf("Verify = %v", err)
	}

	host, err := dukpt.NewAESHost(mustHex("FEDCBA9876543210F1F1F1F1F1F1F1F1"), dukpt.HostConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ksn, err := dukpt.ParseAESKSN(mustHex("123456789012345600000001"))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := host.Transaction(ksn)
	if err != nil {
		t.Fatal(err)
	}
	_, m = signedPurchase(t, SpecBCD, AESDUKPTMAC(tx, dukpt.MACRequest, dukpt.AES128), true)
	if err := Verify(m, AESDUKPTMAC(tx, dukpt.MACRequest, dukpt.AES128)); err != nil {
		t.Errorf("AES DUKPT Verify = %v", err)
	}
	if err := Verify(m, AESDUKPTMAC(tx, dukpt.MACResponse, dukpt.AES128)); !errors.Is(err, ErrMACMismatch) {
		t.Errorf("AES DUKPT Verify with the response key = %v, want a mismatch", err)
	}
}

package dukpt

import (
	"bytes"
	"errors"
	"math/bits"
	"testing"
)

// TestTDESDeviceVectors checks the device against X9.24-1:2009 A.4.2: its
// first 21 transactions have the published KSNs and keys.
func TestTDESDeviceVectors(t *testing.T) {
	v := loadTDES(t)
	d, err := NewTDESDevice(v.IK, KSN(v.IKSN))
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.fk {
		if bytes.Equal(d.fk[i][:], v.IK) {
			t.Fatalf("register %d holds the initial key", i)
		}
	}
	for _, x := range v.Sequences[0].Vectors {
		tx, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if k := tx.KSN(); !bytes.Equal(k[:], x.KSN) {
			t.Fatalf("Next() KSN = %v, want %v", k, x.KSN)
		}
		if got := tx.TransactionKey(); !bytes.Equal(got, x.TransactionKey) {
			t.Errorf("Next() key for %v = %X, want %X", x.KSN, got, []byte(x.TransactionKey))
		}
	}
}

// TestTDESDeviceRollover checks the skipping of counters with more than
// ten one-bits against X9.24-1:2009 A.4.3: a device whose next counter is
// FF800h sends exactly the 13 KSNs of the rollover sequence.
func TestTDESDeviceRollover(t *testing.T) {
	v := loadTDES(t)
	seq := v.Sequences[1].Vectors
	d := seekTDES(t, v.IK, KSN(v.IKSN), KSN(seq[0].KSN).Counter())
	for _, x := range seq {
		tx, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		if k := tx.KSN(); k != KSN(x.KSN) || !bytes.Equal(tx.TransactionKey(), x.TransactionKey) {
			t.Fatalf("Next() = %v %X, want %v %X", k, tx.TransactionKey(), x.KSN, []byte(x.TransactionKey))
		}
	}
}

func TestAESDeviceVectors(t *testing.T) {
	for _, name := range aesFiles {
		v := loadAES(t, name)
		iksn := AESKSN(append(append([]byte{}, v.IKID...), 0, 0, 0, 0))
		d, err := NewAESDevice(v.IK, iksn)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range v.Vectors {
			tx, err := d.Next()
			if err != nil {
				t.Fatal(err)
			}
			if k := tx.KSN(); !bytes.Equal(k[:], x.KSN) {
				t.Fatalf("%s: Next() KSN = %v, want %v", name, k, x.KSN)
			}
			if got := tx.TransactionKey(); !bytes.Equal(got, x.TransactionKey) {
				t.Errorf("%s: Next() key for %v = %X, want %X", name, x.KSN, got, []byte(x.TransactionKey))
			}
			for _, w := range x.WorkingKeys {
				got, err := tx.WorkingKey(usageByName(t, w.Usage), keyTypeByName(t, w.Type))
				if err != nil || !bytes.Equal(got, w.Key) {
					t.Errorf("%s: %v WorkingKey(%s, %s) = %X, %v, want %X", name, x.KSN, w.Usage, w.Type, got, err, []byte(w.Key))
				}
			}
		}
	}
}

// seekTDES builds the state a TDES device has when its next counter is c,
// from the host derivation: the test's way to reach the end of the counter
// space without a million steps.
func seekTDES(t testing.TB, ik []byte, iksn KSN, c uint32) *TDESDevice {
	t.Helper()
	d := &TDESDevice{ksn: iksn, counter: c, valid: expectedRegisters(uint64(c), tdesCounterBits)}
	for m := d.valid; m != 0; m &= m - 1 {
		i := bits.TrailingZeros32(m)
		// Register i holds the key of the bits of c above i, plus bit i.
		rc := c&^(uint32(2)<<i-1) | 1<<i
		k := iksn.WithCounter(rc)
		key, err := TDESTransactionKey(ik, k[:])
		if err != nil {
			t.Fatal(err)
		}
		copy(d.fk[i][:], key)
	}
	return d
}

func seekAES(t testing.TB, ik []byte, iksn AESKSN, c uint64) *AESDevice {
	t.Helper()
	d := &AESDevice{ksn: iksn, counter: c, valid: expectedRegisters(c, aesCounterBits), n: uint8(len(ik))}
	for m := d.valid; m != 0; m &= m - 1 {
		i := bits.TrailingZeros32(m)
		rc := uint32(c)&^(uint32(2)<<i-1) | 1<<i
		k := iksn.WithCounter(rc)
		key, err := AESTransactionKey(ik, k[:])
		if err != nil {
			t.Fatal(err)
		}
		copy(d.fk[i][:], key)
	}
	return d
}

// walkTDES runs d to exhaustion (or for at most limit transactions when
// limit > 0), checking each KSN against KSN.Next and each key against the
// host, and returns the number of transactions.
func walkTDES(t *testing.T, d *TDESDevice, h *TDESHost, limit int) int {
	t.Helper()
	n := 0
	want := d.KSN()
	for {
		if limit > 0 && n == limit {
			return n
		}
		if got := d.valid; got != expectedRegisters(uint64(d.counter), tdesCounterBits) {
			t.Fatalf("after %d transactions: registers %021b, want %021b", n, got, expectedRegisters(uint64(d.counter), tdesCounterBits))
		}
		tx, err := d.Next()
		if err != nil {
			if !errors.Is(err, ErrExhausted) {
				t.Fatalf("Next() after %d transactions: %v", n, err)
			}
			if _, err := want.Next(); err == nil && want.Counter() != 0 {
				t.Fatalf("device exhausted at %v, but KSN.Next continues", want)
			}
			if !d.Exhausted() {
				t.Fatal("Exhausted() = false after ErrExhausted")
			}
			return n
		}
		n++
		k := tx.KSN()
		if k != want {
			t.Fatalf("transaction %d: KSN %v, want %v", n, k, want)
		}
		if err := k.Valid(); err != nil {
			t.Fatalf("transaction %d: KSN %v: %v", n, k, err)
		}
		ht, err := h.Transaction(k)
		if err != nil {
			t.Fatal(err)
		}
		if ht.key != tx.key {
			t.Fatalf("transaction %d: KSN %v: device key differs from host key", n, k)
		}
		if next, err := k.Next(); err == nil {
			want = next
		}
	}
}

// TestTDESDeviceWalk walks the start and the end of the counter space in
// short mode, and all 1,048,575 transactions otherwise.
func TestTDESDeviceWalk(t *testing.T) {
	v := loadTDES(t)
	h, err := NewTDESHost(v.BDK, HostConfig{CacheDevices: 4})
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewTDESDevice(v.IK, KSN(v.IKSN))
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		if n := walkTDES(t, d, h, 3000); n != 3000 {
			t.Fatalf("walked %d transactions, want 3000", n)
		}
		// The last counters: from 1FF800h (ten one-bits) there remain
		// the counters of at most ten one-bits that are >= 1FF800h.
		start := uint32(0x1FF800)
		want := 0
		for c := start; c < 1<<21; c++ {
			if bits.OnesCount32(c) <= 10 {
				want++
			}
		}
		d := seekTDES(t, v.IK, KSN(v.IKSN), start)
		if n := walkTDES(t, d, h, 0); n != want {
			t.Fatalf("walked %d transactions from %06X, want %d", n, start, want)
		}
		// A device in the middle, restored from a state.
		d = seekTDES(t, v.IK, KSN(v.IKSN), 0x0AAAAA)
		if n := walkTDES(t, d, h, 2000); n != 2000 {
			t.Fatalf("walked %d", n)
		}
		return
	}
	if n := walkTDES(t, d, h, 0); n != 1048575 {
		t.Fatalf("device gave %d transactions, want 1,048,575", n)
	}
}

func TestAESDeviceWalk(t *testing.T) {
	for _, name := range aesFiles {
		v := loadAES(t, name)
		iksn := AESKSN(append(append([]byte{}, v.IKID...), 0, 0, 0, 0))
		h, _ := NewAESHost(v.BDK, HostConfig{CacheDevices: 2})
		check := func(d *AESDevice, limit int) int {
			n := 0
			want := d.KSN()
			for ; limit == 0 || n < limit; n++ {
				if d.valid != expectedRegisters(d.counter, aesCounterBits) {
					t.Fatalf("%s: registers %032b, want %032b", name, d.valid, expectedRegisters(d.counter, aesCounterBits))
				}
				tx, err := d.Next()
				if errors.Is(err, ErrExhausted) {
					return n
				} else if err != nil {
					t.Fatal(err)
				}
				if tx.KSN() != want {
					t.Fatalf("%s: KSN %v, want %v", name, tx.KSN(), want)
				}
				ht, _ := h.Transaction(tx.KSN())
				if ht.key != tx.key {
					t.Fatalf("%s: KSN %v: device key differs from host key", name, tx.KSN())
				}
				want, _ = want.Next()
			}
			return n
		}
		d, _ := NewAESDevice(v.IK, iksn)
		check(d, 2000)
		// The end of the counter space: counters >= FFFF0000h with at
		// most 16 one-bits: only FFFF0000h itself.
		d = seekAES(t, v.IK, iksn, 0xFFFE8000)
		if n := check(d, 0); n != 2 {
			t.Errorf("%s: %d transactions from FFFE8000h, want 2 (FFFE8000h, FFFF0000h)", name, n)
		}
		// Around the 17-bit counter of the supplement: 1FFFEh is followed
		// by 20000h.
		d = seekAES(t, v.IK, iksn, 0x1FFFE)
		tx, _ := d.Next()
		if tx.KSN().Counter() != 0x1FFFE || d.KSN().Counter() != 0x20000 {
			t.Errorf("%s: after 1FFFEh the device is at %08X, want 20000h", name, d.KSN().Counter())
		}
		check(d, 100)
	}
}

func TestDeviceErrors(t *testing.T) {
	v := loadTDES(t)
	a := loadAES(t, "aes128_x9_24_3.json")
	aksn := AESKSN(append(append([]byte{}, a.IKID...), 0, 0, 0, 0))
	tests := []struct {
		name string
		f    func() error
		want error
	}{
		{"TDES IK of 8 bytes", func() error { _, err := NewTDESDevice(v.IK[:8], KSN(v.IKSN)); return err }, ErrKeyLength},
		{"TDES KSN with counter", func() error { _, err := NewTDESDevice(v.IK, KSN(v.IKSN).WithCounter(1)); return err }, ErrInitialKSN},
		{"AES IK of 20 bytes", func() error { _, err := NewAESDevice(make([]byte, 20), aksn); return err }, ErrKeyLength},
		{"AES KSN with counter", func() error { _, err := NewAESDevice(a.IK, aksn.WithCounter(5)); return err }, ErrInitialKSN},
		{"TDES exhausted", func() error {
			d := seekTDES(t, v.IK, KSN(v.IKSN), 0x1FF800)
			for !d.Exhausted() {
				if _, err := d.Next(); err != nil {
					return err
				}
			}
			_, err := d.Next()
			return err
		}, ErrExhausted},
		{"AES exhausted", func() error {
			d := seekAES(t, a.IK, aksn, 0xFFFF0000)
			if _, err := d.Next(); err != nil {
				return err
			}
			_, err := d.Next()
			return err
		}, ErrExhausted},
		{"zero TDESDevice", func() error { _, err := new(TDESDevice).Next(); return err }, ErrExhausted},
		{"zero AESDevice", func() error { _, err := new(AESDevice).Next(); return err }, ErrExhausted},
		{"save a zero TDESDevice", func() error { _, err := new(TDESDevice).MarshalBinary(); return err }, ErrState},
		{"save a zero AESDevice", func() error { _, err := new(AESDevice).MarshalBinary(); return err }, ErrState},
	}
	for _, tt := range tests {
		if err := tt.f(); !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
	}
}

package dukpt

import (
	"crypto/des"
	"testing"
	"time"
)

// The worst cases a conforming device can send: ten one-bits for TDES,
// sixteen for AES.
const (
	tdesWorstCounter = 0x1FF800
	aesWorstCounter  = 0xFFFF0000
)

// BenchmarkTDESWorstCase compares the cold host derivation of a 10-bit
// counter with its floor: the 20 DES key schedules (two per step) that
// crypto/des performs for it. The host keeps the BDK's schedules, so the
// initial key costs no schedule.
func BenchmarkTDESWorstCase(b *testing.B) {
	v := loadTDES(b)
	ksn := KSN(v.IKSN).WithCounter(tdesWorstCounter)
	b.Run("schedules", func(b *testing.B) {
		b.ReportAllocs()
		var k [8]byte
		for b.Loop() {
			for i := range 20 {
				k[0] = byte(i)
				c, _ := des.NewCipher(k[:])
				_ = c
			}
		}
	})
	b.Run("host", func(b *testing.B) {
		h, _ := NewTDESHost(v.BDK, HostConfig{})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.Transaction(ksn); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TransactionKey", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := TDESTransactionKey(v.IK, ksn[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ratio", func(b *testing.B) {
		// The floor and the derivation alternate within each iteration,
		// so that both see the same machine load; the metric is the
		// ratio of their total times.
		h, _ := NewTDESHost(v.BDK, HostConfig{})
		var k [8]byte
		var floor, derive time.Duration
		for b.Loop() {
			t0 := time.Now()
			for i := range 20 {
				k[0] = byte(i)
				c, _ := des.NewCipher(k[:])
				_ = c
			}
			t1 := time.Now()
			if _, err := h.Transaction(ksn); err != nil {
				b.Fatal(err)
			}
			t2 := time.Now()
			floor += t1.Sub(t0)
			derive += t2.Sub(t1)
		}
		b.ReportMetric(float64(derive)/float64(floor), "host/schedules")
	})
	b.Run("InitialKey+TransactionKey", func(b *testing.B) {
		// 24 schedules: 4 for the initial key, 20 for the steps.
		b.ReportAllocs()
		for b.Loop() {
			ik, _ := TDESInitialKey(v.BDK, ksn[:])
			if _, err := TDESTransactionKey(ik, ksn[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAESWorstCase derives the key of a 16-bit counter cold: 16 AES
// derivation steps, each under a new key. "before" is the same derivation
// with a crypto/aes cipher per step (aes_stdlib_test.go), as the package
// computed it before internal/aeskey; "ratio" runs both alternately in one
// loop so that both see the same machine load.
func BenchmarkAESWorstCase(b *testing.B) {
	for _, name := range aesFiles {
		v := loadAES(b, name)
		ksn := AESKSN(append(append([]byte{}, v.IKID...), 0, 0, 0, 0)).WithCounter(aesWorstCounter)
		label := "AES128"
		if len(v.BDK) == 32 {
			label = "AES256"
		}
		b.Run(label+"/before", func(b *testing.B) {
			h := newStdlibAESHost(v.BDK)
			b.ReportAllocs()
			for b.Loop() {
				h.derivationKey(ksn)
			}
		})
		b.Run(label+"/host", func(b *testing.B) {
			h, _ := NewAESHost(v.BDK, HostConfig{})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.Transaction(ksn); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(label+"/ratio", func(b *testing.B) {
			h, _ := NewAESHost(v.BDK, HostConfig{})
			ref := newStdlibAESHost(v.BDK)
			var before, after time.Duration
			for b.Loop() {
				t0 := time.Now()
				ref.derivationKey(ksn)
				t1 := time.Now()
				if _, err := h.Transaction(ksn); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				before += t1.Sub(t0)
				after += t2.Sub(t1)
			}
			b.ReportMetric(float64(after)/float64(before), "host/before")
		})
		b.Run(label+"/TransactionKey", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AESTransactionKey(v.IK, ksn[:]); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(label+"/WorkingKey", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AESWorkingKey(v.IK, ksn[:], PINEncryption, AES128); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDeviceNext measures one transaction of a device (amortised over
// the future-key refills), including its state serialisation.
func BenchmarkDeviceNext(b *testing.B) {
	v := loadTDES(b)
	b.Run("TDES", func(b *testing.B) {
		d, _ := NewTDESDevice(v.IK, KSN(v.IKSN))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Next(); err != nil {
				d, _ = NewTDESDevice(v.IK, KSN(v.IKSN))
			}
		}
	})
	b.Run("TDES+MarshalBinary", func(b *testing.B) {
		d, _ := NewTDESDevice(v.IK, KSN(v.IKSN))
		buf := make([]byte, 0, 512)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Next(); err != nil {
				d, _ = NewTDESDevice(v.IK, KSN(v.IKSN))
			}
			buf, _ = d.AppendBinary(buf[:0])
		}
	})
	for _, name := range aesFiles {
		a := loadAES(b, name)
		label := "AES128"
		if len(a.BDK) == 32 {
			label = "AES256"
		}
		b.Run(label, func(b *testing.B) {
			d, _ := NewAESDevice(a.IK, AESKSN(append(append([]byte{}, a.IKID...), 0, 0, 0, 0)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Next(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHostConsecutive derives the keys of 1,000 consecutive KSNs of one
// device (the first 1,000 a device sends), without and with the cache. One
// op is the whole run of 1,000.
func BenchmarkHostConsecutive(b *testing.B) {
	v := loadTDES(b)
	a := loadAES(b, "aes128_x9_24_3.json")
	tksn := make([]KSN, 0, 1000)
	for k, err := KSN(v.IKSN).Next(); err == nil && len(tksn) < 1000; k, err = k.Next() {
		tksn = append(tksn, k)
	}
	aksn := make([]AESKSN, 0, 1000)
	for k, err := AESKSN(append(append([]byte{}, a.IKID...), 0, 0, 0, 0)).Next(); err == nil && len(aksn) < 1000; k, err = k.Next() {
		aksn = append(aksn, k)
	}
	for _, cache := range []int{0, 16} {
		label := "cold"
		if cache > 0 {
			label = "cached"
		}
		b.Run("TDES/"+label, func(b *testing.B) {
			h, _ := NewTDESHost(v.BDK, HostConfig{CacheDevices: cache})
			b.ReportAllocs()
			for b.Loop() {
				for _, k := range tksn {
					if _, err := h.Transaction(k); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run("AES128/"+label, func(b *testing.B) {
			h, _ := NewAESHost(a.BDK, HostConfig{CacheDevices: cache})
			b.ReportAllocs()
			for b.Loop() {
				for _, k := range aksn {
					if _, err := h.Transaction(k); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkTDESData enciphers and deciphers the published data (17 bytes,
// zero-filled to 24) under the request data key of one transaction: the
// working key's one-way step, one TDEA key schedule and three CBC blocks.
func BenchmarkTDESData(b *testing.B) {
	v := loadTDES(b)
	h, _ := NewTDESHost(v.BDK, HostConfig{})
	tx, err := h.Transaction(KSN(v.IKSN).WithCounter(1))
	if err != nil {
		b.Fatal(err)
	}
	data := zeroPad([]byte(v.DataASCII), 8)
	enc, err := tx.Encrypt(DataRequest, nil, data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Encrypt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tx.Encrypt(DataRequest, nil, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Decrypt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tx.Decrypt(DataRequest, nil, enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

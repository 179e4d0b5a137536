package dukpt

import (
	"testing"

	"github.com/posflow/posflow/internal/aeskey"
)

// TestAllocations pins the allocations of the derivation paths, and none
// on the KSN read path. TDES: the DES key schedules are internal/des
// values on the stack, so only a returned key allocates, and TDES data
// encryption allocates only its result. AES with AES-NI: the key
// schedules are internal/aeskey values on the stack, so only a returned
// slice allocates; without AES-NI, one crypto/aes schedule per key
// besides.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	v := loadTDES(t)
	a := loadAES(t, "aes128_x9_24_3.json")
	ksn := KSN(v.IKSN).WithCounter(tdesWorstCounter)
	aksn := AESKSN(append(append([]byte{}, a.IKID...), 0, 0, 0, 0)).WithCounter(aesWorstCounter)
	h, _ := NewTDESHost(v.BDK, HostConfig{})
	a256 := loadAES(t, "aes256_x9_24_3.json")
	aksn256 := AESKSN(append(append([]byte{}, a256.IKID...), 0, 0, 0, 0)).WithCounter(aesWorstCounter)
	ah, _ := NewAESHost(a.BDK, HostConfig{})
	ah256, _ := NewAESHost(a256.BDK, HostConfig{})
	raw := ksn[:]
	tx, _ := h.Transaction(ksn)
	data := make([]byte, 32)
	iv := make([]byte, 8)
	// schedules is the allocations of n AES key schedules.
	schedules := func(n float64) float64 {
		if aeskey.Accelerated() {
			return 0
		}
		return n
	}
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		{"ParseKSN", 0, func() { ParseKSN(raw) }},
		{"KSN.Next", 0, func() { ksn.WithCounter(5).Next() }},
		{"KSN.Valid", 0, func() { _ = ksn.Valid() }},
		{"TDESTransactionKey 10 bits", 1, func() { TDESTransactionKey(v.IK, raw) }},
		{"TDESWorkingKey DataRequest 10 bits", 1, func() { TDESWorkingKey(v.IK, raw, DataRequest) }},
		{"TDESInitialKey", 1, func() { TDESInitialKey(v.BDK, raw) }},
		{"TDESHost.Transaction 10 bits", 1, func() { h.Transaction(ksn) }},
		{"TDESTransaction.Encrypt DataRequest 32 bytes", 1, func() { tx.Encrypt(DataRequest, nil, data) }},
		{"TDESTransaction.Decrypt DataResponse 32 bytes", 1, func() { tx.Decrypt(DataResponse, iv, data) }},
		{"AESTransactionKey 16 bits", 1 + schedules(16), func() { AESTransactionKey(a.IK, aksn[:]) }},
		{"AESWorkingKey 16 bits", 1 + schedules(17), func() { AESWorkingKey(a.IK, aksn[:], PINEncryption, AES128) }},
		{"AESHost.Transaction 16 bits", schedules(16), func() { ah.Transaction(aksn) }},
		{"AESHost.Transaction AES-256 16 bits", schedules(16), func() { ah256.Transaction(aksn256) }},
		{"AESInitialKey", 1 + schedules(1), func() { AESInitialKey(a.BDK, aksn[:]) }},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(50, tt.f); got != tt.want {
			t.Errorf("%s: %v allocations, want %v", tt.name, got, tt.want)
		}
	}

	// A cached consecutive derivation takes one step, two DES schedules on
	// the stack, and returns the key in the host's buffer.
	hc, _ := NewTDESHost(v.BDK, HostConfig{CacheDevices: 1})
	k := KSN(v.IKSN).WithCounter(0x100)
	hc.Transaction(k)
	got := testing.AllocsPerRun(50, func() {
		k, _ = k.Next()
		hc.Transaction(k)
	})
	if got != 0 {
		t.Errorf("cached consecutive derivation: %v allocations, want 0", got)
	}
}

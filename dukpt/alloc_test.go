package dukpt

import (
	"math/bits"
	"testing"
)

// TestAllocations pins the allocations of the derivation paths: one per
// key schedule (crypto/des and crypto/aes allocate their schedules) plus
// the returned key, and none on the KSN read path.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	v := loadTDES(t)
	a := loadAES(t, "aes128_x9_24_3.json")
	ksn := KSN(v.IKSN).WithCounter(tdesWorstCounter)
	aksn := AESKSN(append(append([]byte{}, a.IKID...), 0, 0, 0, 0)).WithCounter(aesWorstCounter)
	h, _ := NewTDESHost(v.BDK, HostConfig{})
	ah, _ := NewAESHost(a.BDK, HostConfig{})
	raw := ksn[:]
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		{"ParseKSN", 0, func() { ParseKSN(raw) }},
		{"KSN.Next", 0, func() { ksn.WithCounter(5).Next() }},
		{"KSN.Valid", 0, func() { _ = ksn.Valid() }},
		{"TDESTransactionKey 10 bits", 1 + 2*10, func() { TDESTransactionKey(v.IK, raw) }},
		{"TDESHost.Transaction 10 bits", 1 + 2*10, func() { h.Transaction(ksn) }},
		{"AESTransactionKey 16 bits", 1 + 16, func() { AESTransactionKey(a.IK, aksn[:]) }},
		{"AESHost.Transaction 16 bits", 1 + 16, func() { ah.Transaction(aksn) }},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(50, tt.f); got != tt.want {
			t.Errorf("%s: %v allocations, want %v", tt.name, got, tt.want)
		}
	}

	// A cached consecutive derivation takes one step: two DES schedules.
	hc, _ := NewTDESHost(v.BDK, HostConfig{CacheDevices: 1})
	k := KSN(v.IKSN).WithCounter(0x100)
	hc.Transaction(k)
	got := testing.AllocsPerRun(50, func() {
		k, _ = k.Next()
		hc.Transaction(k)
	})
	// Averaged over counters 101h…, most take one step; none more than
	// the one-bits of the counter.
	if got > 2*float64(bits.OnesCount32(k.Counter())) {
		t.Errorf("cached consecutive derivation: %v allocations", got)
	}
}

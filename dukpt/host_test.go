package dukpt

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

func TestTDESHostVectors(t *testing.T) {
	v := loadTDES(t)
	for _, size := range []int{0, 1} {
		h, err := NewTDESHost(v.BDK, HostConfig{CacheDevices: size})
		if err != nil {
			t.Fatal(err)
		}
		if ik := h.InitialKey(KSN(v.IKSN)); !bytes.Equal(ik, v.IK) {
			t.Errorf("InitialKey = %X, want %X", ik, []byte(v.IK))
		}
		for _, x := range v.all() {
			tx, err := h.Transaction(KSN(x.KSN))
			if err != nil {
				t.Fatal(err)
			}
			if got := tx.TransactionKey(); !bytes.Equal(got, x.TransactionKey) {
				t.Errorf("cache %d: Transaction(%v) key = %X, want %X", size, x.KSN, got, []byte(x.TransactionKey))
			}
		}
	}
}

func TestAESHostVectors(t *testing.T) {
	for _, name := range aesFiles {
		v := loadAES(t, name)
		for _, size := range []int{0, 1} {
			h, err := NewAESHost(v.BDK, HostConfig{CacheDevices: size})
			if err != nil {
				t.Fatal(err)
			}
			iksn := AESKSN(append(append([]byte{}, v.IKID...), 0, 0, 0, 0))
			if ik := h.InitialKey(iksn); !bytes.Equal(ik, v.IK) {
				t.Errorf("%s: InitialKey = %X, want %X", name, ik, []byte(v.IK))
			}
			check := func(ksn, want []byte) {
				tx, err := h.Transaction(AESKSN(ksn))
				if err != nil {
					t.Fatal(err)
				}
				if got := tx.TransactionKey(); !bytes.Equal(got, want) {
					t.Errorf("%s: cache %d: Transaction(%X) = %X, want %X", name, size, ksn, got, want)
				}
			}
			for _, x := range v.Vectors {
				check(x.KSN, x.TransactionKey)
			}
			for _, x := range v.Counters {
				check(x.KSN, x.TransactionKey)
			}
			for _, u := range v.UpdateKeys {
				got, err := h.UpdateKey(iksn, keyTypeByName(t, u.Type))
				if err != nil || !bytes.Equal(got, u.Key) {
					t.Errorf("%s: UpdateKey(%s) = %X, %v, want %X", name, u.Type, got, err, []byte(u.Key))
				}
			}
		}
	}
}

// TestHostCacheRandom compares cached and cold derivation over random
// counters of several devices, with a cache smaller than the number of
// devices so that entries are evicted.
func TestHostCacheRandom(t *testing.T) {
	v := loadTDES(t)
	a := loadAES(t, "aes256_x9_24_3.json")
	cold, _ := NewTDESHost(v.BDK, HostConfig{})
	hot, _ := NewTDESHost(v.BDK, HostConfig{CacheDevices: 3})
	acold, _ := NewAESHost(a.BDK, HostConfig{})
	ahot, _ := NewAESHost(a.BDK, HostConfig{CacheDevices: 3})
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		dev := byte(r.IntN(5))
		c := r.Uint32()
		switch r.IntN(3) {
		case 0:
			c &= 0xFF // small counters share long prefixes
		case 1:
			c = uint32(i) // consecutive
		}
		if c == 0 {
			c = 1
		}
		k := KSN(v.IKSN)
		k[0] ^= dev
		k = k.WithCounter(c)
		x, _ := cold.Transaction(k)
		y, err := hot.Transaction(k)
		if err != nil || x.key != y.key {
			t.Fatalf("TDES KSN %v: cached key differs from cold key (%v)", k, err)
		}
		ak := AESKSN(append(append([]byte{}, a.IKID...), 0, 0, 0, 0))
		ak[3] ^= dev
		ak = ak.WithCounter(c)
		ax, _ := acold.Transaction(ak)
		ay, err := ahot.Transaction(ak)
		if err != nil || ax.key != ay.key {
			t.Fatalf("AES KSN %v: cached key differs from cold key (%v)", ak, err)
		}
	}
	if n := hot.cache.len(); n > 3 {
		t.Errorf("cache holds %d devices, bound is 3", n)
	}
}

// TestHostConcurrent runs derivations for overlapping devices from many
// goroutines; run it with -race.
func TestHostConcurrent(t *testing.T) {
	v := loadTDES(t)
	cold, _ := NewTDESHost(v.BDK, HostConfig{})
	hot, _ := NewTDESHost(v.BDK, HostConfig{CacheDevices: 2})
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i < 200; i++ {
				k := KSN(v.IKSN)
				k[1] ^= byte((g + i) % 3)
				k = k.WithCounter(uint32(i))
				x, _ := cold.Transaction(k)
				y, err := hot.Transaction(k)
				if err != nil || x.key != y.key {
					errc <- fmt.Errorf("KSN %v: cached key differs (%v)", k, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

func TestHostErrors(t *testing.T) {
	if _, err := NewTDESHost(make([]byte, 24), HostConfig{}); !errors.Is(err, ErrKeyLength) {
		t.Errorf("NewTDESHost(24 bytes) error %v", err)
	}
	if _, err := NewAESHost(make([]byte, 20), HostConfig{}); !errors.Is(err, ErrKeyLength) {
		t.Errorf("NewAESHost(20 bytes) error %v", err)
	}
	h, _ := NewTDESHost(make([]byte, 16), HostConfig{CacheDevices: 1})
	if _, err := h.Transaction(KSN{}); !errors.Is(err, ErrCounterZero) {
		t.Errorf("Transaction(counter 0) error %v", err)
	}
	ah, _ := NewAESHost(make([]byte, 16), HostConfig{CacheDevices: 1})
	if _, err := ah.Transaction(AESKSN{}); !errors.Is(err, ErrCounterZero) {
		t.Errorf("AES Transaction(counter 0) error %v", err)
	}
	if _, err := ah.UpdateKey(AESKSN{}, AES256); !errors.Is(err, ErrKeyStrength) {
		t.Errorf("AES-256 update key under an AES-128 BDK: error %v", err)
	}
}

// TestNoKeyInOutput prints transactions with every verb and checks that
// the key does not appear.
func TestNoKeyInOutput(t *testing.T) {
	v := loadTDES(t)
	h, _ := NewTDESHost(v.BDK, HostConfig{})
	tx, _ := h.Transaction(KSN(v.Sequences[0].Vectors[0].KSN))
	a := loadAES(t, "aes128_x9_24_3.json")
	ah, _ := NewAESHost(a.BDK, HostConfig{})
	atx, _ := ah.Transaction(AESKSN(a.Vectors[0].KSN))
	for _, c := range []struct {
		v   any
		key []byte
	}{{tx, tx.TransactionKey()}, {&tx, tx.TransactionKey()}, {atx, atx.TransactionKey()}, {&atx, atx.TransactionKey()}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
			s := strings.ToUpper(fmt.Sprintf(verb, c.v))
			for _, enc := range []string{fmt.Sprintf("%X", c.key), fmt.Sprintf("%X", c.key[:4]), fmt.Sprint(c.key[:4])} {
				if strings.Contains(s, strings.ToUpper(enc)) {
					t.Errorf("%s of a transaction prints its key: %s", verb, s)
				}
			}
		}
	}
}

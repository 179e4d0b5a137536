package aeskey

import (
	"bytes"
	"crypto/aes"
	"math/rand/v2"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
)

type vector struct {
	Name       string
	Key        testvec.Hex
	Plaintext  testvec.Hex
	Ciphertext testvec.Hex
}

// implementations runs f once with the assembly, where the machine has it,
// and once with the crypto/aes fallback.
func implementations(t *testing.T, f func(t *testing.T)) {
	saved := useAESNI
	defer func() { useAESNI = saved }()
	if saved {
		t.Run("AES-NI", f)
	} else {
		t.Log("no AES-NI assembly on this machine or build; testing the fallback only")
	}
	useAESNI = false
	t.Run("crypto/aes", f)
}

func TestFIPS197(t *testing.T) {
	var file struct{ Vectors []vector }
	testvec.Load(t, "fips197.json", &file)
	if len(file.Vectors) != 4 {
		t.Fatalf("%d vectors, want 4", len(file.Vectors))
	}
	implementations(t, func(t *testing.T) {
		for _, v := range file.Vectors {
			t.Run(v.Name, func(t *testing.T) {
				var s Schedule
				s.Expand(v.Key)
				got := make([]byte, BlockSize)
				s.Encrypt(got, v.Plaintext)
				if !bytes.Equal(got, v.Ciphertext) {
					t.Errorf("Encrypt(%X) under %X = %X, want %X", []byte(v.Plaintext), []byte(v.Key), got, []byte(v.Ciphertext))
				}
				// In place.
				buf := bytes.Clone(v.Plaintext)
				s.Encrypt(buf, buf)
				if !bytes.Equal(buf, v.Ciphertext) {
					t.Errorf("in-place Encrypt(%X) = %X, want %X", []byte(v.Plaintext), buf, []byte(v.Ciphertext))
				}
			})
		}
	})
}

// TestAgainstCryptoAES compares Expand and Encrypt with crypto/aes over
// random keys of every length, several blocks per key, with a Schedule
// reused from key to key as the DUKPT derivation reuses it.
func TestAgainstCryptoAES(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	implementations(t, func(t *testing.T) {
		r := rand.New(rand.NewChaCha8([32]byte{'a', 'e', 's'}))
		var s Schedule
		key := make([]byte, 32)
		src := make([]byte, BlockSize)
		got, want := make([]byte, BlockSize), make([]byte, BlockSize)
		for i := range n {
			k := key[:[]int{16, 24, 32}[i%3]]
			fill(r, k)
			s.Expand(k)
			c, err := aes.NewCipher(k)
			if err != nil {
				t.Fatal(err)
			}
			for range 4 {
				fill(r, src)
				s.Encrypt(got, src)
				c.Encrypt(want, src)
				if !bytes.Equal(got, want) {
					t.Fatalf("Encrypt(%X) under %X = %X, crypto/aes %X", src, k, got, want)
				}
			}
		}
	})
}

func fill(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

// TestSchedule checks the round keys the assembly writes against FIPS 197
// Appendix A, which lists the expansion of three keys word by word.
func TestSchedule(t *testing.T) {
	if !useAESNI {
		t.Skip("no AES-NI assembly: the fallback keeps crypto/aes's schedule")
	}
	var file struct {
		Expansions []struct {
			Name        string
			Key         testvec.Hex
			First, Last testvec.Hex // w[Nk] and w[4*Nr+3]
		}
	}
	testvec.Load(t, "fips197.json", &file)
	if len(file.Expansions) != 3 {
		t.Fatalf("%d expansions, want 3", len(file.Expansions))
	}
	for _, v := range file.Expansions {
		t.Run(v.Name, func(t *testing.T) {
			var s Schedule
			s.Expand(v.Key)
			nk := len(v.Key) / 4
			if !bytes.Equal(s.rk[:len(v.Key)], v.Key) {
				t.Errorf("w[0..%d] = %X, want the key %X", nk-1, s.rk[:len(v.Key)], []byte(v.Key))
			}
			if got := s.rk[4*nk : 4*nk+4]; !bytes.Equal(got, v.First) {
				t.Errorf("w[%d] = %X, want %X", nk, got, []byte(v.First))
			}
			last := 4*s.rounds + 3
			if got := s.rk[4*last : 4*last+4]; !bytes.Equal(got, v.Last) {
				t.Errorf("w[%d] = %X, want %X", last, got, []byte(v.Last))
			}
		})
	}
}

func TestClear(t *testing.T) {
	implementations(t, func(t *testing.T) {
		var s Schedule
		s.Expand(bytes.Repeat([]byte{0x5A}, 32))
		s.Clear()
		if s != (Schedule{}) {
			t.Error("Clear left key material in the Schedule")
		}
		defer func() {
			if recover() == nil {
				t.Error("Encrypt after Clear did not panic")
			}
		}()
		s.Encrypt(make([]byte, 16), make([]byte, 16))
	})
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"key of 15 bytes", func() { new(Schedule).Expand(make([]byte, 15)) }},
		{"key of 0 bytes", func() { new(Schedule).Expand(nil) }},
		{"key of 33 bytes", func() { new(Schedule).Expand(make([]byte, 33)) }},
		{"empty schedule", func() { new(Schedule).Encrypt(make([]byte, 16), make([]byte, 16)) }},
		{"short src", func() {
			var s Schedule
			s.Expand(make([]byte, 16))
			s.Encrypt(make([]byte, 16), make([]byte, 15))
		}},
		{"short dst", func() {
			var s Schedule
			s.Expand(make([]byte, 16))
			s.Encrypt(make([]byte, 15), make([]byte, 16))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tt.name)
				}
			}()
			tt.f()
		})
	}
}

// TestAllocations pins the point of the package: with AES-NI, a Schedule
// on the stack, its expansion and its encryptions allocate nothing. The
// fallback allocates the crypto/aes cipher in Expand, and nothing in
// Encrypt.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops buffers at random under the race detector")
	}
	implementations(t, func(t *testing.T) {
		want := 0.0
		if !useAESNI {
			want = 1
		}
		key := make([]byte, 32)
		for _, n := range []int{16, 24, 32} {
			got := testing.AllocsPerRun(100, func() {
				var s Schedule
				var b [BlockSize]byte
				s.Expand(key[:n])
				s.Encrypt(b[:], b[:])
				s.Encrypt(b[:], b[:])
				s.Clear()
			})
			if got != want {
				t.Errorf("AES-%d: %v allocations, want %v", 8*n, got, want)
			}
		}
	})
}

package qr

import "testing"

// The figures in the README come from
//
//	go test -run '^$' -bench . -benchmem -count 3 -cpu 1 ./emv/qr

func BenchmarkCursor(b *testing.B) {
	v := loadMPMVectors(b)[0].Payload
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		walk(v)
	}
}

func BenchmarkParseMPM(b *testing.B) {
	v := loadMPMVectors(b)[0].Payload
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseMPM(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendMPM(b *testing.B) {
	v := loadMPMVectors(b)[0].Payload
	m, err := ParseMPM(v)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 512)
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = m.AppendPayload(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDynamicPayload(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		amt, _ := FormatAmount(2372, 2)
		if _, err := pixMerchant.Dynamic(amt).Payload(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCPM(b *testing.B) {
	v := loadCPMVectors(b)[0].Base64
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCPM(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewSymbol(b *testing.B) {
	v := loadMPMVectors(b)[0].Payload
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewSymbol(v); err != nil {
			b.Fatal(err)
		}
	}
}

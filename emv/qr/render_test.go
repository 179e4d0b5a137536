package qr

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWritePNG(t *testing.T) {
	payload := loadMPMVectors(t)[0].Payload
	s, err := NewSymbol(payload)
	if err != nil {
		t.Fatal(err)
	}
	// 260 bytes of UTF-8 in byte mode at level M need version 12 (version
	// 11-M holds 251 bytes, 12-M 287): 17+4*12 = 65 modules a side.
	const n = 65
	if s.Size() != n {
		t.Errorf("Size() = %d, want %d", s.Size(), n)
	}
	for _, size := range []int{0, n + 8, 300, 1000} {
		var buf bytes.Buffer
		if err := WritePNG(&buf, payload, size); err != nil {
			t.Fatalf("WritePNG(size %d) = %v", size, err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("png.Decode = %v", err)
		}
		want := size
		if size == 0 {
			want = 8 * (n + 2*QuietZone)
		}
		if b := img.Bounds(); b.Dx() != want || b.Dy() != want {
			t.Errorf("WritePNG(size %d): image is %v, want %dx%d", size, b, want, want)
		}
		// The corner is quiet zone (white); the top-left finder pattern
		// begins with a dark module at the quiet zone's inner corner.
		scale := want / (n + 2*QuietZone)
		margin := (want - scale*n) / 2
		if r, _, _, _ := img.At(0, 0).RGBA(); r != 0xFFFF {
			t.Errorf("size %d: corner pixel is not white", size)
		}
		if r, _, _, _ := img.At(margin, margin).RGBA(); r != 0 {
			t.Errorf("size %d: finder pattern pixel at %d is not black", size, margin)
		}
		if r, _, _, _ := img.At(margin-1, margin-1).RGBA(); r != 0xFFFF {
			t.Errorf("size %d: pixel before the finder pattern is not white", size)
		}
	}
	if err := WritePNG(&bytes.Buffer{}, payload, n+7); err == nil {
		t.Error("WritePNG(size n+7), below one pixel a module, succeeded")
	}
	if err := WritePNG(&bytes.Buffer{}, "", 100); err == nil {
		t.Error("WritePNG of an empty payload succeeded")
	}
	if err := WritePNG(&bytes.Buffer{}, strings.Repeat("x", 3000), 0); err == nil {
		t.Error("WritePNG of 3000 bytes, over the capacity of version 40-M, succeeded")
	}
}

func TestRenderTerminal(t *testing.T) {
	payload := loadMPMVectors(t)[0].Payload
	const n = 65 // see TestWritePNG
	for _, inverse := range []bool{false, true} {
		var buf bytes.Buffer
		render := RenderTerminal
		if inverse {
			render = RenderTerminalInverse
		}
		if err := render(&buf, payload); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if len(lines) != (n+9)/2 {
			t.Errorf("inverse %v: %d lines, want %d", inverse, len(lines), (n+9)/2)
		}
		for i, l := range lines {
			if got := utf8.RuneCountInString(l); got != n+2*QuietZone {
				t.Fatalf("inverse %v: line %d has %d characters, want %d", inverse, i, got, n+2*QuietZone)
			}
		}
		// Line 2 holds module rows 0 and 1 (after two lines of quiet zone);
		// its fifth character is the finder pattern's top-left corner, dark
		// in both rows.
		corner := []rune(lines[2])[QuietZone]
		want := ' '
		if inverse {
			want = '█'
		}
		if corner != want {
			t.Errorf("inverse %v: finder corner drawn as %q, want %q", inverse, corner, want)
		}
	}
}

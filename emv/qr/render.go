package qr

import (
	"bufio"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// QuietZone is the width, in modules, of the light margin drawn around a
// symbol: four modules, as ISO/IEC 18004 requires.
const QuietZone = 4

// A Symbol is a QR code symbol (ISO/IEC 18004): a square of dark and light
// modules, without its quiet zone.
type Symbol struct {
	size int
	dark []bool // size*size, row by row
}

// NewSymbol encodes payload as a QR code symbol in byte mode (the UTF-8
// bytes of the payload) at error correction level M, with the smallest
// version that holds it and the mask pattern of least penalty.
func NewSymbol(payload string) (*Symbol, error) {
	if payload == "" {
		return nil, errors.New("qr: empty payload")
	}
	code, err := qrcode.NewWith(payload,
		qrcode.WithEncodingMode(qrcode.EncModeByte),
		qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, errors.New("qr: cannot encode the payload as a QR code: " + err.Error())
	}
	var m matrixWriter
	if err := code.Save(&m); err != nil {
		return nil, err
	}
	if len(m.bits) == 0 || len(m.bits) != len(m.bits[0]) {
		return nil, errors.New("qr: QR encoder returned no square matrix")
	}
	s := &Symbol{size: len(m.bits), dark: make([]bool, 0, len(m.bits)*len(m.bits))}
	for _, row := range m.bits {
		s.dark = append(s.dark, row...)
	}
	return s, nil
}

// matrixWriter receives the module matrix from the QR encoder.
type matrixWriter struct{ bits [][]bool }

func (w *matrixWriter) Write(mat qrcode.Matrix) error {
	w.bits = mat.Bitmap()
	return nil
}

func (w *matrixWriter) Close() error { return nil }

// Size returns the number of modules on a side: 21 for version 1, four
// more a version, up to 177.
func (s *Symbol) Size() int { return s.size }

// Dark reports whether the module at column x, row y is dark. Modules
// outside the symbol, in the quiet zone, are light.
func (s *Symbol) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= s.size || y >= s.size {
		return false
	}
	return s.dark[y*s.size+x]
}

// Image returns an image of the symbol and its quiet zone, size pixels
// wide and high, dark modules black on white. Each module is drawn as a
// square of size/(Size()+8) pixels; the pixels left over widen the quiet
// zone, keeping the symbol centred. A size of 0 draws each module as 8 by
// 8 pixels. Image returns an error if size leaves less than one pixel a
// module.
func (s *Symbol) Image(size int) (*image.Paletted, error) {
	modules := s.size + 2*QuietZone
	if size == 0 {
		size = 8 * modules
	}
	scale := size / modules
	if scale < 1 {
		return nil, errors.New("qr: image too small for the symbol: want at least one pixel a module")
	}
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	margin := (size - scale*s.size) / 2
	for y := 0; y < s.size; y++ {
		for x := 0; x < s.size; x++ {
			if !s.Dark(x, y) {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				row := img.Pix[(margin+y*scale+dy)*img.Stride:]
				for dx := 0; dx < scale; dx++ {
					row[margin+x*scale+dx] = 1
				}
			}
		}
	}
	return img, nil
}

// WritePNG writes payload as a PNG image of its QR code symbol, size pixels
// wide and high (0 for 8 pixels a module), to w. See Symbol.Image.
func WritePNG(w io.Writer, payload string, size int) error {
	s, err := NewSymbol(payload)
	if err != nil {
		return err
	}
	img, err := s.Image(size)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// RenderTerminal writes payload's QR code symbol to w as text for a
// terminal with light text on a dark background, the usual default: each
// character is two modules stacked, drawn with the Unicode half blocks
// "▀", "▄" and the full block "█", light modules in the text colour and dark
// ones left as background. The quiet zone is drawn too, so each line holds
// Size()+8 characters and there are (Size()+9)/2 lines.
func RenderTerminal(w io.Writer, payload string) error {
	s, err := NewSymbol(payload)
	if err != nil {
		return err
	}
	return s.WriteText(w, false)
}

// RenderTerminalInverse is RenderTerminal for dark text on a light
// background: dark modules are drawn in the text colour.
func RenderTerminalInverse(w io.Writer, payload string) error {
	s, err := NewSymbol(payload)
	if err != nil {
		return err
	}
	return s.WriteText(w, true)
}

// WriteText writes the symbol with its quiet zone as half-block text, as
// RenderTerminal does, or as RenderTerminalInverse does if darkInk is set.
func (s *Symbol) WriteText(w io.Writer, darkInk bool) error {
	bw := bufio.NewWriter(w)
	ink := func(x, y int) bool {
		if y >= s.size+QuietZone { // the row below the bottom quiet zone
			return false
		}
		return s.Dark(x, y) == darkInk
	}
	for y := -QuietZone; y < s.size+QuietZone; y += 2 {
		for x := -QuietZone; x < s.size+QuietZone; x++ {
			top, bottom := ink(x, y), ink(x, y+1)
			switch {
			case top && bottom:
				bw.WriteString("█")
			case top:
				bw.WriteString("▀")
			case bottom:
				bw.WriteString("▄")
			default:
				bw.WriteByte(' ')
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

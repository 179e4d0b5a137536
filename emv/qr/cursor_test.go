package qr

import (
	"errors"
	"strings"
	"testing"
)

func TestCursor(t *testing.T) {
	in := "000201" + "64200002ZH0104最佳运输0202北京" + "6304A13A"
	c := NewCursor(in)
	var got []string
	for c.Next() {
		got = append(got, c.ID().String()+"@"+itoa(c.Offset())+"="+c.Value())
		if c.ID() == IDLanguageTemplate {
			cc := c.Children()
			for cc.Next() {
				got = append(got, c.ID().String()+"."+cc.ID().String()+"@"+itoa(cc.Offset())+"="+cc.Value())
			}
			if cc.Err() != nil {
				t.Fatal(cc.Err())
			}
			if c.Raw() != "64200002ZH0104最佳运输0202北京" {
				t.Errorf("Raw() = %q", c.Raw())
			}
		}
	}
	if c.Err() != nil {
		t.Fatal(c.Err())
	}
	want := "00@0=01 64@6=0002ZH0104最佳运输0202北京 64.00@10=ZH 64.01@16=最佳运输 64.02@32=北京 63@42=A13A"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("cursor read\n%s\nwant\n%s", s, want)
	}
	if c.Rest() != "" || c.Next() {
		t.Error("cursor not at the end")
	}
}

func TestCursorErrors(t *testing.T) {
	tests := []struct {
		in   string
		err  error
		path string
		off  int
	}{
		{"0", ErrTruncated, "", 0},
		{"0002010", ErrTruncated, "", 6},
		{"000", ErrTruncated, "00", 0},
		{"0003", ErrTruncated, "00", 0},
		{"000201x1", ErrID, "", 6},
		{"00x1", ErrLength, "00", 0},
		{"0000", ErrLength, "00", 0},
		{"0002\xc3(", ErrUTF8, "00", 0},
		{"0002\xe6\x9c", ErrUTF8, "00", 0},
	}
	for _, tt := range tests {
		c := NewCursor(tt.in)
		for c.Next() {
		}
		var oe *ObjectError
		if !errors.As(c.Err(), &oe) || !errors.Is(oe, tt.err) || oe.Path != tt.path || oe.Offset != tt.off {
			t.Errorf("cursor over %q: %v, want %v at ID %q offset %d", tt.in, c.Err(), tt.err, tt.path, tt.off)
		}
		if c.Next() {
			t.Errorf("cursor over %q went on after an error", tt.in)
		}
	}
}

// TestCursorAllocs pins the read path at zero allocations: a cursor over
// the EMVCo example and every template in it.
func TestCursorAllocs(t *testing.T) {
	v := loadMPMVectors(t)[0].Payload
	n := testing.AllocsPerRun(100, func() { walk(v) })
	if n != 0 {
		t.Errorf("cursor walk allocates %v times, want 0", n)
	}
}

// walk reads every data object of a payload, templates included, and
// returns how many there are.
func walk(payload string) int {
	n := 0
	c := NewCursor(payload)
	for c.Next() {
		n++
		if c.ID().IsTemplate() {
			cc := c.Children()
			for cc.Next() {
				n++
			}
		}
	}
	return n
}

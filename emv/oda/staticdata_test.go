package oda

import (
	"bytes"
	"testing"
)

func TestAppendStaticData(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sfi    int
		record []byte
		want   []byte // nil: ErrStaticData
	}{
		{"SFI 1: value of template 70", 1, []byte{0x70, 0x03, 0x5F, 0x34, 0x00}, []byte{0x5F, 0x34, 0x00}},
		{"SFI 10: padding and long-form length kept", 10, []byte{0x70, 0x81, 0x05, 0x00, 0x5A, 0x81, 0x01, 0x54}, []byte{0x00, 0x5A, 0x81, 0x01, 0x54}},
		{"SFI 11: the whole record", 11, []byte{0x70, 0x02, 0x01, 0x02}, []byte{0x70, 0x02, 0x01, 0x02}},
		{"SFI 30: any bytes", 30, []byte{0xFF}, []byte{0xFF}},
		{"SFI 2: empty template", 2, []byte{0x70, 0x00}, []byte{}},
		{"SFI 1: template 77, not 70", 1, []byte{0x77, 0x00}, nil},
		{"SFI 1: data after the template", 1, []byte{0x70, 0x00, 0x5A, 0x00}, nil},
		{"SFI 1: truncated template", 1, []byte{0x70, 0x05, 0x00}, nil},
		{"SFI 1: empty record", 1, nil, nil},
		{"SFI 0", 0, []byte{0x70, 0x00}, nil},
		{"SFI 31", 31, []byte{0x70, 0x00}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AppendStaticData([]byte{0xAA}, tc.sfi, tc.record)
			if tc.want == nil {
				wantErr(t, tc.name, err, ErrStaticData)
				return
			}
			if err != nil || !bytes.Equal(got, append([]byte{0xAA}, tc.want...)) {
				t.Errorf("AppendStaticData(%d, %X) = %X, %v; want AA%X", tc.sfi, tc.record, got, err, tc.want)
			}
		})
	}
}

func TestAppendSDATagList(t *testing.T) {
	aip := []byte{0x39, 0x00}
	for _, tc := range []struct {
		name       string
		list, aip  []byte
		want       []byte
		wantFailed bool
	}{
		{"absent", nil, aip, nil, false},
		{"82", []byte{0x82}, aip, aip, false},
		{"82 with a 1-byte AIP", []byte{0x82}, aip[:1], nil, true},
		{"9F4A naming 5A", []byte{0x5A}, aip, nil, true},
		{"82 twice", []byte{0x82, 0x82}, aip, nil, true},
	} {
		got, err := AppendSDATagList(nil, tc.list, tc.aip)
		if tc.wantFailed {
			wantErr(t, tc.name, err, ErrStaticData)
			continue
		}
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("%s: AppendSDATagList = %X, %v; want %X", tc.name, got, err, tc.want)
		}
	}
}

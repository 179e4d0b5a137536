package iso8583

import (
	"bytes"
	"context"
	"encoding/hex"
	"maps"
	"strings"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/exp/emv"
	"github.com/moov-io/iso8583/field"
	"github.com/posflow/posflow/tlv"
)

// The benchmarks run on a typical 0200 purchase (testPurchase): 20 fields
// and the MTI, with track 2, a PIN block and a 150-byte field 55 of 21 data
// objects, 330 bytes packed with SpecASCII.

func benchPurchase() *FinancialRequest {
	m := testPurchase("000123", "TERM0001")
	r, err := ReadFinancialRequest(m)
	if err != nil {
		panic(err)
	}
	return r
}

// moovFields lists the fields of the purchase as strings, for moov's Field
// API.
func moovFields(m *Message) (ids []int, text []string) {
	for id, v := range m.All() {
		ids = append(ids, id)
		text = append(text, string(v))
	}
	return ids, text
}

func moovBuild(spec *moov.MessageSpec, m *Message) *moov.Message {
	mm := moov.NewMessage(spec)
	mm.MTI(string(m.MTI))
	for id, v := range m.All() {
		var err error
		if SpecASCII.fields[id].class == classB {
			err = mm.BinaryField(id, v)
		} else {
			err = mm.Field(id, string(v))
		}
		if err != nil {
			panic(err)
		}
	}
	return mm
}

// compositeSpec is SpecASCII as a moov spec with field 55 replaced by moov's
// experimental EMV composite (BER-TLV subfields as Hex fields).
func compositeSpec() *moov.MessageSpec {
	fs := maps.Clone(SpecASCII.Moov().Fields)
	fs[55] = field.NewComposite(emv.Spec)
	return &moov.MessageSpec{Name: "composite 55", Fields: fs}
}

type iccObject struct {
	path string // "55.9F26"
	hex  string
}

func iccObjects() []iccObject {
	var out []iccObject
	c := tlv.NewCursor(testICC)
	for c.Next() {
		out = append(out, iccObject{"55." + strings.ToUpper(hex.EncodeToString(tlv.AppendTag(nil, c.Tag()))), strings.ToUpper(hex.EncodeToString(c.Value()))})
	}
	return out
}

func compositeBuild(spec *moov.MessageSpec, m *Message, icc []iccObject) *moov.Message {
	mm := moov.NewMessage(spec)
	mm.MTI(string(m.MTI))
	for id, v := range m.All() {
		var err error
		switch {
		case id == 55:
			for _, o := range icc {
				err = mm.MarshalPath(o.path, o.hex)
				if err != nil {
					break
				}
			}
		case SpecASCII.fields[id].class == classB:
			err = mm.BinaryField(id, v)
		default:
			err = mm.Field(id, string(v))
		}
		if err != nil {
			panic(err)
		}
	}
	return mm
}

// TestBenchmarkPeersAgree checks that the peers of the benchmarks produce
// and read the same message, so that the figures compare like with like.
func TestBenchmarkPeersAgree(t *testing.T) {
	r := benchPurchase()
	m, err := r.Message()
	if err != nil {
		t.Fatal(err)
	}
	ours, err := SpecASCII.Pack(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(testICC) != 150 {
		t.Fatalf("field 55 is %d bytes", len(testICC))
	}
	raw, err := moovBuild(SpecASCII.Moov(), m).Pack()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, ours) {
		t.Fatalf("moov packs\n%X\nwe pack\n%X", raw, ours)
	}
	cs := compositeSpec()
	icc := iccObjects()
	comp, err := compositeBuild(cs, m, icc).Pack()
	if err != nil {
		t.Fatal(err)
	}
	if len(comp) != len(ours) {
		t.Errorf("composite message is %d bytes, ours %d", len(comp), len(ours))
	}
	cm := moov.NewMessage(cs)
	if err := cm.Unpack(comp); err != nil {
		t.Fatal(err)
	}
	for _, o := range icc {
		var got string
		if err := cm.UnmarshalPath(o.path, &got); err != nil || got != o.hex {
			t.Errorf("composite %s = %q, %v; want %s", o.path, got, err, o.hex)
		}
	}
	t.Logf("packed 0200: %d bytes", len(ours))
}

func BenchmarkPurchase0200(b *testing.B) {
	req := benchPurchase()
	m, _ := req.Message()
	packed, err := SpecASCII.Pack(m)
	if err != nil {
		b.Fatal(err)
	}
	ids, _ := moovFields(m)
	moovSpec := SpecASCII.Moov()
	cs := compositeSpec()
	icc := iccObjects()
	compPacked, err := compositeBuild(cs, m, icc).Pack()
	if err != nil {
		b.Fatal(err)
	}

	b.Run("posflow/BuildPack", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 512)
		for b.Loop() {
			m, err := req.Message()
			if err != nil {
				b.Fatal(err)
			}
			if buf, err = SpecASCII.AppendPack(buf[:0], m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("posflow/UnpackRead", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, err := SpecASCII.Unpack(packed)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ReadFinancialRequest(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("moov/BuildPack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := moovBuild(moovSpec, m).Pack(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("moov/UnpackRead", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mm := moov.NewMessage(moovSpec)
			if err := mm.Unpack(packed); err != nil {
				b.Fatal(err)
			}
			for _, id := range ids {
				if _, err := mm.GetBytes(id); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("moov-emv-composite/BuildPack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := compositeBuild(cs, m, icc).Pack(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("moov-emv-composite/UnpackRead", func(b *testing.B) {
		b.ReportAllocs()
		var s string
		for b.Loop() {
			mm := moov.NewMessage(cs)
			if err := mm.Unpack(compPacked); err != nil {
				b.Fatal(err)
			}
			for _, id := range ids {
				if id == 55 {
					for _, o := range icc {
						if err := mm.UnmarshalPath(o.path, &s); err != nil {
							b.Fatal(err)
						}
					}
					continue
				}
				if _, err := mm.GetBytes(id); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkRoundTripLoopback sends the 0200 to a server on 127.0.0.1 that
// approves it, one request at a time: pack, frame, write, server read,
// unpack, handle, pack, write, client read, unpack, match.
func BenchmarkRoundTripLoopback(b *testing.B) {
	mux := NewServeMux()
	mux.HandleFunc(MTIFinancialRequest, approve)
	addr := startServer(b, &Server{Handler: mux})
	c := NewClient(ClientConfig{Addr: addr})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m := testPurchase("000001", "TERM0001")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}

package oda

import (
	"bytes"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"
)

type capkID struct {
	rid   RID
	index byte
}

// A Store holds certification authority public keys by RID and index. A
// (RID, index) pair appears at most once. The zero value is an empty
// store ready to use. A Store is safe for concurrent lookups once it is no
// longer modified.
type Store struct {
	m map[capkID]*CAPK
}

// NewStore returns a store holding keys, checking each with CAPK.Verify.
func NewStore(keys ...*CAPK) (*Store, error) {
	s := new(Store)
	for _, k := range keys {
		if err := s.Add(k); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add verifies k and adds it. A key with the RID and index of one already
// held is refused with ErrDuplicateCAPK, even if it is identical: a
// terminal's key table must be unambiguous.
func (s *Store) Add(k *CAPK) error {
	if err := k.Verify(); err != nil {
		return err
	}
	id := capkID{k.RID, k.Index}
	if _, dup := s.m[id]; dup {
		return fail(ItemCAPK, ErrDuplicateCAPK, "RID "+k.RID.String()+" index "+hexByte(k.Index))
	}
	if s.m == nil {
		s.m = make(map[capkID]*CAPK)
	}
	s.m[id] = k
	return nil
}

// Lookup returns the key with the given RID and index (tag 8F).
func (s *Store) Lookup(rid RID, index byte) (*CAPK, error) {
	if k, ok := s.m[capkID{rid, index}]; ok {
		return k, nil
	}
	return nil, fail(ItemCAPK, ErrUnknownCAPK, "RID "+rid.String()+" index "+hexByte(index))
}

// Len returns the number of keys.
func (s *Store) Len() int { return len(s.m) }

// Keys returns the keys ordered by RID and index.
func (s *Store) Keys() []*CAPK {
	keys := make([]*CAPK, 0, len(s.m))
	for _, k := range s.m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b *CAPK) int {
		if c := bytes.Compare(a.RID[:], b.RID[:]); c != 0 {
			return c
		}
		return int(a.Index) - int(b.Index)
	})
	return keys
}

// capkJSON is the JSON form of a CAPK: hexadecimal strings, the expiry as
// YYYY-MM-DD or empty.
type capkJSON struct {
	RID      string `json:"rid"`
	Index    string `json:"index"`
	Name     string `json:"name,omitempty"`
	Modulus  string `json:"modulus"`
	Exponent string `json:"exponent"`
	Checksum string `json:"checksum"`
	Expiry   string `json:"expiry,omitempty"`
	Source   string `json:"source,omitempty"`
}

// ParseCAPKs reads certification authority public keys from JSON: an
// array of objects with the hexadecimal fields "rid" (5 bytes), "index"
// (1 byte), "modulus", "exponent" and "checksum" (20 bytes), and the
// optional "expiry" (YYYY-MM-DD, last day of use), "name" and "source".
// Unknown fields are refused. Every key's checksum is verified; the first
// failure is returned, naming the entry.
func ParseCAPKs(data []byte) ([]*CAPK, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw []capkJSON
	if err := dec.Decode(&raw); err != nil {
		return nil, fail(ItemCAPK, ErrCAPKData, "JSON: "+jsonErrorKind(err))
	}
	if dec.More() {
		return nil, fail(ItemCAPK, ErrCAPKData, "JSON: trailing data")
	}
	keys := make([]*CAPK, 0, len(raw))
	for i, r := range raw {
		k, err := r.parse()
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Detail = "entry " + strconv.Itoa(i) + ": " + e.Detail
			}
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// jsonErrorKind describes a JSON error without quoting the input.
func jsonErrorKind(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at offset " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "wrong type for field " + te.Field
	}
	return "not an array of key objects"
}

func (r capkJSON) parse() (*CAPK, error) {
	bad := func(field string) error { return fail(ItemCAPK, ErrCAPKData, "field "+field) }
	rid, err := ParseRID(r.RID)
	if err != nil {
		return nil, bad("rid")
	}
	idx, err := hex.DecodeString(r.Index)
	if err != nil || len(idx) != 1 {
		return nil, bad("index")
	}
	mod, err := hex.DecodeString(r.Modulus)
	if err != nil {
		return nil, bad("modulus")
	}
	exp, err := hex.DecodeString(r.Exponent)
	if err != nil {
		return nil, bad("exponent")
	}
	sum, err := hex.DecodeString(r.Checksum)
	if err != nil || len(sum) != 20 {
		return nil, bad("checksum")
	}
	k, err := NewCAPK(rid, idx[0], mod, exp, sum)
	if err != nil {
		return nil, err
	}
	if r.Expiry != "" {
		t, err := time.Parse(time.DateOnly, r.Expiry)
		if err != nil {
			return nil, bad("expiry")
		}
		k.Expiry = t
	}
	k.Name = r.Name
	return k, nil
}

// LoadStore reads keys with ParseCAPKs and returns them in a new store,
// refusing duplicates.
func LoadStore(data []byte) (*Store, error) {
	keys, err := ParseCAPKs(data)
	if err != nil {
		return nil, err
	}
	return NewStore(keys...)
}

//go:embed testcapks.json
var testCAPKs []byte

// TestKeys returns a new store holding the published test CA public keys
// of Visa (A000000003: 92, 94, 95, 99), Mastercard (A000000004: EF, F1,
// F3, F4, F5, F8, FA, FE) and American Express (A000000025: 04, 65, A1,
// B9, C8, C9, CA), each checked against its published checksum. The keys
// carry no expiry date: none is published with them. Test keys must
// never be loaded into a production terminal.
func TestKeys() *Store {
	s, err := LoadStore(testCAPKs)
	if err != nil {
		panic("oda: embedded test keys: " + err.Error()) // the data ships with the package
	}
	return s
}

package oda

import (
	"errors"
	"testing"
)

func TestStoreNilKey(t *testing.T) {
	if _, err := NewStore(nil); !errors.Is(err, ErrModulus) {
		t.Errorf("NewStore(nil) = %v, want ErrModulus", err)
	}
	var s Store
	if err := s.Add(nil); !errors.Is(err, ErrModulus) {
		t.Errorf("Add(nil) = %v, want ErrModulus", err)
	}
}

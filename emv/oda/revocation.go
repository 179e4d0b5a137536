package oda

// A Revocation identifies one revoked issuer public key certificate: the
// RID and index of the CA key that signed it and its certificate serial
// number (EMV 4.4 Book 2 5.3).
type Revocation struct {
	RID    RID
	Index  byte
	Serial [3]byte
}

// A RevocationList is the terminal's list of revoked issuer public key
// certificates. The zero value is an empty list ready to use; a nil
// *RevocationList is an empty list too.
type RevocationList struct {
	m map[Revocation]struct{}
}

// Add puts r on the list.
func (l *RevocationList) Add(r Revocation) {
	if l.m == nil {
		l.m = make(map[Revocation]struct{})
	}
	l.m[r] = struct{}{}
}

// Contains reports whether r is on the list.
func (l *RevocationList) Contains(r Revocation) bool {
	if l == nil {
		return false
	}
	_, ok := l.m[r]
	return ok
}

// Len returns the number of entries.
func (l *RevocationList) Len() int {
	if l == nil {
		return 0
	}
	return len(l.m)
}

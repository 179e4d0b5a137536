package dukpt

import "strconv"

// Usage names what a working key is for. The first five values are shared by
// both variants; for AES DUKPT they map to the key usage indicators of
// ANSI X9.24-3-2017 table 2 as noted. [MACBoth], [DataBoth] and
// [KeyEncryption] exist only in AES DUKPT.
type Usage uint8

const (
	PINEncryption Usage = iota + 1 // TDES: PIN variant; AES: 1000h
	MACRequest                     // TDES: request MAC variant; AES: MAC generation, 2000h
	MACResponse                    // TDES: response MAC variant; AES: MAC verification, 2001h
	DataRequest                    // TDES: request data variant; AES: data encryption, 3000h
	DataResponse                   // TDES: response data variant; AES: data decryption, 3001h
	MACBoth                        // AES only: MAC both ways, 2002h
	DataBoth                       // AES only: data encryption both ways, 3002h
	KeyEncryption                  // AES only: key encryption key, 0002h
)

var usageNames = [...]string{
	PINEncryption: "PINEncryption",
	MACRequest:    "MACRequest",
	MACResponse:   "MACResponse",
	DataRequest:   "DataRequest",
	DataResponse:  "DataResponse",
	MACBoth:       "MACBoth",
	DataBoth:      "DataBoth",
	KeyEncryption: "KeyEncryption",
}

func (u Usage) String() string {
	if int(u) < len(usageNames) && usageNames[u] != "" {
		return usageNames[u]
	}
	return "Usage(" + strconv.Itoa(int(u)) + ")"
}

// aesUsage returns the ANSI X9.24-3-2017 key usage indicator of u.
func (u Usage) aesUsage() (uint16, bool) {
	switch u {
	case PINEncryption:
		return 0x1000, true
	case MACRequest:
		return 0x2000, true
	case MACResponse:
		return 0x2001, true
	case MACBoth:
		return 0x2002, true
	case DataRequest:
		return 0x3000, true
	case DataResponse:
		return 0x3001, true
	case DataBoth:
		return 0x3002, true
	case KeyEncryption:
		return 0x0002, true
	}
	return 0, false
}

// Key usage indicators for the derivation of intermediate keys.
const (
	usageKeyDerivation        = 0x8000
	usageInitialKeyDerivation = 0x8001
)

// KeyType is the algorithm and length of an AES DUKPT working key
// (ANSI X9.24-3-2017 table 3).
type KeyType uint8

const (
	TDES2   KeyType = iota + 1 // two-key TDEA, 16 bytes
	TDES3                      // three-key TDEA, 24 bytes
	AES128                     // 16 bytes
	AES192                     // 24 bytes
	AES256                     // 32 bytes
	HMAC128                    // HMAC key of 16 bytes
	HMAC192                    // HMAC key of 24 bytes
	HMAC256                    // HMAC key of 32 bytes
)

var keyTypes = [...]struct {
	name     string
	algo     uint16 // algorithm indicator
	size     int    // bytes
	strength int    // bits of security, for the rule of 6.1.3
}{
	TDES2:   {"TDES2", 0x0000, 16, 80},
	TDES3:   {"TDES3", 0x0001, 24, 112},
	AES128:  {"AES128", 0x0002, 16, 128},
	AES192:  {"AES192", 0x0003, 24, 192},
	AES256:  {"AES256", 0x0004, 32, 256},
	HMAC128: {"HMAC128", 0x0005, 16, 128},
	HMAC192: {"HMAC192", 0x0005, 24, 192},
	HMAC256: {"HMAC256", 0x0005, 32, 256},
}

func (t KeyType) valid() bool { return t >= TDES2 && t <= HMAC256 }

func (t KeyType) String() string {
	if t.valid() {
		return keyTypes[t].name
	}
	return "KeyType(" + strconv.Itoa(int(t)) + ")"
}

// Size returns the length in bytes of a key of type t, or 0 for an unknown
// type.
func (t KeyType) Size() int {
	if t.valid() {
		return keyTypes[t].size
	}
	return 0
}

// aesKeyType returns the AES key type of a BDK, initial key or derivation key
// of n bytes.
func aesKeyType(n int) (KeyType, bool) {
	switch n {
	case 16:
		return AES128, true
	case 24:
		return AES192, true
	case 32:
		return AES256, true
	}
	return 0, false
}

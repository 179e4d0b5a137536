package dukpt

import (
	"fmt"
)

// TDESTransaction holds the key material of one TDES DUKPT transaction: its
// KSN and transaction key. A [TDESDevice] returns one per transaction and a
// [TDESHost] derives the same from the BDK, so both sides use the same
// methods to encrypt PINs, compute MACs and encrypt data.
//
// The key never appears in String, GoString or any fmt verb. The zero
// value holds no key; its methods return errors.
type TDESTransaction struct {
	ksn KSN
	key [tdesKeyLen]byte
	ok  bool
}

// NewTDESTransaction returns the transaction for ksn with the given
// 16-byte transaction key, as computed by [TDESTransactionKey].
func NewTDESTransaction(ksn KSN, transactionKey []byte) (TDESTransaction, error) {
	if len(transactionKey) != tdesKeyLen {
		return TDESTransaction{}, &KeyLengthError{Key: "transaction key", Len: len(transactionKey)}
	}
	if c := ksn.Counter(); c == 0 {
		return TDESTransaction{}, &CounterError{Counter: c, Err: ErrCounterZero}
	}
	return TDESTransaction{ksn: ksn, key: [tdesKeyLen]byte(transactionKey), ok: true}, nil
}

// KSN returns the key serial number the transaction is sent with.
func (t TDESTransaction) KSN() KSN { return t.ksn }

// TransactionKey returns a copy of the 16-byte transaction key, or nil for
// the zero value.
func (t TDESTransaction) TransactionKey() []byte {
	if !t.ok {
		return nil
	}
	return append([]byte(nil), t.key[:]...)
}

// WorkingKey returns the working key for u; see [TDESWorkingKey].
func (t TDESTransaction) WorkingKey(u Usage) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	if _, ok := tdesVariant(u); !ok {
		return nil, errUsage(u, "TDES")
	}
	out := make([]byte, tdesKeyLen)
	copy(out, t.key[:])
	tdesWorkingKey(out, u)
	return out, nil
}

// Clear overwrites the key held by t.
func (t *TDESTransaction) Clear() {
	clear(t.key[:])
	t.ok = false
}

func (t TDESTransaction) check() error {
	if !t.ok {
		return &KeyLengthError{Key: "transaction key", Len: 0}
	}
	return nil
}

// String returns the KSN only: "dukpt.TDESTransaction{KSN: FFFF9876543210E00001}".
func (t TDESTransaction) String() string {
	return "dukpt.TDESTransaction{KSN: " + t.ksn.String() + "}"
}

// GoString is String, so that %#v does not print the key.
func (t TDESTransaction) GoString() string { return t.String() }

// Format writes String for every verb, so that no fmt verb prints the key.
func (t TDESTransaction) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(t.String())) }

// AESTransaction holds the key material of one AES DUKPT transaction: its
// KSN and intermediate derivation key, from which the working keys of every
// usage and type are derived. An [AESDevice] returns one per transaction and
// an [AESHost] derives the same from the BDK.
//
// The key never appears in String, GoString or any fmt verb. The zero
// value holds no key; its methods return errors.
type AESTransaction struct {
	ksn AESKSN
	key [32]byte
	n   uint8 // key length: 16, 24 or 32; 0 for the zero value
}

// NewAESTransaction returns the transaction for ksn with the given
// derivation key (16, 24 or 32 bytes), as computed by [AESTransactionKey].
func NewAESTransaction(ksn AESKSN, derivationKey []byte) (AESTransaction, error) {
	if _, ok := aesKeyType(len(derivationKey)); !ok {
		return AESTransaction{}, &KeyLengthError{Key: "derivation key", Len: len(derivationKey)}
	}
	if c := ksn.Counter(); c == 0 {
		return AESTransaction{}, &CounterError{Counter: c, Err: ErrCounterZero}
	}
	t := AESTransaction{ksn: ksn, n: uint8(len(derivationKey))}
	copy(t.key[:], derivationKey)
	return t, nil
}

// KSN returns the key serial number the transaction is sent with.
func (t AESTransaction) KSN() AESKSN { return t.ksn }

// TransactionKey returns a copy of the intermediate derivation key, or nil
// for the zero value.
func (t AESTransaction) TransactionKey() []byte {
	if t.n == 0 {
		return nil
	}
	return append([]byte(nil), t.key[:t.n]...)
}

// WorkingKey returns the working key of usage u and type kt; see
// [AESWorkingKey].
func (t AESTransaction) WorkingKey(u Usage, kt KeyType) ([]byte, error) {
	if err := checkWorkingKey(int(t.n), "derivation key", u, kt); err != nil {
		return nil, err
	}
	return aesWorkingKey(t.key[:t.n], t.ksn.derivationID(), t.ksn.Counter(), u, kt), nil
}

// Clear overwrites the key held by t.
func (t *AESTransaction) Clear() {
	clear(t.key[:])
	t.n = 0
}

// String returns the KSN only.
func (t AESTransaction) String() string {
	return "dukpt.AESTransaction{KSN: " + t.ksn.String() + "}"
}

// GoString is String, so that %#v does not print the key.
func (t AESTransaction) GoString() string { return t.String() }

// Format writes String for every verb, so that no fmt verb prints the key.
func (t AESTransaction) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(t.String())) }

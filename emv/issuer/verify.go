package issuer

import (
	"crypto/subtle"
	"encoding/hex"
	"strings"

	des "github.com/posflow/posflow/internal/des"
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/tlv"
)

// Step is a step of the cryptogram computation, as a [VerifyError] reports
// the last step reached.
type Step uint8

// The steps, in order.
const (
	StepCVN        Step = iota + 1 // checking the cryptogram version and the cryptogram's length
	StepMasterKey                  // deriving the ICC master key from the issuer master key
	StepSessionKey                 // deriving the session key from the ICC master key
	StepData                       // building the data to MAC from the transaction data
	StepMAC                        // computing and comparing the MAC
)

// String names the step.
func (s Step) String() string {
	switch s {
	case StepCVN:
		return "input check"
	case StepMasterKey:
		return "ICC master key derivation"
	case StepSessionKey:
		return "session key derivation"
	case StepData:
		return "cryptogram data"
	case StepMAC:
		return "cryptogram MAC"
	}
	return "Step(" + itoa(int(s)) + ")"
}

// Trace records how a cryptogram was computed, with nothing secret in it:
// keys appear only as key check values (KCV: the leftmost 3 bytes of the
// encipherment of a zero block, ANSI X9.24-1), and Data is transaction data
// that travels in clear in field 55. Compare its check values with those
// of the HSM or personalisation record to find which step differs.
type Trace struct {
	Step             Step             // last step reached
	CVN              CVN              // cryptogram version
	Option           Option           // master key derivation option
	MasterKeyKCV     [3]byte          // KCV of the derived ICC master key
	SessionKeyMethod SessionKeyMethod // how the cryptogram key was derived
	SessionKeyKCV    [3]byte          // KCV of the cryptogram key
	Padding          mac.Padding      // ISO/IEC 9797-1 padding of the MAC
	Data             []byte           // the bytes MACed, before padding
}

// String describes the trace on one line.
func (t *Trace) String() string {
	s := t.CVN.String() + ": ICC master key " + t.Option.String()
	if t.Step > StepMasterKey {
		s += " KCV " + upper(hex.EncodeToString(t.MasterKeyKCV[:]))
	}
	if t.Step > StepSessionKey {
		s += ", " + t.SessionKeyMethod.String() + " KCV " + upper(hex.EncodeToString(t.SessionKeyKCV[:]))
	}
	if t.Step > StepData {
		s += ", MACed " + itoa(len(t.Data)) + " bytes with padding " + t.Padding.String() + ": " + upper(hex.EncodeToString(t.Data))
	}
	return s
}

// VerifyError reports a cryptogram that was not verified, and at which
// step. When Step is [StepMAC] the cryptogram was computed and differs
// (Err is [ErrMismatch]); at an earlier step Err says why the computation
// stopped. The expected cryptogram is not reported: it would make the
// verifier an oracle for forging one.
type VerifyError struct {
	Trace Trace
	Err   error
}

func (e *VerifyError) Error() string {
	if e.Trace.Step == StepMAC && e.Err == ErrMismatch {
		return "issuer: cryptogram does not verify: " + e.Trace.String()
	}
	return "issuer: cryptogram not verified at " + e.Trace.Step.String() + ": " + strings.TrimPrefix(e.Err.Error(), "issuer: ")
}

// Unwrap returns the cause.
func (e *VerifyError) Unwrap() error { return e.Err }

// VerifyCryptogram checks the application cryptogram ac (9F26) that version
// cvn computed over data. It returns nil when ac verifies, and otherwise a
// [*VerifyError] with the step that failed and the [Trace] of the
// computation: the KCVs of the derived ICC master key and session key and
// the exact data that was MACed, so that an ARQC that does not verify can
// be compared step by step with an HSM. The comparison is in constant time.
func VerifyCryptogram(cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte, ac []byte) error {
	var t Trace
	return verifyCryptogram(&t, cvn, imk, pan, psn, data, ac)
}

// VerifyCryptogramTrace is like [VerifyCryptogram] and also fills t. On
// failure t holds what the error's trace holds; on success it holds
// everything but the key check values, which cost two TDES key schedules
// and are left zero on the fast path (use [TraceCryptogram] to get them for
// a cryptogram that verifies). Passing a Trace whose Data has capacity for
// the cryptogram data (at most 65 bytes) avoids an allocation per call.
func VerifyCryptogramTrace(t *Trace, cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte, ac []byte) error {
	return verifyCryptogram(t, cvn, imk, pan, psn, data, ac)
}

func verifyCryptogram(t *Trace, cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte, ac []byte) error {
	if len(ac) != 8 {
		t.Step = StepCVN
		return &VerifyError{Trace: *t, Err: errLen("application cryptogram", len(ac), "8")}
	}
	var k derivedKeys
	want, err := cryptogram(t, &k, cvn, imk, pan, psn, data)
	if err == nil && subtle.ConstantTimeCompare(want[:], ac) != 1 {
		err = ErrMismatch
	}
	if err != nil {
		t.setKCVs(&k)
		k.clear()
		return &VerifyError{Trace: *t, Err: err}
	}
	k.clear()
	t.MasterKeyKCV, t.SessionKeyKCV = [3]byte{}, [3]byte{}
	return nil
}

// TraceCryptogram computes the cryptogram of version cvn like [Cryptogram]
// and returns the full trace of the computation, key check values
// included, for comparison with an HSM log. It returns the cryptogram too:
// use it to debug a host or a test card, not on a path an outsider can
// drive, where it would be an oracle for valid cryptograms.
func TraceCryptogram(cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte) ([]byte, Trace, error) {
	var t Trace
	var k derivedKeys
	ac, err := cryptogram(&t, &k, cvn, imk, pan, psn, data)
	t.setKCVs(&k)
	k.clear()
	if err != nil {
		return nil, t, err
	}
	return ac[:], t, nil
}

// VerifyARPC checks an ARPC in constant time against the one [ARPC]
// computes; it returns [ErrMismatch] when it differs.
func VerifyARPC(cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte, arqc, code, arpc []byte) error {
	want, err := ARPC(cvn, imk, pan, psn, data, arqc, code)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(want, arpc) != 1 {
		return ErrMismatch
	}
	return nil
}

// kcv returns the key check value of a 16-byte TDES key, as keys.KCV
// does: the leftmost 3 bytes of the encipherment of a zero block. It
// enciphers here rather than through keys.KCV, whose cipher.Block argument
// would move the key schedule to the heap.
func kcv(key []byte) (v [3]byte) {
	var c des.TripleDESCipher
	if err := c.SetKey(key); err != nil {
		return v
	}
	var b [des.BlockSize]byte
	c.Encrypt(b[:], b[:])
	c.Clear()
	copy(v[:], b[:])
	return v
}

// Verify verifies the application cryptogram (9F26) of a transaction
// whose data objects, as [ParseField55] returns them, include the AID (4F,
// or 9F06 when 4F is absent, or 84) and the issuer application data
// (9F10). It detects the cryptogram version with [DetectCVN], then checks
// the cryptogram with [VerifyCryptogram] under the issuer master key for
// AC imk. It returns the version it used, also when the cryptogram does not
// verify; the error then says which step failed, as a [*VerifyError].
func Verify(imk []byte, pan, psn string, data map[tlv.Tag][]byte) (CVN, error) {
	var aid []byte
	for _, t := range [...]tlv.Tag{TagAID, TagTerminalAID, 0x84} {
		if v, ok := data[t]; ok {
			aid = v
			break
		}
	}
	if aid == nil {
		return 0, &DataError{Tag: TagAID, Len: -1}
	}
	iad, ok := data[TagIssuerAppData]
	if !ok {
		return 0, &DataError{Tag: TagIssuerAppData, Len: -1}
	}
	cvn, err := DetectCVN(aid, iad)
	if err != nil {
		return 0, err
	}
	ac, ok := data[TagApplicationCryptogram]
	if !ok {
		return cvn, &DataError{CVN: cvn, Tag: TagApplicationCryptogram, Len: -1, Want: 8}
	}
	return cvn, VerifyCryptogram(cvn, imk, pan, psn, data, ac)
}

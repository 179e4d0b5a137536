package entrypoint

import (
	"io"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/oda"
)

// A KernelID is the short kernel identifier of Book B 3.3.2.5: the kernel
// a combination names and a directory entry asks for (9F2A, byte 1 with
// bits 8-7 cleared).
type KernelID byte

// Kernel identifiers of Book B Table 3-6.
const (
	Kernel2 KernelID = 2 // Mastercard
	Kernel3 KernelID = 3 // Visa
	Kernel4 KernelID = 4 // American Express
	Kernel5 KernelID = 5 // JCB
	Kernel6 KernelID = 6 // Discover
	Kernel7 KernelID = 7 // UnionPay
)

// A Limit is an amount in the minor unit of the transaction currency that
// may be absent: Book B applies a limit only when it is present.
type Limit struct {
	Amount  uint64
	Present bool
}

// LimitOf returns a present limit of amount.
func LimitOf(amount uint64) Limit { return Limit{Amount: amount, Present: true} }

// TTQ is the Terminal Transaction Qualifiers, tag 9F66 (Book C-3 Annex A,
// Book B 3.1.1).
type TTQ [4]byte

// Bits of the TTQ that Entry Point and Kernel 3 read or set.
var (
	TTQMagstripeMode     = bit(1, 8)
	TTQEMVMode           = bit(1, 6)
	TTQEMVContact        = bit(1, 5)
	TTQOfflineOnly       = bit(1, 4)
	TTQOnlinePIN         = bit(1, 3)
	TTQSignature         = bit(1, 2)
	TTQODAForOnline      = bit(1, 1)
	TTQOnlineCryptogram  = bit(2, 8)
	TTQCVMRequired       = bit(2, 7)
	TTQOfflinePIN        = bit(2, 6)
	TTQIssuerUpdate      = bit(3, 8)
	TTQConsumerDeviceCVM = bit(3, 7)
)

// A Bit names one bit of a byte string: byte 1 to n, bit 8 (most
// significant) to 1, as EMV writes it.
type Bit struct{ Byte, Bit uint8 }

func bit(byteN, bitN uint8) Bit { return Bit{byteN, bitN} }

func (b Bit) mask() byte { return 1 << (b.Bit - 1) }

// Has tells whether bit b is set.
func (t *TTQ) Has(b Bit) bool { return t[b.Byte-1]&b.mask() != 0 }

// Set sets bit b.
func (t *TTQ) Set(b Bit) { t[b.Byte-1] |= b.mask() }

// Clear clears bit b.
func (t *TTQ) Clear(b Bit) { t[b.Byte-1] &^= b.mask() }

// A Combination is one AID–kernel combination the reader supports, with
// its Entry Point configuration data (Book B 5.2.3).
type Combination struct {
	// AID is the AID the combination applies to; a directory entry
	// matches when its ADF name begins with AID (partial match).
	AID []byte
	// Kernel is the kernel the combination activates.
	Kernel KernelID
	// TransactionTypes lists the transaction types (9C) the combination
	// applies to; empty means all.
	TransactionTypes []emv.TransactionType

	// StatusCheck is the status check support flag. ZeroAmountNotAllowed
	// is the zero amount allowed flag present and 0 (Book B 5.2.3); its
	// zero value is the flag absent, which allows a zero amount (online
	// only, through the TTQ).
	StatusCheck          bool
	ZeroAmountNotAllowed bool
	// TransactionLimit is the reader contactless transaction limit,
	// FloorLimit the reader contactless floor limit and CVMRequiredLimit
	// the reader CVM required limit.
	TransactionLimit Limit
	FloorLimit       Limit
	CVMRequiredLimit Limit
	// TTQ, when present, is copied and modified by pre-processing and
	// given to the kernel (Kernel 3 sends it in the PDOL data).
	TTQ        TTQ
	TTQPresent bool
	// ExtendedSelection is the extended selection support flag: the
	// extended selection data (9F29) of the directory entry are appended to
	// the ADF name in the final SELECT.
	ExtendedSelection bool
}

// Config is the configuration of Entry Point: the combinations it
// supports, the kernels that run them, and what those kernels share.
type Config struct {
	Combinations []Combination
	// Kernels are the kernels by identifier; a combination whose kernel
	// is absent is never selected.
	Kernels map[KernelID]Kernel
	// TerminalFloorLimit (9F1B) applies where a combination has no
	// reader contactless floor limit.
	TerminalFloorLimit Limit

	// CAPKs are the certification authority public keys for the kernels'
	// offline data authentication; nil means none.
	CAPKs   *oda.Store
	Revoked *oda.RevocationList

	// Rand is the source of the unpredictable number; nil means
	// crypto/rand.Reader. Time is the clock; nil means time.Now.
	Rand io.Reader
	Time func() time.Time

	// NoTrace turns the trace of the Outcome off.
	NoTrace bool
}

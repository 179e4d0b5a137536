package c3

import "github.com/posflow/posflow/emv/entrypoint"

// CTQ is the Card Transaction Qualifiers, tag 9F6C (Book C-3 Annex A).
type CTQ [2]byte

// Bits of the CTQ.
var (
	CTQOnlinePINRequired         = entrypoint.Bit{Byte: 1, Bit: 8}
	CTQSignatureRequired         = entrypoint.Bit{Byte: 1, Bit: 7}
	CTQOnlineIfODAFails          = entrypoint.Bit{Byte: 1, Bit: 6}
	CTQSwitchInterfaceIfODAFails = entrypoint.Bit{Byte: 1, Bit: 5}
	CTQOnlineIfExpired           = entrypoint.Bit{Byte: 1, Bit: 4}
	CTQConsumerDeviceCVM         = entrypoint.Bit{Byte: 2, Bit: 8}
	CTQIssuerUpdate              = entrypoint.Bit{Byte: 2, Bit: 7}
)

// Has tells whether bit b is set.
func (c CTQ) Has(b entrypoint.Bit) bool {
	return b.Byte >= 1 && int(b.Byte) <= len(c) && b.Bit >= 1 && b.Bit <= 8 && c[b.Byte-1]&(1<<(b.Bit-1)) != 0
}

package c3

// CTQ is the Card Transaction Qualifiers, tag 9F6C (Book C-3 Annex A).
type CTQ [2]byte

// Bits of the CTQ.
var (
	CTQOnlinePINRequired         = bit{1, 8}
	CTQSignatureRequired         = bit{1, 7}
	CTQOnlineIfODAFails          = bit{1, 6}
	CTQSwitchInterfaceIfODAFails = bit{1, 5}
	CTQOnlineIfExpired           = bit{1, 4}
	CTQConsumerDeviceCVM         = bit{2, 8}
)

type bit struct{ byteN, bitN uint8 }

// Has tells whether bit b is set.
func (c CTQ) Has(b bit) bool { return c[b.byteN-1]&(1<<(b.bitN-1)) != 0 }

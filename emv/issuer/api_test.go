package issuer_test

import (
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// The API that other packages rely on (issue 5). Changing a signature
// breaks this file at compile time.
var (
	_ func([]byte, string, string) ([]byte, error)                                                 = issuer.MasterKeyA
	_ func([]byte, string, string) ([]byte, error)                                                 = issuer.MasterKeyB
	_ func([]byte, []byte) ([]byte, error)                                                         = issuer.SessionKey
	_ func([]byte, []byte, []byte) ([]byte, error)                                                 = issuer.ARPCMethod1
	_ func([]byte, []byte, []byte, []byte) ([]byte, error)                                         = issuer.ARPCMethod2
	_ func(issuer.CVN, []byte, string, string, map[tlv.Tag][]byte) ([]byte, error)                 = issuer.Cryptogram
	_ func(issuer.CVN, []byte, string, string, map[tlv.Tag][]byte, []byte, []byte) ([]byte, error) = issuer.ARPC
	_ uint16                                                                                       = uint16(issuer.VisaCVN10)
)

func init() {
	want := [...]issuer.CVN{issuer.VisaCVN10, issuer.VisaCVN18, issuer.VisaCVN22, issuer.MastercardCVN16,
		issuer.MastercardCVN17, issuer.MastercardCVN20, issuer.MastercardCVN21, issuer.InteracCVN133}
	for i, c := range want {
		if c != issuer.CVN(i+1) {
			panic("issuer: CVN constants changed")
		}
	}
}

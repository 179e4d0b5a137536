package emv

// Command builders for the commands of EMV 4.4 Book 3 section 6.5. Each
// returns the Command value; send it with Transport.Exchange.

// Select returns SELECT by DF name (Book 3 6.5.12): the first or only
// occurrence, or with next set the next occurrence, for partial selection.
func Select(name []byte, next bool) Command {
	c := Command{CLA: 0x00, INS: 0xA4, P1: 0x04, P2: 0x00, Data: name, Le: 256}
	if next {
		c.P2 = 0x02
	}
	return c
}

// ReadRecord returns READ RECORD of record rec in the file sfi (Book 3
// 6.5.11).
func ReadRecord(sfi, rec byte) Command {
	return Command{CLA: 0x00, INS: 0xB2, P1: rec, P2: sfi<<3 | 0x04, Le: 256}
}

// GetProcessingOptions returns GET PROCESSING OPTIONS with the PDOL data
// (Book 3 6.5.8): the data field is the Command Template 83 around them.
func GetProcessingOptions(pdolData []byte) Command {
	data := make([]byte, 0, 2+len(pdolData))
	data = append(data, 0x83, byte(len(pdolData)))
	data = append(data, pdolData...)
	return Command{CLA: 0x80, INS: 0xA8, P1: 0x00, P2: 0x00, Data: data, Le: 256}
}

// The reference control parameter of GENERATE AC (Book 3 Table 12).
const (
	RequestAAC  byte = 0x00
	RequestTC   byte = 0x40
	RequestARQC byte = 0x80
	RequestCDA  byte = 0x10 // combined with one of the above
)

// GenerateAC returns GENERATE APPLICATION CRYPTOGRAM (Book 3 6.5.5) with
// the reference control parameter p1 and the CDOL data.
func GenerateAC(p1 byte, cdolData []byte) Command {
	return Command{CLA: 0x80, INS: 0xAE, P1: p1, P2: 0x00, Data: cdolData, Le: 256}
}

// GetData returns GET DATA of a primitive data object (Book 3 6.5.7), such
// as 9F36 (ATC), 9F13 (last online ATC) or 9F17 (PIN try counter).
func GetData(tag uint16) Command {
	return Command{CLA: 0x80, INS: 0xCA, P1: byte(tag >> 8), P2: byte(tag), Le: 256}
}

// GetChallenge returns GET CHALLENGE (Book 3 6.5.6).
func GetChallenge() Command {
	return Command{CLA: 0x00, INS: 0x84, P1: 0x00, P2: 0x00, Le: 256}
}

// The qualifiers of VERIFY (Book 3 Table 23).
const (
	PlaintextPIN  byte = 0x80
	EncipheredPIN byte = 0x88
)

// Verify returns VERIFY (Book 3 6.5.12) with the PIN block or enciphered
// PIN data and the qualifier p2.
func Verify(p2 byte, data []byte) Command {
	return Command{CLA: 0x00, INS: 0x20, P1: 0x00, P2: p2, Data: data}
}

// InternalAuthenticate returns INTERNAL AUTHENTICATE with the DDOL data
// (Book 3 6.5.9).
func InternalAuthenticate(ddolData []byte) Command {
	return Command{CLA: 0x00, INS: 0x88, P1: 0x00, P2: 0x00, Data: ddolData, Le: 256}
}

// ExternalAuthenticate returns EXTERNAL AUTHENTICATE with the issuer
// authentication data (Book 3 6.5.4).
func ExternalAuthenticate(issuerAuthData []byte) Command {
	return Command{CLA: 0x00, INS: 0x82, P1: 0x00, P2: 0x00, Data: issuerAuthData}
}

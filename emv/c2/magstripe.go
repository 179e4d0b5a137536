package c2

import (
	"errors"
	"fmt"
	"math/big"
	"math/bits"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// ErrMagstripeData: the mag-stripe data of the card are missing or
// inconsistent (Book C-2 S7).
var ErrMagstripeData = errors.New("c2: mag-stripe data missing or inconsistent")

// readMagstripeData reads every record of the AFL in mag-stripe mode and
// checks the track 2 data and its bitmaps: Track 2 Data (9F6B),
// PCVC3(Track2) (9F65), PUNATC(Track2) (9F66) and NATC(Track2) (9F67),
// with nUN = bits of PUNATC − NATC between 0 and 8 (Book C-2 S7). In this
// mode 9F66 and 9F69 are the card's PUNATC and UDOL, not Kernel 3's TTQ
// and card authentication data.
func (s *state) readMagstripeData() *entrypoint.Outcome {
	s.tr.Begin("C-2 mag-stripe mode: read data")
	if _, err := s.a.ReadRecords(s.afl, s.card); err != nil {
		return endApplication(err)
	}
	t2, pcvc3, punatc, natc := s.card[0x9F6B], s.card[0x9F65], s.card[0x9F66], s.card[0x9F67]
	if len(t2) == 0 || len(pcvc3) != 2 || len(punatc) != 2 || len(natc) != 1 {
		return endApplication(fmt.Errorf("%w: 9F6B, 9F65, 9F66 or 9F67", ErrMagstripeData))
	}
	n := bits.OnesCount16(uint16(punatc[0])<<8|uint16(punatc[1])) - int(natc[0])
	if n < 0 || n > 8 {
		return endApplication(fmt.Errorf("%w: nUN %d", ErrMagstripeData, n))
	}
	s.nUN = n
	return nil
}

// computeCryptographicChecksum generates the unpredictable number
// (numeric), sends COMPUTE CRYPTOGRAPHIC CHECKSUM with the UDOL data and
// reads CVC3(Track2) (9F61) and the ATC (Book C-2 S13).
func (s *state) computeCryptographicChecksum() *entrypoint.Outcome {
	s.tr.Begin("C-2 mag-stripe mode: COMPUTE CRYPTOGRAPHIC CHECKSUM")
	unn := s.k.UnpredictableNumberNumeric
	if unn == nil {
		unn = unpredictableNumberNumeric
	}
	s.term[0x9F6A] = unn(s.un, s.nUN)
	s.term[0x9F7E] = []byte{0x00}
	udol, ok := s.card[0x9F69]
	if !ok {
		udol = s.k.UDOL
		if udol == nil {
			udol = []byte{0x9F, 0x6A, 0x04}
		}
	}
	data, err := emv.AppendDOLData(nil, udol, s.value)
	if err != nil {
		return endApplication(fmt.Errorf("%w: UDOL: %w", entrypoint.ErrCardData, err))
	}
	cmd := emv.Command{CLA: 0x80, INS: 0x2A, P1: 0x8E, P2: 0x80, Data: data, Le: 256}
	r, err := s.tr.Exchange(s.a.Card, cmd)
	if err != nil {
		return &entrypoint.Outcome{Type: entrypoint.TryAgain, Start: entrypoint.StartB, Err: err}
	}
	if r.SW != emv.SWSuccess {
		return endApplication(r.SW)
	}
	c := tlv.NewCursor(r.Data)
	if !c.Next() || c.Tag() != 0x77 {
		return endApplication(fmt.Errorf("%w: CCC response not a template 77", entrypoint.ErrCardData))
	}
	body := c.Value()
	if c.Next() || c.Err() != nil {
		return endApplication(fmt.Errorf("%w: data after the CCC template", entrypoint.ErrCardData))
	}
	if err := s.card.Store(body); err != nil {
		return endApplication(err)
	}
	if len(s.card[0x9F61]) != 2 || len(s.card[0x9F36]) != 2 {
		return endApplication(fmt.Errorf("%w: CVC3(Track2) (9F61) or ATC (9F36)", ErrMissingData))
	}
	t2, err := dynamicTrack2(s.card[0x9F6B], s.card[0x9F65], s.card[0x9F66], s.card[0x9F67][0],
		s.card[0x9F61], s.card[0x9F36], s.term[0x9F6A], s.nUN)
	if err != nil {
		return endApplication(err)
	}
	s.card[0x9F6B] = t2
	return nil
}

// magstripeOutcome is the Online Request of mag-stripe mode with the CVM
// of DF811E or DF812C (Book C-2 S13).
func (s *state) magstripeOutcome() *entrypoint.Outcome {
	s.tr.Begin("C-2 outcome")
	capability := s.k.MagstripeNoCVMRequired
	if s.a.Indicators.CVMRequiredLimitExceeded {
		capability = s.k.MagstripeCVMRequired
	}
	o := &entrypoint.Outcome{Type: entrypoint.OnlineRequest, CVM: entrypoint.NoCVM}
	switch capability >> 4 {
	case 0x1:
		o.CVM, o.Receipt = entrypoint.Signature, true
	case 0x2:
		o.CVM = entrypoint.OnlinePIN
	}
	o.DataRecord, _ = emv.AppendField55(nil, []tlv.Tag{0x9F6B, 0x9F61, 0x9F36, 0x9F6A, 0x9F02, 0x5F2A, 0x9F1A, 0x9C, 0x5F34, 0x50},
		func(t tlv.Tag) ([]byte, bool) {
			if v, ok := s.card[t]; ok {
				return v, true
			}
			v, ok := s.term[t]
			return v, ok
		})
	return o
}

// unpredictableNumberNumeric is the default rule: the unpredictable
// number as a big-endian integer modulo 10^nUN, in 8 BCD digits.
func unpredictableNumberNumeric(un []byte, nUN int) []byte {
	v := new(big.Int).SetBytes(un)
	v.Mod(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(nUN)), nil))
	return bcd8(v.Uint64())
}

func bcd8(v uint64) []byte {
	b := make([]byte, 4)
	for i := 3; i >= 0; i-- {
		b[i] = byte(v%10) | byte(v/10%10)<<4
		v /= 100
	}
	return b
}

// dynamicTrack2 builds the track 2 data of mag-stripe mode (Book C-2
// S13.?): in the discretionary data, the digits the PCVC3 bitmap points
// to get the least significant digits of CVC3, the nUN least significant
// digits the PUNATC bitmap points to get the unpredictable number
// (numeric), the natc most significant ones the ATC, and the last digit
// nUN. Bit 1 of a bitmap is the last digit of the discretionary data.
func dynamicTrack2(t2, pcvc3, punatc []byte, natc byte, cvc3, atc, unn []byte, nUN int) ([]byte, error) {
	digits := []byte(fmt.Sprintf("%X", t2))
	for len(digits) > 0 && digits[len(digits)-1] == 'F' {
		digits = digits[:len(digits)-1]
	}
	sep := -1
	for i, d := range digits {
		if d == 'D' {
			sep = i
			break
		}
	}
	if sep < 0 || len(digits) < sep+8 {
		return nil, fmt.Errorf("%w: track 2 without separator, expiry date and service code", ErrMagstripeData)
	}
	dd := digits[sep+8:]
	pos := func(bitmap []byte) []int { // positions in dd, least significant first
		m := uint16(bitmap[0])<<8 | uint16(bitmap[1])
		var p []int
		for b := range 16 {
			if m&(1<<b) != 0 {
				p = append(p, len(dd)-1-b)
			}
		}
		return p
	}
	put := func(p []int, value string) error {
		for i, at := range p {
			if at < 0 || i >= len(value) {
				return fmt.Errorf("%w: bitmap beyond the discretionary data", ErrMagstripeData)
			}
			dd[at] = value[len(value)-1-i]
		}
		return nil
	}
	pc, pu := pos(pcvc3), pos(punatc)
	if err := put(pc, fmt.Sprintf("%05d", uint16(cvc3[0])<<8|uint16(cvc3[1]))); err != nil {
		return nil, err
	}
	if err := put(pu[:nUN], fmt.Sprintf("%X", unn)); err != nil {
		return nil, err
	}
	if natc > 0 {
		if err := put(pu[nUN:], fmt.Sprintf("%05d", uint16(atc[0])<<8|uint16(atc[1]))); err != nil {
			return nil, err
		}
	}
	if len(dd) == 0 {
		return nil, fmt.Errorf("%w: no discretionary data", ErrMagstripeData)
	}
	dd[len(dd)-1] = byte('0' + nUN)
	if len(digits)%2 == 1 {
		digits = append(digits, 'F')
	}
	out := make([]byte, len(digits)/2)
	for i := range out {
		out[i] = nib(digits[2*i])<<4 | nib(digits[2*i+1])
	}
	return out, nil
}

func nib(c byte) byte {
	if c >= 'A' {
		return c - 'A' + 10
	}
	return c - '0'
}

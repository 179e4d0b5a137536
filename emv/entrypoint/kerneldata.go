package entrypoint

import (
	"errors"
	"fmt"
	"io"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// Errors of the building blocks kernels share.
var (
	// ErrCardData: a response of the card is malformed, or a data object
	// is duplicated or missing.
	ErrCardData = errors.New("entrypoint: card data error")
	// ErrODA: offline data authentication failed.
	ErrODA = errors.New("entrypoint: offline data authentication failed")
)

// CardData holds the data objects a kernel read from the card, by tag.
// The values alias the responses, which the kernel keeps for the tap.
type CardData map[tlv.Tag][]byte

// lenient reads records as cards write them: 00 padding and long-form
// lengths where a short one would do (Book 3 Annex B); ODA hashes them as
// received.
var lenient = tlv.Options{Lenient: true}

// Store adds the primitive data objects of template (a GPO response 77 or
// a record 70), refusing one already present.
func (d CardData) Store(template []byte) error {
	c := lenient.NewCursor(template)
	for c.Next() {
		if c.Object().Constructed() {
			continue
		}
		if _, dup := d[c.Tag()]; dup {
			return fmt.Errorf("%w: tag %X twice", ErrCardData, uint32(c.Tag()))
		}
		d[c.Tag()] = c.Value()
	}
	if err := c.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrCardData, err)
	}
	return nil
}

// ReadRecords sends READ RECORD for every record of afl, in order, stores
// their data objects in d and returns the static data to be authenticated
// (Book 3 10.2 and 10.3): the records flagged for ODA, as received. A record
// that is not a template 70 is a card data error.
func (a *Activation) ReadRecords(afl []emv.AFLEntry, d CardData) (static []byte, err error) {
	for _, e := range afl {
		for rec := e.First; rec <= e.Last && rec != 0; rec++ {
			r, err := a.Trace.Exchange(a.Card, emv.ReadRecord(e.SFI, rec))
			if err != nil {
				return nil, err
			}
			if r.SW != emv.SWSuccess {
				return nil, fmt.Errorf("%w: READ RECORD SFI %d record %d: %w", ErrCardData, e.SFI, rec, r.SW)
			}
			c := lenient.NewCursor(r.Data)
			if !c.Next() || c.Tag() != 0x70 {
				return nil, fmt.Errorf("%w: SFI %d record %d: not a template 70", ErrCardData, e.SFI, rec)
			}
			body := c.Value()
			if c.Next() || c.Err() != nil {
				return nil, fmt.Errorf("%w: SFI %d record %d: data after template 70", ErrCardData, e.SFI, rec)
			}
			if err := d.Store(body); err != nil {
				return nil, fmt.Errorf("SFI %d record %d: %w", e.SFI, rec, err)
			}
			if rec-e.First < e.ODA {
				if static, err = oda.AppendStaticData(static, int(e.SFI), r.Data); err != nil {
					return nil, fmt.Errorf("%w: %w", ErrODA, err)
				}
			}
		}
	}
	return static, nil
}

// ICCPublicKey recovers the issuer public key under the CA key the card
// names (8F) for the RID of the selected AID, then the ICC public key whose
// certificate covers static and, if the static data authentication tag
// list (9F4A) names it, the AIP (Book 2 5.3 and 6.4).
func (a *Activation) ICCPublicKey(d CardData, static []byte) (*oda.PublicKey, error) {
	for _, t := range []tlv.Tag{0x8F, 0x90, 0x9F32, 0x9F46, 0x9F47, 0x82} {
		if _, ok := d[t]; !ok {
			return nil, fmt.Errorf("%w: tag %X missing", ErrODA, uint32(t))
		}
	}
	if len(a.FCI.DFName) < 5 || len(d[0x8F]) != 1 {
		return nil, fmt.Errorf("%w: no RID or CA public key index", ErrODA)
	}
	if a.CAPKs == nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, oda.ErrUnknownCAPK)
	}
	var rid oda.RID
	copy(rid[:], a.FCI.DFName)
	ca, err := a.CAPKs.Lookup(rid, d[0x8F][0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, err)
	}
	chk := oda.Checks{PAN: d[0x5A], Date: a.Now, Revoked: a.Revoked}
	ic, err := oda.RecoverIssuerCertificate(ca, d[0x90])
	if err != nil {
		return nil, fmt.Errorf("%w: issuer certificate: %w", ErrODA, err)
	}
	issuer, err := ic.Verify(d[0x92], d[0x9F32], chk)
	if err != nil {
		return nil, fmt.Errorf("%w: issuer certificate: %w", ErrODA, err)
	}
	full := append([]byte{}, static...)
	if l, ok := d[0x9F4A]; ok {
		if full, err = oda.AppendSDATagList(full, l, d[0x82]); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrODA, err)
		}
	}
	cc, err := oda.RecoverICCCertificate(issuer, d[0x9F46])
	if err != nil {
		return nil, fmt.Errorf("%w: ICC certificate: %w", ErrODA, err)
	}
	icc, err := cc.Verify(d[0x9F48], d[0x9F47], full, chk)
	if err != nil {
		return nil, fmt.Errorf("%w: ICC certificate: %w", ErrODA, err)
	}
	return icc, nil
}

// UnpredictableNumber reads the 4 bytes of 9F37 from a.Rand.
func (a *Activation) UnpredictableNumber() ([]byte, error) {
	un := make([]byte, 4)
	if _, err := io.ReadFull(a.Rand, un); err != nil {
		return nil, fmt.Errorf("entrypoint: unpredictable number: %w", err)
	}
	return un, nil
}

// TerminalData returns the transaction's terminal data objects that every
// kernel sends in its DOLs: 9F02, 9F03, 5F2A, 5F36, 9A, 9F21, 9C and the
// TTQ (9F66) when the combination has one.
func (a *Activation) TerminalData() CardData {
	t := a.Transaction
	d := CardData{
		0x9F02: bcd(t.Amount, 6),
		0x9F03: bcd(t.Cashback, 6),
		0x5F2A: t.Currency[:],
		0x5F36: {t.CurrencyExponent},
		0x9C:   {byte(t.Type)},
		0x9A:   bcd(uint64(a.Now.Year()%100*10000+int(a.Now.Month())*100+a.Now.Day()), 3),
		0x9F21: bcd(uint64(a.Now.Hour()*10000+a.Now.Minute()*100+a.Now.Second()), 3),
	}
	if a.Indicators.TTQPresent {
		d[0x9F66] = a.Indicators.TTQ[:]
	}
	return d
}

// bcd returns v as n bytes of packed BCD, right-aligned.
func bcd(v uint64, n int) []byte {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(v%10) | byte(v/10%10)<<4
		v /= 100
	}
	return b
}

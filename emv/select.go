package emv

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/posflow/posflow/tlv"
)

// The name of the payment system environment (Book 1 12.2.2).
var pseName = []byte("1PAY.SYS.DDF01")

// Limits on what a card can make selection do.
const (
	maxDDFDepth   = 4  // nested DDFs followed from the PSE
	maxDirRecords = 32 // records read from one directory file
	maxSelectNext = 32 // SELECT next commands for one terminal AID
	maxCandidates = 64
)

// A Candidate is an application on the candidate list (Book 3 12.3): one
// that the card and the terminal both support.
type Candidate struct {
	// AID is the ADF name of the card's application.
	AID []byte
	// Label is the application label (50); PreferredName the application
	// preferred name (9F12), in the character set of the issuer code
	// table index; either may be empty.
	Label, PreferredName string
	// CodeTable is the issuer code table index (9F11) that applies to
	// PreferredName: the ADF's, or the PSE's for an application found in
	// its directory; 0 when the card gives none. Language is the card's
	// language preference (5F2D) from the same FCI.
	CodeTable byte
	Language  string
	// Priority is the application priority indicator (87): bits b4-b1
	// the priority (1 highest, 0 none), bit b8 set when the application
	// cannot be selected without the cardholder's confirmation.
	Priority byte

	app int // index in Config.Applications
}

// ConfirmationRequired reports whether the application may only be
// selected with the cardholder's confirmation (87 bit b8).
func (c Candidate) ConfirmationRequired() bool { return c.Priority&0x80 != 0 }

func (c Candidate) String() string {
	s := fmt.Sprintf("%X", c.AID)
	if c.Label != "" {
		s += " " + fmt.Sprintf("%q", c.Label)
	}
	if c.Priority&0x0F != 0 {
		s += " priority " + itoa(int(c.Priority&0x0F))
	}
	if c.ConfirmationRequired() {
		s += " (confirmation required)"
	}
	return s
}

// FCI is the file control information a card returns to SELECT (Book 1
// 11.3.4, Book 3 Table 8 for an ADF, Book 1 Table 43/45 for the PSE and a
// DDF). Its slices alias Raw.
type FCI struct {
	Raw []byte // the whole template 6F as received
	// DFName is tag 84.
	DFName []byte
	// Proprietary is the value of the FCI proprietary template A5.
	Proprietary []byte
	// SFI is the short file identifier of the directory elementary file
	// (88), for the PSE and DDFs; 0 for an ADF.
	SFI byte
	// Label (50), PreferredName (9F12), Language (5F2D) and CodeTable
	// (9F11) name the application for the cardholder.
	Label, PreferredName, Language []byte
	CodeTable                      byte
	// Priority is the application priority indicator (87).
	Priority byte
	// PDOL is the processing options data object list (9F38).
	PDOL []byte
	// Discretionary is the value of the FCI issuer discretionary data
	// (BF0C).
	Discretionary []byte
}

// ParseFCI parses a response to SELECT: exactly one template 6F holding
// the DF name (84) and the proprietary template (A5), with no primitive
// data object twice in A5. Other objects are allowed and ignored.
func ParseFCI(b []byte) (FCI, error) {
	var f FCI
	c := tlv.NewCursor(b)
	if !c.Next() {
		if err := c.Err(); err != nil {
			return f, fmt.Errorf("%w: FCI: %w", ErrCardData, err)
		}
		return f, fmt.Errorf("%w: FCI: empty", ErrCardData)
	}
	if c.Tag() != 0x6F {
		return f, fmt.Errorf("%w: FCI: template %X, want 6F", ErrCardData, uint32(c.Tag()))
	}
	obj := c.Object()
	f.Raw = obj.Raw
	if c.Next() || c.Err() != nil {
		return f, fmt.Errorf("%w: FCI: data after template 6F", ErrCardData)
	}
	var seen84, seenA5 bool
	in := obj.Children()
	for in.Next() {
		switch in.Tag() {
		case 0x84:
			if seen84 {
				return f, fmt.Errorf("%w: FCI: tag 84 twice", ErrCardData)
			}
			seen84 = true
			f.DFName = in.Value()
		case 0xA5:
			if seenA5 {
				return f, fmt.Errorf("%w: FCI: tag A5 twice", ErrCardData)
			}
			seenA5 = true
			f.Proprietary = in.Value()
			if err := f.parseA5(in.Object()); err != nil {
				return f, err
			}
		}
	}
	if err := in.Err(); err != nil {
		return f, fmt.Errorf("%w: FCI: %w", ErrCardData, err)
	}
	if !seen84 || len(f.DFName) < 5 || len(f.DFName) > 16 {
		return f, fmt.Errorf("%w: FCI: DF name (84) missing or not 5 to 16 bytes", ErrCardData)
	}
	if !seenA5 {
		return f, fmt.Errorf("%w: FCI: proprietary template (A5) missing", ErrCardData)
	}
	return f, nil
}

func (f *FCI) parseA5(a5 tlv.Object) error {
	var seen [8]bool
	in := a5.Children()
	for in.Next() {
		v := in.Value()
		i := -1
		switch in.Tag() {
		case 0x88:
			i = 0
			if len(v) != 1 || v[0] < 1 || v[0] > 30 {
				return fmt.Errorf("%w: FCI: SFI (88) not 1 to 30", ErrCardData)
			}
			f.SFI = v[0]
		case 0x50:
			i, f.Label = 1, v
		case 0x9F12:
			i, f.PreferredName = 2, v
		case 0x87:
			i = 3
			if len(v) != 1 {
				return fmt.Errorf("%w: FCI: priority (87) not 1 byte", ErrCardData)
			}
			f.Priority = v[0]
		case 0x9F38:
			i, f.PDOL = 4, v
		case 0x5F2D:
			i, f.Language = 5, v
		case 0x9F11:
			i = 6
			if len(v) != 1 {
				return fmt.Errorf("%w: FCI: code table index (9F11) not 1 byte", ErrCardData)
			}
			f.CodeTable = v[0]
		case 0xBF0C:
			i, f.Discretionary = 7, v
		}
		if i >= 0 {
			if seen[i] {
				return fmt.Errorf("%w: FCI: tag %X twice", ErrRedundantData, uint32(in.Tag()))
			}
			seen[i] = true
		}
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("%w: FCI: %w", ErrCardData, err)
	}
	return nil
}

// selectApplication builds the candidate list on its first call and then
// makes the final selection (Book 3 12.3 and 12.4). After GET PROCESSING
// OPTIONS answered 6985, run calls it again with the application removed.
func (k *kernel) selectApplication() error {
	k.begin(StepSelection)
	if k.candidates == nil {
		if err := k.buildCandidateList(); err != nil {
			return err
		}
	}
	for {
		if len(k.candidates) == 0 {
			return k.failf(ErrNoApplication, "candidate list empty")
		}
		i, err := k.chooseCandidate()
		if err != nil {
			return err
		}
		c := k.candidates[i]
		k.candidates = slices.Delete(k.candidates, i, i+1)
		r, err := k.exchange(Select(c.AID, false), nil)
		if err != nil {
			return err
		}
		if r.SW == SWFunctionNotSupported {
			return k.failf(ErrCardBlocked, "final SELECT: %v", r.SW)
		}
		if !r.SW.OK() {
			k.blockedApp = k.blockedApp || r.SW == SWFileDeactivated
			k.note("final SELECT of %X: %v; candidate removed", c.AID, r.SW)
			continue
		}
		fci, err := ParseFCI(r.Data)
		if err != nil || !bytes.Equal(fci.DFName, c.AID) {
			k.note("final SELECT of %X: FCI unusable; candidate removed", c.AID)
			continue
		}
		k.selected = c
		k.app = &k.cfg.Applications[c.app]
		clear(k.icc)
		clear(k.seen)
		k.keepFCI(fci)
		k.setAppTerminalData()
		k.note("selected %v", c)
		k.chooseLanguage(fci, c)
		return nil
	}
}

// keepFCI stores the ADF's FCI data objects.
func (k *kernel) keepFCI(f FCI) {
	k.icc[0x84] = bytes.Clone(f.DFName)
	k.icc[0x4F] = bytes.Clone(f.DFName)
	put := func(t tlv.Tag, v []byte) {
		if v != nil {
			k.icc[t] = bytes.Clone(v)
		}
	}
	put(0x50, f.Label)
	put(0x9F12, f.PreferredName)
	put(0x5F2D, f.Language)
	put(0x9F38, f.PDOL)
	put(0xBF0C, f.Discretionary)
	if f.Priority != 0 {
		k.icc[0x87] = []byte{f.Priority}
	}
	if f.CodeTable != 0 {
		k.icc[0x9F11] = []byte{f.CodeTable}
	}
}

// chooseCandidate picks the application to select (Book 3 12.4).
func (k *kernel) chooseCandidate() (int, error) {
	ch := k.cfg.Cardholder
	confirm := ch != nil && k.cfg.Terminal.ConfirmationSupported
	if ch != nil && (len(k.candidates) > 1 || (confirm && k.candidates[0].ConfirmationRequired())) {
		i, err := ch.ChooseApplication(k.ctx, slices.Clone(k.candidates))
		if err != nil {
			return 0, k.fail(err)
		}
		if i < 0 || i >= len(k.candidates) {
			return 0, k.failf(ErrCancelled, "choice %d out of range", i)
		}
		return i, nil
	}
	for i, c := range k.candidates {
		if !c.ConfirmationRequired() || confirm {
			return i, nil
		}
	}
	k.note("every candidate requires confirmation, which the terminal cannot ask for")
	return 0, k.failf(ErrNoApplication, "every candidate requires cardholder confirmation")
}

// buildCandidateList uses the PSE, then the list of AIDs if the PSE gave
// no candidate, and orders the list by priority.
func (k *kernel) buildCandidateList() error {
	k.candidates = []Candidate{}
	if !k.cfg.Terminal.PSEDisabled {
		if err := k.candidatesFromPSE(); err != nil {
			return err
		}
	}
	if len(k.candidates) == 0 {
		if err := k.candidatesFromAIDList(); err != nil {
			return err
		}
	}
	slices.SortStableFunc(k.candidates, func(a, b Candidate) int {
		pa, pb := int(a.Priority&0x0F), int(b.Priority&0x0F)
		if pa == 0 {
			pa = 16
		}
		if pb == 0 {
			pb = 16
		}
		return pa - pb
	})
	for _, c := range k.candidates {
		k.note("candidate %v", c)
	}
	if len(k.candidates) == 0 {
		return k.failf(ErrNoApplication, "%d terminal applications, none on the card", len(k.cfg.Applications))
	}
	return nil
}

// terminalApp returns the index of the terminal application adfName
// matches, or -1.
func (k *kernel) terminalApp(adfName []byte) int {
	for i, a := range k.cfg.Applications {
		if bytes.Equal(a.AID, adfName) {
			return i
		}
	}
	for i, a := range k.cfg.Applications {
		if a.PartialSelection && len(a.AID) > 0 && bytes.HasPrefix(adfName, a.AID) {
			return i
		}
	}
	return -1
}

func (k *kernel) addCandidate(c Candidate) {
	if len(k.candidates) >= maxCandidates {
		return
	}
	for _, o := range k.candidates {
		if bytes.Equal(o.AID, c.AID) {
			return
		}
	}
	k.candidates = append(k.candidates, c)
}

// candidatesFromPSE reads the payment system directory (Book 3 12.3.2).
// A card without PSE, or with a blocked or malformed one, leaves the list
// empty; only a blocked card (6A81) ends the transaction.
func (k *kernel) candidatesFromPSE() error {
	r, err := k.exchange(Select(pseName, false), nil)
	if err != nil {
		return err
	}
	switch {
	case r.SW == SWFunctionNotSupported:
		return k.failf(ErrCardBlocked, "SELECT PSE: %v", r.SW)
	case !r.SW.OK():
		k.note("no usable PSE (%v): list of AIDs", r.SW)
		return nil
	}
	fci, err := ParseFCI(r.Data)
	if err != nil || fci.SFI == 0 {
		k.note("PSE FCI unusable: list of AIDs")
		return nil
	}
	k.pseCodeTable, k.pseLanguage = fci.CodeTable, string(fci.Language)
	ok, err := k.readDirectory(fci.SFI, 0)
	if !ok {
		k.candidates = k.candidates[:0]
	}
	return err
}

// readDirectory reads the records of a directory file and follows its
// DDF entries. It reports false when the directory cannot be used, which
// abandons the PSE method (Book 3 12.3.2).
func (k *kernel) readDirectory(sfi byte, depth int) (bool, error) {
	for rec := byte(1); rec <= maxDirRecords; rec++ {
		r, err := k.exchange(ReadRecord(sfi, rec), nil)
		if err != nil {
			return false, err
		}
		if r.SW == SWRecordNotFound {
			return true, nil
		}
		if !r.SW.OK() {
			k.note("directory record %d: %v: PSE abandoned", rec, r.SW)
			return false, nil
		}
		obj, err := tlv.Find(r.Data, 0x70)
		if err != nil || obj.Offset != 0 || len(obj.Raw) != len(r.Data) {
			k.note("directory record %d malformed: PSE abandoned", rec)
			return false, nil
		}
		entries := obj.Children()
		for entries.Next() {
			if entries.Tag() != 0x61 {
				continue
			}
			e := entries.Object()
			if ddf, err := tlv.Find(e.Value, 0x9D); err == nil {
				if depth < maxDDFDepth {
					ok, err := k.selectDDF(ddf.Value, depth+1)
					if !ok || err != nil {
						return ok, err
					}
				}
				continue
			}
			adf, err := tlv.Find(e.Value, 0x4F)
			if err != nil || len(adf.Value) < 5 || len(adf.Value) > 16 {
				continue
			}
			app := k.terminalApp(adf.Value)
			if app < 0 {
				continue
			}
			c := Candidate{AID: bytes.Clone(adf.Value), app: app, CodeTable: k.pseCodeTable, Language: k.pseLanguage}
			if v, err := tlv.Find(e.Value, 0x50); err == nil {
				c.Label = string(v.Value)
			}
			if v, err := tlv.Find(e.Value, 0x9F12); err == nil {
				c.PreferredName = string(v.Value)
			}
			if v, err := tlv.Find(e.Value, 0x87); err == nil && len(v.Value) == 1 {
				c.Priority = v.Value[0]
			}
			k.addCandidate(c)
		}
		if entries.Err() != nil {
			k.note("directory record %d malformed: PSE abandoned", rec)
			return false, nil
		}
	}
	return true, nil
}

// selectDDF selects a DDF named in a directory and reads its directory.
// A DDF that cannot be selected is skipped.
func (k *kernel) selectDDF(name []byte, depth int) (bool, error) {
	r, err := k.exchange(Select(name, false), nil)
	if err != nil {
		return false, err
	}
	if !r.SW.OK() {
		k.note("DDF %X: %v: skipped", name, r.SW)
		return true, nil
	}
	fci, err := ParseFCI(r.Data)
	if err != nil || fci.SFI == 0 {
		k.note("DDF %X: FCI unusable: skipped", name)
		return true, nil
	}
	return k.readDirectory(fci.SFI, depth)
}

// candidatesFromAIDList selects each terminal AID in turn (Book 3
// 12.3.3), with SELECT next for applications that allow partial
// selection.
func (k *kernel) candidatesFromAIDList() error {
	for i := range k.cfg.Applications {
		a := &k.cfg.Applications[i]
		next := false
		for range maxSelectNext {
			r, err := k.exchange(Select(a.AID, next), nil)
			if err != nil {
				return err
			}
			if r.SW == SWFunctionNotSupported && !next {
				return k.failf(ErrCardBlocked, "SELECT %X: %v", a.AID, r.SW)
			}
			if !r.SW.OK() && r.SW != SWFileDeactivated {
				break // 6A82 or any other error: next terminal AID
			}
			fci, err := ParseFCI(r.Data)
			if err != nil {
				k.note("SELECT %X: FCI unusable", a.AID)
			} else {
				exact := bytes.Equal(fci.DFName, a.AID)
				partial := a.PartialSelection && bytes.HasPrefix(fci.DFName, a.AID)
				switch {
				case r.SW == SWFileDeactivated:
					k.blockedApp = true
					k.note("application %X blocked", fci.DFName)
				case exact || partial:
					c := Candidate{AID: bytes.Clone(fci.DFName), app: i, Priority: fci.Priority,
						Label: string(fci.Label), PreferredName: string(fci.PreferredName),
						CodeTable: fci.CodeTable, Language: string(fci.Language)}
					k.addCandidate(c)
				}
			}
			if !a.PartialSelection {
				break
			}
			next = true
		}
	}
	return nil
}

package emv

import "github.com/posflow/posflow/tlv"

// The issuer action codes when the card has none (Book 3 10.7): deny on
// nothing, go online or decline on everything.
var (
	defaultIACDenial = TVR{}
	defaultIACOnline = TVR{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
)

func (k *kernel) iac(t tlv.Tag, absent TVR) TVR {
	v, ok := k.icc[t]
	if !ok || len(v) != 5 {
		return absent
	}
	return TVR(v)
}

func matches(tvr, a, b TVR) bool {
	for i := range tvr {
		if tvr[i]&(a[i]|b[i]) != 0 {
			return true
		}
	}
	return false
}

// terminalActionAnalysis compares the TVR with the issuer and terminal
// action codes and returns the GENERATE AC reference control parameter
// for the first GENERATE AC (Book 3 10.7): AAC on a denial match; for a
// terminal that can go online, ARQC on an online match (always, for an
// online-only terminal), else TC; for an offline-only terminal, AAC on a
// default match, else TC. CDA is asked for with TC and ARQC when it was
// selected and has not failed.
func (k *kernel) terminalActionAnalysis() byte {
	k.begin(StepTAA)
	iacDenial := k.iac(0x9F0E, defaultIACDenial)
	iacOnline := k.iac(0x9F0F, defaultIACOnline)
	iacDefault := k.iac(0x9F0D, defaultIACOnline)
	a := k.app
	t := &k.cfg.Terminal
	var p1 byte
	switch {
	case matches(k.tvr, iacDenial, a.TACDenial):
		p1 = RequestAAC
		k.note("TVR %X matches a denial code: AAC", k.tvr[:])
	case t.OnlineOnly():
		p1 = RequestARQC
		k.note("online-only terminal: ARQC")
	case t.OfflineOnly():
		if matches(k.tvr, iacDefault, a.TACDefault) {
			p1 = RequestAAC
			k.note("offline-only terminal, TVR %X matches a default code: AAC", k.tvr[:])
		} else {
			p1 = RequestTC
			k.note("offline-only terminal: TC")
		}
	case matches(k.tvr, iacOnline, a.TACOnline):
		p1 = RequestARQC
		k.note("TVR %X matches an online code: ARQC", k.tvr[:])
	default:
		p1 = RequestTC
		k.note("no action code matches: TC")
	}
	if k.oda == odaCDA && !k.cdaFailed && (p1 != RequestAAC || a.CDAForAAC) {
		p1 |= RequestCDA
	}
	return p1
}

// defaultActionAnalysis decides with the default action codes after the
// terminal could not go online (Book 3 10.7): AAC on a match, else TC.
func (k *kernel) defaultActionAnalysis() bool {
	iacDefault := k.iac(0x9F0D, defaultIACOnline)
	return !matches(k.tvr, iacDefault, k.app.TACDefault)
}

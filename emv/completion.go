package emv

// completion sends the second GENERATE AC with the CDOL2 data (Book 3
// 10.11): a TC if the issuer approved, or if the terminal could not go
// online and the default action codes allow it (ARC Y3; otherwise Z3); an
// AAC otherwise. CDA is asked for with a TC when it was selected and has
// not failed, and with an AAC as well under Application.CDAForAAC. A card that declines a transaction the issuer approved
// leaves the result with ReversalRequired.
func (k *kernel) completion() error {
	k.begin(StepCompletion)
	var p1 byte
	switch {
	case k.unableOnline:
		if !k.cfg.Terminal.OnlineOnly() && k.defaultActionAnalysis() {
			p1, k.arc = RequestTC, [2]byte{'Y', '3'}
		} else {
			p1, k.arc = RequestAAC, [2]byte{'Z', '3'}
		}
		k.term[0x8A] = k.arc[:]
		k.note("unable to go online: ARC %s", k.arc[:])
	case k.online.Approved:
		p1 = RequestTC
	default:
		p1 = RequestAAC
	}
	if k.oda == odaCDA && !k.cdaFailed && (p1 == RequestTC || k.app.CDAForAAC) {
		p1 |= RequestCDA
	}
	g, err := k.secondGenerateAC(p1)
	if err != nil {
		return err
	}
	approved := g.CID.Type() == TC && !(p1&RequestCDA != 0 && k.cdaFailed)
	switch {
	case approved && k.unableOnline:
		k.res.Outcome = ApprovedOffline
	case approved:
		k.res.Outcome = ApprovedOnline
	case k.unableOnline:
		k.res.Outcome = DeclinedOffline
	default:
		k.res.Outcome = DeclinedOnline
		if k.online.Approved {
			k.res.ReversalRequired = true
			k.note("card declined a transaction the issuer approved: reversal required")
		}
	}
	k.note("card answered %v", g.CID)
	return nil
}

func (k *kernel) secondGenerateAC(p1 byte) (GenerateACResponse, error) {
	cdol2 := k.icc[0x8D]
	if err := k.tcHash(cdol2); err != nil {
		return GenerateACResponse{}, err
	}
	data, err := k.appendDOL(nil, cdol2)
	if err != nil {
		return GenerateACResponse{}, k.failf(ErrCardData, "CDOL2: %v", err)
	}
	g, err := k.generateAC(p1, data, cdol2, k.cdol1Data)
	if err != nil {
		return g, err
	}
	if g.CID.AdviceRequired() {
		k.res.AdviceRequired = true
	}
	return g, nil
}

// declineAfterCDAFailure completes a transaction whose first cryptogram
// was an ARQC with a failed CDA: the terminal does not go online and asks
// the card for an AAC (Book 2 6.6.2, Book 4 6.3.2).
func (k *kernel) declineAfterCDAFailure() error {
	k.begin(StepCompletion)
	k.arc = [2]byte{'Z', '1'}
	k.term[0x8A] = k.arc[:]
	if _, err := k.secondGenerateAC(RequestAAC); err != nil {
		return err
	}
	k.res.Outcome = DeclinedOffline
	return nil
}

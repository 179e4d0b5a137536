// Package emv implements the terminal side of an EMV chip transaction as
// specified by EMV 4.4 (Integrated Circuit Card Specifications for Payment
// Systems, 2022): the data dictionary of Book 3 Annex A, the data object
// lists of Book 3 section 5.4, the command and response APDUs of Book 3
// section 6 with the T=0 transport rules of Book 1 section 9, the bit
// fields of Book 3 Annex C (AIP, AUC, TVR, TSI, CID, CVM results) and Book 4
// Annex A (terminal capabilities and additional terminal capabilities),
// the CVM list of Book 3 section 10.5, the
// application file locator of Book 3 section 10.2, the contact kernel of
// Book 3 sections 10 and 12, and the magnetic-stripe track data of ISO/IEC
// 7813 that a terminal reads when it falls back from the chip.
//
// Data objects are BER-TLV, read and written by package
// github.com/posflow/posflow/tlv; [Printer] plugs the dictionary into the
// tlv printer so that tags are named and the PAN, track data, names and PIN
// data are masked.
//
// Nothing in this package prints card data in clear: the String methods,
// errors and the printer mask the PAN (first six and last four digits) and
// hide track data, cardholder names and PIN data.
//
// # The contact kernel
//
// [Process] runs one transaction with a [Card], a [Config] and a
// [Transaction], and returns a [Result]. Inside, one unexported state
// struct has one method per step, called in the order of Book 3, each in
// the file named after it:
//
//	select.go       application selection: PSE with DDFs, list of AIDs with
//	                partial selection, candidate list, final selection (12)
//	gpo.go          initiate application processing: PDOL, GET PROCESSING
//	                OPTIONS, 6985 back to selection (10.1)
//	readrecords.go  read application data: records, ODA input, mandatory and
//	                redundant data (10.2, 10.3)
//	oda.go          offline data authentication: SDA, DDA, CDA key recovery
//	                with package emv/oda (10.3, Book 2 5 and 6)
//	restrictions.go processing restrictions: version, usage control, dates (10.4)
//	cvmproc.go      cardholder verification: the CVM list, offline plaintext
//	                and enciphered PIN, online PIN, signature (10.5)
//	trm.go          terminal risk management: floor limit with the split-sales
//	                log, random selection, velocity, exception file (10.6)
//	taa.go          terminal action analysis (10.7)
//	caa.go          card action analysis: first GENERATE AC, CDA (10.8)
//	online.go       online processing through [Online] (10.9)
//	issuerauth.go   issuer authentication: EXTERNAL AUTHENTICATE or 91 in
//	                CDOL2 (10.9)
//	scripts.go      issuer-to-card script processing, 71 and 72 (10.10)
//	completion.go   second GENERATE AC, reversal decision (10.11)
//	result.go       the Result, its outcome and field 55
//	language.go     language selection and the application's display name
//	iad.go          issuer application data: VSDC, M/Chip and CCD layouts
//	                and their card verification results, shown in the trace
//	config.go       the configuration and the interfaces the terminal provides
//	pinpad.go       a PINPad enciphering online PINs under DUKPT
//	trace.go        the masked trace of the transaction
//
// A step either returns an error that terminates the transaction — a
// *[StepError] naming the step and wrapping a sentinel ([ErrCardBlocked],
// [ErrNoApplication], [ErrCancelled], [ErrCardData], [ErrMissingData],
// [ErrRedundantData], [ErrServiceNotAllowed]) or the [StatusWord] the card
// answered — or records its outcome in the TVR and TSI and lets the next
// step decide, as Book 3 asks. Every APDU, decoded response and decision goes into Result.Trace
// with the step's name; the PAN is masked, track data and PIN blocks are
// not shown.
//
// The terminal provides, through Config: a [Cardholder] to choose or
// confirm an application, a [PINPad] that returns format 2 blocks for
// offline PINs and blocks enciphered under its own key (DUKPT) for online
// PINs ([DUKPTPINPad] is one for software PIN entry), an [Online] connection to the acquirer, a [TransactionLog] for the
// split-sales check and an [ExceptionFile]. Randomness (unpredictable
// number, random selection, PIN padding) and the clock are injected through
// Config.Rand and Config.Time, so that tests and transcripts are
// deterministic.
//
// After a Terminated outcome with Result.FallbackAllowed, the terminal may
// read the magnetic stripe; [MagstripeEntryMode] with chipFailed set gives
// the fallback POS entry mode 80.
//
// # Decisions where Book 3 is silent
//
//   - Selection: a PSE that is absent, blocked (6283) or malformed, or whose
//     directory holds no supported application, is abandoned for the list of
//     AIDs; only 6A81 to SELECT of the PSE or of a terminal AID ends the
//     transaction (card blocked). DDFs are followed 4 levels deep, 32
//     records per directory, 32 SELECT next per AID. Without a Cardholder,
//     the highest-priority application that needs no confirmation is
//     selected; with one, it chooses among several and confirms one that
//     asks for confirmation when Terminal.ConfirmationSupported is set.
//   - Records: a data object read twice from the GPO response and the
//     records is redundant and terminates; one repeated from the FCI is not.
//     5A, 5F24, 8C and 8D are mandatory; a malformed CDOL terminates.
//   - ODA: CDA is preferred to DDA and DDA to SDA when both sides support
//     them. A failure sets the method's TVR bit (and "ICC data missing" when
//     a data object was absent) and the transaction goes on. A CDA failure
//     on an ARQC completes with a second GENERATE AC asking for an AAC,
//     without going online; on a TC it declines. With CDA the cryptogram is
//     the one inside the signature; a 9F26 beside it that differs fails CDA.
//     CDA is not asked for with an AAC unless Application.CDAForAAC is
//     set; then an AAC signed by the card is verified (a failure sets
//     "CDA failed") and an unsigned one is accepted.
//   - Language: the first language of the card's 5F2D that the terminal
//     supports (Terminal.Languages), else the terminal's first; the
//     preferred name (9F12) is shown when the terminal supports the
//     issuer code table of 9F11 (9F40 bytes 4-5), else the label.
//   - PIN bypass holds for the later PIN CVMs of the list only when
//     Terminal.SubsequentPINBypass is set; otherwise each prompts.
//   - An AAC for "service not allowed" (CID reason 1) terminates the
//     transaction ([ErrServiceNotAllowed]) instead of declining it.
//   - CVM: a rule the terminal does not support fails like a tried rule
//     (and moves on with b7); no satisfied condition gives 3F 00 01;
//     signature and online PIN have result "unknown" (00).
//   - Terminal risk management runs when the AIP asks for it; the exception
//     file and the merchant's forced online are checked in any case.
//     ATC not above the last online ATC counts as "velocity checking not
//     possible".
//   - Online: the terminal's Online decides approval (OnlineResponse.Approved);
//     referrals are declines. Unable to go online applies the default action
//     codes (Y3/Z3); an online-only terminal declines (Z3).
//   - Issuer authentication data of the wrong length set "issuer
//     authentication failed" without being sent. Scripts: a command answered
//     with SW1 other than 90, 62, 63 ends its script; malformed templates
//     count as failed.
//   - Refunds run the same flow as purchases; the terminal decides what to
//     ask of the card through its action codes.
//
// # Performance
//
// One complete online CDA transaction with enciphered PIN, against a card
// replaying a recorded transcript, takes about 95 µs and 720 allocations
// with the trace (which decodes the issuer application data) and 31 µs
// and 210 allocations without it, on one core of the development machine;
// with emv/cardsim computing the card's answers (RSA signatures,
// cryptograms) the same transaction takes about 480 µs
// (go test ./emv -run '^$' -bench ProcessCDA -count 3 -cpu 1, on a
// shared machine).
package emv

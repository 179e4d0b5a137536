// Package c2 implements Kernel 2 of EMV Contactless Book C-2 (Kernel 2
// Specification, version 2.11, 2023) in EMV mode: the M/Chip flow in which
// the terminal reads the card, verifies the cardholder, analyses the
// transaction and asks for a cryptogram with GENERATE AC, the cryptogram
// coming back inside the signed dynamic data of CDA.
//
// A Kernel is activated by package emv/entrypoint. Inside, one unexported
// state struct has one method per step of Book C-2 (its states S1 to S9),
// each in the file named after it:
//
//	gpo.go          initiate application processing: PDOL data, GET
//	                PROCESSING OPTIONS, EMV or mag-stripe mode (S1, S3)
//	records.go      read application data, with the first AFL entry
//	                dropped in EMV mode (S3.30-S3.32, S4)
//	restrictions.go processing restrictions: dates, AUC (procedure 7.7)
//	cvm.go          CVM selection (procedure 7.5) with the CVM capability
//	                of the CVM required limit
//	riskmgmt.go     terminal risk management: floor limit (7.8)
//	taa.go          terminal action analysis (7.8)
//	genac.go        GENERATE AC with CDA and its verification (S9, 7.6)
//	outcome.go      the outcome and the data record
//	magstripe.go    mag-stripe mode: the whole AFL, the unpredictable number
//	                (numeric), COMPUTE CRYPTOGRAPHIC CHECKSUM with the UDOL,
//	                the dynamic track 2 with CVC3, UN and ATC (S7, S13)
//
// # Not supported
//
// Relay resistance, torn transaction recovery (RECOVER AC), data exchange
// (DEK/DET), the integrated data storage, on-device cardholder
// verification, the second GENERATE AC of a two-tap flow, track 1 in
// mag-stripe mode (56, CVC3(Track1)) and mag-stripe mode for mobile
// devices (the mobile support indicator 9F7E is sent as 00). What a card
// may ask for of these ends explicitly:
//
//   - a card that offers relay resistance (AIP byte 2 bit 1) is not sent
//     EXCHANGE RELAY RESISTANCE DATA, as Book C-2 has it for a reader
//     without the protocol: the TVR says "relay resistance protocol not
//     performed" (byte 5 bits 2-1 = 01) and the issuer sees it;
//   - a mobile device that declines with POS cardholder interaction
//     information (DF4B) asking for an action on the device gets End
//     Application, Start B, "see phone" and ErrDeviceCVM;
//   - a card that supports only mag-stripe mode on a kernel configured
//     without it gets Try Another Interface with ErrMagstripeMode.
//
// Torn transaction recovery and data exchange are started by the reader,
// never by the card. TestUnsupportedFeatures shows each case.
//
// # Decisions where Book C-2 is silent or leaves the choice to the reader
//
//   - The CVM capability byte of 9F33 follows the Entry Point indicator
//     "CVM required limit exceeded" (amount at or over the limit, Book B),
//     not C-2's own comparison (over the limit).
//   - CVM results byte 1 holds the CVM code without the "apply succeeding"
//     bit, as the recorded transactions show.
//   - Offline PINs are never supported in contactless: such rules fail like
//     unsupported ones. Consumer device CVM (AIP byte 1 bit 2) is not
//     supported.
//   - The unpredictable number (numeric) of mag-stripe mode is the UN
//     (9F37) as an integer modulo 10^nUN unless the Kernel supplies its
//     rule; the dynamic track 2 discretionary data were not checked
//     against a card, whose CVC3 key is not public.
//   - Absent issuer action codes are 0000000000 for denial and FFFFFFFFFF
//     for online and default (Book 3 10.7).
//   - The ICC public key is retrieved after GENERATE AC, as in Book C-2
//     S9: a failure to retrieve it or a CDA signature that fails sets "CDA
//     failed" and declines, whatever cryptogram the card returned. An AAC
//     is asked for without CDA.
//
// # Evidence and performance
//
// The public Mastercard test-card transcripts mock-msc-offline.json (TC,
// CDA under test CA key F3), mock-msc-offline-2.json (TC asked, ARQC
// returned, CDA under F8, padded records) and mock-msc-online.json (ARQC
// with online PIN, CDA under FA) are replayed byte for byte by a strict
// replay card and reach their recorded outcomes, cryptograms and ICC
// dynamic numbers; mock-msc-ms-mode.json is replayed in mag-stripe mode to
// its online request with CVC3 A2C4, with the source project's rule for
// 9F6A injected (Kernel.UnpredictableNumberNumeric). A simulated M/Chip
// card with CDA (emv/cardsim.MChipCard) covers the CVM, risk and action
// analysis decisions.
//
// A complete tap of mock-msc-offline.json (Entry Point, Kernel 2, CA,
// issuer and ICC certificates and the CDA signature) takes 16 to 55 µs
// and 97 allocations without the trace, 58 to 160 µs and 395 allocations
// with it, against 0.4 to 3 µs for the replay card alone, on one core of
// a shared and unevenly loaded development machine (go test ./emv/c2 -run
// '^$' -bench . -count 3 -cpu 1).
package c2

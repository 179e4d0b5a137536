// Package c3 implements Kernel 3 of EMV Contactless Book C-3 (Kernel 3
// Specification, version 2.11, 2023) in its qVSDC path: the card makes its
// decision, and returns its cryptogram, in the response to GET PROCESSING
// OPTIONS.
//
// A Kernel is activated by package emv/entrypoint. Inside, one unexported
// state struct has one method per step of Book C-3 chapter 5, each in the
// file named after it:
//
//	gpo.go          initiate application processing: PDOL data with the
//	                TTQ, GET PROCESSING OPTIONS, the card's decision (5.2, 5.3)
//	records.go      read application data (5.4)
//	restrictions.go processing restrictions: expiry date (5.5)
//	fdda.go         offline data authentication, fDDA 00 and 01 (5.6)
//	cvm.go          cardholder verification from the CTQ and TTQ (5.7)
//	issuerupdate.go issuer update processing on a second tap (5.9)
//	outcome.go      the outcome and the data record (5.8)
//	ctq.go          the Card Transaction Qualifiers (9F6C)
//
// # Decisions where Book C-3 is silent or leaves the choice to the reader
//
//   - A PDOL without the TTQ (9F66) means the card does not do qVSDC on this
//     reader: End Application (the MSD and contact VSDC paths are not
//     implemented).
//   - GPO answered 6984 gives Try Another Interface, 6985 Select Next, 6986
//     Try Again with "see phone"; other status words End Application.
//   - The cryptogram type is 9F27 when present, else bits 6-5 of byte 5 of
//     the issuer application data (CVR byte 2) for the Visa IAD formats that
//     begin with a length of 06 or 1F (format 0/1/3 and format 2).
//   - An offline approval needs fDDA: a TC from a card that does not
//     support DDA (AIP byte 1 bit 6), or whose fDDA fails, is declined unless
//     the CTQ asks to go online (and the reader can) or to switch interface.
//   - A TC while the reader asked for an online cryptogram (TTQ byte 2
//     bit 8), or with the CTQ asking for online PIN, is sent online.
//   - CVM: a CVM required that neither side can perform declines. A
//     consumer device CVM is accepted when the CTQ says it was performed
//     and its copy in 9F69 (bytes 6-7) agrees; without a copy, only on an
//     online cryptogram.
//   - Issuer update processing: when the TTQ and the CTQ both support it,
//     an online request asks for a second tap (Start B); on that tap
//     (entrypoint.Restart) the kernel sends EXTERNAL AUTHENTICATE with 91
//     if present and the script commands of 71 and 72 in the order
//     received, without GET PROCESSING OPTIONS, and reports the issuer's
//     decision with the script results (9F5B). Scripts are not split into
//     before and after a cryptogram: there is none on that tap.
//
// # Evidence and performance
//
// The public Visa test-card transcripts (mock-visa-offline.json: offline
// TC with fDDA version 01 under Visa test CA key 92; mock-visa-online.json:
// ARQC with online PIN) are replayed byte for byte by a strict replay card
// and reach their recorded outcomes; scenario tests edit them where the
// signature allows, and a simulated card (emv/cardsim.QVSDCCard) covers
// the other decisions.
//
// A complete tap of the offline transcript (Entry Point, Kernel 3, CA,
// issuer and ICC certificates and the fDDA signature) takes 13 to 27 µs
// and 87 allocations without the trace, 39 to 110 µs and 285 allocations
// with it, against 0.25 to 0.5 µs for the replay card alone, on one core
// of a shared and unevenly loaded development machine (go test ./emv/c3
// -run '^$' -bench . -count 3 -cpu 1).
package c3

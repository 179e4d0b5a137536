// Package cardsim implements simulated EMV cards for tests. Card is a
// contact card: an
// integrated circuit card as specified by EMV 4.4 (Integrated Circuit Card
// Specifications for Payment Systems, version 4.4, 2022) Book 1 (application
// independent ICC to terminal interface: SELECT, the PSE directory, T=0
// transport), Book 2 (security and key management: SDA, DDA, CDA, offline
// enciphered PIN, application cryptograms, ARPC and secure messaging) and
// Book 3 (application specification: the commands of section 6.5 and the
// data objects of Annex A), personalised from a Profile.
//
// A Card implements emv.Card. It answers SELECT (PSE 1PAY.SYS.DDF01 with
// DDFs under it, optionally blocked, and optionally PPSE 2PAY.SYS.DDF01;
// AIDs whole or partial with SELECT next; 6283 for a blocked application,
// 6A81 for a blocked card), READ RECORD (directories, records, log),
// GET PROCESSING OPTIONS (format 1 or 2, PDOL length checked), GET DATA
// (9F36, 9F13, 9F17, 9F4F, 9F14, 9F23), GET CHALLENGE, VERIFY (plaintext
// and enciphered PIN, 63Cx and 6983), INTERNAL AUTHENTICATE (DDA), GENERATE
// AC first and second (with CDA), EXTERNAL AUTHENTICATE, and the issuer
// script commands APPLICATION BLOCK and UNBLOCK, CARD BLOCK, PIN
// CHANGE/UNBLOCK and PUT DATA with their MAC checked. Optionally it behaves
// as over T=0 (61xx, 6Cxx, case 4 without Le), and seeded faults can be
// injected into its answers (Fault): status word substitution, TLV
// corruption, missing data objects, a response in another template, bad
// signatures and certificates, a mute card, and a forced cryptogram type.
// Card.State shows its counters and flags; Card.Clone copies a personalised card cheaply, to run many
// transactions from one starting point.
//
// QVSDCCard and MChipCard are contactless cards, one application each,
// for the kernels of EMV Contactless Books C-3 and C-2 (see Contactless
// cards below).
//
// For tests of a terminal's handling of card data, an Application can move
// its data records to an SFI above 10 (AppDataSFI, whose whole records are
// then signed), carry extra data objects (ExtraData) or announce another
// AFL (AFL).
//
// # Cryptography
//
// The card derives its ICC master keys from the profile's issuer master
// keys exactly as package emv/issuer does, so that every cryptogram it
// computes verifies with issuer.VerifyCryptogram (and with issuer.Verify
// for the scheme AIDs), ARPCs made with issuer.ARPC are accepted, and
// script commands built with issuer.Script pass its MAC check. Its RSA keys
// come from a test certification authority (Keys, GenerateKeys,
// SeededKeys) and its certificates and signatures are made with package
// emv/oda, so they verify with emv/oda. Keys are small (1024, 896 and 768
// bits) so that generating a card takes milliseconds.
//
// # Ready-made profiles
//
// Presets lists Visa CVN 10 and 18 and Mastercard CVN 16 and 20, each
// built in any ODAMode (none, SDA, DDA, CDA) deterministically from a seed;
// BlockedApplication, BlockedCard, ExpiredCard, NotYetEffective,
// PINTriesExhausted and TwoApplications are the edge cases. Their data
// objects (CDOLs, IACs, CVM lists) are those of VSDC and M/Chip cards.
//
// # Contactless cards
//
// NewQVSDC personalises a Visa-style card for Kernel 3 (Book C-3, version
// 2.11, the qVSDC path) from a QVSDCProfile: it answers the PPSE, SELECT
// with a PDOL asking for the TTQ, GET PROCESSING OPTIONS with its own
// decision (TC at or under its offline limit when the reader does not ask
// for an online cryptogram, ARQC otherwise, AAC when told to decline),
// the CTQ of the profile and fDDA version 01, READ RECORD, and on a second
// tap EXTERNAL AUTHENTICATE and the issuer script commands, which it
// records (QVSDCCard.IssuerCommands) without checking their MACs. Its
// cryptograms are Visa CVN 18.
//
// NewMChip personalises a Mastercard-style card for Kernel 2 (Book C-2,
// version 2.11, EMV mode) from an MChipProfile: PPSE, SELECT without PDOL,
// GET PROCESSING OPTIONS whose AFL names a mag-stripe record first (which
// an EMV-mode kernel must not read, MChipCard.MagstripeRead), READ RECORD
// and GENERATE AC with CDA, the cryptogram only inside the signed dynamic
// data. Its cryptograms are Mastercard CVN 16. MChipProfile can offer
// relay resistance in the AIP or make the card a phone that declines and
// asks for cardholder verification on the device (DF4B), for tests of what
// a kernel does with features it does not support.
//
// Both derive their ICC master key from the profile's IMK (TestIMK by
// default) as emv/issuer does, so issuer.Verify accepts their cryptograms;
// their CA key comes back from the constructor, under the scheme's RID.
// Neither is safe for concurrent use; Clone copies one.
//
// # Decisions where the specifications are silent
//
//   - Files: SFI 1 record 1 holds 57 and 5F20; SFI 2 records 1 and 2 the
//     application data (5A, 5F34, dates, 5F28, 5F30, 9F07, 9F08, 9F42,
//     9F44, 9F14, 9F23; then 8E, 8C, 8D, 9F49, IACs, 9F4A); all three are
//     signed for ODA. SFI 3 holds 8F, 90, 92, 9F32; then 93 (SDA); then
//     9F46-9F48 (DDA, CDA, or an SDA card whose ICC key deciphers the
//     PIN); then 9F2D-9F2F (ICC PIN encipherment key); it is not signed. The AIP is derived from the
//     profile unless given.
//   - The ATC is incremented by GET PROCESSING OPTIONS. Every SELECT ends
//     the transaction; an ARQC not followed by a second GENERATE AC sets
//     "last online transaction not completed".
//   - Card risk management (first GENERATE AC): the card never answers a
//     higher cryptogram than asked; a blocked application declines; a TC
//     request becomes an ARQC when the last online transaction was not
//     completed, issuer authentication failed on it, the PIN try limit is
//     exceeded, or ATC - last online ATC exceeds the lower consecutive
//     offline limit.
//   - Completion (second GENERATE AC): with ARC Y3/Z3 (unable to go online)
//     the card approves only within the upper consecutive offline limit.
//     Otherwise the ARPC in the CDOL2 data (tag 91, all zeros meaning
//     absent) or from EXTERNAL AUTHENTICATE decides: with IssuerAuthRequired
//     a missing or wrong ARPC declines, without it the failure is only
//     recorded. An online approval without failed issuer authentication
//     sets the last online ATC register to the ATC.
//   - The second cryptogram is computed over the CDOL1 data with the CDOL2
//     data in its place where both name a tag.
//   - With CDA the response is format 2 without 9F26 (the cryptogram is in
//     the signature, Book 2 6.6.1); an AAC is not signed unless
//     Application.CDAForAAC is set, but a CDA card asked for CDA answers
//     it in format 2 too.
//   - Issuer application data: VSDC format 0 (06 DKI CVN 03 CVR, 7 bytes)
//     for Visa CVN 10 and 18, the 18-byte M/Chip 4 layout for Mastercard
//     (CVN 16, 17, 20, 21; the counters are zero). An Application may also
//     use Visa CVN 22 (format 2, 32 bytes) or Interac CVN 133, whose
//     layouts carry the VSDC CVR bits: emv/issuer detects and verifies
//     them, but their CVRs are not the schemes' own. The CVR bits
//     the card tracks are: cryptogram types of both GENERATE ACs, offline
//     PIN performed/failed/enciphered, try limit exceeded, issuer
//     authentication performed/failed (now and last online), last online
//     transaction not completed, unable to go online, offline limits
//     exceeded, new card (Visa), domestic/international (Mastercard), DDA
//     and CDA performed, script count and failure.
//   - An enciphered PIN whose header or ICC unpredictable number is wrong
//     counts as a wrong PIN (63Cx).
//   - Script commands need a cryptogram of the current transaction; the
//     ARQC used for their MAC is incremented per command for the versions
//     that derive the key from it, counting every command received. A
//     wrong MAC is 6988 and marks the script as failed.
//   - The CA key of the ready-made profiles is registered under the RID of
//     their AID, because a terminal looks the CA key up by the AID's RID,
//     with index TestCAPKIndex (E1), which no scheme publishes a test key
//     under; Options.RID moves AIDs and key under a private RID.
//
// No error and no String method contains a PAN, a PIN or a key.
package cardsim

// Package issuer implements the issuer (host and HSM) side of EMV
// application cryptography with double-length TDES keys, as specified by
// EMV 4.4 Book 2 (Integrated Circuit Card Specifications for Payment
// Systems, Book 2: Security and Key Management, version 4.4, October 2022)
// and by the payment schemes' cryptogram version (CVN) rules:
//
//   - ICC master key derivation, option A and option B (Annex A1.4);
//   - session keys (Annex A1.3): the EMV common session key, the
//     Mastercard SKD (R = ATC ‖ 00 00 ‖ UN), the Visa secure messaging key
//     (exclusive-or with the ATC), and no session key;
//   - application cryptograms (section 8.1, Annex A1.2: ISO/IEC 9797-1 MAC
//     algorithm 3) for Visa CVN 10, 18 and 22, Mastercard CVN 16, 17, 20 and
//     21 and Interac CVN 133, each with its own key, data list and padding;
//   - detection of the version from the issuer application data (9F10)
//     and the AID, as the Visa VSDC formats (Visa Contactless Payment
//     Specification 2.2 Supplemental Requirements, Appendix M) and the
//     M/Chip 4 and M/Chip Advance layouts (M/Chip Requirements for Contact
//     and Contactless, 2022, Appendix B) define it;
//   - ARPC methods 1 and 2 (section 8.2) and the issuer authentication
//     data (tag 91) each version expects;
//   - issuer script secure messaging (section 9 and Annex A1.2): command
//     MACs, Visa, Mastercard and EMV encipherment, PIN change (VIS and ISO
//     9564-1 format 2 PIN blocks), PIN unblock, application and card block
//     and unblock, with the ARQC increment for successive commands;
//   - card verification values: CVV, CVV2 and iCVV, Visa dCVV and the
//     Mastercard CVC3.
//
// # Cryptogram versions
//
//	version            option  cryptogram key         data after the common list   pad  ARPC                 script keys
//	Visa CVN 10        A       ICC master key         CVR (9F10 bytes 4–7)         1    method 1, master key Visa (ATC)
//	Visa CVN 18        B       common session key     all of 9F10                  2    method 2, session    Visa (ATC)
//	Visa CVN 22        B       common session key     all of 9F10                  2    method 2, session    common (R = ARQC)
//	Mastercard CVN 16  A       Mastercard SKD         CVR (9F10 bytes 3–8)         2    method 1, master key common (R = ARQC)
//	Mastercard CVN 17  A       Mastercard SKD         CVR, counters (bytes 11–18)  2    method 1, master key common (R = ARQC)
//	Mastercard CVN 20  A       common session key     CVR                          2    method 1, session    common (R = ARQC)
//	Mastercard CVN 21  A       common session key     CVR, counters                2    method 1, session    common (R = ARQC)
//	Interac CVN 133    A       Mastercard SKD         all of 9F10                  2    method 1, SKD        common (R = ARQC)
//
// The common list is 9F02 ‖ 9F03 ‖ 9F1A ‖ 95 ‖ 5F2A ‖ 9A ‖ 9C ‖ 9F37 ‖ 82 ‖
// 9F36, 33 bytes: the minimum set of data elements EMV 4.4 Book 2 section
// 8.1.1 recommends. Option B equals option A for PANs of 16 digits or
// fewer, so it matters only for longer PANs.
//
// # Worked example
//
// An issuer host receives field 55 and verifies the ARQC, then answers
// with the ARPC:
//
//	data, err := issuer.ParseField55(de55)
//	cvn, err := issuer.Verify(imkAC, pan, psn, data) // detects the CVN from 9F10 and 4F
//	var ve *issuer.VerifyError
//	if errors.As(err, &ve) {
//		log.Print(ve) // step, KCVs of the derived keys, the exact data MACed
//	}
//	arpc, err := issuer.ARPC(cvn, imkAC, pan, psn, data, data[issuer.TagApplicationCryptogram], arc)
//	tag91, err := issuer.IssuerAuthenticationData(cvn, arpc, arc, nil)
//
// # Decisions where the specifications leave a choice
//
// Keys. Every key is a 16-byte double-length TDES key; 8- and 24-byte keys
// are rejected with a [*KeySizeError]. The AES derivations of EMV 4.4
// (option C, AES session keys, CMAC cryptograms) are not implemented: no
// public vector asserts them. Parity of an incoming issuer master key is
// not enforced (DES ignores it; use keys.CheckParity); every derived master
// and session key is returned with odd parity, as HSMs return them.
//
// Key lifetime. The functions that return a derived key ([MasterKeyA],
// [MasterKeyB], [SessionKey], [VisaSessionKey], [CryptogramKey],
// [ARPCKey], [SecureMessagingKey]) return a fresh slice that the caller
// owns and should clear (clear(key)) when done. The functions that only
// use derived keys on the way (verifying a cryptogram, computing an ARPC,
// a CVC3, a script command) clear them and their key schedules before
// they return; a [Script] holds its ICC master keys until [Script.Clear].
//
// PAN and PSN. PANs are 8 to 19 decimal digits, as in package pinblock.
// An empty PSN means 00, as EMV says for an absent 5F34; a one-digit PSN is
// the two-digit number ("1" is "01").
//
// Strict data. [Cryptogram] needs every element of the common list with the
// length of EMV 4.4 Book 3 Annex A. An absent element is a [*DataError],
// never zeros: the card MACed whatever its CDOL1 received, and a host that
// fills in zeros hides the bug it would otherwise report. [ParseField55]
// rejects a repeated tag for the same reason.
//
// Version trust. [Cryptogram], [ARPC] and [VerifyCryptogram] use the
// version they are given and read the issuer application data only where
// that version puts what it MACs; they do not check that 9F10 names the
// same version. [DetectCVN] and [ParseIAD] find the version from 9F10 and
// the AID and never guess: another RID is [ErrScheme], another layout or
// version number an [*IADError] saying what did not match. Visa names CVN
// '22' by its hexadecimal code and the others by their decimal value; it is
// recognised in the 32-byte format 2 issuer application data, while a
// format 0/1/3 9F10 with code 12 is CVN 18. The Interac layout recognised
// (length byte, DKI, 85, CVR length, CVR…) is the one of the public test
// vector; Interac's specification is not public.
//
// M/Chip counters. Mastercard CVN 17 and 21 MAC the 8 counter bytes of
// the M/Chip 4 layout (issuer application data bytes 11–18). M/Chip
// Advance cards may carry longer counters (pyemv notes 8 or 16 bytes, with
// or without the last online ATC) in 20- to 28-byte issuer application
// data; which of those bytes enter the cryptogram is an issuer
// personalisation choice no public source pins down, so this package MACs
// bytes 11–18 for every length and a host with another profile builds the
// data with [ApplicationCryptogram].
//
// ARPC. [ARPC] follows the signature of the issue: code is the ARC for
// method 1 and the CSU for method 2, without proprietary authentication
// data. [ARPCKey] and [ARPCMethod2] compute method 2 with it.
//
// Scripts. Command MACs are 8 bytes. For the versions whose secure
// messaging keys use R = ARQC, the n-th command of a script (from 0) uses
// ARQC + n both as the key diversifier and in the MAC data; Visa CVN 10 and
// 18 derive their keys from the ATC and MAC the ARQC unchanged. Interac
// CVN 133 MACs the command alone, without ATC and ARQC. PIN change uses
// P2 = 02 without the current PIN and P2 = 01 with it (Visa versions only,
// with the VIS PIN block). Commands are built in the order the card will
// run them; a [Script] is not safe for concurrent use. Everything else in
// the package is.
//
// Diagnostics. A cryptogram that does not verify returns a [*VerifyError]
// with the step reached and a [Trace]: the key check values of the derived
// ICC master key and session key and the exact bytes MACed. Keys, PINs and
// PANs never appear in an error or a String method; the expected
// cryptogram does not either, because returning it would let anyone forge
// one by submitting garbage. The check values are computed only when
// verification fails (they cost two key schedules). [TraceCryptogram]
// gives the full trace on demand. Cryptograms, ARPCs, MACs and card
// verification values are compared in constant time.
//
// Card verification values. The dCVV follows jPOS's software HSM (the
// CVV algorithm over the PAN with its four leftmost digits replaced by the
// ATC), which reproduces jPOS's published values; Visa's specification is
// not public. [CVC3] returns five digits, zero-filled; [VerifyCVC3]
// compares as many rightmost digits as the card sent.
package issuer

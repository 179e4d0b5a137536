// Package issuer implements the issuer side of EMV application cryptography
// for TDES: the ICC master key derivation of EMV 4.4 Book 2 (Integrated
// Circuit Card Specifications for Payment Systems, Book 2: Security and Key
// Management, version 4.4, October 2022) Annex A1.4 (option A and option
// B), the session key derivations of Annex A1.3 and of the schemes, the
// application cryptograms of section 8.1 for the cryptogram versions of
// Visa (CVN 10, 18 and 22), Mastercard (CVN 16, 17, 20 and 21) and Interac
// (CVN 133), the ARPC methods 1 and 2 of section 8.2, the secure messaging
// of issuer scripts of section 9, and the card verification values CVV,
// CVV2, iCVV, dCVV and CVC3.
//
// See the package overview in the rest of this comment (doc.go) for the
// decisions taken where the specifications leave a choice.
package issuer

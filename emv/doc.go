// Package emv implements the terminal side of an EMV chip transaction as
// specified by EMV 4.4 (Integrated Circuit Card Specifications for Payment
// Systems, 2022): the data dictionary of Book 3 Annex A, the data object
// lists of Book 3 section 5.4, the command and response APDUs of Book 3
// section 6 with the T=0 transport rules of Book 1 section 9, the bit
// fields of Book 3 Annex C (AIP, AUC, TVR, TSI, CID, CVM results) and Book 4
// Annex A (terminal capabilities), the CVM list of Book 3 section 10.5, the
// application file locator of Book 3 section 10.2, and the magnetic-stripe
// track data of ISO/IEC 7813 that a terminal reads when it falls back from
// the chip.
//
// Data objects are BER-TLV, read and written by package
// github.com/posflow/posflow/tlv; [Printer] plugs the dictionary into the
// tlv printer so that tags are named and the PAN, track data, names and PIN
// data are masked.
//
// Nothing in this package prints card data in clear: the String methods,
// errors and the printer mask the PAN (first six and last four digits) and
// hide track data, cardholder names and PIN data.
package emv

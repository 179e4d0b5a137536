// Package tlv implements the BER-TLV data objects of EMV 4.4 Book 3 Annex B
// (the subset of ISO/IEC 8825-1:2021, X.690, that EMV uses) and of
// ISO/IEC 7816-4:2020 clause 6 and Annex D.
//
// The package is generic: it knows the encoding rules, not the meaning of
// any tag. The emv package adds the EMV data dictionary on top of it.
//
// # Encoding rules
//
// A data object is a tag of one to four bytes, a length, and a value. The
// first tag byte holds the class (bits 8-7), the constructed flag (bit 6)
// and the tag number; a tag number of 31 (bits 5-1 all set) announces
// subsequent bytes, each of which has bit 8 set if another follows. The first
// subsequent byte may not be 0x80. Lengths use the short form (0 to 127) or
// the long form 81, 82 or 83 followed by one to three length bytes.
//
// Decoding is strict by default: it rejects the indefinite length form
// (0x80), length fields longer than three bytes, non-minimal lengths, lengths
// that run past the input, nesting deeper than [DefaultMaxDepth] levels and
// any input it cannot consume whole. The [Options] type relaxes or tightens
// these rules by name: Lenient accepts non-minimal lengths as some cards
// send them, SkipFF skips 0xFF padding as ISO/IEC 7816-4 Annex D allows.
// Bytes 0x00 before, between and after data objects are always skipped as
// padding (EMV Book 3 Annex B); 0xFF is not, because EMV kernels use
// proprietary tags that begin with FF.
//
// # Reading
//
// A [Cursor] walks the data objects of a byte slice one level at a time
// without allocating. The values it returns are sub-slices of the input:
// they alias it, so a caller that keeps a value beyond the life of the input
// buffer, or that modifies the buffer, must copy the value first (with
// bytes.Clone, or [TLV.Clone] for a decoded tree). [Find], [FindAll] and
// [FindPath] search the whole tree depth-first, through every sibling and
// every constructed object.
//
// [Decode] builds a tree of [TLV] values that keeps the order of the
// objects and any duplicate tags. Its values alias the input too.
//
// # Writing
//
// [Encode] and [AppendEncode] write data objects with minimal lengths;
// constructed objects are written from their children. For canonical
// input, Encode(Decode(x)) returns x.
//
// # Errors
//
// Malformed input yields a [*SyntaxError] carrying the byte offset and, when
// it is known, the tag; it wraps one of the sentinel errors ([ErrTruncated],
// [ErrIndefiniteLength], [ErrLengthTooLarge], [ErrNonMinimalLength],
// [ErrInvalidTag], [ErrTrailingData], [ErrTooDeep]) for use with errors.Is.
// No input makes a function of this package panic.
package tlv

// Package iso8583 implements the card-originated messages of ISO 8583:1987
// (Financial transaction card originated messages — Interchange message
// specifications) as a point-of-sale terminal and an acquirer exchange them:
// two wire layouts, the messages of the POS flow as typed structs, response
// codes, field 55 chip data, message authentication codes, stream framing,
// a client and a server, and printing that masks card data.
//
// The field codecs come from github.com/moov-io/iso8583 (v0.26.1): every
// data element is coded by one of its encoders (ASCII, BCD, binary,
// hexadecimal) and length prefixers (fixed, LL, LLL in ASCII, BCD or
// binary), and Spec.Moov returns each spec as a moov MessageSpec. This
// package adds what a POS system needs on top, and avoids the pitfalls of
// moov's built-in specs: our bitmap is 8 bytes unless a field above 64 is
// present, field 52 is 8 bytes (16 in the variants of VariablePINData,
// for AES PIN blocks), field 55 is binary and kept byte for byte
// (never re-sorted or de-duplicated), code-like numeric fields keep their
// leading zeros, and presence is explicit (a zero amount is sent).
//
// # Specs
//
// SpecASCII is the layout of acquirer switches: ASCII characters and
// lengths, a binary bitmap, fixed binary fields as hexadecimal characters,
// field 55 and the private fields 60 to 63 as raw bytes. SpecBCD is the
// layout of POS terminals on many acquiring networks (China UnionPay-style
// and HPDH networks among them): BCD numeric fields and lengths, ASCII an
// and ans fields, binary fields as bytes, usually behind a TPDU (see
// Framing).
//
// Both define fields 2, 3, 4, 7, 11 to 15, 18, 22 to 25, 32, 35, 37, 38, 39,
// 41, 42, 43, 48, 49, 52 to 55, 60 to 64, 66, 70, 74 to 77, 86 to 89, 90,
// 95, 97 and 128 with their ISO 8583:1987 formats, except that field 53 is
// b..48 and field 55 b...255 as in ISO 8583:1993 (the 1987 n16 cannot carry
// a 10-byte TDES or 12-byte AES DUKPT key serial number), and fields 60 to
// 63, whose content each network defines, are bytes.
//
// # PIN data (field 52) and AES
//
// Field 52 is b 64 (8 bytes, no length prefix) in ISO 8583:1987 and
// 1993, and so it is in SpecASCII and SpecBCD: an enciphered PIN block of
// ISO 9564-1 formats 0 to 3, which TDES enciphers, travels exactly as
// before. ISO 9564-1:2017 format 4, the PIN block of AES (and of AES
// DUKPT PIN pads, ANSI X9.24-3-2017), is 16 bytes, which a fixed 8-byte
// field cannot carry. Spec.VariablePINData returns each spec with field
// 52 as b..16 behind the spec's LL length prefix counting bytes, the way
// both specs already code field 53 (b..48, LLVAR as in ISO 8583:1993):
// "08" or "16" and the block in hexadecimal characters in SpecASCII's
// variant, one BCD byte 08 or 16 and the bytes in SpecBCD's. Its values
// must be 8 or 16 bytes, and Validate (so every typed message) refuses a
// PIN block of any other length with a *FieldError for field 52. The KSN
// in field 53 (10 bytes TDES, 12 bytes AES) tells the host which DUKPT
// key and PIN block format apply.
//
// Decision and source: we kept the fixed 8 bytes by default because the
// editions and public layouts we could check all define field 52 as 8
// bytes (jPOS's ISO 8583:1993 packagers and its ISO 8583:2003 and CMF
// layouts, github.com/jpos/jPOS at commit 3ff2951ec060, files
// ISO93APackager.java, ISO93BPackager.java, iso2003binary.xml and
// cmf.xml), so changing it would break every peer that sends TDES blocks;
// we found no published edition that defines a 16-byte field 52, and
// networks that carry AES PIN blocks each define their own layout. The
// variable form is opt-in, both ends of a link must agree on it, and with
// it an 8-byte block gains its prefix ("08") on the wire.
//
// Unpacking is strict: the bitmap may name only defined fields, every length
// and character must fit, BCD pad nibbles must be 0 (F for track 2),
// hexadecimal must be upper case, and nothing may follow the last field. So
// every message has exactly one encoding, and Pack(Unpack(b)) == b. Errors
// are *FieldError values naming the field, wrapping a sentinel
// (ErrTruncated, ErrInvalidField, ErrUnknownField, ErrTrailingData,
// ErrInvalidMTI, ErrMissingField); they never quote a field's value.
//
// # Messages
//
// A Message holds the MTI and field values of any message. A message
// unpacked from bytes, or signed, keeps them: Raw and RawField return
// exactly the bytes received, over which Verify computes the MAC, as
// x509.Certificate keeps Raw.
//
// The classes of the POS flow have typed structs whose Message method fills
// and validates the fields the class requires, and Read functions that check
// a received message the same way:
//
//	0100/0110  AuthorizationRequest   3 4 11 22 41, 2 or 35
//	0200/0210  FinancialRequest       3 4 11 22 41, 2 or 35
//	0220/0230  FinancialAdvice        2 3 4 11 22 41; no 35, no 52
//	0320/0330  BatchUpload            2 3 4 11 41; no 35, no 52
//	0400/0410  Reversal               2 3 4 11 41; no 35, no 52 (90 when the original had 7)
//	0420/0430  Reversal (Advice)      as 0400
//	0500/0510  Reconciliation         11 41, totals in 74 to 77 and 86 to 89
//	0800/0810  NetworkRequest         11, and 70 or 3
//	responses  Response               11 39 41 (0810: 11 39 70)
//
// The table holds what terminal protocols and host interfaces both send;
// fields only one of them uses (7, 49, 90) are left to the network's
// profile. Messages that may be stored and forwarded (advices, uploads,
// reversals) may not carry track 2 or a PIN block. Respond starts a
// response from its request, echoing the fields a response repeats.
//
// ResponseCode is field 39 as a type that is also an error: Err returns nil
// for the approving codes 00, 08, 10 and 11 and the code otherwise; Meaning
// gives the text. Note that fmt prints a ResponseCode through its Error
// method; use string(code) for the bare code.
//
// # Field 55
//
// BuildICC picks the data objects of a tag list (ARQCTags by default) from
// the kernel's BER-TLV, in the list's order, with package tlv.
// ReadIssuerResponse reads an issuer's 91, 8A and the 71 and 72 script
// templates, each kept whole for the card.
//
// # MAC
//
// Sign packs a message with its MAC in field 64, or in field 128 when a
// secondary bitmap is present, computed over every byte before the MAC
// field; Verify recomputes it over the received bytes and compares in
// constant time. MACKey implementations: RetailMAC (ANSI X9.19 with a
// double-length key), DUKPTMAC (the X9.19 MAC under the TDES DUKPT request
// or response MAC key), AESDUKPTMAC and CMAC (AES-CMAC, leftmost 8 bytes).
//
// # Framing and transport
//
// Framing reads and writes frames with a 2-byte binary or 4-digit ASCII
// length, an optional 5-byte TPDU and a maximum size checked before
// anything is allocated, with io.ReadFull.
//
// Client sends requests over one connection with Send(ctx, msg), matching
// each response by message class, STAN and terminal ID, so many requests may
// be in flight and terminals behind one connection may reuse STANs. When an
// 0100 or 0200 was written but its response does not come (the context ends
// or the connection fails), Send returns a *TimeoutError carrying the
// reversal (built by NewReversal) and puts it in the client's
// store-and-forward Queue (in memory unless the caller provides durable
// storage), which is sent again (as 0401 after the first attempt) until the
// host answers; Forward queues advices the same way. The
// client sends an 0800 echo test when idle (with fields 41 and 42 when
// ClientConfig.TerminalID and MerchantID are set), answers the host's echo
// tests, and redials with exponential back-off and jitter.
//
// Server reads frames from each connection and answers each request with a
// Handler; ServeMux routes by MTI as net/http.ServeMux routes by path, with
// repeats falling back to their original MTI and unknown requests answered
// with code 12. MaxConns bounds the connections (one beyond the limit is
// closed at once, and a burst is logged once); MaxInFlightPerConn bounds
// one connection's requests in flight, and MaxConcurrent all handlers,
// granted first come first served. A frame that cannot be framed or
// unpacked closes its connection once the requests before it are
// answered. FirstFrameTimeout (30 s by default) closes a connection that
// has not delivered a complete frame that long after accept, so that
// silent connections cannot hold the places for the whole ReadTimeout, and
// logs a burst of them once. ReadTimeout (5 minutes, as terminals idle
// between payments) disconnects peers that go silent or trickle later,
// WriteTimeout peers that do not read, Framing.MaxFrame oversize frames,
// and Shutdown stops reading, answers the requests in flight, and closes.
//
// Transport decision: we wrote the transport rather than build on
// github.com/moov-io/iso8583-connection v0.9.0. Functionally it lacks a
// context on Send, matches on the STAN alone, has no reversal on timeout or
// store-and-forward, no MTI routing, and its server is documented as a test
// aid. Measured on loopback in one run (testdata/connbench, a module of its
// own; 2-vCPU x86-64, go1.26, -cpu 1, median of 5), one 0200 of 344 bytes
// with the same spec, sent and answered:
//
//	iso8583-connection Connection.Send + server.Server   40.8 µs  14736 B  378 allocs
//	posflow Client.Send + Server                          20.2 µs   7752 B  118 allocs
//
// So building on it would have cost twice the time and three times the
// allocations per round trip and still required most of the features above.
//
// # Performance
//
// On a typical 0200 of 344 bytes (20 fields, track 2, PIN block and a
// 150-byte field 55), in one run (go test -run '^$' -bench
// 'Purchase0200|RoundTripLoopback' -benchmem -count 3 -cpu 1; 2-vCPU
// x86-64 shared with other work, go1.26, medians):
//
//	typed build + SpecASCII.AppendPack             1.1 µs   1136 B    4 allocs
//	SpecASCII.Unpack + ReadFinancialRequest        1.4 µs   1464 B    6 allocs
//	moov NewMessage + Field + Pack (same spec)      7.6 µs   5504 B  159 allocs
//	moov NewMessage + Unpack + GetBytes            4.4 µs   3536 B   94 allocs
//	moov, field 55 as exp/emv composite: build    23.6 µs  12239 B  681 allocs
//	moov, field 55 as exp/emv composite: read     13.0 µs   9624 B  253 allocs
//	Client.Send to Server on loopback             14.1 µs   7312 B   30 allocs
//
// Our layer costs less than moov's Message because it calls moov's
// encoders and prefixers directly, without the Message's map, mutex, field
// instances and string conversions, and codes by itself, byte for byte as
// moov would, what needs no coding: ASCII characters, binary bytes and
// ASCII length prefixes, and, when packing, upper-case hexadecimal. The
// values of an unpacked message share one
// allocation, as do the text fields of a typed message built, and a typed
// read makes one string of all the text fields. SpecBCD still spends most
// of its time and allocations in moov's BCD coders.
//
// # Masking
//
// Message.String, Format (every fmt verb), LogValue (log/slog), Describe
// and Transaction.String mask card data: the PAN as its first six and last
// four digits; the expiry date, track data, PIN blocks, MACs and the
// private fields 48 and 60 to 63 (where networks carry CVV2 and working
// keys) hidden; and in field 55 the PAN (5A) masked and the track, name and
// expiry data objects hidden.
//
// # Decisions where ISO 8583 leaves a choice
//
//   - Field 7 is formatted in UTC (TransmissionTime); the client fills 7
//     and 11 when a request lacks them.
//   - The network management codes are 001 sign-on, 002 sign-off, 161 key
//     change and 301 echo test.
//   - A reversal keeps the STAN of the transaction it reverses and never
//     carries track 2, the PIN block or chip data.
//   - Field 97 carries the net settlement amount with C or D.
//   - A DUKPT TDES MAC fills all 8 bytes of field 64; the standard's
//     4-byte MAC is its left half.
//   - A response that matches no request is handed to ClientConfig.Inbound,
//     and a malformed frame is dropped without answer (its request times
//     out and is reversed), since a response cannot be matched to it.
package iso8583

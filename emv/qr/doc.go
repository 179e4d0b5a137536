// Package qr implements EMV QR code payments as the EMVCo QR Code
// Specification for Payment Systems defines them: the merchant-presented
// mode of EMV QRCPS Merchant-Presented Mode v1.1 (MPM) and the
// consumer-presented mode of EMV QRCPS Consumer-Presented Mode v1.0 (CPM).
// It also draws a payload as a QR code symbol, as a PNG image or as text
// for a terminal.
//
// # Merchant-presented mode
//
// The merchant (a till, a sticker, a web page) shows a QR code; the
// consumer's phone reads it and pays. The payload is text: a list of data
// objects, each a two-digit ID, a two-digit length from "01" to "99" and a
// value of that many characters. Some IDs are templates whose value is a
// list of data objects of the same form:
//
//	00 payload format indicator "01", always first
//	01 point of initiation: "11" static, "12" dynamic (one payment)
//	02-25 merchant account information of a payment network
//	26-51 merchant account information templates, GUI in sub-ID 00
//	52 merchant category code   53 currency (ISO 4217 numeric)
//	54 amount   55 tip or convenience indicator   56, 57 convenience fee
//	58 country   59 merchant name   60 merchant city   61 postal code
//	62 additional data field template (sub-IDs 01-09, templates 50-99)
//	64 merchant information in an alternate language (template)
//	80-99 unreserved templates, GUI in sub-ID 00
//	63 CRC-16/CCITT-FALSE of everything before its value, always last
//
// National schemes fill the templates: Brazil's Pix puts its key in
// template 26 under the GUI "br.gov.bcb.pix", Thailand's PromptPay in 29
// under "A000000677010111".
//
// ParseMPM reads and validates a payload into an [MPM]: its objects in
// payload order, templates with their sub-objects, values that alias the
// input. [Cursor] walks one level of a payload without allocating.
// [MPM.AppendPayload], Payload and String validate and build a payload,
// computing the CRC; a parsed payload is rebuilt byte for byte.
// [Merchant] makes the static or dynamic payload of a shop, and
// [FormatAmount] writes an amount in minor units as ID 54 wants it.
//
// Lengths count characters, not bytes: the specification's example payload
// gives the four Chinese characters of its alternate-language merchant
// name, twelve bytes of UTF-8, the length "04". The CRC is computed over the
// bytes.
//
// Validation is strict by default: every rule listed under
// [Options.Validate], a CRC in upper-case hexadecimal. Options.Lenient
// accepts payloads without the objects some national schemes leave out.
// The character set of values is not checked beyond valid UTF-8: schemes
// differ in what they allow outside the alternate-language template.
//
// # Errors
//
// A payload that breaks a rule yields an [*ObjectError] that names the
// data object by its ID path ("54", "62.05", "26.00"), gives its byte
// offset when it has one, and wraps a sentinel error for errors.Is:
// ErrTruncated (also for a sub-object that overflows its template), ErrID,
// ErrLength, ErrUTF8, ErrDuplicate, ErrOrder, ErrMissing, ErrUnexpected,
// ErrFormat. A CRC that does not match yields a [*CRCError] wrapping
// ErrCRC. No input makes a function of this package panic.
//
// # For command-line tools and terminals
//
//	m, err := qr.ParseMPM(text)            // decode and validate
//	s, err := m.Payload()                  // or m.String(): encode
//	m := shop.Dynamic(amount)              // qr.Merchant, qr.FormatAmount
//	c, err := qr.ParseCPM(base64Text)      // consumer-presented
//	data := c.Data(0)                      // map[tlv.Tag][]byte
//	err = qr.WritePNG(w, payload, 0)       // PNG, 8 pixels a module
//	err = qr.RenderTerminal(os.Stdout, payload)
//
// # Consumer-presented mode
//
// The consumer's phone shows a QR code; the terminal reads it as it would
// read a card. The payload is BER-TLV, Base64-encoded: the payload format
// indicator (tag 85, "CPV01"), one application template (61) per
// application, each with its AID (4F), label, PAN or token, track 2
// equivalent data and an application specific transparent template (63)
// of cryptographic data, then optionally a common data template (62) with
// a common data transparent template (64) for what the applications share.
// ParseCPM decodes and checks a payload into a [CPM]; [CPM.Data] flattens
// one application and the common data into a tag-to-value map, the shape
// of data an EMV kernel reads from a card. The values may be cardholder
// data: mask them (emv.MaskPAN) before printing.
//
// # Rendering
//
// WritePNG and RenderTerminal draw a payload as a QR code symbol (ISO/IEC
// 18004), in byte mode at error correction level M, with the four-module
// quiet zone the standard asks for. The symbol itself is encoded by
// github.com/yeqown/go-qrcode/v2, chosen over the alternatives for being
// pure Go and maintained (v2.3.0 was released in August 2026), and for
// choosing the mask pattern by the penalty rules of ISO/IEC 18004, which
// makes symbols easier to scan: rsc.io/qr is smaller and has no
// dependencies but was last released in 2018 and always uses mask 0, and
// github.com/skip2/go-qrcode has no tagged release and no change since
// 2020. Only the module matrix is taken from it; the PNG and the terminal
// text are drawn here. That library logs, and writes debug images under
// draft/ in the working directory, when the environment variable
// QRCODE_DEBUG is set: leave it unset in production.
package qr

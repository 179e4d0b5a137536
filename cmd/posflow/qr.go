package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/posflow/posflow/emv/qr"
	"github.com/posflow/posflow/tlv"
)

// mpmName names a data object of a merchant-presented payload by its ID
// path, as EMVCo MPM v1.1 does; the qr package names them by constants
// only.
func mpmName(parent int, id qr.ID) string {
	switch parent {
	case -1:
		switch {
		case id >= qr.IDMerchantAccountFirst && id < qr.IDMerchantAccountTemplates:
			return "merchant account information"
		case id >= qr.IDMerchantAccountTemplates && id <= qr.IDMerchantAccountLast:
			return "merchant account information template"
		case id >= qr.IDUnreservedFirst && id <= qr.IDUnreservedLast:
			return "unreserved template"
		}
		return map[qr.ID]string{
			qr.IDPayloadFormat: "payload format indicator", qr.IDPointOfInitiation: "point of initiation method",
			qr.IDMerchantCategoryCode: "merchant category code", qr.IDCurrency: "transaction currency",
			qr.IDAmount: "transaction amount", qr.IDTipIndicator: "tip or convenience indicator",
			qr.IDConvenienceFeeFixed: "convenience fee, fixed", qr.IDConvenienceFeePercentage: "convenience fee, percentage",
			qr.IDCountry: "country code", qr.IDMerchantName: "merchant name", qr.IDMerchantCity: "merchant city",
			qr.IDPostalCode: "postal code", qr.IDAdditionalData: "additional data field template",
			qr.IDCRC: "CRC", qr.IDLanguageTemplate: "merchant information, language template",
		}[id]
	case int(qr.IDAdditionalData):
		if id >= qr.IDPaymentSystemFirst {
			return "payment system specific template"
		}
		return map[qr.ID]string{
			qr.IDBillNumber: "bill number", qr.IDMobileNumber: "mobile number", qr.IDStoreLabel: "store label",
			qr.IDLoyaltyNumber: "loyalty number", qr.IDReferenceLabel: "reference label", qr.IDCustomerLabel: "customer label",
			qr.IDTerminalLabel: "terminal label", qr.IDPurposeOfTransaction: "purpose of transaction",
			qr.IDConsumerDataRequest: "additional consumer data request",
		}[id]
	case int(qr.IDLanguageTemplate):
		return map[qr.ID]string{qr.IDLanguagePreference: "language preference", qr.IDAlternateName: "merchant name, alternate language",
			qr.IDAlternateCity: "merchant city, alternate language"}[id]
	}
	if id == qr.IDGUI {
		return "globally unique identifier"
	}
	return ""
}

// mpmObjects converts the objects of an MPM for printing.
func mpmObjects(parent int, objs []qr.Object) []obj {
	out := []obj{}
	for _, o := range objs {
		e := obj{{"id", o.ID.String()}}
		if name := mpmName(parent, o.ID); name != "" {
			e = e.add("name", name)
		}
		if o.Sub != nil {
			e = e.add("sub", mpmObjects(int(o.ID), o.Sub))
		} else {
			e = e.add("value", o.Value)
		}
		out = append(out, e)
	}
	return out
}

// qrResult is a decoded merchant-presented payload.
type qrResult struct {
	m *qr.MPM
}

func (r *qrResult) writeText(w io.Writer) {
	fmt.Fprintf(w, "merchant-presented payload (EMVCo MPM v1.1)\n")
	var walk func(parent int, objs []qr.Object, indent string)
	walk = func(parent int, objs []qr.Object, indent string) {
		for _, o := range objs {
			name := mpmName(parent, o.ID)
			if name != "" {
				name = " " + name
			}
			if o.Sub != nil {
				fmt.Fprintf(w, "%s%s%s\n", indent, o.ID, name)
				walk(int(o.ID), o.Sub, indent+"  ")
				continue
			}
			fmt.Fprintf(w, "%s%s%s: %q\n", indent, o.ID, name, o.Value)
		}
	}
	walk(-1, r.m.Objects, "")
	fmt.Fprintf(w, "63 CRC: %04X (valid)\n", r.m.CRC)
}

func (r *qrResult) jsonValue() any {
	return obj{{"mode", "MPM"}, {"objects", mpmObjects(-1, r.m.Objects)}, {"crc", fmt.Sprintf("%04X", r.m.CRC)}}
}

// cpmResult is a decoded consumer-presented payload: its BER-TLV tree,
// card data masked.
type cpmResult struct {
	c    *qr.CPM
	tree *tlvTree
}

func (r *cpmResult) writeText(w io.Writer) {
	fmt.Fprintf(w, "consumer-presented payload (EMVCo CPM v1.0), %d application(s)\n", len(r.c.Applications))
	r.tree.writeText(w)
}

func (r *cpmResult) jsonValue() any {
	return obj{{"mode", "CPM"}, {"applications", len(r.c.Applications)}, {"tlv", r.tree.jsonValue()}}
}

var qrDecodeCmd = &command{
	group: "qr", name: "decode",
	args:    "[-mode auto|mpm|cpm] [-lenient] [-reveal] [-json] [PAYLOAD]",
	summary: "decode and validate an EMV QR payload (merchant- or consumer-presented)",
	doc: `
Decodes the text of an EMV QR code and checks it. A merchant-presented
payload (EMVCo MPM v1.1, starting "000201") prints its data objects with
their names, templates indented, and the CRC; -lenient accepts the payloads
of national schemes that leave out mandatory objects (PromptPay). A
consumer-presented payload (EMVCo CPM v1.0, Base64) prints its BER-TLV tree
with the PAN, track data and cardholder name masked unless -reveal. Errors
name the data object by its ID path and its byte offset.`,
	example: []string{"qr", "decode", qrExampleMPM},
	source:  "the example payload of EMVCo MPM v1.1, see emv/qr/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		mode := fs.String("mode", "auto", "payload mode: auto, mpm or cpm")
		lenient := fs.Bool("lenient", false, "accept MPM payloads without the objects some national schemes leave out")
		return func(e *env) (any, error) {
			text, err := e.operandText()
			if err != nil {
				return nil, err
			}
			text = strings.TrimRight(text, "\r\n")
			if text == "" {
				return nil, errors.New("no input")
			}
			m := strings.ToLower(*mode)
			if m == "auto" {
				m = "cpm"
				if strings.HasPrefix(text, "00") {
					m = "mpm"
				}
			}
			switch m {
			case "mpm":
				p, err := qr.Options{Lenient: *lenient}.ParseMPM(text)
				if err != nil {
					return nil, err
				}
				return &qrResult{m: p}, nil
			case "cpm":
				c, err := qr.ParseCPM(strings.TrimSpace(text))
				if err != nil {
					return nil, err
				}
				tree, err := newTLVTree(c.Raw, tlv.Options{}, e.reveal, false)
				if err != nil {
					return nil, err
				}
				return &cpmResult{c: c, tree: tree}, nil
			}
			return nil, usageError(fmt.Sprintf("-mode %q: want auto, mpm or cpm", *mode))
		}
	},
}

// jsonObject is a data object as qr decode -json prints it and qr encode
// reads it.
type jsonObject struct {
	ID    string       `json:"id"`
	Name  string       `json:"name"`
	Value string       `json:"value"`
	Sub   []jsonObject `json:"sub"`
}

func (j jsonObject) object(path string) (qr.Object, error) {
	var id int
	if len(j.ID) != 2 || j.ID[0] < '0' || j.ID[0] > '9' || j.ID[1] < '0' || j.ID[1] > '9' {
		return qr.Object{}, fmt.Errorf("JSON: object %s: id %q is not two digits", path, j.ID)
	}
	id = int(j.ID[0]-'0')*10 + int(j.ID[1]-'0')
	o := qr.Object{ID: qr.ID(id), Value: j.Value}
	if j.Sub != nil {
		o.Sub = []qr.Object{}
		for _, s := range j.Sub {
			so, err := s.object(path + j.ID + ".")
			if err != nil {
				return qr.Object{}, err
			}
			o.Sub = append(o.Sub, so)
		}
	}
	return o, nil
}

var qrEncodeCmd = &command{
	group: "qr", name: "encode",
	args:    "[-lenient] [-terminal] [-png FILE] [-json] [JSON]",
	summary: "build a merchant-presented EMV QR payload from JSON, with its CRC",
	doc: `
Builds a merchant-presented payload (EMVCo MPM v1.1) from its data objects
given as JSON, on the command line or standard input, in the form qr decode
-json prints:

  {"objects": [{"id": "00", "value": "01"},
               {"id": "26", "sub": [{"id": "00", "value": "BR.GOV.BCB.PIX"}, ...]},
               ...]}

It validates the objects, computes the CRC (ID 63) and prints the payload.
-terminal also draws the QR code as text; -png writes it as a PNG image.`,
	example: []string{"qr", "encode", `{"objects":[{"id":"00","value":"01"},{"id":"01","value":"11"},{"id":"29","sub":[{"id":"00","value":"A000000677010111"},{"id":"01","value":"0066801234567"}]},{"id":"58","value":"TH"},{"id":"53","value":"764"}]}`, "-lenient"},
	source:  "the objects of the PromptPay phone payload of dtinth/promptpay-qr, CRC 6197, see emv/qr/testdata/README.md",
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		lenient := fs.Bool("lenient", false, "accept payloads without the objects some national schemes leave out")
		terminal := fs.Bool("terminal", false, "also draw the QR code as text for a terminal")
		png := fs.String("png", "", "write the QR code as a PNG image to FILE")
		return func(e *env) (any, error) {
			text, err := e.operandText()
			if err != nil {
				return nil, err
			}
			var in struct {
				Mode    string       `json:"mode"`
				Objects []jsonObject `json:"objects"`
				CRC     string       `json:"crc"`
			}
			dec := json.NewDecoder(strings.NewReader(text))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil {
				if errors.Is(err, io.ErrUnexpectedEOF) {
					return nil, fmt.Errorf("JSON: unexpected end of input at offset %d", len(text))
				}
				return nil, fmt.Errorf("JSON: %v at offset %d", err, dec.InputOffset())
			}
			m := &qr.MPM{}
			for _, j := range in.Objects {
				o, err := j.object("")
				if err != nil {
					return nil, err
				}
				m.Objects = append(m.Objects, o)
			}
			b, err := qr.Options{Lenient: *lenient}.AppendMPM(nil, m)
			if err != nil {
				return nil, err
			}
			payload := string(b)
			o := obj{{"payload", payload}}
			if *terminal && !e.json {
				var sb strings.Builder
				if err := qr.RenderTerminal(&sb, payload); err != nil {
					return nil, err
				}
				o = o.add("QR code", strings.Split(strings.TrimRight(sb.String(), "\n"), "\n"))
			}
			if *png != "" {
				f, err := os.Create(*png)
				if err != nil {
					return nil, err
				}
				err = qr.WritePNG(f, payload, 0)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					return nil, err
				}
				o = o.add("PNG", *png)
			}
			return o, nil
		}
	},
}

// qrExampleMPM is the example payload of EMVCo MPM v1.1 (BEST TRANSPORT,
// BEIJING); see emv/qr/testdata/README.md.
const qrExampleMPM = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"

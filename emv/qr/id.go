package qr

// An ID identifies a data object of the merchant-presented mode: a number
// from 0 to 99, written on the wire as two decimal digits. The IDs of the
// sub-objects of a template are numbered from 0 again.
type ID uint8

// The IDs of the top-level data objects: the data objects under the root of
// the payload in EMVCo MPM v1.1.
const (
	IDPayloadFormat            ID = 0  // payload format indicator, "01"
	IDPointOfInitiation        ID = 1  // "11" static, "12" dynamic
	IDMerchantAccountFirst     ID = 2  // first merchant account information ID
	IDMerchantAccountTemplates ID = 26 // first merchant account information template
	IDMerchantAccountLast      ID = 51 // last merchant account information ID
	IDMerchantCategoryCode     ID = 52 // ISO 18245 merchant category code, 4 digits
	IDCurrency                 ID = 53 // ISO 4217 numeric currency code, 3 digits
	IDAmount                   ID = 54 // transaction amount, up to 13 characters
	IDTipIndicator             ID = 55 // tip or convenience indicator, "01" to "03"
	IDConvenienceFeeFixed      ID = 56 // value of the fixed convenience fee
	IDConvenienceFeePercentage ID = 57 // value of the convenience fee percentage
	IDCountry                  ID = 58 // ISO 3166-1 alpha-2 country code
	IDMerchantName             ID = 59 // up to 25 characters
	IDMerchantCity             ID = 60 // up to 15 characters
	IDPostalCode               ID = 61 // up to 10 characters
	IDAdditionalData           ID = 62 // additional data field template
	IDCRC                      ID = 63 // CRC-16, 4 hexadecimal digits, last
	IDLanguageTemplate         ID = 64 // merchant information, language template
	IDUnreservedFirst          ID = 80 // first unreserved template
	IDUnreservedLast           ID = 99 // last unreserved template
)

// IDGUI is the ID of the globally unique identifier, the mandatory first
// sub-object of the merchant account information templates (26-51), of the
// payment system specific templates inside 62 (50-99) and of the unreserved
// templates (80-99).
const IDGUI ID = 0

// The IDs of the sub-objects of the additional data field template (62).
const (
	IDBillNumber           ID = 1
	IDMobileNumber         ID = 2
	IDStoreLabel           ID = 3
	IDLoyaltyNumber        ID = 4
	IDReferenceLabel       ID = 5
	IDCustomerLabel        ID = 6
	IDTerminalLabel        ID = 7
	IDPurposeOfTransaction ID = 8
	IDConsumerDataRequest  ID = 9  // up to three of "A", "M", "E"
	IDPaymentSystemFirst   ID = 50 // first payment system specific template
	IDPaymentSystemLast    ID = 99 // last payment system specific template
)

// The IDs of the sub-objects of the merchant information language template
// (64).
const (
	IDLanguagePreference ID = 0 // ISO 639-1 alpha-2 language code
	IDAlternateName      ID = 1 // merchant name in that language
	IDAlternateCity      ID = 2 // merchant city in that language
)

// String returns the ID as it is written in a payload: two digits.
func (id ID) String() string {
	if id > 99 {
		return "??"
	}
	return string([]byte{'0' + byte(id/10), '0' + byte(id%10)})
}

// IsTemplate reports whether the top-level data object id is a template
// whose value is itself a list of data objects: the merchant account
// information templates 26-51, the additional data field template 62,
// the language template 64 and the unreserved templates 80-99.
func (id ID) IsTemplate() bool {
	return id >= IDMerchantAccountTemplates && id <= IDMerchantAccountLast ||
		id == IDAdditionalData || id == IDLanguageTemplate ||
		id >= IDUnreservedFirst && id <= IDUnreservedLast
}

// subTemplate reports whether the sub-object id of the template parent is
// itself a template: the payment system specific templates 50-99 of the
// additional data field template.
func subTemplate(parent, id ID) bool {
	return parent == IDAdditionalData && id >= IDPaymentSystemFirst
}

package qr

// Name returns the name EMVCo MPM v1.1 gives the top-level data object id,
// such as "Transaction Amount", or "" for an ID it leaves unnamed.
func (id ID) Name() string {
	switch {
	case id >= 2 && id <= 25:
		return "Merchant Account Information"
	case id >= IDMerchantAccountTemplates && id <= IDMerchantAccountLast:
		return "Merchant Account Information Template"
	case id >= 65 && id <= 79:
		return "RFU for EMVCo"
	case id >= IDUnreservedFirst && id <= IDUnreservedLast:
		return "Unreserved Template"
	}
	switch id {
	case IDPayloadFormat:
		return "Payload Format Indicator"
	case IDPointOfInitiation:
		return "Point of Initiation Method"
	case IDMerchantCategoryCode:
		return "Merchant Category Code"
	case IDCurrency:
		return "Transaction Currency"
	case IDAmount:
		return "Transaction Amount"
	case IDTipIndicator:
		return "Tip or Convenience Indicator"
	case IDConvenienceFeeFixed:
		return "Value of Convenience Fee Fixed"
	case IDConvenienceFeePercentage:
		return "Value of Convenience Fee Percentage"
	case IDCountry:
		return "Country Code"
	case IDMerchantName:
		return "Merchant Name"
	case IDMerchantCity:
		return "Merchant City"
	case IDPostalCode:
		return "Postal Code"
	case IDAdditionalData:
		return "Additional Data Field Template"
	case IDCRC:
		return "CRC"
	case IDLanguageTemplate:
		return "Merchant Information Language Template"
	}
	return ""
}

// SubName returns the name of the sub-object id of the top-level template
// t, such as "Terminal Label" for 62.07, or "" for an unnamed one.
func SubName(t, id ID) string {
	switch {
	case t == IDAdditionalData:
		switch {
		case id >= IDPaymentSystemFirst:
			return "Payment System Specific Template"
		case id >= 10:
			return "RFU for EMVCo"
		}
		return [...]string{"", "Bill Number", "Mobile Number", "Store Label", "Loyalty Number",
			"Reference Label", "Customer Label", "Terminal Label", "Purpose of Transaction",
			"Additional Consumer Data Request"}[id]
	case t == IDLanguageTemplate:
		switch id {
		case IDLanguagePreference:
			return "Language Preference"
		case IDAlternateName:
			return "Merchant Name—Alternate Language"
		case IDAlternateCity:
			return "Merchant City—Alternate Language"
		}
		return "RFU for EMVCo"
	case t.IsTemplate():
		if id == IDGUI {
			return "Globally Unique Identifier"
		}
	}
	return ""
}

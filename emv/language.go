package emv

import "strings"

// SelectLanguage chooses the language of the messages shown to the
// cardholder (EMV 4.4 Book 4 section 11.1): the first language of the
// card's language preference (5F2D, up to four ISO 639-1 codes of two
// letters, the card's preferred first) that the terminal supports, else
// the terminal's default, its first language. terminal holds the
// terminal's languages, two lower-case letters each; SelectLanguage
// returns "" when it is empty. Codes of the card are compared without
// regard to case; a trailing odd byte is ignored.
func SelectLanguage(card []byte, terminal []string) string {
	for i := 0; i+2 <= len(card); i += 2 {
		code := strings.ToLower(string(card[i : i+2]))
		for _, l := range terminal {
			if l == code {
				return l
			}
		}
	}
	if len(terminal) > 0 {
		return terminal[0]
	}
	return ""
}

// SupportsCodeTable reports whether the terminal can display characters
// of ISO/IEC 8859 part n, from the additional terminal capabilities (9F40,
// Book 4 Annex A3): byte 4 bits b2-b1 for code tables 10 and 9, byte 5
// bits b8-b1 for code tables 8 to 1.
func (t *Terminal) SupportsCodeTable(n byte) bool {
	switch {
	case n >= 1 && n <= 8:
		return t.AdditionalCapabilities.Has(bit(5, int(n)))
	case n == 9 || n == 10:
		return t.AdditionalCapabilities.Has(bit(4, int(n)-8))
	}
	return false
}

// displayName chooses what the terminal shows for an application (Book 1
// section 12.4 and Book 4 section 11.1): the application preferred name
// (9F12) when the card gives one and the terminal supports the code table
// of its issuer code table index (9F11), else the application label (50).
func displayName(label, preferred string, codeTable byte, t *Terminal) string {
	if preferred != "" && t.SupportsCodeTable(codeTable) {
		return preferred
	}
	return label
}

// DisplayName returns the name to show the cardholder for the candidate:
// its preferred name when the terminal t supports its issuer code table,
// else its label.
func (c Candidate) DisplayName(t *Terminal) string {
	return displayName(c.Label, c.PreferredName, c.CodeTable, t)
}

// chooseLanguage sets the language and the application's display name
// after final selection, from the ADF's FCI or, where it is silent, the
// candidate's (the PSE's) data.
func (k *kernel) chooseLanguage(fci FCI, c Candidate) {
	pref, table := fci.Language, fci.CodeTable
	if pref == nil {
		pref = []byte(c.Language)
	}
	if table == 0 {
		table = c.CodeTable
	}
	t := &k.cfg.Terminal
	k.res.Language = SelectLanguage(pref, t.Languages)
	k.res.DisplayName = displayName(string(fci.Label), string(fci.PreferredName), table, t)
	if k.res.Language != "" {
		k.note("language %s", k.res.Language)
	}
}

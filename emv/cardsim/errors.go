package cardsim

import (
	"errors"
	"strconv"
)

// ErrProfile is wrapped by every error New and the profile constructors
// return: a profile that cannot be personalised. The concrete error is
// often a *ProfileError naming the application and the field.
var ErrProfile = errors.New("cardsim: invalid profile")

// ErrFault is returned by Card.Transmit when a fault rule with
// FaultTransport fires: the card did not answer.
var ErrFault = errors.New("cardsim: injected transport fault")

// A ProfileError reports a profile field that cannot be personalised. It
// names the field and says what is wrong, never its value: the field may be
// a PAN, a PIN or a key.
type ProfileError struct {
	App    int    // index of the application in Profile.Applications; -1 for the card
	Field  string // "PAN", "CDOL1", "IMK", ...
	Reason string
}

func (e *ProfileError) Error() string {
	where := "card"
	if e.App >= 0 {
		where = "application " + strconv.Itoa(e.App)
	}
	return "cardsim: invalid profile: " + where + ": " + e.Field + ": " + e.Reason
}

// Unwrap returns ErrProfile.
func (e *ProfileError) Unwrap() error { return ErrProfile }

func itoa(n int) string { return strconv.Itoa(n) }

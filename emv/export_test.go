package emv

// Exported for the tests of package emv_test.
var (
	Update     = update
	Transcript = transcript
)

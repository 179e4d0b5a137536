//go:build !race

package des

// raceEnabled reports whether the race detector is on, under which
// allocation counts differ.
const raceEnabled = false

//go:build race

package iso8583

// raceEnabled reports whether the race detector is on, under which
// allocation counts differ.
const raceEnabled = true

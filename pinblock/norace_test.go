//go:build !race

package pinblock_test

// raceEnabled reports whether the race detector is on, under which
// allocation counts differ.
const raceEnabled = false

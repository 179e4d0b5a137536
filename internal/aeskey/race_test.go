//go:build race

package aeskey

const raceEnabled = true

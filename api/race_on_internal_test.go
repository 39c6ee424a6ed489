//go:build race

package api

// raceEnabled: the race detector adds allocations of its own, so exact counts are not
// checked under it.
const raceEnabled = true

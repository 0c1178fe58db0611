//go:build !race

package kernels

// bf16RaceEnabled says the race detector is on (see bf16_race_test.go).
const bf16RaceEnabled = false

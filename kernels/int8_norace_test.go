//go:build !race

package kernels

// int8RaceEnabled says the race detector is on (see int8_race_test.go).
const int8RaceEnabled = false

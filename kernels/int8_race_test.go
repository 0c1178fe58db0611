//go:build race

package kernels

// int8RaceEnabled says the race detector is on: it allocates behind the
// code it instruments, so allocation counts mean nothing then.
const int8RaceEnabled = true

//go:build race

package kernels

// bf16RaceEnabled says the race detector is on: it may allocate behind
// the code under test, so the allocation tests skip.
const bf16RaceEnabled = true

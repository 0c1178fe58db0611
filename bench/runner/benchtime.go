package runner

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Benchtime is how long one measurement runs, in the forms `go test
// -benchtime` accepts: a duration ("500ms", "2s"), for which the iteration
// count is calibrated once per benchmark, or a fixed iteration count ("10x").
// Exactly one of D and N is positive in a valid Benchtime.
type Benchtime struct {
	D time.Duration // target wall time of one measurement; 0 when N is set
	N int           // fixed iterations per measurement; 0 when D is set
}

// DefaultBenchtime is the measurement time of `ppbench run`. It is shorter
// than go test's 1s because every benchmark is measured -count times (6 by
// default) and the rounds, not the length of one measurement, are what
// spread a shared host's drift. With 250ms, on 2 vCPUs, the full suite
// takes under 5 minutes even with the portable kernels (whose largest ops
// alone take 25 s a round) and -short well under 1 minute.
var DefaultBenchtime = Benchtime{D: 250 * time.Millisecond}

// Bounds of a run, so that a typo cannot start a run of months: a
// measurement of at most an hour or MaxBenchtimeN ops (go test's bound on
// b.N), and at most MaxCount rounds (the full suite's rounds take minutes
// each, so 1000 is days already).
const (
	MaxBenchtime  = time.Hour
	MaxBenchtimeN = int(maxIters)
	MaxCount      = 1000
)

// ParseBenchtime parses s as go test parses -benchtime: "Nx" for N
// iterations, otherwise a time.ParseDuration duration. Zero and negative
// values are rejected.
func ParseBenchtime(s string) (Benchtime, error) {
	if num, ok := strings.CutSuffix(s, "x"); ok {
		n, err := strconv.Atoi(num)
		if err != nil || n <= 0 || n > MaxBenchtimeN {
			return Benchtime{}, fmt.Errorf("invalid count %q: want 1x to %dx iterations, e.g. 10x", s, MaxBenchtimeN)
		}
		return Benchtime{N: n}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > MaxBenchtime {
		return Benchtime{}, fmt.Errorf("invalid duration %q: want up to %v, e.g. 500ms, 2s or 10x", s, MaxBenchtime)
	}
	return Benchtime{D: d}, nil
}

// String formats b as ParseBenchtime reads it.
func (b Benchtime) String() string {
	if b.N > 0 {
		return strconv.Itoa(b.N) + "x"
	}
	return b.D.String()
}

// Set implements flag.Value.
func (b *Benchtime) Set(s string) error {
	v, err := ParseBenchtime(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

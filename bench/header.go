package bench

import (
	"fmt"
	"io"
	"os"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/kernels"
)

// Environment variables that lower the kernel tiers of `go test -bench
// ./bench` and `ppbench run`, one per data type, e.g. PPBENCH_IMPL=portable
// or PPBENCH_IMPL_BF16=fp32-avx512.
const (
	EnvImpl     = "PPBENCH_IMPL"
	EnvImplBF16 = "PPBENCH_IMPL_BF16"
	EnvImplInt8 = "PPBENCH_IMPL_INT8"
)

// Tiers are the kernel tiers a run uses, one per data type. A zero field
// means the widest tier of its type.
type Tiers struct {
	FP32 kernels.Tier
	BF16 kernels.BF16Tier
	Int8 kernels.Int8Tier
}

// WidestTiers returns the widest tier of each type this CPU has.
func WidestTiers() Tiers {
	return Tiers{FP32: kernels.Widest(), BF16: kernels.WidestBF16(), Int8: kernels.WidestInt8()}
}

// orWidest fills t's zero fields with the widest tiers.
func (t Tiers) orWidest() Tiers {
	w := WidestTiers()
	if t.FP32 == (kernels.Tier{}) {
		t.FP32 = w.FP32
	}
	if t.BF16 == (kernels.BF16Tier{}) {
		t.BF16 = w.BF16
	}
	if t.Int8 == (kernels.Int8Tier{}) {
		t.Int8 = w.Int8
	}
	return t
}

// Name returns the name of the tier that the configuration key tierKey
// (a schema.Kernel's TierKey) reports.
func (t Tiers) Name(tierKey string) string {
	t = t.orWidest()
	switch tierKey {
	case schema.ConfigKernelImplBF16:
		return t.BF16.Name()
	case schema.ConfigKernelImplInt8:
		return t.Int8.Name()
	}
	return t.FP32.Name()
}

// SelfCheck checks every tier of t against the portable one on this host
// (kernels.SelfCheck, SelfCheckBF16, SelfCheckInt8).
func (t Tiers) SelfCheck() error {
	t = t.orWidest()
	if err := kernels.SelfCheck(t.FP32); err != nil {
		return err
	}
	if err := kernels.SelfCheckBF16(t.BF16); err != nil {
		return err
	}
	return kernels.SelfCheckInt8(t.Int8)
}

// TiersFromEnv returns the tiers $PPBENCH_IMPL, $PPBENCH_IMPL_BF16 and
// $PPBENCH_IMPL_INT8 name, the widest of each type where unset. A name
// this CPU cannot run is an error: a benchmark must never silently run
// another tier than asked.
func TiersFromEnv() (Tiers, error) {
	var t Tiers
	var err error
	if t.FP32, err = kernels.LookupTier(os.Getenv(EnvImpl)); err != nil {
		return Tiers{}, fmt.Errorf("%s=%s: %w", EnvImpl, os.Getenv(EnvImpl), err)
	}
	if t.BF16, err = kernels.LookupBF16Tier(os.Getenv(EnvImplBF16)); err != nil {
		return Tiers{}, fmt.Errorf("%s=%s: %w", EnvImplBF16, os.Getenv(EnvImplBF16), err)
	}
	if t.Int8, err = kernels.LookupInt8Tier(os.Getenv(EnvImplInt8)); err != nil {
		return Tiers{}, fmt.Errorf("%s=%s: %w", EnvImplInt8, os.Getenv(EnvImplInt8), err)
	}
	return t, nil
}

// Fingerprint describes this host for the results header, with the tiers
// in use.
func Fingerprint(opts host.Options, t Tiers) host.Fingerprint {
	t = t.orWidest()
	opts.KernelImpl = t.FP32.Name()
	opts.KernelImplBF16 = t.BF16.Name()
	opts.KernelImplInt8 = t.Int8.Name()
	return host.Detect(opts)
}

// WriteHeader writes what precedes the results: the host fingerprint as
// config lines and the unit lines that tell benchstat higher is better.
// `go test` writes goos, goarch, pkg and cpu itself; ppbench run writes them
// too, so pass withGoLines to add them.
func WriteHeader(w io.Writer, f host.Fingerprint, withGoLines bool) error {
	if withGoLines {
		if _, err := fmt.Fprint(w, GoLines()); err != nil {
			return err
		}
	}
	for _, l := range append(f.ConfigLines(), schema.UnitLines()...) {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

package bench

import (
	"fmt"
	"io"
	"os"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/kernels"
)

// EnvImpl names the environment variable that lowers the kernel tier of
// `go test -bench ./bench` and `ppbench run`, e.g. PPBENCH_IMPL=portable.
const EnvImpl = "PPBENCH_IMPL"

// TierFromEnv returns the tier $PPBENCH_IMPL names, kernels.Widest() when
// it is unset. A name this CPU cannot run is an error: a benchmark must
// never silently run another tier than asked.
func TierFromEnv() (kernels.Tier, error) {
	name := os.Getenv(EnvImpl)
	t, err := kernels.LookupTier(name)
	if err != nil {
		return kernels.Tier{}, fmt.Errorf("%s=%s: %w", EnvImpl, name, err)
	}
	return t, nil
}

// Fingerprint describes this host for the results header, with tier as
// the kernel tier in use.
func Fingerprint(opts host.Options, tier kernels.Tier) host.Fingerprint {
	opts.KernelImpl = tier.Name()
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

package bench

import (
	"fmt"
	"io"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/kernels"
)

// Fingerprint describes this host for the results header, with the kernel
// tier in use.
func Fingerprint(opts host.Options) host.Fingerprint {
	opts.KernelImpl = kernels.Impl()
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
	for _, l := range f.ConfigLines() {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	for _, l := range UnitLines() {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

package runner

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// TermGrace is how long a run stopped by a signal waits for the
// measurement in progress before the process ends at once, as a second
// Ctrl-C ends it: a measurement of -benchtime 1000000000x can last hours,
// and SIGTERM (a scheduler's or `kill`'s) and SIGHUP have nobody to press
// Ctrl-C a second time. Slurm and Kubernetes wait 30 s after SIGTERM
// before SIGKILL; this stays under that. A variable for tests.
var TermGrace = 10 * time.Second

// WithInterrupt returns a context that is cancelled by the first SIGINT,
// SIGTERM or SIGHUP (a closed terminal or ssh session), for Run to stop
// after the measurement in progress. That first signal also restores the
// default handling, so a second Ctrl-C ends the process at once: the
// results file then still holds whole lines only. A measurement still in
// progress TermGrace after the first signal is stopped the same way: the
// signal is raised again with its default handling, ending the process
// with whole lines only. Call stop to release the signals when the run is
// over.
//
// It also catches SIGPIPE, so that a closed stdout (`ppbench run | head`)
// makes writes to it fail, which Run reports and survives, instead of
// killing the process between two result lines.
func WithInterrupt(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
	got := make(chan os.Signal, 1)
	signal.Notify(got, sigs...)
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	go func() {
		var sig os.Signal
		select {
		case sig = <-got:
		case <-ctx.Done():
		case <-done:
		}
		signal.Reset(sigs...)
		cancel()
		if sig == nil {
			return
		}
		t := time.NewTimer(TermGrace)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Signal(sig)
			}
		}
	}()
	var once bool
	return ctx, func() {
		if !once {
			once = true
			close(done)
		}
		cancel()
		signal.Stop(pipe)
	}
}

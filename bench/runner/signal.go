package runner

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// WithInterrupt returns a context that is cancelled by the first SIGINT,
// SIGTERM or SIGHUP (a closed terminal or ssh session), for Run to stop
// after the measurement in progress. That first signal also restores the
// default handling, so a second Ctrl-C ends the process at once: the
// results file then still holds whole lines only. Call stop to release the
// signals when the run is over.
//
// It also catches SIGPIPE, so that a closed stdout (`ppbench run | head`)
// makes writes to it fail, which Run reports and survives, instead of
// killing the process between two result lines.
func WithInterrupt(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	ctx, cancel := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-ctx.Done()
		cancel()
	}()
	return ctx, func() {
		cancel()
		signal.Stop(pipe)
	}
}

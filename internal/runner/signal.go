package runner

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// WithInterrupt returns a context that is cancelled by the first SIGINT
// or SIGTERM, for Run to stop after the measurement in progress. That
// first signal also restores the default handling, so a second Ctrl-C ends
// the process at once: the results file then still holds whole lines only.
// Call stop to release the signals when the run is over.
func WithInterrupt(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	ctx, stop = signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

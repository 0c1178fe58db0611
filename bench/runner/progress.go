package runner

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal, where a progress bar can
// redraw itself; a pipe or a file would keep every redraw.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// console is the run's stderr: messages and, on a terminal, a progress bar.
// The bar is drawn only from update, which Run calls between measurements,
// so drawing never takes CPU time from a threads=all measurement; messages
// clear the bar, print and redraw it. The mutex lets the interrupt notice
// print from another goroutine.
type console struct {
	mu  sync.Mutex
	w   io.Writer
	bar *progressbar.ProgressBar // nil without a terminal
	// shown is set once the bar has been drawn, so that a message printed
	// before the first measurement does not draw an empty bar.
	shown bool
}

func newConsole(w io.Writer, total int, bar bool) *console {
	c := &console{w: w}
	if bar && total > 0 {
		c.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(20),
			progressbar.OptionShowCount(),
			// The bar's own estimate assumes steps of equal length, which
			// measurements are not; the description carries Run's.
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionSetRenderBlankState(false),
		)
	}
	return c
}

// printf prints one message line.
func (c *console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bar != nil {
		c.bar.Clear()
	}
	fmt.Fprintf(c.w, format+"\n", args...)
	if c.bar != nil && c.shown {
		c.bar.Add(0)
	}
}

// update redraws the bar: done measurements finished, the one about to
// start described by what, and the time left.
func (c *console) update(done int, what string, left time.Duration) {
	if c.bar == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bar.Describe(fmt.Sprintf("%s, ~%s left", what, roundDuration(left)))
	c.bar.Set(done)
	c.shown = true
}

// hide takes the bar off the screen until the next update, so that a
// result line printed on the same terminal starts on a clean line.
func (c *console) hide() {
	if c.bar == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bar.Clear()
}

// clear removes the bar for good, before the closing messages.
func (c *console) clear() {
	if c.bar == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bar.Clear()
	c.bar = nil
}

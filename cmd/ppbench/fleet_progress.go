package main

import (
	"io"

	"github.com/schollz/progressbar/v3"
)

// progressBar is fleet wait's bar over the tasks finished.
type progressBar struct {
	w io.Writer
	b *progressbar.ProgressBar
}

func newProgressBar(w io.Writer, total int) *progressBar {
	return &progressBar{w: w, b: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetWidth(20),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(false),
	)}
}

func (p *progressBar) set(done, total int, desc string) {
	if int64(total) != p.b.GetMax64() {
		p.b.ChangeMax(total)
	}
	p.b.Describe(desc)
	p.b.Set(done)
}

func (p *progressBar) finish() {
	p.b.Finish()
	io.WriteString(p.w, "\n")
}

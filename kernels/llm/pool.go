package llm

import "sync"

// A pool runs the forward pass's own parallel work (attention heads, bf16
// decode column bands) on goroutines started once and kept, so that a
// token allocates nothing: starting goroutines per call would allocate
// their closures every time. The goroutines hold only the job channel,
// which a cleanup closes when the Model that owns the pool is collected.
type pool struct {
	jobs    chan poolJob
	started int // goroutines receiving from jobs
	wg      sync.WaitGroup
}

// A poolJob is items [lo, hi) of one parallel call; fn is a method value
// made once in New, so sending it allocates nothing.
type poolJob struct {
	fn     func(lo, hi int)
	lo, hi int
	wg     *sync.WaitGroup
}

func newPool() *pool { return &pool{jobs: make(chan poolJob, 64)} }

// worker runs jobs until the channel closes.
func worker(jobs <-chan poolJob) {
	for j := range jobs {
		j.run()
	}
}

func (j poolJob) run() {
	j.fn(j.lo, j.hi)
	j.wg.Done()
}

// run calls fn over items [0, n) split into min(threads, n) contiguous
// ranges, one per goroutine, the first on the caller's, and returns when
// all are done. The split depends on threads, so fn must compute each
// item the same way whichever range holds it. run is not reentrant: one
// Model runs one call at a time.
func (p *pool) run(threads, n int, fn func(lo, hi int)) {
	parts := min(threads, n)
	if parts <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	for p.started < parts-1 {
		go worker(p.jobs) // allocates, but only the first time a thread count is reached
		p.started++
	}
	p.wg.Add(parts - 1)
	for i := 1; i < parts; i++ {
		p.jobs <- poolJob{fn: fn, lo: n * i / parts, hi: n * (i + 1) / parts, wg: &p.wg}
	}
	fn(0, n/parts)
	p.wg.Wait()
}

package bench

import (
	"math/rand/v2"
	"sync"

	"github.com/ppbench/ppbench/kernels"
)

// rate runs f(copy, iters) on copies goroutines at once and waits for all.
// One copy runs on the calling goroutine, so threads=1 starts none.
func rate(copies, iters int, f func(copy, iters int)) {
	if copies == 1 {
		f(0, iters)
		return
	}
	var wg sync.WaitGroup
	for c := 1; c < copies; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(c, iters)
		}()
	}
	f(0, iters)
	wg.Wait()
}

// fill returns n values in [-0.5, 0.5) from a seed, so every copy has its
// own data and every run the same.
func fill(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	x := make([]float32, n)
	for i := range x {
		x[i] = r.Float32() - 0.5
	}
	return x
}

type sgemmData struct{ a, b, c []float32 }

// sgemmRunner multiplies n×n matrices: in rate mode one single-threaded
// product per copy, each on its own matrices; in parallel mode one product
// on copies threads.
type sgemmRunner struct {
	n        int
	parallel bool
	copies   int
	data     []sgemmData
}

func newSgemmRunner(n, copies int, parallel bool) *sgemmRunner {
	r := &sgemmRunner{n: n, parallel: parallel, copies: copies}
	sets := copies
	if parallel {
		sets = 1
	}
	for s := range sets {
		r.data = append(r.data, sgemmData{
			a: fill(uint64(3*s+1), n*n), b: fill(uint64(3*s+2), n*n), c: make([]float32, n*n),
		})
	}
	return r
}

func (r *sgemmRunner) Run(iters int) {
	n := r.n
	if r.parallel {
		d := r.data[0]
		for range iters {
			kernels.Sgemm(kernels.NoTrans, kernels.NoTrans, n, n, n, 1, d.a, n, d.b, n, 0, d.c, n, r.copies)
		}
		return
	}
	rate(r.copies, iters, func(c, iters int) {
		d := r.data[c]
		for range iters {
			kernels.Sgemm(kernels.NoTrans, kernels.NoTrans, n, n, n, 1, d.a, n, d.b, n, 0, d.c, n, 1)
		}
	})
}

type attentionData struct{ q, k, v, out []float32 }

// attentionRunner runs AttentionHeads heads of seq×AttentionDim attention,
// in rate mode or parallel mode as sgemmRunner does.
type attentionRunner struct {
	seq              int
	causal, parallel bool
	copies           int
	data             []attentionData
}

func newAttentionRunner(seq, copies int, causal, parallel bool) *attentionRunner {
	r := &attentionRunner{seq: seq, causal: causal, parallel: parallel, copies: copies}
	sets := copies
	if parallel {
		sets = 1
	}
	size := AttentionHeads * seq * AttentionDim
	for s := range sets {
		r.data = append(r.data, attentionData{
			q: fill(uint64(4*s+1), size), k: fill(uint64(4*s+2), size), v: fill(uint64(4*s+3), size),
			out: make([]float32, size),
		})
	}
	return r
}

func (r *attentionRunner) Run(iters int) {
	if r.parallel {
		d := r.data[0]
		for range iters {
			kernels.Attention(d.q, d.k, d.v, d.out, AttentionHeads, r.seq, AttentionDim, r.causal, r.copies)
		}
		return
	}
	rate(r.copies, iters, func(c, iters int) {
		d := r.data[c]
		for range iters {
			kernels.Attention(d.q, d.k, d.v, d.out, AttentionHeads, r.seq, AttentionDim, r.causal, 1)
		}
	})
}

// triadRunner streams one set of three arrays, split over threads.
type triadRunner struct {
	threads int
	a, b, c []float64
}

func newTriadRunner(n, threads int) *triadRunner {
	r := &triadRunner{threads: threads, a: make([]float64, n), b: make([]float64, n), c: make([]float64, n)}
	// Each thread writes the part it will stream, so that on a NUMA host
	// the pages live near the core that reads them (first touch).
	chunk := (n + threads - 1) / threads
	rate(threads, 1, func(t, _ int) {
		lo, hi := min(n, t*chunk), min(n, (t+1)*chunk)
		for i := lo; i < hi; i++ {
			r.a[i], r.b[i], r.c[i] = 0, 1, 2
		}
	})
	return r
}

func (r *triadRunner) Run(iters int) {
	for range iters {
		kernels.Triad(r.a, r.b, r.c, 3, r.threads)
	}
}

// fmaRunner runs FMAItersPerOp steps of the FMA loop per op on each copy.
type fmaRunner struct{ copies int }

func (r fmaRunner) Run(iters int) {
	rate(r.copies, iters, func(_, iters int) {
		for range iters {
			kernels.FMAPeak(FMAItersPerOp)
		}
	})
}

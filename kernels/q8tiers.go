package kernels

import (
	"fmt"
	"strings"
	"sync"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// A Q8Tier is one implementation of Q8MatMul: the portable pure-Go code
// or the code for one instruction set (AVX2's VPMADDWD, VPDPBUSD, the AMX
// tile product TDPBSSD, SDOT).
// Q8Tiers lists those this CPU can run.
//
// Every tier computes each output as a float32 sum over the 32-value
// blocks of the exact int32 block dot product D times the product S of the
// two block scales. S is exact in float32 (two halves' 11-bit significands
// make at most 22 bits, and their exponents stay in float32's normal
// range), and so is D (|D| <= 32·128·128 = 2¹⁹), so tiers differ only in
// how the products are rounded and the sums ordered: every tier's result
// is within (nb+8)·2⁻²⁴·Σⱼ|x(t,j)·w(r,j)| of the exact dot product of the
// dequantised values, nb = cols/32 (the bound the tests check; see
// q8Tolerance). Within a tier the result does not depend on threads.
//
// A Q8Tier is a small comparable value; the zero Q8Tier has no kernels and
// its methods panic.
type Q8Tier struct{ t *q8Tier }

// A q8Tier is one implementation: prep turns the activations into the
// layout the tier's loops read, once per call; matvec runs a decode step
// (one token), gemm a prefill (q8GemmMin tokens or more). Both compute
// weight rows [r0, r1) whole, so that a split over threads cannot change a
// result; nr is the weight rows one gemm tile covers, to which the split
// aligns.
type q8Tier struct {
	name string
	nr   int
	// prep fills c from x; nil when the loops read x as it is.
	prep func(c *q8Call, x *Q8Matrix, gemm bool)
	// matvec computes y[r] = Σⱼ x(0,j)·w(r,j) for r in [r0, r1).
	matvec func(c *q8Call, x, w *Q8Matrix, r0, r1 int, y []float32)
	// gemm computes y[t·ldy+r] for every token t and r in [r0, r1).
	gemm func(c *q8Call, x, w *Q8Matrix, r0, r1 int, y []float32, ldy int)
}

// q8GemmMin is the number of tokens from which Q8MatMul runs a tier's
// gemm rather than its matvec. A matvec reads every weight once per
// token, from memory; the gemm packs each weight sliver once and runs every
// token through it from cache, so that two tokens already cost about one
// pass over the weights instead of two.
const q8GemmMin = 2

// A q8Call is what a tier's prep makes of the activations for one call:
// the goroutines of the call share it, read only. Each tier fills the
// fields it uses, laid out as q8Gemm describes (in k blocks of 16 blocks,
// then by token); slices are reused from call to call (q8Calls).
type q8Call struct {
	nbp  int       // blocks per token: cols/32 rounded up to 16, a k block
	rows int       // tokens: x.Rows rounded up to the tile's height
	xs   []float32 // rows×nbp block scales as float32, zero padded
	corr []int32   // rows×nbp: -128 times each block's sum of codes (vnni)
	xq   []int8    // rows×nbp·32 codes, zero padded (vnni, amx, dotprod decode)
	x16  []int16   // the same widened to int16 (avx2)
	xp   []int8    // codes packed for the dotprod and i8mm tiles
}

var q8Calls freeList[q8Call]

// q8Tiers is detected once, as the package loads; q8Table is each
// architecture's list of SIMD tiers, narrowest first (none without
// assembly).
var q8Tiers = q8TiersFor(q8Table, &cpuid.CPU)

// A simdQ8 is one SIMD tier of the Q8_0 kernel.
type simdQ8 = simd[q8Tier]

// q8TiersFor returns portable followed by the tiers of table that c has.
func q8TiersFor(table []simdQ8, c *cpuid.CPUInfo) []*q8Tier {
	return tiersOn(&portableQ8, table, c, func(t *q8Tier, name string) { t.name = name })
}

// portableQ8 is the pure-Go tier: one float32 sum a output, in block order.
var portableQ8 = q8Tier{name: isa.Portable, nr: 16, matvec: q8MatVecGo, gemm: q8GemmGo}

// Q8Tiers returns the Q8_0 tiers this CPU can run, portable first and the
// widest last.
func Q8Tiers() []Q8Tier {
	out := make([]Q8Tier, len(q8Tiers))
	for i, t := range q8Tiers {
		out[i] = Q8Tier{t}
	}
	return out
}

// WidestQ8 returns the last of Q8Tiers, the one to time unless asked
// otherwise.
func WidestQ8() Q8Tier { return Q8Tier{q8Tiers[len(q8Tiers)-1]} }

// PortableQ8 returns the pure-Go Q8_0 tier.
func PortableQ8() Q8Tier { return Q8Tier{&portableQ8} }

// LookupQ8Tier returns the Q8_0 tier called name, or WidestQ8 for "".
func LookupQ8Tier(name string) (Q8Tier, error) {
	if name == "" {
		return WidestQ8(), nil
	}
	names := make([]string, len(q8Tiers))
	for i, t := range q8Tiers {
		if t.name == name {
			return Q8Tier{t}, nil
		}
		names[i] = t.name
	}
	return Q8Tier{}, fmt.Errorf("tier %q is not available on this CPU (have %s)", name, strings.Join(names, ", "))
}

func (t Q8Tier) get() *q8Tier {
	if t.t == nil {
		panic("kernels: method called on the zero Q8Tier; get a tier from Q8Tiers, WidestQ8 or LookupQ8Tier")
	}
	return t.t
}

// Name returns the tier's name, e.g. "portable", "avx2", "avx512vnni",
// "amx" or "dotprod".
func (t Q8Tier) Name() string { return t.get().name }

// Q8MatMulOps returns the operations of a Q8MatMul of m tokens through a
// rows×cols weight matrix: 2·m·rows·cols, a multiply-add counted as two.
func Q8MatMulOps(m, rows, cols int) float64 { return SgemmFLOPs(m, rows, cols) }

// Q8Bytes returns the bytes a rows×cols Q8Matrix holds, codes and scales:
// rows·cols·(1 + 2/32). A decode step reads the weights' Q8Bytes once, so
// Q8Bytes over its time is the bandwidth it reached.
func Q8Bytes(rows, cols int) float64 {
	return float64(rows) * float64(cols) * (1 + 2.0/Q8BlockLen)
}

// Q8MatMul computes y = x·wᵀ: row t of y (at y[t·ldy:]) is token t of x
// through every weight row of w, y[t·ldy+r] = Σⱼ x(t,j)·w(r,j). x.Cols must
// equal w.Cols. A decode step is x.Rows = 1 (a matrix-vector product,
// bound by reading w); prefill is a block of prompt tokens (a GEMM). The
// work is split over threads goroutines by weight rows; the result does
// not depend on threads. Only y[t·ldy+r] for r < w.Rows is written.
func (t Q8Tier) Q8MatMul(x, w *Q8Matrix, y []float32, ldy, threads int) {
	tr := t.get()
	x.check("Q8MatMul", "x")
	w.check("Q8MatMul", "w")
	switch {
	case x.Cols != w.Cols:
		panic(fmt.Sprintf("kernels: Q8MatMul: x has %d columns, w %d", x.Cols, w.Cols))
	case ldy < w.Rows:
		panic(fmt.Sprintf("kernels: Q8MatMul: ldy = %d < %d weight rows", ldy, w.Rows))
	case x.Rows > 0 && w.Rows > 0 && len(y) < (x.Rows-1)*ldy+w.Rows:
		panic(fmt.Sprintf("kernels: Q8MatMul: len(y) = %d < %d", len(y), (x.Rows-1)*ldy+w.Rows))
	}
	if x.Rows == 0 || w.Rows == 0 {
		return
	}
	if x.Cols == 0 {
		clearRows(y, ldy, 0, x.Rows, w.Rows)
		return
	}
	c := q8Calls.get()
	defer q8Calls.put(c)
	gemm := x.Rows >= q8GemmMin
	if tr.prep != nil {
		tr.prep(c, x, gemm)
	}
	if threads <= 1 {
		tr.band(c, x, w, 0, w.Rows, y, ldy, gemm)
		return
	}
	// Bands of whole tiles for the gemm; for the matvec, of 16 rows, so
	// that no two goroutines write to one 64-byte line of y.
	align := 16
	if gemm {
		align = tr.nr
	}
	var wg sync.WaitGroup
	for _, r := range split(w.Rows, align, threads) {
		wg.Go(func() { tr.band(c, x, w, r[0], r[1], y, ldy, gemm) })
	}
	wg.Wait()
}

// band computes weight rows [r0, r1) of y, for every token.
func (tr *q8Tier) band(c *q8Call, x, w *Q8Matrix, r0, r1 int, y []float32, ldy int, gemm bool) {
	if gemm {
		tr.gemm(c, x, w, r0, r1, y, ldy)
		return
	}
	tr.matvec(c, x, w, r0, r1, y)
}

// q8MatVecGo is the portable matvec: q8MatMulGo on token 0.
func q8MatVecGo(_ *q8Call, x, w *Q8Matrix, r0, r1 int, y []float32) {
	q8MatMulGo(r0, r1, x, w, y, 0)
}

// q8GemmGo is the portable gemm: q8MatMulGo on every token.
func q8GemmGo(_ *q8Call, x, w *Q8Matrix, r0, r1 int, y []float32, ldy int) {
	q8MatMulGo(r0, r1, x, w, y, ldy)
}

// q8MatMulGo computes weight rows [r0, r1) of y = x·wᵀ. Each output is
// one float32 sum over blocks in order of the block's exact int32 dot
// product times the product of the two scales (Go fuses the multiply and
// the add on arm64, not on amd64: either is within the tiers' bound).
func q8MatMulGo(r0, r1 int, x, w *Q8Matrix, y []float32, ldy int) {
	nb := w.Cols / Q8BlockLen
	for t := range x.Rows {
		xq := x.Quants[t*x.Cols : (t+1)*x.Cols]
		xs := x.Scales[t*nb : (t+1)*nb]
		for r := r0; r < r1; r++ {
			wq := w.Quants[r*w.Cols : (r+1)*w.Cols]
			ws := w.Scales[r*nb : (r+1)*nb]
			var acc float32
			for b := range nb {
				var dot int32
				bx := xq[b*Q8BlockLen : (b+1)*Q8BlockLen]
				bw := wq[b*Q8BlockLen : (b+1)*Q8BlockLen]
				for i, v := range bx {
					dot += int32(v) * int32(bw[i])
				}
				acc += float32(dot) * (xs[b].Float32() * ws[b].Float32())
			}
			y[t*ldy+r] = acc
		}
	}
}

// q8BlockScales sets xs[t·nbp+b] to token t's scale of block b as a
// float32 for the tokens of x, zero past x's blocks up to nbp; rows past
// x.Rows up to len(xs)/nbp are zeroed.
func q8BlockScales(xs []float32, nbp int, x *Q8Matrix) {
	nb := x.Cols / Q8BlockLen
	for t := range len(xs) / nbp {
		row := xs[t*nbp : (t+1)*nbp]
		if t >= x.Rows {
			clear(row)
			continue
		}
		for b, h := range x.Scales[t*nb : (t+1)*nb] {
			row[b] = h.Float32()
		}
		clear(row[nb:])
	}
}

package llm

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/ppbench/ppbench/kernels"
)

// Weights are made, not loaded: speed does not depend on their values, so
// a benchmark needs no weights file and no tokenizer. Every value is
// normal (to 4096 levels) with standard deviation 1/sqrt(fan_in) (0.022 for a
// 2048-wide input, the scale of trained Llama matrices, which keeps
// activations of order one through the layers). No bfloat16 or float32
// value is zero or denormal and no Q8 scale is, so that no kernel meets
// a slow or degenerate case a trained model would not give it; about one
// Q8 code in a hundred is 0, as quantising any normal block gives.
//
// Each stored row of a matrix draws from its own generator, seeded from
// the model seed, the matrix and the row, so that rows are made in
// parallel in any order and the bytes depend on the seed alone, not on
// the number of goroutines.

// splitmix is the SplitMix64 generator (Steele, Lea and Flood, 2014): one
// add and a 64-bit mix per output, enough for weights that only need to
// look random.
type splitmix uint64

func (s *splitmix) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// rowSeed returns the generator of row row of matrix tensor: mixing the
// three through splitmix outputs keeps neighbouring rows uncorrelated.
func rowSeed(seed uint64, tensor, row int) splitmix {
	s := splitmix(seed)
	a := s.next() ^ uint64(tensor)*0xd1342543de82ef95
	s = splitmix(a)
	b := s.next() ^ uint64(row)*0xaf251af3b0f025b5
	s = splitmix(b)
	s.next()
	return s
}

// Normal values come from a table of normalLevels quantiles of the
// standard normal, indexed by 12 random bits: four values from one 64-bit
// draw (one per 16-bit lane, so that loops over 32-value blocks draw
// exactly 8 times), a few instructions each, where computing a normal
// per value would make New take seconds more for a billion weights. 4096
// levels over ±3.5σ is finer than a bfloat16 (8 bits of mantissa) or a
// Q8 code (255 levels a block) can tell apart.
const (
	normalBits   = 12
	normalLevels = 1 << normalBits
	normalMask   = normalLevels - 1
	normalPerU64 = 4 // 16-bit lanes
)

// normalTable holds the quantiles Φ⁻¹((i+½)/normalLevels), scaled to unit
// mean square; it is antisymmetric (table[levels−1−i] = −table[i]), so
// the mean is 0, and no entry is 0: the smallest magnitude is 3.1e-4, the
// largest 3.5.
var normalTable = func() (t [normalLevels]float32) {
	var q [normalLevels / 2]float64
	var ss float64
	for i := range q {
		q[i] = math.Sqrt2 * math.Erfinv(2*(float64(i)+0.5)/normalLevels-1) // negative
		ss += 2 * q[i] * q[i]
	}
	norm := math.Sqrt(ss / normalLevels)
	for i, v := range q {
		t[i] = float32(v / norm)
		t[normalLevels-1-i] = -t[i]
	}
	return t
}()

// fanInStd is the standard deviation of a matrix with fan-in in inputs.
func fanInStd(in int) float32 { return float32(1 / math.Sqrt(float64(in))) }

// minHalfNormal is the smallest normal fp16, 2⁻¹⁴.
const minHalfNormal = 1.0 / (1 << 14)

// fillQ8Rows makes rows [r0, r1) of w directly as Q8_0 blocks of a normal
// matrix with standard deviation std: each block draws 32 values and
// quantises them as kernels.QuantizeQ8Row would (scale = largest
// magnitude/127 as fp16, codes rounded against the unrounded scale),
// without a float32 matrix in between. The largest magnitude is taken at
// least std (one block in 200 000 has all 32 values below it), so that a
// scale is never below std/127, which New checks is a normal fp16.
func fillQ8Rows(w *kernels.Q8Matrix, r0, r1 int, seed uint64, tensor int, std float32) {
	var idx [q8Block]uint16
	nb := w.Cols / q8Block
	for r := r0; r < r1; r++ {
		g := rowSeed(seed, tensor, r)
		q := w.Quants[r*w.Cols : (r+1)*w.Cols]
		sc := w.Scales[r*nb : (r+1)*nb]
		for b := range nb {
			// The table is increasing, so the largest magnitude is at the
			// index farthest from the middle: |2k − (levels−1)| is odd,
			// 1 for the two entries nearest 0.
			far := 1
			for d := 0; d < q8Block; d += normalPerU64 {
				u := g.next()
				k0, k1, k2, k3 := u&normalMask, u>>16&normalMask, u>>32&normalMask, u>>48&normalMask
				idx[d], idx[d+1], idx[d+2], idx[d+3] = uint16(k0), uint16(k1), uint16(k2), uint16(k3)
				far = max(far, farFromMiddle(k0), farFromMiddle(k1), farFromMiddle(k2), farFromMiddle(k3))
			}
			amax := max(normalTable[(normalMask+far)/2], 1)
			sc[b] = kernels.ToF16(amax * std / 127)
			inv := 127 / amax
			qb := (*[q8Block]int8)(q[b*q8Block:]) // a fixed-size array: no bounds checks below
			for i, k := range &idx {
				qb[i] = int8(roundEven(normalTable[k&normalMask] * inv))
			}
		}
	}
}

// farFromMiddle returns |2k − (levels−1)|, the distance of table index k
// from the middle of the table, without a branch.
func farFromMiddle(k uint64) int {
	d := int(2*k) - normalMask
	m := d >> 63 // -1 when d < 0
	return (d ^ m) - m
}

// roundMagic is 1.5·2²³: adding it to a float32 of magnitude below 2²²
// leaves no fraction bits, so the addition rounds to an integer, to
// nearest even, and subtracting it back is exact.
const roundMagic = 0x1.8p23

// roundEven rounds x (|x| < 2²²) to the nearest integer, ties to even, as
// math.RoundToEven does, without leaving float32.
func roundEven(x float32) float32 {
	y := x + roundMagic // a separate statement: float32 rounding happens here
	return y - roundMagic
}

// bf16Normals returns normalTable times std, in bfloat16: the values of a
// bfloat16 matrix with that standard deviation. Each is at least 3.1e-4·std
// in magnitude, far above the bfloat16 (float32) normal range.
func bf16Normals(std float32) *[normalLevels]kernels.BF16 {
	var t [normalLevels]kernels.BF16
	for i, v := range normalTable {
		t[i] = kernels.ToBF16(v * std)
	}
	return &t
}

// fillBF16Rows makes rows [r0, r1) of the rows×cols matrix w (row-major)
// from the values of tab (bf16Normals).
func fillBF16Rows(w []kernels.BF16, cols, r0, r1 int, seed uint64, tensor int, tab *[normalLevels]kernels.BF16) {
	for r := r0; r < r1; r++ {
		g := rowSeed(seed, tensor, r)
		fillNormals(w[r*cols:(r+1)*cols], &g, tab)
	}
}

// fillNormals sets x to values of tab drawn by g, four a draw.
func fillNormals[T any](x []T, g *splitmix, tab *[normalLevels]T) {
	j := 0
	for ; j+normalPerU64 <= len(x); j += normalPerU64 {
		u := g.next()
		x[j] = tab[u&normalMask]
		x[j+1] = tab[u>>16&normalMask]
		x[j+2] = tab[u>>32&normalMask]
		x[j+3] = tab[u>>48&normalMask]
	}
	for u := g.next(); j < len(x); j++ {
		x[j] = tab[u&normalMask]
		u >>= 16
	}
}

// fillNorm makes an RMSNorm weight vector: 1 + N(0, 1/8²), positive, as
// trained norm weights scatter around one.
func fillNorm(w []float32, seed uint64, tensor int) {
	g := rowSeed(seed, tensor, 0)
	fillNormals(w, &g, &normalTable)
	for i, v := range w {
		w[i] = 1 + v/8
	}
}

// A fillJob is one matrix to make: fill makes its rows [r0, r1).
type fillJob struct {
	rows int
	fill func(r0, r1 int)
}

// fillRowsPerTask is the rows one goroutine makes at a time: a few
// hundred kilobytes, so that the tasks spread evenly over the goroutines.
func fillRowsPerTask(rowBytes int) int { return max(1, (256<<10)/max(1, rowBytes)) }

// runFill makes every job's rows on threads goroutines, taking tasks of
// a few rows in turn; the bytes do not depend on threads.
func runFill(jobs []fillJob, rowBytes []int, threads int) {
	type task struct{ job, r0, r1 int }
	var tasks []task
	for j, jb := range jobs {
		step := fillRowsPerTask(rowBytes[j])
		for r := 0; r < jb.rows; r += step {
			tasks = append(tasks, task{j, r, min(jb.rows, r+step)})
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, threads) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(tasks) {
					return
				}
				t := tasks[i]
				jobs[t.job].fill(t.r0, t.r1)
			}
		})
	}
	wg.Wait()
}

// checkScaleRange reports an error when the smallest scale fillQ8Rows can
// make for a fan-in of in, std/127, is not a normal fp16.
func checkScaleRange(in int) error {
	if fanInStd(in)/127 < minHalfNormal {
		return fmt.Errorf("llm: a matrix with %d inputs would have Q8 scales below the fp16 normal range", in)
	}
	return nil
}

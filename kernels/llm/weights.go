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
// roughly normal with standard deviation 1/sqrt(fan_in) (0.022 for a
// 2048-wide input, the scale of trained Llama matrices, which keeps
// activations of order one through the layers), never zero and never
// denormal, so that no kernel meets a slow or degenerate case a trained
// model would not give it.
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

// irwinHallScale makes normal returns unit variance: a sum of four
// uniform 15-bit integers has variance 4·(2³⁰−1)/12 ≈ 2³⁰/3.
const irwinHallScale = 1.7320508075688772 / 32768 // √3 / 2¹⁵

// normal returns a roughly standard normal value from one 64-bit draw: the
// centred sum of four 15-bit uniforms (Irwin–Hall, range ±3.46, the shape
// of a normal within a few percent), offset by half a step by the 61st bit
// so that it is never zero. Its smallest magnitude is 2.6e-5.
func normal(r uint64) float32 {
	s := int32(r&0x7fff) + int32(r>>15&0x7fff) + int32(r>>30&0x7fff) + int32(r>>45&0x7fff)
	c := float32(s-2*0x7fff) + 0.5 // centred on 0: each term's mean is 0x7fff/2
	if r>>60&1 != 0 {
		c -= 1
	}
	return c * irwinHallScale
}

// fanInStd is the standard deviation of a matrix with fan-in in inputs.
func fanInStd(in int) float32 { return float32(1 / math.Sqrt(float64(in))) }

// minHalfNormal is the smallest normal fp16, 2⁻¹⁴.
const minHalfNormal = 1.0 / (1 << 14)

// fillQ8Rows makes rows [r0, r1) of w directly as Q8_0 blocks of a normal
// matrix with standard deviation std: each block draws 32 values and
// quantises them as kernels.QuantizeQ8Row would (scale = largest
// magnitude/127 as fp16, codes rounded against the unrounded scale),
// without a float32 matrix in between. The largest magnitude is taken at
// least std, so that a scale is never below std/127 (New checks that is a
// normal fp16); four draws from the Irwin–Hall sum all below 1 in 32 have
// probability far below 10⁻³⁰.
func fillQ8Rows(w *kernels.Q8Matrix, r0, r1 int, seed uint64, tensor int, std float32) {
	var blk [q8Block]float32
	nb := w.Cols / q8Block
	for r := r0; r < r1; r++ {
		g := rowSeed(seed, tensor, r)
		q := w.Quants[r*w.Cols : (r+1)*w.Cols]
		sc := w.Scales[r*nb : (r+1)*nb]
		for b := range nb {
			amax := float32(1)
			for i := range blk {
				v := normal(g.next())
				blk[i] = v
				amax = max(amax, v, -v)
			}
			sc[b] = kernels.ToF16(amax * std / 127)
			inv := 127 / amax
			for i, v := range blk {
				q[b*q8Block+i] = int8(math.RoundToEven(float64(v * inv)))
			}
		}
	}
}

// fillBF16Rows makes rows [r0, r1) of the rows×cols matrix w (row-major)
// as bfloat16 normals with standard deviation std. A value's magnitude is
// at least 2.6e-5·std, far above the float32 (and bfloat16) normal range.
func fillBF16Rows(w []kernels.BF16, cols, r0, r1 int, seed uint64, tensor int, std float32) {
	for r := r0; r < r1; r++ {
		g := rowSeed(seed, tensor, r)
		for j := range w[r*cols : (r+1)*cols] {
			w[r*cols+j] = kernels.ToBF16(normal(g.next()) * std)
		}
	}
}

// fillNorm makes an RMSNorm weight vector: 1 + N(0, 1/8²), positive, as
// trained norm weights scatter around one.
func fillNorm(w []float32, seed uint64, tensor int) {
	g := rowSeed(seed, tensor, 0)
	for i := range w {
		w[i] = 1 + normal(g.next())/8
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

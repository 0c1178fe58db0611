package llm

import (
	"fmt"
	"math"

	"github.com/ppbench/ppbench/kernels"
)

// refModel is a float64 reference of a Model: the same weights,
// dequantised to float64, and every step of the forward pass in float64,
// written for clarity (one token at a time, matrices as [out][in]) rather
// than speed. Only the activation conversion before each matrix product
// copies the Model's arithmetic: the reference rounds its activation to
// float32 and quantises it with kernels.QuantizeQ8Row (q8_0) or rounds it
// to bfloat16 (bf16), since that conversion is part of the model being
// run, not a rounding error of the implementation.
type refModel struct {
	s         Shape
	format    string
	layers    []refLayer
	finalNorm []float64
	embed     [][]float64 // [Vocab][Hidden]
	output    [][]float64 // [Vocab][Hidden]
	kc, vc    [][][][]float64
	pos       int
	// next, when set, returns the activation row the Model gave the
	// product the reference is about to compute (see act).
	next  func() actRow
	flips int      // activations act took from the Model, on a rounding tie
	errs  []string // activations that differ otherwise
}

type refLayer struct {
	attnNorm, mlpNorm    []float64
	qkv, o, gateUp, down [][]float64 // [out][in]
}

func f64s(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

// dequant returns l as float64 [out][in].
func dequant(l *linear) [][]float64 {
	w := make([][]float64, l.out)
	for r := range w {
		w[r] = make([]float64, l.in)
		for j := range w[r] {
			if l.q8 != nil {
				w[r][j] = float64(l.q8.Quants[r*l.in+j]) * float64(l.q8.Scales[(r*l.in+j)/q8Block].Float32())
			} else {
				w[r][j] = float64(l.bf[j*l.out+r].Float32())
			}
		}
	}
	return w
}

func newRef(m *Model) *refModel {
	s := m.shape
	r := &refModel{s: s, format: m.format, finalNorm: f64s(m.finalNorm), output: dequant(&m.output)}
	for i := range m.layers {
		L := &m.layers[i]
		r.layers = append(r.layers, refLayer{
			attnNorm: f64s(L.attnNorm), mlpNorm: f64s(L.mlpNorm),
			qkv: dequant(&L.qkv), o: dequant(&L.o), gateUp: dequant(&L.gateUp), down: dequant(&L.down),
		})
	}
	r.embed = make([][]float64, s.Vocab)
	row := make([]float32, s.Hidden)
	for t := range r.embed {
		m.embedRow(t, row) // exact: a code times a scale, or a bfloat16, is exact in float32
		r.embed[t] = f64s(row)
	}
	r.kc = make([][][][]float64, s.Layers)
	r.vc = make([][][][]float64, s.Layers)
	for l := range r.kc {
		r.kc[l] = make([][][]float64, s.KVHeads)
		r.vc[l] = make([][][]float64, s.KVHeads)
	}
	return r
}

func (r *refModel) reset() {
	r.pos = 0
	for l := range r.kc {
		for g := range r.kc[l] {
			r.kc[l][g], r.vc[l][g] = nil, nil
		}
	}
}

// An actRow is the activation of one token as the Model gave it to a
// matrix product: Q8 codes and scales, or bfloat16 values.
type actRow struct {
	q  []int8
	sc []kernels.F16
	bf []kernels.BF16
}

// act converts an activation vector as the Model does before a product:
// rounded to float32, then quantised to Q8_0 or rounded to bfloat16.
//
// The Model's float32 activation differs from the reference's by
// rounding, so where the reference's value lies on a rounding tie (a
// code's half-way point, or the midpoint of two bfloat16 values) the two
// may round apart, by one code or one bfloat16 step: a legitimate
// difference, which through later layers would move the logits by up to
// a percent and hide whether the rest is right. So when next gives the
// Model's row, act takes the Model's value wherever the two differ by one
// step on a tie (counting it in flips), and records an error wherever
// they differ otherwise: the comparison stays exact everywhere else.
func (r *refModel) act(x []float64) []float64 {
	x32 := make([]float32, len(x))
	var xmax float64
	for i, v := range x {
		x32[i] = float32(v)
		xmax = max(xmax, math.Abs(v))
	}
	var got actRow
	if r.next != nil {
		got = r.next()
	}
	y := make([]float64, len(x))
	if r.format == FormatQ8 {
		q := make([]int8, len(x))
		sc := make([]kernels.F16, len(x)/q8Block)
		kernels.QuantizeQ8Row(q, sc, x32)
		if got.q != nil {
			r.adoptQ8(x, xmax, q, sc, got)
		}
		for i := range y {
			y[i] = float64(q[i]) * float64(sc[i/q8Block].Float32())
		}
		return y
	}
	for i, v := range x32 {
		b := kernels.ToBF16(v)
		if got.bf != nil && got.bf[i] != b {
			o := got.bf[i]
			mid := (float64(b.Float32()) + float64(o.Float32())) / 2
			if d := int(b) - int(o); (d == 1 || d == -1) && math.Abs(x[i]-mid) <= tieTol*xmax {
				b = o
				r.flips++
			} else {
				r.errs = append(r.errs, fmt.Sprintf("bf16 activation %d: reference %g (%#04x), model %#04x: not a rounding tie", i, x[i], uint16(b), uint16(o)))
			}
		}
		y[i] = float64(b.Float32())
	}
	return y
}

// tieTol is how near a rounding tie, relative to the largest magnitude of
// the vector, a reference activation must be for the Model to round it
// the other way: the Model's float32 activations are within about 1e-6 of
// the reference's (a few hundred float32 roundings), so 1e-5 leaves a
// margin, and a wrong activation (a bug) misses it by orders of magnitude.
const tieTol = 1e-5

// adoptQ8 replaces the reference's codes q and scales sc by the Model's,
// got, where they differ on a rounding tie (within tieTol·xmax of it,
// xmax the vector's largest magnitude).
func (r *refModel) adoptQ8(x []float64, xmax float64, q []int8, sc []kernels.F16, got actRow) {
	for b := range sc {
		blk := x[b*q8Block : (b+1)*q8Block]
		var amax float64
		for _, v := range blk {
			amax = max(amax, math.Abs(v))
		}
		if sc[b] != got.sc[b] {
			// amax/127 on a tie between two halves.
			if d := int(sc[b]) - int(got.sc[b]); d == 1 || d == -1 {
				sc[b] = got.sc[b]
				r.flips++
			} else {
				r.errs = append(r.errs, fmt.Sprintf("q8 scale %d: reference %#04x, model %#04x", b, uint16(sc[b]), uint16(got.sc[b])))
			}
		}
		for i, v := range blk {
			j := b*q8Block + i
			if q[j] == got.q[j] {
				continue
			}
			c := v * 127 / amax // the code before rounding
			tie := float64(min(q[j], got.q[j])) + 0.5
			if d := int(q[j]) - int(got.q[j]); (d == 1 || d == -1) && math.Abs(c-tie)*amax/127 <= tieTol*xmax {
				q[j] = got.q[j]
				r.flips++
			} else {
				r.errs = append(r.errs, fmt.Sprintf("q8 activation %d: reference %g (code %.4f), model code %d: not a rounding tie", j, v, c, got.q[j]))
			}
		}
	}
}

func matVec(w [][]float64, x []float64) []float64 {
	y := make([]float64, len(w))
	for i, row := range w {
		var s float64
		for j, v := range row {
			s += v * x[j]
		}
		y[i] = s
	}
	return y
}

func rmsNorm64(x, w []float64, eps float64) []float64 {
	var ss float64
	for _, v := range x {
		ss += v * v
	}
	rs := 1 / math.Sqrt(ss/float64(len(x))+eps)
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = v * rs * w[i]
	}
	return y
}

// rope64 rotates each head of x (heads of HeadDim) to position p.
func (r *refModel) rope64(x []float64, p int) {
	hd := r.s.HeadDim
	for h := 0; h < len(x); h += hd {
		for i := range hd / 2 {
			ang := float64(p) * math.Pow(r.s.RopeTheta, -2*float64(i)/float64(hd))
			c, s := math.Cos(ang), math.Sin(ang)
			a, b := x[h+i], x[h+i+hd/2]
			x[h+i] = a*c - b*s
			x[h+i+hd/2] = b*c + a*s
		}
	}
}

// step runs one token at the next position and returns its logits, or
// nil without logits, as Prefill computes none for all but the last
// token.
func (r *refModel) step(tok int, logits bool) []float64 {
	s := r.s
	hd, qd, kvd := s.HeadDim, s.QDim(), s.KVDim()
	x := append([]float64(nil), r.embed[tok]...)
	for l, L := range r.layers {
		qkv := matVec(L.qkv, r.act(rmsNorm64(x, L.attnNorm, s.NormEps)))
		q, k, v := qkv[:qd], qkv[qd:qd+kvd], qkv[qd+kvd:]
		r.rope64(q, r.pos)
		r.rope64(k, r.pos)
		for g := range s.KVHeads {
			r.kc[l][g] = append(r.kc[l][g], append([]float64(nil), k[g*hd:(g+1)*hd]...))
			r.vc[l][g] = append(r.vc[l][g], append([]float64(nil), v[g*hd:(g+1)*hd]...))
		}
		att := make([]float64, qd)
		for h := range s.Heads {
			g := h / (s.Heads / s.KVHeads)
			qh := q[h*hd : (h+1)*hd]
			sc := make([]float64, len(r.kc[l][g]))
			mx := math.Inf(-1)
			for p, kp := range r.kc[l][g] {
				var d float64
				for i := range qh {
					d += qh[i] * kp[i]
				}
				sc[p] = d / math.Sqrt(float64(hd))
				mx = max(mx, sc[p])
			}
			var sum float64
			for p := range sc {
				sc[p] = math.Exp(sc[p] - mx)
				sum += sc[p]
			}
			for p, vp := range r.vc[l][g] {
				for i := range hd {
					att[h*hd+i] += sc[p] / sum * vp[i]
				}
			}
		}
		for i, d := range matVec(L.o, r.act(att)) {
			x[i] += d
		}
		gu := matVec(L.gateUp, r.act(rmsNorm64(x, L.mlpNorm, s.NormEps)))
		a := make([]float64, s.MLP)
		for i := range a {
			g := gu[i]
			a[i] = g / (1 + math.Exp(-g)) * gu[s.MLP+i]
		}
		for i, d := range matVec(L.down, r.act(a)) {
			x[i] += d
		}
	}
	r.pos++
	if !logits {
		return nil
	}
	return matVec(r.output, r.act(rmsNorm64(x, r.finalNorm, s.NormEps)))
}

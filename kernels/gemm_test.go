package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// sgemmRef computes C = alpha*op(A)*op(B) + beta*C in float64 and also
// returns, per element, |alpha|*(|op(A)|·|op(B)|) + |beta*C|, the scale of
// the rounding error a float32 product may make.
func sgemmRef(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) (want, scale []float64) {
	want = make([]float64, m*n)
	scale = make([]float64, m*n)
	at := func(i, p int) float64 {
		if tA {
			return float64(a[p*lda+i])
		}
		return float64(a[i*lda+p])
	}
	bt := func(p, j int) float64 {
		if tB {
			return float64(b[j*ldb+p])
		}
		return float64(b[p*ldb+j])
	}
	for i := range m {
		for j := range n {
			var sum, abs float64
			for p := range k {
				sum += at(i, p) * bt(p, j)
				abs += math.Abs(at(i, p) * bt(p, j))
			}
			w := float64(alpha) * sum
			s := math.Abs(float64(alpha)) * abs
			if beta != 0 {
				w += float64(beta) * float64(c[i*ldc+j])
				s += math.Abs(float64(beta) * float64(c[i*ldc+j]))
			}
			want[i*n+j], scale[i*n+j] = w, s
		}
	}
	return want, scale
}

// gemmCase is one Sgemm call's shape and scalars.
type gemmCase struct {
	tA, tB      Transpose
	m, n, k     int
	alpha, beta float32
	pad         int // extra elements per row beyond the matrix width
}

func (c gemmCase) String() string {
	tr := func(t Transpose) string {
		if t {
			return "T"
		}
		return "N"
	}
	return fmt.Sprintf("%s%s/m=%d/n=%d/k=%d/alpha=%g/beta=%g/pad=%d", tr(c.tA), tr(c.tB), c.m, c.n, c.k, c.alpha, c.beta, c.pad)
}

// operands returns fresh random operands for c, with NaN in C's padding
// (and in all of C when beta is zero, which must not be read).
func (c gemmCase) operands(r *rand.Rand) (a []float32, lda int, b []float32, ldb int, cm []float32, ldc int) {
	aRows, aCols := c.tA.stored(c.m, c.k)
	bRows, bCols := c.tB.stored(c.k, c.n)
	lda, ldb, ldc = max(1, aCols)+c.pad, max(1, bCols)+c.pad, max(1, c.n)+c.pad
	a = randSlice(r, aRows*lda)
	b = randSlice(r, bRows*ldb)
	cm = randSlice(r, c.m*ldc)
	for i := range c.m {
		for j := range ldc {
			if j >= c.n || c.beta == 0 {
				cm[i*ldc+j] = float32(math.NaN())
			}
		}
	}
	return
}

// gemmCases returns the shapes the tests cover: every combination of the
// awkward sizes (not multiples of any register tile) in full, a sample of
// them in -short mode.
func gemmCases(short bool) []gemmCase {
	sizes := []int{0, 1, 7, 33, 65, 257}
	var cases []gemmCase
	i := 0
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range sizes {
				i++
				big := m*n*k > 65*65*65
				if short && (i%7 != 0 || big) && !(m == 7 && n == 33) {
					continue
				}
				c := gemmCase{m: m, n: n, k: k, alpha: 1, beta: 0}
				// Vary transposes, scalars and strides across the matrix.
				switch i % 4 {
				case 1:
					c.tA, c.alpha, c.beta, c.pad = Trans, -0.5, 1, 3
				case 2:
					c.tB, c.alpha, c.beta, c.pad = Trans, 2, -1.5, 1
				case 3:
					c.tA, c.tB, c.beta, c.pad = Trans, Trans, 0.25, 16
				}
				cases = append(cases, c)
			}
		}
	}
	return cases
}

// TestSgemm checks every tier against the float64 reference within the
// bound (k+3)·u·(|alpha|·|A||B| + |beta·C|) that a float32 dot product of
// length k and the final scaling obey, and checks that every thread count
// from 2 to 8 gives the bits of the 1-thread result.
func TestSgemm(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, gc := range gemmCases(testing.Short()) {
			a, lda, b, ldb, c0, ldc := gc.operands(r)
			want, scale := sgemmRef(gc.tA, gc.tB, gc.m, gc.n, gc.k, gc.alpha, a, lda, b, ldb, gc.beta, c0, ldc)
			bound := float64(gc.k+3) * unitRoundoff

			var first []float32
			threads := []int{1, 2, 3, 4, 5, 6, 7, 8}
			if testing.Short() {
				threads = []int{1, 3, 8}
			}
			for _, th := range threads {
				c := append([]float32(nil), c0...)
				ti.Sgemm(gc.tA, gc.tB, gc.m, gc.n, gc.k, gc.alpha, a, lda, b, ldb, gc.beta, c, ldc, th)
				if th == 1 {
					first = c
					for i := range gc.m {
						for j := range ldc {
							got := c[i*ldc+j]
							if j >= gc.n {
								if !math.IsNaN(float64(got)) {
									t.Fatalf("%v: C[%d][%d] beyond n was written: %g", gc, i, j, got)
								}
								continue
							}
							if err := math.Abs(float64(got) - want[i*gc.n+j]); !(err <= bound*scale[i*gc.n+j]) {
								t.Fatalf("%v: C[%d][%d] = %g, want %g: error %.3g > bound %.3g", gc, i, j, got, want[i*gc.n+j], err, bound*scale[i*gc.n+j])
							}
						}
					}
					continue
				}
				if i, ok := bitsEqual(c, first); !ok {
					t.Fatalf("%v: threads=%d differs from threads=1 at %d: %g vs %g", gc, th, i, c[i], first[i])
				}
			}
		}
	})
}

// TestSgemmTiersAgree compares each SIMD tier with the portable one: they
// round differently (FMA, order within a tile), so the tolerance is twice
// the reference bound.
func TestSgemmTiersAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, gc := range gemmCases(true) {
		a, lda, b, ldb, c0, ldc := gc.operands(r)
		_, scale := sgemmRef(gc.tA, gc.tB, gc.m, gc.n, gc.k, gc.alpha, a, lda, b, ldb, gc.beta, c0, ldc)
		cp := append([]float32(nil), c0...)
		Portable().Sgemm(gc.tA, gc.tB, gc.m, gc.n, gc.k, gc.alpha, a, lda, b, ldb, gc.beta, cp, ldc, 1)
		for _, ti := range Tiers()[1:] {
			c := append([]float32(nil), c0...)
			ti.Sgemm(gc.tA, gc.tB, gc.m, gc.n, gc.k, gc.alpha, a, lda, b, ldb, gc.beta, c, ldc, 2)
			for i := range gc.m {
				for j := range gc.n {
					d := math.Abs(float64(c[i*ldc+j]) - float64(cp[i*ldc+j]))
					if tol := 2 * float64(gc.k+3) * unitRoundoff * scale[i*gc.n+j]; !(d <= tol) {
						t.Fatalf("%s vs portable, %v: C[%d][%d] = %g vs %g", ti.Name(), gc, i, j, c[i*ldc+j], cp[i*ldc+j])
					}
				}
			}
		}
	}
}

// TestSgemmBlocking checks that neither the loop order (streamB) nor the
// mc and nc blocking changes a bit of the result: each element is the same
// sequence of operations whatever the order the tiles run in. Small blocks
// make every shape cross several of them, and A is read both in place and
// packed.
func TestSgemmBlocking(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		r := rand.New(rand.NewPCG(5, 6))
		base := *ti.t.gemm
		for _, gc := range gemmCases(true) {
			a, lda, b, ldb, c0, ldc := gc.operands(r)
			want := append([]float32(nil), c0...)
			ti.Sgemm(gc.tA, gc.tB, gc.m, gc.n, gc.k, gc.alpha, a, lda, b, ldb, gc.beta, want, ldc, 1)
			for _, streamB := range []bool{false, true} {
				for _, blocks := range [][2]int{{1, 1}, {2, 3}, {5, 2}} {
					g := base
					g.streamB = streamB
					g.mc, g.nc = blocks[0]*g.mr, blocks[1]*g.nr
					blocked := *ti.t
					blocked.gemm = &g
					c := append([]float32(nil), c0...)
					Tier{&blocked}.Sgemm(gc.tA, gc.tB, gc.m, gc.n, gc.k, gc.alpha, a, lda, b, ldb, gc.beta, c, ldc, 2)
					if i, ok := bitsEqual(c, want); !ok {
						t.Fatalf("%v: streamB=%v mc=%d nc=%d differs at %d: %g vs %g", gc, streamB, g.mc, g.nc, i, c[i], want[i])
					}
				}
			}
		}
	})
}

func TestSgemmPanics(t *testing.T) {
	w := Widest()
	a := make([]float32, 12)
	cases := []struct {
		want string
		f    func()
	}{
		{"kernels: Sgemm: m = -1 < 0", func() { w.Sgemm(NoTrans, NoTrans, -1, 3, 4, 1, a, 4, a, 3, 0, a, 3, 1) }},
		{"kernels: Sgemm: n = -2 < 0", func() { w.Sgemm(NoTrans, NoTrans, 3, -2, 4, 1, a, 4, a, 3, 0, a, 3, 1) }},
		{"kernels: Sgemm: k = -3 < 0", func() { w.Sgemm(NoTrans, NoTrans, 3, 3, -3, 1, a, 4, a, 3, 0, a, 3, 1) }},
		{"kernels: Sgemm: lda = 3 < max(1, 4)", func() { w.Sgemm(NoTrans, NoTrans, 3, 3, 4, 1, a, 3, a, 3, 0, a, 3, 1) }},
		{"kernels: Sgemm: lda = 2 < max(1, 3)", func() { w.Sgemm(Trans, NoTrans, 3, 3, 4, 1, a, 2, a, 3, 0, a, 3, 1) }},
		{"kernels: Sgemm: ldb = 2 < max(1, 3)", func() { w.Sgemm(NoTrans, NoTrans, 3, 3, 4, 1, a, 4, a, 2, 0, a, 3, 1) }},
		{"kernels: Sgemm: ldc = 0 < max(1, 3)", func() { w.Sgemm(NoTrans, NoTrans, 3, 3, 4, 1, a, 4, a, 3, 0, a, 0, 1) }},
		{"kernels: Sgemm: len(a) = 12 < 20", func() { w.Sgemm(NoTrans, NoTrans, 4, 3, 5, 1, a, 5, make([]float32, 15), 3, 0, a, 3, 1) }},
		{"kernels: Sgemm: len(b) = 12 < 15", func() { w.Sgemm(NoTrans, NoTrans, 3, 3, 5, 1, make([]float32, 15), 5, a, 3, 0, a, 3, 1) }},
		{"kernels: Sgemm: len(c) = 12 < 16", func() { w.Sgemm(NoTrans, NoTrans, 4, 4, 1, 1, a, 1, a, 4, 0, a, 4, 1) }},
	}
	for _, c := range cases {
		mustPanic(t, c.want, c.f)
	}
}

// TestSgemmZeroSizes checks the quick returns: k = 0 or alpha = 0 scale C
// by beta, and beta = 0 overwrites NaN.
func TestSgemmZeroSizes(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		c := []float32{float32(math.NaN()), 2, 3, 4}
		ti.Sgemm(NoTrans, NoTrans, 2, 2, 0, 1, nil, 1, nil, 2, 0, c, 2, 1)
		if c[0] != 0 || c[3] != 0 {
			t.Errorf("k=0, beta=0: C = %v, want zeros", c)
		}
		c = []float32{1, 2, 3, 4}
		a := []float32{float32(math.Inf(1)), 1, 1, 1}
		ti.Sgemm(NoTrans, NoTrans, 2, 2, 2, 0, a, 2, a, 2, 2, c, 2, 1)
		if c[0] != 2 || c[3] != 8 {
			t.Errorf("alpha=0, beta=2: C = %v, want [2 4 6 8]", c)
		}
	})
}

func TestSgemmFLOPs(t *testing.T) {
	if got := SgemmFLOPs(1024, 512, 3); got != 2*1024*512*3 {
		t.Errorf("SgemmFLOPs(1024, 512, 3) = %g", got)
	}
	// The count is a float64 product, exact up to 2⁵³.
	if got := SgemmFLOPs(65536, 65536, 65536); got != 0x1p49 {
		t.Errorf("SgemmFLOPs(65536³) = %g, want 2⁴⁹", got)
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		n, align, parts int
		want            string
	}{
		{10, 4, 2, "[[0 4] [4 10]]"},
		{10, 4, 8, "[[0 4] [4 8] [8 10]]"},
		{1, 8, 3, "[[0 1]]"},
		{64, 8, 3, "[[0 16] [16 40] [40 64]]"},
	} {
		if got := fmt.Sprint(split(tc.n, tc.align, tc.parts)); got != tc.want {
			t.Errorf("split(%d, %d, %d) = %s, want %s", tc.n, tc.align, tc.parts, got, tc.want)
		}
	}
}

// TestSgemmNoAlloc checks that the steady state reuses its buffers.
func TestSgemmNoAlloc(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		n := 70
		a := make([]float32, n*n)
		c := make([]float32, n*n)
		ti.Sgemm(NoTrans, NoTrans, n, n, n, 1, a, n, a, n, 0, c, n, 1)
		allocs := testing.AllocsPerRun(20, func() {
			ti.Sgemm(NoTrans, NoTrans, n, n, n, 1, a, n, a, n, 0, c, n, 1)
		})
		if allocs > 0 {
			t.Errorf("Sgemm allocates %v times per call in steady state", allocs)
		}
	})
}

func TestFitCaches(t *testing.T) {
	base := gemmTier{mr: 12, nr: 32, kc: 100, mc: 100, nc: 4096}
	streaming := base
	streaming.streamB = true
	for _, tc := range []struct {
		t          gemmTier
		l1d, l2    int
		kc, mc, nc int
	}{
		{base, 48 << 10, 2 << 20, 256, 204 / 12 * 12, 4096},
		{base, 32 << 10, 1 << 20, 168, 1 << 20 / 10 / (168 * 4) / 12 * 12, 4096},
		{base, -1, -1, 100, 100, 4096},          // unknown: defaults
		{base, 1 << 20, 0, 384, 100, 4096},      // huge L1: kc capped
		{base, 1 << 10, 1 << 10, 128, 12, 4096}, // tiny caches: floors
		// streamB: the B panel takes half of L2, A blocks are 16 MiB.
		{streaming, 48 << 10, 2 << 20, 256, 16380, 1024},
		{streaming, 32 << 10, 1 << 20, 168, 24960, 1 << 20 / 2 / (168 * 4) / 32 * 32},
		{streaming, 48 << 10, -1, 256, 16380, 4096}, // unknown L2: default nc
		{streaming, 1 << 10, 1 << 10, 128, 32760, 32},
	} {
		g := tc.t.fitCaches(tc.l1d, tc.l2)
		if g.kc != tc.kc || g.mc != tc.mc || g.nc != tc.nc {
			t.Errorf("fitCaches(%d, %d) with streamB=%v = kc %d, mc %d, nc %d; want %d, %d, %d",
				tc.l1d, tc.l2, tc.t.streamB, g.kc, g.mc, g.nc, tc.kc, tc.mc, tc.nc)
		}
	}
}

// TestPacking checks packA and packB, including their gather and
// eight-row fast paths and each tier's own gather12, against the layout
// gemmTier.tile reads: element (i, p) of an A sliver at p*mr+i, element
// (p, j) of a B sliver at p*nr+j, zeros beyond the matrix.
func TestPacking(t *testing.T) {
	type packer struct {
		name string
		t    *gemmTier
	}
	var packers []packer
	for _, width := range []int{1, 5, 6, 8, 12, 16, 32} {
		packers = append(packers, packer{fmt.Sprintf("width=%d", width), &gemmTier{mr: width, nr: width}})
	}
	for _, ti := range Tiers() {
		packers = append(packers, packer{"tier=" + ti.Name(), ti.t.gemm})
	}
	r := rand.New(rand.NewPCG(7, 8))
	const pad = 3
	for _, pk := range packers {
		mr, nr := pk.t.mr, pk.t.nr
		for _, rows := range []int{1, 6, 7, 12, 29, 70} { // mc for A, nc for B
			for _, kc := range []int{1, 7, 16, 33, 64} {
				for _, tr := range []Transpose{NoTrans, Trans} {
					name := fmt.Sprintf("%s/rows=%d/kc=%d/trans=%v", pk.name, rows, kc, tr)
					// A block [ic:ic+rows, pc:pc+kc] of a matrix with an
					// offset of 2 rows and 1 column.
					const off0, off1 = 2, 1
					aRows, aCols := tr.stored(off0+rows, off1+kc)
					x := randSlice(r, aRows*(aCols+pad))
					ld := aCols + pad
					at := func(i, p int) float32 {
						if tr {
							return x[(off1+p)*ld+off0+i]
						}
						return x[(off0+i)*ld+off1+p]
					}
					got := make([]float32, roundUp(rows, mr)*kc)
					pk.t.packA(got, tr, x, ld, off0, rows, off1, kc)
					checkSlivers(t, "packA "+name, got, mr, rows, kc, at)
					// B block [pc:pc+kc, jc:jc+rows]: the same matrix read
					// as B, with op(B)[p][j] = at(j, p), so its slivers
					// hold the same values as A's.
					got = make([]float32, kc*roundUp(rows, nr))
					packB(nr, got, !tr, x, ld, off1, kc, off0, rows)
					checkSlivers(t, "packB "+name, got, nr, rows, kc, at)
				}
			}
		}
	}
}

// checkSlivers checks that got holds width-wide slivers, each kc steps of
// width values, where value w of step p of sliver s is at(s*width+w, p),
// or zero beyond rows.
func checkSlivers(t *testing.T, name string, got []float32, width, rows, kc int, at func(i, p int) float32) {
	t.Helper()
	for s := 0; s < roundUp(rows, width); s += width {
		for p := 0; p < kc; p++ {
			for w := 0; w < width; w++ {
				want := float32(0)
				if s+w < rows {
					want = at(s+w, p)
				}
				if g := got[s*kc+p*width+w]; g != want {
					t.Fatalf("%s: sliver %d, k %d, lane %d = %g, want %g", name, s/width, p, w, g, want)
				}
			}
		}
	}
}

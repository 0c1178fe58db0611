//go:build gc && !purego && !noasm

package kernels

import (
	"math"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// The arm64 reduced-precision tiles, each with the set it needs. Tests
// skip a tile the CPU (or qemu's model of one) lacks.
var (
	int8Tiles = []tileCase[int8, int8, int32]{
		{"dotprod", isa.DOTPROD, sdotTile},
		{"i8mm", isa.I8MM, smmlaTile},
	}
	bf16Tiles = []tileCase[BF16, BF16, float32]{
		{"bf16", isa.BF16, bfmmlaTile},
	}
)

// A tileCase is one tile to test and the set it needs.
type tileCase[In, P, Out any] struct {
	name  string
	needs isa.Set
	t     *lowpTile[In, P, Out]
}

// smallBlocks returns t with kc and nc cut to a few groups and slivers,
// so that small shapes cross k and n blocks: a later k block starts from
// C, and the edge tiles of every panel are copies.
func smallBlocks[In, P, Out any](t *lowpTile[In, P, Out]) *lowpTile[In, P, Out] {
	s := *t
	s.kc, s.nc = 3*t.kg, 2*t.nr
	if t.kg == 1 {
		s.kc = 5
	}
	s.bufs = new(freeList[lowpBuf[P, Out]])
	return &s
}

// blockings runs f on t as shipped and with small blocks.
func blockings[In, P, Out any](t *testing.T, lt *lowpTile[In, P, Out], f func(t *testing.T, lt *lowpTile[In, P, Out])) {
	t.Run("shipped", func(t *testing.T) { f(t, lt) })
	t.Run("small-blocks", func(t *testing.T) { f(t, smallBlocks(lt)) })
}

// lowpShapes are m, n, k triples around the 12×8 tile and the k groups
// of 4 and 8: k = 1-3, 5-7 and 9 leave a partial group.
func lowpShapes(short bool) [][3]int {
	ms, ns, ks := []int{1, 11, 12, 13, 25}, []int{1, 7, 8, 9, 17}, []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33}
	if short {
		ms, ns, ks = []int{1, 13, 25}, []int{7, 9, 17}, []int{1, 3, 5, 8, 9, 17, 33}
	}
	var out [][3]int
	for _, m := range ms {
		for _, n := range ns {
			for _, k := range ks {
				out = append(out, [3]int{m, n, k})
			}
		}
	}
	return out
}

func checkInt8Gemm[P any](t *testing.T, lt *lowpTile[int8, P, int32]) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, s := range lowpShapes(testing.Short()) {
		m, n, k := s[0], s[1], s[2]
		lda, ldb, ldc := k+2, n+3, n+1
		a, b := randInt8(r, (m-1)*lda+k), randInt8(r, (k-1)*ldb+n)
		a[0], b[0] = -128, -128
		want := make([]int32, m*ldc)
		PortableInt8().GemmInt8(m, n, k, a, lda, b, ldb, want, ldc, 1)
		got := make([]int32, m*ldc)
		for i := range got {
			got[i] = 0x5a5a5a5a
		}
		lt.gemm(0, m, n, k, a, lda, b, ldb, got, ldc)
		for i := range m {
			for j := range ldc {
				w := want[i*ldc+j]
				if j >= n {
					w = 0x5a5a5a5a // between rows: never written
				}
				if g := got[i*ldc+j]; g != w {
					t.Fatalf("m=%d n=%d k=%d: C[%d][%d] = %d, want %d", m, n, k, i, j, g, w)
				}
			}
		}
	}
}

func checkBF16Gemm[P any](t *testing.T, lt *lowpTile[BF16, P, float32]) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, s := range lowpShapes(testing.Short()) {
		m, n, k := s[0], s[1], s[2]
		lda, ldb, ldc := k+1, n+2, n+3
		a, b := randBF16(r, (m-1)*lda+k), randBF16(r, (k-1)*ldb+n)
		got := make([]float32, m*ldc)
		for i := range got {
			got[i] = float32(math.NaN())
		}
		lt.gemm(0, m, n, k, a, lda, b, ldb, got, ldc)
		for i := range m {
			for j := range ldc {
				g := got[i*ldc+j]
				if j >= n {
					if !math.IsNaN(float64(g)) {
						t.Fatalf("m=%d n=%d k=%d: C[%d][%d] = %g past the row was written", m, n, k, i, j, g)
					}
					continue
				}
				want, tol := bf16Ref(a, lda, b, ldb, i, j, k)
				if d := math.Abs(float64(g) - want); !(d <= tol) {
					t.Fatalf("m=%d n=%d k=%d: C[%d][%d] = %g, want %g ± %g", m, n, k, i, j, g, want, tol)
				}
			}
		}
	}
}

// TestLowpTilesARM64 runs each arm64 tile's GEMM, as shipped and with
// blocks small enough for the shapes to cross them, against the portable
// tier (int8, exactly) or a float64 reference within the bound of
// TestGemmBF16 (bf16), writing nothing between the rows of C.
func TestLowpTilesARM64(t *testing.T) {
	t.Run("neon", func(t *testing.T) { blockings(t, smlalTile, checkInt8Gemm) })
	runTileCases(t, int8Tiles, checkInt8Gemm)
	t.Run("fp32-neon", func(t *testing.T) { blockings(t, fp32BF16Tile, checkBF16Gemm) })
	runTileCases(t, bf16Tiles, checkBF16Gemm)
}

// runTileCases runs blockings with f for each of cases, skipping those the
// CPU lacks.
func runTileCases[In, P, Out any](t *testing.T, cases []tileCase[In, P, Out], f func(t *testing.T, lt *lowpTile[In, P, Out])) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if m := tc.needs.Missing(&cpuid.CPU); m != nil {
				t.Skipf("CPU lacks %v", m)
			}
			blockings(t, tc.t, f)
		})
	}
}

// TestLowpDeepK runs each int8 tier on a k several times its kc, so that
// every tier crosses k blocks as shipped, exactly against the portable
// tier, and the bf16 tiers within the test bound.
func TestLowpDeepK(t *testing.T) {
	if testing.Short() {
		t.Skip("long k under emulation")
	}
	r := rand.New(rand.NewPCG(9, 10))
	const m, n, k = 13, 9, 2*1024 + 9
	a, b := randInt8(r, m*k), randInt8(r, k*n)
	want := make([]int32, m*n)
	PortableInt8().GemmInt8(m, n, k, a, k, b, n, want, n, 1)
	for _, ti := range Int8Tiers() {
		got := make([]int32, m*n)
		ti.GemmInt8(m, n, k, a, k, b, n, got, n, 2)
		if i, ok := firstDiff(got, want); !ok {
			t.Errorf("%s: k=%d: C[%d] = %d, portable %d", ti.Name(), k, i, got[i], want[i])
		}
	}
	ab, bb := randBF16(r, m*k), randBF16(r, k*n)
	for _, ti := range BF16Tiers() {
		got := make([]float32, m*n)
		ti.GemmBF16(m, n, k, ab, k, bb, n, got, n, 2)
		for i := range m {
			for j := range n {
				want, tol := bf16Ref(ab, k, bb, n, i, j, k)
				if d := math.Abs(float64(got[i*n+j]) - want); !(d <= tol) {
					t.Errorf("%s: k=%d: C[%d][%d] = %g, want %g", ti.Name(), k, i, j, got[i*n+j], want)
				}
			}
		}
	}
}

func firstDiff[T comparable](got, want []T) (int, bool) {
	for i := range got {
		if got[i] != want[i] {
			return i, false
		}
	}
	return 0, true
}

// packedA and packedB are the layouts of lowpTile's comment, the
// reference the packing functions are checked against.
func packedA(mr, kg, i, p int) int { return p/kg*mr*kg + i*kg + p%kg }
func packedB(nr, kg, p, j int) int { return p/kg*nr*kg + j*kg + p%kg }

// checkPacking packs A slivers of every partial height and depth and B
// panels of several widths and depths, and compares each packed value,
// padding included, with the layout: conv is the packing's widening (or
// the identity).
func checkPacking[In, P comparable](t *testing.T, lt *lowpTile[In, P, any], rnd func(n int) []In, conv func(In) P) {
	var zero P
	for kc := 1; kc <= 3*lt.kg+1; kc++ {
		kq := roundUp(kc, lt.kg)
		for rows := 1; rows <= lt.mr; rows++ {
			lda := kc + 3
			a := rnd((rows-1)*lda + kc)
			dst := make([]P, lt.mr*kq+1)
			sentinel := conv(a[0])
			for i := range dst {
				dst[i] = sentinel
			}
			lt.packA(dst[:lt.mr*kq], a, lda, rows, kc)
			for i := range lt.mr {
				for p := range kq {
					want := zero
					if i < rows && p < kc {
						want = conv(a[i*lda+p])
					}
					if got := dst[packedA(lt.mr, lt.kg, i, p)]; got != want {
						t.Fatalf("packA rows=%d kc=%d: (%d, %d) = %v, want %v", rows, kc, i, p, got, want)
					}
				}
			}
			if dst[lt.mr*kq] != sentinel {
				t.Fatalf("packA rows=%d kc=%d wrote past the sliver", rows, kc)
			}
		}
	}
	// B through packPanel: word-wide blocks across full slivers, rows left
	// over and a last partial sliver one value at a time.
	for kc := 1; kc <= 3*lt.bStep+lt.kg+1; kc++ {
		kq := roundUp(kc, lt.kg)
		for _, nc := range []int{1, 5, 8, 9, 16, 19} {
			ldb := nc + 2
			b := rnd((kc-1)*ldb + nc)
			slivers := roundUp(nc, lt.nr) / lt.nr
			dst := make([]P, slivers*lt.nr*kq+1)
			sentinel := conv(b[0])
			for i := range dst {
				dst[i] = sentinel
			}
			lt.packPanel(dst[:slivers*lt.nr*kq], b, ldb, kc, nc)
			for p := range kq {
				for j := range slivers * lt.nr {
					want := zero
					if j < nc && p < kc {
						want = conv(b[p*ldb+j])
					}
					if got := dst[j/lt.nr*lt.nr*kq+packedB(lt.nr, lt.kg, p, j%lt.nr)]; got != want {
						t.Fatalf("packPanel nc=%d kc=%d: (%d, %d) = %v, want %v", nc, kc, p, j, got, want)
					}
				}
			}
			if dst[slivers*lt.nr*kq] != sentinel {
				t.Fatalf("packPanel nc=%d kc=%d wrote past the panel", nc, kc)
			}
		}
	}
}

// anyOut drops a tile's output type, which packing does not use.
func anyOut[In, P, Out any](lt *lowpTile[In, P, Out]) *lowpTile[In, P, any] {
	return &lowpTile[In, P, any]{mr: lt.mr, nr: lt.nr, kg: lt.kg, packA: lt.packA, packB: lt.packB, blockB: lt.blockB, bStep: lt.bStep}
}

func TestLowpPacking(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ri8 := func(n int) []int8 {
		x := randInt8(r, n)
		for i := range x {
			if x[i] == 0 {
				x[i] = 1 // zero is the padding
			}
		}
		return x
	}
	rbf := func(n int) []BF16 {
		x := randBF16(r, n)
		for i := range x {
			if x[i] == 0 {
				x[i] = 0x3f80
			}
		}
		return x
	}
	t.Run("neon", func(t *testing.T) {
		checkPacking(t, anyOut(smlalTile), ri8, func(v int8) int16 { return int16(v) })
	})
	t.Run("dotprod", func(t *testing.T) { checkPacking(t, anyOut(sdotTile), ri8, func(v int8) int8 { return v }) })
	t.Run("i8mm", func(t *testing.T) { checkPacking(t, anyOut(smmlaTile), ri8, func(v int8) int8 { return v }) })
	t.Run("fp32-neon", func(t *testing.T) { checkPacking(t, anyOut(fp32BF16Tile), rbf, BF16.Float32) })
	t.Run("bf16", func(t *testing.T) { checkPacking(t, anyOut(bfmmlaTile), rbf, func(v BF16) BF16 { return v }) })
}

// TestLowpTileAcc runs each int8 tile on its own, k steps around the
// unroll by 4: from zero and adding to
// C, with C's stride wider than the tile, and writing nothing past it.
func TestLowpTileAcc(t *testing.T) {
	type tc struct {
		name  string
		needs isa.Set
		kg    int
		tile  func(kq int, a, b []int8, c []int32, ldc int, acc bool)
	}
	r := rand.New(rand.NewPCG(13, 14))
	// SMLAL's operands are int16; int8 values widened are the same sums.
	smlal := func(kq int, a, b []int8, c []int32, ldc int, acc bool) {
		wa, wb := make([]int16, len(a)), make([]int16, len(b))
		for i, v := range a {
			wa[i] = int16(v)
		}
		for i, v := range b {
			wb[i] = int16(v)
		}
		tileSMLAL(kq, wa, wb, c, ldc, acc)
	}
	for _, c := range []tc{{"neon", isa.NEON, 1, smlal}, {"dotprod", isa.DOTPROD, 4, tileSDOT}, {"i8mm", isa.I8MM, 8, tileSMMLA}} {
		t.Run(c.name, func(t *testing.T) {
			if m := c.needs.Missing(&cpuid.CPU); m != nil {
				t.Skipf("CPU lacks %v", m)
			}
			for _, groups := range []int{0, 1, 3, 4, 5, 9} {
				kq := groups * c.kg
				a, b := randInt8(r, 12*kq), randInt8(r, 8*kq)
				const ldc = 11
				c0 := make([]int32, 12*ldc+3)
				for i := range c0 {
					c0[i] = int32(r.Uint32())
				}
				for _, acc := range []bool{false, true} {
					got := slices.Clone(c0)
					c.tile(kq, a, b, got, ldc, acc)
					for i := range 12 {
						for j := range ldc {
							want := c0[i*ldc+j]
							if j < 8 {
								var s int32
								for p := range kq {
									s += int32(a[packedA(12, c.kg, i, p)]) * int32(b[packedB(8, c.kg, p, j)])
								}
								if acc {
									want += s
								} else {
									want = s
								}
							}
							if g := got[i*ldc+j]; g != want {
								t.Fatalf("groups=%d acc=%v: c[%d][%d] = %d, want %d", groups, acc, i, j, g, want)
							}
						}
					}
					if !slices.Equal(got[12*ldc:], c0[12*ldc:]) {
						t.Fatalf("groups=%d acc=%v: wrote past the tile", groups, acc)
					}
				}
			}
		})
	}
}

// TestLowpTileBounds checks that the wrappers refuse slices shorter than
// what the assembly reads or writes.
func TestLowpTileBounds(t *testing.T) {
	a, b, c := make([]int8, 12*8), make([]int8, 8*8), make([]int32, 12*8)
	mustPanic(t, "kernels: tileSMMLA: kq = 16, len(a) = 96, len(b) = 64, len(c) = 96, ldc = 8", func() {
		tileSMMLA(16, a, b, c, 8, false)
	})
	mustPanic(t, "kernels: tileSDOT: kq = 6, len(a) = 96, len(b) = 64, len(c) = 96, ldc = 8", func() {
		tileSDOT(6, a, b, c, 8, false)
	})
	mustPanic(t, "kernels: tileSDOT: kq = 4, len(a) = 96, len(b) = 64, len(c) = 95, ldc = 8", func() {
		tileSDOT(4, a, b, c[:95], 8, false)
	})
	mustPanic(t, "kernels: tileSMLAL: kq = 1, len(a) = 12, len(b) = 8, len(c) = 96, ldc = 7", func() {
		tileSMLAL(1, make([]int16, 12), make([]int16, 8), c, 7, false)
	})
	mustPanic(t, "kernels: tileBFMMLA: kq = 8, len(a) = 95, len(b) = 64, len(c) = 96, ldc = 8", func() {
		tileBFMMLA(8, make([]BF16, 95), make([]BF16, 64), make([]float32, 96), 8, false)
	})
}

// TestDotLoopsARM64 checks what each dot loop computes, which says that
// the WORD encodings are the instructions meant: the operands are fixed
// in the assembly, so every step adds a known amount to the sum.
func TestDotLoopsARM64(t *testing.T) {
	const iters = 1000
	// SMLAL: A lanes 5, 3, ... (rows 0-11: six of each), B lanes 2, 7,
	// ...: each row's pair of SMLAL adds 2·(2+7+2+7)·a.
	if got, want := dotLoopSMLAL(iters), int64(iters*36*(6*5+6*3)); got != want {
		t.Errorf("dotLoopSMLAL(%d) = %d, want %d", iters, got, want)
	}
	if got := dotLoopSMLAL(0); got != 0 {
		t.Errorf("dotLoopSMLAL(0) = %d", got)
	}
	// SDOT: bytes (-3, 3, -2, 1)·(1, -1, -128, 127) = 377 in each of 4
	// lanes of 24 accumulators; SMMLA: two such groups in each of 4.
	if !isa.DOTPROD.On(&cpuid.CPU) {
		t.Log("no dotprod: SDOT and SMMLA loops not run")
	} else if got, want := dotLoopSDOT(iters), int64(iters*24*4*377); got != want {
		t.Errorf("dotLoopSDOT(%d) = %d, want %d", iters, got, want)
	}
	if isa.I8MM.On(&cpuid.CPU) {
		if got, want := dotLoopSMMLA(iters), int64(iters*24*4*2*377); got != want {
			t.Errorf("dotLoopSMMLA(%d) = %d, want %d", iters, got, want)
		}
	}
	// BFMMLA: every lane of accumulator k starts at 1 + k/32 and gains
	// 4·2⁻²⁰ a step, exactly while the sums are this small.
	if isa.BF16.On(&cpuid.CPU) {
		var want float64
		for k := range 24 {
			want += 4 * (1 + float64(k)/32 + iters*4.0/(1<<20))
		}
		got := float64(math.Float32frombits(uint32(dotLoopBFMMLA(iters))))
		if math.Abs(got-want) > 1e-6*want {
			t.Errorf("dotLoopBFMMLA(%d) = %g, want %g", iters, got, want)
		}
	}
}

// raceBuild says the race detector is on: it allocates behind the code
// it instruments, so allocation counts mean nothing then.
func raceBuild() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// TestLowpAllocsARM64 checks that in steady state the arm64 tiers
// allocate nothing on one thread: packing space comes from their free
// lists.
func TestLowpAllocsARM64(t *testing.T) {
	if raceBuild() {
		t.Skip("the race detector allocates")
	}
	const m, n, k = 25, 17, 41
	for _, ti := range Int8Tiers() {
		checkGemmNoAlloc(t, ti.Name()+" GemmInt8", m, n, k, ti.GemmInt8)
	}
	for _, ti := range BF16Tiers() {
		checkGemmNoAlloc(t, ti.Name()+" GemmBF16", m, n, k, ti.GemmBF16)
	}
}

// TestLowpDispatchARM64 pins down which arm64 tiers each feature set
// gets: SMMLA needs SDOT's set as well, and a chip without bf16 runs
// fp32-neon.
func TestLowpDispatchARM64(t *testing.T) {
	for _, tc := range []struct {
		have       []cpuid.FeatureID
		int8, bf16 []string
	}{
		{nil, []string{"portable"}, []string{"portable"}},
		{[]cpuid.FeatureID{cpuid.ASIMD}, []string{"portable", "neon"}, []string{"portable", "fp32-neon"}},
		{[]cpuid.FeatureID{cpuid.ASIMD, cpuid.ASIMDDP}, []string{"portable", "neon", "dotprod"}, []string{"portable", "fp32-neon"}},
		{[]cpuid.FeatureID{cpuid.ASIMD, cpuid.I8MM, cpuid.BF16}, []string{"portable", "neon"}, []string{"portable", "fp32-neon", "bf16"}},
		{[]cpuid.FeatureID{cpuid.ASIMD, cpuid.ASIMDDP, cpuid.I8MM}, []string{"portable", "neon", "dotprod", "i8mm"}, []string{"portable", "fp32-neon"}},
		{[]cpuid.FeatureID{cpuid.ASIMD, cpuid.ASIMDDP, cpuid.I8MM, cpuid.BF16, cpuid.SVE}, []string{"portable", "neon", "dotprod", "i8mm"}, []string{"portable", "fp32-neon", "bf16"}},
	} {
		var c cpuid.CPUInfo
		c.Enable(tc.have...)
		i8, bf := lowpTierNames(&portableInt8, int8Table, &c), lowpTierNames(&portableBF16, bf16Table, &c)
		if !slices.Equal(i8, tc.int8) || !slices.Equal(bf, tc.bf16) {
			t.Errorf("%v: int8 %v, bf16 %v; want %v, %v", tc.have, i8, bf, tc.int8, tc.bf16)
		}
	}
	// The table's tile heights are what the split aligns to.
	for _, s := range int8Table {
		if s.t.mr != 12 {
			t.Errorf("%s: mr = %d", s.needs.Name, s.t.mr)
		}
	}
	for _, s := range bf16Table {
		if s.t.mr != 12 {
			t.Errorf("%s: mr = %d", s.needs.Name, s.t.mr)
		}
	}
}

//go:build gc && !purego && !noasm

package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// bf16SIMDTiers returns the SIMD bf16 tiers this CPU has, logging those
// it lacks, so that a run on a smaller chip says what it did not test.
func bf16SIMDTiers(t testing.TB) []BF16Tier {
	ts := BF16Tiers()[1:]
	for _, s := range bf16Table {
		if !s.needs.On(&cpuid.CPU) {
			t.Logf("skipped %s: not supported by this CPU (lacks %v)", s.needs.Name, s.needs.Missing(&cpuid.CPU))
		}
	}
	return ts
}

// checkBF16 compares got with want (another tier's C) within the bound
// two orders of summation can differ by: each product is exact in fp32
// and each sum rounds at most k times, so each is within (k+2)·u·Σ|a||b|
// of the exact sum (u = 2⁻²⁴).
func checkBF16(t *testing.T, what string, m, n, k int, a []BF16, lda int, b []BF16, ldb int, got, want []float32, ldc int) {
	t.Helper()
	for i := range m {
		for j := range n {
			_, tol := bf16Ref(a, lda, b, ldb, i, j, k)
			tol *= 2
			g, w := got[i*ldc+j], want[i*ldc+j]
			if d := math.Abs(float64(g) - float64(w)); !(d <= tol) {
				t.Fatalf("%s m=%d n=%d k=%d: C[%d][%d] = %g, portable %g (± %g)", what, m, n, k, i, j, g, w, tol)
			}
		}
	}
}

// TestGemmBF16TiersRandom runs every SIMD tier against the portable one on
// random shapes that straddle the register tiles (12×32, 6×16) and the k,
// n and m blocks, odd k included, with padded strides, and checks that C's
// padding between rows is left alone.
func TestGemmBF16TiersRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	shapes := [][3]int{
		{12, 32, 2}, {12, 32, 1}, {11, 31, 3}, {13, 33, 255}, {25, 65, 257},
		{6, 16, 256}, {7, 17, 513}, {24, 600, 300}, {37, 1030, 17}, {1, 1, 1001},
		// Taller than a block of A (4 Mi words): 16380 rows at 256 k
		// words, 32760 at 128.
		{32800, 3, 3},
	}
	for range 20 {
		shapes = append(shapes, [3]int{1 + r.IntN(60), 1 + r.IntN(140), 1 + 2*r.IntN(300)})
	}
	for _, ti := range bf16SIMDTiers(t) {
		t.Run("tier="+ti.Name(), func(t *testing.T) {
			for _, s := range shapes {
				m, n, k := s[0], s[1], s[2]
				lda, ldb, ldc := k+r.IntN(3), n+r.IntN(3), n+1+r.IntN(3)
				a, b := randBF16(r, m*lda), randBF16(r, k*ldb)
				want := make([]float32, m*ldc)
				PortableBF16().GemmBF16(m, n, k, a, lda, b, ldb, want, ldc, 1)
				got := make([]float32, m*ldc)
				for i := range got {
					got[i] = -7 // only C's m×n part may change
				}
				ti.GemmBF16(m, n, k, a, lda, b, ldb, got, ldc, 1+r.IntN(3))
				for i := range m {
					for j := n; j < ldc; j++ {
						if got[i*ldc+j] != -7 {
							t.Fatalf("m=%d n=%d k=%d: wrote C[%d][%d] past n", m, n, k, i, j)
						}
					}
				}
				checkBF16(t, ti.Name(), m, n, k, a, lda, b, ldb, got, want, ldc)
			}
		})
	}
}

// TestGemmBF16Exact runs every SIMD tier on sums that are exact in fp32,
// across k blocks and tile edges, so that every order of summation gives
// the same bits: a wrong operand, pairing or register (the hand-encoded
// VDPBF16PS) shows as a wrong C, which the bound of the other tests could
// let pass for a small term.
func TestGemmBF16Exact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, s := range [][3]int{{12, 32, 600}, {13, 40, 257}, {24, 64, 2}, {7, 600, 513}} {
		m, n, k := s[0], s[1], s[2]
		// Small integers times powers of two: every sum is exact, so any
		// order gives the same bits, and a wrong operand shows at once.
		a, b := make([]BF16, m*k), make([]BF16, k*n)
		for i := range a {
			a[i] = ToBF16(float32(r.IntN(9) - 4))
		}
		for i := range b {
			b[i] = ToBF16(float32(r.IntN(9)-4) / 8)
		}
		want := make([]float32, m*n)
		PortableBF16().GemmBF16(m, n, k, a, k, b, n, want, n, 1)
		for _, ti := range bf16SIMDTiers(t) {
			got := make([]float32, m*n)
			ti.GemmBF16(m, n, k, a, k, b, n, got, n, 2)
			if i, ok := bitsEqual(got, want); !ok {
				t.Fatalf("%s m=%d n=%d k=%d: C[%d][%d] = %g, want %g", ti.Name(), m, n, k, i/n, i%n, got[i], want[i])
			}
		}
	}
}

// bf16GemmOf returns the blocking of the SIMD bf16 tier called name.
func bf16GemmOf(name string) *bf16Gemm {
	return map[string]*bf16Gemm{"fp32-avx2": &fp32AVX2BF16, "fp32-avx512": &fp32AVX512BF16, "avx512bf16": &avx512BF16Gemm}[name]
}

// TestPackBF16 checks each tier's packing against its definition (see
// bf16Gemm), on blocks that end inside a sliver, odd k and odd offsets
// (rows of A that start off a 32-bit boundary) included: with pairs, word
// q of row i of an A sliver is A[i][2q] | A[i][2q+1]<<16, and word q of
// column j of a B sliver likewise; widened, row i of A is A[i][q]<<16,
// row-major, and B's slivers hold B[q][j]<<16; zero outside the block.
func TestPackBF16(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, ti := range bf16SIMDTiers(t) {
		g := bf16GemmOf(ti.Name())
		if g == nil {
			continue // not a bf16Gemm: the amx tier's packing is TestPackAMX's
		}
		t.Run("tier="+ti.Name(), func(t *testing.T) {
			for _, s := range [][4]int{{1, 1, 1, 0}, {12, 32, 7, 0}, {5, 3, 8, 2}, {25, 70, 13, 1},
				{12, 32, 77, 1}, {13, 33, 64, 0}, {24, 96, 130, 3}, {6, 16, 33, 1}} {
				rows, cols, kc, off := s[0], s[1], s[2], s[3]
				ld := cols + kc + off + 1 + r.IntN(2)
				x := randBF16(r, (rows+kc+off)*ld)
				per := 1
				if g.pairs {
					per = 2
				}
				kw := (kc + per - 1) / per
				// word builds word q from get(p), element p of a row or
				// column of the block, 0 past kc.
				word := func(get func(p int) uint32, q int) uint32 {
					at := func(p int) uint32 {
						if p >= kc {
							return 0
						}
						return get(p)
					}
					if g.pairs {
						return at(2*q) | at(2*q+1)<<16
					}
					return at(q) << 16
				}
				// A: rows [off, off+rows), k [off, off+kc).
				da := make([]uint32, roundUp(rows, g.mr)*kw)
				for i := range da {
					da[i] = 0xdead // every word is written
				}
				g.packA(da, x, ld, off, rows, off, off+kc)
				for i := range roundUp(rows, g.mr) {
					for q := range kw {
						want := uint32(0)
						if i < rows {
							want = word(func(p int) uint32 { return uint32(x[(off+i)*ld+off+p]) }, q)
						}
						at := i*kw + q // row-major
						if g.pairs {
							at = i/g.mr*g.mr*kw + q*g.mr + i%g.mr
						}
						if got := da[at]; got != want {
							t.Fatalf("rows=%d kc=%d off=%d: A word (%d, %d) = %#x, want %#x", rows, kc, off, i, q, got, want)
						}
					}
				}
				// B: k [off, off+kc), columns [off, off+cols).
				db := make([]uint32, roundUp(cols, g.nr)*kw)
				for i := range db {
					db[i] = 0xdead
				}
				g.packB(db, x, ld, off, off+kc, off, cols)
				for j := range roundUp(cols, g.nr) {
					for q := range kw {
						want := uint32(0)
						if j < cols {
							want = word(func(p int) uint32 { return uint32(x[(off+p)*ld+off+j]) }, q)
						}
						if got := db[j/g.nr*g.nr*kw+q*g.nr+j%g.nr]; got != want {
							t.Fatalf("cols=%d kc=%d off=%d: B word (%d, %d) = %#x, want %#x", cols, kc, off, q, j, got, want)
						}
					}
				}
			}
		})
	}
}

// TestDotLoopAVX512BF16 checks the peak loop against its model: 24 chains,
// each lane adding 1·2⁻³¹ twice a step, exactly while the sums are small.
func TestDotLoopAVX512BF16(t *testing.T) {
	if _, err := LookupBF16Tier("avx512bf16"); err != nil {
		t.Skip(err)
	}
	for _, iters := range []int{0, 1, 1000, 12345} {
		got := math.Float32frombits(uint32(dotLoopAVX512BF16(iters)))
		if want := float32(24*2*iters) / (1 << 31); got != want {
			t.Errorf("dotLoopAVX512BF16(%d) = %g, want %g", iters, got, want)
		}
	}
}

// TestBF16TiersAMD64 checks which bf16 tiers each feature combination
// unlocks: VDPBF16PS only with AVX512-BF16 and the AVX-512 base, the
// widening tiers on the fp32 sets and under names that say so.
func TestBF16TiersAMD64(t *testing.T) {
	avx2 := []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3}
	avx512 := append(slices.Clone(avx2), cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ)
	checkTierCases(t, "bf16", &portableBF16, bf16Table, []tierCase{
		{"none", nil, []string{"portable"}},
		{"avx2 without fma", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2}, []string{"portable"}},
		{"avx2", avx2, []string{"portable", "fp32-avx2"}},
		{"avx512", avx512, []string{"portable", "fp32-avx2", "fp32-avx512"}},
		{"avx512+bf16", append(slices.Clone(avx512), cpuid.AVX512BF16), []string{"portable", "fp32-avx2", "fp32-avx512", "avx512bf16"}},
		{"avx512+vnni", append(slices.Clone(avx512), cpuid.AVX512VNNI), []string{"portable", "fp32-avx2", "fp32-avx512"}},
		// AVX512-BF16 without the AVX-512 base (no such chip; a
		// hypervisor's masking) runs no AVX-512 code.
		{"bf16 without dq", append(slices.Clone(avx2), cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512BF16), []string{"portable", "fp32-avx2"}},
		{"avx512f+bf16 alone", []cpuid.FeatureID{cpuid.AVX512F, cpuid.AVX512BF16}, []string{"portable"}},
	})
}

// TestGemmBF16NoAlloc checks that the steady state reuses its buffers.
func TestGemmBF16NoAlloc(t *testing.T) {
	if bf16RaceEnabled {
		t.Skip("the race detector may allocate")
	}
	for _, ti := range bf16SIMDTiers(t) {
		t.Run("tier="+ti.Name(), func(t *testing.T) {
			checkGemmNoAlloc(t, "GemmBF16", 37, 70, 301, ti.GemmBF16)
		})
	}
}

// FuzzGemmBF16Tiers compares every SIMD bf16 tier with the portable one
// on random shapes, strides, thread counts and values, from [-1, 1] or
// of any finite bf16 whose products stay normal in fp32 (VDPBF16PS
// flushes denormals, which the bound does not cover).
func FuzzGemmBF16Tiers(f *testing.F) {
	f.Add(uint8(7), uint8(33), uint16(65), uint8(0), uint64(1))
	f.Add(uint8(12), uint8(32), uint16(1), uint8(1), uint64(2))
	f.Add(uint8(25), uint8(70), uint16(513), uint8(7), uint64(3))
	f.Fuzz(func(t *testing.T, m8, n8 uint8, k16 uint16, opts uint8, seed uint64) {
		m, n, k := int(m8)%64, int(n8)%100, int(k16)%700
		r := rand.New(rand.NewPCG(seed, 2))
		lda, ldb, ldc := max(1, k)+int(opts&1), max(1, n)+int(opts>>1&1), max(1, n)+int(opts>>2&1)
		var a, b []BF16
		if opts&8 == 0 {
			a, b = randBF16(r, m*lda), randBF16(r, k*ldb)
		} else {
			// Exponents within ±30 of 1: products from 2⁻⁶⁰ to 2⁶⁰, sums
			// far from fp32's overflow and denormals.
			rnd := func(n int) []BF16 {
				x := make([]BF16, n)
				for i := range x {
					x[i] = BF16(r.IntN(2)<<15 | (127+r.IntN(61)-30)<<7 | r.IntN(128))
				}
				return x
			}
			a, b = rnd(m*lda), rnd(k*ldb)
		}
		threads := 1 + int(opts>>4&3)
		want := make([]float32, m*ldc)
		PortableBF16().GemmBF16(m, n, k, a, lda, b, ldb, want, ldc, 1)
		for _, ti := range BF16Tiers()[1:] {
			got := make([]float32, m*ldc)
			ti.GemmBF16(m, n, k, a, lda, b, ldb, got, ldc, threads)
			checkBF16(t, ti.Name(), m, n, k, a, lda, b, ldb, got, want, ldc)
		}
	})
}

// BenchmarkGemmBF16Tiers times every bf16 tier on one goroutine at the
// anchors' sizes (../shared/anchors/run gemmbf16: oneDNN, n×n×n, inputs in
// [0.5, 1)), in GFLOP/s.
func BenchmarkGemmBF16Tiers(b *testing.B) {
	for _, n := range []int{1024, 2048} {
		r := rand.New(rand.NewPCG(11, 12))
		x, y := make([]BF16, n*n), make([]BF16, n*n)
		for i := range x {
			x[i] = ToBF16(0.5 + r.Float32()/2)
			y[i] = ToBF16(0.5 + r.Float32()/2)
		}
		c := make([]float32, n*n)
		for _, ti := range BF16Tiers()[1:] {
			b.Run(fmt.Sprintf("n=%d/tier=%s", n, ti.Name()), func(b *testing.B) {
				ti.GemmBF16(n, n, n, x, n, y, n, c, n, 1)
				b.ResetTimer()
				for b.Loop() {
					ti.GemmBF16(n, n, n, x, n, y, n, c, n, 1)
				}
				b.ReportMetric(GemmInt8Ops(n, n, n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkDotPeakBF16Tiers times every bf16 tier's peak loop on one
// goroutine, in GFLOP/s (../shared/anchors/run dotpeakbf16 is a 12-chain
// VDPBF16PS loop).
func BenchmarkDotPeakBF16Tiers(b *testing.B) {
	for _, ti := range BF16Tiers()[1:] {
		b.Run("tier="+ti.Name(), func(b *testing.B) {
			const iters = 1 << 20
			for b.Loop() {
				ti.DotPeakBF16(iters)
			}
			b.ReportMetric(ti.DotPeakBF16FLOPs(iters)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

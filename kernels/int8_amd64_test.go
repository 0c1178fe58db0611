//go:build gc && !purego && !noasm

package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestAMD64Int8Tiers checks which int8 tiers each feature set unlocks:
// VPDPBUSD must never run without AVX512-VNNI, nor the ZMM code without
// the AVX-512 base, and AVX-VNNI alone (a 256-bit VPDPBUSD) unlocks no
// tier of its own.
func TestAMD64Int8Tiers(t *testing.T) {
	avx2 := []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3}
	avx512 := append(slices.Clone(avx2), cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ)
	checkTierCases(t, "int8", &portableInt8, int8Table, []tierCase{
		{"none", nil, []string{"portable"}},
		{"avx2 without fma", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2}, []string{"portable"}},
		{"avx2", avx2, []string{"portable", "avx2"}},
		{"avx2+avxvnni", append(slices.Clone(avx2), cpuid.AVXVNNI), []string{"portable", "avx2"}},
		{"avx512", avx512, []string{"portable", "avx2"}},
		{"avx512+vnni", append(slices.Clone(avx512), cpuid.AVX512VNNI), []string{"portable", "avx2", "avx512vnni"}},
		{"avx512f+vnni without dq", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3,
			cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512VNNI}, []string{"portable", "avx2"}},
		{"vnni without avx2", []cpuid.FeatureID{cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW,
			cpuid.AVX512DQ, cpuid.AVX512VNNI}, []string{"portable"}},
	})
}

// checkInt8VsPortable runs ti and the portable tier on one random m×n×k
// problem with padded strides and reports the first element that differs.
func checkInt8VsPortable(t *testing.T, ti Int8Tier, r *rand.Rand, m, n, k, threads int) {
	t.Helper()
	lda, ldb, ldc := max(1, k)+r.IntN(5), max(1, n)+r.IntN(5), max(1, n)+r.IntN(5)
	a, b := randInt8(r, m*lda), randInt8(r, k*ldb)
	// The extremes, where an offset or a saturation would show.
	for i := range min(len(a), 8) {
		a[i] = -128
	}
	for i := range min(len(b), 8) {
		b[i] = -128
	}
	if len(b) > 8 {
		b[8] = 127
	}
	got, want := make([]int32, m*ldc), make([]int32, m*ldc)
	for i := range got {
		got[i] = -7 // overwritten, never added to
	}
	PortableInt8().GemmInt8(m, n, k, a, lda, b, ldb, want, ldc, 1)
	ti.GemmInt8(m, n, k, a, lda, b, ldb, got, ldc, threads)
	for i := range m {
		for j := range n {
			if got[i*ldc+j] != want[i*ldc+j] {
				t.Fatalf("%s m=%d n=%d k=%d threads=%d: C[%d][%d] = %d, portable gives %d",
					ti.Name(), m, n, k, threads, i, j, got[i*ldc+j], want[i*ldc+j])
			}
		}
	}
}

// TestGemmInt8TiersVsPortable covers what TestGemmInt8Exact's sizes do
// not reach: k beyond a k block (kc=1024 for vnni, 512 for avx2), so that
// tiles add to C, with k not a multiple of the k group; n beyond a panel
// of B (nc); m, n not multiples of the tiles; and the largest sums, A and
// B all -128 at GemmInt8's bound on k.
func TestGemmInt8TiersVsPortable(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	shapes := [][3]int{
		{12, 32, 4}, {6, 16, 2}, {13, 33, 5}, {25, 47, 3}, {11, 31, 1023},
		{30, 70, 1025}, {37, 1100, 515}, {5, 2100, 9}, {49, 65, 1537},
	}
	for _, ti := range Int8Tiers()[1:] {
		for _, s := range shapes {
			for _, threads := range []int{1, 3} {
				checkInt8VsPortable(t, ti, r, s[0], s[1], s[2], threads)
			}
		}
		for range 40 {
			checkInt8VsPortable(t, ti, r, 1+r.IntN(40), 1+r.IntN(80), 1+r.IntN(700), 1+r.IntN(3))
		}
		// All -128: each product is 2¹⁴, each B header and each A+128
		// sum at its largest, over k = 2¹⁷, the bound GemmInt8 documents.
		const k = 1 << 17
		a, b := make([]int8, 2*k), make([]int8, k*3)
		for i := range a {
			a[i] = -128
		}
		for i := range b {
			b[i] = -128
		}
		a[0] = 127 // keeps the true sum, 2³¹ - 128·255, inside int32
		c := make([]int32, 2*3)
		ti.GemmInt8(2, 3, k, a, k, b, 3, c, 3, 1)
		// Row 1 is 2³¹, one past int32: it must wrap as the portable
		// tier's int32 sums do.
		want := [2]int32{(k-1)*128*128 - 127*128, -1 << 31}
		for i, v := range c {
			if v != want[i/3] {
				t.Errorf("%s: all -128, C[%d][%d] = %d, want %d", ti.Name(), i/3, i%3, v, want[i/3])
			}
		}
	}
}

// TestGemmInt8SmallBlocks runs the tiers with blocks of a few tiles, so
// that every loop of int8Kernel.gemm (k blocks, row blocks, column
// panels) turns many times on small shapes.
func TestGemmInt8SmallBlocks(t *testing.T) {
	saved := []int8Kernel{*vnniInt8, *avx2Int8}
	defer func() { *vnniInt8, *avx2Int8 = saved[0], saved[1] }()
	r := rand.New(rand.NewPCG(12, 13))
	// 5 groups a k block packs in Go; 32 packs 64 k of A at a time
	// with packA12x64VNNI.
	for _, groups := range []int{5, 32} {
		for _, k := range []*int8Kernel{vnniInt8, avx2Int8} {
			k.kc, k.mc, k.nc = groups*k.kg, 2*k.mr, 3*k.nr
		}
		for _, ti := range Int8Tiers()[1:] {
			for range 30 {
				checkInt8VsPortable(t, ti, r, 1+r.IntN(60), 1+r.IntN(150), 1+r.IntN(300), 1+r.IntN(3))
			}
		}
	}
}

// TestPackInt8 checks the packed layouts element by element.
func TestPackInt8(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for _, kc := range []int{1, 2, 3, 4, 5, 8, 31, 64, 67} {
		lda := kc + 3
		a := randInt8(r, 12*lda)
		for rows := 1; rows <= 12; rows++ {
			// vnni A: byte t of row i in group g is A[i][4g+t]+128.
			groups := (kc + 3) / 4
			dst := make([]byte, groups*4*12)
			packAInt8VNNI(dst, a, lda, rows, kc)
			for g := range groups {
				for i := range 12 {
					for q := range 4 {
						want := byte(0x80)
						if p := 4*g + q; i < rows && p < kc {
							want = byte(a[i*lda+p]) ^ 0x80
						}
						if got := dst[(g*12+i)*4+q]; got != want {
							t.Fatalf("packAInt8VNNI kc=%d rows=%d: group %d row %d byte %d = %#x, want %#x", kc, rows, g, i, q, got, want)
						}
					}
				}
			}
			if rows > 6 {
				continue
			}
			dst = make([]byte, (kc+1)/2*2*6*2)
			packAInt16Pairs(dst, a, lda, rows, kc)
			checkInt16Pairs(t, "packAInt16Pairs", "row", dst, kc, 6, rows, func(i, p int) int8 { return a[i*lda+p] })
		}
		ldb := 40
		b := randInt8(r, kc*ldb)
		for _, cols := range []int{1, 5, 16, 17, 31, 32} {
			groups := (kc + 3) / 4
			dst := make([]byte, 32*4+groups*4*32)
			packBInt8VNNI(dst, b, ldb, kc, cols)
			for j := range 32 {
				var sum int32
				for p := range kc {
					if j < cols {
						sum += int32(b[p*ldb+j])
					}
				}
				if got := int32(uint32(dst[4*j]) | uint32(dst[4*j+1])<<8 | uint32(dst[4*j+2])<<16 | uint32(dst[4*j+3])<<24); got != -128*sum {
					t.Fatalf("packBInt8VNNI kc=%d cols=%d: header %d = %d, want %d", kc, cols, j, got, -128*sum)
				}
				for g := range groups {
					for q := range 4 {
						var want byte
						if p := 4*g + q; j < cols && p < kc {
							want = byte(b[p*ldb+j])
						}
						if got := dst[32*4+(g*32+j)*4+q]; got != want {
							t.Fatalf("packBInt8VNNI kc=%d cols=%d: group %d column %d byte %d = %#x, want %#x", kc, cols, g, j, q, got, want)
						}
					}
				}
			}
			if cols > 16 {
				continue
			}
			dst = make([]byte, (kc+1)/2*2*16*2)
			packBInt16Pairs(dst, b, ldb, kc, cols)
			checkInt16Pairs(t, "packBInt16Pairs", "column", dst, kc, 16, cols, func(j, p int) int8 { return b[p*ldb+j] })
		}
	}
}

// checkInt16Pairs checks a sliver packed as pairs of k, width rows (or
// columns, as unit says) of little-endian int16 a pair: value q of pair g
// of line x is src(x, 2g+q) widened for x < valid and 2g+q < kc, else 0.
func checkInt16Pairs(t *testing.T, what, unit string, dst []byte, kc, width, valid int, src func(x, p int) int8) {
	t.Helper()
	for g := range (kc + 1) / 2 {
		for x := range width {
			for q := range 2 {
				var want int16
				if p := 2*g + q; x < valid && p < kc {
					want = int16(src(x, p))
				}
				o := ((g*width+x)*2 + q) * 2
				if got := int16(uint16(dst[o]) | uint16(dst[o+1])<<8); got != want {
					t.Fatalf("%s kc=%d %ss=%d: pair %d %s %d value %d = %d, want %d", what, kc, unit[:3], valid, g, unit, x, q, got, want)
				}
			}
		}
	}
}

// FuzzGemmInt8Tiers compares every SIMD int8 tier with the portable one
// on random shapes and values.
func FuzzGemmInt8Tiers(f *testing.F) {
	f.Add(uint64(1), uint16(13), uint16(33), uint16(5), uint8(1))
	f.Add(uint64(2), uint16(1), uint16(1), uint16(1), uint8(2))
	f.Add(uint64(3), uint16(25), uint16(1030), uint16(517), uint8(3))
	f.Fuzz(func(t *testing.T, seed uint64, m, n, k uint16, threads uint8) {
		r := rand.New(rand.NewPCG(seed, 1))
		mm, nn, kk := int(m%64), int(n%1100), int(k%1100)
		for _, ti := range Int8Tiers()[1:] {
			checkInt8VsPortable(t, ti, r, mm, nn, kk, 1+int(threads%4))
		}
	})
}

// TestGemmInt8NoAlloc checks that the steady state reuses its packing
// buffers.
func TestGemmInt8NoAlloc(t *testing.T) {
	if int8RaceEnabled {
		t.Skip("the race detector allocates")
	}
	forEachInt8Tier(t, func(t *testing.T, ti Int8Tier) {
		checkGemmNoAlloc(t, "GemmInt8", 37, 70, 600, ti.GemmInt8)
	})
}

// BenchmarkGemmInt8Tiers times GemmInt8 on one thread for each tier, with
// the names and units of the anchors (../shared/anchors/run gemmint8).
func BenchmarkGemmInt8Tiers(b *testing.B) {
	for _, n := range []int{256, 1024, 2048} {
		r := rand.New(rand.NewPCG(uint64(n), 1))
		x, y, c := randInt8(r, n*n), randInt8(r, n*n), make([]int32, n*n)
		for _, ti := range Int8Tiers()[1:] {
			b.Run(fmt.Sprintf("n=%d/tier=%s", n, ti.Name()), func(b *testing.B) {
				for b.Loop() {
					ti.GemmInt8(n, n, n, x, n, y, n, c, n, 1)
				}
				b.ReportMetric(GemmInt8Ops(n, n, n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOP/s")
			})
		}
	}
}

// BenchmarkDotPeakInt8Tiers times each tier's register-only loop.
func BenchmarkDotPeakInt8Tiers(b *testing.B) {
	const iters = 1 << 20
	for _, ti := range Int8Tiers()[1:] {
		b.Run("tier="+ti.Name(), func(b *testing.B) {
			for b.Loop() {
				ti.DotPeakInt8(iters)
			}
			b.ReportMetric(ti.DotPeakInt8Ops(iters)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOP/s")
		})
	}
}

// TestPackBPanelInt8 checks the panel packers, assembly included, against
// the Go sliver packers on panels with partial groups and slivers.
func TestPackBPanelInt8(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	for _, kc := range []int{1, 3, 4, 7, 64, 513} {
		for _, nc := range []int{1, 31, 64, 65, 100, 128, 200} {
			ldb := nc + 5
			b := randInt8(r, kc*ldb)
			for _, k := range []*int8Kernel{vnniInt8, avx2Int8} {
				bs := k.bSliver(k.groupsOf(kc))
				slivers := (nc + k.nr - 1) / k.nr
				got, want := make([]byte, slivers*bs), make([]byte, slivers*bs)
				for i := range got {
					got[i] = 0xa5 // overwritten everywhere
				}
				k.packB(got, b, ldb, kc, nc, bs)
				for s := range slivers {
					d := want[s*bs : (s+1)*bs]
					if k == vnniInt8 {
						packBInt8VNNI(d, b[s*k.nr:], ldb, kc, min(k.nr, nc-s*k.nr))
					} else {
						packBInt16Pairs(d, b[s*k.nr:], ldb, kc, min(k.nr, nc-s*k.nr))
					}
				}
				if i := slices.Compare(got, want); i != 0 {
					for i := range got {
						if got[i] != want[i] {
							t.Fatalf("nr=%d kc=%d nc=%d: byte %d of sliver %d = %#x, want %#x", k.nr, kc, nc, i%bs, i/bs, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

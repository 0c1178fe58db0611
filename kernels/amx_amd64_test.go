//go:build gc && !purego && !noasm

package kernels

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/klauspost/cpuid/v2"
)

// cpuinfoHasAMX reports whether /proc/cpuinfo lists amx_tile, and what
// to say when it does not.
func cpuinfoHasAMX() (bool, string) {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false, "no /proc/cpuinfo: " + err.Error()
	}
	if !regexp.MustCompile(`(?m)^flags\s*:.*\bamx_tile\b`).Match(info) {
		return false, "/proc/cpuinfo lists no amx_tile"
	}
	return true, ""
}

// skipWithoutAMX skips t unless this host can run the AMX tiers.
func skipWithoutAMX(t *testing.T) {
	t.Helper()
	if ok, why := cpuinfoHasAMX(); !ok {
		t.Skip("no AMX on this host: " + why)
	}
	if ok, why := AMXStatus(); !ok {
		t.Skip("AMX not usable: " + why)
	}
}

// TestAMXTierCases checks which features unlock the amx tiers: the tile
// features and the AVX-512 tier beneath (whose packers they use), and
// never when AMXStatus says no (amxOK false), whatever CPUID says.
func TestAMXTierCases(t *testing.T) {
	avx512 := []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ}
	with := func(ids ...cpuid.FeatureID) []cpuid.FeatureID { return append(slices.Clone(avx512), ids...) }
	spr := with(cpuid.AVX512VNNI, cpuid.AVX512BF16, cpuid.AMXTILE, cpuid.AMXINT8, cpuid.AMXBF16)
	checkTierCases(t, "int8", &portableInt8, int8TableFor(true), []tierCase{
		{"sapphire rapids", spr, []string{"portable", "avx2", "avx512vnni", "amx"}},
		{"amx-tile without amx-int8", with(cpuid.AVX512VNNI, cpuid.AMXTILE, cpuid.AMXBF16), []string{"portable", "avx2", "avx512vnni"}},
		{"amx-int8 without amx-tile", with(cpuid.AVX512VNNI, cpuid.AMXINT8), []string{"portable", "avx2", "avx512vnni"}},
		{"amx without vnni", with(cpuid.AMXTILE, cpuid.AMXINT8), []string{"portable", "avx2"}},
	})
	checkTierCases(t, "int8 (amx denied)", &portableInt8, int8TableFor(false), []tierCase{
		{"sapphire rapids", spr, []string{"portable", "avx2", "avx512vnni"}},
	})
	checkTierCases(t, "bf16", &portableBF16, bf16TableFor(true), []tierCase{
		{"sapphire rapids", spr, []string{"portable", "fp32-avx2", "fp32-avx512", "avx512bf16", "amx"}},
		{"amx-tile without amx-bf16", with(cpuid.AVX512BF16, cpuid.AMXTILE, cpuid.AMXINT8), []string{"portable", "fp32-avx2", "fp32-avx512", "avx512bf16"}},
		{"amx without avx512bf16", with(cpuid.AMXTILE, cpuid.AMXBF16), []string{"portable", "fp32-avx2", "fp32-avx512"}},
	})
	checkTierCases(t, "bf16 (amx denied)", &portableBF16, bf16TableFor(false), []tierCase{
		{"sapphire rapids", spr, []string{"portable", "fp32-avx2", "fp32-avx512", "avx512bf16"}},
	})
}

// TestAMXStatus checks AMXStatus against /proc/cpuinfo: no amx_tile
// there, no AMX; AMX usable, the tiers are the widest.
func TestAMXStatus(t *testing.T) {
	ok, why := AMXStatus()
	t.Logf("AMXStatus: %v %q", ok, why)
	if ok != (why == "") {
		t.Errorf("AMXStatus() = %v, %q: a reason exactly when not usable", ok, why)
	}
	if why != strings.ToLower(why) {
		t.Errorf("AMXStatus reason %q is not lower case", why)
	}
	if has, _ := cpuinfoHasAMX(); !has && ok {
		t.Errorf("AMXStatus says usable, /proc/cpuinfo lists no amx_tile")
	}
	if !cpuid.CPU.Has(cpuid.AMXTILE) && why != "no amx-tile in cpuid" {
		t.Errorf("no AMXTILE in cpuid, AMXStatus reason %q", why)
	}
	if ok != slices.ContainsFunc(Int8Tiers(), func(ti Int8Tier) bool { return ti.Name() == "amx" }) {
		t.Errorf("AMXStatus %v, int8 tiers %v", ok, Int8Tiers())
	}
}

// TestAMXDeniedWidest checks, on an AMX host, that the amx tiers are the
// widest, and that with AMX denied the widest are the AVX-512 ones again.
func TestAMXDeniedWidest(t *testing.T) {
	skipWithoutAMX(t)
	last := func(names []string) string { return names[len(names)-1] }
	if w := WidestInt8().Name(); w != "amx" {
		t.Errorf("widest int8 tier %s, want amx", w)
	}
	if w := WidestBF16().Name(); w != "amx" {
		t.Errorf("widest bf16 tier %s, want amx", w)
	}
	if got := last(lowpTierNames(&portableInt8, int8TableFor(false), &cpuid.CPU)); got != "avx512vnni" {
		t.Errorf("amx denied: widest int8 tier %s, want avx512vnni", got)
	}
	if got := last(lowpTierNames(&portableBF16, bf16TableFor(false), &cpuid.CPU)); got != "avx512bf16" {
		t.Errorf("amx denied: widest bf16 tier %s, want avx512bf16", got)
	}
}

// amxShapes straddle the 32×32 blocks, the kernel's k blocks (16 steps:
// 512 bf16, 1024 int8) and the packed k blocks (2048 bf16, 4096 int8):
// k = 1 and k a step short of, at and past a block.
var amxShapes = [][3]int{
	{1, 1, 1}, {32, 32, 32}, {32, 32, 64}, {31, 33, 63}, {33, 65, 65},
	{64, 96, 511}, {7, 13, 513}, {65, 257, 1023}, {40, 70, 1025}, {33, 47, 2049},
	{64, 40, 4097},
}

// TestGemmAMXShapes runs the amx tiers against the portable ones on
// amxShapes with padded strides and thread counts 1 to 5, which must
// agree bit for bit.
func TestGemmAMXShapes(t *testing.T) {
	skipWithoutAMX(t)
	i8, err := LookupInt8Tier("amx")
	if err != nil {
		t.Fatal(err)
	}
	bf, err := LookupBF16Tier("amx")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(21, 22))
	for _, s := range amxShapes {
		checkAMXShape(t, i8, bf, r, s[0], s[1], s[2], 0)
	}
	// Rows 4 KiB apart (bytes, either type): A is packed even for whole
	// steps, not read in place.
	for _, s := range [][3]int{{32, 32, 64}, {70, 40, 1024}, {33, 65, 2048}} {
		checkAMXShape(t, i8, bf, r, s[0], s[1], s[2], 4096)
	}
	// Rows 1 KiB apart: A is read in place where k is whole steps, but
	// for a last panel of fewer than 32 rows.
	for _, s := range [][3]int{{70, 64, 512}, {64, 96, 64}, {33, 40, 480}, {96, 33, 511}} {
		checkAMXShape(t, i8, bf, r, s[0], s[1], s[2], 512)
	}
}

// checkAMXShape checks one m×n×k shape on both amx tiers, with A's rows
// lda elements apart for bf16 (lda 0: k+3, padded; else lda ≥ k) and
// 2·lda for int8.
func checkAMXShape(t *testing.T, i8 Int8Tier, bf BF16Tier, r *rand.Rand, m, n, k, lda int) {
	t.Helper()
	if lda == 0 {
		for threads := 1; threads <= 5; threads++ {
			checkInt8VsPortable(t, i8, r, m, n, k, threads)
		}
		lda = k + 3
	} else {
		a, b := randInt8(r, m*2*lda), randInt8(r, k*n)
		want, got := make([]int32, m*n), make([]int32, m*n)
		PortableInt8().GemmInt8(m, n, k, a, 2*lda, b, n, want, n, 1)
		i8.GemmInt8(m, n, k, a, 2*lda, b, n, got, n, 3)
		if i := slices.Compare(got, want); i != 0 {
			t.Fatalf("amx int8 m=%d n=%d k=%d lda=%d: differs from portable", m, n, k, 2*lda)
		}
	}
	ldb, ldc := n+5, n+2
	a, b := randBF16(r, m*lda), randBF16(r, k*ldb)
	want := make([]float32, m*ldc)
	PortableBF16().GemmBF16(m, n, k, a, lda, b, ldb, want, ldc, 1)
	one := make([]float32, m*ldc)
	for i := range one {
		one[i] = float32(math.NaN()) // overwritten, never added to
	}
	bf.GemmBF16(m, n, k, a, lda, b, ldb, one, ldc, 1)
	checkBF16(t, "amx", m, n, k, a, lda, b, ldb, one, want, ldc)
	for threads := 2; threads <= 5; threads++ {
		got := make([]float32, m*ldc)
		bf.GemmBF16(m, n, k, a, lda, b, ldb, got, ldc, threads)
		for i := range m {
			if j, ok := bitsEqual(got[i*ldc:i*ldc+n], one[i*ldc:i*ldc+n]); !ok {
				t.Fatalf("amx m=%d n=%d k=%d threads=%d: C[%d][%d] = %g, one thread %g", m, n, k, threads, i, j, got[i*ldc+j], one[i*ldc+j])
			}
		}
	}
}

// alignedC returns n 32-bit values starting on a 64-byte boundary.
func alignedC[T float32 | int32](n int) []T {
	x := make([]T, n+16)
	off := int(uintptr(unsafe.Pointer(&x[0])) % 64 / 4)
	return x[(16-off)%16:][:n]
}

// TestGemmAMXAlignedC runs the amx tiers where C's rows start on 64-byte
// boundaries, which the kernels write with non-temporal stores, against
// the portable tiers (exact for int8, checkBF16's bound for bf16) and
// across thread counts, bit for bit.
func TestGemmAMXAlignedC(t *testing.T) {
	skipWithoutAMX(t)
	i8, _ := LookupInt8Tier("amx")
	bf, _ := LookupBF16Tier("amx")
	r := rand.New(rand.NewPCG(27, 28))
	for _, s := range [][3]int{{96, 96, 777}, {130, 200, 64}, {64, 33, 1100}} {
		m, n, k := s[0], s[1], s[2]
		ldc := roundUp(n, 16) + 16
		ai, bi := randInt8(r, m*k), randInt8(r, k*n)
		want := make([]int32, m*ldc)
		PortableInt8().GemmInt8(m, n, k, ai, k, bi, n, want, ldc, 1)
		for threads := 1; threads <= 3; threads++ {
			got := alignedC[int32](m * ldc)
			i8.GemmInt8(m, n, k, ai, k, bi, n, got, ldc, threads)
			for i := range m {
				if j := slices.Compare(got[i*ldc:i*ldc+n], want[i*ldc:i*ldc+n]); j != 0 {
					t.Fatalf("amx int8 m=%d n=%d k=%d threads=%d: row %d differs from portable", m, n, k, threads, i)
				}
			}
		}
		a, b := randBF16(r, m*k), randBF16(r, k*n)
		wantF := make([]float32, m*ldc)
		PortableBF16().GemmBF16(m, n, k, a, k, b, n, wantF, ldc, 1)
		one := alignedC[float32](m * ldc)
		bf.GemmBF16(m, n, k, a, k, b, n, one, ldc, 1)
		checkBF16(t, "amx aligned", m, n, k, a, k, b, n, one, wantF, ldc)
		for threads := 2; threads <= 3; threads++ {
			got := alignedC[float32](m * ldc)
			bf.GemmBF16(m, n, k, a, k, b, n, got, ldc, threads)
			for i := range m {
				if j, ok := bitsEqual(got[i*ldc:i*ldc+n], one[i*ldc:i*ldc+n]); !ok {
					t.Fatalf("amx aligned m=%d n=%d k=%d threads=%d: C[%d][%d] = %g, one thread %g", m, n, k, threads, i, j, got[i*ldc+j], one[i*ldc+j])
				}
			}
		}
	}
}

// TestGemmAMXSmallBlocks runs the amx tiers with blocks of a few tiles,
// so that every loop of amxRun and the kernels (packed k blocks, column
// panels, row panels, the kernel's k blocks, edges, the next panel packed
// by the kernel or not) turns many times on small shapes.
func TestGemmAMXSmallBlocks(t *testing.T) {
	skipWithoutAMX(t)
	saved := [2]amxGemm{*amxBF16, *amxInt8}
	defer func() { *amxBF16, *amxInt8 = saved[0], saved[1] }()
	i8, _ := LookupInt8Tier("amx")
	bf, _ := LookupBF16Tier("amx")
	r := rand.New(rand.NewPCG(23, 24))
	for _, steps := range []int{1, 2, 3} {
		for _, g := range []*amxGemm{amxBF16, amxInt8} {
			g.kc, g.steps, g.nc = 3*steps*amxStep/g.es, steps, 3*amxNR
		}
		for range 15 {
			checkAMXShape(t, i8, bf, r, 1+r.IntN(100), 1+r.IntN(200), 1+r.IntN(400), 0)
		}
	}
}

// TestAMXDotLoops checks the peak loops' sums: the sources are pairs of
// bytes 0x00, 0x3c (see amxSource), so each bf16 product step adds 32
// products of 2⁻⁷·2⁻⁷ = 2⁻⁹ to every element, exactly, and each int8 step
// 16 quads of 0·0 + 60·60 + 0·0 + 60·60 = 115200.
func TestAMXDotLoops(t *testing.T) {
	skipWithoutAMX(t)
	for _, iters := range []int{0, 1, 1000} {
		v := math.Float32bits(float32(iters) / 512)
		if got, want := dotLoopBF16AMX(iters), 4*int64(v); got != want {
			t.Errorf("dotLoopBF16AMX(%d) = %d, want %d", iters, got, want)
		}
		if got, want := dotLoopInt8AMX(iters), 4*int64(uint32(int32(iters*115200))); got != want {
			t.Errorf("dotLoopInt8AMX(%d) = %d, want %d", iters, got, want)
		}
	}
}

// TestAMXEncodings finds the AMX instructions of amx_amd64.h, as GNU
// objdump decodes them, in the functions that should hold them: the Go
// toolchain's objdump does not know AMX, and a wrong BYTE would otherwise
// show only as SIGILL or wrong sums on an AMX host.
func TestAMXEncodings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the test binary: not with -short")
	}
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		t.Skip("GNU objdump not installed: " + err.Error())
	}
	if v, err := exec.Command(objdump, "--version").Output(); err != nil || !bytes.Contains(v, []byte("GNU")) {
		t.Skipf("%s is not GNU objdump", objdump)
	}
	bin := filepath.Join(t.TempDir(), "kernels.test")
	if out, err := exec.Command("go", "test", "-c", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go test -c: %v\n%s", err, out)
	}
	out, err := exec.Command(objdump, "-d", "--no-show-raw-insn", bin).Output()
	if err != nil {
		t.Fatalf("objdump -d: %v", err)
	}
	// Split the listing by symbol: "0000000000512340 <pkg.fn>:".
	funcs := map[string]string{}
	var name string
	var body strings.Builder
	flush := func() {
		if name != "" {
			funcs[name] = body.String()
		}
		body.Reset()
	}
	for line := range strings.Lines(string(out)) {
		if i := strings.Index(line, " <"); i >= 0 && strings.HasSuffix(strings.TrimSpace(line), ">:") {
			flush()
			name = strings.TrimSuffix(strings.TrimSpace(line[i+2:]), ">:")
			continue
		}
		body.WriteString(line)
	}
	flush()
	const pkg = "github.com/ppbench/ppbench/kernels."
	common := []string{"ldtilecfg", "tilerelease", "tileloadd", "tilestored", "tilezero"}
	for fn, want := range map[string][]string{
		"amxGemmBF16":   append(slices.Clone(common), "tdpbf16ps %tmm6,%tmm4,%tmm0", "tdpbf16ps %tmm7,%tmm5,%tmm3", "tileloaddt1 (%rcx,%r9,1),%tmm6", "tileloaddt1 0x40(%rcx,%r9,1),%tmm7", "tilestored %tmm3,0x40(%r11,%r10,1)"),
		"amxGemmInt8":   append(slices.Clone(common), "tdpbssd %tmm6,%tmm4,%tmm0", "tdpbssd %tmm7,%tmm5,%tmm3", "tileloadd (%rdi,%r8,1),%tmm5", "tileloaddt1 0x40(%rcx,%r9,1),%tmm7"),
		"amxDotBF16":    append(slices.Clone(common), "tdpbf16ps %tmm7,%tmm4,%tmm1", "tdpbf16ps %tmm6,%tmm5,%tmm2"),
		"amxDotInt8":    append(slices.Clone(common), "tdpbssd %tmm7,%tmm4,%tmm1", "tdpbssd %tmm6,%tmm5,%tmm2"),
		"amxMixInt8":    append(slices.Clone(common), "tdpbssd %tmm7,%tmm5,%tmm3", "vcvtdq2ps %zmm16,%zmm24"),
		"amxStreamBF16": append(slices.Clone(common), "tdpbf16ps %tmm7,%tmm5,%tmm3", "tileloaddt1 0x40(%rcx,%r9,1),%tmm7", "tileloadd (%rdi,%r8,1),%tmm5"),
	} {
		// Assembly functions are ABI0; Go calls them through a wrapper
		// that has the plain name.
		asm, ok := funcs[pkg+fn+".abi0"]
		if !ok {
			t.Errorf("no symbol %s%s in the test binary", pkg, fn)
			continue
		}
		if strings.Contains(asm, "(bad)") {
			t.Errorf("%s: objdump finds bytes it cannot decode", fn)
		}
		asm = strings.Join(strings.Fields(asm), " ")
		for _, ins := range want {
			if !strings.Contains(asm, ins) {
				t.Errorf("%s: no %q", fn, ins)
			}
		}
	}
}

// TestPackAMX checks the amx tiers' B packing against the tile layout:
// in sliver s (32 columns), the 32-bit word of tile row q, column c is
// B[2q][j] | B[2q+1][j]<<16 (bf16) or the bytes B[4q..4q+3][j] (int8),
// j = 32s + c, zero past the k block and past the columns, up to steps
// whole tile steps (16 rows each).
func TestPackAMX(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for _, s := range [][4]int{{1, 1, 0, 1}, {32, 32, 0, 1}, {64, 33, 1, 2}, {7, 70, 3, 1}, {129, 96, 2, 3}, {200, 65, 0, 4}} {
		kc, cols, off, extra := s[0], s[1], s[2], s[3]
		ld := cols + off + 3
		slivers := (cols + 31) / 32
		// bf16: kc rounded up to 32-k steps, and extra steps of padding.
		xb := randBF16(r, (kc+off)*ld)
		steps := (kc+31)/32 + extra - 1
		sliver := steps * 2048
		db := make([]byte, slivers*sliver)
		for i := range db {
			db[i] = 0xa5
		}
		packBAMXBF16(db, xb, ld, off, off+kc, off, cols, sliver, steps)
		at := func(p, j int) uint32 {
			if p >= kc || j >= cols {
				return 0
			}
			return uint32(xb[(off+p)*ld+off+j])
		}
		for sv := range slivers {
			for q := range steps * 16 {
				for c := range 32 {
					j := 32*sv + c
					want := at(2*q, j) | at(2*q+1, j)<<16
					o := sv*sliver + q*128 + 4*c
					if got := uint32(db[o]) | uint32(db[o+1])<<8 | uint32(db[o+2])<<16 | uint32(db[o+3])<<24; got != want {
						t.Fatalf("bf16 kc=%d cols=%d steps=%d: sliver %d row %d column %d = %#x, want %#x", kc, cols, steps, sv, q, c, got, want)
					}
				}
			}
		}
		// int8: 64-k steps.
		xi := randInt8(r, (kc+off)*ld)
		steps = (kc+63)/64 + extra - 1
		sliver = steps * 2048
		di := make([]byte, slivers*sliver)
		for i := range di {
			di[i] = 0xa5
		}
		packBAMXInt8(di, xi, ld, off, off+kc, off, cols, sliver, steps)
		for sv := range slivers {
			for q := range steps * 16 {
				for c := range 32 {
					j := 32*sv + c
					for u := range 4 {
						want := byte(0)
						if p := 4*q + u; p < kc && j < cols {
							want = byte(xi[(off+p)*ld+off+j])
						}
						if got := di[sv*sliver+q*128+4*c+u]; got != want {
							t.Fatalf("int8 kc=%d cols=%d steps=%d: sliver %d row %d column %d byte %d = %#x, want %#x", kc, cols, steps, sv, q, c, u, got, want)
						}
					}
				}
			}
		}
	}
}

// TestAMXStreamBF16 checks the stream probe's sums against float64: the
// 32×32 block of the products of the A panels with the B slivers they
// cycle through, small integers so that every sum is exact.
func TestAMXStreamBF16(t *testing.T) {
	skipWithoutAMX(t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ blocks, steps, bblocks, areuse, achunks int }{
		{1, 1, 1, 1, 1}, {3, 2, 2, 1, 1}, {5, 3, 2, 2, 2}, {4, 1, 4, 1, 3}, {7, 2, 3, 3, 2}, {9, 1, 2, 2, 3},
	} {
		const kStep = 32 // bf16 of k a tile step
		k := tc.steps * kStep
		a := make([]float64, tc.achunks*32*k)            // [panel][row][k]
		b := make([]float64, tc.bblocks*k*32)            // [sliver][k][col]
		ap := alignedBytes(tc.achunks * tc.steps * 2048) // A0 then A1 per step, rows 64 bytes
		bp := alignedBytes(tc.bblocks * tc.steps * 2048) // pair rows of 128 bytes
		put := func(p []byte, off int, v float64) {
			*(*BF16)(unsafe.Pointer(&p[off])) = ToBF16(float32(v))
		}
		for c := range tc.achunks {
			for i := range 32 {
				for p := range k {
					v := float64(r.IntN(9) - 4)
					a[(c*32+i)*k+p] = v
					put(ap, c*tc.steps*2048+p/kStep*2048+i*64+p%kStep*2, v)
				}
			}
		}
		for j := range tc.bblocks {
			for p := range k {
				for c := range 32 {
					v := float64(r.IntN(9) - 4)
					b[(j*k+p)*32+c] = v
					put(bp, j*tc.steps*2048+p/2*128+c*4+p%2*2, v)
				}
			}
		}
		// Side traffic leaves the sums as they are; the stores write
		// all ones to the lines the steps walk, round the region, and
		// nothing else; alone, the sums stay zero.
		const regionLines = 7
		sides := []*amxSide{nil}
		for _, kind := range []int{amxSideNTStore, amxSideLoad, amxSidePrefetch} {
			for _, alone := range []bool{false, true} {
				sides = append(sides, &amxSide{lines: 3, kind: kind, alone: alone})
			}
		}
		for _, side := range sides {
			region := alignedBytes(regionLines * 64)
			if side != nil {
				side.base, side.bytes = &region[0], len(region)
			}
			var out [32 * 32]uint32
			amxStreamBF16(&amxConfig, &ap[0], &bp[0], &out[0], tc.blocks, tc.steps, tc.bblocks, tc.areuse, tc.achunks, side)
			for i := range 32 {
				for c := range 32 {
					want := 0.0
					for blk := range tc.blocks {
						j, ac := blk%tc.bblocks, blk/tc.areuse%tc.achunks
						for p := range k {
							want += a[(ac*32+i)*k+p] * b[(j*k+p)*32+c]
						}
					}
					if side != nil && side.alone {
						want = 0
					}
					if got := math.Float32frombits(out[i*32+c]); float64(got) != want {
						t.Fatalf("%+v, side %+v: sum (%d, %d) = %g, want %g", tc, side, i, c, got, want)
					}
				}
			}
			written := 0
			if side != nil && side.kind == amxSideNTStore {
				written = min(regionLines, tc.blocks*tc.steps*side.lines)
			}
			for i, v := range region {
				want := byte(0)
				if i < written*64 {
					want = 0xff
				}
				if v != want {
					t.Fatalf("%+v, side %+v: byte %d of the side region is %#x after %d lines stored", tc, side, i, v, written)
				}
			}
		}
	}
}

// BenchmarkAMXStreamBF16 runs the GEMM kernels' k step on its own, A and
// B sized to come from L1, L2 or further, in GFLOP/s: what the tile loop
// can reach with its operands there, against DotPeakBF16's register-only
// loop. a is the A panel a block reads, b what the blocks' B slivers
// cycle through; anew=N gives every N blocks a new panel, from 8 MiB of
// them, as a GEMM's column panel of N slivers moves to A's next k block
// (N = 16 at GemmBF16 n = 1024, 8 at n = 2048), and anew=never keeps one.
// The kernels keep a 32 KiB panel in L1 and stream B through L2
// (a=32KiB/.../b=1MiB); the 2 MiB rows leave L2 on a 2 MiB-L2 core. The
// operands are in huge pages where Linux gives them, as the kernels'.
// data=pattern is the peak loops' operands, data=random the GEMM
// benchmarks' (bf16 in [0.5, 1)).
func BenchmarkAMXStreamBF16(b *testing.B) {
	if ok, why := AMXStatus(); !ok {
		b.Skip("AMX not usable: " + why)
	}
	const never = amxStreamNever
	cases := []struct{ steps, bblocks, areuse, achunks int }{
		{8, 1, never, 1}, {16, 1, never, 1}, {16, 32, never, 1}, {16, 32, 16, 256}, {16, 32, 8, 256},
		{64, 1, never, 1}, {512, 1, never, 1}, {1024, 1, never, 1},
	}
	var mem *hugeMem // as the kernels' packed operands
	buf := hugeGrow(&mem, 12<<20)
	defer runtime.KeepAlive(mem) // it unmaps buf when collected
	var out [32 * 32]uint32
	for _, data := range []string{"pattern", "random"} {
		if data == "random" {
			fillStreamRandom(buf)
		} else {
			for i := 0; i < len(buf); i += 2 {
				*(*BF16)(unsafe.Pointer(&buf[i])) = 0x3c00 // 2⁻⁷, as amxSource: no denormals
			}
		}
		for _, c := range cases {
			aBytes, bBytes := c.steps*2048, c.bblocks*c.steps*2048
			anew := "never"
			if c.areuse != never {
				anew = strconv.Itoa(c.areuse)
			}
			b.Run("a="+kib(aBytes)+"/anew="+anew+"/b="+kib(bBytes)+"/data="+data, func(b *testing.B) {
				blocks := max(1, 4096/c.steps)
				bOff := c.achunks*aBytes + 4096
				for b.Loop() {
					amxStreamBF16(&amxConfig, &buf[0], &buf[bOff], &out[0], blocks, c.steps, c.bblocks, c.areuse, c.achunks, nil)
				}
				b.ReportMetric(float64(blocks*c.steps)*4*16*16*32*2*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkAMXStreamSide runs BenchmarkAMXStreamBF16's kernels' case
// (a 32 KiB A panel in L1, B streaming through 1 MiB of L2, random data)
// with memory traffic beside the tiles, as much a k step as a GEMM's
// writes of C (256 bytes a step while they last) or packing moves: side=
// the kind (ntstore, load, prefetch), bytes= a k step's share of it,
// from 64 MiB in huge pages, and tiles=no the same traffic without the
// tile products. It reports ns a k step and the side traffic's GB/s. If
// the two overlap, side=X/.../tiles=yes takes as long a step as the
// slower of side=none and tiles=no; if they take turns, as long as both
// together.
func BenchmarkAMXStreamSide(b *testing.B) {
	if ok, why := AMXStatus(); !ok {
		b.Skip("AMX not usable: " + why)
	}
	const steps, bblocks, blocks = 16, 32, 256
	var mem, sideMem *hugeMem
	buf := hugeGrow(&mem, 2<<20)
	region := hugeGrow(&sideMem, 64<<20)
	defer runtime.KeepAlive(mem) // they unmap buf and region when collected
	defer runtime.KeepAlive(sideMem)
	fillStreamRandom(buf)
	clear(region) // mapped, so that no step waits for a page fault
	run := func(b *testing.B, side *amxSide) {
		var out [32 * 32]uint32
		off, moved := 0, 0
		for b.Loop() {
			if side != nil {
				n := blocks * steps * side.lines * 64
				if off+n > len(region) {
					off = 0
				}
				side.base, side.bytes = &region[off], n
				off += n
				moved += n
			}
			amxStreamBF16(&amxConfig, &buf[0], &buf[64<<10], &out[0], blocks, steps, bblocks, amxStreamNever, 1, side)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*blocks*steps), "ns/step")
		b.ReportMetric(float64(moved)/b.Elapsed().Seconds()/1e9, "GB/s")
	}
	b.Run("side=none", func(b *testing.B) { run(b, nil) })
	for _, kind := range []struct {
		name string
		kind int
	}{{"ntstore", amxSideNTStore}, {"load", amxSideLoad}, {"prefetch", amxSidePrefetch}} {
		for _, lines := range []int{2, 4, 8} {
			for _, alone := range []bool{false, true} {
				tiles := "yes"
				if alone {
					tiles = "no"
				}
				b.Run(fmt.Sprintf("side=%s/bytes=%d/tiles=%s", kind.name, lines*64, tiles), func(b *testing.B) {
					run(b, &amxSide{lines: lines, kind: kind.kind, alone: alone})
				})
			}
		}
	}
}

// amxStreamNever, as amxStreamBF16's areuse, keeps one A panel for good.
const amxStreamNever = 1 << 40

// fillStreamRandom fills the stream probes' operands as the GEMM
// benchmarks fill theirs: bf16 in [0.5, 1), the same every run.
func fillStreamRandom(buf []byte) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i+1 < len(buf); i += 2 {
		*(*BF16)(unsafe.Pointer(&buf[i])) = ToBF16(0.5 + r.Float32()/2)
	}
}

// kib names a size in KiB, or MiB when whole.
func kib(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// amxConfigK32 is amxConfig with the A tiles (TMM4, TMM5) 16 rows of 32
// bytes and the B tiles (TMM6, TMM7) 8 rows of 64: a tile product over
// one Q8_0 block of 32 codes, as the q8_0 AMX tile runs it.
var amxConfigK32 = func() (cfg [64]byte) {
	cfg = amxConfig
	for t, shape := range map[int][2]int{4: {16, 32}, 5: {16, 32}, 6: {8, 64}, 7: {8, 64}} {
		cfg[48+t] = byte(shape[0])
		cfg[16+2*t] = byte(shape[1])
	}
	return cfg
}()

// TestAMXMixInt8 checks the mixed loop's tile sums, which the vector
// work must leave alone: each step adds 16 quads of 60·60 + 60·60
// (amxSource) to every element at full depth, 8 at depth 32.
func TestAMXMixInt8(t *testing.T) {
	skipWithoutAMX(t)
	for _, c := range []struct {
		cfg   *[64]byte
		quads int
	}{{&amxConfig, 16}, {&amxConfigK32, 8}} {
		for _, rows := range []int{0, 8, 64} {
			for _, iters := range []int{0, 1, 100} {
				var out [32 * 32]uint32
				amxMixInt8(c.cfg, &amxSource[0], &out[0], iters, 4, rows)
				want := uint32(int32(iters * c.quads * 7200))
				for _, i := range []int{0, 16, 15*32 + 15, 16 * 32, 31*32 + 31} {
					if out[i] != want {
						t.Fatalf("quads=%d rows=%d iters=%d: sum %d = %d, want %d", c.quads, rows, iters, i, out[i], want)
					}
				}
			}
		}
	}
}

// BenchmarkAMXWithVector times, in ns a step, the two halves of four
// Q8_0 blocks on AMX: four independent TDPBSSD at the depth of a block
// (32 codes; and at the full 64 for comparison), the vector rescaling of
// their 64 rows of sums (conversion, scale product, fused multiply-add
// a row), and both in one loop, all on registers. Both together taking
// the longer one's time would mean the chip runs the two side by side;
// taking the sum, that it does not.
func BenchmarkAMXWithVector(b *testing.B) {
	if ok, why := AMXStatus(); !ok {
		b.Skip("AMX not usable: " + why)
	}
	var out [32 * 32]uint32
	const iters = 1 << 16
	for _, c := range []struct {
		name           string
		cfg            *[64]byte
		products, rows int
	}{
		{"products=4/depth=64/rows=0", &amxConfig, 4, 0},
		{"products=4/depth=32/rows=0", &amxConfigK32, 4, 0},
		{"products=0/rows=64", &amxConfigK32, 0, 64},
		{"products=4/depth=32/rows=64", &amxConfigK32, 4, 64},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				amxMixInt8(c.cfg, &amxSource[0], &out[0], iters, c.products, c.rows)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/iters, "ns/step")
		})
	}
}

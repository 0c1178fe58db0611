//go:build gc && !purego && !noasm

package kernels

import (
	"unsafe"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// amxDetect checks CPUID, then XCR0, then asks Linux for the tile state.
//
// cpuid (klauspost/cpuid/v2 v2.4.2) sets AMXTILE, AMXINT8 and AMXBF16 from
// CPUID leaf 7 alone: its XGETBV check is XCR0's AVX-512 bits (5-7), not
// the tile bits 17 (TILECFG) and 18 (TILEDATA), so those are read here.
// The tiers' needs (isa.AMXInt8, isa.AMXBF16) check the CPUID bits again.
func amxDetect() (bool, string) {
	if !cpuid.CPU.Has(cpuid.AMXTILE) {
		return false, "no amx-tile in cpuid"
	}
	// cpuid reports AMXTILE only inside its OSXSAVE check, so XGETBV is
	// there to run.
	if eax, _ := xgetbv0(); eax&(3<<17) != 3<<17 {
		return false, "tile state not enabled in xcr0"
	}
	if why := amxRequest(); why != "" {
		return false, why
	}
	return true, ""
}

// In amx_amd64.s.

func xgetbv0() (eax, edx uint32)

//go:noescape
func amxGemmBF16(cfg *[64]byte, a, b *byte, bsliver int, c unsafe.Pointer, ldc int, acc *byte, ksteps, kc, blocks, load, nt int, next *byte, lda int, nextDst *byte, nextSteps, arow, astep int)

//go:noescape
func amxGemmInt8(cfg *[64]byte, a, b *byte, bsliver int, c unsafe.Pointer, ldc int, acc *byte, ksteps, kc, blocks, load, nt int, next *byte, lda int, nextDst *byte, nextSteps, arow, astep int)

//go:noescape
func amxPackA(dst, src *byte, lda, rows, steps int)

//go:noescape
func amxPackBPairs(dst, src *byte, ldb, pairs, slivers, sliver int)

//go:noescape
func amxPackBQuads(dst, src *byte, ldb, quads, slivers, sliver int)

//go:noescape
func amxDotBF16(cfg *[64]byte, src *byte, out *uint32, iters int)

//go:noescape
func amxDotInt8(cfg *[64]byte, src *byte, out *uint32, iters int)

// amxStreamBF16 is the GEMM kernels' k step alone, on operands that stay
// in whichever cache their sizes put them, A's panel changing every
// areuse blocks: the ceiling the tile loop has on this host for each
// place A and B come from (BenchmarkAMXStreamBF16). With side, each k
// step also moves lines of memory beside its tiles, as a GEMM's packing
// and writes of C do (BenchmarkAMXStreamSide). Tests and benchmarks call
// it, nothing else.
//
//go:noescape
func amxStreamBF16(cfg *[64]byte, a, b *byte, out *uint32, blocks, steps, bblocks, areuse, achunks int, side *amxSide)

// An amxSide is the memory traffic amxStreamBF16 runs beside its tile
// products: lines 64-byte lines a k step, on through base[:bytes] and
// round again. The assembly reads the fields by offset, in this order,
// and takes kind 1 and 2 for amxSideNTStore and amxSideLoad.
type amxSide struct {
	base  *byte
	bytes int // a multiple of 64
	lines int
	kind  int  // amxSideNTStore, amxSideLoad or amxSidePrefetch
	alone bool // the traffic only, without the tile products
}

// The kinds of side traffic: a non-temporal store of all ones bytes, as
// the kernels write C; a load, as they read A or B to pack it; a
// PREFETCHT0, as they prefetch.
const (
	amxSideNTStore = 1 + iota
	amxSideLoad
	amxSidePrefetch
)

// amxMixInt8 runs tile products and a Q8_0 block's vector rescaling in
// one loop (BenchmarkAMXWithVector). Tests and benchmarks call it,
// nothing else.
//
//go:noescape
func amxMixInt8(cfg *[64]byte, src *byte, out *uint32, iters, products, rows int)

// amxConfig is the tile configuration every AMX call loads (LDTILECFG):
// palette 1, and all eight tiles 16 rows of 64 bytes, the largest a tile
// can be. Byte 0 is the palette, bytes 16-31 each tile's bytes per row
// (uint16), bytes 48-55 each tile's rows.
var amxConfig = func() (cfg [64]byte) {
	cfg[0] = 1
	for t := range 8 {
		cfg[16+2*t] = 64
		cfg[48+t] = 16
	}
	return cfg
}()

// amxSource fills the peak loops' source tiles: byte pairs 0x00, 0x3c,
// which are bf16 2⁻⁷ (sums stay far from overflow for any iters the
// benchmarks run) and int8 0 and 60 (TDPBSSD's int32 sums wrap, which
// costs nothing).
var amxSource = func() (src [1024]byte) {
	for i := 1; i < len(src); i += 2 {
		src[i] = 0x3c
	}
	return src
}()

// The AMX tiers' table entries, appended (widest) to int8Table and
// bf16Table by int8TableFor and bf16TableFor when amxOK.
//
// Tile state belongs to the OS thread, and between two calls a goroutine
// may move to another thread, so every assembly call loads the
// configuration, computes, stores its tiles and releases them
// (TILERELEASE, which also keeps the thread's context switches from
// saving 8 KiB of tiles). Within a call the tiles are safe: Go's
// asynchronous preemption never stops a goroutine inside an assembly
// function (runtime.isAsyncSafePoint refuses functions flagged
// FuncFlagAsm; the signal handler returns and the function goes on), and
// when the kernel interrupts the thread it saves and restores the tiles
// with the rest of the XSAVE state. So a call must do enough work to hide
// LDTILECFG and TILERELEASE: a GEMM call runs a whole k block over a 32-row
// panel of A and every 32-column sliver of a panel of B, hundreds of tile
// products; a peak-loop call runs all its iterations.
var (
	amxInt8Tier = simdLowp[int8, int32]{needs: isa.AMXInt8, t: lowpTier[int8, int32]{
		mr: amxMR, gemm: gemmInt8AMX, gemmCols: gemmInt8AMXCols, nr: amxNR,
		dotLoop: dotLoopInt8AMX, dotOpsPerIter: 4 * 16 * 16 * 64 * 2,
	}}
	amxBF16Tier = simdLowp[BF16, float32]{needs: isa.AMXBF16, t: lowpTier[BF16, float32]{
		mr: amxMR, gemm: gemmBF16AMX, gemmCols: gemmBF16AMXCols, nr: amxNR,
		dotLoop: dotLoopBF16AMX, dotOpsPerIter: 4 * 16 * 16 * 32 * 2,
		packB: packAllBF16AMX, gemmPacked: gemmBF16AMXPacked, matVecPacked: matVecBF16AMXPacked,
	}}
)

// dotLoopBF16AMX and dotLoopInt8AMX run iters steps of four independent
// tile products (TMM0-3 += TMM4-5 · TMM6-7, 16×16 results of 32 bf16
// pairs or 64 int8 quads each): four accumulators cover TDPBF16PS's
// latency at one product per 16 cycles, the rate of oneDNN's own loop
// (anchors/lowp.c). The result adds an element of each accumulator.
func dotLoopBF16AMX(iters int) int64 {
	var out [32 * 32]uint32
	amxDotBF16(&amxConfig, &amxSource[0], &out[0], iters)
	return amxDotResult(&out)
}

func dotLoopInt8AMX(iters int) int64 {
	var out [32 * 32]uint32
	amxDotInt8(&amxConfig, &amxSource[0], &out[0], iters)
	return amxDotResult(&out)
}

// amxDotResult sums one element of each of the four 16×16 tiles the peak
// loops store as a 32×32 block.
func amxDotResult(out *[32 * 32]uint32) int64 {
	return int64(out[0]) + int64(out[16]) + int64(out[16*32]) + int64(out[16*32+16])
}

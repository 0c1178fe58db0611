//go:build gc && !purego && !noasm

package kernels

import (
	"math"
	"unsafe"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

func init() {
	if isa.AVX2.On(&cpuid.CPU) {
		toBF16sVec = toBF16sAVX2Go
	}
}

// toBF16sAVX2 is ToBF16 on n values, n a positive multiple of 16.
//
//go:noescape
func toBF16sAVX2(dst *BF16, src *float32, n int)

func toBF16sAVX2Go(dst []BF16, src []float32) int {
	n := len(src) &^ 15
	if n > 0 {
		toBF16sAVX2(&dst[0], &src[0], n)
	}
	return n
}

// bf16Table lists the amd64 bf16 tiers, narrowest first. A chip without
// VDPBF16PS widens bf16 to fp32 (a shift left by 16) as it packs, and runs
// Sgemm's fp32 register tiles: that is what it really can do with bf16
// data, so it is measured doing that, under a name that says so.
var bf16Table = bf16TableFor(amxUsable())

// bf16TableFor returns the amd64 bf16 tiers, with the amx tier last when
// amxOK, as int8TableFor.
func bf16TableFor(amxOK bool) []simdLowp[BF16, float32] {
	if amxOK {
		return append(bf16TableVector[:len(bf16TableVector):len(bf16TableVector)], amxBF16Tier)
	}
	return bf16TableVector
}

// bf16TableVector lists the vector tiers.
var bf16TableVector = []simdLowp[BF16, float32]{
	{isa.Widened(isa.AVX2), lowpTier[BF16, float32]{
		mr: fp32AVX2BF16.mr, gemm: fp32AVX2BF16.gemm,
		dotLoop: dotLoopFP32AVX2, dotOpsPerIter: 12 * 8 * 2,
	}},
	{isa.Widened(isa.AVX512), lowpTier[BF16, float32]{
		mr: fp32AVX512BF16.mr, gemm: fp32AVX512BF16.gemm,
		dotLoop: dotLoopFP32AVX512, dotOpsPerIter: 24 * 16 * 2,
	}},
	{isa.AVX512BF16, lowpTier[BF16, float32]{
		mr: avx512BF16Gemm.mr, gemm: avx512BF16Gemm.gemm,
		dotLoop: dotLoopAVX512BF16, dotOpsPerIter: 24 * 32 * 2,
	}},
}

// In bf16_amd64.s.

//go:noescape
func gemmTile12x32BF16(kw int, a, b *uint32, c *float32, ldc int, load int)

func dotLoopAVX512BF16(iters int) int64

// The fp32 tiers' peak is the fp32 FMA loop's: widening happens as
// operands are packed, outside the multiply-adds.
func dotLoopFP32AVX2(iters int) int64 { return int64(math.Float32bits(fmaLoopAVX2(iters))) }

func dotLoopFP32AVX512(iters int) int64 {
	return int64(math.Float32bits(fmaLoopAVX512(iters)))
}

// A bf16Gemm is GemmBF16 blocked as Sgemm's streamB tiers are: per k
// block, an mc×kc block of A is packed (mc large, so once for all of
// C's columns), then for each nc-column panel of B, packed to sit in L2,
// the mr×nr register tile runs over every sliver, the small A sliver
// staying in L1 while the B slivers stream past it.
//
// Packed operands are 32-bit words. With pairs a word is two consecutive
// k as bf16 (the lower k in the low half), as VDPBF16PS takes them, and
// kw = ⌈kc/2⌉, an odd k padded with zero in both A and B (0·0 adds
// nothing, where 0·Inf would); an A sliver is kw steps of mr words (one
// per row), a B sliver kw steps of nr words (one per column). Without
// pairs (the fp32 tiers) a word is one k widened to fp32, bf16 being the
// top half of a float32, and kw = kc: B slivers are laid out as with
// pairs, but A is widened row by row, mr×kw row-major, and the Sgemm
// tile reads it as rows in place (lda=kw, ka=1). Widening a row is a
// plain vector loop; transposing it into k-major slivers as well would
// cost a shuffle network for no gain, since the tile rounds the same
// either way.
type bf16Gemm struct {
	mr, nr int
	pairs  bool
	kw, nc int // the k block, in words, and the n block, in columns
	// tile computes an mr×nr tile of C from kw steps of packed slivers,
	// adding to C when acc (a later k block), overwriting it otherwise.
	tile func(kw int, a, b []uint32, c []float32, ldc int, acc bool)
	// widen, for the fp32 tiers, widens chunks of nr bf16 at src to fp32
	// at dst, step bytes apart, with the tier's own instruction set.
	widen func(dst *uint32, src *BF16, chunks, step int)
}

// The blocking: a 12-row sliver of 128 pairs (k=256) is 6 KiB of L1,
// and the B panel takes half of L2 (fitL2), as for Sgemm's streamB tiers:
// on a Zen 4 core (1 MiB L2) 128 pairs by 1024 columns, which a sweep of
// 96-256 pairs by 256-1024 columns found best at n=1024 and 2048 (by 5% at
// n=2048 over 512 columns). The fp32 tiers take Sgemm's k block, 256 k.
var (
	avx512BF16Gemm = bf16Gemm{mr: 12, nr: 32, pairs: true, kw: 128, nc: 1024, tile: tileBF16}.fitL2(cacheSizes())
	fp32AVX512BF16 = bf16Gemm{mr: 12, nr: 32, kw: 256, nc: 512, tile: fp32Tile(12, 32, gemmTile12x32AVX512), widen: widen32AVX512}.fitL2(cacheSizes())
	fp32AVX2BF16   = bf16Gemm{mr: 6, nr: 16, kw: 256, nc: 512, tile: fp32Tile(6, 16, gemmTile6x16AVX2), widen: widen16AVX2}.fitL2(cacheSizes())
)

// fitL2 returns g with its B panel sized to half of an l2-byte L2 (g's
// default where l2 is unknown), in whole slivers.
func (g bf16Gemm) fitL2(_, l2 int) bf16Gemm {
	if l2 > 0 {
		g.nc = max(g.nr, l2/2/(g.kw*4)/g.nr*g.nr)
	}
	return g
}

// tileBF16 is the VDPBF16PS tile. The bounds checks are what keeps a
// packing bug from writing out of bounds.
func tileBF16(kw int, a, b []uint32, c []float32, ldc int, acc bool) {
	_, _, _ = a[kw*12-1], b[kw*32-1], c[11*ldc+31]
	load := 0
	if acc {
		load = 1
	}
	gemmTile12x32BF16(kw, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, load)
}

// fp32Tile runs an Sgemm tile on widened rows of A and a widened sliver
// of B: alpha=1 is exact, and a later k block adds its sum to C (beta=1)
// in one fused rounding.
func fp32Tile(mr, nr int, asm asmTile) func(kw int, a, b []uint32, c []float32, ldc int, acc bool) {
	return func(kw int, a, b []uint32, c []float32, ldc int, acc bool) {
		_, _, _ = a[kw*mr-1], b[kw*nr-1], c[(mr-1)*ldc+nr-1]
		var beta float32
		if acc {
			beta = 1
		}
		asm(kw, (*float32)(unsafe.Pointer(unsafe.SliceData(a))), kw, 1,
			(*float32)(unsafe.Pointer(unsafe.SliceData(b))), unsafe.SliceData(c), ldc, 1, beta)
	}
}

// bf16Buf is one call's packing space, reused across calls: bf16 pairs
// (or widened float32 bits) as 32-bit words.
type bf16Buf = lowpBuf[uint32, float32]

var bf16Bufs freeList[bf16Buf]

// gemm computes rows [i0, i1) of C = A·B.
func (g *bf16Gemm) gemm(i0, i1, n, k int, a []BF16, lda int, b []BF16, ldb int, c []float32, ldc int) {
	if k == 0 {
		clearRows(c, ldc, i0, i1, n)
		return
	}
	per := 1
	if g.pairs {
		per = 2
	}
	kwAll := (k + per - 1) / per
	// mc as streamBRows: A packed once per k block for up to 16 MiB of it.
	mc := min(roundUp(i1-i0, g.mr), max(g.mr, (4<<20)/g.kw/g.mr*g.mr))
	nc := min(g.nc, roundUp(n, g.nr))
	w := bf16Bufs.get()
	defer bf16Bufs.put(w)
	w.a = lowpGrow(w.a, mc*min(g.kw, kwAll))
	w.b = lowpGrow(w.b, nc*min(g.kw, kwAll))
	w.edge = grow(w.edge, g.mr*g.nr)
	for pw := 0; pw < kwAll; pw += g.kw {
		kw := min(g.kw, kwAll-pw)
		p0, p1 := pw*per, min(k, (pw+kw)*per)
		for ic := i0; ic < i1; ic += mc {
			rows := min(mc, i1-ic)
			// A is always packed. Read in place instead (as Sgemm's
			// tileRows does), the avx512bf16 tile saves the packing, 4%
			// of n=1024, but at n=2048 its 12 rows lie 4 KiB apart, in
			// the same L1 sets, and the GEMM ran a third slower.
			g.packA(w.a, a, lda, ic, rows, p0, p1)
			for jc := 0; jc < n; jc += nc {
				cols := min(nc, n-jc)
				g.packB(w.b, b, ldb, p0, p1, jc, cols)
				g.macro(w, c, ldc, ic, rows, jc, cols, kw, pw > 0)
			}
		}
	}
}

// macro runs the tile over a packed block of rows×kw and panel of
// kw×cols, the B slivers innermost.
func (g *bf16Gemm) macro(w *bf16Buf, c []float32, ldc, ic, rows, jc, cols, kw int, acc bool) {
	mr, nr := g.mr, g.nr
	for ir := 0; ir < rows; ir += mr {
		ap := w.a[ir*kw : (ir+mr)*kw]
		r := min(mr, rows-ir)
		for jr := 0; jr < cols; jr += nr {
			bp := w.b[jr*kw : (jr+nr)*kw]
			cn := min(nr, cols-jr)
			off := (ic+ir)*ldc + jc + jr
			if r == mr && cn == nr {
				g.tile(kw, ap, bp, c[off:], ldc, acc)
				continue
			}
			// An edge tile runs the same kernel on a full-size copy, so
			// its elements round exactly as they would inside C.
			e := w.edge
			if acc {
				for i := range r {
					copy(e[i*nr:i*nr+cn], c[off+i*ldc:])
				}
			}
			g.tile(kw, ap, bp, e, nr, acc)
			for i := range r {
				copy(c[off+i*ldc:off+i*ldc+cn], e[i*nr:])
			}
		}
	}
}

// packAPairs packs A[ic:ic+rows, p0:p1] as mr-row slivers of bf16 pairs,
// zero-padding an odd last k and the last sliver's missing rows. Whole
// 12-row slivers (the avx512bf16 tile's) are packed with AVX-512.
func packAPairs(mr int, dst []uint32, a []BF16, lda, ic, rows, p0, p1 int) {
	kw := (p1 - p0 + 1) / 2
	for ir := 0; ir < rows; ir += mr {
		d := dst[ir*kw : (ir+mr)*kw]
		r := min(mr, rows-ir)
		if r == 12 && mr == 12 {
			gather12Pairs(d, a[(ic+ir)*lda+p0:], lda, p1-p0)
			continue
		}
		for i := range r {
			scatterPairs(d[i:], mr, a[(ic+ir+i)*lda+p0:(ic+ir+i)*lda+p1])
		}
		for i := r; i < mr; i++ {
			for q := range kw {
				d[q*mr+i] = 0
			}
		}
	}
}

// packA packs A[ic:ic+rows, p0:p1] into dst as g's tile reads it.
func (g *bf16Gemm) packA(dst []uint32, a []BF16, lda, ic, rows, p0, p1 int) {
	if g.pairs {
		packAPairs(g.mr, dst, a, lda, ic, rows, p0, p1)
		return
	}
	// Rows widened, row-major, zero rows to a whole sliver.
	kw := p1 - p0
	for i := range rows {
		g.widenRun(dst[i*kw:(i+1)*kw], 4*g.nr, a[(ic+i)*lda+p0:(ic+i)*lda+p1])
	}
	clear(dst[rows*kw : roundUp(rows, g.mr)*kw])
}

// packB packs B[p0:p1, jc:jc+cols] into dst as g's tile reads it.
func (g *bf16Gemm) packB(dst []uint32, b []BF16, ldb, p0, p1, jc, cols int) {
	if g.pairs {
		packBPairs(g.nr, (p1-p0+1)/2, dst, b, ldb, p0, p1, jc, cols)
		return
	}
	// Each row of B, widened, is one k step of every sliver; the last
	// sliver is zero-padded to nr columns.
	kw, nr := p1-p0, g.nr
	full := cols / nr * nr
	for q := range kw {
		p := p0 + q
		row := b[p*ldb+jc : p*ldb+jc+cols]
		g.widenRun(dst[q*nr:], 4*nr*kw, row[:full])
		if full < cols {
			d := dst[full*kw+q*nr : full*kw+q*nr+nr]
			for j, v := range row[full:] {
				d[j] = uint32(v) << 16
			}
			clear(d[cols-full:])
		}
	}
}

// widenRun widens src into chunks of nr words, step bytes apart from
// dst: whole chunks with g.widen, a last partial one (contiguous, which
// is where callers leave it) in Go.
func (g *bf16Gemm) widenRun(dst []uint32, step int, src []BF16) {
	nr := g.nr
	chunks := len(src) / nr
	if chunks > 0 {
		// The bounds the assembly touches.
		_, _ = dst[(chunks-1)*step/4+nr-1], src[chunks*nr-1]
		g.widen(unsafe.SliceData(dst), unsafe.SliceData(src), chunks, step)
	}
	if tail := src[chunks*nr:]; len(tail) > 0 {
		rest := dst[chunks*step/4:]
		for j, v := range tail {
			rest[j] = uint32(v) << 16
		}
	}
}

// packBPairs packs B[p0:p1, jc:jc+cols] as nr-column slivers of bf16
// pairs, two rows of B at a time across all slivers (see packBRows), and
// zero-pads an odd last k and the last sliver's missing columns; each
// sliver holds stride pair rows (at least the k block's). Whole 32-column
// slivers (the avx512bf16 and amx tiles') are packed with AVX-512.
func packBPairs(nr, stride int, dst []uint32, b []BF16, ldb, p0, p1, jc, cols int) {
	kw := (p1 - p0 + 1) / 2
	for q := range kw {
		p := p0 + 2*q
		r0 := b[p*ldb+jc : p*ldb+jc+cols]
		var r1 []BF16
		done := 0
		if p+1 < p1 {
			r1 = b[(p+1)*ldb+jc : (p+1)*ldb+jc+cols]
			if nr == 32 {
				done = interleave32(dst[q*nr:], stride, r0, r1, cols)
			}
		}
		packPairsFrom(dst, stride, q, nr, cols, done, r0, r1)
	}
}

// packPairsFrom packs columns [done, cols) of the k rows r0 and r1 (nil
// past an odd k's last row, which pairs with zero) as word q of each
// sliver of nr columns, sliver j at dst[j·stride:], zeroing the words of
// columns past cols.
func packPairsFrom(dst []uint32, stride, q, nr, cols, done int, r0, r1 []BF16) {
	for jr := done; jr < cols; jr += nr {
		d := dst[jr*stride+q*nr : jr*stride+q*nr+nr]
		cn := min(nr, cols-jr)
		s0 := r0[jr : jr+cn]
		if r1 != nil {
			s1 := r1[jr : jr+cn]
			for j, v := range s0 {
				d[j] = uint32(v) | uint32(s1[j])<<16
			}
		} else {
			for j, v := range s0 {
				d[j] = uint32(v)
			}
		}
		clear(d[cn:])
	}
}

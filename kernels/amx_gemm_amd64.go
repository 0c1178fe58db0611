//go:build gc && !purego && !noasm

package kernels

import "unsafe"

// The AMX GEMMs. A tile product multiplies a 16×64-byte tile of A (16 rows
// of 32 bf16 or 64 int8, consecutive k) by a 16×64-byte tile of B in the
// VNNI layout (16 rows by 16 columns of 4 bytes: row q of column j holds
// the bf16 pair B[2q][j], B[2q+1][j] or the int8 quad B[4q..4q+3][j], as
// VDPBF16PS and VPDPBUSD take them) into a 16×16 tile of 32-bit sums. One kernel call (amxGemmBF16,
// amxGemmInt8) keeps a 32×32 block of C in TMM0-3 and, per k step, loads
// two A tiles (TMM4-5) and two B tiles (TMM6-7) for four products: the
// 2×2 block is the largest the eight tiles hold, and loads one tile per
// product. It runs a whole k block for each of blocks 32-column slivers
// of B, side by side in C, with one 32-row panel of A.
//
// Layouts, in bytes:
//   - A panel: 32 rows of kcPad elements (k rounded up to a tile step,
//     zero-padded), rows lda bytes apart. The A tile of step s, half h is
//     at h·16·lda + 64·s with row stride lda: packing A is one copy per row,
//     and a whole panel of whole steps can be read in place from A.
//   - B sliver: bHead bytes (the int8 tier's, unused: see gemmInt8AMX),
//     then steps×16 rows of 32 columns × 4 bytes (128 bytes a row); the B
//     tile of step s, half h is at 2048·s + 64·h with row stride 128. This
//     is the avx512bf16 and avx512vnni tiers' 32-column sliver layout with
//     k padded to whole steps, so their AVX-512 packers do the work.
//   - C: tile (h, v) at h·16·ldc + 64·v, row stride ldc bytes; edge blocks
//     go through a 32×32 buffer.
//
// The float32 sums of a C element run in increasing k within a tile
// product and across the k blocks (a later block starts from C), whatever
// the thread count: threads split rows in multiples of amxMR.
const (
	amxMR, amxNR = 32, 32
	amxStep      = 64 // bytes of k in a tile row
)

// An amxGemm is one AMX GEMM's blocking and kernel.
type amxGemm struct {
	es     int  // bytes an element of A and B
	kc, nc int  // the k block (elements, whole steps) and n block (columns, whole slivers)
	direct bool // read A in place where its layout allows
	bHead  int  // bytes before each B sliver's tile rows
	kernel func(cfg *[64]byte, a *byte, lda int, b *byte, bsliver int, c unsafe.Pointer, ldc, steps, blocks, load int)
}

// The blocking; see amxBlocking.
var (
	amxBF16 = amxBlocking(amxGemm{es: 2, kernel: amxGemmBF16})
	amxInt8 = amxBlocking(amxGemm{es: 1, bHead: 32 * 4, kernel: amxGemmInt8})
)

// amxBlocking sets g's blocks. A k block is 1 KiB of k per row and column
// (512 bf16, 1024 int8, 16 tile steps): the 32-row A panel is 32 KiB and
// each B sliver 32 KiB, streaming from L2. The B panel takes half of L2
// (1024 columns on the Sapphire Rapids guest's 2 MiB) and is packed once
// per k block for all of the caller's rows; A is packed (or read in
// place) one 32-row panel at a time, in amxRun.
//
// Measured on that guest (2 vCPUs, shared with other work: medians of 3-6
// alternated runs, GemmBF16 and GemmInt8 at n=1024 and 2048, one thread):
// k blocks of 512 bytes were 15-25% slower (C loaded and stored twice as
// often), of 1.5-2 KiB 10-25% slower (A and B no longer fit beside each
// other in L1 and L2); B panels of 256 columns were 15-20% slower, of all
// of L2 (2048 columns) up to 50% slower at n=2048. Leaving C's loads out
// altogether (wrong sums, for timing) changed nothing measurable, nor did
// prefetching the next block's C or the next panel of A, so the tile
// loads of A and B from L2 are what limits the kernel.
//
// Where the time goes (that guest, random data, thread CPU time): the
// tile kernel alone, its B panel in L2, A in L1 and C in L3, runs at
// 45-48% of DotPeakBF16 and DotPeakInt8, and at 54% with C in L2. (An
// earlier 53-72% was measured on never-written buffers, which all map
// the kernel's one zero page and so sit in L1.) Within it, a k step of
// four products takes about 26 ns against 17 ns at the peak rate, even
// with A and B both in L1 (24.5 ns), and each 32×32 block's C store
// and reload costs about 150 ns, six steps' worth: a GEMM that skipped
// them (wrong sums) ran 28% faster, yet only at 45-50% of DotPeak.
// Longer k blocks, which would load and store C less often, lose more
// to A and B leaving L1 than they save. Pipelining the tiles across
// blocks (the next block's first A and B loaded before this block's C
// is stored), the products reordered so that B has two products to
// arrive, and prefetching the next block's C into L1 during the k loop
// were all within noise or up to 5% slower. A call's LDTILECFG,
// zeroing, stores and TILERELEASE take 100-300 ns, beside tens of
// microseconds of work.
func amxBlocking(g amxGemm) *amxGemm {
	g.kc = 1024 / g.es
	g.nc = 1024
	if _, l2 := cacheSizes(); l2 > 0 {
		g.nc = max(amxNR, l2/2/(g.kc*g.es)/amxNR*amxNR)
	}
	g.direct = true
	return &g
}

// amxBuf is one goroutine's packing space: A and B as bytes, the edge
// block as 32-bit words (float32 or int32 bits).
type amxBuf = lowpBuf[byte, uint32]

var amxBufs freeList[amxBuf]

// asBytes returns x's memory as bytes.
func asBytes[T any](x []T) []byte {
	if len(x) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), len(x)*int(unsafe.Sizeof(x[0])))
}

// amxPackB packs B[p0:p1, jc:jc+cols] into dst as slivers of sliver bytes
// with steps·16 tile rows each, zero past p1 and past cols.
type amxPackB[In any] func(dst []byte, b []In, ldb, p0, p1, jc, cols, sliver, steps int)

func gemmBF16AMX(i0, i1, n, k int, a []BF16, lda int, b []BF16, ldb int, c []float32, ldc int) {
	amxRun(amxBF16, packBAMXBF16, i0, i1, n, k, a, lda, b, ldb, c, ldc)
}

// gemmInt8AMX runs TDPBSSD, signed bytes by signed bytes: unlike
// VPDPBUSD it needs no +128 offset on A, so A is copied as it is. Its
// int32 sums wrap modulo 2³² as the other tiers' do (TDPBSSD does not
// saturate). B is packed by the vnni tier's packer, whose sliver header
// (-128·ΣB, that tier's correction) is skipped.
func gemmInt8AMX(i0, i1, n, k int, a []int8, lda int, b []int8, ldb int, c []int32, ldc int) {
	amxRun(amxInt8, packBAMXInt8, i0, i1, n, k, a, lda, b, ldb, c, ldc)
}

// amxRun computes rows [i0, i1) of C = A·B (the lowpTier.gemm contract)
// with g. Out is float32 or int32, 4 bytes either way.
func amxRun[In, Out any](g *amxGemm, packB amxPackB[In], i0, i1, n, k int, a []In, lda int, b []In, ldb int, c []Out, ldc int) {
	if k == 0 {
		clearRows(c, ldc, i0, i1, n)
		return
	}
	es := g.es
	ks := amxStep / es // k a tile step
	w := amxBufs.get()
	defer amxBufs.put(w)
	kcMax := min(g.kc, roundUp(k, ks))
	nc := min(g.nc, roundUp(n, amxNR))
	w.a = lowpGrow(w.a, amxMR*kcMax*es)
	w.b = lowpGrow(w.b, nc/amxNR*(g.bHead+kcMax/ks*16*128))
	w.edge = lowpGrow(w.edge, amxMR*amxNR)
	aBytes := asBytes(a)
	edge := unsafe.Slice((*Out)(unsafe.Pointer(unsafe.SliceData(w.edge))), len(w.edge))
	for pc := 0; pc < k; pc += g.kc {
		kc := min(g.kc, k-pc)
		steps := (kc + ks - 1) / ks
		aRow := steps * amxStep
		sliver := g.bHead + steps*16*128
		// Each 32-row panel of A is packed just before its call, into a
		// 32-row buffer that stays in L1 and L2 for the call's blocks
		// and the next panel's packing. A is read in place instead, its
		// tile rows lda apart, when the k block is whole tile steps, the
		// rows are less than two k blocks apart (the panel's lines are
		// mostly its own) and not a multiple of 4 KiB apart (that puts
		// every row of a tile in one L1 set). On the Sapphire Rapids
		// guest, packing each panel instead of all of A's rows per k
		// block (2-4 MiB, which left L2 before its panels were used) was
		// 10% faster at GemmBF16 n=1024 in thread CPU time, where A had
		// been read in place with rows 2 KiB apart, and reading in place
		// 4% faster than packing for GemmInt8 n=1024, whose rows are
		// the k block itself; in ./bench's wall time (5 alternated
		// rounds) every GemmBF16 and GemmInt8 row was within noise.
		direct := g.direct && kc%ks == 0 && lda*es < 2*aRow && lda*es%4096 != 0
		load := 0
		if pc > 0 {
			load = 1
		}
		for jc := 0; jc < n; jc += nc {
			cols := min(nc, n-jc)
			packB(w.b, b, ldb, pc, pc+kc, jc, cols, sliver, steps)
			full := cols / amxNR
			for ir := i0; ir < i1; ir += amxMR {
				r := min(amxMR, i1-ir)
				ap, lda8 := &w.a[0], aRow
				if direct && r == amxMR {
					ap, lda8 = &aBytes[(ir*lda+pc)*es], lda*es
				} else {
					// Each row's k block, zero-padded to whole steps,
					// and the panel to 32 rows.
					for i := range amxMR {
						d := w.a[i*aRow : (i+1)*aRow]
						if i < r {
							o := (ir+i)*lda + pc
							clear(d[copy(d, asBytes(a[o:o+kc])):])
						} else {
							clear(d)
						}
					}
				}
				off := ir*ldc + jc
				start := 0
				if r == amxMR && full > 0 {
					// The bounds the kernel touches.
					_ = c[off+(amxMR-1)*ldc+full*amxNR-1]
					g.kernel(&amxConfig, ap, lda8, &w.b[g.bHead], sliver, unsafe.Pointer(&c[off]), ldc*4, steps, full, load)
					start = full * amxNR
				}
				// Edge blocks run the same kernel on a full-size
				// copy, so they round as they would inside C.
				for jr := start; jr < cols; jr += amxNR {
					cn := min(amxNR, cols-jr)
					if load != 0 {
						for i := range r {
							copy(edge[i*amxNR:i*amxNR+cn], c[off+i*ldc+jr:])
						}
					}
					g.kernel(&amxConfig, ap, lda8, &w.b[jr/amxNR*sliver+g.bHead], sliver, unsafe.Pointer(&edge[0]), amxNR*4, steps, 1, load)
					for i := range r {
						copy(c[off+i*ldc+jr:off+i*ldc+jr+cn], edge[i*amxNR:])
					}
				}
			}
		}
	}
}

// packBAMXBF16 packs B[p0:p1, jc:jc+cols] into 32-column slivers of bf16
// pairs, steps·16 pair rows each (sliver bytes), as packBPairs does for
// the avx512bf16 tile but with the pair rows padded with zeros to whole
// tile steps.
func packBAMXBF16(dst []byte, b []BF16, ldb, p0, p1, jc, cols, sliver, steps int) {
	const nr = amxNR
	kwPad := steps * 16
	slivers := (cols + nr - 1) / nr
	d := unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(dst))), slivers*sliver/4)
	kw := (p1 - p0 + 1) / 2
	packBPairs(nr, kwPad, d, b, ldb, p0, p1, jc, cols)
	for s := range slivers {
		clear(d[(s*kwPad+kw)*nr : (s+1)*kwPad*nr])
	}
}

// packBAMXInt8 packs B[p0:p1, jc:jc+cols] into 32-column slivers of
// quads with packBPanelVNNI (header and all), then zeroes the quad rows
// past the k block up to whole tile steps.
func packBAMXInt8(dst []byte, b []int8, ldb, p0, p1, jc, cols, sliver, steps int) {
	kc := p1 - p0
	packBPanelVNNI(dst, b[p0*ldb+jc:], ldb, kc, cols, sliver)
	body := 32*4 + (kc+3)/4*128
	for s := range (cols + amxNR - 1) / amxNR {
		clear(dst[s*sliver+body : (s+1)*sliver])
	}
}

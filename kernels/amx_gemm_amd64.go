//go:build gc && !purego && !noasm

package kernels

import (
	"unsafe"
)

// The AMX GEMMs. A tile product multiplies a 16×64-byte tile of A (16 rows
// of 32 bf16 or 64 int8, consecutive k) by a 16×64-byte tile of B in the
// VNNI layout (16 rows by 16 columns of 4 bytes: row q of column j holds
// the bf16 pair B[2q][j], B[2q+1][j] or the int8 quad B[4q..4q+3][j])
// into a 16×16 tile of 32-bit sums. The kernels (amxGemmBF16, amxGemmInt8)
// keep a 32×32 block of C in TMM0-3 and, per k step, load two A tiles
// (TMM4-5) and two B tiles (TMM6-7) for four products: the 2×2 block is
// the largest the eight tiles hold, and loads one tile per product. One
// kernel call runs one 32-row panel of A against every 32-column sliver
// of a packed panel of B (see amxBlocking for the loops).
//
// Layouts, in bytes:
//   - A panel: steps·2048, step s at 2048·s: rows 0-15 (A0), then rows
//     16-31 (A1), each row the step's 64 bytes of k; row stride 64, so a
//     tile is 1 KiB in one piece and a panel's steps follow each other for
//     the prefetchers. Panels follow each other too (amxPackPanel, and the
//     kernel itself for the next panel: see amxRun).
//   - B sliver: steps·16 rows of 32 columns × 4 bytes (128 bytes a row),
//     then amxSliverPad; the B tile of step s, half h is at 2048·s + 64·h
//     with row stride 128 (packBAMXBF16, packBAMXInt8).
//   - acc: 4 KiB of staging, where the tiles store a block's sums of one
//     kernel k block, then the 32×32 blocks' sums between the kernel's k
//     blocks, 32 rows of 128 bytes, block j at 4096·(j+1).
//   - C: row stride ldc bytes; the kernel writes each block once, from
//     acc, with vector stores (non-temporal where C's rows are 64-byte
//     aligned); edge blocks go through the edge strip.
//
// The 32-bit sums of a C element run in increasing k within a kernel k
// block (g.steps tile steps, from zero), and the k blocks' sums are added
// in increasing k to C's (with load) or to zero: the same order whatever
// the thread count, since threads split rows in multiples of amxMR and
// every block of C, edge or not, runs the same kernel on the same k
// blocks. int8 sums are exact either way.
const (
	amxMR, amxNR = 32, 32
	amxStep      = 64 // bytes of k in a tile row
)

// An amxGemm is one AMX GEMM's blocking and kernel.
type amxGemm struct {
	es     int  // bytes an element of A and B
	kc     int  // the k block A and B are packed in (elements, whole steps)
	steps  int  // the kernel's k block (steps): its share of the A panel stays in L1
	bBytes int  // bytes of L2 the packed B panel may take
	nc     int  // the column panel (whole slivers); 0: as many as fit in bBytes
	direct bool // read A in place where its layout allows (see amxRun)
	kernel func(cfg *[64]byte, a, b *byte, bsliver int, c unsafe.Pointer, ldc int, acc *byte, ksteps, kc, blocks, load, nt int, next *byte, lda int, nextDst *byte, nextSteps, arow, astep int)
}

// The blocking; see amxBlocking.
var (
	amxBF16 = amxBlocking(amxGemm{es: 2, kernel: amxGemmBF16})
	amxInt8 = amxBlocking(amxGemm{es: 1, kernel: amxGemmInt8})
)

// amxBlocking sets g's blocks. The loops, outermost first:
//
//   - k blocks of g.kc (4 KiB of k a row: 2048 bf16, 4096 int8), in which
//     every row of A is packed once. Only k past that reloads C.
//   - column panels of B, each packed for the whole k block into half of
//     L2 (1 MiB on the Sapphire Rapids guest: 256 columns at k = 2048
//     bf16, 512 at k = 1024).
//   - 32-row panels of A, one kernel call each over all of the panel's
//     blocks of C.
//   - in the kernel, k blocks of g.steps (16 steps, 1 KiB of k a row: the
//     panel's 32 KiB share of them stays in the 48 KiB L1) over every
//     block of the panel's strip of C, the sums kept in acc in between.
//
// So C is written once (an earlier order, k blocks outside the column
// panels, loaded and stored all of C, 4-16 MiB at n = 1024-2048, every 16
// steps, from L3 or memory, and wrote it with tile stores whose rows,
// 4 KiB apart, share an L1 set), at the price of reading the packed A
// once per column panel, in order, prefetched by the kernel.
//
// The sizes, tried on the Sapphire Rapids guest (GemmBF16 and GemmInt8,
// n = 1024 and 2048, thread CPU time, medians of 13 alternated runs):
// kernel k blocks of 12 steps were 2-17% slower and of 20 up to 7%
// (longer ones no longer leave A in L1, shorter ones store and reload
// the sums more often: each switch of block costs about 90 ns, 5-6 ns a
// step at 16 steps); B panels of 3/8 of L2 the same and of 5/8 up to 13%
// slower; packed k blocks of 2 KiB a row up to 14% slower at bf16 n =
// 2048 (C reloaded) and the same elsewhere.
//
// Where the switch's cost lies, measured on a 2-vCPU KVM guest (CPUID
// family 6, model 167, 3.1-3.5 TFLOP/s bf16 DotPeak), n = 1024 and
// 2048, threads=1, each change alone against the kernel that loaded and
// stored the sums tiles from and to acc at every switch (so not giving
// the right sums, only the time): not loading the sums tiles (zeroing
// them instead) changed nothing; not storing them was 19-21% faster;
// storing every block's to the same 4 KiB, 9%. So the cost is the
// stores' wait for the four products to drain, and, less, their misses
// in L1. The kernel now stores to 4 KiB of staging that stays in L1,
// adds staging to the sums so far with vector adds between the next
// block's products, and stores each sums tile just before its first
// product in the next block: GemmBF16 8-16% and GemmInt8 0-12% faster
// (6 alternated runs, p ≤ 0.015 but for GemmInt8 at n = 2048). Staging
// alone, with the four stores together, gained nothing measurable.
// Kernel k blocks of 12 and 20 steps were then no better than 16.
//
// Tried on the same guest and not kept (benchstat, 4 alternated runs of
// GemmBF16 and GemmInt8 at n = 1024 and 2048, or of a bf16 prefill of
// 512 tokens on packed weights): PREFETCHNTA of B two steps ahead, into
// L1, was 16-18% slower; products in the order that gives each B tile
// two products' time to load instead of one, no different; in a GEMM on
// a PackedBF16, prefetching the next column panel's B into L2 during
// the current one, or a layout that puts a panel's share of each kernel
// k block in one run of memory, no different either. A GEMM of a
// prompt's 512 rows by k = 2048 runs about 10% below one with k = 1024
// (1070 against 1200 GFLOP/s, B in cache); a guess, not measured, is
// that a column panel then holds half the columns, so each k block of A
// brought into L1 serves half as many blocks.
//
// What the tiles could reach: amxStreamBF16 runs the kernels' k step alone
// (BenchmarkAMXStreamBF16). On the same guest, against DotPeakBF16's 3,124
// GFLOP/s, it ran at 2,366 (76%) in the kernels' case, a 32 KiB share of A
// in L1 and B streaming through 1 MiB of L2; at 1,981 (63%) with 128 KiB
// of each in L2, and 875 (28%) with 1 MiB of each, past what L2 holds
// (medians of 8 runs, alternated with GemmBF16 and oneDNN). GemmBF16 at
// threads 1 ran at 1,174 and 977 GFLOP/s (n = 1024 and 2048), 50% and 41%
// of the kernels' case. Taking one part out at a time (builds that give
// wrong sums, for timing only; GemmBF16 n = 1024 and 2048, threads 1,
// medians of 4 alternated runs) finds the largest share of the rest in the
// vector adds of the sums between kernel k blocks: without them, 12-17%
// faster. Storing the sums tiles straight to each block's place in acc
// instead, with no vector work at all, was 6-10% faster, before the tile
// loads of the sums and the writes of C that a working version would add
// back; leaving out the tile stores alone, 2%. Prefetching the next column
// panel's weights from only the last 4, 8 or 16 A panels of a column
// panel, in place of the prefetch of A's next k block, was no faster on a
// PackedBF16 GEMM of 512 rows and up to 20% slower.
//
// Where the rest goes, by builds that leave things out (wrong sums,
// timing only; GemmBF16 and GemmInt8 at n = 1024 and 2048, threads 1,
// random operands, medians of 5 alternated runs; on a variant of these
// kernels that reloads the sums into the tiles instead of adding them in
// the vector unit, which ran as fast as these). With B packed once, A's
// first panel reused, no C written and the sums kept in staging, the
// GEMMs ran at 2,056 and 2,114 GFLOP/s and 4,187 and 4,194 GOP/s, about
// two thirds of DotPeak, as BenchmarkAMXStreamBF16 in the kernels' case.
// Each part put back alone cost about the time its bytes take to move:
// writing C 13-19%; packing B 9-14%; the sums in acc 0-14%; the real A
// (its panels packed, then streamed from beyond L2 once per column
// panel) 6% (GemmInt8 n = 1024, A read in place, 32 slivers a panel) to
// 34% (GemmBF16 n = 2048, 8 slivers a panel); all of them 35-47%. So on
// this guest the tile loop and the memory traffic run one after the
// other: software prefetching of A's next panels (PREFETCHT0, T1 or T2,
// one a page, two panels ahead, or plain loads) gained nothing in the
// stream probe with A streamed (anew=8); mapping the packing buffers in
// huge pages (see hugeMem) did. Tried again with them and not kept: B
// panels of 5/8 or 3/4 of L2 (7-23% slower), kernel k blocks of 12 or 20
// steps (no better), and packing a k block's B for all columns in one
// pass instead of a column panel at a time (no faster).
//
// The tile loop's own ceiling: BenchmarkAMXStreamBF16 with both operands
// in L1 (a=16KiB, b=16KiB) ran at 79% of DotPeakBF16 (2,347 against 2,973
// GFLOP/s, medians of 6 runs), the kernels' case at 76% (2,265). So the
// tile loads themselves, not L2, hold the loop below the peak, and B's
// stream from L2 costs three points of it. Builds of the probe that left
// loads out (timing only, 3 runs each) ran at 95-97% of DotPeak with no
// loads and 82% with only the A tiles reloaded. That fits each reload
// waiting for the products that read the tile before it (inferred, not
// measured): with four operand tiles each read twice a step, no order of
// the products leaves a reload more than three products' time. Tried in the same sitting and
// not kept (GemmBF16 and GemmInt8 at n = 1024 and 2048, threads 1,
// medians of 4-6 alternated runs): packing A again in every column panel,
// the kernel filling two panel slots in turn, so that packed A stays in
// L2 instead of streaming back from beyond it, 14% slower at GemmBF16 n =
// 2048 (A's 32 strided row streams come in slower than packed panels) and
// no better elsewhere; no prefetch of A's next k block, 6% slower there;
// C written with ordinary stores instead of non-temporal ones, 13%
// slower there; neither made a difference elsewhere. Nor did a PREFETCHT0
// two lines ahead of each piece the kernel copies of the next A panel,
// or, where A is read in place, prefetching the next panel's rows during
// the current one instead of leaving them to the next call's first tile
// loads (GemmBF16 and GemmInt8 n = 1024, 6 alternated runs).
//
// Why the traffic does not hide (BenchmarkAMXStreamSide: the kernels'
// case with 64-byte lines of a 64 MiB region moved each k step; medians
// of 5 runs): the k step took 30.7 ns alone. 256 bytes a step of loads,
// which took 15.7 ns a step without the tiles, made it 48.6 ns: not
// overlapped at all. As many non-temporal stores (11.3 ns alone) made it
// 34.2, two thirds hidden, but 512 bytes (22.3 ns alone) 47.8, a quarter
// hidden; PREFETCHT0 of 256 and 512 bytes, 32.6 and 36.0. So packing,
// which loads, costs its whole transfer time whether or not tile work
// runs beside it, and C's stores cost the less the thinner they are
// spread.
func amxBlocking(g amxGemm) *amxGemm {
	g.kc = 4096 / g.es
	g.steps = 16
	g.bBytes = 1 << 20
	if _, l2 := cacheSizes(); l2 > 0 {
		g.bBytes = l2 / 2
	}
	g.direct = true
	return &g
}

// amxSliverPad pads the packed B slivers, so that they do not start a
// multiple of 4 KiB apart: the packers write a row of every sliver in
// turn, and slivers 4 KiB apart would put all those rows in two L1 sets.
const amxSliverPad = 128

// amxEdgePad pads the rows of the edge strip (floats), so that they are
// not a multiple of 4 KiB apart.
const amxEdgePad = 16

// amxBuf is one goroutine's packing space: A, B and the sums between the
// kernel's k blocks (acc) as bytes, the edge strip as 32-bit words
// (float32 or int32 bits).
type amxBuf struct {
	a, b *hugeMem // the packed A panels and B panel (hugeGrow)
	acc  []byte
	edge []uint32
}

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
	amxRun(amxBF16, packBAMXBF16, i0, i1, 0, n, n, k, a, lda, b, ldb, c, ldc, nil)
}

func gemmBF16AMXCols(i0, i1, j0, j1, n, k int, a []BF16, lda int, b []BF16, ldb int, c []float32, ldc int) {
	amxRun(amxBF16, packBAMXBF16, i0, i1, j0, j1, n, k, a, lda, b, ldb, c, ldc, nil)
}

// gemmBF16AMXPacked is gemmBF16AMXCols on a B that packAllBF16AMX laid
// out: the same kernel calls on the same tiles, so the same bits.
func gemmBF16AMXPacked(i0, i1, j0, j1, n, k int, a []BF16, lda int, b []byte, c []float32, ldc int) {
	amxRun(amxBF16, packBAMXBF16, i0, i1, j0, j1, n, k, a, lda, nil, 0, c, ldc, b)
}

// packAllBF16AMX lays all of B (k×n, stride ldb) out as amxRun packs a
// column panel, for every column and k block at once: k block after k
// block (g.kc of k, the last one shorter), and in each, the ceil(n/32)
// slivers side by side, amxSliverBytes(steps) apart. The slivers of a
// panel then follow each other as in amxRun's own packing, and the
// kernel reads them in place. The layout is in huge pages where Linux
// gives them (see hugeMem), which the returned owner keeps mapped.
func packAllBF16AMX(k, n int, b []BF16, ldb int) ([]byte, any) {
	g := amxBF16
	ks := amxStep / g.es
	slivers := (n + amxNR - 1) / amxNR
	size := 0
	for pc := 0; pc < k; pc += g.kc {
		size += slivers * amxSliverBytes((min(g.kc, k-pc)+ks-1)/ks)
	}
	var mem *hugeMem
	out := hugeGrow(&mem, size)
	off := 0
	for pc := 0; pc < k; pc += g.kc {
		steps := (min(g.kc, k-pc) + ks - 1) / ks
		sliver := amxSliverBytes(steps)
		packBAMXBF16(out[off:off+slivers*sliver], b, ldb, pc, min(pc+g.kc, k), 0, n, sliver, steps)
		off += slivers * sliver
	}
	return out, mem
}

// amxSliverBytes is the bytes of a packed B sliver of steps tile steps.
func amxSliverBytes(steps int) int { return steps*16*128 + amxSliverPad }

// alignedBytes returns n zero bytes starting on a 64-byte boundary, so
// that a tile row is one cache line.
func alignedBytes(n int) []byte {
	raw := make([]byte, n+64)
	off := int((64 - uintptr(unsafe.Pointer(&raw[0]))%64) % 64)
	return raw[off : off+n : off+n]
}

// gemmInt8AMX runs TDPBSSD, signed bytes by signed bytes: unlike
// VPDPBUSD it needs no +128 offset on A, so A is copied as it is and B
// needs no column sums. Its int32 sums wrap modulo 2³² as the other
// tiers' do (TDPBSSD does not saturate).
func gemmInt8AMX(i0, i1, n, k int, a []int8, lda int, b []int8, ldb int, c []int32, ldc int) {
	amxRun(amxInt8, packBAMXInt8, i0, i1, 0, n, n, k, a, lda, b, ldb, c, ldc, nil)
}

func gemmInt8AMXCols(i0, i1, j0, j1, n, k int, a []int8, lda int, b []int8, ldb int, c []int32, ldc int) {
	amxRun(amxInt8, packBAMXInt8, i0, i1, j0, j1, n, k, a, lda, b, ldb, c, ldc, nil)
}

// amxRun computes rows [i0, i1), columns [j0, j1) of C = A·B (the
// lowpTier.gemmCols contract, B k×n) with g. Out is float32 or int32, 4
// bytes either way. B is either b, packed panel by panel with packB, or,
// when pre is not nil, already laid out in pre as packAllBF16AMX lays it,
// and read in place.
func amxRun[In, Out any](g *amxGemm, packB amxPackB[In], i0, i1, j0, j1, n, k int, a []In, lda int, b []In, ldb int, c []Out, ldc int, pre []byte) {
	if k == 0 {
		clearRows(c[j0:], ldc, i0, i1, j1-j0)
		return
	}
	es := g.es
	ks := amxStep / es // k a tile step
	w := amxBufs.get()
	defer amxBufs.put(w)
	stepsMax := min(g.kc, roundUp(k, ks)) / ks
	nc := g.nc
	if nc == 0 {
		nc = max(amxNR, g.bBytes/(stepsMax*amxStep)/amxNR*amxNR)
	}
	nc = min(nc, roundUp(j1-j0, amxNR))
	panels := (i1 - i0 + amxMR - 1) / amxMR
	ldE := nc + amxEdgePad
	// w keeps wa's and wb's memory mapped until the deferred put.
	wa := hugeGrow(&w.a, panels*stepsMax*amxPanelStep)
	var wb []byte
	if pre == nil {
		wb = hugeGrow(&w.b, nc/amxNR*amxSliverBytes(stepsMax))
	}
	preOff := 0 // the k block's start in pre
	w.edge = lowpGrow(w.edge, amxMR*ldE)
	w.acc = lowpGrow(w.acc, (nc/amxNR+1)*amxMR*amxNR*4)
	edge := unsafe.Slice((*Out)(unsafe.Pointer(unsafe.SliceData(w.edge))), len(w.edge))
	aBytes := asBytes(a)
	// Non-temporal stores to C where its rows are 64-byte aligned.
	nt := 0
	if uintptr(unsafe.Pointer(unsafe.SliceData(c)))%64 == 0 && ldc%16 == 0 {
		nt = 1
	}
	for pc := 0; pc < k; pc += g.kc {
		kc := min(g.kc, k-pc)
		steps := (kc + ks - 1) / ks
		sliver := amxSliverBytes(steps)
		panel := steps * amxPanelStep
		load := 0
		if pc > 0 {
			load = 1
		}
		// A is read in place, not packed, when the k block is whole steps,
		// one column panel takes all of B (so that A is read once: packing
		// it would be all overhead) and A's rows fall on L1 as evenly as
		// the packed ones: 1024 bytes more than a multiple of 2048 apart,
		// a 32-row panel's 16-step k block takes 8 lines of each of the
		// 64 sets of a 48 KiB, 12-way L1, where rows 2048 bytes apart
		// would put 16 lines in each of 32 sets and evict each other
		// (GemmInt8 n = 1024, rows of 1 KiB: 2.71 against 2.50 TOP/s
		// packed, medians of 8 alternated runs in thread CPU time on the
		// Sapphire Rapids guest, each ±15%). A last panel of fewer than
		// 32 rows is packed all the same.
		direct := g.direct && kc%ks == 0 && nc >= j1-j0 && lda*es%2048 == 1024
		// Otherwise panel 0 is packed here, and so is any panel the
		// kernel does not pack while it runs the panel before: in the
		// first column panel, each kernel call also copies the whole
		// steps of the next panel's 32 rows into place, vector moves
		// between the tile products (the partial step and the rows past
		// i1 are written here first).
		packed := 0
		for jc := j0; jc < j1; jc += nc {
			cols := min(nc, j1-jc)
			bp := wb
			if pre != nil {
				bp = pre[preOff+jc/amxNR*sliver:]
			} else {
				packB(bp, b, ldb, pc, pc+kc, jc, cols, sliver, steps)
			}
			full := cols / amxNR
			for p := range panels {
				ir := i0 + p*amxMR
				r := min(amxMR, i1-ir)
				ap, arow, astep := &wa[p*panel], amxStep, amxPanelStep
				if direct && r == amxMR {
					// The bounds the kernel reads.
					_ = aBytes[((ir+amxMR-1)*lda+pc+kc)*es-1]
					ap, arow, astep = &aBytes[(ir*lda+pc)*es], lda*es, amxStep
				} else if p >= packed {
					amxPackPanel(wa[p*panel:(p+1)*panel], a, lda, ir, r, pc, kc, es, false)
					packed = p + 1
				}
				off := ir*ldc + jc
				start := 0
				if r == amxMR && full > 0 {
					// The next panel, if the kernel packs it.
					next, nextDst, nextSteps := &wa[0], &wa[0], 0
					if q := p + 1; !direct && q == packed && q < panels && i1-i0-q*amxMR >= amxMR && kc >= ks {
						nir := i0 + q*amxMR
						nextSteps = kc / ks
						d := wa[q*panel : (q+1)*panel]
						amxPackPanel(d, a, lda, nir, amxMR, pc, kc, es, true)
						// The bounds the kernel reads.
						_ = aBytes[((nir+amxMR-1)*lda+pc+nextSteps*ks)*es-1]
						next, nextDst = &aBytes[(nir*lda+pc)*es], &d[0]
						packed = q + 1
					}
					// The bounds the kernel touches.
					_ = c[off+(amxMR-1)*ldc+full*amxNR-1]
					g.kernel(&amxConfig, ap, &bp[0], sliver, unsafe.Pointer(&c[off]), ldc*4, &w.acc[0], steps, g.steps, full, load, nt, next, lda*es, nextDst, nextSteps, arow, astep)
					start = full * amxNR
				}
				if start == cols {
					continue
				}
				// The edge: the strip's last columns, or all of a strip
				// of fewer than 32 rows, computed in the edge strip (the
				// same kernel, so they round as they would inside C).
				cn := cols - start
				if load != 0 {
					for i := range r {
						copy(edge[i*ldE:i*ldE+cn], c[off+i*ldc+start:])
					}
				}
				g.kernel(&amxConfig, ap, &bp[start/amxNR*sliver], sliver, unsafe.Pointer(&edge[0]), ldE*4, &w.acc[0], steps, g.steps, (cn+amxNR-1)/amxNR, load, 0, ap, 0, ap, 0, arow, astep)
				for i := range r {
					copy(c[off+i*ldc+start:off+i*ldc+cols], edge[i*ldE:])
				}
			}
		}
		preOff += (n + amxNR - 1) / amxNR * sliver
	}
}

// amxPanelStep is the bytes of a packed A panel's tile step: 32 rows of
// 64 bytes, A0 (rows 0-15) then A1.
const amxPanelStep = amxMR * amxStep

// amxPackPanel packs rows [ir, ir+r) and columns [pc, pc+kc) of A, es
// bytes an element, into dst as the kernels read a panel: step s of row i
// at amxPanelStep·s + 64·i, zero past kc and past r rows. With tailOnly
// it writes all but the whole steps of the r rows, which the kernel
// copies.
func amxPackPanel[In any](dst []byte, a []In, lda, ir, r, pc, kc, es int, tailOnly bool) {
	ks := amxStep / es
	whole, tail := kc/ks, kc%ks
	steps := len(dst) / amxPanelStep
	aBytes := asBytes(a)
	if whole > 0 && !tailOnly {
		// The bounds the assembly reads.
		_ = aBytes[((ir+r-1)*lda+pc+whole*ks)*es-1]
		amxPackA(&dst[0], &aBytes[(ir*lda+pc)*es], lda*es, r, whole)
	}
	if tail > 0 {
		for i := range r {
			o := (ir+i)*lda + pc + whole*ks
			d := dst[whole*amxPanelStep+i*amxStep : whole*amxPanelStep+(i+1)*amxStep]
			clear(d[copy(d, asBytes(a[o:o+tail])):])
		}
	}
	for i := r; i < amxMR; i++ {
		for s := range steps {
			clear(dst[s*amxPanelStep+i*amxStep : s*amxPanelStep+(i+1)*amxStep])
		}
	}
}

// packBAMXBF16 packs B[p0:p1, jc:jc+cols] into 32-column slivers of bf16
// pairs (sliver bytes, steps·16 pair rows each): in pair row q, column
// c, the words B[p0+2q][jc+32s+c] and B[p0+2q+1][...] of sliver s, zero
// past p1 and past cols. Whole pairs of whole slivers are packed in
// assembly, the rest by packAMXRest.
func packBAMXBF16(dst []byte, b []BF16, ldb, p0, p1, jc, cols, sliver, steps int) {
	bb := asBytes(b)
	pairs, full := (p1-p0)/2, cols/amxNR
	if pairs > 0 && full > 0 {
		// The bounds the assembly reads and writes.
		_, _ = bb[((p0+2*pairs-1)*ldb+jc+full*amxNR)*2-1], dst[(full-1)*sliver+pairs*128-1]
		amxPackBPairs(&dst[0], &bb[(p0*ldb+jc)*2], ldb*2, pairs, full, sliver)
	}
	packAMXRest(dst, bb, 2, ldb, p0, p1, jc, cols, sliver, steps, pairs)
}

// packBAMXInt8 packs B[p0:p1, jc:jc+cols] into 32-column slivers of int8
// quads (sliver bytes, steps·16 quad rows each): in quad row q, column c,
// the bytes B[p0+4q..p0+4q+3][jc+32s+c] of sliver s, zero past p1 and
// past cols. Whole quads of whole slivers are packed in assembly, the
// rest by packAMXRest.
func packBAMXInt8(dst []byte, b []int8, ldb, p0, p1, jc, cols, sliver, steps int) {
	bb := asBytes(b)
	quads, full := (p1-p0)/4, cols/amxNR
	if quads > 0 && full > 0 {
		// The bounds the assembly reads and writes.
		_, _ = bb[(p0+4*quads-1)*ldb+jc+full*amxNR-1], dst[(full-1)*sliver+quads*128-1]
		amxPackBQuads(&dst[0], &bb[p0*ldb+jc], ldb, quads, full, sliver)
	}
	packAMXRest(dst, bb, 1, ldb, p0, p1, jc, cols, sliver, steps, quads)
}

// packAMXRest packs what the assembly packers leave of B[p0:p1,
// jc:jc+cols] (bb, es bytes an element, rows ldb elements apart): every
// row of the last, partial sliver, and the rows of the whole slivers from
// group row done on. A group row holds, for each of the 32 columns, the
// 4/es elements down k as 4 bytes, elements past p1 or past cols zero;
// the rows past p1 are zero through steps·16.
func packAMXRest(dst, bb []byte, es, ldb, p0, p1, jc, cols, sliver, steps, done int) {
	g := 4 / es // elements of k a group
	full := cols / amxNR
	for s := 0; s*amxNR < cols; s++ {
		d := dst[s*sliver : (s+1)*sliver]
		j0, cn := jc+s*amxNR, min(amxNR, cols-s*amxNR)
		q := 0
		if s < full {
			q = done
		}
		for ; q < steps*16; q++ {
			row := d[q*128 : (q+1)*128]
			clear(row)
			for u := range g {
				p := p0 + g*q + u
				if p >= p1 {
					break
				}
				for c := range cn {
					o := (p*ldb + j0 + c) * es
					copy(row[4*c+u*es:4*c+(u+1)*es], bb[o:o+es])
				}
			}
		}
	}
}

//go:build gc && !purego && !noasm

package kernels

import "github.com/ppbench/ppbench/internal/isa"

// The arm64 reduced-precision tiers, narrowest first. Each needs the set
// its instructions belong to: I8MM builds on DOTPROD, so a chip with
// SMMLA lists all three int8 tiers and times the last.
var (
	int8Table = []simdLowp[int8, int32]{
		{needs: isa.NEON, t: lowpTier[int8, int32]{
			mr: smlalTile.mr, gemm: smlalTile.gemm,
			dotLoop: dotLoopSMLAL, dotOpsPerIter: dotSMLALOpsPerIter,
		}},
		{needs: isa.DOTPROD, t: lowpTier[int8, int32]{
			mr: sdotTile.mr, gemm: sdotTile.gemm,
			dotLoop: dotLoopSDOT, dotOpsPerIter: dotSDOTOpsPerIter,
		}},
		{needs: isa.I8MM, t: lowpTier[int8, int32]{
			mr: smmlaTile.mr, gemm: smmlaTile.gemm,
			dotLoop: dotLoopSMMLA, dotOpsPerIter: dotSMMLAOpsPerIter,
		}},
	}
	bf16Table = []simdLowp[BF16, float32]{
		{needs: isa.Widened(isa.NEON), t: lowpTier[BF16, float32]{
			mr: fp32BF16Tile.mr, gemm: fp32BF16Tile.gemm,
			dotLoop: dotLoopFP32NEON, dotOpsPerIter: fmaFlopsPerIterNEON,
		}},
		{needs: isa.BF16, t: lowpTier[BF16, float32]{
			mr: bfmmlaTile.mr, gemm: bfmmlaTile.gemm,
			dotLoop: dotLoopBFMMLA, dotOpsPerIter: dotBFMMLAOpsPerIter,
		}},
	}
)

// A lowpTile is the GEMM of one arm64 reduced-precision tier: packing
// into the layout its instruction reads, blocking, and a 12×8 register
// tile in assembly. In is the input type, P the packed one (int8 widened
// to int16 for SMLAL, bf16 widened to float32 for FMLA, else In) and Out
// that of C.
//
// Every tile reads A as mr-row slivers and B as nr-column slivers with
// the same layout, k in groups of kg (1 for the by-element SMLAL and FMLA,
// 4 for SDOT and BFMMLA, 8 for SMMLA):
//
//	A: element (i, p) at (p/kg)·mr·kg + i·kg + p%kg
//	B: element (p, j) at (p/kg)·nr·kg + j·kg + p%kg
//
// that is, for each k group, each row (column) holds its kg values
// together. For SDOT a 16-byte register is then 4 rows (columns) of one
// 4-byte group; for SMMLA it is a row (column) pair of 8 bytes each, the
// 2×8 operand SMMLA takes, and for BFMMLA a pair of 4 bf16 each. A k
// block that is not a multiple of kg is padded with zeros, which add
// nothing to the sums, exactly, in either type.
//
// Blocking: for each nc-column panel and kc-deep block of k, B's panel is
// packed once per call (per goroutine), then each 12-row sliver of A is
// packed and run against every B sliver of the panel, so that the B
// sliver (nr·kc values) and the A sliver stay in L1 and the panel in L2.
// A later k block adds to C: the SMLAL, SDOT and MMLA tiles start their
// accumulators from it, so that each element of C is one chain of
// accumulations in increasing k whatever the blocking; the FMLA tile adds
// each block's sum with one rounding. A tile at the edge runs on a
// full-size copy, so that the result does not depend on the thread split.
type lowpTile[In, P, Out any] struct {
	mr, nr, kg, kc, nc int
	// packA packs rows (<= mr) rows of kc values, lda apart, as one sliver
	// of roundUp(kc, kg) k, zero-padding the rows past rows.
	packA func(dst []P, a []In, lda, rows, kc int)
	// packB packs rows p0 to kc of cols (<= nr) columns, ldb apart, into
	// one sliver, zero-padding the columns past cols and the k past kc.
	packB func(dst []P, b []In, ldb, p0, kc, cols int)
	// blockB packs bStep rows (a multiple of kg) of a full sliver, to
	// dst at the first of them: the word-wide fast path of packB.
	blockB func(dst []P, b []In, ldb int)
	bStep  int
	// tile computes the mr×nr tile from slivers of kq (a multiple of kg)
	// packed k into c (row stride ldc), adding to what c holds when acc
	// is set and ignoring it otherwise.
	tile func(kq int, a, b []P, c []Out, ldc int, acc bool)
	bufs *freeList[lowpBuf[P, Out]]
}

// gemm is lowpTier.gemm: rows [i0, i1) of C = A·B.
func (t *lowpTile[In, P, Out]) gemm(i0, i1, n, k int, a []In, lda int, b []In, ldb int, c []Out, ldc int) {
	if i0 >= i1 || n == 0 {
		return
	}
	if k == 0 {
		clearRows(c, ldc, i0, i1, n)
		return
	}
	mr, nr := t.mr, t.nr
	kqMax := roundUp(min(t.kc, k), t.kg)
	w := t.bufs.get()
	defer t.bufs.put(w)
	w.a = lowpGrow(w.a, mr*kqMax)
	w.b = lowpGrow(w.b, kqMax*roundUp(min(t.nc, n), nr))
	w.edge = lowpGrow(w.edge, mr*nr)
	for jc := 0; jc < n; jc += t.nc {
		nc := min(t.nc, n-jc)
		for pc := 0; pc < k; pc += t.kc {
			kc := min(t.kc, k-pc)
			kq := roundUp(kc, t.kg)
			acc := pc > 0
			t.packPanel(w.b, b[pc*ldb+jc:], ldb, kc, nc)
			ap := w.a[:mr*kq]
			for ir := i0; ir < i1; ir += mr {
				rows := min(mr, i1-ir)
				t.packA(ap, a[ir*lda+pc:], lda, rows, kc)
				for jr := 0; jr < nc; jr += nr {
					cols := min(nr, nc-jr)
					bp := w.b[jr*kq : (jr+nr)*kq]
					off := ir*ldc + jc + jr
					if rows == mr && cols == nr {
						t.tile(kq, ap, bp, c[off:], ldc, acc)
						continue
					}
					e := w.edge
					if acc {
						for i := range rows {
							copy(e[i*nr:i*nr+cols], c[off+i*ldc:])
						}
					}
					t.tile(kq, ap, bp, e, nr, acc)
					for i := range rows {
						copy(c[off+i*ldc:off+i*ldc+cols], e[i*nr:])
					}
				}
			}
		}
	}
}

// packPanel packs kc rows of nc columns of B into nr-column slivers,
// roundUp(kc, kg)·nr values each. It takes bStep rows at a time across
// all full slivers, as packBRows does for SGEMM: sliver by sliver, each
// sliver would walk kc rows of B, a cache line each, and the next sliver
// walk them again after they left L1. The rows left over and a last
// partial sliver go through packB.
func (t *lowpTile[In, P, Out]) packPanel(dst []P, b []In, ldb, kc, nc int) {
	nr, kq := t.nr, roundUp(kc, t.kg)
	full := nc - nc%nr
	p := 0
	for ; p+t.bStep <= kc; p += t.bStep {
		for jr := 0; jr < full; jr += nr {
			t.blockB(dst[jr*kq+p*nr:], b[p*ldb+jr:], ldb)
		}
	}
	for jr := 0; jr < full; jr += nr {
		t.packB(dst[jr*kq:(jr+nr)*kq], b[jr:], ldb, p, kc, nr)
	}
	if full < nc {
		t.packB(dst[full*kq:(full+nr)*kq], b[full:], ldb, 0, kc, nc-full)
	}
}

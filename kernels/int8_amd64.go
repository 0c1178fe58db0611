//go:build gc && !purego && !noasm

package kernels

import (
	"unsafe"

	"github.com/ppbench/ppbench/internal/isa"
)

// int8Table lists the amd64 int8 tiers, narrowest first.
//
// There is no avxvnni tier: the Zen 4 hosts this code is measured on have
// AVX512-VNNI but not AVX-VNNI, so such a tier could be neither run nor
// tested. It would be the vnni tile on YMM registers, 6x16 in 12
// accumulators as the avx2 tile, with the same packing (A+128, B header)
// on 16-column slivers. Its VPDPBUSD must be the VEX form
// (VEX.256.66.0F38.W0 50 /r), written with BYTEs: Go's assembler encodes
// VPDPBUSD on YMM as EVEX, which a chip without AVX-512 cannot decode.
var int8Table = int8TableFor(amxUsable())

// int8TableFor returns the amd64 int8 tiers, with the amx tier last when
// amxOK (AMXStatus: the OS grants the tile state), so that tests can
// build the list of a host that refuses it.
func int8TableFor(amxOK bool) []simdLowp[int8, int32] {
	if amxOK {
		return append(int8TableVector[:len(int8TableVector):len(int8TableVector)], amxInt8Tier)
	}
	return int8TableVector
}

// int8TableVector lists the vector tiers.
var int8TableVector = []simdLowp[int8, int32]{
	{needs: isa.AVX2, t: lowpTier[int8, int32]{
		mr: 6, gemm: avx2Int8.gemm,
		dotLoop: dotLoopInt8AVX2, dotOpsPerIter: 12 * 16 * 2,
	}},
	{needs: isa.AVX512VNNI, t: lowpTier[int8, int32]{
		mr: 12, gemm: vnniInt8.gemm,
		dotLoop: dotLoopInt8VNNI, dotOpsPerIter: 12 * 64 * 2,
	}},
}

// The register tiles and peak loops, in int8_amd64.s. A tile computes the
// mr×nr block of C from groups packed k groups of an A sliver and a B
// sliver (see int8Kernel) and stores it to c with row stride ldc (in
// elements); with add != 0 it adds to what c holds instead.

//go:noescape
func int8Tile12x32VNNI(groups int, a, b *byte, c *int32, ldc, add int)

//go:noescape
func int8Tile6x16AVX2(groups int, a, b *byte, c *int32, ldc, add int)

// The packers of whole blocks, in int8_amd64.s (see pack_int8_amd64.go).

//go:noescape
func packA12x64VNNI(dst, a *byte, lda, blocks int)

//go:noescape
func packB64VNNI(dst, b *byte, ldb, groups, sliver int)

//go:noescape
func packB16PairsAVX2(dst, b *byte, ldb, pairs, slivers, sliver int)

func dotLoopInt8VNNI(iters int) int64
func dotLoopInt8AVX2(iters int) int64

// An int8Kernel is one int8 register tile and the cache blocking around
// it. GemmInt8 computes every element of C exactly, so unlike Sgemm the
// order of the sums is free: only speed depends on the blocking.
//
// A and B are packed k-major in groups of kg consecutive k values, each
// value elem bytes: the vnni tile takes kg=4 bytes, which VPDPBUSD
// multiplies and adds into one int32 lane, and the avx2 tile kg=2 int16s,
// which VPMADDWD does. An A sliver holds, for each group, the kg values of
// each of its mr rows in turn (mr·kg·elem bytes a group); a B sliver holds
// bHead bytes of per-column header, then for each group the kg values of
// each of its nr columns in turn. k is padded to a multiple of kg with
// zeros, and the last sliver of each to mr rows or nr columns; the tile
// computes those too, but only the valid part of C is stored.
type int8Kernel struct {
	mr, nr   int
	kg, elem int
	bHead    int
	// kc, mc and nc block k, m and n: see newInt8Kernel.
	kc, mc, nc int
	// packA packs rows ≤ mr rows of kc values, row i at a[i*lda:], into
	// the A sliver dst, padding it to mr rows.
	packA func(dst []byte, a []int8, lda, rows, kc int)
	// packB packs nc columns of kc rows of B, row p at b[p*ldb:], into
	// the B slivers at dst, sliver bytes apart, padding the last to nr
	// columns.
	packB func(dst []byte, b []int8, ldb, kc, nc, sliver int)
	tile  func(groups int, a, b *byte, c *int32, ldc, add int)
}

// The tiers' kernels; see int8_amd64.s for the tiles.
//
// vnni: a 12×32 tile, C in 24 ZMM accumulators. Each k group loads two
// vectors of B (32 columns × 4 bytes) and broadcasts 12 dwords of A, for
// 24 VPDPBUSD: on Zen 4, one 512-bit VPDPBUSD a cycle, 24 cycles for 14
// loads. 24 accumulators hide VPDPBUSD's latency many times over; a
// wider tile (8×48, 6×64) would load less per VPDPBUSD, but loads are not
// what limits this one, and a taller one wastes more rows at the edges.
//
// VPDPBUSD multiplies unsigned bytes of its first source by signed bytes
// of its second, so A is packed as A+128 (A xor 0x80) and each B sliver
// carries in its header -128·Σ_p B[p][j] for its columns, the k block's
// excess: A'·B = A·B + 128·Σ_p B[p][j]. The tile starts its accumulators
// from that header, so the correction costs nothing in the loop. Every
// sum is taken modulo 2³², as VPDPBUSD (not VPDPBUSDS, which saturates)
// and VPADDD add, so the result is exact whenever the true one fits in
// int32, and wraps as the portable tier's int32 sums do when it does not.
//
// avx2: a 6×16 tile, C in 12 YMM accumulators. A and B are packed
// sign-extended to int16 in pairs of k, so that VPMADDWD multiplies two
// pairs and adds them into an int32 lane exactly ((-128)²·2 < 2³¹), and
// VPADDD accumulates. VPMADDUBSW would save the widening but saturates its
// int16 pair sums (255·127·2 > 2¹⁵), which would make the result wrong.
var (
	vnniInt8 = newInt8Kernel(int8Kernel{
		mr: 12, nr: 32, kg: 4, elem: 1, bHead: 32 * 4,
		packA: packAInt8VNNI, packB: packBPanelVNNI, tile: int8Tile12x32VNNI,
	})
	avx2Int8 = newInt8Kernel(int8Kernel{
		mr: 6, nr: 16, kg: 2, elem: 2,
		packA: packAInt16Pairs, packB: packBPanelInt16Pairs, tile: int8Tile6x16AVX2,
	})
)

// newInt8Kernel sets the blocking of t. A k block is 1 KiB of packed k
// per row or column: kc=1024 for the vnni tile, 512 for the avx2 one. At
// that length the vnni tile does 6144 cycles of VPDPBUSD for each C
// update (load, add and store of 1.5 KiB); its A sliver (12 KiB) and B
// sliver (32 KiB) both stream from L2 at 7 bytes a cycle, a fraction of
// what L2 gives L1. A kc×nc panel of B takes half of L2 (1 MiB on Zen 4:
// nc = 512), where it stays while every A sliver of the row block passes
// by; mc, the rows of A packed at once, is large (4 MiB of them), so that
// each k block of A and B is packed once per call for any matrix of up to
// 4096 rows. On Zen 4 kc=256 was 5-8% slower than this at n=1024-2048,
// kc=512 2-3%, and kc=2048 or any nc from 256 to 2048 within 1%.
func newInt8Kernel(t int8Kernel) *int8Kernel {
	t.kc = 1024 / t.elem
	t.nc = 512
	_, l2 := cacheSizes()
	if l2 > 0 {
		t.nc = max(t.nr, l2/2/(t.kc*t.elem)/t.nr*t.nr)
	}
	t.mc = max(t.mr, (4<<20)/(t.kc*t.elem)/t.mr*t.mr)
	return &t
}

// groupsOf returns the k groups of a kc-value k block.
func (t *int8Kernel) groupsOf(kc int) int { return (kc + t.kg - 1) / t.kg }

// aSliver and bSliver return the bytes of a packed sliver of groups k
// groups.
func (t *int8Kernel) aSliver(groups int) int { return groups * t.kg * t.mr * t.elem }
func (t *int8Kernel) bSliver(groups int) int { return t.bHead + groups*t.kg*t.nr*t.elem }

// int8Buf is one goroutine's packing space, reused across calls: packed
// slivers as bytes.
type int8Buf = lowpBuf[byte, int32]

var int8Bufs freeList[int8Buf]

// gemm computes rows [i0, i1) of C = A·B (the lowpTier.gemm contract).
func (t *int8Kernel) gemm(i0, i1, n, k int, a []int8, lda int, b []int8, ldb int, c []int32, ldc int) {
	if k == 0 {
		clearRows(c, ldc, i0, i1, n)
		return
	}
	mr, nr := t.mr, t.nr
	rows := i1 - i0
	w := int8Bufs.get()
	defer int8Bufs.put(w)
	maxGroups := t.groupsOf(min(t.kc, k))
	mcMax := min(t.mc, roundUp(rows, mr))
	ncMax := min(t.nc, roundUp(n, nr))
	w.a = lowpGrow(w.a, mcMax/mr*t.aSliver(maxGroups))
	w.b = lowpGrow(w.b, ncMax/nr*t.bSliver(maxGroups))
	w.edge = lowpGrow(w.edge, mr*nr)
	for pc := 0; pc < k; pc += t.kc {
		kc := min(t.kc, k-pc)
		groups := t.groupsOf(kc)
		as, bs := t.aSliver(groups), t.bSliver(groups)
		add := 0
		if pc > 0 {
			add = 1
		}
		for ic := i0; ic < i1; ic += t.mc {
			mc := min(t.mc, i1-ic)
			for ir := 0; ir < mc; ir += mr {
				t.packA(w.a[ir/mr*as:(ir/mr+1)*as], a[(ic+ir)*lda+pc:], lda, min(mr, mc-ir), kc)
			}
			for jc := 0; jc < n; jc += t.nc {
				nc := min(t.nc, n-jc)
				t.packB(w.b[:roundUp(nc, nr)/nr*bs], b[pc*ldb+jc:], ldb, kc, nc, bs)
				// Each A sliver stays in L1 while the B slivers of the
				// panel stream past it from L2.
				for ir := 0; ir < mc; ir += mr {
					ap := w.a[ir/mr*as : (ir/mr+1)*as]
					rows := min(mr, mc-ir)
					for jr := 0; jr < nc; jr += nr {
						bp := w.b[jr/nr*bs : (jr/nr+1)*bs]
						cols := min(nr, nc-jr)
						off := (ic+ir)*ldc + jc + jr
						if rows == mr && cols == nr {
							_ = c[off+(mr-1)*ldc+nr-1]
							t.tile(groups, unsafe.SliceData(ap), unsafe.SliceData(bp), &c[off], ldc, add)
							continue
						}
						// An edge tile runs on a full-size copy.
						e := w.edge
						if add != 0 {
							for i := range rows {
								copy(e[i*nr:i*nr+cols], c[off+i*ldc:])
							}
						}
						t.tile(groups, unsafe.SliceData(ap), unsafe.SliceData(bp), &e[0], nr, add)
						for i := range rows {
							copy(c[off+i*ldc:off+i*ldc+cols], e[i*nr:])
						}
					}
				}
			}
		}
	}
}

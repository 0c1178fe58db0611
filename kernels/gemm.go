package kernels

import (
	"fmt"
	"runtime"
	"sync"
)

// Transpose says whether a matrix operand is used as stored or transposed.
type Transpose bool

const (
	NoTrans Transpose = false
	Trans   Transpose = true
)

// stored returns the shape, rows then columns, in which a matrix is
// stored when op of it is rows×cols.
func (t Transpose) stored(rows, cols int) (int, int) {
	if t {
		return cols, rows
	}
	return rows, cols
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C in single precision, where
// op(X) is X or its transpose as tA and tB say. All matrices are row-major:
// op(A) is m×k, op(B) is k×n and C is m×n; lda, ldb and ldc are the strides
// between rows as stored (for tA == Trans, A is stored k×m and lda >= m).
//
// When beta is zero C is not read, so it may hold NaN or garbage, as in
// reference BLAS. threads <= 1 runs on the calling goroutine; more split C
// into column (or row) bands, one goroutine each.
//
// The result does not depend on threads: every element of C is the same
// sequence of operations, its dot product taken in increasing k, whatever
// the split, so any thread count gives bitwise identical results within one
// tier. SgemmFLOPs counts its work.
//
// In steady state Sgemm allocates nothing: its packing buffers are reused.
func (t Tier) Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, threads int) {
	gt := t.get().gemm
	checkGemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	g := gemmArgs{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc}
	if threads <= 1 {
		g.run(gt, 0, m, 0, n)
		return
	}
	g.parallel(gt, threads)
}

// SgemmFLOPs returns the floating-point operations Sgemm does for an m×n
// result of inner dimension k, counting a multiply-add as two: 2·m·n·k, the
// count BLAS benchmarks quote. The beta·C update is not counted.
func SgemmFLOPs(m, n, k int) float64 { return 2 * float64(m) * float64(n) * float64(k) }

// parallel splits C over goroutines. g is a copy so that only the
// multi-threaded path moves it to the heap.
func (g gemmArgs) parallel(t *gemmTier, threads int) {
	// Split the larger dimension into bands aligned to the register tile,
	// so that no tile straddles two goroutines and each band is long
	// enough to amortise its own packing.
	var wg sync.WaitGroup
	if g.n >= g.m {
		for _, r := range split(g.n, t.nr, threads) {
			wg.Add(1)
			go func(j0, j1 int) {
				defer wg.Done()
				g.run(t, 0, g.m, j0, j1)
			}(r[0], r[1])
		}
	} else {
		for _, r := range split(g.m, t.mr, threads) {
			wg.Add(1)
			go func(i0, i1 int) {
				defer wg.Done()
				g.run(t, i0, i1, 0, g.n)
			}(r[0], r[1])
		}
	}
	wg.Wait()
}

// split cuts [0, n) into at most parts ranges whose boundaries are
// multiples of align (except the last end, n). It never returns empty ranges.
func split(n, align, parts int) [][2]int {
	blocks := (n + align - 1) / align
	if parts > blocks {
		parts = blocks
	}
	out := make([][2]int, 0, parts)
	start := 0
	for p := 0; p < parts; p++ {
		end := (blocks * (p + 1) / parts) * align
		if end > n {
			end = n
		}
		if end > start {
			out = append(out, [2]int{start, end})
		}
		start = end
	}
	return out
}

func checkGemm(tA, tB Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	switch {
	case m < 0:
		panic(fmt.Sprintf("kernels: Sgemm: m = %d < 0", m))
	case n < 0:
		panic(fmt.Sprintf("kernels: Sgemm: n = %d < 0", n))
	case k < 0:
		panic(fmt.Sprintf("kernels: Sgemm: k = %d < 0", k))
	}
	aRows, aCols := tA.stored(m, k)
	bRows, bCols := tB.stored(k, n)
	checkMatrix("a", "lda", aRows, aCols, a, lda)
	checkMatrix("b", "ldb", bRows, bCols, b, ldb)
	checkMatrix("c", "ldc", m, n, c, ldc)
}

// checkMatrix panics unless x holds a rows×cols row-major matrix with
// stride ld.
func checkMatrix(name, ldName string, rows, cols int, x []float32, ld int) {
	if ld < max(1, cols) {
		panic(fmt.Sprintf("kernels: Sgemm: %s = %d < max(1, %d)", ldName, ld, cols))
	}
	if rows == 0 || cols == 0 {
		return
	}
	if need := (rows-1)*ld + cols; len(x) < need {
		panic(fmt.Sprintf("kernels: Sgemm: len(%s) = %d < %d", name, len(x), need))
	}
}

// scaleMatrix sets C = beta*C, writing zeros without reading C when beta
// is zero.
func scaleMatrix(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

type gemmArgs struct {
	tA, tB        Transpose
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
}

// gemmTier is one implementation of the register-tile kernel with the
// cache blocking that suits it.
type gemmTier struct {
	// mr×nr is the register tile.
	mr, nr int
	// kc, mc and nc block k, m and n so that an mr×kc sliver of A stays in
	// L1, an mc×kc block of A in L2 and a kc×nc panel of B in L3.
	kc, mc, nc int
	// tile computes the mr×nr tile
	//	acc[i][j] = sum over p < kc of a[p*mr+i] * b[p*nr+j]   (p increasing)
	//	c[i*ldc+j] = alpha*acc[i][j] + beta*c[i*ldc+j]
	// from packed slivers a (kc×mr) and b (kc×nr). When beta is zero c is
	// not read. Every tier computes each element with this one sequence,
	// so a tile's position never changes its rounding.
	tile func(kc int, a, b, c []float32, ldc int, alpha, beta float32)
	// tileRows, where a tier has it, is tile with A read in place: row i
	// of the mr×kc sliver is a[i*lda:], so A needs no packing when its
	// rows are contiguous. It rounds exactly as tile does.
	tileRows func(kc int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32)
	// streamB swaps which operand stays in L1. By default a kc×nr sliver
	// of B stays there while the mr×kc slivers of A stream past it from
	// L2, and A is read in place where tileRows allows. With streamB, A is
	// always packed, its sliver stays in L1 and the B slivers stream from
	// a kc×nc panel held in L2 (fitCaches sizes nc for that). This suits
	// a wide tile whose B sliver would fill most of L1: any other traffic
	// there (the C lines, a sibling hyperthread) evicts B, while the small
	// A sliver, reused for every B sliver, stays put. On Sapphire Rapids
	// the AVX-512 tile's kernel loop runs 3-5% faster this way and Sgemm
	// gains 2-8% at n=1024-2048; the AVX2 tile, with a B sliver half as
	// wide, is no faster.
	streamB bool
	// gather12, where a 12-row tier has it, replaces the Go gather12 in
	// packA with the tier's own instructions (a tier packs with its own
	// instruction set only, so that the avx2 tier measures AVX2 alone).
	// Packing A is the largest cost outside the tiles: about 4% of Sgemm
	// at n=1024.
	gather12 func(dst, a []float32, lda, kc int)
	// small, where a tier has it, computes one k block of a product of
	// at most smallRows rows with A (NoTrans) and B read in place, each
	// element of C with tile's sequence, so with tile's bits: C =
	// alpha·A·op(B) + beta·C for A m×kc, op(B) kc×n. It returns false,
	// having written nothing, where it does not take op(B)'s stride.
	// A decode step's attention is such products (one row per query
	// head of a key/value head, against the cached keys and values), for
	// which packing B, each call, cost more than the product.
	small func(tB Transpose, m, n, kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) bool
}

// smallRows is the most rows of C gemmTier.small takes.
const smallRows = 4

// fitCaches returns t with kc, mc and nc sized to a core's caches, given
// in bytes (zero or negative when unknown, which keeps t's defaults): a
// kc×nr sliver of B takes two thirds of L1d, leaving room for the A sliver
// and the C lines, and an mc×kc block of A a tenth of L2, leaving it to
// hold the B panel's recent slivers too. With streamB the kc×nc panel of B
// takes half of L2, so that the B slivers stream from there, and mc is
// streamBRows. On a Sapphire Rapids core (48 KiB L1d, 2 MiB L2) this gives
// the AVX-512 tile kc=256, nc=1024, the best of sweeps there. kc stays within
// [128, 384]: shorter k loops pay the C update too often, longer ones were
// not faster anywhere measured.
func (t gemmTier) fitCaches(l1d, l2 int) gemmTier {
	if l1d > 0 {
		t.kc = min(384, max(128, l1d*2/3/(t.nr*4)/8*8))
	}
	switch {
	case t.streamB:
		t.mc = streamBRows(t.mr, t.kc)
		if l2 > 0 {
			t.nc = max(t.nr, l2/2/(t.kc*4)/t.nr*t.nr)
		}
	case l2 > 0:
		t.mc = max(t.mr, l2/10/(t.kc*4)/t.mr*t.mr)
	}
	return t
}

// streamBRows is mc for a tier with streamB: as many rows of A as fit in
// 16 MiB of packed k block, so that A is packed once per k block for any
// matrix of up to 16384 rows (at kc=256) without the buffer growing
// without bound for taller ones.
func streamBRows(mr, kc int) int { return max(mr, (4<<20)/kc/mr*mr) }

// gemmBuf is one goroutine's packing space, reused across calls.
type gemmBuf struct {
	a, b []float32
	edge []float32 // an mr×nr tile for the edges of C
}

var gemmBufs freeList[gemmBuf]

// getGemmBuf returns packing space for blocks of up to rows rows of A.
func getGemmBuf(t *gemmTier, rows int) *gemmBuf {
	w := gemmBufs.get()
	w.a = grow(w.a, roundUp(min(t.mc, rows), t.mr)*t.kc)
	w.b = grow(w.b, t.kc*roundUp(t.nc, t.nr))
	w.edge = grow(w.edge, t.mr*t.nr)
	return w
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }

func grow(x []float32, n int) []float32 {
	if cap(x) < n {
		return make([]float32, n)
	}
	return x[:n]
}

// betaAt is the beta for the k block at pc: the first applies beta, later
// ones add to it.
func (g *gemmArgs) betaAt(pc int) float32 {
	if pc > 0 {
		return 1
	}
	return g.beta
}

// run computes the block C[i0:i1, j0:j1] on the calling goroutine.
func (g *gemmArgs) run(t *gemmTier, i0, i1, j0, j1 int) {
	if t.small != nil && g.tA == NoTrans && i1-i0 <= smallRows && g.runSmall(t, i0, i1, j0, j1) {
		return
	}
	w := getGemmBuf(t, i1-i0)
	defer gemmBufs.put(w)
	if t.streamB {
		g.runStreamB(t, w, i0, i1, j0, j1)
		return
	}
	for jc := j0; jc < j1; jc += t.nc {
		nc := min(t.nc, j1-jc)
		for pc := 0; pc < g.k; pc += t.kc {
			kc := min(t.kc, g.k-pc)
			beta := g.betaAt(pc)
			packB(t.nr, w.b, g.tB, g.b, g.ldb, pc, kc, jc, nc)
			inPlace := g.tA == NoTrans && t.tileRows != nil
			for ic := i0; ic < i1; ic += t.mc {
				mc := min(t.mc, i1-ic)
				switch {
				case !inPlace:
					t.packA(w.a, g.tA, g.a, g.lda, ic, mc, pc, kc)
				case mc%t.mr != 0:
					// The last sliver, row-major and zero-padded to mr rows.
					last := mc - mc%t.mr
					for i := range t.mr {
						dst := w.a[i*kc : (i+1)*kc]
						if i < mc%t.mr {
							copy(dst, g.a[(ic+last+i)*g.lda+pc:])
						} else {
							clear(dst)
						}
					}
				}
				g.macro(t, w, ic, mc, jc, nc, pc, kc, beta, inPlace)
			}
		}
	}
}

// runSmall computes C[i0:i1, j0:j1] with t.small, in the k blocks of
// the tiles, and reports whether t.small took it (if not, at the first
// block, before writing anything).
func (g *gemmArgs) runSmall(t *gemmTier, i0, i1, j0, j1 int) bool {
	for pc := 0; pc < g.k; pc += t.kc {
		kc := min(t.kc, g.k-pc)
		var b []float32
		if g.tB == Trans {
			b = g.b[j0*g.ldb+pc:]
		} else {
			b = g.b[pc*g.ldb+j0:]
		}
		if !t.small(g.tB, i1-i0, j1-j0, kc, g.a[i0*g.lda+pc:], g.lda, b, g.ldb, g.c[i0*g.ldc+j0:], g.ldc, g.alpha, g.betaAt(pc)) {
			return false
		}
	}
	return true
}

// runStreamB is run for a tier with streamB. There the mc×kc block of A
// need not fit any cache (its slivers go to L1 one at a time), so mc is
// large and k blocks come first: each k block of A is packed once for all
// the column blocks instead of once per column block as in run, which
// matters once n exceeds the L2-sized nc.
func (g *gemmArgs) runStreamB(t *gemmTier, w *gemmBuf, i0, i1, j0, j1 int) {
	for pc := 0; pc < g.k; pc += t.kc {
		kc := min(t.kc, g.k-pc)
		beta := g.betaAt(pc)
		for ic := i0; ic < i1; ic += t.mc {
			mc := min(t.mc, i1-ic)
			t.packA(w.a, g.tA, g.a, g.lda, ic, mc, pc, kc)
			for jc := j0; jc < j1; jc += t.nc {
				nc := min(t.nc, j1-jc)
				packB(t.nr, w.b, g.tB, g.b, g.ldb, pc, kc, jc, nc)
				g.macro(t, w, ic, mc, jc, nc, pc, kc, beta, false)
			}
		}
	}
}

// macro runs the register tiles over one packed mc×kc block of A and
// kc×nc panel of B, B slivers innermost with t.streamB, A slivers
// otherwise. With inPlace, A was not packed: the tiles read
// A[ic:ic+mc, pc:pc+kc] where it lies, and only a last sliver of fewer than
// mr rows is copied, zero-padded, into w.a.
func (g *gemmArgs) macro(t *gemmTier, w *gemmBuf, ic, mc, jc, nc, pc, kc int, beta float32, inPlace bool) {
	mr, nr := t.mr, t.nr
	// one computes the tile at row ir, column jr of the block.
	one := func(ir, jr int) {
		bp := w.b[jr*kc : (jr+nr)*kc]
		cols := min(nr, nc-jr)
		rows := min(mr, mc-ir)
		tile := func(c []float32, ldc int, beta float32) {
			switch {
			case !inPlace:
				t.tile(kc, w.a[ir*kc:(ir+mr)*kc], bp, c, ldc, g.alpha, beta)
			case rows == mr:
				t.tileRows(kc, g.a[(ic+ir)*g.lda+pc:], g.lda, bp, c, ldc, g.alpha, beta)
			default:
				t.tileRows(kc, w.a, kc, bp, c, ldc, g.alpha, beta)
			}
		}
		off := (ic+ir)*g.ldc + jc + jr
		if rows == mr && cols == nr {
			tile(g.c[off:], g.ldc, beta)
			return
		}
		// An edge tile runs the same kernel on a full-size copy, so its
		// elements round exactly as they would inside the matrix.
		e := w.edge
		if beta != 0 {
			for i := 0; i < rows; i++ {
				copy(e[i*nr:i*nr+cols], g.c[off+i*g.ldc:])
			}
		}
		tile(e, nr, beta)
		for i := 0; i < rows; i++ {
			copy(g.c[off+i*g.ldc:off+i*g.ldc+cols], e[i*nr:])
		}
	}
	if t.streamB {
		for ir := 0; ir < mc; ir += mr {
			for jr := 0; jr < nc; jr += nr {
				one(ir, jr)
			}
		}
		return
	}
	for jr := 0; jr < nc; jr += nr {
		for ir := 0; ir < mc; ir += mr {
			one(ir, jr)
		}
	}
}

// packA copies op(A)[ic:ic+mc, pc:pc+kc] into dst as mr-row slivers, each
// stored k-major (mr values per k), zero-padding the last sliver to mr rows.
func (t *gemmTier) packA(dst []float32, tA Transpose, a []float32, lda, ic, mc, pc, kc int) {
	mr := t.mr
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		d := dst[ir*kc : (ir+mr)*kc]
		if tA {
			// op(A)[i][p] = a[p*lda+i]: rows of a are already k-major.
			for p := 0; p < kc; p++ {
				src := a[(pc+p)*lda+ic+ir:]
				dp := d[p*mr : p*mr+mr]
				copy(dp[:rows], src[:rows])
				clear(dp[rows:])
			}
			continue
		}
		base := (ic+ir)*lda + pc
		if rows == 12 && mr == 12 {
			if t.gather12 != nil {
				t.gather12(d, a[base:], lda, kc)
			} else {
				gather12(d, a[base:], lda, kc)
			}
			continue
		}
		for i := 0; i < rows; i++ {
			scatter(d[i:], mr, a[base+i*lda:base+i*lda+kc])
		}
		for i := rows; i < mr; i++ {
			for p := 0; p < kc; p++ {
				d[p*mr+i] = 0
			}
		}
	}
}

// gather12 packs 12 rows of a (stride lda, kc values each) k-major into
// dst, for the 12-row tiles (AVX-512, NEON). Reading all rows at once and
// writing dst in order keeps both sides sequential streams, which is twice
// as fast from DRAM as one row at a time (scatter).
func gather12(dst, a []float32, lda, kc int) {
	r0, r1, r2, r3 := a[:kc], a[lda:lda+kc], a[2*lda:2*lda+kc], a[3*lda:3*lda+kc]
	r4, r5, r6, r7 := a[4*lda:4*lda+kc], a[5*lda:5*lda+kc], a[6*lda:6*lda+kc], a[7*lda:7*lda+kc]
	r8, r9, r10, r11 := a[8*lda:8*lda+kc], a[9*lda:9*lda+kc], a[10*lda:10*lda+kc], a[11*lda:11*lda+kc]
	for p := range r0 {
		o := dst[p*12 : p*12+12 : p*12+12]
		o[0], o[1], o[2], o[3] = r0[p], r1[p], r2[p], r3[p]
		o[4], o[5], o[6], o[7] = r4[p], r5[p], r6[p], r7[p]
		o[8], o[9], o[10], o[11] = r8[p], r9[p], r10[p], r11[p]
	}
}

// packB copies op(B)[pc:pc+kc, jc:jc+nc] into dst as nr-column slivers,
// each stored k-major (nr values per k), zero-padding the last to nr.
func packB(nr int, dst []float32, tB Transpose, b []float32, ldb, pc, kc, jc, nc int) {
	if !tB {
		full := nc - nc%nr
		packBRows(nr, dst, b, ldb, pc, kc, jc, full)
		if cols := nc - full; cols > 0 {
			d := dst[full*kc : (full+nr)*kc]
			for p := 0; p < kc; p++ {
				dp := d[p*nr : p*nr+nr]
				copy(dp[:cols], b[(pc+p)*ldb+jc+full:])
				clear(dp[cols:])
			}
		}
		return
	}
	// op(B)[p][j] = b[j*ldb+p].
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : (jr+nr)*kc]
		for j := 0; j < cols; j++ {
			scatter(d[j:], nr, b[(jc+jr+j)*ldb+pc:(jc+jr+j)*ldb+pc+kc])
		}
		for j := cols; j < nr; j++ {
			for p := 0; p < kc; p++ {
				d[p*nr+j] = 0
			}
		}
	}
}

// packBRows packs the full nr-column slivers of B[pc:pc+kc, jc:jc+nc]
// (nc a multiple of nr) for packB. It takes eight rows of B at a time
// across all slivers: sliver by sliver, every row of B would be a new page
// and a new stream for each 128 bytes read, which leaves the hardware
// prefetchers idle and makes packing from DRAM 2.4 times slower.
func packBRows(nr int, dst []float32, b []float32, ldb, pc, kc, jc, nc int) {
	const rowsPerPass = 8
	for p0 := 0; p0 < kc; p0 += rowsPerPass {
		p1 := min(kc, p0+rowsPerPass)
		for jr := 0; jr < nc; jr += nr {
			d := dst[jr*kc : (jr+nr)*kc]
			for p := p0; p < p1; p++ {
				src := b[(pc+p)*ldb+jc+jr:]
				switch nr {
				case 32:
					*(*[32]float32)(d[p*32:]) = *(*[32]float32)(src)
				case 16:
					*(*[16]float32)(d[p*16:]) = *(*[16]float32)(src)
				case 8:
					*(*[8]float32)(d[p*8:]) = *(*[8]float32)(src)
				default:
					copy(d[p*nr:p*nr+nr], src[:nr])
				}
			}
		}
	}
}

// scatter sets dst[p*stride] = src[p] for every p: one row of a matrix
// into a column of a packed sliver. Unrolled by four, it runs about twice
// as fast as the plain loop, which matters because packing is O(n²) work
// done at scalar speed beside O(n³) work at vector speed.
func scatter(dst []float32, stride int, src []float32) {
	p := 0
	for ; p+3 < len(src); p += 4 {
		s := src[p : p+4 : p+4]
		o := p * stride
		_ = dst[o+3*stride]
		dst[o] = s[0]
		dst[o+stride] = s[1]
		dst[o+2*stride] = s[2]
		dst[o+3*stride] = s[3]
	}
	for ; p < len(src); p++ {
		dst[p*stride] = src[p]
	}
}

// A freeList keeps buffers for reuse across calls. Unlike a sync.Pool it
// survives garbage collections, which `go test -bench` forces before every
// measurement: a kernel's steady state then allocates nothing. It keeps at
// most two buffers per usable CPU, enough for rate mode and a parallel
// kernel at once.
type freeList[T any] struct {
	mu    sync.Mutex
	items []*T
}

func (l *freeList[T]) get() *T {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.items); n > 0 {
		x := l.items[n-1]
		l.items[n-1] = nil
		l.items = l.items[:n-1]
		return x
	}
	return new(T)
}

func (l *freeList[T]) put(x *T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.items) < 2*runtime.GOMAXPROCS(0) {
		l.items = append(l.items, x)
	}
}

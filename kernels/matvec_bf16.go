package kernels

import (
	"fmt"
	"sync"
)

// MatVecBF16 computes y = x·B for a row vector x of k bfloat16 and a
// row-major k×n matrix B of bfloat16 (stride ldb), the B of GemmBF16: a
// decode step through bf16 weights stored input-major. y's n values are
// overwritten.
//
// The rows of B are taken in chunks of matVecBF16Chunk: y[j] is the sum,
// chunk after chunk in order, of each chunk's float32 sum over its rows,
// in order, of x[p]·B[p][j]. The products are exact in float32 (short of
// underflow or overflow: two 8-bit significands make 16 bits), so every
// tier gives the same bits as the portable one (a fused multiply-add of an
// exact product rounds as an add does), whatever threads is. The chunks
// let threads goroutines split the rows as well as the columns: split by
// columns alone, each goroutine would read a narrow band of every row,
// which no hardware prefetcher follows across rows.
//
// Unlike GemmBF16(1, n, k, ...), which packs B on every call, it reads B
// once, in place, as memory delivers it: MatVecBF16Bytes(n, k) over its
// time is the bandwidth it reached.
func (t BF16Tier) MatVecBF16(n, k int, x []BF16, b []BF16, ldb int, y []float32, threads int) {
	name := t.Name()
	checkMatVecBF16(n, k, len(x), len(b), ldb, len(y))
	if n == 0 {
		return
	}
	f := matVecBF16Func(name)
	if k <= matVecBF16Chunk {
		// One chunk: straight into y.
		clear(y[:n])
		if k == 0 {
			return
		}
		if threads <= 1 {
			matVecBF16Bands(f, 0, n, k, x, b, ldb, y)
			return
		}
		var wg sync.WaitGroup
		for _, r := range split(n, 64, threads) {
			wg.Go(func() { matVecBF16Bands(f, r[0], r[1], k, x, b, ldb, y) })
		}
		wg.Wait()
		return
	}
	chunks := (k + matVecBF16Chunk - 1) / matVecBF16Chunk
	buf := matVecBF16Bufs.get()
	defer matVecBF16Bufs.put(buf)
	buf.p = lowpGrow(buf.p, chunks*n)
	part := buf.p
	if threads <= 1 {
		for c := range chunks {
			matVecBF16Part(f, c, 0, n, k, x, b, ldb, part, n)
		}
		matVecBF16Sum(0, n, chunks, part, n, y)
		return
	}
	// The goroutines take whole chunks (every column of their rows) when
	// there are enough to go round, bands of columns of every chunk when
	// not.
	bands := (threads + chunks - 1) / chunks
	var wg sync.WaitGroup
	for _, r := range split(chunks*bands, 1, threads) {
		wg.Go(func() {
			for it := r[0]; it < r[1]; it++ {
				band := split(n, 64, bands)
				if i := it % bands; i < len(band) {
					matVecBF16Part(f, it/bands, band[i][0], band[i][1], k, x, b, ldb, part, n)
				}
			}
		})
	}
	wg.Wait()
	for _, r := range split(n, 64, threads) {
		wg.Go(func() { matVecBF16Sum(r[0], r[1], chunks, part, n, y) })
	}
	wg.Wait()
}

// matVecBF16Part sets columns [j0, j1) of chunk c's sums, part[c·n:], with
// the loop f.
func matVecBF16Part(f func(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32), c, j0, j1, k int, x []BF16, b []BF16, ldb int, part []float32, n int) {
	p0 := c * matVecBF16Chunk
	pc := part[c*n : (c+1)*n]
	clear(pc[j0:j1])
	matVecBF16Bands(f, j0, j1, min(matVecBF16Chunk, k-p0), x[p0:], b[p0*ldb:], ldb, pc)
}

// matVecBF16Band is the columns a loop runs over all its rows at a time:
// their 16 KiB of float32 sums stay in L1 while the rows stream past (the
// head's 128256 columns would be half a MiB, added to at every row), and
// a row's part is 8 KiB of B, long enough for the prefetchers.
const matVecBF16Band = 4096

// matVecBF16Bands runs f on columns [j0, j1) in bands of matVecBF16Band.
// Each column's sum is the same whatever the band.
func matVecBF16Bands(f func(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32), j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	for j := j0; j < j1; j += matVecBF16Band {
		f(j, min(j+matVecBF16Band, j1), k, x, b, ldb, y)
	}
}

// matVecBF16Sum sets columns [j0, j1) of y to the chunks' sums, added in
// chunk order.
func matVecBF16Sum(j0, j1, chunks int, part []float32, n int, y []float32) {
	yy := y[j0:j1]
	copy(yy, part[j0:j1])
	for c := 1; c < chunks; c++ {
		for j, v := range part[c*n+j0 : c*n+j1] {
			yy[j] += v
		}
	}
}

// matVecBF16Chunk is the rows of B whose products each column sums before
// the sums of the chunks are added: 512 rows of bf16 are 1 KiB a column,
// 4 MiB a chunk of the widest weights (the 128256-column head).
const matVecBF16Chunk = 512

// matVecBF16Buf holds one call's chunk sums, reused across calls.
type matVecBF16Buf struct{ p []float32 }

var matVecBF16Bufs freeList[matVecBF16Buf]

// matVecBF16Func returns the MatVecBF16 loop of the bf16 tier called
// name: its entry in matVecBF16Table, else the portable loop.
func matVecBF16Func(name string) func(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	if f := matVecBF16Table[name]; f != nil {
		return f
	}
	return matVecBF16Go
}

// MatVecBF16Bytes returns the bytes of B a MatVecBF16 reads: 2·n·k.
func MatVecBF16Bytes(n, k int) float64 { return 2 * float64(n) * float64(k) }

func checkMatVecBF16(n, k, lenX, lenB, ldb, lenY int) {
	switch {
	case n < 0:
		panic(fmt.Sprintf("kernels: MatVecBF16: n = %d < 0", n))
	case k < 0:
		panic(fmt.Sprintf("kernels: MatVecBF16: k = %d < 0", k))
	case ldb < max(1, n):
		panic(fmt.Sprintf("kernels: MatVecBF16: ldb = %d < max(1, %d)", ldb, n))
	case lenX < k:
		panic(fmt.Sprintf("kernels: MatVecBF16: len(x) = %d < %d", lenX, k))
	case k > 0 && n > 0 && lenB < (k-1)*ldb+n:
		panic(fmt.Sprintf("kernels: MatVecBF16: len(b) = %d < %d", lenB, (k-1)*ldb+n))
	case lenY < n:
		panic(fmt.Sprintf("kernels: MatVecBF16: len(y) = %d < %d", lenY, n))
	}
}

// matVecBF16Go adds x·B for columns [j0, j1) to y: four rows of B at a
// time, each column's sum in increasing p. It is every tier's loop for the
// columns its vectors leave, and the portable tier's for all.
func matVecBF16Go(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	yy := y[j0:j1]
	p := 0
	for ; p+4 <= k; p += 4 {
		x0, x1, x2, x3 := x[p].Float32(), x[p+1].Float32(), x[p+2].Float32(), x[p+3].Float32()
		b0, b1 := b[p*ldb+j0:p*ldb+j1], b[(p+1)*ldb+j0:(p+1)*ldb+j1]
		b2, b3 := b[(p+2)*ldb+j0:(p+2)*ldb+j1], b[(p+3)*ldb+j0:(p+3)*ldb+j1]
		for j := range yy {
			s := yy[j]
			s += x0 * b0[j].Float32()
			s += x1 * b1[j].Float32()
			s += x2 * b2[j].Float32()
			s += x3 * b3[j].Float32()
			yy[j] = s
		}
	}
	for ; p < k; p++ {
		xp := x[p].Float32()
		for j, bv := range b[p*ldb+j0 : p*ldb+j1] {
			yy[j] += xp * bv.Float32()
		}
	}
}

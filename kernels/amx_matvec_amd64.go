//go:build gc && !purego && !noasm

package kernels

import "sync"

// matVecBF16AMXPacked is the amx tier's MatVecBF16 on packAllBF16AMX's
// layout: decode reading a model's weights in the layout its prefill
// GEMM wants, so that they are stored once. A pair row of a sliver holds
// 32 columns' words B[2q][j], B[2q+1][j] as a 32-bit lane: shifted up 16
// bits, the low word is B[2q][j] as a float32; masked, the high word is
// B[2q+1][j]. So every lane takes two fused multiply-adds, by x[2q] then
// x[2q+1], in increasing k as MatVecBF16 adds, and each product is exact:
// the same bits, chunk sums and all (the k blocks, 2048 rows, are whole
// chunks of matVecBF16Chunk). It reads the layout once, in memory order
// within each goroutine's slivers, at about one vector operation per 16
// bytes: far above a core's share of memory bandwidth.
func matVecBF16AMXPacked(n, k int, x []BF16, b []byte, y []float32, threads int) {
	g := amxBF16
	ks := amxStep / g.es
	slivers := (n + amxNR - 1) / amxNR
	buf := amxVecBufs.get()
	defer amxVecBufs.put(buf)
	buf.x = lowpGrow(buf.x, roundUp(k, ks))
	for i, v := range x[:k] {
		buf.x[i] = v.Float32()
	}
	clear(buf.x[k:])
	buf.y = lowpGrow(buf.y, slivers*amxNR)
	clear(buf.y)
	if threads <= 1 {
		matVecPackedSlivers(n, k, buf.x, b, buf.y, 0, slivers)
	} else {
		var wg sync.WaitGroup
		for _, r := range split(slivers, 1, threads) {
			wg.Go(func() { matVecPackedSlivers(n, k, buf.x, b, buf.y, r[0], r[1]) })
		}
		wg.Wait()
	}
	copy(y[:n], buf.y)
}

// matVecPackedSlivers adds x·B to y for slivers [s0, s1) of a layout
// of packAllBF16AMX, x as float32 (zero to a whole step), y whole
// slivers' sums.
func matVecPackedSlivers(n, k int, x []float32, b []byte, y []float32, s0, s1 int) {
	g := amxBF16
	ks := amxStep / g.es
	slivers := (n + amxNR - 1) / amxNR
	off := 0
	for pc := 0; pc < k; pc += g.kc {
		steps := (min(g.kc, k-pc) + ks - 1) / ks
		sliver := amxSliverBytes(steps)
		// The bounds the assembly reads.
		_, _ = b[off+(s1-1)*sliver+steps*16*128-1], x[pc+steps*ks-1]
		// Two slivers at a time, half the range apart: two streams
		// from memory, which one core reads faster than one.
		h := (s1 - s0 + 1) / 2
		for s := s0; s < s0+h; s++ {
			t := s + h
			if t >= s1 {
				t = s // an odd range's middle sliver, alone
			}
			matVecPackedBF16x2(&x[pc], &b[off+s*sliver], &b[off+t*sliver], steps, &y[s*amxNR], &y[t*amxNR])
		}
		off += slivers * sliver
	}
}

// amxVecBuf is one call's x as float32 (zero to a whole step) and its
// sums for whole slivers.
type amxVecBuf struct{ x, y []float32 }

var amxVecBufs freeList[amxVecBuf]

// matVecPackedBF16x2 adds x·B to y0 and to y1 for two 32-column slivers
// of one k block of steps tile steps, at b0 and b1: per sliver, the sums
// of each chunk of 16 steps (the last may be shorter), each from zero,
// added to the sliver's 32 values of y in turn. x is the block's steps·32
// values as float32. b1 may be b0 and y1 y0: the sums are stored once
// each, y1's last.
//
//go:noescape
func matVecPackedBF16x2(x *float32, b0, b1 *byte, steps int, y0, y1 *float32)

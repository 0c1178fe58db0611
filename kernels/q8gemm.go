//go:build gc && !purego && !noasm && (amd64 || arm64)

package kernels

import "unsafe"

// A q8Gemm is the prefill of a SIMD tier: an assembly register tile of mr
// tokens by nr weight rows and the packing and blocking around it, which
// are the same for every tier:
//
//   - The tier's prep lays the activations out in k blocks of q8KBlocks
//     blocks (512 codes), and within a k block in tiles of mr tokens,
//     xBytes bytes of codes a tile, padded with zero tokens and zero
//     codes: tile i of k block kb starts at c.xq (or c.x16) + (kb·tiles +
//     i)·xBytes. Block scales (c.xs) and corrections (c.corr, where the
//     tier has them) are laid out alike, q8KBlocks a token.
//   - pack puts a sliver of nr weight rows by up to q8KBlocks blocks into
//     the tile's layout, sliverBlock bytes a block; the sliver stays in
//     L1 while every token tile of the k block runs through it. The tile
//     may use scratch bytes after the sliver's q8KBlocks blocks.
//   - The tile computes its mr×nr outputs over blocks blocks, starting
//     from zero for the first k block and from y after, so that every
//     output is one chain of fused multiply-adds in block order whatever
//     the blocking or the split over threads; it stores the first rows
//     tokens and cols weight rows.
//
// The activations' k block (512 tokens: 256 KiB of int8 codes) stays in
// L2 while a panel of q8Panel weight rows runs, and so does the panel's
// part of y (512 KiB), which each k block adds to.
type q8Gemm struct {
	mr, nr      int
	xBytes      int  // bytes of one tile's codes in one k block
	sliverBlock int  // bytes of one block of a packed sliver
	scratch     int  // bytes the tile may use past the sliver
	corr        bool // whether the tile reads c.corr
	pack        func(buf *q8GemmBuf, sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int)
	tile        func(blocks int, x *byte, xs *float32, corr *int32, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch)
	// tiles, when set, runs every token tile of a sliver in one call,
	// tile i at the layout's tile i, m tokens in all, y at token 0; for
	// tiles whose setup is dear (AMX's tile configuration).
	tiles func(blocks int, x *byte, xs *float32, b *byte, y *float32, ldy, m, cols, load int, pf *q8Prefetches)
	// x returns the laid-out codes of the call.
	x func(c *q8Call) []byte
}

// q8Panel is the weight rows whose outputs a k block updates in turn.
const q8Panel = 256

// q8KBlocks is the blocks in a k block: 512 codes.
const q8KBlocks = 16

// q8GemmBuf is one goroutine's packing space: the sliver and the row
// pointers the packers read.
type q8GemmBuf struct {
	raw    []byte
	codes  [32]*int8
	scales [32]*F16
	pf     q8Prefetches // the next sliver's, for tiles (a pointer to a local would escape)
}

var q8GemmBufs freeList[q8GemmBuf]

// run computes weight rows [r0, r1) of y for every token.
func (g *q8Gemm) run(c *q8Call, x, w *Q8Matrix, r0, r1 int, y []float32, ldy int) {
	nb, m := w.Cols/Q8BlockLen, x.Rows
	tiles := c.rows / g.mr
	buf := q8GemmBufs.get()
	defer q8GemmBufs.put(buf)
	// The sliver, 64-byte aligned: its loads are whole cache lines.
	size := q8KBlocks * g.sliverBlock
	buf.raw = lowpGrow(buf.raw, size+g.scratch+64)
	off := int((64 - uintptr(unsafe.Pointer(&buf.raw[0]))%64) % 64)
	sliver := buf.raw[off : off+size+g.scratch]
	xq := g.x(c)
	_ = y[(m-1)*ldy+r1-1]
	_ = xq[len(c.xs)/q8KBlocks/g.mr*g.xBytes-1]
	for jc := r0; jc < r1; jc += q8Panel {
		j1 := min(jc+q8Panel, r1)
		for pc := 0; pc < nb; pc += q8KBlocks {
			blocks := min(q8KBlocks, nb-pc)
			load := 0
			if pc > 0 {
				load = 1
			}
			kb := pc / q8KBlocks
			for jr := jc; jr < j1; jr += g.nr {
				rows := min(g.nr, j1-jr)
				g.pack(buf, sliver, w, jr, rows, pc, blocks)
				// The next sliver's weights, which the next pack reads
				// from memory: each tile prefetches a few lines, so that
				// they arrive while the tiles run.
				nr, npc := jr+g.nr, pc
				if nr >= j1 {
					nr, npc = jc, pc+q8KBlocks
				}
				pl := &buf.pf
				*pl = q8Prefetches{}
				if npc < nb {
					*pl = newQ8Prefetches(w, nr, min(g.nr, j1-nr), npc)
				}
				if g.tiles != nil {
					g.tiles(blocks, &xq[kb*tiles*g.xBytes], &c.xs[kb*tiles*g.mr*q8KBlocks], &sliver[0], &y[jr], ldy, m, rows, load, pl)
					continue
				}
				for i := range (m + g.mr - 1) / g.mr {
					p := kb*tiles + i
					var corr *int32
					if g.corr {
						corr = &c.corr[p*g.mr*q8KBlocks]
					}
					g.tile(blocks, &xq[p*g.xBytes], &c.xs[p*g.mr*q8KBlocks], corr,
						&sliver[0], &y[i*g.mr*ldy+jr], ldy, min(g.mr, m-i*g.mr), rows, load, pl.tile(i))
				}
			}
		}
	}
}

// A q8Prefetch is what one tile prefetches for the next pack: the 4
// cache lines from codes and the one at scales, each when not zero. They
// are addresses, never dereferenced by Go: the last row's may point past
// its k block or the matrix, which a prefetch may.
type q8Prefetch struct{ codes, scales uintptr }

// q8Prefetches spreads a sliver's weights over the tiles of a pack: rows
// rows of codes from codes, stride bytes apart, 512 codes (two chunks of 4
// lines) each, and one line of scales from scales, sstride apart.
type q8Prefetches struct {
	codes, scales   uintptr
	rows            int
	stride, sstride uintptr
}

func newQ8Prefetches(w *Q8Matrix, r0, rows, pc int) q8Prefetches {
	nb := w.Cols / Q8BlockLen
	return q8Prefetches{
		codes:   uintptr(unsafe.Pointer(&w.Quants[r0*w.Cols+pc*Q8BlockLen])),
		scales:  uintptr(unsafe.Pointer(&w.Scales[r0*nb+pc])),
		rows:    rows,
		stride:  uintptr(w.Cols),
		sstride: uintptr(2 * nb),
	}
}

// tile returns tile i's share: chunk i of the codes (row i/2, half i%2)
// and row i's scales.
func (p q8Prefetches) tile(i int) (pf q8Prefetch) {
	if i < 2*p.rows {
		pf.codes = p.codes + uintptr(i/2)*p.stride + uintptr(i%2)*256
	}
	if i < p.rows {
		pf.scales = p.scales + uintptr(i)*p.sstride
	}
	return pf
}

// pointers sets buf's first n row pointers to rows [jr, jr+n) of w from
// block pc, rows past rows repeating row jr+rows-1, so that every load a
// packer makes is of valid memory; the packers write those rows as zeros.
func (buf *q8GemmBuf) pointers(w *Q8Matrix, jr, rows, pc, n int) {
	nb := w.Cols / Q8BlockLen
	for i := range n {
		r := jr + min(i, rows-1)
		buf.codes[i] = &w.Quants[r*w.Cols+pc*Q8BlockLen]
		buf.scales[i] = &w.Scales[r*nb+pc]
	}
}

// q8LayoutScales sets c.nbp (blocks rounded up to whole k blocks), c.rows
// (tokens rounded up to whole tiles of mr) and c.xs: every token's block
// scales as float32 in k blocks, token by token within a k block,
// q8KBlocks a token, zero for padding.
func q8LayoutScales(c *q8Call, x *Q8Matrix, mr int) {
	nb := x.Cols / Q8BlockLen
	c.nbp = roundUp(nb, q8KBlocks)
	c.rows = roundUp(x.Rows, mr)
	c.xs = lowpGrow(c.xs, c.rows*c.nbp)
	for kb := range c.nbp / q8KBlocks {
		for t := range c.rows {
			xs := c.xs[(kb*c.rows+t)*q8KBlocks : (kb*c.rows+t+1)*q8KBlocks]
			for b := range xs {
				xs[b] = 0
				if bb := kb*q8KBlocks + b; t < x.Rows && bb < nb {
					xs[b] = x.Scales[t*nb+bb].Float32()
				}
			}
		}
	}
}

// q8AsBytes views codes as the bytes the tiles read.
func q8AsBytes[T int8 | int16](x []T) []byte {
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), len(x)*int(unsafe.Sizeof(z)))
}

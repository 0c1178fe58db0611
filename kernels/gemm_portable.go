package kernels

// portableGemm is the pure-Go tier. Go compiles scalar code, so the tile is
// what keeps the most independent accumulators in registers without
// spilling on amd64 (15 usable XMM registers): one row of A against eight
// columns of B, which leaves registers for the A value and one product.
// Measured on a Sapphire Rapids core, 1×8 ran 1.3-1.8x faster than 4×4,
// 2×6 or 4×2, which spill.
var portableGemm = gemmTier{mr: 1, nr: 8, kc: 256, mc: 256, nc: 4096, tile: tilePortable1x8}

// tilePortable1x8 is the gemmTier.tile contract for a 1×8 tile.
//
// The k loop is dot1x8, a function of its own, so that alpha, beta and c
// are not live across it: held there they take registers the loop needs
// and the compiler reloads them from the stack on every step.
func tilePortable1x8(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	c0, c1, c2, c3, c4, c5, c6, c7 := dot1x8(a[:kc], b[:kc*8])
	r := c[:8:8]
	if beta == 0 {
		r[0], r[1], r[2], r[3] = alpha*c0, alpha*c1, alpha*c2, alpha*c3
		r[4], r[5], r[6], r[7] = alpha*c4, alpha*c5, alpha*c6, alpha*c7
		return
	}
	r[0], r[1], r[2], r[3] = alpha*c0+beta*r[0], alpha*c1+beta*r[1], alpha*c2+beta*r[2], alpha*c3+beta*r[3]
	r[4], r[5], r[6], r[7] = alpha*c4+beta*r[4], alpha*c5+beta*r[5], alpha*c6+beta*r[6], alpha*c7+beta*r[7]
}

// dot1x8 returns the eight sums over p of a[p]*b[8*p+j], each taken in
// increasing p, for p < min(len(a), len(b)/8).
//
// The main loop takes eight steps of p at a time and is shaped for the gc
// compiler, whose instruction scheduler does not weigh register pressure:
// within a block it places the values used in that block first, in source
// order, and those used only by the next iteration last. In a plain for
// loop the header (phis and condition) is one block and the body another,
// so the body's last eight additions, used only by the header's phis, sink
// to the end of the body after their eight products are computed: with the
// accumulators that is 16 values live in 15 registers, and the accumulator
// spilled to the stack puts a store-to-load forwarding delay on its
// dependency chain once per iteration. One step per iteration, as this
// tile once took with alpha and beta live beside it, that delay held
// Sgemm to 4.7 GFLOP/s at n=1024 on a Zen 4 guest where it now runs at
// 11; unrolling a plain loop by four or eight dilutes it, and such loops
// ran 4-37% slower than this one in each batch of runs there, on a machine
// too shared for a single figure. This loop tests its condition at the
// bottom and has no bounds checks in its body, which keeps the body and
// the phis in one block, and nothing spills: av and bp are array pointers
// made at the bottom of the previous iteration, where the condition proves
// the slicing in bounds.
//
// The x's are loaded on lines of their own because the scheduler orders by
// line: a load of av[q] shared by eight statements takes the position of
// the last one and would come after the eight loads of B, which then need
// eight registers at once.
func dot1x8(a, b []float32) (c0, c1, c2, c3, c4, c5, c6, c7 float32) {
	if len(a) >= 8 && len(b) >= 64 {
		av := (*[8]float32)(a)
		bp := (*[64]float32)(b)
		for {
			x0 := av[0]
			c0 += x0 * bp[0]
			c1 += x0 * bp[1]
			c2 += x0 * bp[2]
			c3 += x0 * bp[3]
			c4 += x0 * bp[4]
			c5 += x0 * bp[5]
			c6 += x0 * bp[6]
			c7 += x0 * bp[7]
			x1 := av[1]
			c0 += x1 * bp[8]
			c1 += x1 * bp[9]
			c2 += x1 * bp[10]
			c3 += x1 * bp[11]
			c4 += x1 * bp[12]
			c5 += x1 * bp[13]
			c6 += x1 * bp[14]
			c7 += x1 * bp[15]
			x2 := av[2]
			c0 += x2 * bp[16]
			c1 += x2 * bp[17]
			c2 += x2 * bp[18]
			c3 += x2 * bp[19]
			c4 += x2 * bp[20]
			c5 += x2 * bp[21]
			c6 += x2 * bp[22]
			c7 += x2 * bp[23]
			x3 := av[3]
			c0 += x3 * bp[24]
			c1 += x3 * bp[25]
			c2 += x3 * bp[26]
			c3 += x3 * bp[27]
			c4 += x3 * bp[28]
			c5 += x3 * bp[29]
			c6 += x3 * bp[30]
			c7 += x3 * bp[31]
			x4 := av[4]
			c0 += x4 * bp[32]
			c1 += x4 * bp[33]
			c2 += x4 * bp[34]
			c3 += x4 * bp[35]
			c4 += x4 * bp[36]
			c5 += x4 * bp[37]
			c6 += x4 * bp[38]
			c7 += x4 * bp[39]
			x5 := av[5]
			c0 += x5 * bp[40]
			c1 += x5 * bp[41]
			c2 += x5 * bp[42]
			c3 += x5 * bp[43]
			c4 += x5 * bp[44]
			c5 += x5 * bp[45]
			c6 += x5 * bp[46]
			c7 += x5 * bp[47]
			x6 := av[6]
			c0 += x6 * bp[48]
			c1 += x6 * bp[49]
			c2 += x6 * bp[50]
			c3 += x6 * bp[51]
			c4 += x6 * bp[52]
			c5 += x6 * bp[53]
			c6 += x6 * bp[54]
			c7 += x6 * bp[55]
			x7 := av[7]
			c0 += x7 * bp[56]
			c1 += x7 * bp[57]
			c2 += x7 * bp[58]
			c3 += x7 * bp[59]
			c4 += x7 * bp[60]
			c5 += x7 * bp[61]
			c6 += x7 * bp[62]
			c7 += x7 * bp[63]
			if len(a) < 16 || len(b) < 128 {
				break
			}
			a, b = a[8:], b[64:]
			av = (*[8]float32)(a)
			bp = (*[64]float32)(b)
		}
		a, b = a[8:], b[64:]
	}
	// The last kc%8 steps, shaped as above: a plain loop here spills.
	if len(a) >= 1 && len(b) >= 8 {
		av := (*[1]float32)(a)
		bp := (*[8]float32)(b)
		for {
			x := av[0]
			c0 += x * bp[0]
			c1 += x * bp[1]
			c2 += x * bp[2]
			c3 += x * bp[3]
			c4 += x * bp[4]
			c5 += x * bp[5]
			c6 += x * bp[6]
			c7 += x * bp[7]
			if len(a) < 2 || len(b) < 16 {
				break
			}
			a, b = a[1:], b[8:]
			av = (*[1]float32)(a)
			bp = (*[8]float32)(b)
		}
	}
	return c0, c1, c2, c3, c4, c5, c6, c7
}

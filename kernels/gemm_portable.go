package kernels

// portableGemm is the pure-Go tier. Go compiles scalar code, so the tile is
// what keeps the most independent accumulators in registers without
// spilling on amd64 (15 usable XMM registers): one row of A against eight
// columns of B. Measured on a Sapphire Rapids core, 1×8 ran 1.3-1.8x faster
// than 4×4, 2×6 or 4×2, which spill.
var portableGemm = gemmTier{mr: 1, nr: 8, kc: 256, mc: 256, nc: 4096, tile: tilePortable1x8}

// tilePortable1x8 is the gemmTier.tile contract for a 1×8 tile.
func tilePortable1x8(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	var c0, c1, c2, c3, c4, c5, c6, c7 float32
	a = a[:kc]
	b = b[:kc*8]
	for p, av := range a {
		bp := b[p*8 : p*8+8 : p*8+8]
		c0 += av * bp[0]
		c1 += av * bp[1]
		c2 += av * bp[2]
		c3 += av * bp[3]
		c4 += av * bp[4]
		c5 += av * bp[5]
		c6 += av * bp[6]
		c7 += av * bp[7]
	}
	r := c[:8:8]
	if beta == 0 {
		r[0], r[1], r[2], r[3] = alpha*c0, alpha*c1, alpha*c2, alpha*c3
		r[4], r[5], r[6], r[7] = alpha*c4, alpha*c5, alpha*c6, alpha*c7
		return
	}
	r[0], r[1], r[2], r[3] = alpha*c0+beta*r[0], alpha*c1+beta*r[1], alpha*c2+beta*r[2], alpha*c3+beta*r[3]
	r[4], r[5], r[6], r[7] = alpha*c4+beta*r[4], alpha*c5+beta*r[5], alpha*c6+beta*r[6], alpha*c7+beta*r[7]
}

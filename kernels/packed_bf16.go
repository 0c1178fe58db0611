package kernels

import (
	"fmt"
	"runtime"
)

// A PackedBF16 is a k×n bfloat16 matrix B laid out once in a bf16 tier's
// own layout (BF16Tier.PackBF16), for a B that many products share, as a
// model's weights are: GemmBF16 packs B on every call, which takes about
// half as long as the products when A has a few hundred rows and B comes
// from memory (a 512-token prefill of llama-3.2-1b on amx: 0.53 against
// 0.93 s). Its products give the same bits as the tier's GemmBF16 and
// MatVecBF16 on the B it was packed from. It is read-only once packed:
// any number of goroutines may use it at once.
type PackedBF16 struct {
	t     *lowpTier[BF16, float32]
	k, n  int
	data  []byte
	owner any // data's memory, which must stay reachable with it
}

// PackBF16 returns B (k×n, row-major, stride ldb) in the tier's own
// layout, or nil when the tier has none: then its GemmBF16 reading B in
// place is as fast. Of the tiers, only amx packs.
func (t BF16Tier) PackBF16(k, n int, b []BF16, ldb int) *PackedBF16 {
	tt := t.get()
	if tt.packB == nil {
		return nil
	}
	checkLowp("PackBF16", 0, n, k, 0, max(1, k), len(b), ldb, 0, max(1, n))
	data, owner := tt.packB(k, n, b, ldb)
	return &PackedBF16{t: tt, k: k, n: n, data: data, owner: owner}
}

// Packs reports whether the tier has a layout of its own, so that
// PackBF16 returns a matrix and not nil.
func (t BF16Tier) Packs() bool { return t.get().packB != nil }

// Dims returns B's rows k and columns n.
func (p *PackedBF16) Dims() (k, n int) { return p.k, p.n }

// Gemm computes C = A·B for row-major A (m×k, stride lda) and C (m×n,
// stride ldc) on threads goroutines, as GemmBF16 does with the B that p
// was packed from, bit for bit.
func (p *PackedBF16) Gemm(m int, a []BF16, lda int, c []float32, ldc int, threads int) {
	t := p.t
	// B is p's, whole by construction: only A and C are checked.
	checkLowp("PackedBF16.Gemm", m, p.n, p.k, len(a), lda, p.k*p.n, max(1, p.n), len(c), ldc)
	if m == 0 || p.n == 0 {
		return
	}
	// p.data may be outside the Go heap, mapped for as long as p.owner
	// is reachable.
	defer runtime.KeepAlive(p.owner)
	if threads <= 1 {
		t.gemmPacked(0, m, 0, p.n, p.n, p.k, a, lda, p.data, c, ldc)
		return
	}
	bands(m, p.n, t.mr, t.nr, threads, func(i0, i1, j0, j1 int) { t.gemmPacked(i0, i1, j0, j1, p.n, p.k, a, lda, p.data, c, ldc) })
}

// MatVec sets y (n values) to x·B for a row vector x of k values, as
// MatVecBF16 does with the B that p was packed from, bit for bit, on
// threads goroutines.
func (p *PackedBF16) MatVec(x []BF16, y []float32, threads int) {
	switch {
	case len(x) < p.k:
		panic(fmt.Sprintf("kernels: PackedBF16.MatVec: len(x) = %d < %d", len(x), p.k))
	case len(y) < p.n:
		panic(fmt.Sprintf("kernels: PackedBF16.MatVec: len(y) = %d < %d", len(y), p.n))
	}
	if p.n == 0 {
		return
	}
	p.t.matVecPacked(p.n, p.k, x[:p.k], p.data, y[:p.n], max(1, threads))
	runtime.KeepAlive(p.owner) // see Gemm
}

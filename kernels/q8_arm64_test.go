//go:build gc && !purego && !noasm

package kernels

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// TestARM64Q8Tiers checks that SDOT runs only with the dot-product
// extension and SMMLA only with it and the int8 matrix multiply.
func TestARM64Q8Tiers(t *testing.T) {
	checkQ8TierCases(t, q8Table, []tierCase{
		{"none", nil, []string{"portable"}},
		{"asimd", []cpuid.FeatureID{cpuid.ASIMD}, []string{"portable"}},
		{"asimd+asimddp", []cpuid.FeatureID{cpuid.ASIMD, cpuid.ASIMDDP}, []string{"portable", "dotprod"}},
		{"asimd+i8mm", []cpuid.FeatureID{cpuid.ASIMD, cpuid.I8MM}, []string{"portable"}},
		{"asimd+asimddp+i8mm", []cpuid.FeatureID{cpuid.ASIMD, cpuid.ASIMDDP, cpuid.I8MM}, []string{"portable", "dotprod", "i8mm"}},
	})
}

// TestQ8SMMLAMatchesSDOT checks the i8mm tier's prefill against the
// dotprod tier's bit for bit: both make each output one chain of fused
// multiply-adds of the exact block products D and S in block order, from
// zero, through y between k blocks, so that any difference is a layout's
// or a tile's mistake, however small. The shapes put every remainder at
// the 6×8 tile's edges: tokens 2 to 13 (all of m mod 6 and partial tiles
// alone or after full ones), weight rows 1 to 17 (all of rows mod 8), and
// blocks 1, 2, 15, 16, 17 and 33 (part of a k block of 16, all of it, and
// a part one after one or two whole ones, which the tile adds to y); y's
// padding must stay untouched, and 3 threads must give one thread's bits.
func TestQ8SMMLAMatchesSDOT(t *testing.T) {
	if !isa.I8MM.On(&cpuid.CPU) {
		t.Skip("no i8mm on this CPU")
	}
	smmla, err := LookupQ8Tier(isa.I8MM.Name)
	if err != nil {
		t.Fatal(err)
	}
	sdot, err := LookupQ8Tier(isa.DOTPROD.Name)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, blocks := range []int{1, 2, 15, 16, 17, 33} {
		for m := 2; m <= 13; m++ {
			for _, rows := range []int{1, 2, 5, 7, 8, 9, 12, 15, 16, 17} {
				cols := blocks * Q8BlockLen
				x, w := randQ8(r, m, cols), randQ8(r, rows, cols)
				if (m+rows)%2 == 1 {
					x, w = quantQ8(r, m, cols), quantQ8(r, rows, cols)
				}
				ldy := rows + 5
				run := func(ti Q8Tier, threads int) []float32 {
					y := make([]float32, m*ldy)
					for i := range y {
						y[i] = -1.5
					}
					ti.Q8MatMul(x, w, y, ldy, threads)
					return y
				}
				want := run(sdot, 1)
				for _, threads := range []int{1, 3} {
					got := run(smmla, threads)
					if i, ok := bitsEqual(got, want); !ok {
						t.Fatalf("m=%d rows=%d blocks=%d threads=%d: y[%d,%d] = %g, dotprod's %g",
							m, rows, blocks, threads, i/ldy, i%ldy, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestQ8PackSMMLA checks the sliver the tile reads against its layout
// (q8SMMLASliverBlock), for a full sliver and one of 5 rows: block b,
// group g, row pair c holds rows 2c and 2c+1's codes 8g to 8g+7, and
// after the groups come the pairs' scales [w0, w0, w1, w1], zero for the
// rows past the sliver's.
func TestQ8PackSMMLA(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	w := randQ8(r, 13, 20*Q8BlockLen)
	nb := w.Cols / Q8BlockLen
	var buf q8GemmBuf
	for _, tc := range []struct{ jr, rows, pc, blocks int }{{0, 8, 0, 16}, {8, 5, 16, 4}} {
		sliver := make([]byte, q8KBlocks*q8SMMLASliverBlock)
		q8PackSMMLA(&buf, sliver, w, tc.jr, tc.rows, tc.pc, tc.blocks)
		for b := range tc.blocks {
			blk := sliver[b*q8SMMLASliverBlock:][:q8SMMLASliverBlock]
			for row := range tc.rows {
				for j := range Q8BlockLen {
					g, c, h := j/8, row/2, row%2
					want := w.Quants[(tc.jr+row)*w.Cols+(tc.pc+b)*Q8BlockLen+j]
					if got := int8(blk[(4*g+c)*16+8*h+j%8]); got != want {
						t.Fatalf("%+v: block %d row %d code %d = %d, want %d", tc, b, row, j, got, want)
					}
				}
			}
			for i := range 16 {
				var want float32
				if row := i/4*2 + i%4/2; row < tc.rows {
					want = w.Scales[(tc.jr+row)*nb+tc.pc+b].Float32()
				}
				if got := math.Float32frombits(binary.LittleEndian.Uint32(blk[4*4*16+4*i:])); got != want {
					t.Fatalf("%+v: block %d scale %d = %g, want %g", tc, b, i, got, want)
				}
			}
		}
	}
}

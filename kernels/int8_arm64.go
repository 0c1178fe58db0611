//go:build gc && !purego && !noasm

package kernels

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// The arm64 int8 tiers: neon (SMLAL), dotprod (SDOT) and i8mm (SMMLA),
// each a 12×8 register tile of int32 sums in V8-V31 (see lowpTile for the
// packing and blocking they share, int8_arm64.s for the code). The
// throughputs and latencies below are those of LLVM's Neoverse V1 and V2
// scheduling models, on which llvm-mca ran the k loops (the analysis at
// the end of this comment).
//
// neon: plain Advanced SIMD has no int8 dot product, so A and B are packed
// widened to int16 (the sign extension is done once, in the packing) and
// the tile is the SGEMM tile with SMLAL/SMLAL2 by element, int16×int16
// into int32, for FMLA. Per k step:
//
//	loads: 40 bytes (3 LD1: A 12 int16 in a Q and a D register, B 8 int16)
//	SMLAL: 24 (12 rows × SMLAL + SMLAL2): 96 multiply-adds
//
// V1 and V2 issue SMLAL on 2 of their 4 vector pipes with a 4-cycle
// latency: 12 cycles a step against 1 of loads, and 24 chains for the 8
// in flight that need.
//
// dotprod: SDOT Vd.4S, Vn.16B, Vm.4B[i] adds to each int32 lane of Vd the
// dot product of 4 bytes of Vn with group i of Vm. A group of 4 k of
// 4 columns of B is one register, of 4 rows of A another, and by element
// the tile is again the FMLA tile. Per k group:
//
//	loads: 80 bytes (2 LD1: A 3 registers, B 2)
//	SDOT:  24: 384 multiply-adds
//
// V1 and V2 issue SDOT on all 4 vector pipes (latency 2 on V1, 3 on V2):
// 6 cycles of SDOT against under 2 of loads, 24 chains for the 12 in
// flight.
//
// i8mm: SMMLA Vd.4S, Vn.16B, Vm.16B adds a 2×8 by 8×2 int8 product to the
// 2×2 int32 block in Vd. The 12×8 tile is 6 row pairs by 4 column pairs,
// 24 accumulators, V0-V3 holding A (four pairs, then two more into V0, V1)
// and V4-V7 B: 32 registers, all used. Per k group of 8:
//
//	loads: 160 bytes (3 LD1: A 4 registers then 2, B 4)
//	SMMLA: 24: 768 multiply-adds, twice SDOT's for the same issue slots
//
// V1 and V2 issue SMMLA on all 4 pipes, latency 3: 6 cycles a group
// against 3.3 of loads, 24 chains for 12 in flight. The tile stores
// through ZIP1/ZIP2, which turn the 2×2 blocks back into rows of C. The
// tile is also BFMMLA's (bf16_arm64.go), whose latency is 5 (V1) or 6
// (V2): 4 pipes × 6 cycles is 24 chains, which the tile has exactly. An
// 8×8 tile (16 accumulators) would leave V2's BFMMLA pipes a third idle.
//
// llvm-mca-19 -mtriple=aarch64 -mcpu=neoverse-v1 (and -mcpu=neoverse-v2,
// the same to a cycle) on each k loop as disassembled from the test
// binary, 4 steps an iteration, 300 iterations:
//
//	tile12x8 (FMLA, fp32-neon)	24.04 cycles/iter	96 FMLA	99.8% of 4/cycle
//	tileSMLAL12x8			48.04			96 SMLAL	99.9% of 2/cycle
//	tileSDOT12x8			24.03			96 SDOT	99.9% of 4/cycle
//	tileSMMLA12x8			24.04			96 SMMLA	99.8% of 4/cycle
//	tileBFMMLA12x8			24.05			96 BFMMLA	99.8% of 4/cycle
//
// and the dot loops (24 instructions an iteration) 12.02 (SMLAL), 6.01-6.02
// (SDOT), 6.02 (SMMLA) and 6.02-6.03 (BFMMLA) cycles: 99.6-99.8%.
//
// kc: an A sliver is 12·kc packed values and a B sliver 8·kc, 20·kc bytes
// in all for SDOT and SMMLA (40 for SMLAL's int16), so kc = 1024 (512 for
// SMLAL) keeps both in a third of the 64 KiB L1d of a Neoverse core, with
// the kc×nc panel of B in L2 (nc = 512: 512 KiB). An int32 sum of k
// products of int8 is exact for k up to 2¹⁷, so blocking k changes
// nothing.
var (
	smlalTile = &lowpTile[int8, int16, int32]{
		mr: 12, nr: 8, kg: 1, kc: 512, nc: 512,
		packA: packAInt16, packB: packBInt16, blockB: blockBInt16, bStep: 8,
		tile: tileSMLAL,
		bufs: new(freeList[lowpBuf[int16, int32]]),
	}
	sdotTile = &lowpTile[int8, int8, int32]{
		mr: 12, nr: 8, kg: 4, kc: 1024, nc: 512,
		packA: packAG4[int8], packB: packBInt8G4Sliver, blockB: blockBInt8G4, bStep: 8,
		tile: tileSDOT,
		bufs: new(freeList[lowpBuf[int8, int32]]),
	}
	smmlaTile = &lowpTile[int8, int8, int32]{
		mr: 12, nr: 8, kg: 8, kc: 1024, nc: 512,
		packA: packAInt8G8, packB: packBInt8G8Sliver, blockB: blockBInt8G8, bStep: 8,
		tile: tileSMMLA,
		bufs: new(freeList[lowpBuf[int8, int32]]),
	}
)

// The dot loops run 24 independent chains of the tile's instruction, one
// per accumulator, as the tile's k step does: multiply-adds per step are
// 24 × 4 lanes (SMLAL), × 16 (SDOT: 4 lanes of 4), × 32 (SMMLA: 2×2 of 8).
const (
	dotSMLALOpsPerIter = 24 * 4 * 2
	dotSDOTOpsPerIter  = 24 * 16 * 2
	dotSMMLAOpsPerIter = 24 * 32 * 2
)

//go:noescape
func dotLoopSMLAL(iters int) int64

//go:noescape
func dotLoopSDOT(iters int) int64

//go:noescape
func dotLoopSMMLA(iters int) int64

// checkTile panics unless the slices hold what a 12×8 tile of kq packed k
// reads and writes: the assembly does no bounds checks of its own.
func checkTile(name string, kq, kg, lenA, lenB, lenC, ldc int) {
	if kq < 0 || kq%kg != 0 || lenA < kq*12 || lenB < kq*8 || ldc < 8 || lenC < 11*ldc+8 {
		panic(fmt.Sprintf("kernels: %s: kq = %d, len(a) = %d, len(b) = %d, len(c) = %d, ldc = %d", name, kq, lenA, lenB, lenC, ldc))
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func tileSMLAL(kq int, a, b []int16, c []int32, ldc int, acc bool) {
	checkTile("tileSMLAL", kq, 1, len(a), len(b), len(c), ldc)
	tileSMLAL12x8(kq, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, b2i(acc))
}

func tileSDOT(kq int, a, b []int8, c []int32, ldc int, acc bool) {
	checkTile("tileSDOT", kq, 4, len(a), len(b), len(c), ldc)
	tileSDOT12x8(kq/4, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, b2i(acc))
}

func tileSMMLA(kq int, a, b []int8, c []int32, ldc int, acc bool) {
	checkTile("tileSMMLA", kq, 8, len(a), len(b), len(c), ldc)
	tileSMMLA12x8(kq/8, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, b2i(acc))
}

// tileSMLAL12x8 computes the 12×8 tile of kq k steps of packed int16 A
// (12 a step) and B (8 a step) into c, rows ldc elements apart, adding
// to c when acc is 1.
//
//go:noescape
func tileSMLAL12x8(kq int, a, b *int16, c *int32, ldc int, acc int)

// tileSDOT12x8 is tileSMLAL12x8 for SDOT: kq groups of 4 k, 48 bytes of
// A and 32 of B each.
//
//go:noescape
func tileSDOT12x8(kq int, a, b *int8, c *int32, ldc int, acc int)

// tileSMMLA12x8 is tileSMLAL12x8 for SMMLA: kq groups of 8 k, 96 bytes of
// A and 64 of B each.
//
//go:noescape
func tileSMMLA12x8(kq int, a, b *int8, c *int32, ldc int, acc int)

// packAInt16 packs an A sliver for SMLAL: k-major, 12 int16 a k.
func packAInt16(dst []int16, a []int8, lda, rows, kc int) {
	dst = dst[:kc*12]
	for i := range rows {
		for p, v := range a[i*lda : i*lda+kc] {
			dst[p*12+i] = int16(v)
		}
	}
	for i := rows; i < 12; i++ {
		for p := range kc {
			dst[p*12+i] = 0
		}
	}
}

// packBInt16 packs rows p0 to kc of a B sliver for SMLAL: k-major, 8
// int16 a k.
func packBInt16(dst []int16, b []int8, ldb, p0, kc, cols int) {
	dst = dst[:kc*8]
	for p := p0; p < kc; p++ {
		d := dst[p*8 : p*8+8 : p*8+8]
		for j, v := range b[p*ldb : p*ldb+cols] {
			d[j] = int16(v)
		}
		clear(d[cols:])
	}
}

// blockBInt16 packs 8 rows of a full B sliver for SMLAL.
func blockBInt16(d []int16, b []int8, ldb int) {
	d = d[:64]
	for t := range 8 {
		s := b[t*ldb : t*ldb+8 : t*ldb+8]
		o := d[t*8 : t*8+8 : t*8+8]
		o[0], o[1], o[2], o[3] = int16(s[0]), int16(s[1]), int16(s[2]), int16(s[3])
		o[4], o[5], o[6], o[7] = int16(s[4]), int16(s[5]), int16(s[6]), int16(s[7])
	}
}

// packAG4 packs an A sliver for SDOT (int8) or BFMMLA (bf16): per group
// of 4 k, 12 rows of 4 values; for BFMMLA rows 2i and 2i+1 make one
// 16-byte operand.
func packAG4[T int8 | BF16](dst []T, a []T, lda, rows, kc int) {
	const mr, kg = 12, 4
	groups := (kc + kg - 1) / kg
	dst = dst[:groups*mr*kg]
	full := kc / kg
	for i := range rows {
		row := a[i*lda : i*lda+kc]
		for q := range full {
			*(*[kg]T)(dst[q*mr*kg+i*kg:]) = *(*[kg]T)(row[q*kg:])
		}
		if full < groups {
			d := dst[full*mr*kg+i*kg : full*mr*kg+i*kg+kg]
			clear(d[copy(d, row[full*kg:]):])
		}
	}
	for i := rows; i < mr; i++ {
		for q := range groups {
			*(*[kg]T)(dst[q*mr*kg+i*kg:]) = [kg]T{}
		}
	}
}

// packAInt8G8 packs an A sliver for SMMLA: per group of 8 k, 12 rows of
// 8 bytes, so that rows 2i and 2i+1 make one 16-byte operand.
func packAInt8G8(dst []int8, a []int8, lda, rows, kc int) {
	const mr, kg = 12, 8
	groups := (kc + kg - 1) / kg
	dst = dst[:groups*mr*kg]
	full := kc / kg
	for i := range rows {
		row := a[i*lda : i*lda+kc]
		for q := range full {
			*(*[kg]int8)(dst[q*mr*kg+i*kg:]) = *(*[kg]int8)(row[q*kg:])
		}
		if full < groups {
			d := dst[full*mr*kg+i*kg : full*mr*kg+i*kg+kg]
			clear(d[copy(d, row[full*kg:]):])
		}
	}
	for i := rows; i < mr; i++ {
		for q := range groups {
			*(*[kg]int8)(dst[q*mr*kg+i*kg:]) = [kg]int8{}
		}
	}
}

// packBGroups packs rows p0 to kc (and the padding to a multiple of kg)
// of a B sliver of 8 columns with k in groups of kg: the transpose of each
// kg×8 block of B, zero past kc and past cols, one value at a time, for
// the edges that the word-wide blocks below leave.
func packBGroups[T int8 | BF16](dst []T, b []T, ldb, p0, kc, cols, kg int) {
	const nr = 8
	groups := (kc + kg - 1) / kg
	dst = dst[:groups*nr*kg]
	for p := p0; p < groups*kg; p++ {
		d := dst[p/kg*nr*kg+p%kg:]
		for j := range nr {
			if j < cols && p < kc {
				d[j*kg] = b[p*ldb+j]
			} else {
				d[j*kg] = 0
			}
		}
	}
}

func packBInt8G4Sliver(dst []int8, b []int8, ldb, p0, kc, cols int) {
	packBGroups(dst, b, ldb, p0, kc, cols, 4)
}

func packBInt8G8Sliver(dst []int8, b []int8, ldb, p0, kc, cols int) {
	packBGroups(dst, b, ldb, p0, kc, cols, 8)
}

// Packing B is a transpose: every value moves, once per call and
// goroutine. A byte of B is worth rows/128 cycles of SMMLA (8 at 1024 rows
// of A a goroutine, 2 at 256), and one value at a time, sliver by sliver,
// this Go code packs at 0.5-1.4 ns a byte on an x86 host (noisy). The
// blocks below take an 8×8 block of bytes (or a 4×4 of bf16) through
// three (two) rounds of masked swaps between 64-bit words instead, and
// lowpTile's packPanel runs them across the whole panel a few rows at a
// time, so that those rows stay in L1 while every sliver takes its part:
// 0.4-0.5 ns a byte there. Packing B with NEON (TRN1/TRN2, ZIP) would be
// the next step if arm64 hosts show it.

// transpose8x8 transposes the 8×8 bytes in w: byte j of w[i] goes to byte
// i of w[j]. Each round swaps s-byte blocks between words s apart.
func transpose8x8(w *[8]uint64) {
	const m4, m2, m1 = 0x00000000FFFFFFFF, 0x0000FFFF0000FFFF, 0x00FF00FF00FF00FF
	swap := func(i, j int, sh uint, m uint64) {
		t := (w[i]>>sh ^ w[j]) & m
		w[j] ^= t
		w[i] ^= t << sh
	}
	swap(0, 4, 32, m4)
	swap(1, 5, 32, m4)
	swap(2, 6, 32, m4)
	swap(3, 7, 32, m4)
	swap(0, 2, 16, m2)
	swap(1, 3, 16, m2)
	swap(4, 6, 16, m2)
	swap(5, 7, 16, m2)
	swap(0, 1, 8, m1)
	swap(2, 3, 8, m1)
	swap(4, 5, 8, m1)
	swap(6, 7, 8, m1)
}

// transpose4x4x16 transposes the 4×4 uint16 values in w.
func transpose4x4x16(w *[4]uint64) {
	const m2, m1 = 0x00000000FFFFFFFF, 0x0000FFFF0000FFFF
	swap := func(i, j int, sh uint, m uint64) {
		t := (w[i]>>sh ^ w[j]) & m
		w[j] ^= t
		w[i] ^= t << sh
	}
	swap(0, 2, 32, m2)
	swap(1, 3, 32, m2)
	swap(0, 1, 16, m1)
	swap(2, 3, 16, m1)
}

// load8x8 reads 8 bytes of each of 8 rows of b, ldb apart.
func load8x8(w *[8]uint64, b []int8, ldb int) {
	s := int8Bytes(b)
	_ = s[7*ldb+7]
	for t := range 8 {
		w[t] = binary.LittleEndian.Uint64(s[t*ldb:])
	}
}

// blockBInt8G8 packs 8 rows, one group, of a full B sliver for SMMLA.
func blockBInt8G8(d []int8, b []int8, ldb int) {
	var w [8]uint64
	load8x8(&w, b, ldb)
	transpose8x8(&w)
	o := int8Bytes(d[:64])
	for j := range 8 {
		binary.LittleEndian.PutUint64(o[j*8:], w[j])
	}
}

// blockBInt8G4 packs 8 rows, two groups, of a full B sliver for SDOT: the
// lower 4 bytes of each column's word go to the first group, the upper to
// the second.
func blockBInt8G4(d []int8, b []int8, ldb int) {
	var w [8]uint64
	load8x8(&w, b, ldb)
	transpose8x8(&w)
	o := int8Bytes(d[:64])
	for j := range 8 {
		binary.LittleEndian.PutUint32(o[j*4:], uint32(w[j]))
		binary.LittleEndian.PutUint32(o[32+j*4:], uint32(w[j]>>32))
	}
}

// blockBBF16G4 packs 4 rows, one group, of a full B sliver for BFMMLA.
func blockBBF16G4(d []BF16, b []BF16, ldb int) {
	s := bf16Bytes(b)
	_ = s[2*(3*ldb+7)+1]
	var lo, hi [4]uint64
	for t := range 4 {
		lo[t] = binary.LittleEndian.Uint64(s[2*t*ldb:])
		hi[t] = binary.LittleEndian.Uint64(s[2*t*ldb+8:])
	}
	transpose4x4x16(&lo)
	transpose4x4x16(&hi)
	o := bf16Bytes(d[:32])
	for j := range 4 {
		binary.LittleEndian.PutUint64(o[j*8:], lo[j])
		binary.LittleEndian.PutUint64(o[32+j*8:], hi[j])
	}
}

func packBBF16G4Sliver(dst []BF16, b []BF16, ldb, p0, kc, cols int) {
	packBGroups(dst, b, ldb, p0, kc, cols, 4)
}

// int8Bytes and bf16Bytes view packing input and output as bytes, for the
// word transposes; arm64 is little-endian, as the packed layouts assume.
func int8Bytes(x []int8) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}
func bf16Bytes(x []BF16) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), 2*len(x))
}

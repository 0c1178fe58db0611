//go:build gc && !purego && !noasm

package kernels

import (
	"encoding/binary"
	"unsafe"
)

// Packing for the int8 tiles (see int8Kernel for the layouts). Packing is
// O(n²) beside the tiles' O(n³), but done a byte at a time it took a
// quarter of GemmInt8 n=2048 on Zen 4. The vnni tier packs whole blocks
// of A and B with AVX-512 and the avx2 tier B with AVX2 (int8_amd64.s),
// each tier with its own instructions only; Go packs the edges and the
// avx2 tier's A, a pair of int16 a store.

// int8Bytes returns x's bytes.
func int8Bytes(x []int8) *byte { return (*byte)(unsafe.Pointer(unsafe.SliceData(x))) }

// packAInt8VNNI packs an A sliver for the vnni tile: for each group of 4
// k, the 4 bytes of each of the 12 rows, each byte A+128 (A xor 0x80) for
// VPDPBUSD's unsigned operand. Padding is 0x80, that is A = 0, though any
// value would do: the B bytes it meets are zero. A full sliver goes 64 k
// at a time through packA12x64VNNI.
func packAInt8VNNI(dst []byte, a []int8, lda, rows, kc int) {
	const mr = 12
	if blocks := kc / 64; rows == mr && blocks > 0 {
		// The bounds the assembly touches.
		_, _ = dst[blocks*16*4*mr-1], a[(mr-1)*lda+blocks*64-1]
		packA12x64VNNI(unsafe.SliceData(dst), int8Bytes(a), lda, blocks)
		if done := blocks * 64; done < kc {
			packAInt8VNNIGo(dst[done*mr:], a[done:], lda, rows, kc-done)
		}
		return
	}
	packAInt8VNNIGo(dst, a, lda, rows, kc)
}

// packAInt8VNNIGo is packAInt8VNNI in Go.
func packAInt8VNNIGo(dst []byte, a []int8, lda, rows, kc int) {
	const mr = 12
	groups := (kc + 3) / 4
	dst = dst[:groups*4*mr]
	full := kc / 4
	for i := range rows {
		row := a[i*lda : i*lda+kc]
		d := dst[i*4:]
		for g := range full {
			v := uint32(uint8(row[4*g])) | uint32(uint8(row[4*g+1]))<<8 | uint32(uint8(row[4*g+2]))<<16 | uint32(uint8(row[4*g+3]))<<24
			binary.LittleEndian.PutUint32(d[g*4*mr:], v^0x80808080)
		}
		if full < groups {
			v := uint32(0x80808080)
			for t := range kc - 4*full {
				v ^= uint32(uint8(row[4*full+t])) << (8 * t)
			}
			binary.LittleEndian.PutUint32(d[full*4*mr:], v)
		}
	}
	for i := rows; i < mr; i++ {
		for g := range groups {
			binary.LittleEndian.PutUint32(dst[(g*mr+i)*4:], 0x80808080)
		}
	}
}

// packBPanelVNNI packs nc columns of B into vnni slivers, 64 columns (two
// slivers) of whole groups at a time with packB64VNNI, the rest in Go.
func packBPanelVNNI(dst []byte, b []int8, ldb, kc, nc, sliver int) {
	const nr = 32
	full := kc / 4
	j := 0
	for ; j+2*nr <= nc && full > 0; j += 2 * nr {
		d := dst[j/nr*sliver : (j/nr+2)*sliver]
		// The bounds the assembly touches.
		_, _ = d[2*sliver-1], b[(4*full-1)*ldb+j+2*nr-1]
		packB64VNNI(unsafe.SliceData(d), int8Bytes(b[j:]), ldb, full, sliver)
		if rest := kc - 4*full; rest > 0 {
			// The last, partial group: its bytes, zero-padded, and its
			// share of the headers.
			for s := range 2 {
				ds := d[s*sliver : (s+1)*sliver]
				g := ds[nr*4+full*4*nr : nr*4+(full+1)*4*nr]
				clear(g)
				for jj := range nr {
					h := int32(binary.LittleEndian.Uint32(ds[4*jj:]))
					for q := range rest {
						v := b[(4*full+q)*ldb+j+s*nr+jj]
						g[4*jj+q] = byte(v)
						h -= 128 * int32(v)
					}
					binary.LittleEndian.PutUint32(ds[4*jj:], uint32(h))
				}
			}
		}
	}
	for ; j < nc; j += nr {
		packBInt8VNNI(dst[j/nr*sliver:(j/nr+1)*sliver], b[j:], ldb, kc, min(nr, nc-j))
	}
}

// packBPanelInt16Pairs packs nc columns of B into avx2 slivers: whole
// pairs of rows of whole slivers with packB16PairsAVX2, the rest in Go.
func packBPanelInt16Pairs(dst []byte, b []int8, ldb, kc, nc, sliver int) {
	const nr = 16
	pairs, slivers := kc/2, nc/nr
	if pairs > 0 && slivers > 0 {
		// The bounds the assembly touches.
		_, _ = dst[(slivers-1)*sliver+pairs*4*nr-1], b[(2*pairs-1)*ldb+slivers*nr-1]
		packB16PairsAVX2(unsafe.SliceData(dst), int8Bytes(b), ldb, pairs, slivers, sliver)
		if kc%2 != 0 {
			// The last row, paired with zeros.
			row := b[(kc-1)*ldb:]
			for s := range slivers {
				d := dst[s*sliver+pairs*4*nr : s*sliver+(pairs+1)*4*nr]
				for j, v := range row[s*nr : (s+1)*nr] {
					binary.LittleEndian.PutUint32(d[4*j:], uint32(uint16(int16(v))))
				}
			}
		}
	} else {
		slivers = 0
	}
	for j := slivers * nr; j < nc; j += nr {
		packBInt16Pairs(dst[j/nr*sliver:(j/nr+1)*sliver], b[j:], ldb, kc, min(nr, nc-j))
	}
}

// packBInt8VNNI packs a B sliver for the vnni tile: a header of 32 int32,
// -128·Σ_p B[p][j] for each column j, then for each group of 4 k the 4
// bytes of each of the 32 columns, zero past kc and past cols.
func packBInt8VNNI(dst []byte, b []int8, ldb, kc, cols int) {
	const nr = 32
	groups := (kc + 3) / 4
	dst = dst[:nr*4+groups*4*nr]
	var sum [nr]int32
	body := dst[nr*4:]
	clear(body)
	for p := range kc {
		row := b[p*ldb : p*ldb+cols]
		d := body[(p/4)*4*nr+p%4:]
		for j, v := range row {
			d[4*j] = byte(v)
			sum[j] += int32(v)
		}
	}
	for j, s := range sum {
		binary.LittleEndian.PutUint32(dst[4*j:], uint32(-128*s))
	}
}

// packAInt16Pairs packs an A sliver for the avx2 tile: for each pair of
// k, the two values of each of the 6 rows as int16, zero-padded. Each
// pair is one 32-bit store.
func packAInt16Pairs(dst []byte, a []int8, lda, rows, kc int) {
	const mr = 6
	pairs := (kc + 1) / 2
	dst = dst[:pairs*4*mr]
	full := kc / 2
	for i := range rows {
		row := a[i*lda : i*lda+kc]
		d := dst[i*4:]
		for g := range full {
			v := uint32(uint16(int16(row[2*g]))) | uint32(uint16(int16(row[2*g+1])))<<16
			binary.LittleEndian.PutUint32(d[g*4*mr:], v)
		}
		if full < pairs {
			binary.LittleEndian.PutUint32(d[full*4*mr:], uint32(uint16(int16(row[kc-1]))))
		}
	}
	for i := rows; i < mr; i++ {
		for g := range pairs {
			binary.LittleEndian.PutUint32(dst[(g*mr+i)*4:], 0)
		}
	}
}

// packBInt16Pairs packs a B sliver for the avx2 tile: for each pair of k,
// the two values of each of the 16 columns as int16, zero-padded.
func packBInt16Pairs(dst []byte, b []int8, ldb, kc, cols int) {
	const nr = 16
	pairs := (kc + 1) / 2
	dst = dst[:pairs*2*nr*2]
	clear(dst)
	for p := range kc {
		row := b[p*ldb : p*ldb+cols]
		d := dst[(p/2)*nr*4+(p%2)*2:]
		for j, v := range row {
			binary.LittleEndian.PutUint16(d[4*j:], uint16(int16(v)))
		}
	}
}

package des

import "encoding/binary"

// The key schedule of FIPS 46-3 applies PC-1 to the key, rotates the two
// 28-bit halves C and D sixteen times, and applies PC-2 to each CnDn. Done
// bit by bit, as the standard describes it, that is 56 + 16·48 single-bit
// moves. Here both permutations are tables built once from permutedChoice1
// and permutedChoice2: PC-1 is 16 lookups, one per key nibble, and each
// round key is 8 lookups, one per 7-bit slice of CnDn, that OR together.
//
// CnDn is held in the low 56 bits of a uint64, bit j of CnDn (1-based, as in
// PC-2) at position 56-j: C in bits 55…28, D in bits 27…0.

// schedule holds the round keys K1…K16 in the layout the rounds use (see
// roundKeyPosition), two rounds to an element: K2i+1 is the odd word
// ks[i][0] and even word ks[i][1], K2i+2 likewise ks[i][2] and ks[i][3].
type schedule [8][4]uint32

// pc1Table[i][v] is the part of C0D0 that nibble i of the key (i = 0 is the
// high nibble of the first byte) contributes when its value is v.
var pc1Table = makePC1Table()

// pc2Table[i][v] is the part of the round key, in the rounds' layout, that
// bits 7i+1…7i+7 of CnDn contribute when they read v (bit 7i+1 is the most
// significant bit of v).
var pc2Table = makePC2Table()

// cumulativeShifts[n] is how far C0 and D0 are rotated to give Cn+1 and
// Dn+1: the running sum of leftShifts.
var cumulativeShifts = func() (s [16]uint8) {
	var sum uint8
	for n, shift := range leftShifts {
		sum += shift
		s[n] = sum
	}
	return s
}()

func makePC1Table() (t [16][16]uint64) {
	for j, keyBit := range permutedChoice1 {
		nibble := (keyBit - 1) / 4
		bit := 3 - (keyBit-1)%4 // position within the nibble's value
		for v := range 16 {
			if v>>bit&1 != 0 {
				t[nibble][v] |= 1 << (55 - j)
			}
		}
	}
	return t
}

func makePC2Table() (t [8][128]uint64) {
	for i, cdBit := range permutedChoice2 {
		slice := (cdBit - 1) / 7
		bit := 6 - (cdBit-1)%7 // position within the slice's value
		for v := range 128 {
			if v>>bit&1 != 0 {
				t[slice][v] |= 1 << roundKeyPosition(i+1)
			}
		}
	}
	return t
}

// roundKeyPosition returns where bit n (1…48) of a round key Kn sits in the
// schedule's layout, as a position in a uint64 whose high word is the odd
// word and low word the even word. Kn is eight 6-bit groups B1…B8, B(j)
// meeting window j of E(R) at the input of S-box j; each group sits in its
// word where the rounds find window j in the rotated half (see block.go):
// B2, B4, B6, B8 at bits 29…24, 21…16, 13…8, 5…0 of the even word; B3, B5,
// B7 at bits 25…20, 17…12, 9…4 of the odd word and B1 at its bits 1, 0,
// 31…28. The other bits are zero.
func roundKeyPosition(n int) uint {
	g := (n - 1) / 6     // group B(g+1)
	b := 5 - (n-1)%6     // bit within the group, 5 = most significant
	pos := 8*(3-g/2) + b // B2: 29…24, …, B8: 5…0
	if g%2 == 0 {        // B1, B3, B5, B7
		pos = (pos+4)%32 + 32 // B1: 1, 0, 31…28 of the word; B3: 25…20; …
	}
	return uint(pos)
}

// expandKey computes the round keys of the 8-byte DES key key into ks. The
// parity bits (the least significant bit of each byte) are ignored.
func expandKey(ks *schedule, key []byte) {
	k := binary.BigEndian.Uint64(key)
	var cd uint64
	for i := range 16 {
		cd |= pc1Table[i][k>>(60-4*i)&0xf]
	}
	// Each half, written twice side by side, so that a rotation by s is a
	// shift by 28-s of the doubled value.
	c := cd >> 28 & 0xfffffff
	d := cd & 0xfffffff
	cc := c<<28 | c
	dd := d<<28 | d
	for n, s := range cumulativeShifts {
		cn := cc >> (28 - s)
		dn := dd >> (28 - s)
		k := pc2Table[0][cn>>21&0x7f] |
			pc2Table[1][cn>>14&0x7f] |
			pc2Table[2][cn>>7&0x7f] |
			pc2Table[3][cn&0x7f] |
			pc2Table[4][dn>>21&0x7f] |
			pc2Table[5][dn>>14&0x7f] |
			pc2Table[6][dn>>7&0x7f] |
			pc2Table[7][dn&0x7f]
		ks[n/2][n%2*2] = uint32(k >> 32)
		ks[n/2][n%2*2+1] = uint32(k)
	}
}

package des

import (
	"encoding/binary"
	"math/bits"
)

// The rounds of FIPS 46-3 compute f(R, K) = P(S(E(R) ⊕ K)). E(R) is eight
// overlapping 6-bit windows of R: window j (1…8) is bits 4j-4…4j+1 of R,
// counted cyclically so that bit 0 is bit 32 and bit 33 is bit 1. Here both
// halves of the block are held rotated left by one place for all sixteen
// rounds. Then, counting bit positions from the least significant, windows
// 2, 4, 6 and 8 lie in bits 29…24, 21…16, 13…8 and 5…0, windows 3, 5 and 7
// in bits 25…20, 17…12 and 9…4, and window 1 in bits 1, 0, 31…28, which a
// rotation left by four brings to 5…0. The round keys are laid out to match
// (roundKeyPosition), so that one XOR with each of a round key's two words
// gives all eight S-box inputs, each extracted with a shift and a mask. Each
// S-box is then one lookup in a table that also applies P and the rotation.
//
// A round XORs the S-box outputs into the other half in two groups of four,
// even S-boxes then odd, so that the first XOR proceeds while the second
// group's lookups finish, rather than the half waiting for an XOR of the
// two groups. That, extracting window 1 alone by rotation, and passing the
// tables' address as an argument keep the rounds a little faster than
// crypto/des's (README.md).

// spTable[j][v] is P applied to the output of S-box j+1 for input v, the
// other 28 bits being zero, rotated left by one place.
var spTable = makeSPTable()

func makeSPTable() (t [8][64]uint32) {
	for j := range sBoxes {
		for v := range 64 {
			row := v>>4&2 | v&1
			col := v >> 1 & 0xf
			s := uint32(sBoxes[j][row][col]) << (28 - 4*j) // bits 4j+1…4j+4
			var p uint32
			for i, from := range permutationP {
				p |= (s >> (32 - from) & 1) << (31 - i)
			}
			t[j][v] = bits.RotateLeft32(p, 1)
		}
	}
	return t
}

// encryptRounds applies the sixteen rounds to the rotated halves l and r
// with K1…K16 in order, and returns L16 and R16, still rotated; the
// preoutput block is R16L16. sp is &spTable: passed in, it is one base
// register for the eight tables, where the global's address costs an
// instruction per lookup.
func encryptRounds(sp *[8][64]uint32, ks *schedule, l, r uint32) (uint32, uint32) {
	for i := range ks {
		k := &ks[i] // K2i+1 and K2i+2
		odd := r ^ k[0]
		even := r ^ k[1]
		l ^= (sp[1][even>>24&0x3f] | sp[3][even>>16&0x3f]) |
			(sp[5][even>>8&0x3f] | sp[7][even&0x3f])
		l ^= (sp[0][bits.RotateLeft32(odd, 4)&0x3f] | sp[2][odd>>20&0x3f]) |
			(sp[4][odd>>12&0x3f] | sp[6][odd>>4&0x3f])
		odd = l ^ k[2]
		even = l ^ k[3]
		r ^= (sp[1][even>>24&0x3f] | sp[3][even>>16&0x3f]) |
			(sp[5][even>>8&0x3f] | sp[7][even&0x3f])
		r ^= (sp[0][bits.RotateLeft32(odd, 4)&0x3f] | sp[2][odd>>20&0x3f]) |
			(sp[4][odd>>12&0x3f] | sp[6][odd>>4&0x3f])
	}
	return l, r
}

// decryptRounds is encryptRounds with K16…K1.
func decryptRounds(sp *[8][64]uint32, ks *schedule, l, r uint32) (uint32, uint32) {
	for i := len(ks) - 1; i >= 0; i-- {
		k := &ks[i] // K2i+2 and K2i+1
		odd := r ^ k[2]
		even := r ^ k[3]
		l ^= (sp[1][even>>24&0x3f] | sp[3][even>>16&0x3f]) |
			(sp[5][even>>8&0x3f] | sp[7][even&0x3f])
		l ^= (sp[0][bits.RotateLeft32(odd, 4)&0x3f] | sp[2][odd>>20&0x3f]) |
			(sp[4][odd>>12&0x3f] | sp[6][odd>>4&0x3f])
		odd = l ^ k[0]
		even = l ^ k[1]
		r ^= (sp[1][even>>24&0x3f] | sp[3][even>>16&0x3f]) |
			(sp[5][even>>8&0x3f] | sp[7][even&0x3f])
		r ^= (sp[0][bits.RotateLeft32(odd, 4)&0x3f] | sp[2][odd>>20&0x3f]) |
			(sp[4][odd>>12&0x3f] | sp[6][odd>>4&0x3f])
	}
	return l, r
}

// initialPermutation returns IP(b) as the halves L0 and R0, each rotated left
// by one place as the rounds want them. It shifts and masks, with no table
// lookups: the block is often secret (a PIN block), and a table indexed by
// its bits would show them to a cache-timing observer more plainly than the
// S-box lookups, whose indexes are mixed with the key.
//
// Number the positions of the uint64 from its least significant bit and
// write each as 8y+x, y the row (byte from the right) and x the column (bit
// from the right), each three bits y2y1y0 and x2x1x0. IP fills output
// position (y, x) from the input position with row (¬x2 ¬x1 ¬x0) and column
// (y1 y0 ¬y2): a transpose of the 8×8 matrix with some index bits
// complemented and the rows reordered. Five exchanges of index bits do it:
// the first three transpose, complementing both indices, and the last two
// reorder the rows. TestInitialPermutation checks the result against the
// standard's table for every bit.
func initialPermutation(b uint64) (l, r uint32) {
	b = swapIndexBits(b, 36, 0x000000000f0f0f0f) // bits 5 and 2, complemented
	b = swapIndexBits(b, 18, 0x0000333300003333) // bits 4 and 1, complemented
	b = swapIndexBits(b, 9, 0x0055005500550055)  // bits 3 and 0, complemented
	b = swapIndexBits(b, 48, 0x000000000000ffff) // bits 5 and 4, complemented
	b = swapIndexBits(b, 24, 0x00000000ff00ff00) // bits 5 and 3
	return bits.RotateLeft32(uint32(b>>32), 1), bits.RotateLeft32(uint32(b), 1)
}

// finalPermutation returns IP⁻¹ of the preoutput block RL, given the
// rotated halves: the swaps of initialPermutation in reverse order.
func finalPermutation(r, l uint32) uint64 {
	b := uint64(bits.RotateLeft32(r, -1))<<32 | uint64(bits.RotateLeft32(l, -1))
	b = swapIndexBits(b, 24, 0x00000000ff00ff00)
	b = swapIndexBits(b, 48, 0x000000000000ffff)
	b = swapIndexBits(b, 9, 0x0055005500550055)
	b = swapIndexBits(b, 18, 0x0000333300003333)
	b = swapIndexBits(b, 36, 0x000000000f0f0f0f)
	return b
}

// swapIndexBits exchanges each bit of b at a position in mask with the bit
// delta places above it.
//
// The three terms are independent, which makes the swap one step shorter
// from input to output than the usual form with XORs.
func swapIndexBits(b uint64, delta uint, mask uint64) uint64 {
	return b&^(mask|mask<<delta) | (b&mask)<<delta | b>>delta&mask
}

// cryptBlock runs one DES block through IP, the rounds and IP⁻¹.
func cryptBlock(ks *schedule, dst, src []byte, decrypt bool) {
	l, r := initialPermutation(binary.BigEndian.Uint64(src))
	if decrypt {
		l, r = decryptRounds(&spTable, ks, l, r)
	} else {
		l, r = encryptRounds(&spTable, ks, l, r)
	}
	binary.BigEndian.PutUint64(dst, finalPermutation(r, l))
}

// cryptBlockEDE computes E(k3, D(k2, E(k1, src))), or with decrypt
// D(k3, E(k2, D(k1, src))), into dst: IP, three DES passes and IP⁻¹.
// Between passes IP⁻¹ and IP cancel, leaving only the swap of halves. TDEA
// encryption (SP 800-67 Rev. 2, 3.1) passes K1, K2, K3 and decryption K3,
// K2, K1.
func cryptBlockEDE(k1, k2, k3 *schedule, dst, src []byte, decrypt bool) {
	l, r := initialPermutation(binary.BigEndian.Uint64(src))
	if decrypt {
		l, r = decryptRounds(&spTable, k1, l, r)
		r, l = encryptRounds(&spTable, k2, r, l)
		l, r = decryptRounds(&spTable, k3, l, r)
	} else {
		l, r = encryptRounds(&spTable, k1, l, r)
		r, l = decryptRounds(&spTable, k2, r, l)
		l, r = encryptRounds(&spTable, k3, l, r)
	}
	binary.BigEndian.PutUint64(dst, finalPermutation(r, l))
}

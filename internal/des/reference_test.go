package des

// A reference DES that follows FIPS 46-3 step by step, one bit at a time,
// from the standard's tables; slow, and sharing no code with the package
// but the tables of tables.go. The tests compare the fast key schedule,
// permutations and rounds with it.

// initialPermutationTable is IP: bit i+1 of IP(b) is bit
// initialPermutationTable[i] of b.
var initialPermutationTable = [64]uint8{
	58, 50, 42, 34, 26, 18, 10, 2,
	60, 52, 44, 36, 28, 20, 12, 4,
	62, 54, 46, 38, 30, 22, 14, 6,
	64, 56, 48, 40, 32, 24, 16, 8,
	57, 49, 41, 33, 25, 17, 9, 1,
	59, 51, 43, 35, 27, 19, 11, 3,
	61, 53, 45, 37, 29, 21, 13, 5,
	63, 55, 47, 39, 31, 23, 15, 7,
}

// finalPermutationTable is IP⁻¹.
var finalPermutationTable = [64]uint8{
	40, 8, 48, 16, 56, 24, 64, 32,
	39, 7, 47, 15, 55, 23, 63, 31,
	38, 6, 46, 14, 54, 22, 62, 30,
	37, 5, 45, 13, 53, 21, 61, 29,
	36, 4, 44, 12, 52, 20, 60, 28,
	35, 3, 43, 11, 51, 19, 59, 27,
	34, 2, 42, 10, 50, 18, 58, 26,
	33, 1, 41, 9, 49, 17, 57, 25,
}

// expansionTable is the E bit-selection table: bit i+1 of E(R) is bit
// expansionTable[i] of R.
var expansionTable = [48]uint8{
	32, 1, 2, 3, 4, 5,
	4, 5, 6, 7, 8, 9,
	8, 9, 10, 11, 12, 13,
	12, 13, 14, 15, 16, 17,
	16, 17, 18, 19, 20, 21,
	20, 21, 22, 23, 24, 25,
	24, 25, 26, 27, 28, 29,
	28, 29, 30, 31, 32, 1,
}

// permute returns the outBits-bit value whose bit i+1 is bit table[i] of
// the inBits-bit value in; bits are numbered from 1 at the most significant.
func permute(in uint64, inBits int, table []uint8) uint64 {
	var out uint64
	for _, from := range table {
		out = out<<1 | in>>(inBits-int(from))&1
	}
	return out
}

// refSchedule returns K1…K16 of key, each a 48-bit value, bit 1 most
// significant.
func refSchedule(key uint64) [16]uint64 {
	cd := permute(key, 64, permutedChoice1[:])
	c, d := cd>>28, cd&0xfffffff
	var ks [16]uint64
	for n, s := range leftShifts {
		for range s {
			c = (c<<1 | c>>27) & 0xfffffff
			d = (d<<1 | d>>27) & 0xfffffff
		}
		ks[n] = permute(c<<28|d, 56, permutedChoice2[:])
	}
	return ks
}

// refF is the cipher function f(R, K).
func refF(r uint32, k uint64) uint32 {
	x := permute(uint64(r), 32, expansionTable[:]) ^ k
	var s uint64
	for j := range 8 {
		b := x >> (42 - 6*j) & 0x3f
		row := b>>4&2 | b&1
		col := b >> 1 & 0xf
		s = s<<4 | uint64(sBoxes[j][row][col])
	}
	return uint32(permute(s, 32, permutationP[:]))
}

// refCrypt encrypts, or decrypts, the block b under key.
func refCrypt(key, b uint64, decrypt bool) uint64 {
	ks := refSchedule(key)
	lr := permute(b, 64, initialPermutationTable[:])
	l, r := uint32(lr>>32), uint32(lr)
	for n := range 16 {
		k := ks[n]
		if decrypt {
			k = ks[15-n]
		}
		l, r = r, l^refF(r, k)
	}
	return permute(uint64(r)<<32|uint64(l), 64, finalPermutationTable[:])
}

package mac

import (
	"slices"
	"strconv"

	des "github.com/posflow/posflow/internal/des"
)

// Padding is one of the padding methods of ISO/IEC 9797-1:2011.
type Padding uint8

// The padding methods of ISO/IEC 9797-1:2011.
const (
	// Method1 right-pads the data with as few zero bits as needed to reach
	// a multiple of the block size. Empty data becomes one zero block.
	// Data of different lengths can pad to the same string, so Method1 is
	// only safe when the data length is fixed or otherwise authenticated.
	Method1 Padding = 1
	// Method2 appends a single one bit and then as few zero bits as needed
	// (the padding of ISO/IEC 7816-4 and EMV).
	Method2 Padding = 2
	// Method3 prefixes a block holding the bit length of the data,
	// big-endian, and then pads with zero bits as Method1 does but adds no
	// block to empty data.
	Method3 Padding = 3
)

// String returns "method 1", "method 2", "method 3" or "Padding(n)".
func (p Padding) String() string {
	switch p {
	case Method1, Method2, Method3:
		return "method " + strconv.Itoa(int(p))
	}
	return "Padding(" + strconv.Itoa(int(p)) + ")"
}

func (p Padding) check() {
	if p < Method1 || p > Method3 {
		panic("mac: invalid padding " + p.String())
	}
}

// AppendPad appends data padded with p to a multiple of blockSize bytes
// to dst. It panics if p is not a padding method or blockSize is not
// positive; both are programmer errors.
func AppendPad(dst, data []byte, p Padding, blockSize int) []byte {
	p.check()
	if blockSize <= 0 {
		panic("mac: invalid block size")
	}
	if p == Method3 {
		var l [8]byte
		n := uint64(len(data)) * 8
		for i := range l {
			l[7-i] = byte(n >> (8 * i))
		}
		start := len(dst)
		dst = slices.Grow(dst, blockSize)[:start+blockSize]
		clear(dst[start:])
		if blockSize >= 8 {
			copy(dst[start+blockSize-8:], l[:])
		} else {
			copy(dst[start:], l[8-blockSize:])
		}
	}
	dst = append(dst, data...)
	rem := len(data) % blockSize
	switch {
	case p == Method2:
		dst = append(dst, 0x80)
		rem = (len(data) + 1) % blockSize
		if rem != 0 {
			dst = append(dst, make([]byte, blockSize-rem)...)
		}
	case rem != 0:
		dst = append(dst, make([]byte, blockSize-rem)...)
	case len(data) == 0 && p == Method1:
		dst = append(dst, make([]byte, blockSize)...)
	}
	return dst
}

// chain runs CBC over data padded with p, with the chaining value in
// state, which the caller has initialised (to zero for a MAC): it XORs
// each block into state and calls encrypt, which enciphers state in place.
// It never materialises the padded data: the padding is folded into state.
//
// It takes a function rather than a cipher.Block so that AppendAlg3 can
// encipher with a DES key schedule on its stack by a direct call: passing
// the schedule as a cipher.Block, or passing state to a function value,
// would move the schedule or the caller's buffer to the heap. A DES key
// given as d, which encrypt must use too, runs CBC over the whole blocks
// of data at once (des.Cipher.ChainCBC, which keeps the chain permuted
// between blocks): a method called directly, which passing data to a
// function value would not be, and data would leave its caller's stack.
func chain(state, data []byte, p Padding, encrypt func(), d *des.Cipher) {
	bs := len(state)
	if p == Method3 {
		n := uint64(len(data)) * 8
		for i := 0; i < 8 && i < bs; i++ {
			state[bs-1-i] ^= byte(n >> (8 * i))
		}
		encrypt()
	}
	full := len(data) / bs
	if d != nil {
		d.ChainCBC(state, data[:full*bs])
	} else {
		for i := range full {
			xorInto(state, data[i*bs:(i+1)*bs])
			encrypt()
		}
	}
	tail := data[full*bs:]
	switch p {
	case Method1:
		if len(tail) == 0 && len(data) != 0 {
			return
		}
	case Method2:
		state[len(tail)] ^= 0x80
	case Method3:
		if len(tail) == 0 {
			return
		}
	}
	xorInto(state, tail)
	encrypt()
}

// xorInto sets dst[i] ^= src[i] for every byte of src.
func xorInto(dst, src []byte) {
	_ = dst[:len(src)]
	for i, b := range src {
		dst[i] ^= b
	}
}

// grow extends dst by n zero bytes and returns the result and the new
// bytes.
func grow(dst []byte, n int) (out, tail []byte) {
	start := len(dst)
	out = slices.Grow(dst, n)[:start+n]
	tail = out[start:]
	clear(tail)
	return out, tail
}

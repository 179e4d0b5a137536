package dukpt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"fmt"

	des "github.com/posflow/posflow/internal/des"
)

// This file encrypts transaction data under DUKPT data keys: TDES-CBC under
// the request or response data key of ANSI X9.24-1:2009, AES-CBC under the
// data encryption keys of ANSI X9.24-3-2017. Data must be a whole number of
// blocks: the caller pads (X9.24-1 A.4 pads with zeros), because any
// padding rule is a protocol decision.

// Encrypt enciphers data with TDES-CBC under the transaction's data key for
// u ([DataRequest] or [DataResponse]). iv is 8 bytes, or nil for zeros.
// data must be a nonempty multiple of 8 bytes.
func (t TDESTransaction) Encrypt(u Usage, iv, data []byte) ([]byte, error) {
	return t.crypt(u, iv, data, true)
}

// Decrypt deciphers data enciphered by Encrypt with the same u and iv.
func (t TDESTransaction) Decrypt(u Usage, iv, data []byte) ([]byte, error) {
	return t.crypt(u, iv, data, false)
}

// crypt derives the data key as WorkingKey does, but into an array on the
// stack, and keys TDEA with it as an internal/des.TripleDESCipher on the
// stack too, running CBC itself: a cipher.Block handed to crypto/cipher
// would move the schedule to the heap. Both are cleared before it returns.
func (t TDESTransaction) crypt(u Usage, iv, data []byte, enc bool) ([]byte, error) {
	if u != DataRequest && u != DataResponse {
		return nil, errUsage(u, "data encryption")
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	var key [tdesKeyLen]byte
	copy(key[:], t.key[:])
	tdesWorkingKey(key[:], u)
	var c des.TripleDESCipher
	err := c.SetKey(key[:])
	clear(key[:])
	if err != nil {
		return nil, err
	}
	defer c.Clear()

	var zero [des.BlockSize]byte
	if iv == nil {
		iv = zero[:]
	}
	if err := checkCBC(des.BlockSize, iv, data); err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	prev := iv
	for i := 0; i < len(data); i += des.BlockSize {
		o, d := out[i:i+des.BlockSize], data[i:i+des.BlockSize]
		if enc {
			subtle.XORBytes(o, d, prev)
			c.Encrypt(o, o)
			prev = o
		} else {
			c.Decrypt(o, d)
			subtle.XORBytes(o, o, prev)
			prev = d
		}
	}
	return out, nil
}

// Encrypt enciphers data with AES-CBC under the transaction's data key of
// usage u ([DataRequest], [DataResponse] or [DataBoth]) and type kt
// ([AES128], [AES192] or [AES256]). iv is 16 bytes, or nil for zeros. data
// must be a nonempty multiple of 16 bytes.
func (t AESTransaction) Encrypt(u Usage, kt KeyType, iv, data []byte) ([]byte, error) {
	return t.crypt(u, kt, iv, data, true)
}

// Decrypt deciphers data enciphered by Encrypt with the same u, kt and iv.
func (t AESTransaction) Decrypt(u Usage, kt KeyType, iv, data []byte) ([]byte, error) {
	return t.crypt(u, kt, iv, data, false)
}

func (t AESTransaction) crypt(u Usage, kt KeyType, iv, data []byte, enc bool) ([]byte, error) {
	if u != DataRequest && u != DataResponse && u != DataBoth {
		return nil, errUsage(u, "data encryption")
	}
	key, err := t.aesKey(u, kt)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	c, _ := aes.NewCipher(key)
	return cbc(c, iv, data, enc)
}

func cbc(c cipher.Block, iv, data []byte, enc bool) ([]byte, error) {
	bs := c.BlockSize()
	if iv == nil {
		iv = make([]byte, bs)
	}
	if err := checkCBC(bs, iv, data); err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	if enc {
		cipher.NewCBCEncrypter(c, iv).CryptBlocks(out, data)
	} else {
		cipher.NewCBCDecrypter(c, iv).CryptBlocks(out, data)
	}
	return out, nil
}

// checkCBC checks that iv is one block of bs bytes and data a nonzero
// number of blocks.
func checkCBC(bs int, iv, data []byte) error {
	if len(iv) != bs {
		return fmt.Errorf("%w: IV of %d bytes, want %d", ErrDataLength, len(iv), bs)
	}
	if len(data) == 0 || len(data)%bs != 0 {
		return fmt.Errorf("%w: %d bytes of data, want a nonzero multiple of %d", ErrDataLength, len(data), bs)
	}
	return nil
}

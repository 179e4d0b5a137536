package dukpt

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"

	"github.com/posflow/posflow/keys"
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

func (t TDESTransaction) crypt(u Usage, iv, data []byte, enc bool) ([]byte, error) {
	if u != DataRequest && u != DataResponse {
		return nil, errUsage(u, "data encryption")
	}
	key, err := t.WorkingKey(u)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	c, err := keys.NewTDES(key)
	if err != nil {
		return nil, err
	}
	return cbc(c, iv, data, enc)
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
	if len(iv) != bs {
		return nil, fmt.Errorf("%w: IV of %d bytes, want %d", ErrDataLength, len(iv), bs)
	}
	if len(data) == 0 || len(data)%bs != 0 {
		return nil, fmt.Errorf("%w: %d bytes of data, want a nonzero multiple of %d", ErrDataLength, len(data), bs)
	}
	out := make([]byte, len(data))
	if enc {
		cipher.NewCBCEncrypter(c, iv).CryptBlocks(out, data)
	} else {
		cipher.NewCBCDecrypter(c, iv).CryptBlocks(out, data)
	}
	return out, nil
}

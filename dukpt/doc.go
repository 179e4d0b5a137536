// Package dukpt implements Derived Unique Key Per Transaction key management
// in both of its variants and on both sides of the network:
//
//   - TDES DUKPT as specified by ANSI X9.24-1:2009 (Retail Financial
//     Services Symmetric Key Management Part 1), Annex A, with 16-byte
//     double-length keys and 10-byte key serial numbers;
//   - AES DUKPT as specified by ANSI X9.24-3-2017 (Part 3: Derived Unique
//     Key Per Transaction), section 6, with AES-128, AES-192 and AES-256
//     base derivation keys and 12-byte key serial numbers.
//
// A PIN pad (the transaction-originating device) holds an initial key
// derived from a base derivation key (BDK) and its initial key serial
// number, and derives a fresh key for every transaction. The host (the
// transaction-receiving device) derives the same key from the BDK and the
// key serial number (KSN) sent with the transaction.
//
// # Host side
//
// [TDESInitialKey], [TDESTransactionKey] and [TDESWorkingKey], and
// [AESInitialKey], [AESTransactionKey], [AESWorkingKey] and
// [AESUpdateKey], work on byte slices. [TDESHost] and [AESHost] keep the
// BDK's key schedule and return a [TDESTransaction] or [AESTransaction]
// per KSN; with [HostConfig.CacheDevices] set they also keep, per device,
// the intermediate keys of the last counter, so that the next counter of
// the same device costs about one derivation step. Hosts are safe for
// concurrent use.
//
// Host derivation computes the key of any nonzero counter, including
// counters a device never uses (more than 10 one-bits for TDES, more than
// 16 for AES): the ANSI X9.24-3-2017 supplement lists the key of the 17-bit
// counter 1FFFFh. Validation is a separate step: [KSN.Valid] and
// [AESKSN.Valid].
//
// # Device side
//
// [NewTDESDevice] and [NewAESDevice] load an initial key and compute the
// future key registers of the standards (21 for TDES, 32 for AES); the
// initial key is not kept. Each Next returns the next transaction and
// erases its key from the device, skipping counters with too many
// one-bits, until [ErrExhausted]. MarshalBinary and UnmarshalBinary save
// and restore the device with a checksum; saving after every Next means a
// restarted device never reuses a key.
//
// # Working keys
//
// TDES working keys are variants of the transaction key (ANSI X9.24-1:2009
// table A-1): [PINEncryption], [MACRequest], [MACResponse], and the data
// keys [DataRequest] and [DataResponse], which also go through the one-way
// step. AES working keys are derived from the transaction's derivation
// key for a [Usage] and a [KeyType]; the same usages map to the key usage
// indicators of ANSI X9.24-3-2017, plus [MACBoth], [DataBoth] and
// [KeyEncryption]. A working key may be weaker than the BDK, not
// stronger.
//
// Both transaction types encipher PIN blocks (ISO 9564-1 formats 0 to 3
// for TDES, format 4 for AES, through package pinblock), compute and
// verify MACs (the ANSI X9.19 retail MAC for TDES; CMAC or HMAC-SHA256 for
// AES, through package mac) and encrypt data (TDES-CBC, AES-CBC).
//
// # Worked example
//
// With the BDK 0123456789ABCDEFFEDCBA9876543210 and the initial KSN
// FFFF9876543210E00000 of ANSI X9.24-1:2009 A.4, the initial key is
// 6AC292FAA1315B4D858AB3A3D7D5933A. The device's first KSN is
// FFFF9876543210E00001, whose transaction key is
// 042666B49184CFA368DE9628D0397BC9; the format 0 block of PIN 1234 for PAN
// 4012345678909 (clear 041274EDCBA9876F) is enciphered under its PIN
// variant as 1B9C1845EB993A7A:
//
//	h, _ := dukpt.NewTDESHost(bdk, dukpt.HostConfig{CacheDevices: 10000})
//	tx, _ := h.Transaction(ksn)
//	pin, err := tx.DecryptPIN(pinblock.ISO0, block, pan) // "1234"
//
// # Secrets
//
// Errors and String methods never contain key material; a transaction
// prints its KSN only. MACs are compared in constant time. Keys returned
// as byte slices belong to the caller, who should clear them after use.
package dukpt

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
// # Performance
//
// An AES derivation step expands a new AES key and encrypts one block
// (two for 192- and 256-bit keys) under it, and a device's worst counter
// takes 16 steps. crypto/aes allocates an expanded key on the heap for
// every key, so a worst-case host derivation used to cost 17 allocations.
// The package expands its AES keys with internal/aeskey instead: on amd64
// with AES-NI, assembly written for this module expands the key with
// AESKEYGENASSIST into a schedule on the caller's stack and encrypts with
// AESENC and AESENCLAST (no table lookups, no branches on key or data, so
// constant time); each schedule is erased after its step. Without AES-NI,
// on other architectures, under the purego build tag and in FIPS 140-3
// mode (GODEBUG=fips140=on), aeskey falls back to crypto/aes, which
// allocates one schedule per step as before. internal/aeskey is checked
// against FIPS 197 Appendices A to C, against crypto/aes over random keys
// and by a fuzz target; this package's derivations are checked against the
// ANSI X9.24-3-2017 supplement vectors and, over random BDKs and KSNs,
// against the crypto/aes derivation kept in its tests.
//
// Worst case (16-bit counter), cold, on the 2-core x86-64 development
// machine (AES-NI) with Go 1.26; medians of
// go test -run '^$' -bench AESWorstCase -benchmem -cpu 1 -count 6 ./dukpt,
// where "before" is the crypto/aes derivation kept in the tests and the
// ratio times both alternately in one loop, so that both see the same
// load (the machine is shared; the ratio is the figure to trust):
//
//	                               before               now                ratio
//	AES-128 AESHost.Transaction    2,550 ns, 17 allocs    900 ns, 0 allocs  0.42
//	AES-128 AESTransactionKey                             920 ns, 1 alloc
//	AES-128 AESWorkingKey                                 990 ns, 1 alloc
//	AES-256 AESHost.Transaction    3,020 ns, 17 allocs  1,170 ns, 0 allocs  0.48
//	AES-256 AESTransactionKey                           1,210 ns, 1 alloc
//
// One step (expand an AES-128 key, encrypt a block) takes about 48 ns
// against 120 ns or more for crypto/aes (BenchmarkExpandEncrypt in
// internal/aeskey).
//
// # Secrets
//
// Errors and String methods never contain key material; a transaction
// prints its KSN only. MACs are compared in constant time. Keys returned
// as byte slices belong to the caller, who should clear them after use.
package dukpt

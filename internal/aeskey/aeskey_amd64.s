//go:build !purego

#include "textflag.h"

// The key expansion of FIPS 197 5.2 computes w[i] = w[i-Nk] ^ temp, so a
// group of four words that all follow the same temp is the previous group
// with its words XORed cumulatively (w0, w0^w1, w0^w1^w2, w0^w1^w2^w3),
// XORed with temp in every word. AESKEYGENASSIST supplies temp: for the
// source words s0..s3 (s0 in the low 32 bits) it returns SubWord(s1),
// RotWord(SubWord(s1))^rcon, SubWord(s3) and RotWord(SubWord(s3))^rcon, and
// PSHUFD broadcasts the one the step needs. The words are kept in memory
// byte order, the order AESENC expects its round keys in.

// PREFIXXOR replaces the words r0..r3 of R by r0, r0^r1, r0^r1^r2,
// r0^r1^r2^r3 (PSLLO shifts the register left by whole bytes, towards the
// high word), using T.
#define PREFIXXOR(R, T) \
	MOVO  R, T;     \
	PSLLO $4, T;    \
	PXOR  T, R;     \
	MOVO  R, T;     \
	PSLLO $8, T;    \
	PXOR  T, R

// AES-128 (Nk = 4): X0 holds the last four words. Every group starts with
// i % 4 == 0: temp = SubWord(RotWord(w[i-1])) ^ Rcon, w[i-1] being word 3
// of X0.
#define EXPAND128(RCON, OFF) \
	AESKEYGENASSIST $RCON, X0, X1; \
	PSHUFD          $0xff, X1, X1; \
	PREFIXXOR(X0, X2);             \
	PXOR            X1, X0;        \
	MOVOU           X0, OFF(DX)

// AES-192 (Nk = 6): X0 holds words 6j-6..6j-3 and the low half of X3
// words 6j-2 and 6j-1. Word 6j takes temp = SubWord(RotWord(w[6j-1])) ^
// Rcon, from word 1 of X3; the next three words of X0 follow it. Words
// 6j+4 and 6j+5 take temp = w[6j+3], word 3 of the new X0. The high half
// of X3 carries junk that no step reads and that is never stored.
#define EXPAND192(RCON, OFFA, OFFB) \
	AESKEYGENASSIST $RCON, X3, X1; \
	PSHUFD          $0x55, X1, X1; \
	PREFIXXOR(X0, X2);             \
	PXOR            X1, X0;        \
	PSHUFD          $0xff, X0, X1; \
	MOVO            X3, X2;        \
	PSLLO           $4, X2;        \
	PXOR            X2, X3;        \
	PXOR            X1, X3;        \
	MOVOU           X0, OFFA(DX);  \
	MOVQ            X3, OFFB(DX)

// AES-256 (Nk = 8): X0 holds words 8j-8..8j-5 and X3 words 8j-4..8j-1.
// Word 8j takes temp = SubWord(RotWord(w[8j-1])) ^ Rcon, from word 3 of X3
// (EXPAND256A, new X0); word 8j+4 takes temp = SubWord(w[8j+3]), word 2 of
// AESKEYGENASSIST applied to the new X0 (EXPAND256B, new X3).
#define EXPAND256A(RCON, OFF) \
	AESKEYGENASSIST $RCON, X3, X1; \
	PSHUFD          $0xff, X1, X1; \
	PREFIXXOR(X0, X2);             \
	PXOR            X1, X0;        \
	MOVOU           X0, OFF(DX)

#define EXPAND256B(OFF) \
	AESKEYGENASSIST $0x00, X0, X1; \
	PSHUFD          $0xaa, X1, X1; \
	PREFIXXOR(X3, X2);             \
	PXOR            X1, X3;        \
	MOVOU           X3, OFF(DX)

// CLEARKEYREGS zeroes the registers that held round keys, so that no key
// material outlives the call in them.
#define CLEARKEYREGS \
	PXOR X0, X0; \
	PXOR X1, X1; \
	PXOR X2, X2; \
	PXOR X3, X3

// func hasAESNI() bool
TEXT ·hasAESNI(SB), NOSPLIT, $0-1
	MOVL  $1, AX
	MOVL  $0, CX
	CPUID
	SHRL  $25, CX
	ANDL  $1, CX
	MOVB  CX, ret+0(FP)
	RET

// func expandKeyAsm(nr int, key *byte, rk *byte)
TEXT ·expandKeyAsm(SB), NOSPLIT, $0-24
	MOVQ nr+0(FP), CX
	MOVQ key+8(FP), AX
	MOVQ rk+16(FP), DX
	CMPQ CX, $12
	JEQ  expand192
	JHI  expand256

	// AES-128: 11 round keys, Rcon 01h … 36h.
	MOVOU (AX), X0
	MOVOU X0, 0(DX)
	EXPAND128(0x01, 16)
	EXPAND128(0x02, 32)
	EXPAND128(0x04, 48)
	EXPAND128(0x08, 64)
	EXPAND128(0x10, 80)
	EXPAND128(0x20, 96)
	EXPAND128(0x40, 112)
	EXPAND128(0x80, 128)
	EXPAND128(0x1b, 144)
	EXPAND128(0x36, 160)
	CLEARKEYREGS
	RET

expand192:
	// AES-192: 52 words in groups of six, Rcon 01h … 80h; the last
	// group writes words 52 and 53 too, which lie inside rk and are never
	// used.
	MOVOU (AX), X0
	MOVQ  16(AX), X3
	MOVOU X0, 0(DX)
	MOVQ  X3, 16(DX)
	EXPAND192(0x01, 24, 40)
	EXPAND192(0x02, 48, 64)
	EXPAND192(0x04, 72, 88)
	EXPAND192(0x08, 96, 112)
	EXPAND192(0x10, 120, 136)
	EXPAND192(0x20, 144, 160)
	EXPAND192(0x40, 168, 184)
	EXPAND192(0x80, 192, 208)
	CLEARKEYREGS
	RET

expand256:
	// AES-256: 15 round keys, Rcon 01h … 40h.
	MOVOU (AX), X0
	MOVOU 16(AX), X3
	MOVOU X0, 0(DX)
	MOVOU X3, 16(DX)
	EXPAND256A(0x01, 32)
	EXPAND256B(48)
	EXPAND256A(0x02, 64)
	EXPAND256B(80)
	EXPAND256A(0x04, 96)
	EXPAND256B(112)
	EXPAND256A(0x08, 128)
	EXPAND256B(144)
	EXPAND256A(0x10, 160)
	EXPAND256B(176)
	EXPAND256A(0x20, 192)
	EXPAND256B(208)
	EXPAND256A(0x40, 224)
	CLEARKEYREGS
	RET

// func encryptBlockAsm(nr int, rk *byte, dst, src *byte)
TEXT ·encryptBlockAsm(SB), NOSPLIT, $0-32
	MOVQ  nr+0(FP), CX
	MOVQ  rk+8(FP), AX
	MOVQ  dst+16(FP), DX
	MOVQ  src+24(FP), BX
	MOVOU (BX), X0
	MOVOU (AX), X1
	PXOR  X1, X0
	ADDQ  $16, AX
	DECQ  CX

	// Rounds 1 … Nr-1; the count is public (the key length).
rounds:
	MOVOU  (AX), X1
	AESENC X1, X0
	ADDQ   $16, AX
	DECQ   CX
	JNZ    rounds
	MOVOU      (AX), X1
	AESENCLAST X1, X0
	MOVOU      X0, (DX)
	PXOR       X0, X0
	PXOR       X1, X1
	RET

// Package entrypoint implements the Entry Point of EMV Contactless Book B
// (Entry Point Specification, version 2.11, 2023) and the outcomes of
// Book A (Architecture and General Requirements, 2.11): the part of a
// contactless reader that runs before and after a kernel.
//
// Process runs one tap. Inside, one unexported state struct has one method
// per step of Book B, each in the file named after it:
//
//	preprocess.go   Start A, pre-processing (3.1): per combination, the
//	                reader contactless transaction limit, the contactless
//	                floor limit, the CVM required limit, the status check,
//	                the zero amount and the copy and modification of the
//	                TTQ (9F66)
//	ppse.go         Start B, protocol activation is the reader's; SELECT
//	                of the PPSE and its directory entries (3.3.2)
//	combination.go  Start C, combination selection: AID, kernel identifier
//	                (9F2A), priority, extended selection (9F29), final
//	                SELECT, Select Next (3.3)
//	activate.go     kernel activation (3.4)
//	outcome.go      outcome processing (3.5) and the outcome parameter set
//	                and user interface request data of Book A (6.2, 7.1)
//	entrypoint.go   Process and Restart, the state struct, the Kernel
//	                interface and the Activation a kernel receives
//	config.go       combinations, limits, the TTQ
//	kerneldata.go   what kernels share: READ RECORD with the static data
//	                for ODA, the ICC public key through the CA and issuer
//	                certificates (package emv/oda), the terminal data
//	trace.go        the masked trace
//
// Package entrypointtest holds the test doubles: a strict replay card for
// recorded transcripts and the test plumbing the kernels share. The
// simulated contactless cards, qVSDC and M/Chip with a seeded test PKI,
// are in package emv/cardsim (cardsim.NewQVSDC, cardsim.NewMChip).
//
// Kernels plug in through the Kernel interface: package emv/c3 implements
// Kernel 3 (qVSDC) and package emv/c2 Kernel 2 (M/Chip) in EMV mode.
// They share the card through an emv.Transport and report an *Outcome.
// The terminal gets the outcome back and acts on it: approve, decline, send
// Outcome.DataRecord online, ask for another interface.
//
// The public test-card transcripts of MohamedHassanNasr/emv (commit
// cfa823a25e9fac6a5b42c99e1b8a7297b88848dd, mock/*.json) are replayed
// strictly by the tests of emv/c2 and emv/c3 from the shared folder
// ../shared/fixtures/contactless beside the checkout; they are not copied
// into the project, and the tests skip when the folder is absent.
//
// # Decisions where Book B is silent or leaves the choice to the reader
//
//   - A limit is present only when set (Limit.Present); an absent reader
//     contactless floor limit falls back on the terminal floor limit
//     (Config.TerminalFloorLimit) when that one is present, as 3.1.1.7 asks.
//   - Amounts are compared in the minor unit of the transaction currency.
//     The reader does not convert currencies: a combination applies to the
//     transaction currency it was configured for.
//   - A directory entry whose ADF name is not 5 to 16 bytes long, or whose
//     kernel identifier is malformed, is skipped rather than failing the
//     PPSE (3.3.2.5 asks to skip it).
//   - A kernel identifier absent or of 00 selects the default kernel of
//     the RID (Book B Table 3-6): Visa 3, Mastercard 2, American Express 4,
//     JCB 5, Discover 6, UnionPay 7; for other RIDs the entry is skipped.
//   - Entries without a priority (87 absent or its low nibble 0) come after
//     those with one; equal priorities keep the card's order.
//   - Restart: Select Next (Start C) is handled inside Process. For a
//     second tap (Start B, issuer update processing of Kernel 3) the
//     terminal calls Restart with the issuer's response; pre-processing is
//     computed again from the same transaction, which gives the same
//     indicators.
//   - Kernels other than 2 and 3, relay resistance, torn transaction recovery
//     and data exchange are not implemented; a combination whose kernel is
//     absent from Config.Kernels is never selected.
package entrypoint

// Package pos is the point-of-sale terminal of the posflow examples: the
// logic of a card payment at a till, from the amount on the screen to the
// receipt and the end-of-day settlement, built on the EMV contact kernel
// of EMV 4.4 Books 1 to 4 (package emv), the contactless Entry Point of
// EMV Contactless Book B 2.11 with Kernels 2 and 3 (packages
// emv/entrypoint, emv/c2, emv/c3), ISO 8583:1987 messages and
// transport (package iso8583), ANSI X9.24 DUKPT (package dukpt) and ISO
// 9564-1 PIN blocks (package pinblock).
//
// # A purchase
//
// Terminal.Pay runs the steps of one purchase, each a method of an
// unexported state struct, in order:
//
//	confirm   the amount, merchant and time are shown; the cardholder accepts
//	chip      emv.Process with the card; online PINs are enciphered by the
//	          PINPad under its next DUKPT key; the terminal's emv.Online sends
//	          the 0200 with field 55 and reads the 0210 (response code, auth
//	          code, RRN, ARPC, scripts); the card completes; an incorrect PIN
//	          (55) starts the chip transaction again, up to three PINs
//	tap       a contactless card (Card.Contactless): entrypoint.Process
//	          selects Kernel 3 (Visa qVSDC) or Kernel 2 (Mastercard M/Chip)
//	          under the reader limits (ContactlessFloorLimit,
//	          ContactlessCVMLimit, ContactlessLimit); an online request
//	          sends the 0200 with entry mode 071 and the outcome's data
//	          record as field 55, with an online PIN when the outcome asks;
//	          an incorrect PIN (55) asks for a new tap, up to three PINs;
//	          a second tap delivers the 0210's ARPC and scripts when the
//	          outcome asked for one (Kernel 3 issuer update; see tap.go)
//	swipe     the magnetic stripe after a chip failure (POS entry mode 80),
//	          or of a card without chip (90): track 2 and online PIN in the 0200
//	complete  the outcome: a reversal (0400) when the card declined after
//	          the host approved, or when no answer came in time; an advice
//	          (0220) queued for an offline approval; the batch; the receipt
//
// Reversals and advices go through the iso8583.Client's store-and-forward
// queue: a reversal is forwarded at once, with what waits before it, and
// whatever the host leaves unanswered goes again with the next reversal
// (a reversal also before the next purchase), on Forward, and at the
// latest by Settle, which sends the batch totals
// (0500), uploads the batch (0320) when the host is out of balance, and
// closes it. Config.Queue makes that
// queue durable: a FileQueue (OpenQueue) keeps it in one file, rewritten
// atomically (temporary file, fsync, rename, directory fsync) and checked
// by SHA-256 when read, so that a terminal that crashes sends its pending
// reversals and advices after the restart (Forward), each once. It stores
// no track data and no PIN block (see queue.go).
//
// # The batch on disk
//
// Config.BatchFile keeps the batch durable: a BatchFile (OpenBatch) is a
// log of records, each with its length (and the length inverted) and a
// SHA-256 chained to the record before, appended and synced before the
// terminal acts on the change: a purchase kept (before the receipt), a
// settlement begun (before its 0500 goes), the host's out-of-balance
// answer with the 0320s and second 0500 built for it (before the first
// 0320 goes), each 0320 the host answered. When a settlement ends, closed or refused, the file is
// rewritten whole with what stays (temporary file, fsync, rename,
// directory fsync, as the queue file). A terminal that restarts on the
// file has its batch, its split-sales log and STANs after the file's
// highest, and a settlement under way resumes with the same messages as
// repeats (0501, 0321), which the host answers from its journal, rather
// than new ones for a batch it may have closed. See batchfile.go for the
// format.
//
// A crash can leave the last record torn; OpenBatch drops it, and the
// terminal goes on as if that change had not happened, which is safe
// because nothing was acted on before the record was synced:
//
//   - A purchase not kept: its receipt was not printed. The host may have
//     approved it, or have its reversal or advice; the terminal's 0500 is
//     then out of balance (95) and the batch closes on the upload, as it
//     did before the file existed. The reversal or advice is always in the
//     store-and-forward queue before the purchase is in the batch, never
//     the other way round: a batch that counted a reversal the queue had
//     lost would leave the host holding money the terminal gave back.
//   - A settlement not begun: no 0500 was sent, and the next is new.
//   - An out-of-balance answer not kept: no 0320 was sent; the 0500 goes
//     again as 0501 and the host answers 95 from its journal.
//   - An 0320 answer not kept: the 0320 goes again as 0321, and the host
//     answers it from its journal without counting it twice.
//   - A settlement not ended: the last message goes again as a repeat and
//     the host gives its journaled answer again.
//
// Any other damage (a sum that fails with records after it, a length and
// its inverse that differ, a field out of range, records out of order) is
// a *BatchFileError (ErrBatchCorrupt) at OpenBatch, and the terminal must
// not start: its totals would no longer be its batch's. A batch change
// the file cannot take (disk full) is not approved: an online approval is
// reversed and declined, and a settlement step returns the error before
// its message goes.
//
// The file holds, per purchase, what the 0500 and the 0320 need: STAN,
// amount, time, entry mode, RRN, auth code, transmission time, flags and
// the PAN, in clear since the 0320 carries it, as the queue file holds it
// in its reversals and advices; no track data, PIN block, expiry or chip
// data. Both files are cardholder data under PCI DSS: they are created
// with mode 0600 and belong on the terminal's protected, encrypted
// storage.
//
// # Decisions where issue 8 and the standards are silent
//
//   - The terminal verifies PINs online only (capabilities 9F33 E0 68 C8:
//     online enciphered PIN, signature, no CVM; SDA, DDA, CDA): the issuer
//     checks every PIN, as the acquirer host of this repository does.
//     Cards whose CVM list has no online PIN (Mastercard's) fall to
//     signature.
//   - A timed-out authorisation is declined with the default action codes
//     (Z3 above the floor limit) and reversed; the reversed purchase counts
//     among the batch's debits and debit reversals, as the host counts it.
//     Its answer, if it comes late, is discarded. A reversal or advice
//     without an answer, or answered 90, 91, 92 or 96 (the host did
//     nothing), stays queued and goes again as a repeat (0401, 0221) with
//     the same STAN and transmission time. The network faults and what the
//     terminal does about each are tabled in the scenario package.
//   - Settle repeats an 0500 or 0320 without an answer as 0501 or 0321,
//     three times in all, and after that a call of Settle resumes the
//     settlement with the same messages rather than new ones (which the
//     host would take for a second batch or a second upload); Pay returns
//     ErrSettling until the settlement is done.
//   - Field 2 and field 35 both go in the 0200; 23 carries the PAN sequence
//     number; 43 the merchant name, city and country in 25, 13 and 2
//     characters.
//   - The PIN pad's DUKPT state is written to its file (atomically) after a
//     key is taken and before that key enciphers anything.
//   - A queue file that fails its checksum or does not decode stops
//     OpenQueue with a *QueueFileError: the terminal must not start over
//     reversals it can no longer read. A batch file likewise stops
//     OpenBatch with a *BatchFileError. Without Config.BatchFile the batch
//     stays in memory: after a crash the 0500 is out of balance and the
//     host reconciles on the batch upload.
//   - A batch holds at most MaxBatch purchases; Pay returns ErrBatchFull
//     before it, and the terminal settles first.
//   - Receipts, steps and logs show the PAN masked (first six, last four)
//     and never a PIN, PIN block, track or key.
//
// # Example
//
//	pad, _ := pos.OpenPINPad("pinpad.state", ik, iksn)
//	pad.Enter = pos.ScriptedPINs("1234")
//	queue, _ := pos.OpenQueue("saf.queue", nil)
//	batch, _ := pos.OpenBatch("pos.batch", nil) // a *BatchFileError: do not start
//	term, _ := pos.New(pos.Config{
//		Merchant:   pos.Merchant{Name: "CORNER SHOP", City: "SPRINGFIELD", ID: "MERCHANT0000001", Category: "5411", Country: "US"},
//		TerminalID: "TERM0001",
//		FloorLimit: 1000,
//		CAPKs:      capks,
//		Host:       "127.0.0.1:8583",
//		PINPad:     pad,
//		Queue:      queue,
//		BatchFile:  batch,
//	})
//	defer term.Close()
//	receipt, err := term.Pay(ctx, 2500, pos.Card{Chip: card})
//	fmt.Print(receipt)
//	settlement, err := term.Settle(ctx)
//
// The scenarios of the demo (package
// github.com/posflow/posflow/examples/terminal/scenario) run every path
// against the acquirer host.
package pos

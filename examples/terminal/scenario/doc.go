// Package scenario is the catalogue of card payments the terminal example
// and the demo run: simulated cards (package emv/cardsim, personalised
// after EMV 4.4 and the VSDC and M/Chip profiles) in every state issue 8
// lists, each with the PINs its cardholder types, the amount, and the
// issuer's record of the card (status, balance, PIN verification value)
// that the acquirer host must be seeded with.
//
// Every card is personalised deterministically: the same seed gives the
// same keys, certificates and cryptograms on every run.
//
// # Network faults
//
// Between the terminal (package pos, over the iso8583.Client) and the
// acquirer host, a message can be lost, arrive late, or be cut by a
// connection reset. The terminal follows the ISO 8583:1987 message rules
// for each; faults_test.go puts internal/faultnet, a TCP proxy that
// injects these faults one frame at a time, between the two, and checks
// after settlement that they agree (same purchases kept, each reversal
// applied once, one journal row per request, balances equal to the
// opening balances less the purchases the terminal kept).
//
//	fault                        the host            the terminal
//	0200 lost, or reset          never has it        no 0210 within its timeout (or the
//	  with half of it sent                           connection fails after the write):
//	                                                 declines (Z3), queues the 0400 (field
//	                                                 90: the 0200's STAN and time) and
//	                                                 sends it at once; the host answers 00
//	                                                 and moves nothing
//	0210 lost, or reset          approved, debited   the same: the 0400 restores the money
//	  with half of it received
//	0210 late                    approved, debited   the same; the late 0210 finds no request
//	                                                 waiting (the client matches answers by
//	                                                 message class, STAN and terminal ID) and
//	                                                 is discarded, or given to
//	                                                 ClientConfig.Inbound: the receipt stays
//	                                                 declined and the reversal stands
//	0200 late                    has it after the    the same; the 0400 follows the 0200 on
//	                             terminal's timeout, the connection, and the host handles
//	                             with the 0400 on    the two in either order: the 0200 first
//	                             its heels           (approved, then reversed), or the 0400
//	                                                 first (the reversal of nothing), and
//	                                                 then the 0200 comes after its own
//	                                                 reversal and is declined (05)
//	0400 or its 0410 lost,       had it or not       the reversal stays queued (durably with a
//	  late or reset                                  FileQueue) as an 0401 with the same STAN,
//	                                                 time and field 90, and goes again before
//	                                                 the next purchase (with what waits before
//	                                                 it in the queue), on Forward, or before
//	                                                 the 0500 at the latest; the host answers
//	                                                 the repeat of a reversal it has from its
//	                                                 journal, with the first answer, so it
//	                                                 applies once. An answer 90, 91, 92 or 96
//	                                                 (the host did nothing) keeps it queued too
//	0220 or its 0230 lost        the same            the same, as an 0221, with the next
//	                                                 reversal or at settlement
//	0500 or 0320 unanswered      had it or not       repeated as 0501 or 0321 with the same
//	                                                 STAN and time, three times in all; then
//	                                                 Settle returns the error and the next
//	                                                 Settle resumes with the same messages (a
//	                                                 new 0500 could open a second batch, a new
//	                                                 0320 count a purchase twice); Pay refuses
//	                                                 (pos.ErrSettling) until it is done
//	no connection at all         never has it        declines (Z3), nothing to reverse: the
//	                                                 purchase is not in the batch
//
// A purchase the terminal reversed counts in its batch totals as a debit
// and a debit reversal, as the host counts a purchase it approved and
// reversed. When the host never approved it (lost request, or declined
// with the answer lost), the first 0500 is out of balance (95): the
// terminal uploads the purchases it kept (0320) and the host closes the
// batch on them (field 66 = 2), its journal staying the record of what
// moved.
//
// The tests (TestFaultOnCommand: each fault on one message, by name;
// TestNetworkFaults: one fault at random on one message in six of a run of
// payments, then all of them mixed; TestNetworkFaultsTerminals: three
// terminals at once) run in go test ./...; a longer run, with the
// terminal's steps:
//
//	go test ./examples/terminal/scenario -run NetworkFaults -v -args -faults.payments=100 -faults.seed=7 -faults.steps
package scenario

// Package acquirer implements an example acquirer host for point-of-sale
// card payments: the host side of the ISO 8583:1987 card-originated message
// flow (package iso8583) as a POS terminal meets it — sign-on, echo and key
// exchange (0800), authorization (0100), purchase (0200), advice (0220),
// reversal and reversal advice (0400, 0420), reconciliation (0500) and
// batch upload (0320) — with the issuer's checks done in place: MAC, PIN
// under DUKPT, EMV application cryptogram and ARPC, card status, limits and
// balance, and the merchants' settlement report.
//
// # Checks
//
// A request of a terminal goes through these checks in order; the first
// that fails gives the response code:
//
//	message type handled                   12
//	terminal known                         58
//	MAC (64 or 128, key sync after 161)    63
//	message validity (iso8583.Validate)    30
//	processing code 00, 01, 20 or 31       12
//	DUKPT KSN counter above the last one   63
//	  seen for the PIN pad (with field 52)
//	no reversal of it came first (the      05
//	  terminal gave up waiting for it)
//	card known                             14
//	card status: lost 41, stolen 43, blocked 62
//	expiry (host record and field 14/35)   54
//	PIN (DUKPT, Visa PVV or IBM 3624)      55, 75 at the try limit
//	ARQC (CVN from 9F10)                   05
//	ATC not above the last one seen        59
//	amount limit                           61
//	balance                                51
//	approval: 00 with fields 37, 38 and 55 (91, and 72 with a pending script)
//
// Every answer is journaled before it is sent, refusals included (as rows
// of KindRefused). A duplicate (same terminal, message type, STAN and
// field 7) gets the journaled response again and moves nothing; the same
// key with another card or amount gets 94. A store failure gets 96 and
// moves nothing.
//
// # Keys
//
// Every operation with a key goes through a SecurityModule; the software
// one, NewSoftwareModule, holds the TDES and AES DUKPT BDKs, the PIN
// verification key, the issuer master keys and the terminals' MAC and
// master keys of the Config. Keys never appear in logs, errors or String
// methods; PANs are logged masked (first six and last four digits), and PIN
// blocks and track data are never logged.
//
// # State
//
// Accounts and cards come from the Config; their balances and state, the
// journal and the terminals' batches live in a Store: SQLite by default
// (OpenSQLite, pure Go through modernc.org/sqlite, WAL and synchronous
// FULL). Each request's response is built and journaled, with the balance
// and card changes it makes, in one store transaction before it is sent.
//
// # Database faults
//
// A request whose store transaction fails is answered 96 (system
// malfunction) and leaves nothing behind: no journal row, no balance
// change, no PIN try, ATC or DUKPT counter taken. The terminal may send it
// again as it is; the host then processes it as new, once. The failures:
//
//   - Full disk, or a write the operating system refuses (SQLITE_FULL,
//     SQLITE_IOERR): SQLite rolls the whole transaction back, so every
//     request of the group commit is answered 96, and so is every request
//     after it until there is room again; no restart is needed.
//   - Write lock held by another connection (another process on the
//     file): the committer waits SQLiteConfig.BusyTimeout
//     (DefaultBusyTimeout, 2 s) for it, then the group is answered 96. A
//     request waits at most about two busy timeouts (that of the group
//     being begun when it arrives, then its own) while no more than 128
//     requests wait, as Config.MaxConcurrent's default of 64 handlers
//     ensures: far less than the 15 s examples/terminal waits before it
//     reverses. Reads are not blocked (WAL).
//   - A COMMIT that fails fails every Update of its group, whose requests
//     are all answered 96; what the committer keeps in memory is forgotten
//     and the next group starts afresh. An Update whose fn fails is
//     rolled back to its savepoint alone and the others of its group
//     commit.
//
// Refusals decided before the store is read (12, 30, 58, and 63 for a
// MAC) move nothing and are sent even when their journal row cannot be
// written. Each failure is logged ("store failed, answering 96" with the
// error, the terminal, the STAN and the masked PAN).
//
// Another program may change the database while the host runs (an
// operator blocking a card in a sqlite3 shell): the committer, which keeps
// card states and balances in memory, reads the database's data version at
// the start of each group and forgets what it keeps when another
// connection has committed since.
//
// # Performance
//
// One approved 0200 with MAC and a TDES DUKPT PIN, through the handler
// without TCP, terminal signing included (go test -run '^$' -bench
// Purchase -benchtime 2s -cpu 1 ./examples/host/acquirer; 2-vCPU x86-64,
// go1.26, idle machine):
//
//	in-memory SQLite                        32-34 µs  10.0 KB  123 allocs
//	SQLite file, WAL, synchronous FULL     250-289 µs  10.0 KB  123 allocs
//
// (112 µs and 503 allocations, and 412 µs, before the work below.) The
// file figure is one fsync per request; under load, group commit shares
// it (see examples/loadgen). What the SQLite store does for speed:
//
//   - The committer keeps what every request reads (card states, balances,
//     DUKPT counters, open batches, the few reversals that found no
//     original) and the RRN sequence in memory: it is the database's only
//     writer. It forgets them after any rollback, when PRAGMA data_version
//     shows another connection committed, and when they pass 262,144 rows
//     (they are read again as requests need them).
//   - The balances, card states and DUKPT counters that a group's Updates
//     change are written once per group, just before its COMMIT, up to
//     128 rows per statement, instead of an UPDATE each. An Update's
//     savepoint is opened at its first statement that changes the
//     database; an Update whose only such statement is its journal row's
//     INSERT takes none, and the row is deleted by its ID should the
//     Update then fail. An Update whose fn fails leaves nothing, in
//     memory or in the database.
//   - Decisions and reversals do not look for a duplicate first: the
//     journal's Insert refuses a second row of a request key, and the
//     request is handled again with the lookup (rare: a resend).
//   - The journal has no index on the request key, which would start with
//     the terminal: a durable group commit would log one index page per
//     terminal of the group. The keys of new rows wait in the committer's
//     memory and go to their own table a terminal at a time, many keys a
//     page; Insert looks a key up there only when the terminal's STAN is
//     not above its highest (sqlite_keys.go). A partial index holds only
//     the reversals that found no original, which are few and rarely
//     written.
//   - Statements run on the driver connection (database/sql.Conn.Raw),
//     prepared there on SQLite's own API (sqlite_capi.go): values are bound
//     from one buffer without an allocation, the journal row and the
//     flushed rows from typed fields rather than interfaces, and the
//     connection's mutex is held while the store has the connection.
//     database/sql's per-call work, and the driver's, cost as much as
//     SQLite's own. The driver does not export its handle, which the store
//     reads by reflection; with another version of the driver it runs its
//     statements through the driver instead (TestCAPI fails then).
//
// A request prepares its log attributes (With, the masked PAN) only when
// the logger keeps lines. The host command runs the garbage collector at
// GCPercent.
//
// What is left in a load run is SQLite, above all the journal's INSERT,
// and, in a durable run, the committer itself: it runs every group's
// Updates and COMMIT one after another and is busy nearly all the time
// (examples/loadgen/README.md).
//
// # Decisions where the issue and ISO 8583 are silent
//
//   - The MAC (field 64, or 128 with a secondary bitmap) is ANSI X9.19 under
//     a static per-terminal key. A key exchange (0800, 161) answers the new
//     key under the terminal master key in field 48 (hex key ‖ hex KCV),
//     signed with the old key, which stays valid until the terminal first
//     uses the new one (key sync). A terminal may instead use DUKPT MACs
//     (Terminal.MACDUKPT): the request MAC key of the KSN in field 53, and
//     the response MAC key for the answer.
//   - An 0800 names its terminal in field 41 like every request (an
//     iso8583.Client sends it in its echo tests when ClientConfig.TerminalID
//     is set, as the example terminal does). For clients that send an 0800
//     without field 41, it is answered under the key of the terminal whose
//     key verifies its MAC, found by trying each terminal's key, and
//     journaled without a terminal.
//   - A terminal without a MAC key in the Config is not authenticated.
//   - Field 53 carries the PIN pad's DUKPT KSN: 10 bytes for TDES (PIN block
//     ISO format 0, 8 bytes), 12 for AES (ISO format 4, 16 bytes; a block
//     of the other length is undecipherable). AES PIN blocks need field 52
//     as b..16 (Config.Spec = iso8583.SpecASCII.VariablePINData(), or
//     SpecBCD's), which every terminal of the host must then send, TDES
//     blocks with their "08" prefix; the default 1987 layout carries 8
//     bytes only, as before (see package iso8583, "PIN data").
//   - An undecipherable PIN block counts as a wrong PIN.
//   - A verified ATC becomes the card's last ATC whatever the outcome, so
//     the same ARQC cannot be replayed after a decline.
//   - An 0100 holds the amount (debits the balance) but is not settled; an
//     0200 or 0220 is settled. A reversal restores what its original moved,
//     once; one for nothing approved is acknowledged with 00.
//   - Pre-authorization completion: an 0220 whose field 90 (original data
//     elements, as ISO 8583:1987 ties a message to its original) names an
//     0100 of the same terminal by its STAN and transmission time (ten
//     zeros for an 0100 sent without field 7) completes it: the hold is
//     released and the final amount debited, in one balance change
//     journaled with the advice, and the 0100 is marked released. The
//     0220 must carry the 0100's card, currency and transaction type, and
//     its auth code in field 38 if any; STAN and auth code alone are not
//     enough, since STANs wrap and the advice of an offline approval also
//     carries field 38. A final amount below the hold is settled and the
//     rest released; one above it is refused with 13 and the hold stays.
//     No such hold, or a hold released by a reversal: 25 (unable to locate
//     record on file), nothing moves. A hold already completed: 00,
//     nothing moves, so a completion sent again under a new STAN applies
//     once. An 0100 never completed keeps its hold until a reversal (0400
//     of the 0100) releases it; a reversal of a completed 0100 moves
//     nothing; the reversal of a completion gives back the final amount
//     and leaves the hold standing again. An 0220 whose field 90 names no
//     0100 (or that has none) is an offline approval, settled in full as
//     before.
//   - DUKPT replay: the transaction counter of a PIN pad's KSN (field 53)
//     only goes up. The host keeps the last counter per PIN pad (the KSN
//     with the counter cleared) in the store; a request with a PIN block
//     whose counter is not above it is refused with 63 (security
//     violation) and journaled: no approval and no wrong-PIN count, so a
//     captured PIN block cannot be replayed under a new STAN. The host
//     remembers the counters it committed and refuses a replay before the
//     security module deciphers the PIN block; the check that counts is
//     the one in the request's store transaction, which advances the
//     counter atomically before the outcome of the PIN verification is
//     used, so after a restart, or between two requests racing with one
//     KSN, a replay is still refused. A resend of the same request (same
//     key) gets its journaled answer as any duplicate. The counter
//     advances whatever the outcome, as the ATC does. A PIN pad is
//     expected to have one request in flight at a time, as a terminal
//     sends them: of two sent together, the one with the lower counter is
//     refused if it arrives second.
//   - Batch totals (fields 74 to 77, 86 to 89): debits are approved
//     purchases and cash advances, including those reversed later; debit
//     reversals the reversals that restored money; credits are refunds.
//   - Response field 48 of a balance inquiry (31) is "BAL" and 12 digits.
package acquirer

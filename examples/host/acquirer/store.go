package acquirer

import (
	"context"
	"time"
)

// A Store keeps the host's state: card state, account balances, the
// journal of every request and its response, and the terminals' batches.
// The default is SQLite (OpenSQLite); package pgstore is a PostgreSQL
// store for several host instances, and package storetest checks either.
//
// All changes a request makes happen in one Update, so the journal row of
// a response and the balance change it records are durable together before
// the response is sent. A Store may run several Updates in one database
// transaction (group commit) as long as each fn sees the effects of the
// ones before it and a failing fn affects no other.
type Store interface {
	// Seed inserts the accounts and cards that the store does not hold
	// yet, and leaves the others as they are, so that a restart keeps the
	// balances and card state.
	Seed(ctx context.Context, accounts []Account, cards []Card) error
	// Update runs fn in a read-write transaction and commits it durably
	// if fn returns nil. An error from fn rolls back everything fn did.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Close releases the store.
	Close() error
}

// A Tx is one transaction of a Store. It is used by one goroutine.
type Tx interface {
	// CardState returns the mutable state of the card with pan, or
	// ErrNotFound.
	CardState(pan string) (CardState, error)
	// SetCardState stores the state of a card.
	SetCardState(s CardState) error
	// Balance returns the balance of account, or ErrNotFound.
	Balance(account string) (int64, error)
	// AddBalance adds delta (negative for a debit) to account.
	AddBalance(account string, delta int64) error
	// Lookup returns the journal row with the key of a request (terminal,
	// class, STAN, transmission time), or ErrNotFound.
	Lookup(k RequestKey) (*Entry, error)
	// Original returns the latest approved 0100, 0200 or 0220 journal row
	// of terminal with stan (and transmitted, unless empty), or ErrNotFound.
	Original(terminal, stan, transmitted string) (*Entry, error)
	// Orphans returns the digests of the reversals (0400 or 0420) with
	// stan in the terminal's batch that found no original to reverse,
	// usually none: the reversals of requests that reach the host after
	// them, which then must not move money.
	Orphans(terminal, stan string, batch int64) ([]string, error)
	// Insert appends e to the journal and sets e.ID. A row other than a
	// refusal whose RequestKey the journal holds in a row other than a
	// refusal is refused with an error matching ErrDuplicateKey: the
	// host relies on it to find duplicates that Lookup did not look for.
	Insert(e *Entry) error
	// SetReversed marks the journal row id as reversed by the row by (for
	// an 0100, released by the reversal or completion by); by 0 clears it.
	SetReversed(id, by int64) error
	// Entry returns the journal row id, or ErrNotFound.
	Entry(id int64) (*Entry, error)
	// AdvanceKSN records counter as the last DUKPT transaction counter of
	// the PIN pad device (its key serial number with the counter cleared,
	// in hex) if it is above the last one recorded, and reports whether it
	// was; a device seen for the first time accepts any counter.
	AdvanceKSN(device string, counter int64) (bool, error)
	// Batch returns the number of the terminal's open batch (1 for a
	// terminal that never settled).
	Batch(terminal string) (int64, error)
	// CloseBatch closes the terminal's open batch and opens the next.
	CloseBatch(terminal string, s Settlement) error
	// Entries returns the journal rows of a terminal's batch in order;
	// batch 0 means every batch.
	Entries(terminal string, batch int64) ([]Entry, error)
	// Settlements returns the closed batches, oldest first.
	Settlements() ([]Settlement, error)
	// NextSequence returns the next number of the host's sequence, for
	// retrieval reference numbers; it is a change, so only in an Update.
	NextSequence() (int64, error)
}

// CardState is the part of a card the host changes.
type CardState struct {
	PAN      string
	Status   string // StatusActive, ...
	PINTries int    // consecutive wrong PINs
	LastATC  int    // highest application transaction counter seen; -1 for none
	Script   string // issuer script pending for the next approval
}

// A RequestKey identifies a request for duplicate detection: a repeat or
// a resend with the same terminal, message class, STAN and transmission
// date and time is the same request.
type RequestKey struct {
	Terminal    string
	MTI         string // the first-time MTI (0400 for 0401)
	STAN        string
	Transmitted string
}

// Kinds of journal rows.
const (
	KindAuthorization = "authorization" // 0100: a hold on the account
	KindFinancial     = "financial"     // 0200: money moves
	KindAdvice        = "advice"        // 0220: an offline approval
	KindReversal      = "reversal"      // 0400, 0420
	KindReconcile     = "reconcile"     // 0500
	KindUpload        = "upload"        // 0320
	KindNetwork       = "network"       // 0800
	KindRefused       = "refused"       // a request refused before its class was handled (58, 63, 30, 94)
)

// An Entry is a journal row: one request and the response sent for it.
// It holds no full PAN, PIN block, track data or key.
type Entry struct {
	ID int64
	RequestKey
	Kind       string
	Merchant   string
	MaskedPAN  string // first six and last four digits
	Account    string // empty when the card is unknown
	Processing string // field 3
	Amount     int64  // field 4, minor units
	Currency   string
	Digest     string // of the request's identifying fields, to tell a duplicate from a collision
	Code       string // field 39 of the response
	AuthCode   string
	RRN        string
	Debit      bool  // the amount was taken from the account (a credit gave it back otherwise)
	Applied    int64 // the balance change made, negative for a debit; 0 if none (for a completion: the hold released less the final amount)
	Batch      int64
	Reversed   int64 // ID of the reversal that restored Applied (for an 0100, or of the completion that released the hold); 0 if none
	Original   int64 // for a reversal, the ID of the row it reversed; for a completion (0220), of the 0100 it completed
	Response   []byte
	Time       time.Time
}

// A Settlement is a closed batch.
type Settlement struct {
	Terminal string
	Merchant string
	Batch    int64
	Time     time.Time
	// Balanced is whether the terminal's totals equalled the journal's
	// at the first 0500, before any batch upload.
	Balanced bool
}

package acquirer

import "strings"

// The PIN pads' DUKPT counters live in their own table, created by the
// first AdvanceKSN that needs it (in its transaction, so a rollback undoes
// both), which leaves the schema of sqlite.go as it is.
const (
	pinpadSchema = `CREATE TABLE IF NOT EXISTS pinpads (
	device TEXT PRIMARY KEY,
	counter INTEGER NOT NULL
)`
	// The update applies only to a higher counter, so that of two
	// transactions with the same KSN only the first sees it as new.
	qAdvanceKSN = `INSERT INTO pinpads (device, counter) VALUES (?, ?)
	ON CONFLICT (device) DO UPDATE SET counter = excluded.counter WHERE excluded.counter > pinpads.counter`
	qEntry = `SELECT ` + entryColumns + ` FROM journal WHERE id = ?`
)

func (t *sqliteTx) AdvanceKSN(device string, counter int64) (bool, error) {
	r, err := t.tx.Exec(qAdvanceKSN, device, counter)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		if _, err := t.tx.Exec(pinpadSchema); err != nil {
			return false, storeErr("pinpad", err)
		}
		r, err = t.tx.Exec(qAdvanceKSN, device, counter)
	}
	if err != nil {
		return false, storeErr("pinpad", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, storeErr("pinpad", err)
	}
	return n == 1, nil
}

func (t *sqliteTx) Entry(id int64) (*Entry, error) {
	e, err := scanEntry(t.tx.QueryRow(qEntry, id))
	if err != nil {
		return nil, storeErr("entry", err)
	}
	return e, nil
}

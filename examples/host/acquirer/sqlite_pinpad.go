package acquirer

// The PIN pads' DUKPT counters (Tx.AdvanceKSN) and journal rows by ID
// (Tx.Entry) in the SQLite store; sqlite.go creates the table and
// prepares the statements with the others.
const (
	pinpadSchema = `
CREATE TABLE IF NOT EXISTS pinpads (
	device TEXT PRIMARY KEY,
	counter INTEGER NOT NULL
) WITHOUT ROWID;
`
	// The update applies only to a higher counter, so that of two
	// transactions with the same KSN only the first sees it as new.
	qAdvanceKSN = `INSERT INTO pinpads (device, counter) VALUES (?, ?)
	ON CONFLICT (device) DO UPDATE SET counter = excluded.counter WHERE excluded.counter > pinpads.counter`
	qEntry = `SELECT ` + EntryColumns + ` FROM journal WHERE id = ?`
)

func (t *sqliteTx) AdvanceKSN(device string, counter int64) (bool, error) {
	if t.update {
		last, ok, err := t.pinpadCounter(device)
		if err != nil {
			return false, err
		}
		if ok && counter <= last {
			return false, nil
		}
		put(&t.s.running.pinpads, device, counter)
		return true, nil
	}
	r, err := t.exec(qAdvanceKSN, device, counter)
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
	e, err := ScanEntry(t.queryRow(qEntry, id))
	if err != nil {
		return nil, storeErr("entry", err)
	}
	return e, nil
}

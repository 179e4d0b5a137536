package acquirer

// DriverStatements makes the SQLite stores opened until restore is called
// run their statements through the driver's driver.Stmt rather than
// SQLite's own API (sqlite_capi.go), so that tests check both.
func DriverStatements() (restore func()) {
	noCAPI = true
	return func() { noCAPI = false }
}

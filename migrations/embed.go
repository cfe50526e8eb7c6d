// Package migrations holds the SQL migrations, embedded in the binary and
// applied in file-name order at start-up.
package migrations

import "embed"

// FS holds every *.sql migration.
//
//go:embed *.sql
var FS embed.FS

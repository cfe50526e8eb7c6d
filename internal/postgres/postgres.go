// Package postgres opens the PostgreSQL pool, applies the embedded
// migrations and holds the storage code, one file per table.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/lib/pq"
)

// Open opens a pool on url with limits suited to a small server and checks
// that the database answers.
func Open(ctx context.Context, url string) (*sql.DB, error) {
	db, err := sql.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(25)
	db.SetMaxIdleConns(25)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(30 * time.Minute)

	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return db, nil
}

// WithTx runs fn in a transaction: it commits when fn returns nil and rolls
// back otherwise.
func WithTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// IsDeadlock reports whether err is PostgreSQL's deadlock_detected
// (40P01): the transaction was chosen to end a lock cycle and may simply be
// run again.
func IsDeadlock(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "40P01"
}

// retryDeadlock runs fn until it ends other than in a deadlock, at most
// three times. Deleting an account cascades through its posts while a
// sync may be writing them (which touches the account row through the
// data_version triggers): the two take the same locks in opposite order,
// and PostgreSQL ends one of them.
func retryDeadlock(ctx context.Context, fn func() error) error {
	var err error
	for range 3 {
		if err = fn(); !IsDeadlock(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

// IsUniqueViolation reports whether err is PostgreSQL's unique_violation
// (23505).
func IsUniqueViolation(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505"
}

// IsForeignKeyViolation reports whether err is PostgreSQL's
// foreign_key_violation (23503).
func IsForeignKeyViolation(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23503"
}

// IsQueryCanceled reports whether err is PostgreSQL's query_canceled
// (57014): lib/pq asks the server to cancel a statement whose context ends
// while it runs, and the statement fails with it. A statement_timeout ends
// the same way, so the caller decides from its context what it means.
func IsQueryCanceled(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "57014"
}

// IsUnavailable reports whether err means the database cannot be reached
// or is not accepting work right now (refused or dropped connections, a
// shutdown or start-up in progress, too many connections), as opposed to a
// failure of the statement itself.
func IsUnavailable(err error) bool {
	var (
		pqErr *pq.Error
		opErr *net.OpError
	)
	switch {
	case err == nil:
		return false
	case errors.As(err, &pqErr):
		// 08: connection exception; 57P01-03: admin shutdown, crash
		// shutdown, cannot connect now; 53300: too many connections.
		c := string(pqErr.Code)
		return strings.HasPrefix(c, "08") || c == "57P01" || c == "57P02" || c == "57P03" || c == "53300"
	case errors.Is(err, driver.ErrBadConn), errors.As(err, &opErr):
		return true
	}
	return false
}

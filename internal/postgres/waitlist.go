package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// WaitlistEntry is a row of waitlist.
type WaitlistEntry struct {
	ID        string
	Email     string
	CreatedAt time.Time
}

// Waitlist stores the pre-launch waitlist.
type Waitlist struct{ db *sql.DB }

// NewWaitlist returns the waitlist store.
func NewWaitlist(db *sql.DB) *Waitlist { return &Waitlist{db: db} }

// Add inserts email unless it is already there, and reports whether it was
// new. Concurrent identical calls leave one row.
func (s *Waitlist) Add(ctx context.Context, email string) (created bool, err error) {
	const q = `INSERT INTO waitlist (email) VALUES ($1) ON CONFLICT (email) DO NOTHING`
	res, err := s.db.ExecContext(ctx, q, email)
	if err != nil {
		return false, fmt.Errorf("add to waitlist: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("add to waitlist: %w", err)
	}
	return n == 1, nil
}

// Page returns up to limit entries, newest first, after skipping offset, and
// the total count.
func (s *Waitlist) Page(ctx context.Context, limit, offset int) ([]WaitlistEntry, int, error) {
	const q = `
		SELECT id, email, created_at, count(*) OVER ()
		FROM waitlist
		ORDER BY created_at DESC, id DESC
		LIMIT $1 OFFSET $2`
	rows, err := s.db.QueryContext(ctx, q, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list waitlist: %w", err)
	}
	defer rows.Close()
	entries := []WaitlistEntry{}
	total := 0
	for rows.Next() {
		var e WaitlistEntry
		if err := rows.Scan(&e.ID, &e.Email, &e.CreatedAt, &total); err != nil {
			return nil, 0, fmt.Errorf("list waitlist: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list waitlist: %w", err)
	}
	if len(entries) == 0 {
		// The window function counts nothing past the last page.
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM waitlist`).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count waitlist: %w", err)
		}
	}
	return entries, total, nil
}

// Each calls fn for every entry, newest first, streaming the rows.
func (s *Waitlist) Each(ctx context.Context, fn func(WaitlistEntry) error) error {
	const q = `SELECT id, email, created_at FROM waitlist ORDER BY created_at DESC, id DESC`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("export waitlist: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e WaitlistEntry
		if err := rows.Scan(&e.ID, &e.Email, &e.CreatedAt); err != nil {
			return fmt.Errorf("export waitlist: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// DigestUser is a user who gets the weekly digest: weekly_digest on, a
// verified email and at least one Instagram account.
type DigestUser struct {
	ID       string
	Email    string
	Timezone string // an IANA zone name as stored; the reader checks it
	// SentWeeks are those of the weeks asked about whose digest was
	// already queued.
	SentWeeks []string
}

// Digests stores what the weekly digest reads and records: its
// recipients, the weeks sent (digests_sent) and unsubscribe tokens.
type Digests struct{ db *sql.DB }

// NewDigests returns the digests store.
func NewDigests(db *sql.DB) *Digests { return &Digests{db: db} }

const digestUserWhere = `u.weekly_digest AND u.email_verified_at IS NOT NULL
	AND EXISTS (SELECT 1 FROM instagram_accounts a WHERE a.user_id = u.id)`

// Recipients returns every user who gets the digest, each with which of
// weeks they have had, in id order.
func (s *Digests) Recipients(ctx context.Context, weeks []string) ([]DigestUser, error) {
	q := `SELECT u.id, u.email, u.timezone,
			COALESCE(array_agg(d.week) FILTER (WHERE d.week IS NOT NULL), '{}')
		FROM users u LEFT JOIN digests_sent d ON d.user_id = u.id AND d.week = ANY($1)
		WHERE ` + digestUserWhere + `
		GROUP BY u.id ORDER BY u.id`
	rows, err := s.db.QueryContext(ctx, q, pq.Array(weeks))
	if err != nil {
		return nil, fmt.Errorf("digest recipients: %w", err)
	}
	defer rows.Close()
	var out []DigestUser
	for rows.Next() {
		var u DigestUser
		if err := rows.Scan(&u.ID, &u.Email, &u.Timezone, pq.Array(&u.SentWeeks)); err != nil {
			return nil, fmt.Errorf("digest recipients: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest recipients: %w", err)
	}
	return out, nil
}

// Recipient returns the user if they still get the digest (ok false:
// unsubscribed, unverified, gone, or without accounts).
func (s *Digests) Recipient(ctx context.Context, userID string) (DigestUser, bool, error) {
	q := `SELECT u.id, u.email, u.timezone FROM users u WHERE u.id = $1 AND ` + digestUserWhere
	var u DigestUser
	err := s.db.QueryRowContext(ctx, q, userID).Scan(&u.ID, &u.Email, &u.Timezone)
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, fmt.Errorf("digest recipient: %w", err)
	}
	return u, true, nil
}

// Sent reports whether the user's digest of week was queued.
func (s *Digests) Sent(ctx context.Context, userID, week string) (bool, error) {
	var sent bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM digests_sent WHERE user_id = $1 AND week = $2)`,
		userID, week).Scan(&sent)
	if err != nil {
		return false, fmt.Errorf("digest sent: %w", err)
	}
	return sent, nil
}

// Accounts returns the user's Instagram accounts, oldest first.
func (s *Digests) Accounts(ctx context.Context, userID string) ([]Account, error) {
	q := `SELECT ` + accountColumns + ` FROM instagram_accounts WHERE user_id = $1 ORDER BY created_at, id`
	rows, err := s.db.QueryContext(ctx, q, userID)
	if err != nil {
		return nil, fmt.Errorf("digest accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("digest accounts: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest accounts: %w", err)
	}
	return out, nil
}

// Begin starts the transaction of one digest: MarkSentTx, SaveTokenTx
// and the outbox's enqueue.
func (s *Digests) Begin(ctx context.Context) (*sql.Tx, error) {
	return s.db.BeginTx(ctx, nil)
}

// MarkSentTx records the user's digest of week in tx; false when it was
// recorded before (the digest must then not be queued again).
func (s *Digests) MarkSentTx(ctx context.Context, tx *sql.Tx, userID, week string) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO digests_sent (user_id, week) VALUES ($1, $2)
		ON CONFLICT (user_id, week) DO NOTHING`, userID, week)
	if err != nil {
		return false, fmt.Errorf("mark digest sent: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark digest sent: %w", err)
	}
	return n == 1, nil
}

// SaveTokenTx stores the hash of the user's unsubscribe token in tx.
func (s *Digests) SaveTokenTx(ctx context.Context, tx *sql.Tx, userID string, hash []byte) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO unsubscribe_tokens (token_hash, user_id) VALUES ($1, $2)
		ON CONFLICT (token_hash) DO NOTHING`, hash, userID)
	if err != nil {
		return fmt.Errorf("save unsubscribe token: %w", err)
	}
	return nil
}

// Unsubscribe turns weekly_digest off for the user of the token hash;
// false when no token has that hash.
func (s *Digests) Unsubscribe(ctx context.Context, hash []byte) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE users SET weekly_digest = false, updated_at = now()
		WHERE id = (SELECT user_id FROM unsubscribe_tokens WHERE token_hash = $1)`, hash)
	if err != nil {
		return false, fmt.Errorf("unsubscribe: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("unsubscribe: %w", err)
	}
	return n == 1, nil
}

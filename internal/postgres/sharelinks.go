package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
)

// ShareLink is a row of share_links. The token itself is never stored:
// TokenHash is its SHA-256.
type ShareLink struct {
	ID         string
	UserID     string
	AccountID  string
	PeriodDays int
	TZ         string
	ExpiresAt  time.Time
	CreatedAt  time.Time
}

// ShareLinkInput is a link to store.
type ShareLinkInput struct {
	UserID     string
	AccountID  string
	TokenHash  []byte
	PeriodDays int
	TZ         string
	ExpiresAt  time.Time
	CreatedAt  time.Time
}

// ShareLinks stores share links.
type ShareLinks struct{ db *sql.DB }

// NewShareLinks returns the share links store.
func NewShareLinks(db *sql.DB) *ShareLinks { return &ShareLinks{db: db} }

// maxShareLinks bounds the list of one user.
const maxShareLinks = 500

const shareLinkColumns = `id, user_id, account_id, period_days, tz, expires_at, created_at`

func scanShareLink(row interface{ Scan(...any) error }) (ShareLink, error) {
	var l ShareLink
	err := row.Scan(&l.ID, &l.UserID, &l.AccountID, &l.PeriodDays, &l.TZ, &l.ExpiresAt, &l.CreatedAt)
	l.ExpiresAt, l.CreatedAt = l.ExpiresAt.UTC(), l.CreatedAt.UTC()
	return l, err
}

// Create stores a link of the user's account. An account that is not the
// user's is apperr.CodeNoInstagramAccount.
func (s *ShareLinks) Create(ctx context.Context, in ShareLinkInput) (ShareLink, error) {
	const q = `INSERT INTO share_links (user_id, account_id, token_hash, period_days, tz, expires_at, created_at)
		SELECT a.user_id, a.id, $3, $4, $5, $6, $7 FROM instagram_accounts a WHERE a.id = $2 AND a.user_id = $1
		RETURNING ` + shareLinkColumns
	l, err := scanShareLink(s.db.QueryRowContext(ctx, q, in.UserID, in.AccountID, in.TokenHash, in.PeriodDays, in.TZ, in.ExpiresAt, in.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return ShareLink{}, apperr.New(apperr.CodeNoInstagramAccount, "No Instagram account is connected.")
	}
	if err != nil {
		return ShareLink{}, fmt.Errorf("create share link: %w", err)
	}
	return l, nil
}

// ListForUser returns the user's links that are not revoked, newest first,
// the expired ones included (the list says when each ran out).
func (s *ShareLinks) ListForUser(ctx context.Context, userID string) ([]ShareLink, error) {
	const q = `SELECT ` + shareLinkColumns + ` FROM share_links WHERE user_id = $1 AND revoked_at IS NULL
		ORDER BY created_at DESC, id DESC LIMIT $2`
	rows, err := s.db.QueryContext(ctx, q, userID, maxShareLinks)
	if err != nil {
		return nil, fmt.Errorf("list share links: %w", err)
	}
	defer rows.Close()
	out := []ShareLink{}
	for rows.Next() {
		l, err := scanShareLink(rows)
		if err != nil {
			return nil, fmt.Errorf("list share links: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list share links: %w", err)
	}
	return out, nil
}

// Revoke ends the user's link at now. A link of another user, or one
// already revoked, is apperr.CodeNotFound.
func (s *ShareLinks) Revoke(ctx context.Context, userID, id string, now time.Time) error {
	const q = `UPDATE share_links SET revoked_at = $3 WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL`
	res, err := s.db.ExecContext(ctx, q, userID, id, now)
	if err != nil {
		return fmt.Errorf("revoke share link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.CodeNotFound, "No such share link.")
	}
	return nil
}

// Open returns the link whose token hashes to tokenHash when it is neither
// revoked nor expired at now; anything else is apperr.CodeNotFound.
func (s *ShareLinks) Open(ctx context.Context, tokenHash []byte, now time.Time) (ShareLink, error) {
	const q = `SELECT ` + shareLinkColumns + ` FROM share_links
		WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`
	l, err := scanShareLink(s.db.QueryRowContext(ctx, q, tokenHash, now))
	if errors.Is(err, sql.ErrNoRows) {
		return ShareLink{}, apperr.New(apperr.CodeNotFound, "This report link does not exist or has expired.")
	}
	if err != nil {
		return ShareLink{}, fmt.Errorf("open share link: %w", err)
	}
	return l, nil
}

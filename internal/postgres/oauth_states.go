package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// OAuthStates records the nonces of issued OAuth states so each is used once.
type OAuthStates struct{ db *sql.DB }

// NewOAuthStates returns the OAuth state store.
func NewOAuthStates(db *sql.DB) *OAuthStates { return &OAuthStates{db: db} }

// Record stores a newly issued nonce, and drops long-expired ones.
func (s *OAuthStates) Record(ctx context.Context, nonce, userID string, expiresAt time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'`); err != nil {
		return fmt.Errorf("prune oauth states: %w", err)
	}
	const q = `INSERT INTO oauth_states (nonce, user_id, expires_at) VALUES ($1, $2, $3)`
	if _, err := s.db.ExecContext(ctx, q, nonce, userID, expiresAt); err != nil {
		return fmt.Errorf("record oauth state: %w", err)
	}
	return nil
}

// Consume marks the nonce used and reports whether it was issued to userID,
// unused and unexpired. A second call for the same nonce reports false.
func (s *OAuthStates) Consume(ctx context.Context, nonce, userID string) (bool, error) {
	const q = `UPDATE oauth_states SET used_at = now()
		WHERE nonce = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > now()`
	res, err := s.db.ExecContext(ctx, q, nonce, userID)
	if err != nil {
		return false, fmt.Errorf("consume oauth state: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("consume oauth state: %w", err)
	}
	return n == 1, nil
}

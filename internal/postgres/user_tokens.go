package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
)

// Purposes of single-use user tokens.
const (
	PurposeVerifyEmail   = "verify_email"
	PurposePasswordReset = "password_reset"
	PurposeOAuthTicket   = "oauth_ticket"
)

// UserTokens stores single-use, expiring tokens sent to a user (a mailed
// link, the ticket that starts an Instagram connection). Only the SHA-256
// hash of a token is stored; the token itself exists in the link alone.
type UserTokens struct{ db *sql.DB }

// NewUserTokens returns the user token store.
func NewUserTokens(db *sql.DB) *UserTokens { return &UserTokens{db: db} }

// NewToken returns a random 32-byte token, URL-safe, and its hash.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Issue stores a new token of purpose for the user, valid for ttl, and
// returns it. Earlier unused tokens of the same purpose stop working, so
// only the latest link does anything.
func (s *UserTokens) Issue(ctx context.Context, userID, purpose string, ttl time.Duration) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	err = WithTx(ctx, s.db, func(tx *sql.Tx) error {
		const drop = `DELETE FROM user_tokens WHERE (user_id = $1 AND purpose = $2) OR expires_at < now() - interval '1 day'`
		if _, err := tx.ExecContext(ctx, drop, userID, purpose); err != nil {
			return fmt.Errorf("drop earlier tokens: %w", err)
		}
		const q = `INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at)
			VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')`
		if _, err := tx.ExecContext(ctx, q, hash, userID, purpose, ttl.Milliseconds()); err != nil {
			return fmt.Errorf("issue %s token: %w", purpose, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ConsumeTx marks the token used in tx and returns its user. A token that
// is unknown, of another purpose, used or expired is apperr.CodeInvalidToken.
func ConsumeTx(ctx context.Context, tx *sql.Tx, token, purpose string) (string, error) {
	const q = `UPDATE user_tokens SET used_at = now()
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
		RETURNING user_id`
	var userID string
	err := tx.QueryRowContext(ctx, q, HashToken(token), purpose).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.CodeInvalidToken, "This link is invalid, used or expired. Ask for a new one.")
	}
	if err != nil {
		return "", fmt.Errorf("consume %s token: %w", purpose, err)
	}
	return userID, nil
}

// Consume is ConsumeTx in a transaction of its own.
func (s *UserTokens) Consume(ctx context.Context, token, purpose string) (string, error) {
	var userID string
	err := WithTx(ctx, s.db, func(tx *sql.Tx) error {
		var err error
		userID, err = ConsumeTx(ctx, tx, token, purpose)
		return err
	})
	return userID, err
}

// Prune drops tokens that expired more than a day ago.
func (s *UserTokens) Prune(ctx context.Context) error {
	return WithTx(ctx, s.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_tokens WHERE expires_at < now() - interval '1 day'`); err != nil {
			return fmt.Errorf("prune user tokens: %w", err)
		}
		return nil
	})
}

// Valid reports whether token is live for purpose, without spending it.
func (s *UserTokens) Valid(ctx context.Context, token, purpose string) (bool, error) {
	const q = `SELECT EXISTS (SELECT 1 FROM user_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now())`
	var ok bool
	if err := s.db.QueryRowContext(ctx, q, HashToken(token), purpose).Scan(&ok); err != nil {
		return false, fmt.Errorf("check %s token: %w", purpose, err)
	}
	return ok, nil
}

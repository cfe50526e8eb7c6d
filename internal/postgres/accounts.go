package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
)

// Account statuses.
const (
	StatusActive      = "active"
	StatusNeedsReauth = "needs_reauth"
)

// Account is a row of instagram_accounts. AccessToken holds the ciphertext
// as stored; only the instagram package decrypts it.
type Account struct {
	ID             string
	UserID         string
	IGUserID       string
	Username       string
	AccessToken    string
	TokenExpiresAt *time.Time
	TokenIssuedAt  time.Time
	Followers      *int64
	Status         string
	LastSyncedAt   *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Accounts stores linked Instagram accounts.
type Accounts struct{ db *sql.DB }

// NewAccounts returns the accounts store.
func NewAccounts(db *sql.DB) *Accounts { return &Accounts{db: db} }

const accountColumns = `id, user_id, ig_user_id, COALESCE(username, ''), access_token, token_expires_at,
	token_issued_at, followers, status, last_synced_at, created_at, updated_at`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.UserID, &a.IGUserID, &a.Username, &a.AccessToken, &a.TokenExpiresAt,
		&a.TokenIssuedAt, &a.Followers, &a.Status, &a.LastSyncedAt, &a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// ForUser returns the user's account with id accountID, or, when accountID
// is empty, the user's most recently connected account. An account of
// another user is reported as absent: apperr.CodeNoInstagramAccount.
func (s *Accounts) ForUser(ctx context.Context, userID, accountID string) (Account, error) {
	var row *sql.Row
	if accountID == "" {
		const q = `SELECT ` + accountColumns + ` FROM instagram_accounts
			WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`
		row = s.db.QueryRowContext(ctx, q, userID)
	} else {
		const q = `SELECT ` + accountColumns + ` FROM instagram_accounts WHERE user_id = $1 AND id = $2`
		row = s.db.QueryRowContext(ctx, q, userID, accountID)
	}
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, apperr.New(apperr.CodeNoInstagramAccount, "No Instagram account is connected.")
	}
	if err != nil {
		return Account{}, fmt.Errorf("get account: %w", err)
	}
	return a, nil
}

// ByID returns the account with the given id, or apperr.CodeNotFound.
func (s *Accounts) ByID(ctx context.Context, id string) (Account, error) {
	const q = `SELECT ` + accountColumns + ` FROM instagram_accounts WHERE id = $1`
	a, err := scanAccount(s.db.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, apperr.New(apperr.CodeNotFound, "Account not found.")
	}
	if err != nil {
		return Account{}, fmt.Errorf("get account: %w", err)
	}
	return a, nil
}

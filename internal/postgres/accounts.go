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
// as stored (secretbox, sealed to the IG user id); only igsync opens it.
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
	// DataVersion advances with every change to the account's posts or
	// follower snapshots (migrations/0005_stats_version.sql).
	DataVersion int64
	// PostsCount is the number of stored posts, kept by the same triggers
	// (migrations/0007_posts_count.sql).
	PostsCount int64
	// InsightsSyncedAt is when a post's insights were last read.
	InsightsSyncedAt *time.Time
	// InsightsParkedUntil: no insights call for the account before it.
	InsightsParkedUntil *time.Time
	// InsightsBackoff is the last wait chosen when Instagram named none.
	InsightsBackoff time.Duration
}

// Accounts stores linked Instagram accounts.
type Accounts struct {
	db    *sql.DB
	stmts *stmtCache
}

// NewAccounts returns the accounts store.
func NewAccounts(db *sql.DB) *Accounts { return &Accounts{db: db, stmts: &stmtCache{db: db}} }

const accountColumns = `id, user_id, ig_user_id, COALESCE(username, ''), access_token, token_expires_at,
	token_issued_at, followers, status, last_synced_at, created_at, updated_at, data_version, posts_count,
	insights_synced_at, insights_parked_until, insights_backoff_s`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var backoff int64
	err := row.Scan(a.fields(&backoff)...)
	a.InsightsBackoff = time.Duration(backoff) * time.Second
	return a, err
}

// fields are the scan targets of accountColumns, in its order; the
// backoff is read in seconds into backoff.
func (a *Account) fields(backoff *int64) []any {
	return []any{&a.ID, &a.UserID, &a.IGUserID, &a.Username, &a.AccessToken, &a.TokenExpiresAt,
		&a.TokenIssuedAt, &a.Followers, &a.Status, &a.LastSyncedAt, &a.CreatedAt, &a.UpdatedAt, &a.DataVersion, &a.PostsCount,
		&a.InsightsSyncedAt, &a.InsightsParkedUntil, backoff}
}

// ForUser returns the user's account with id accountID, or, when accountID
// is empty, the user's most recently connected account. An account of
// another user is reported as absent: apperr.CodeNoInstagramAccount.
func (s *Accounts) ForUser(ctx context.Context, userID, accountID string) (Account, error) {
	// Every protected Instagram and stats request starts here: prepared.
	const latest = `SELECT ` + accountColumns + ` FROM instagram_accounts
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`
	const named = `SELECT ` + accountColumns + ` FROM instagram_accounts WHERE user_id = $1 AND id = $2`
	q, args := latest, []any{userID}
	if accountID != "" {
		q, args = named, []any{userID, accountID}
	}
	st, err := s.stmts.get(ctx, q)
	if err != nil {
		return Account{}, fmt.Errorf("get account: %w", err)
	}
	a, err := scanAccount(st.QueryRowContext(ctx, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNoAccount()
	}
	if err != nil {
		return Account{}, fmt.Errorf("get account: %w", err)
	}
	return a, nil
}

// ErrNoAccount is the error of a request for an account the user does not
// have.
func ErrNoAccount() error {
	return apperr.New(apperr.CodeNoInstagramAccount, "No Instagram account is connected.")
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

// LinkInput is what a completed OAuth connection stores.
type LinkInput struct {
	UserID         string
	IGUserID       string
	Username       string
	AccessToken    string // ciphertext
	TokenExpiresAt time.Time
	Followers      *int64
}

// Link stores a newly authorised account for the user, or renews the token
// of an account the user had already linked. An account linked to another
// user is apperr.CodeAlreadyLinked.
func (s *Accounts) Link(ctx context.Context, in LinkInput) (Account, error) {
	const q = `
		INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token, token_expires_at, token_issued_at, followers)
		VALUES ($1, $2, $3, $4, $5, now(), $6)
		ON CONFLICT (ig_user_id) DO UPDATE SET
			username = EXCLUDED.username,
			access_token = EXCLUDED.access_token,
			token_expires_at = EXCLUDED.token_expires_at,
			token_issued_at = now(),
			followers = COALESCE(EXCLUDED.followers, instagram_accounts.followers),
			status = 'active',
			updated_at = now()
		WHERE instagram_accounts.user_id = EXCLUDED.user_id
		RETURNING ` + accountColumns
	a, err := scanAccount(s.db.QueryRowContext(ctx, q, in.UserID, in.IGUserID, in.Username, in.AccessToken, in.TokenExpiresAt, in.Followers))
	if errors.Is(err, sql.ErrNoRows) {
		// The conflict's WHERE filtered the row out: another user has it.
		return Account{}, apperr.New(apperr.CodeAlreadyLinked, "This Instagram account is already connected to another user.")
	}
	if err != nil {
		return Account{}, fmt.Errorf("link account: %w", err)
	}
	return a, nil
}

// IsLinked reports whether any user has linked the Instagram account
// igUserID.
func (s *Accounts) IsLinked(ctx context.Context, igUserID string) (bool, error) {
	var linked bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM instagram_accounts WHERE ig_user_id = $1)`, igUserID).Scan(&linked)
	if err != nil {
		return false, fmt.Errorf("is linked: %w", err)
	}
	return linked, nil
}

// Delete removes the user's account and, by cascade, its posts, snapshots
// and jobs.
func (s *Accounts) Delete(ctx context.Context, userID, id string) error {
	var res sql.Result
	err := retryDeadlock(ctx, func() (err error) {
		res, err = s.db.ExecContext(ctx, `DELETE FROM instagram_accounts WHERE user_id = $1 AND id = $2`, userID, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.CodeNoInstagramAccount, "No Instagram account is connected.")
	}
	return nil
}

// UpdateToken stores a refreshed token.
func (s *Accounts) UpdateToken(ctx context.Context, id, ciphertext string, expiresAt time.Time) error {
	const q = `UPDATE instagram_accounts SET access_token = $2, token_expires_at = $3, token_issued_at = now(),
		status = 'active', updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, ciphertext, expiresAt); err != nil {
		return fmt.Errorf("update token: %w", err)
	}
	return nil
}

// MarkNeedsReauth records that Instagram no longer accepts the account's
// token, and reports whether this call turned it needs_reauth (false: it
// already was, or it is gone), so that what follows the transition
// happens once, whichever replica saw it.
func (s *Accounts) MarkNeedsReauth(ctx context.Context, id string) (bool, error) {
	const q = `UPDATE instagram_accounts SET status = 'needs_reauth', updated_at = now()
		WHERE id = $1 AND status <> 'needs_reauth'`
	res, err := s.db.ExecContext(ctx, q, id)
	if err != nil {
		return false, fmt.Errorf("mark needs_reauth: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark needs_reauth: %w", err)
	}
	return n == 1, nil
}

// UpdateProfile stores the profile read at the start of a sync and records
// today's follower snapshot, in one transaction.
func (s *Accounts) UpdateProfile(ctx context.Context, id, username string, followers int64) error {
	return WithTx(ctx, s.db, func(tx *sql.Tx) error {
		const upd = `UPDATE instagram_accounts SET username = $2, followers = $3, updated_at = now() WHERE id = $1`
		if _, err := tx.ExecContext(ctx, upd, id, username, followers); err != nil {
			return fmt.Errorf("update profile: %w", err)
		}
		const snap = `
			INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
			VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2, now())
			ON CONFLICT (account_id, taken_on) DO UPDATE SET followers = EXCLUDED.followers, taken_at = EXCLUDED.taken_at`
		if _, err := tx.ExecContext(ctx, snap, id, followers); err != nil {
			return fmt.Errorf("record follower snapshot: %w", err)
		}
		return nil
	})
}

// MarkSynced records the end of a successful sync.
func (s *Accounts) MarkSynced(ctx context.Context, id string) error {
	const q = `UPDATE instagram_accounts SET last_synced_at = now(), updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id); err != nil {
		return fmt.Errorf("mark synced: %w", err)
	}
	return nil
}

// DueForRefresh returns the ids of active accounts whose token expires
// within window and is at least minAge old (Instagram refuses younger ones).
func (s *Accounts) DueForRefresh(ctx context.Context, window, minAge time.Duration) ([]string, error) {
	const q = `SELECT id FROM instagram_accounts
		WHERE status = 'active' AND token_expires_at < now() + $1 * interval '1 second'
		AND token_issued_at <= now() - $2 * interval '1 second' ORDER BY token_expires_at LIMIT 10000`
	return s.ids(ctx, q, window.Seconds(), minAge.Seconds())
}

// DueForSync returns the ids of active accounts not synced within age.
func (s *Accounts) DueForSync(ctx context.Context, age time.Duration) ([]string, error) {
	const q = `SELECT id FROM instagram_accounts
		WHERE status = 'active' AND (last_synced_at IS NULL OR last_synced_at < now() - $1 * interval '1 second')
		ORDER BY last_synced_at NULLS FIRST LIMIT 10000`
	return s.ids(ctx, q, age.Seconds())
}

func (s *Accounts) ids(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ParkInsights stops the account's insights calls until until, every
// replica and restart included, remembering backoff (the wait chosen when
// Instagram named none; 0 resets it) and the usage percent seen (nil:
// unchanged).
func (s *Accounts) ParkInsights(ctx context.Context, id string, until time.Time, backoff time.Duration, usagePct *int) error {
	const q = `UPDATE instagram_accounts SET insights_parked_until = $2, insights_backoff_s = $3,
		insights_usage_pct = COALESCE($4, insights_usage_pct) WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, until, int64(backoff/time.Second), usagePct); err != nil {
		return fmt.Errorf("park insights: %w", err)
	}
	return nil
}

// InsightsRead records that the account's insights were read at at, with
// the highest usage percent Instagram reported (nil: none reported), and
// clears the backoff.
func (s *Accounts) InsightsRead(ctx context.Context, id string, at time.Time, usagePct *int) error {
	const q = `UPDATE instagram_accounts SET insights_synced_at = GREATEST(insights_synced_at, $2),
		insights_usage_pct = COALESCE($3, insights_usage_pct), insights_backoff_s = 0 WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, at, usagePct); err != nil {
		return fmt.Errorf("insights read: %w", err)
	}
	return nil
}

// InsightsBudget is the state of every account's insights budget.
type InsightsBudget struct {
	// Parked counts the accounts whose insights wait at now.
	Parked int
	// MaxUsagePct is the highest usage percent last reported for an account.
	MaxUsagePct int
}

// InsightsBudget returns the budget state across accounts at now, for metrics.
func (s *Accounts) InsightsBudget(ctx context.Context, now time.Time) (InsightsBudget, error) {
	const q = `SELECT count(*) FILTER (WHERE insights_parked_until > $1), COALESCE(max(insights_usage_pct), 0)
		FROM instagram_accounts`
	var b InsightsBudget
	if err := s.db.QueryRowContext(ctx, q, now).Scan(&b.Parked, &b.MaxUsagePct); err != nil {
		return b, fmt.Errorf("insights budget: %w", err)
	}
	return b, nil
}

// maxAccounts bounds the account list of one user.
const maxAccounts = 100

// ListForUser returns the user's accounts, most recently connected first.
func (s *Accounts) ListForUser(ctx context.Context, userID string) ([]Account, error) {
	const q = `SELECT ` + accountColumns + ` FROM instagram_accounts WHERE user_id = $1
		ORDER BY created_at DESC, id DESC LIMIT $2`
	rows, err := s.db.QueryContext(ctx, q, userID, maxAccounts)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	out := []Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

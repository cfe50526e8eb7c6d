package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
)

// Session is a row of sessions: one login.
type Session struct {
	ID        string
	UserID    string
	ExpiresAt time.Time
}

// Sessions stores the server-side sessions behind access tokens.
type Sessions struct {
	db    *sql.DB
	stmts *stmtCache
}

// NewSessions returns the sessions store.
func NewSessions(db *sql.DB) *Sessions { return &Sessions{db: db, stmts: &stmtCache{db: db}} }

// DB is the pool the store runs on, for transactions that span stores.
func (s *Sessions) DB() *sql.DB { return s.db }

// Create starts a session for the user, valid for ttl.
func (s *Sessions) Create(ctx context.Context, userID string, ttl time.Duration) (Session, error) {
	var out Session
	err := WithTx(ctx, s.db, func(tx *sql.Tx) error {
		var err error
		out, err = CreateSessionTx(ctx, tx, userID, ttl)
		return err
	})
	return out, err
}

// CreateSessionTx starts a session in tx, dropping the user's expired ones.
func CreateSessionTx(ctx context.Context, tx *sql.Tx, userID string, ttl time.Duration) (Session, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()`, userID); err != nil {
		return Session{}, fmt.Errorf("prune sessions: %w", err)
	}
	const q = `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + $2 * interval '1 second')
		RETURNING id, user_id, expires_at`
	var out Session
	err := tx.QueryRowContext(ctx, q, userID, int64(ttl/time.Second)).Scan(&out.ID, &out.UserID, &out.ExpiresAt)
	if err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	return out, nil
}

// User returns the user of a live session: the session id and the user id
// must match a row that has not expired, and the user must exist. Anything
// else is apperr.CodeUnauthorized. It is one primary-key lookup joined with
// the user's row, which the request needs anyway.
func (s *Sessions) User(ctx context.Context, sessionID, userID string) (User, error) {
	const q = `SELECT ` + userColumnsOf + ` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id = $1 AND s.user_id = $2 AND s.expires_at > now()`
	// Every authenticated request runs it: prepared once per pool.
	st, err := s.stmts.get(ctx, q)
	if err != nil {
		return User{}, fmt.Errorf("get session: %w", err)
	}
	u, err := scanUser(st.QueryRowContext(ctx, sessionID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.CodeUnauthorized, "Your session has ended. Log in again.")
	}
	if err != nil {
		return User{}, fmt.Errorf("get session: %w", err)
	}
	return u, nil
}

// accountColumnsOuter is accountColumns of the alias a on the nullable
// side of an outer join: a missing account reads as an empty ID.
const accountColumnsOuter = `COALESCE(a.id::text, ''), COALESCE(a.user_id::text, ''), COALESCE(a.ig_user_id, ''),
	COALESCE(a.username, ''), COALESCE(a.access_token, ''), a.token_expires_at,
	COALESCE(a.token_issued_at, 'epoch'), a.followers, COALESCE(a.status, ''), a.last_synced_at,
	COALESCE(a.created_at, 'epoch'), COALESCE(a.updated_at, 'epoch'), COALESCE(a.data_version, 0),
	COALESCE(a.posts_count, 0), a.insights_synced_at, a.insights_parked_until, COALESCE(a.insights_backoff_s, 0)`

// UserAndAccount is User that also reads, in the same statement, the
// account ForUser(userID, accountID) would return: the request that
// checks a session usually needs it next, and one round trip costs half
// of two. ok is false when the user has no such account.
func (s *Sessions) UserAndAccount(ctx context.Context, sessionID, userID, accountID string) (u User, acc Account, ok bool, err error) {
	r, err := s.Read(ctx, sessionID, userID, accountID)
	return r.User, r.Account, r.HasAccount, err
}

// SessionRead is what Read returns: the session's user, its expiry, and
// the account the request named (or the latest), if the user has it.
type SessionRead struct {
	User       User
	Account    Account
	HasAccount bool
	ExpiresAt  time.Time
}

// Read is UserAndAccount that also returns the session's expiry, so that
// a copy of the answer can be checked against it later.
func (s *Sessions) Read(ctx context.Context, sessionID, userID, accountID string) (SessionRead, error) {
	const head = `SELECT ` + userColumnsOf + `, s.expires_at, ` + accountColumnsOuter + `
		FROM sessions s JOIN users u ON u.id = s.user_id
		LEFT JOIN LATERAL (SELECT * FROM instagram_accounts x `
	const tail = `) a ON true
		WHERE s.id = $1 AND s.user_id = $2 AND s.expires_at > now()`
	// The same two choices as ForUser, each prepared once per pool.
	const latest = head + `WHERE x.user_id = u.id ORDER BY x.created_at DESC, x.id DESC LIMIT 1` + tail
	const named = head + `WHERE x.user_id = u.id AND x.id = $3` + tail
	q, args := latest, []any{sessionID, userID}
	if accountID != "" {
		q, args = named, []any{sessionID, userID, accountID}
	}
	st, err := s.stmts.get(ctx, q)
	if err != nil {
		return SessionRead{}, fmt.Errorf("get session: %w", err)
	}
	var (
		r       SessionRead
		backoff int64
	)
	targets := append(r.User.fields(), &r.ExpiresAt)
	err = st.QueryRowContext(ctx, args...).Scan(append(targets, r.Account.fields(&backoff)...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return SessionRead{}, apperr.New(apperr.CodeUnauthorized, "Your session has ended. Log in again.")
	}
	if err != nil {
		return SessionRead{}, fmt.Errorf("get session: %w", err)
	}
	r.Account.InsightsBackoff = time.Duration(backoff) * time.Second
	if r.Account.ID == "" {
		r.Account = Account{}
		return r, nil
	}
	r.HasAccount = true
	return r, nil
}

// Delete ends one session; an unknown id is not an error.
func (s *Sessions) Delete(ctx context.Context, sessionID string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sessionID); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteForUser ends every session of the user.
func (s *Sessions) DeleteForUser(ctx context.Context, userID string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

// DeleteForUserTx ends every session of the user in tx.
func DeleteForUserTx(ctx context.Context, tx *sql.Tx, userID string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

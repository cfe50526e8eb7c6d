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

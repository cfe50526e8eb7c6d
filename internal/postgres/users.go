package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
)

// User is a row of users.
type User struct {
	ID              string
	Email           string
	PasswordHash    string
	CreatedAt       time.Time
	EmailVerifiedAt *time.Time // nil until the address is confirmed
	Timezone        string     // IANA name, UTC by default
	WeeklyDigest    bool
}

// Users stores users.
type Users struct{ db *sql.DB }

// NewUsers returns the users store.
func NewUsers(db *sql.DB) *Users { return &Users{db: db} }

const userColumns = `id, email, password, created_at, email_verified_at, timezone, weekly_digest`

// userColumnsOf is userColumns qualified by the alias u.
const userColumnsOf = `u.id, u.email, u.password, u.created_at, u.email_verified_at, u.timezone, u.weekly_digest`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(u.fields()...)
	return u, err
}

// fields are the scan targets of userColumns, in its order.
func (u *User) fields() []any {
	return []any{&u.ID, &u.Email, &u.PasswordHash, &u.CreatedAt, &u.EmailVerifiedAt, &u.Timezone, &u.WeeklyDigest}
}

// Create inserts a user and returns it; an existing email is
// apperr.CodeEmailTaken.
func (s *Users) Create(ctx context.Context, email, passwordHash string) (User, error) {
	const q = `INSERT INTO users (email, password) VALUES ($1, $2) RETURNING ` + userColumns
	u, err := scanUser(s.db.QueryRowContext(ctx, q, email, passwordHash))
	if IsUniqueViolation(err) {
		return User{}, apperr.New(apperr.CodeEmailTaken, "An account with this email already exists.")
	}
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// ByEmail returns the user with the given email, or apperr.CodeNotFound.
func (s *Users) ByEmail(ctx context.Context, email string) (User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE email = $1`
	return s.one(ctx, q, email)
}

// ByID returns the user with the given id, or apperr.CodeNotFound.
func (s *Users) ByID(ctx context.Context, id string) (User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	return s.one(ctx, q, id)
}

func (s *Users) one(ctx context.Context, q string, arg string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.CodeNotFound, "User not found.")
	}
	if err != nil {
		return User{}, fmt.Errorf("get user: %w", err)
	}
	return u, nil
}

// Timezone returns the time zone name the user chose (UTC unless they
// changed it), or apperr.CodeNotFound for no such user.
func (s *Users) Timezone(ctx context.Context, id string) (string, error) {
	const q = `SELECT timezone FROM users WHERE id = $1`
	var tz string
	err := s.db.QueryRowContext(ctx, q, id).Scan(&tz)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.CodeNotFound, "User not found.")
	}
	if err != nil {
		return "", fmt.Errorf("user timezone: %w", err)
	}
	return tz, nil
}

// Settings are the user's own preferences; nil fields are left as they are.
type Settings struct {
	Timezone     *string
	WeeklyDigest *bool
}

// UpdateSettings changes the user's preferences and returns the user, or
// apperr.CodeNotFound.
func (s *Users) UpdateSettings(ctx context.Context, id string, in Settings) (User, error) {
	const q = `UPDATE users SET timezone = COALESCE($2, timezone), weekly_digest = COALESCE($3, weekly_digest),
		updated_at = now() WHERE id = $1 RETURNING ` + userColumns
	var tz sql.NullString
	if in.Timezone != nil {
		tz = sql.NullString{String: *in.Timezone, Valid: true}
	}
	var digest sql.NullBool
	if in.WeeklyDigest != nil {
		digest = sql.NullBool{Bool: *in.WeeklyDigest, Valid: true}
	}
	u, err := scanUser(s.db.QueryRowContext(ctx, q, id, tz, digest))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.CodeNotFound, "User not found.")
	}
	if err != nil {
		return User{}, fmt.Errorf("update user settings: %w", err)
	}
	return u, nil
}

// MarkVerifiedTx records that the user confirmed their address (keeping
// the first confirmation's time) and returns the user.
func MarkVerifiedTx(ctx context.Context, tx *sql.Tx, id string) (User, error) {
	const q = `UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now()
		WHERE id = $1 RETURNING ` + userColumns
	u, err := scanUser(tx.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.CodeNotFound, "User not found.")
	}
	if err != nil {
		return User{}, fmt.Errorf("mark email verified: %w", err)
	}
	return u, nil
}

// SetPasswordTx replaces the user's password hash and returns the user.
func SetPasswordTx(ctx context.Context, tx *sql.Tx, id, passwordHash string) (User, error) {
	const q = `UPDATE users SET password = $2, updated_at = now() WHERE id = $1 RETURNING ` + userColumns
	u, err := scanUser(tx.QueryRowContext(ctx, q, id, passwordHash))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.New(apperr.CodeNotFound, "User not found.")
	}
	if err != nil {
		return User{}, fmt.Errorf("set password: %w", err)
	}
	return u, nil
}

// UserMailKey is the dedupe key of a queued mail to the user: the user's
// id first, so that deleting the user can drop the mails still queued.
func UserMailKey(userID, rest string) string { return "user:" + userID + ":" + rest }

// Delete removes the user. Every row that belongs to them (sessions,
// tokens, Instagram accounts with their encrypted tokens, posts, jobs)
// goes with it through ON DELETE CASCADE; their queued mails (keyed by
// UserMailKey) are dropped in the same transaction.
func (s *Users) Delete(ctx context.Context, id string) error {
	return retryDeadlock(ctx, func() error { return s.delete(ctx, id) })
}

func (s *Users) delete(ctx context.Context, id string) error {
	return WithTx(ctx, s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete user: %w", err)
		} else if n == 0 {
			return apperr.New(apperr.CodeNotFound, "User not found.")
		}
		// The prefix holds no LIKE wildcard: a UUID is hex and dashes.
		const drop = `DELETE FROM jobs WHERE dedupe_key LIKE $1 AND account_id IS NULL`
		if _, err := tx.ExecContext(ctx, drop, UserMailKey(id, "%")); err != nil {
			return fmt.Errorf("delete user's mail: %w", err)
		}
		return nil
	})
}

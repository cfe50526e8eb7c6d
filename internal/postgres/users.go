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
	ID           string
	Email        string
	PasswordHash string
	CreatedAt    time.Time
}

// Users stores users.
type Users struct{ db *sql.DB }

// NewUsers returns the users store.
func NewUsers(db *sql.DB) *Users { return &Users{db: db} }

const userColumns = `id, email, password, created_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.CreatedAt)
	return u, err
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

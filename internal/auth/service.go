package auth

import (
	"context"
	"errors"
	"fmt"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// Password length limits, in bytes; bcrypt reads no more than 72.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 72
)

// Session is what register and login return.
type Session struct {
	Token string
	User  postgres.User
}

// Service registers users and logs them in.
type Service struct {
	users  *postgres.Users
	hasher *Hasher
	tokens *Tokens
}

// NewService returns the account service.
func NewService(users *postgres.Users, hasher *Hasher, tokens *Tokens) *Service {
	return &Service{users: users, hasher: hasher, tokens: tokens}
}

// Register creates a user and returns a session for it.
func (s *Service) Register(ctx context.Context, email, password string) (Session, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Session{}, err
	}
	if len(password) < MinPasswordLength || len(password) > MaxPasswordLength {
		return Session{}, apperr.Errorf(apperr.CodeWeakPassword,
			"Password must be %d to %d bytes long.", MinPasswordLength, MaxPasswordLength)
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return Session{}, err
	}
	u, err := s.users.Create(ctx, email, hash)
	if err != nil {
		return Session{}, err
	}
	return s.session(u)
}

// Login checks the credentials and returns a session. An unknown email and
// a wrong password give the same error after the same work.
func (s *Service) Login(ctx context.Context, email, password string) (Session, error) {
	invalid := apperr.New(apperr.CodeInvalidCredentials, "Email or password is incorrect.")
	email, err := NormalizeEmail(email)
	if err != nil {
		email = ""
	}
	var u postgres.User
	if email != "" {
		u, err = s.users.ByEmail(ctx, email)
		if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
			return Session{}, err
		}
	}
	if len(password) > MaxPasswordLength {
		password = password[:MaxPasswordLength+1] // still wrong, but bounded work
	}
	err = s.hasher.Compare(ctx, u.PasswordHash, password)
	if errors.Is(err, ErrMismatch) {
		return Session{}, invalid
	}
	if err != nil {
		return Session{}, err
	}
	return s.session(u)
}

func (s *Service) session(u postgres.User) (Session, error) {
	tok, err := s.tokens.Issue(u.ID, u.Email)
	if err != nil {
		return Session{}, fmt.Errorf("issue token: %w", err)
	}
	return Session{Token: tok, User: u}, nil
}

// User returns the user behind an authenticated request.
func (s *Service) User(ctx context.Context, id string) (postgres.User, error) {
	return s.users.ByID(ctx, id)
}

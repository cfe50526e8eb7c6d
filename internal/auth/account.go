package auth

import (
	"context"
	"database/sql"

	"creatorgrowth/internal/postgres"
)

// ChangePassword replaces the user's password after checking the current
// one. Every session of the user ends, the asking one included, and a new
// one is returned. A wrong current password is apperr.CodeInvalidCredentials.
func (s *Service) ChangePassword(ctx context.Context, u postgres.User, current, next string) (Session, error) {
	if err := s.compare(ctx, u.PasswordHash, current); err != nil {
		return Session{}, err
	}
	if err := checkPassword(next); err != nil {
		return Session{}, err
	}
	return s.setPassword(ctx, next, func(context.Context, *sql.Tx) (string, error) { return u.ID, nil })
}

// setPassword hashes password and, in one transaction, asks userOf whose
// password it is, stores the hash, ends every session of that user and
// starts a new one.
func (s *Service) setPassword(ctx context.Context, password string, userOf func(context.Context, *sql.Tx) (string, error)) (Session, error) {
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return Session{}, err
	}
	var (
		u      postgres.User
		sess   postgres.Session
		userID string
	)
	err = postgres.WithTx(ctx, s.sessions.DB(), func(tx *sql.Tx) error {
		var err error
		if userID, err = userOf(ctx, tx); err != nil {
			return err
		}
		if u, err = postgres.SetPasswordTx(ctx, tx, userID, hash); err != nil {
			return err
		}
		if err := postgres.DeleteForUserTx(ctx, tx, userID); err != nil {
			return err
		}
		sess, err = postgres.CreateSessionTx(ctx, tx, userID, TokenTTL)
		return err
	})
	if userID != "" {
		s.Forget(userID) // committed or not, after the transaction
	}
	if err != nil {
		return Session{}, err
	}
	return s.signed(u, sess)
}

// UpdateSettings changes the user's preferences. The time zone, when set,
// must already be a valid IANA name (the caller checks it).
func (s *Service) UpdateSettings(ctx context.Context, userID string, in postgres.Settings) (postgres.User, error) {
	defer s.Forget(userID)
	return s.users.UpdateSettings(ctx, userID, in)
}

// DeleteAccount removes the user and everything of theirs after checking
// the password; a wrong one is apperr.CodeInvalidCredentials.
func (s *Service) DeleteAccount(ctx context.Context, u postgres.User, password string) error {
	if err := s.compare(ctx, u.PasswordHash, password); err != nil {
		return err
	}
	defer s.Forget(u.ID)
	return s.users.Delete(ctx, u.ID)
}

package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// Lifetimes of the mailed links.
const (
	VerifyEmailTTL   = 48 * time.Hour
	PasswordResetTTL = 30 * time.Minute
)

// Kinds of account mail.
const (
	MailVerifyEmail   = "verify_email"
	MailPasswordReset = "password_reset"
)

// AccountMail is one mail about the account: its kind, the recipient and
// the single-use token its link carries ({PUBLIC_URL}/verify-email?token=…
// or /reset-password?token=…).
type AccountMail struct {
	Kind   string
	UserID string
	To     string
	Token  string
}

// Mailer hands account mails to the mail system. It must not block on
// SMTP: a durable outbox that sends later is what it is meant to be.
type Mailer interface {
	SendAccountMail(ctx context.Context, m AccountMail) error
}

// sendVerification mails the user a link confirming their address.
func (s *Service) sendVerification(ctx context.Context, u postgres.User) error {
	if s.mailer == nil {
		s.logger.WarnContext(ctx, "mail is not configured: no verification mail sent", "user_id", u.ID)
		return nil
	}
	token, err := s.once.Issue(ctx, u.ID, postgres.PurposeVerifyEmail, VerifyEmailTTL)
	if err != nil {
		return err
	}
	return s.mailer.SendAccountMail(ctx, AccountMail{Kind: MailVerifyEmail, UserID: u.ID, To: u.Email, Token: token})
}

// VerifyEmail spends a verification token and marks the address
// confirmed. A bad, used or expired token is apperr.CodeInvalidToken.
func (s *Service) VerifyEmail(ctx context.Context, token string) (postgres.User, error) {
	var u postgres.User
	err := postgres.WithTx(ctx, s.sessions.DB(), func(tx *sql.Tx) error {
		userID, err := postgres.ConsumeTx(ctx, tx, token, postgres.PurposeVerifyEmail)
		if err != nil {
			return err
		}
		u, err = postgres.MarkVerifiedTx(ctx, tx, userID)
		return err
	})
	if err == nil {
		s.Forget(u.ID)
	}
	return u, err
}

// RequestPasswordReset mails a reset link when email has an account. It
// answers the same for every well-formed address, after the same kind of
// work: a lookup and one short transaction either way.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	if s.mailer == nil {
		return apperr.New(apperr.CodeUnavailable, "Password reset by mail is not available on this server (SMTP_URL is unset).")
	}
	u, err := s.users.ByEmail(ctx, email)
	if apperr.Is(err, apperr.CodeNotFound) {
		// The same round trips as issuing a token: pruning expired ones.
		return s.once.Prune(ctx)
	}
	if err != nil {
		return err
	}
	token, err := s.once.Issue(ctx, u.ID, postgres.PurposePasswordReset, PasswordResetTTL)
	if err != nil {
		return err
	}
	if err := s.mailer.SendAccountMail(ctx, AccountMail{Kind: MailPasswordReset, UserID: u.ID, To: u.Email, Token: token}); err != nil {
		return fmt.Errorf("reset mail: %w", err)
	}
	return nil
}

// ConfirmPasswordReset spends a reset token and sets the new password:
// every earlier session of the user ends and a new one is returned. The
// address is confirmed too, since the link reached it. A bad, used or
// expired token is apperr.CodeInvalidToken.
func (s *Service) ConfirmPasswordReset(ctx context.Context, token, password string) (Session, error) {
	if err := checkPassword(password); err != nil {
		return Session{}, err
	}
	// A cheap look first, so that a made-up token costs no bcrypt hash.
	if ok, err := s.once.Valid(ctx, token, postgres.PurposePasswordReset); err != nil {
		return Session{}, err
	} else if !ok {
		return Session{}, apperr.New(apperr.CodeInvalidToken, "This link is invalid, used or expired. Ask for a new one.")
	}
	return s.setPassword(ctx, password, func(ctx context.Context, tx *sql.Tx) (string, error) {
		userID, err := postgres.ConsumeTx(ctx, tx, token, postgres.PurposePasswordReset)
		if err != nil {
			return "", err
		}
		if _, err := postgres.MarkVerifiedTx(ctx, tx, userID); err != nil {
			return "", err
		}
		return userID, nil
	})
}

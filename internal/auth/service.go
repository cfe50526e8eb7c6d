package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// Password length limits, in bytes; bcrypt reads no more than 72.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 72
)

// Session is what register and login return: a new server-side session
// and the access token that names it.
type Session struct {
	ID    string
	Token string
	User  postgres.User
}

// Service registers users, logs them in and out, and runs the account's
// own changes: password, settings, deletion, verification and reset.
type Service struct {
	users    *postgres.Users
	sessions *postgres.Sessions
	once     *postgres.UserTokens
	hasher   *Hasher
	tokens   *Tokens
	mailer   Mailer
	logger   *slog.Logger
	cache    *SessionCache
}

// Deps is what the service needs. Mailer may be nil: no mail is sent then.
type Deps struct {
	Users      *postgres.Users
	Sessions   *postgres.Sessions
	UserTokens *postgres.UserTokens
	Hasher     *Hasher
	Tokens     *Tokens
	Mailer     Mailer
	Logger     *slog.Logger
	// SessionCache, if set, keeps the session reads of
	// AuthenticateWithAccount.
	SessionCache *SessionCache
}

// NewService returns the account service.
func NewService(d Deps) *Service {
	logger := d.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{
		users: d.Users, sessions: d.Sessions, once: d.UserTokens, hasher: d.Hasher, tokens: d.Tokens,
		mailer: d.Mailer, logger: logger, cache: d.SessionCache,
	}
}

func checkPassword(password string) error {
	if len(password) < MinPasswordLength || len(password) > MaxPasswordLength {
		return apperr.Errorf(apperr.CodeWeakPassword,
			"Password must be %d to %d bytes long.", MinPasswordLength, MaxPasswordLength)
	}
	return nil
}

// Register creates a user, mails them a verification link and returns a
// session for them.
func (s *Service) Register(ctx context.Context, email, password string) (Session, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return Session{}, err
	}
	if err := checkPassword(password); err != nil {
		return Session{}, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return Session{}, err
	}
	u, err := s.users.Create(ctx, email, hash)
	if err != nil {
		return Session{}, err
	}
	if err := s.sendVerification(ctx, u); err != nil {
		// The account exists; the user can ask for another link.
		s.logger.ErrorContext(ctx, "verification mail", slog.String("user_id", u.ID), slog.String("error", err.Error()))
	}
	return s.start(ctx, u)
}

// invalidCredentials is the one answer to a wrong email or password.
func invalidCredentials() error {
	return apperr.New(apperr.CodeInvalidCredentials, "Email or password is incorrect.")
}

// Login checks the credentials and returns a session. An unknown email and
// a wrong password give the same error after the same work.
func (s *Service) Login(ctx context.Context, email, password string) (Session, error) {
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
	if err := s.compare(ctx, u.PasswordHash, password); err != nil {
		return Session{}, err
	}
	return s.start(ctx, u)
}

// compare checks password against hash; a mismatch is
// apperr.CodeInvalidCredentials.
func (s *Service) compare(ctx context.Context, hash, password string) error {
	if len(password) > MaxPasswordLength {
		password = password[:MaxPasswordLength+1] // still wrong, but bounded work
	}
	err := s.hasher.Compare(ctx, hash, password)
	if errors.Is(err, ErrMismatch) {
		return invalidCredentials()
	}
	return err
}

// start opens a new session for u and signs its token.
func (s *Service) start(ctx context.Context, u postgres.User) (Session, error) {
	sess, err := s.sessions.Create(ctx, u.ID, TokenTTL)
	if err != nil {
		return Session{}, err
	}
	return s.signed(u, sess)
}

func (s *Service) signed(u postgres.User, sess postgres.Session) (Session, error) {
	tok, err := s.tokens.Issue(u.ID, u.Email, sess.ID)
	if err != nil {
		return Session{}, fmt.Errorf("issue token: %w", err)
	}
	return Session{ID: sess.ID, Token: tok, User: u}, nil
}

// Authenticate verifies an access token and returns its live session's
// user. A bad, expired or ended token, or one whose user is gone, is
// apperr.CodeUnauthorized.
func (s *Service) Authenticate(ctx context.Context, token string) (postgres.User, *Claims, error) {
	claims, err := s.tokens.Parse(token)
	if err != nil {
		return postgres.User{}, nil, apperr.New(apperr.CodeUnauthorized, "Your session is invalid or has expired. Log in again.")
	}
	u, err := s.sessions.User(ctx, claims.SessionID, claims.UserID)
	if err != nil {
		return postgres.User{}, nil, err
	}
	return u, claims, nil
}

// AuthenticateWithAccount is Authenticate that also returns, read with
// the session, the user's account accountID (or the latest one when it is
// empty); ok is false when the user has no such account. With a
// SessionCache, the read is reused while the cache holds it.
func (s *Service) AuthenticateWithAccount(ctx context.Context, token, accountID string) (postgres.User, postgres.Account, bool, *Claims, error) {
	claims, err := s.tokens.Parse(token)
	if err != nil {
		return postgres.User{}, postgres.Account{}, false, nil, apperr.New(apperr.CodeUnauthorized, "Your session is invalid or has expired. Log in again.")
	}
	key := sessionKey{session: claims.SessionID, user: claims.UserID, account: accountID}
	r, f, ok := s.cache.get(key)
	if !ok {
		if r, err = s.sessions.Read(ctx, claims.SessionID, claims.UserID, accountID); err != nil {
			return postgres.User{}, postgres.Account{}, false, nil, err
		}
		s.cache.put(key, r, f)
	}
	return r.User, r.Account, r.HasAccount, claims, nil
}

// Forget drops this server's cached session reads of the user: a change
// to their sessions, row or accounts calls it once committed, before it
// answers (the other servers are told by the database).
func (s *Service) Forget(userID string) { s.cache.Forget(userID) }

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, userID, sessionID string) error {
	defer s.Forget(userID)
	return s.sessions.Delete(ctx, sessionID)
}

// LogoutAll ends every session of the user.
func (s *Service) LogoutAll(ctx context.Context, userID string) error {
	defer s.Forget(userID)
	return s.sessions.DeleteForUser(ctx, userID)
}

// User returns the user with the id.
func (s *Service) User(ctx context.Context, id string) (postgres.User, error) {
	return s.users.ByID(ctx, id)
}

package auth

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// TokenTTL is the lifetime of an access token.
const TokenTTL = 24 * time.Hour

// ErrInvalidToken is returned for any token that does not verify.
var ErrInvalidToken = errors.New("auth: invalid token")

// Claims are the claims of an access token. SessionID names the
// server-side session the token belongs to: the token is good only while
// that session lives.
type Claims struct {
	UserID    string `json:"user_id"`
	Email     string `json:"email"`
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// Tokens issues and verifies HS256 access tokens.
type Tokens struct {
	secret []byte
	now    func() time.Time

	// verified remembers the claims of tokens that verified, keyed by the
	// whole token (signature included), so that the same token sent again
	// is not decoded and checked again; its expiry still is, at each use.
	// Whether its session lives is the caller's to check every time.
	mu       sync.RWMutex
	verified map[string]*Claims
}

// maxVerified bounds Tokens.verified: a day's sessions of a busy replica.
// When full it is emptied and fills again from the tokens in use.
const maxVerified = 10000

// NewTokens returns Tokens signing with secret.
func NewTokens(secret []byte) *Tokens {
	return &Tokens{secret: secret, now: time.Now}
}

// Issue returns a signed token for the user's session, valid for TokenTTL.
func (t *Tokens) Issue(userID, email, sessionID string) (string, error) {
	now := t.now()
	claims := Claims{
		UserID:    userID,
		Email:     email,
		SessionID: sessionID,
		RegisteredClaims: jwt.RegisteredClaims{
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(TokenTTL)),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// Parse verifies token (HS256 only, signature, expiry) and returns its
// claims. A user_id or sid that is not a UUID makes the token invalid, so
// that no query ever sees it.
func (t *Tokens) Parse(token string) (*Claims, error) {
	t.mu.RLock()
	c, ok := t.verified[token]
	t.mu.RUnlock()
	if ok {
		if !t.now().Before(c.ExpiresAt.Time) {
			return nil, ErrInvalidToken
		}
		cp := *c
		return &cp, nil
	}
	c, err := t.parse(token)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	if t.verified == nil || len(t.verified) >= maxVerified {
		t.verified = make(map[string]*Claims)
	}
	t.verified[token] = c
	t.mu.Unlock()
	cp := *c
	return &cp, nil
}

func (t *Tokens) parse(token string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return nil, ErrInvalidToken
	}
	if _, err := uuid.Parse(c.UserID); err != nil {
		return nil, ErrInvalidToken
	}
	if _, err := uuid.Parse(c.SessionID); err != nil {
		return nil, ErrInvalidToken
	}
	return &c, nil
}

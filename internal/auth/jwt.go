package auth

import (
	"errors"
	"fmt"
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
}

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

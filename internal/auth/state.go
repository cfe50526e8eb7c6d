package auth

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// StateTTL is how long an OAuth state stays valid.
const StateTTL = 10 * time.Minute

// stateAudience keeps an access token from passing as a state and back.
const stateAudience = "instagram-oauth-state"

// State is the content of a signed OAuth state.
type State struct {
	UserID    string
	Nonce     string
	ExpiresAt time.Time
}

type stateClaims struct {
	UserID string `json:"uid"`
	jwt.RegisteredClaims
}

// IssueState returns a signed state bound to userID, with a random nonce
// that the caller records so that the state is used once.
func (t *Tokens) IssueState(userID string) (string, State, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", State{}, fmt.Errorf("state nonce: %w", err)
	}
	now := t.now()
	st := State{UserID: userID, Nonce: base64.RawURLEncoding.EncodeToString(b), ExpiresAt: now.Add(StateTTL)}
	claims := stateClaims{
		UserID: userID,
		RegisteredClaims: jwt.RegisteredClaims{
			ID:        st.Nonce,
			Audience:  jwt.ClaimStrings{stateAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(st.ExpiresAt),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", State{}, fmt.Errorf("sign state: %w", err)
	}
	return s, st, nil
}

// ParseState verifies a state's signature, audience and expiry. Whether it
// was used before is the caller's to check against its record of nonces.
func (t *Tokens) ParseState(s string) (State, error) {
	var c stateClaims
	_, err := jwt.ParseWithClaims(s, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(stateAudience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil || c.UserID == "" || c.ID == "" {
		return State{}, ErrInvalidToken
	}
	return State{UserID: c.UserID, Nonce: c.ID, ExpiresAt: c.ExpiresAt.Time}, nil
}

package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

var testSecret = []byte("unit-test-secret-unit-test-secret-0123")

// newTestTokens returns Tokens whose clock the test sets.
func newTestTokens(now *time.Time) *Tokens {
	t := NewTokens(testSecret)
	t.now = func() time.Time { return *now }
	return t
}

func TestTokens_Parse(t *testing.T) {
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	tokens := newTestTokens(&now)
	userID := uuid.NewString()
	sessionID := uuid.NewString()

	t.Run("OK", func(t *testing.T) {
		tok, err := tokens.Issue(userID, "a@b.co", sessionID)
		if err != nil {
			t.Fatal(err)
		}
		c, err := tokens.Parse(tok)
		if err != nil {
			t.Fatalf("Parse = %v", err)
		}
		if got, want := c.UserID, userID; got != want {
			t.Errorf("UserID = %q, want %q", got, want)
		}
		if got, want := c.Email, "a@b.co"; got != want {
			t.Errorf("Email = %q, want %q", got, want)
		}
		if got, want := c.SessionID, sessionID; got != want {
			t.Errorf("SessionID = %q, want %q", got, want)
		}
		if got, want := c.IssuedAt.Time, now; !got.Equal(want) {
			t.Errorf("IssuedAt = %v, want %v", got, want)
		}
		if got, want := c.ExpiresAt.Time, now.Add(24*time.Hour); !got.Equal(want) {
			t.Errorf("ExpiresAt = %v, want %v", got, want)
		}
		// The header says HS256 and the claims use the contract's names.
		tk, _, err := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
		if err != nil {
			t.Fatalf("token %q is not a JWT: %v", tok, err)
		}
		claims, _ := tk.Claims.(jwt.MapClaims)
		if got, want := tk.Header["alg"], "HS256"; got != want {
			t.Errorf("alg = %v, want %v", got, want)
		}
		for _, k := range []string{"user_id", "email", "exp", "iat", "sid"} {
			if _, ok := claims[k]; !ok {
				t.Errorf("claim %q missing from %v", k, claims)
			}
		}

		// Valid until the last second of its 24 hours.
		later := now.Add(24*time.Hour - time.Second)
		if _, err := newTestTokens(&later).Parse(tok); err != nil {
			t.Errorf("Parse a second before expiry = %v", err)
		}
	})

	t.Run("ErrExpired", func(t *testing.T) {
		tok, _ := tokens.Issue(userID, "a@b.co", sessionID)
		later := now.Add(24*time.Hour + time.Second)
		if _, err := newTestTokens(&later).Parse(tok); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("Parse after expiry = %v, want ErrInvalidToken", err)
		}
	})

	t.Run("ErrOtherSecret", func(t *testing.T) {
		tok, _ := NewTokens([]byte("another-secret")).Issue(userID, "a@b.co", sessionID)
		if _, err := tokens.Parse(tok); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("Parse = %v, want ErrInvalidToken", err)
		}
	})

	t.Run("ErrAlgorithm", func(t *testing.T) {
		claims := jwt.MapClaims{"user_id": userID, "email": "a@b.co", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		for name, sign := range map[string]func() (string, error){
			"none": func() (string, error) {
				return jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
			},
			"HS384": func() (string, error) {
				return jwt.NewWithClaims(jwt.SigningMethodHS384, claims).SignedString(testSecret)
			},
			"HS512": func() (string, error) {
				return jwt.NewWithClaims(jwt.SigningMethodHS512, claims).SignedString(testSecret)
			},
		} {
			tok, err := sign()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tokens.Parse(tok); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("%s: Parse = %v, want ErrInvalidToken", name, err)
			}
		}
	})

	t.Run("ErrSessionID", func(t *testing.T) {
		for _, sid := range []string{"", "7", "x' OR 1=1"} {
			tok, err := tokens.Issue(userID, "a@b.co", sid)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tokens.Parse(tok); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("sid %q: Parse = %v, want ErrInvalidToken", sid, err)
			}
		}
	})

	t.Run("ErrUserID", func(t *testing.T) {
		for _, id := range []string{"", "42", "1' OR '1'='1"} {
			tok, err := tokens.Issue(id, "a@b.co", sessionID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tokens.Parse(tok); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("user_id %q: Parse = %v, want ErrInvalidToken", id, err)
			}
		}
	})

	t.Run("ErrStateAsAccessToken", func(t *testing.T) {
		state, _, err := tokens.IssueState(userID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tokens.Parse(state); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("Parse(state) = %v, want ErrInvalidToken", err)
		}
	})
}

func TestTokens_ParseState(t *testing.T) {
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	tokens := newTestTokens(&now)
	userID := uuid.NewString()

	t.Run("OK", func(t *testing.T) {
		s, issued, err := tokens.IssueState(userID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tokens.ParseState(s)
		if err != nil {
			t.Fatalf("ParseState = %v", err)
		}
		if got.UserID != userID || got.Nonce != issued.Nonce || !got.ExpiresAt.Equal(now.Add(StateTTL)) {
			t.Errorf("ParseState = %+v, want %+v", got, issued)
		}
		if len(issued.Nonce) < 16 {
			t.Errorf("nonce %q is too short", issued.Nonce)
		}
		_, again, _ := tokens.IssueState(userID)
		if again.Nonce == issued.Nonce {
			t.Errorf("two states share the nonce %q", again.Nonce)
		}
	})

	t.Run("ErrExpired", func(t *testing.T) {
		s, _, _ := tokens.IssueState(userID)
		later := now.Add(StateTTL + time.Second)
		if _, err := newTestTokens(&later).ParseState(s); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("ParseState after 10 min = %v, want ErrInvalidToken", err)
		}
	})

	t.Run("ErrAccessTokenAsState", func(t *testing.T) {
		tok, _ := tokens.Issue(userID, "a@b.co", uuid.NewString())
		if _, err := tokens.ParseState(tok); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("ParseState(access token) = %v, want ErrInvalidToken", err)
		}
	})

	t.Run("ErrTampered", func(t *testing.T) {
		s, _, _ := tokens.IssueState(userID)
		other, _, _ := tokens.IssueState(uuid.NewString())
		parts, otherParts := strings.Split(s, "."), strings.Split(other, ".")
		forged := parts[0] + "." + otherParts[1] + "." + parts[2]
		if _, err := tokens.ParseState(forged); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("ParseState(forged) = %v, want ErrInvalidToken", err)
		}
	})
}

// A token verified once is remembered, but its expiry is checked again at
// every use, and a token that differs in any byte is verified afresh.
func TestTokens_ParseRemembered(t *testing.T) {
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	tokens := newTestTokens(&now)
	tok, err := tokens.Issue(uuid.NewString(), "a@b.co", uuid.NewString())
	if err != nil {
		t.Fatal(err)
	}
	first, err := tokens.Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	first.UserID = "changed by the caller"
	again, err := tokens.Parse(tok)
	if err != nil || again.UserID == first.UserID {
		t.Fatalf("second Parse = %+v, %v; want the claims as issued", again, err)
	}
	tampered := tok[:len(tok)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(tok, "AA")]
	if _, err := tokens.Parse(tampered); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("Parse of a tampered token = %v, want ErrInvalidToken", err)
	}
	now = now.Add(24 * time.Hour)
	if _, err := tokens.Parse(tok); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("Parse of a remembered token at its expiry = %v, want ErrInvalidToken", err)
	}
}

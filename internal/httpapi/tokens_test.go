package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"creatorgrowth/internal/auth"
)

// signToken signs claims with method and key, as an attacker or a buggy
// client could.
func signToken(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

// tamper replaces the user_id in token's payload and keeps its signature.
func tamper(t *testing.T, token, userID string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d parts", token, len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	claims["user_id"] = userID
	raw, err = json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

func TestRequireUser(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	token, user := api.register(t, "tokens@example.com", "password-1")
	_, other := api.register(t, "other@example.com", "password-1")
	userID, _ := user["id"].(string)
	otherID, _ := other["id"].(string)
	secret := []byte(testJWTSecret)
	issued, err := auth.NewTokens(secret).Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{
			"user_id": userID,
			"sid":     issued.SessionID,
			"email":   "tokens@example.com",
			"iat":     now.Unix(),
			"exp":     now.Add(time.Hour).Unix(),
		}
	}
	with := func(key string, value any) jwt.MapClaims {
		c := valid()
		if value == nil {
			delete(c, key)
		} else {
			c[key] = value
		}
		return c
	}
	state, _, err := auth.NewTokens(secret).IssueState(userID)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		for name, tok := range map[string]string{
			"Issued":        token,
			"SignedByHand":  signToken(t, jwt.SigningMethodHS256, secret, valid()),
			"SurroundSpace": " " + token + " ",
		} {
			res := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(tok))
			if got, want := res.Status, http.StatusOK; got != want {
				t.Errorf("%s: status = %d, want %d (body %s)", name, got, want, res.Raw)
			}
		}
	})

	for _, tc := range []struct {
		name          string
		authorization string
	}{
		{"ErrMissing", ""},
		{"ErrEmpty", "Bearer "},
		{"ErrSchemeOnly", "Bearer"},
		{"ErrBasic", "Basic dXNlcjpwYXNzd29yZA=="},
		{"ErrOtherScheme", "Token " + token},
		{"ErrNoScheme", token},
		{"ErrGarbage", "Bearer abc.def.ghi"},
		{"ErrTamperedPayload", "Bearer " + tamper(t, token, otherID)},
		{"ErrAlgNone", "Bearer " + signToken(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid())},
		{"ErrHS512RightSecret", "Bearer " + signToken(t, jwt.SigningMethodHS512, secret, valid())},
		{"ErrHS384RightSecret", "Bearer " + signToken(t, jwt.SigningMethodHS384, secret, valid())},
		{"ErrOtherSecret", "Bearer " + signToken(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-00"), valid())},
		{"ErrExpired", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("exp", now.Add(-time.Minute).Unix()))},
		{"ErrNoExpiry", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("exp", nil))},
		{"ErrIssuedInFuture", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("iat", now.Add(time.Hour).Unix()))},
		{"ErrNoUserID", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("user_id", nil))},
		{"ErrUnknownUser", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("user_id", uuid.NewString()))},
		{"ErrUserIDNotUUID", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("user_id", "1' OR '1'='1"))},
		// The key alone is not enough: the session must exist and be the user's.
		{"ErrNoSessionID", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("sid", nil))},
		{"ErrUnknownSession", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("sid", uuid.NewString()))},
		{"ErrSessionOfAnotherUser", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("user_id", otherID))},
		{"ErrSessionIDNotUUID", "Bearer " + signToken(t, jwt.SigningMethodHS256, secret, with("sid", "x' OR 1=1"))},
		{"ErrOAuthState", "Bearer " + state},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []reqOpt
			if tc.authorization != "" {
				opts = append(opts, header("Authorization", tc.authorization))
			}
			res := api.do(t, http.MethodGet, "/api/user/me", nil, opts...)
			wantError(t, res, http.StatusUnauthorized, "unauthorized")
			if strings.Contains(string(res.Raw), userID) {
				t.Errorf("the answer reveals the user: %s", res.Raw)
			}
		})
	}
}

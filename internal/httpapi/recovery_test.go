package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/smtptest"
)

// issueToken stores a single-use token for the user as the server does
// before it mails a link, and returns it.
func issueToken(t *testing.T, api *testAPI, userID, purpose string, ttl time.Duration) string {
	t.Helper()
	tok, err := postgres.NewUserTokens(api.db).Issue(context.Background(), userID, purpose, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyEmail(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	_, user := api.register(t, "verify@example.com", "password-1")
	id := user["id"].(string)
	verify := func(token string) response {
		return api.do(t, http.MethodPost, "/api/auth/verify-email", map[string]string{"token": token})
	}

	t.Run("ErrExpired", func(t *testing.T) {
		wantError(t, verify(issueToken(t, api, id, postgres.PurposeVerifyEmail, -time.Second)), http.StatusBadRequest, "invalid_token")
	})
	t.Run("ErrOtherPurpose", func(t *testing.T) {
		wantError(t, verify(issueToken(t, api, id, postgres.PurposePasswordReset, time.Hour)), http.StatusBadRequest, "invalid_token")
	})
	t.Run("ErrMadeUp", func(t *testing.T) {
		for _, tok := range []string{"", "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			wantError(t, verify(tok), http.StatusBadRequest, "invalid_token")
		}
		wantError(t, api.do(t, http.MethodPost, "/api/auth/verify-email", `{"token":1}`), http.StatusBadRequest, "invalid_request")
	})
	t.Run("OK", func(t *testing.T) {
		earlier := issueToken(t, api, id, postgres.PurposeVerifyEmail, time.Hour)
		tok := issueToken(t, api, id, postgres.PurposeVerifyEmail, time.Hour)
		// Only the latest link works.
		wantError(t, verify(earlier), http.StatusBadRequest, "invalid_token")
		res := verify(tok)
		if res.Status != http.StatusOK {
			t.Fatalf("status = %d (%s)", res.Status, res.Raw)
		}
		wantKeys(t, res.Body, userKeys...)
		if res.Body["email_verified"] != true || res.Body["id"] != id {
			t.Errorf("user = %v, want verified", res.Body)
		}
		wantError(t, verify(tok), http.StatusBadRequest, "invalid_token")
	})
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t, withLimits(highLimits()), withEnv("SMTP_URL", smtptest.New(t).URL()))
	token, user := api.register(t, "reset@example.com", "old-password-1")
	id := user["id"].(string)

	t.Run("Request", func(t *testing.T) {
		for _, email := range []string{"reset@example.com", " RESET@example.com ", "nobody@example.com"} {
			res := api.do(t, http.MethodPost, "/api/auth/password-reset", map[string]string{"email": email})
			if res.Status != http.StatusAccepted {
				t.Fatalf("%q: status = %d (%s)", email, res.Status, res.Raw)
			}
			wantKeys(t, res.Body, "message")
			if got, want := res.Body["message"], "If that address has an account, a reset link is on its way."; got != want {
				t.Errorf("%q: message = %v, want %q", email, got, want)
			}
		}
		wantError(t, api.do(t, http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "not an address"}), http.StatusBadRequest, "invalid_email")
		wantError(t, api.do(t, http.MethodPost, "/api/auth/password-reset", `{"email":"reset@example.com","x":1}`), http.StatusBadRequest, "invalid_request")
		// The known address got a mail queued (the worker sends it; see
		// TestMail_PasswordReset), the unknown one none.
		var n int
		if err := api.db.QueryRowContext(context.Background(), `SELECT count(*) FROM jobs WHERE kind = 'send_mail' AND dedupe_key LIKE $1`, "user:"+id+":password_reset:%").Scan(&n); err != nil || n != 2 {
			t.Errorf("queued reset mails = %d (%v), want 2", n, err)
		}
	})
	t.Run("ErrNoSMTP", func(t *testing.T) {
		bare := newTestAPI(t, withDB(api.db))
		wantError(t, bare.do(t, http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "reset@example.com"}), http.StatusServiceUnavailable, "unavailable")
	})

	reset := func(tok, password string) response {
		return api.do(t, http.MethodPost, "/api/auth/password-reset/confirm", map[string]string{"token": tok, "password": password})
	}
	t.Run("ErrExpired", func(t *testing.T) {
		tok := issueToken(t, api, id, postgres.PurposePasswordReset, -time.Second)
		wantError(t, reset(tok, "new-password-1"), http.StatusBadRequest, "invalid_token")
	})
	t.Run("ErrVerifyToken", func(t *testing.T) {
		tok := issueToken(t, api, id, postgres.PurposeVerifyEmail, time.Hour)
		wantError(t, reset(tok, "new-password-1"), http.StatusBadRequest, "invalid_token")
	})
	t.Run("ErrMadeUp", func(t *testing.T) {
		wantError(t, reset("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "new-password-1"), http.StatusBadRequest, "invalid_token")
	})
	t.Run("OK", func(t *testing.T) {
		tok := issueToken(t, api, id, postgres.PurposePasswordReset, time.Hour)
		// A weak password does not spend the token.
		wantError(t, reset(tok, "short"), http.StatusBadRequest, "weak_password")
		res := reset(tok, "new-password-1")
		if res.Status != http.StatusOK {
			t.Fatalf("status = %d (%s)", res.Status, res.Raw)
		}
		wantKeys(t, res.Body, "token", "token_type", "expires_in", "user")
		fresh := res.Body["token"].(string)
		if ck := sessionCookieOf(res); ck == nil || ck.Value != fresh {
			t.Errorf("cookie = %v, want the new session's token", ck)
		}
		if u := res.Body["user"].(map[string]any); u["email_verified"] != true {
			t.Errorf("user = %v, want the address confirmed by the reset", u)
		}
		// Every earlier session ended.
		wantError(t, api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)), http.StatusUnauthorized, "unauthorized")
		if got := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(fresh)).Status; got != http.StatusOK {
			t.Errorf("new session: %d", got)
		}
		// The token is single use.
		wantError(t, reset(tok, "another-password-1"), http.StatusBadRequest, "invalid_token")
		wantError(t, api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "reset@example.com", "password": "old-password-1"}), http.StatusUnauthorized, "invalid_credentials")
		if got := api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "reset@example.com", "password": "new-password-1"}).Status; got != http.StatusOK {
			t.Errorf("login with the new password: %d", got)
		}
	})
	t.Run("StoredAsHash", func(t *testing.T) {
		tok := issueToken(t, api, id, postgres.PurposePasswordReset, time.Hour)
		var n int
		err := api.db.QueryRowContext(context.Background(),
			`SELECT count(*) FROM user_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8')) AND length(token_hash) = 32`, tok).Scan(&n)
		if err != nil || n != 1 {
			t.Errorf("rows with the token's SHA-256 = %d (%v), want 1", n, err)
		}
		err = api.db.QueryRowContext(context.Background(),
			`SELECT count(*) FROM user_tokens WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0`, tok).Scan(&n)
		if err != nil || n != 0 {
			t.Errorf("rows holding the token itself = %d (%v), want 0", n, err)
		}
	})
}

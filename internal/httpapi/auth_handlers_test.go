package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"creatorgrowth/internal/auth"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	t.Run("OK", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/auth/register",
			map[string]string{"email": "  New.User@Example.COM \t", "password": "correct horse"})

		if got, want := res.Status, http.StatusCreated; got != want {
			t.Fatalf("status = %d, want %d (body %s)", got, want, res.Raw)
		}
		if got, want := res.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
			t.Errorf("Content-Type = %q, want %q", got, want)
		}
		wantKeys(t, res.Body, "token", "token_type", "expires_in", "user")
		if got, want := res.Body["token_type"], "bearer"; got != want {
			t.Errorf("token_type = %v, want %v", got, want)
		}
		if got, want := res.Body["expires_in"], float64(86400); got != want {
			t.Errorf("expires_in = %v, want %v", got, want)
		}
		user, _ := res.Body["user"].(map[string]any)
		wantKeys(t, user, userKeys...)
		if got, want := user["email"], "new.user@example.com"; got != want {
			t.Errorf("email = %v, want %v", got, want)
		}
		id, _ := user["id"].(string)
		if _, err := uuid.Parse(id); err != nil {
			t.Errorf("id = %q, want a UUID", id)
		}
		wantRFC3339UTC(t, "created_at", user["created_at"])

		token, _ := res.Body["token"].(string)
		claims, err := auth.NewTokens([]byte(testJWTSecret)).Parse(token)
		if err != nil {
			t.Fatalf("token does not verify: %v", err)
		}
		if got, want := claims.UserID, id; got != want {
			t.Errorf("token user_id = %q, want %q", got, want)
		}
		if got, want := claims.Email, "new.user@example.com"; got != want {
			t.Errorf("token email = %q, want %q", got, want)
		}
		if got, want := claims.ExpiresAt.Sub(claims.IssuedAt.Time), auth.TokenTTL; got != want {
			t.Errorf("token lifetime = %v, want %v", got, want)
		}

		// The password, or its hash, is never sent back; it is stored hashed.
		var stored string
		if err := api.db.QueryRowContext(context.Background(), `SELECT password FROM users WHERE id = $1`, id).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(res.Raw), "correct horse") || strings.Contains(string(res.Raw), stored) {
			t.Errorf("the response carries the password or its hash: %s", res.Raw)
		}
		if !strings.HasPrefix(stored, "$2") {
			t.Errorf("stored password = %q, want a bcrypt hash", stored)
		}
	})

	t.Run("ErrEmailTaken", func(t *testing.T) {
		api.register(t, "taken@example.com", "password-1")
		before := countRows(t, api.db, "users")
		res := api.do(t, http.MethodPost, "/api/auth/register",
			map[string]string{"email": " TAKEN@example.com", "password": "password-2"})
		wantError(t, res, http.StatusConflict, "email_taken")
		if got, want := countRows(t, api.db, "users"), before; got != want {
			t.Errorf("users = %d, want %d", got, want)
		}
	})

	t.Run("ErrWeakPassword", func(t *testing.T) {
		for _, pw := range []string{"", "1234567", strings.Repeat("x", 73)} {
			res := api.do(t, http.MethodPost, "/api/auth/register", map[string]string{"email": "a@b.co", "password": pw})
			wantError(t, res, http.StatusBadRequest, "weak_password")
		}
		for _, pw := range []string{"12345678", strings.Repeat("x", 72)} {
			email := fmt.Sprintf("len%d@b.co", len(pw))
			if res := api.do(t, http.MethodPost, "/api/auth/register", map[string]string{"email": email, "password": pw}); res.Status != http.StatusCreated {
				t.Errorf("password of %d bytes: status %d, want 201", len(pw), res.Status)
			}
		}
	})

	t.Run("ErrInvalidEmail", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/auth/register", map[string]string{"email": "not-an-email", "password": "password-1"})
		wantError(t, res, http.StatusBadRequest, "invalid_email")
	})
}

func TestRegister_Concurrent(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t, withLimits(highLimits()))
	const n = 50
	statuses := make([]int, n)
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := api.do(t, http.MethodPost, "/api/auth/register",
				map[string]string{"email": "race@example.com", "password": "password-1"})
			statuses[i] = res.Status
			codes[i], _ = res.Body["code"].(string)
		})
	}
	wg.Wait()

	created, conflicts := 0, 0
	for i := range n {
		switch {
		case statuses[i] == http.StatusCreated:
			created++
		case statuses[i] == http.StatusConflict && codes[i] == "email_taken":
			conflicts++
		default:
			t.Errorf("response %d: status %d code %q", i, statuses[i], codes[i])
		}
	}
	if got, want := created, 1; got != want {
		t.Errorf("201 answers = %d, want %d", got, want)
	}
	if got, want := conflicts, n-1; got != want {
		t.Errorf("409 email_taken answers = %d, want %d", got, want)
	}
	if got, want := countRows(t, api.db, "users"), 1; got != want {
		t.Errorf("users = %d, want %d", got, want)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t, withLimits(highLimits()))
	_, user := api.register(t, "login@example.com", "password-1")
	t.Run("OK", func(t *testing.T) {

		res := api.do(t, http.MethodPost, "/api/auth/login",
			map[string]string{"email": " Login@EXAMPLE.com ", "password": "password-1"})
		if got, want := res.Status, http.StatusOK; got != want {
			t.Fatalf("status = %d, want %d (body %s)", got, want, res.Raw)
		}
		wantKeys(t, res.Body, "token", "token_type", "expires_in", "user")
		token, _ := res.Body["token"].(string)
		if got, want := res.Header.Get("Authorization"), "Bearer "+token; got != want || token == "" {
			t.Errorf("Authorization = %q, want %q", got, want)
		}
		if got, want := res.Body["token_type"], "bearer"; got != want {
			t.Errorf("token_type = %v, want %v", got, want)
		}
		if got, want := res.Body["expires_in"], float64(86400); got != want {
			t.Errorf("expires_in = %v, want %v", got, want)
		}
		got, _ := res.Body["user"].(map[string]any)
		wantKeys(t, got, userKeys...)
		for _, k := range []string{"id", "email", "created_at"} {
			if got[k] != user[k] {
				t.Errorf("user.%s = %v, want %v", k, got[k], user[k])
			}
		}
		if strings.Contains(string(res.Raw), "password-1") || strings.Contains(string(res.Raw), "$2a$") {
			t.Errorf("the response carries the password or its hash: %s", res.Raw)
		}

		me := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token))
		if got, want := me.Status, http.StatusOK; got != want {
			t.Errorf("me with the login token: status %d, want %d", got, want)
		}
	})

	t.Run("ErrInvalidCredentials", func(t *testing.T) {
		api.register(t, "known@example.com", "password-1")
		var messages []string
		for _, tc := range []struct{ name, email, password string }{
			{"WrongPassword", "known@example.com", "password-2"},
			{"UnknownEmail", "unknown@example.com", "password-1"},
			{"InvalidEmail", "known", "password-1"},
			{"EmptyPassword", "known@example.com", ""},
			{"PasswordPrefixBeyond72", "known@example.com", "password-1" + strings.Repeat("x", 100)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": tc.email, "password": tc.password})
				wantError(t, res, http.StatusUnauthorized, "invalid_credentials")
				if res.Header.Get("Authorization") != "" {
					t.Errorf("Authorization header set on a failed login")
				}
				msg, _ := res.Body["error"].(string)
				messages = append(messages, msg)
			})
		}
		// Nothing in the answer tells an unknown email from a wrong password.
		for _, m := range messages {
			if m != messages[0] {
				t.Errorf("messages differ: %q vs %q", m, messages[0])
			}
		}
	})
}

func TestMe(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	t.Run("OK", func(t *testing.T) {
		token, user := api.register(t, "me@example.com", "password-1")
		res := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token))
		if got, want := res.Status, http.StatusOK; got != want {
			t.Fatalf("status = %d, want %d (body %s)", got, want, res.Raw)
		}
		wantKeys(t, res.Body, userKeys...)
		for _, k := range []string{"id", "email", "created_at"} {
			if got, want := res.Body[k], user[k]; got != want {
				t.Errorf("%s = %v, want %v", k, got, want)
			}
		}
		if got, want := res.Header.Get("Cache-Control"), "no-store"; got != want {
			t.Errorf("Cache-Control = %q, want %q", got, want)
		}
		// The scheme is case-insensitive.
		if res := api.do(t, http.MethodGet, "/api/user/me", nil, header("Authorization", "bearer "+token)); res.Status != http.StatusOK {
			t.Errorf("lower-case scheme: status %d, want 200", res.Status)
		}
	})

	t.Run("ErrUserDeleted", func(t *testing.T) {
		token, user := api.register(t, "gone@example.com", "password-1")
		if _, err := api.db.ExecContext(context.Background(), `DELETE FROM users WHERE id = $1`, user["id"]); err != nil {
			t.Fatal(err)
		}
		res := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token))
		wantError(t, res, http.StatusUnauthorized, "unauthorized")
	})
}

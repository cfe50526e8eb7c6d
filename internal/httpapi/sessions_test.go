package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// sessionCookieOf returns the session cookie an answer sets, or nil.
func sessionCookieOf(res response) *http.Cookie {
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == "session" {
			return c
		}
	}
	return nil
}

// withCookie sends the session cookie.
func withCookie(token string) reqOpt {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "session", Value: token}) }
}

func TestSessions_Cookie(t *testing.T) {
	t.Parallel()
	for _, env := range []string{"test", "production"} {
		t.Run(env, func(t *testing.T) {
			opts := []option{withEnv("APP_ENV", env)}
			if env == "production" {
				opts = append(opts, withEnv("PUBLIC_URL", "https://api.example.test"),
					withEnv("INSTAGRAM_CLIENT_ID", "app"), withEnv("INSTAGRAM_CLIENT_SECRET", "app-secret"),
					withEnv("INSTAGRAM_REDIRECT_URI", "https://api.example.test/auth/instagram/callback"))
			}
			api := newTestAPI(t, opts...)
			res := api.do(t, http.MethodPost, "/api/auth/register", map[string]string{"email": "cookie@example.com", "password": "password-1"})
			ck := sessionCookieOf(res)
			if res.Status != http.StatusCreated || ck == nil {
				t.Fatalf("register: %d, cookie %v", res.Status, ck)
			}
			if ck.Value != res.Body["token"] || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != 86400 {
				t.Errorf("cookie = %+v, want the token, HttpOnly, SameSite=Lax, Path=/, 24 h", ck)
			}
			if got, want := ck.Secure, env == "production"; got != want {
				t.Errorf("Secure = %v, want %v", got, want)
			}
			res = api.do(t, http.MethodGet, "/api/user/me", nil, withCookie(ck.Value))
			if res.Status != http.StatusOK || res.Body["email"] != "cookie@example.com" {
				t.Errorf("me with the cookie: %d %s", res.Status, res.Raw)
			}
			res = api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "cookie@example.com", "password": "password-1"})
			if c := sessionCookieOf(res); c == nil || c.Value != res.Body["token"] {
				t.Errorf("login set cookie %v, want the new token", c)
			}
		})
	}
}

func TestSessions_Defaults(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	_, user := api.register(t, "defaults@example.com", "password-1")
	wantKeys(t, user, userKeys...)
	if user["email_verified"] != false || user["timezone"] != "UTC" || user["weekly_digest"] != true {
		t.Errorf("new user = %v, want email_verified false, timezone UTC, weekly_digest true", user)
	}
}

// TestSessions_EndOnEveryReplica runs two servers on one database: a
// session ended on one is refused by the other at once.
func TestSessions_EndOnEveryReplica(t *testing.T) {
	t.Parallel()
	one := newTestAPI(t, withLimits(highLimits()))
	two := newTestAPI(t, withDB(one.db), withLimits(highLimits()))
	login := func(api *testAPI) string {
		t.Helper()
		res := api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "replicas@example.com", "password": "password-1"})
		if res.Status != http.StatusOK {
			t.Fatalf("login: %d %s", res.Status, res.Raw)
		}
		return res.Body["token"].(string)
	}
	me := func(api *testAPI, token string) int {
		t.Helper()
		return api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)).Status
	}
	first, _ := one.register(t, "replicas@example.com", "password-1")
	second := login(two)

	t.Run("Logout", func(t *testing.T) {
		if got := me(two, first); got != http.StatusOK {
			t.Fatalf("before logout: %d on the other server", got)
		}
		res := one.do(t, http.MethodPost, "/api/auth/logout", nil, bearer(first))
		if res.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.Status, res.Raw)
		}
		if ck := sessionCookieOf(res); ck == nil || ck.MaxAge >= 0 || ck.Value != "" {
			t.Errorf("logout cookie = %+v, want it cleared", ck)
		}
		wantError(t, two.do(t, http.MethodGet, "/api/user/me", nil, bearer(first)), http.StatusUnauthorized, "unauthorized")
		wantError(t, one.do(t, http.MethodGet, "/api/user/me", nil, withCookie(first)), http.StatusUnauthorized, "unauthorized")
		// Only that session ended.
		if got := me(one, second); got != http.StatusOK {
			t.Errorf("the other session: %d, want 200", got)
		}
		wantError(t, one.do(t, http.MethodPost, "/api/auth/logout", nil, bearer(first)), http.StatusUnauthorized, "unauthorized")
	})

	t.Run("LogoutAll", func(t *testing.T) {
		a, b := login(one), login(two)
		res := two.do(t, http.MethodPost, "/api/auth/logout-all", nil, bearer(b))
		if res.Status != http.StatusNoContent {
			t.Fatalf("logout-all: %d %s", res.Status, res.Raw)
		}
		for _, tok := range []string{a, b, second} {
			for _, api := range []*testAPI{one, two} {
				if got := me(api, tok); got != http.StatusUnauthorized {
					t.Errorf("after logout-all: %d, want 401", got)
				}
			}
		}
		if got := countRows(t, one.db, "sessions"); got != 0 {
			t.Errorf("sessions left = %d, want 0", got)
		}
		if got := me(one, login(two)); got != http.StatusOK {
			t.Errorf("a new login: %d, want 200", got)
		}
	})
}

// TestSessions_CSRF checks the origin rule for changes authenticated by
// the cookie alone.
func TestSessions_CSRF(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t, withLimits(highLimits()), withEnv("PUBLIC_URL", "https://api.example.test"),
		withEnv("ALLOWED_ORIGINS", testFrontendURL+",https://other.example.test"))
	token, _ := api.register(t, "csrf@example.com", "password-1")
	patch := map[string]any{"weekly_digest": false}
	for _, tc := range []struct {
		name   string
		opts   []reqOpt
		status int
	}{
		{"ErrForeignOrigin", []reqOpt{withCookie(token), header("Origin", "https://evil.example.test")}, 403},
		{"ErrNullOrigin", []reqOpt{withCookie(token), header("Origin", "null")}, 403},
		{"ErrForeignReferer", []reqOpt{withCookie(token), header("Referer", "https://evil.example.test/page")}, 403},
		{"ErrLookalikeOrigin", []reqOpt{withCookie(token), header("Origin", "https://api.example.test.evil.example")}, 403},
		{"ErrNoOrigin", []reqOpt{withCookie(token)}, 403},
		{"PublicURL", []reqOpt{withCookie(token), header("Origin", "https://api.example.test")}, 200},
		{"OwnHost", []reqOpt{withCookie(token), header("Origin", "http://example.com")}, 200},
		{"AllowedOrigin", []reqOpt{withCookie(token), header("Origin", "https://other.example.test")}, 200},
		{"AllowedReferer", []reqOpt{withCookie(token), header("Referer", testFrontendURL+"/settings")}, 200},
		// A Bearer token is not sent by a browser on its own.
		{"BearerFromAnywhere", []reqOpt{bearer(token), header("Origin", "https://evil.example.test")}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := api.do(t, http.MethodPatch, "/api/user/me", patch, tc.opts...)
			if tc.status == 403 {
				wantError(t, res, http.StatusForbidden, "csrf_rejected")
				return
			}
			if res.Status != tc.status {
				t.Errorf("status = %d, want %d (%s)", res.Status, tc.status, res.Raw)
			}
		})
	}
	// The refused requests changed nothing, and a cookie GET needs no origin.
	res := api.do(t, http.MethodGet, "/api/user/me", nil, withCookie(token))
	if res.Status != http.StatusOK {
		t.Fatalf("me: %d", res.Status)
	}
	// A foreign logout is refused: the session lives on.
	wantError(t, api.do(t, http.MethodPost, "/api/auth/logout", nil, withCookie(token), header("Origin", "https://evil.example.test")), http.StatusForbidden, "csrf_rejected")
	wantError(t, api.do(t, http.MethodDelete, "/api/user/me", map[string]string{"password": "password-1"}, withCookie(token), header("Origin", "https://evil.example.test")), http.StatusForbidden, "csrf_rejected")
	if got := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)).Status; got != http.StatusOK {
		t.Errorf("after refused requests: %d, want 200", got)
	}
	if !strings.Contains(api.logs.String(), "security: cross-site request refused") {
		t.Error("refused cross-site requests are not logged")
	}

	t.Run("LoginFromAnotherSite", func(t *testing.T) {
		// Another site cannot sign the browser into an account of its own.
		creds := map[string]string{"email": "csrf@example.com", "password": "password-1"}
		res := api.do(t, http.MethodPost, "/api/auth/login", creds, header("Origin", "https://evil.example.test"))
		wantError(t, res, http.StatusForbidden, "csrf_rejected")
		if sessionCookieOf(res) != nil {
			t.Error("a refused login set a cookie")
		}
		wantError(t, api.do(t, http.MethodPost, "/api/auth/register",
			map[string]string{"email": "planted@example.com", "password": "password-1"}, header("Origin", "https://evil.example.test")),
			http.StatusForbidden, "csrf_rejected")
		if got := api.do(t, http.MethodPost, "/api/auth/login", creds, header("Origin", testFrontendURL)).Status; got != http.StatusOK {
			t.Errorf("login from the web app: %d, want 200", got)
		}
		if got := api.do(t, http.MethodPost, "/api/auth/login", creds).Status; got != http.StatusOK {
			t.Errorf("login without a browser: %d, want 200", got)
		}
	})
}

func TestSessions_CORSCredentials(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	res := api.do(t, http.MethodOptions, "/api/user/me", nil, header("Origin", testFrontendURL), header("Access-Control-Request-Method", "PATCH"))
	if res.Status != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Credentials") != "true" ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "PATCH") {
		t.Errorf("preflight: %d %v, want 204 with credentials and PATCH allowed", res.Status, res.Header)
	}
	res = api.do(t, http.MethodGet, "/api/user/me", nil, header("Origin", "https://evil.example.test"))
	if res.Header.Get("Access-Control-Allow-Credentials") != "" || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a foreign origin got CORS headers: %v", res.Header)
	}
}

package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/testdb"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/health"},
		{http.MethodGet, "/api/user/me"},
		{http.MethodGet, "/api/nope"},
		{http.MethodPost, "/api/waitlist/signup"},
		{http.MethodGet, "/"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			res := api.do(t, tc.method, tc.path, nil)
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
			} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy = %q, want one with frame-ancestors 'none'", got)
			}
			if got := res.Header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("Strict-Transport-Security = %q outside production, want none", got)
			}
			if got := res.Header.Get("X-Request-ID"); len(got) < 8 {
				t.Errorf("X-Request-ID = %q, want an id", got)
			}
		})
	}

	t.Run("Production", func(t *testing.T) {
		api := newTestAPI(t, withDB(api.db),
			withEnv("APP_ENV", "production"),
			withEnv("PUBLIC_URL", "https://growth.example.test"),
			withEnv("INSTAGRAM_CLIENT_ID", "client"),
			withEnv("INSTAGRAM_CLIENT_SECRET", "secret"),
			withEnv("INSTAGRAM_REDIRECT_URI", "https://growth.example.test/auth/instagram/callback"))
		res := api.do(t, http.MethodGet, "/health", nil)
		if got := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
			t.Errorf("Strict-Transport-Security = %q, want max-age=...", got)
		}
	})
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	t.Run("OK", func(t *testing.T) {
		res := api.do(t, http.MethodGet, "/health", nil, header("X-Request-ID", "abc-123_XYZ"))
		if got, want := res.Header.Get("X-Request-ID"), "abc-123_XYZ"; got != want {
			t.Errorf("X-Request-ID = %q, want %q", got, want)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, id := range []string{"short", strings.Repeat("a", 65), "bad id with spaces", "evil\"}{\"x"} {
			res := api.do(t, http.MethodGet, "/health", nil, header("X-Request-ID", id))
			if got := res.Header.Get("X-Request-ID"); got == id || len(got) < 8 {
				t.Errorf("X-Request-ID for %q = %q, want a fresh id", id, got)
			}
		}
	})
}

func TestCORS(t *testing.T) {
	t.Parallel()
	const other = "https://partner.example.test"
	api := newTestAPI(t, withEnv("ALLOWED_ORIGINS", testFrontendURL+", "+other+"/"))

	t.Run("OK", func(t *testing.T) {
		for _, origin := range []string{testFrontendURL, other} {
			res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "cors@example.com"},
				header("Origin", origin))
			if got, want := res.Header.Get("Access-Control-Allow-Origin"), origin; got != want {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, want)
			}
			if got := res.Header.Values("Vary"); !contains(got, "Origin") {
				t.Errorf("Vary = %q, want Origin", got)
			}
			if got := res.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "Authorization") || !strings.Contains(got, "Retry-After") {
				t.Errorf("Access-Control-Expose-Headers = %q, want Authorization and Retry-After", got)
			}
		}
	})

	t.Run("Preflight", func(t *testing.T) {
		res := api.do(t, http.MethodOptions, "/api/auth/login", nil,
			header("Origin", testFrontendURL),
			header("Access-Control-Request-Method", "POST"),
			header("Access-Control-Request-Headers", "content-type"))
		if got, want := res.Status, http.StatusNoContent; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
		if got, want := res.Header.Get("Access-Control-Allow-Origin"), testFrontendURL; got != want {
			t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, want)
		}
		if got := res.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "POST") {
			t.Errorf("Access-Control-Allow-Methods = %q, want POST", got)
		}
		for _, h := range []string{"Authorization", "Content-Type", "X-Admin-Password"} {
			if got := res.Header.Get("Access-Control-Allow-Headers"); !strings.Contains(got, h) {
				t.Errorf("Access-Control-Allow-Headers = %q, want %s", got, h)
			}
		}
	})

	t.Run("ErrForeignPreflight", func(t *testing.T) {
		for _, origin := range []string{"https://evil.example.test", "null", testFrontendURL + ".evil.test", "http://app.example.test:8080"} {
			res := api.do(t, http.MethodOptions, "/api/auth/login", nil,
				header("Origin", origin), header("Access-Control-Request-Method", "POST"))
			if got, want := res.Status, http.StatusForbidden; got != want {
				t.Errorf("%s: status = %d, want %d", origin, got, want)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("%s: Access-Control-Allow-Origin = %q, want none", origin, got)
			}
			if got := res.Header.Get("Access-Control-Allow-Methods"); got != "" {
				t.Errorf("%s: Access-Control-Allow-Methods = %q, want none", origin, got)
			}
		}
	})

	t.Run("ErrForeignRequest", func(t *testing.T) {
		res := api.do(t, http.MethodGet, "/api/user/me", nil, header("Origin", "https://evil.example.test"))
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("Access-Control-Allow-Origin = %q, want none", got)
		}
	})

	// The contract's CORS applies to every route the server answers, not
	// only to /api: /health, the API document, the metrics, the OAuth
	// callback, the sandbox, the web app and unmatched paths.
	t.Run("EveryRoute", func(t *testing.T) {
		for _, tc := range []struct{ method, path string }{
			{http.MethodGet, "/health"},
			{http.MethodHead, "/health"},
			{http.MethodGet, "/api/openapi.json"},
			{http.MethodGet, "/metrics"},
			{http.MethodGet, "/auth/instagram/callback?error=access_denied"},
			{http.MethodGet, httpapi.SandboxPrefix + "/oauth/authorize"},
			{http.MethodGet, "/"},
			{http.MethodGet, "/api/nope"},
			{http.MethodPost, "/api/auth/login"},
			{http.MethodDelete, "/api/instagram/disconnect"},
		} {
			name := tc.method + " " + tc.path
			res := api.do(t, tc.method, tc.path, nil, header("Origin", other))
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != other {
				t.Errorf("%s: Access-Control-Allow-Origin = %q, want %q", name, got, other)
			}
			res = api.do(t, tc.method, tc.path, nil, header("Origin", "https://evil.example.test"))
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("%s from another origin: Access-Control-Allow-Origin = %q, want none", name, got)
			}

			res = api.do(t, http.MethodOptions, tc.path, nil, header("Origin", other),
				header("Access-Control-Request-Method", tc.method),
				header("Access-Control-Request-Headers", "content-type, authorization"))
			if res.Status < 200 || res.Status > 299 {
				t.Errorf("%s preflight: status = %d, want 2xx", name, res.Status)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != other {
				t.Errorf("%s preflight: Access-Control-Allow-Origin = %q, want %q", name, got, other)
			}
			if got := res.Header.Get("Access-Control-Allow-Methods"); !contains([]string{got}, tc.method) {
				t.Errorf("%s preflight: Access-Control-Allow-Methods = %q, want %s", name, got, tc.method)
			}
			for _, h := range []string{"Content-Type", "Authorization"} {
				if got := res.Header.Get("Access-Control-Allow-Headers"); !contains([]string{got}, h) {
					t.Errorf("%s preflight: Access-Control-Allow-Headers = %q, want %s", name, got, h)
				}
			}
			res = api.do(t, http.MethodOptions, tc.path, nil, header("Origin", "https://evil.example.test"),
				header("Access-Control-Request-Method", tc.method))
			if got := res.Header.Get("Access-Control-Allow-Origin") + res.Header.Get("Access-Control-Allow-Methods"); got != "" {
				t.Errorf("%s preflight from another origin: CORS headers %q, want none", name, got)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		for _, p := range strings.Split(v, ",") {
			if strings.TrimSpace(p) == s {
				return true
			}
		}
	}
	return false
}

func TestNoRoute(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/api/x"},
		{http.MethodGet, "/api"},
		{http.MethodGet, "/api/"},
		{http.MethodPost, "/api/x"},
		{http.MethodGet, "/api/auth/register/"},
		{http.MethodGet, "/api/user/me/extra"},
		{http.MethodDelete, "/api/nothing/here"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			wantError(t, api.do(t, tc.method, tc.path, nil), http.StatusNotFound, "not_found")
		})
	}
}

func TestNoMethod(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodGet, "/api/auth/register", "POST"},
		{http.MethodPut, "/api/auth/login", "POST"},
		{http.MethodPut, "/api/user/me", "PATCH"},
		{http.MethodPost, "/api/admin/waitlist", "GET"},
		{http.MethodPost, "/health", "GET"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			res := api.do(t, tc.method, tc.path, nil)
			wantError(t, res, http.StatusMethodNotAllowed, "method_not_allowed")
			if got := res.Header.Get("Allow"); !strings.Contains(got, tc.allow) {
				t.Errorf("Allow = %q, want it to list %s", got, tc.allow)
			}
		})
	}
}

// TestLogs_NoSecrets runs requests that carry every kind of secret and
// checks that none of them reaches the log.
func TestLogs_NoSecrets(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	api := newTestAPI(t, withDB(db))
	const password = "Sup3r-Secret-Passw0rd"
	token, _ := api.register(t, "logs@example.com", password)

	loginRes := login(t, api, "wrong-"+password)
	api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "logs@example.com", "password": password})
	okLogin := api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "logs@example.com", "password": password})
	issued, _ := okLogin.Body["token"].(string)
	api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token))
	api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token+"x"))
	api.do(t, http.MethodGet, "/api/admin/waitlist?password="+url.QueryEscape(testAdminPassword), nil)
	api.do(t, http.MethodGet, "/api/admin/waitlist?format=csv&password="+url.QueryEscape(testAdminPassword), nil)
	api.do(t, http.MethodGet, "/api/admin/waitlist?password=wrong-"+url.QueryEscape(testAdminPassword), nil)
	api.do(t, http.MethodGet, "/api/admin/waitlist", nil, header("X-Admin-Password", testAdminPassword))
	api.do(t, http.MethodPost, "/api/auth/register", `{"email":"x@y.co","password":"`+password+`"`)

	// A failure on our side: the database is gone.
	db.Close()
	fail := api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "logs@example.com", "password": password})
	wantError(t, fail, http.StatusInternalServerError, "internal")
	if strings.Contains(string(fail.Raw), "sql") {
		t.Errorf("500 body leaks its cause: %s", fail.Raw)
	}

	logs := api.logs.String()
	if !strings.Contains(logs, `"path":"/api/admin/waitlist"`) || !strings.Contains(logs, `"level":"ERROR"`) {
		t.Fatalf("the requests were not logged:\n%s", logs)
	}
	if loginRes.Status != http.StatusUnauthorized || issued == "" {
		t.Fatalf("logins: %d, token %q", loginRes.Status, issued)
	}
	for name, secret := range map[string]string{
		"password":       password,
		"admin password": testAdminPassword,
		"jwt":            token,
		"login jwt":      issued,
		"jwt signature":  token[strings.LastIndexByte(token, '.')+1:],
		"jwt secret":     testJWTSecret,
		"password query": "password=",
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the %s:\n%s", name, logs)
		}
	}
}

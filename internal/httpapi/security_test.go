package httpapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/testlog"
)

// Settings of the security stack. The client secret and passwords are
// secrets: none may show up in a log line.
const (
	secClientID     = "sec-client-77"
	secClientSecret = "sec-client-secret-never-logged-5d1f"
	secRedirectURI  = "http://api.example.test/auth/instagram/callback"
	secPartner      = "https://partner.example.test"
	secPassword     = "s3cret-Passw0rd-for-security-tests"
)

// secStack is the real router with every service, Instagram included
// (the sandbox on its own httptest server), on a fresh database. Its
// log is checked for secrets when the test ends.
type secStack struct {
	h      http.Handler
	db     *sql.DB
	logs   *testlog.Buffer
	tokens *auth.Tokens
	sbURL  string
	web    *http.Client
	// secrets are values that must never be logged; tests add the
	// passwords and tokens they use.
	secrets []string
}

func newSecStack(t *testing.T, limits httpapi.Limits) *secStack {
	t.Helper()
	sb := sandbox.New(sandbox.Options{ClientID: secClientID, ClientSecret: secClientSecret, Seed: 3})
	sbServer := httptest.NewServer(sb)
	t.Cleanup(sbServer.Close)
	sb.SetBaseURL(sbServer.URL)

	env := map[string]string{
		"APP_ENV": "test", "DATABASE_URL": "postgres://unused", "JWT_SECRET": testJWTSecret,
		"TOKEN_ENCRYPTION_KEY": testEncryptionKey, "FRONTEND_URL": testFrontendURL,
		"ALLOWED_ORIGINS": testFrontendURL + "," + secPartner, "ADMIN_PASSWORD": testAdminPassword,
		"INSTAGRAM_CLIENT_ID": secClientID, "INSTAGRAM_CLIENT_SECRET": secClientSecret,
		"INSTAGRAM_REDIRECT_URI": secRedirectURI, "INSTAGRAM_AUTH_URL": sbServer.URL + "/oauth/authorize",
		"INSTAGRAM_API_URL": sbServer.URL, "INSTAGRAM_GRAPH_URL": sbServer.URL,
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	db := testdb.New(t)
	s := &secStack{db: db, logs: &testlog.Buffer{}, tokens: auth.NewTokens(cfg.JWTSecret), sbURL: sbServer.URL,
		secrets: []string{testJWTSecret, testAdminPassword, testEncryptionKey, secClientSecret, secPassword}}
	logger := slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	spa := fstest.MapFS{
		"index.html":    {Data: []byte("<!doctype html><title>Creator Growth Tool</title><div id=root></div>")},
		"assets/app.js": {Data: []byte("console.log('app')")},
	}
	a, err := app.New(cfg, db, logger, app.Options{
		Hasher: auth.NewHasher(bcrypt.MinCost, 8), Limits: &limits, SPA: spa,
		Instagram: app.InstagramOptions{HTTPClient: &http.Client{Timeout: 5 * time.Second}, MaxRetries: 1},
	})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	s.h = a.Handler
	s.web = &http.Client{Timeout: 5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	t.Cleanup(func() { s.checkLogs(t) })
	return s
}

var (
	jwtRE         = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.eyJ`)
	accessTokenRE = regexp.MustCompile(`access_token(=|%3[dD]|\\u003[dD])([^&"\s\\]*)`)
	igTokenRE     = regexp.MustCompile(`IGAAsbx[A-Za-z0-9_-]+`)
)

// checkLogs fails the test when any log line holds a secret: a JWT, an
// Instagram token, an unredacted access_token= or a known secret value.
func (s *secStack) checkLogs(t *testing.T) {
	text := s.logs.String()
	if text == "" {
		t.Error("nothing was logged; the log check would prove nothing")
	}
	for i, line := range strings.Split(text, "\n") {
		if jwtRE.MatchString(line) {
			t.Errorf("log line %d holds a JWT: %.200s", i+1, line)
		}
		if igTokenRE.MatchString(line) {
			t.Errorf("log line %d holds an Instagram token", i+1)
		}
		for _, m := range accessTokenRE.FindAllStringSubmatch(line, -1) {
			if m[2] != "" && m[2] != "REDACTED" {
				t.Errorf("log line %d holds an unredacted access_token", i+1)
			}
		}
		for _, sec := range s.secrets {
			if sec != "" && strings.Contains(line, sec) {
				t.Errorf("log line %d holds the secret %.4s…", i+1, sec)
			}
		}
	}
}

// do sends a request through the stack's router.
func (s *secStack) do(t *testing.T, method, path string, body any, opts ...reqOpt) response {
	t.Helper()
	return doJSON(t, s.h, method, path, body, opts...)
}

// user registers a user through the API and returns its id and token.
func (s *secStack) user(t *testing.T, email string) (id, token string) {
	t.Helper()
	res := s.do(t, http.MethodPost, "/api/auth/register", map[string]string{"email": email, "password": secPassword},
		remoteAddr("192.0.2.200:1000"))
	if res.Status != http.StatusCreated {
		t.Fatalf("register %s: %d %s", email, res.Status, res.Raw)
	}
	token, _ = res.Body["token"].(string)
	u, _ := res.Body["user"].(map[string]any)
	id, _ = u["id"].(string)
	s.secrets = append(s.secrets, token)
	return id, token
}

// account links an account with n posts to the user directly in the
// database and returns its id.
func (s *secStack) account(t *testing.T, userID, igUserID string, n int) string {
	t.Helper()
	ctx := context.Background()
	var id string
	err := s.db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token, token_expires_at, followers)
		VALUES ($1, $2, 'user_' || $2, 'sealed-not-a-token', now() + interval '50 days', 1000) RETURNING id`, userID, igUserID).Scan(&id)
	if err != nil {
		t.Fatalf("insert account: %v", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO instagram_posts (ig_post_id, account_id, caption, media_type, like_count, comments_count, posted_at, hashtags)
		SELECT $2 || '_' || g, $1, 'post ' || g || ' #sec', 'IMAGE', g * 3, g, now() - g * interval '9 hours', ARRAY['#sec']
		FROM generate_series(1, $3) g`, id, igUserID, n)
	if err != nil {
		t.Fatalf("insert posts: %v", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO follower_snapshots (account_id, taken_on, followers)
		VALUES ($1, current_date - 40, 900)`, id)
	if err != nil {
		t.Fatalf("insert snapshot: %v", err)
	}
	return id
}

// counts returns the row count of every table.
func (s *secStack) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"users", "waitlist", "instagram_accounts", "instagram_posts", "follower_snapshots",
		"oauth_states", "jobs", "schedules"} {
		out[table] = countRows(t, s.db, table)
	}
	return out
}

var securityHeaders = map[string]string{
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options":        "DENY",
}

// wantSecurityHeaders checks the headers every response must carry.
func wantSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range securityHeaders {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", what, k, got, want)
		}
	}
	if got := h.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy = %q, want a policy with frame-ancestors 'none'", what, got)
	}
	if got := h.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" && got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy = %q, want strict-origin-when-cross-origin or no-referrer", what, got)
	}
	// A document also keeps its openers out and may use no device (a
	// redirect's short HTML body is never shown).
	if strings.HasPrefix(h.Get("Content-Type"), "text/html") && h.Get("Location") == "" {
		for k, want := range documentHeaders {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q on an HTML answer", what, k, got, want)
			}
		}
	}
}

// documentHeaders are the headers every HTML answer carries too.
var documentHeaders = map[string]string{
	"Cross-Origin-Opener-Policy": "same-origin",
	"Permissions-Policy":         "camera=(), microphone=(), geolocation=(), payment=()",
}

func TestSecurity_HeadersOnEveryRoute(t *testing.T) {
	t.Parallel()
	s := newSecStack(t, highLimits())
	userID, token := s.user(t, "headers@example.com")
	accountID := s.account(t, userID, "17841400000090001", 20)
	_, otherToken := s.user(t, "headers-noaccount@example.com")
	_, spareToken := s.user(t, "headers-spare@example.com")
	admin := header("X-Admin-Password", testAdminPassword)
	state, _, err := s.tokens.IssueState(userID)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		route        string // the router's method and template this case covers; "" for unmatched paths
		method, path string
		body         any
		opts         []reqOpt
		status       int
	}{
		{"GET /health", http.MethodGet, "/health", nil, nil, 200},
		{"HEAD /health", http.MethodHead, "/health", nil, nil, 200},
		{"GET /api/openapi.json", http.MethodGet, "/api/openapi.json", nil, nil, 200},
		{"GET /metrics", http.MethodGet, "/metrics", nil, nil, 200},
		{"POST /api/auth/register", http.MethodPost, "/api/auth/register", map[string]string{"email": "new@example.com", "password": secPassword}, nil, 201},
		{"POST /api/auth/register", http.MethodPost, "/api/auth/register", `{"email":`, nil, 400},
		{"POST /api/auth/register", http.MethodPost, "/api/auth/register", `{"email":"` + strings.Repeat("a", 2<<20) + `"}`, nil, 413},
		{"POST /api/auth/login", http.MethodPost, "/api/auth/login", map[string]string{"email": "headers@example.com", "password": secPassword}, nil, 200},
		{"POST /api/auth/login", http.MethodPost, "/api/auth/login", map[string]string{"email": "headers@example.com", "password": "wrong-password"}, nil, 401},
		{"POST /api/waitlist/signup", http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "wait@example.com"}, nil, 201},
		{"POST /api/waitlist/signup", http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "nope"}, nil, 400},
		{"GET /api/admin/waitlist", http.MethodGet, "/api/admin/waitlist", nil, []reqOpt{admin}, 200},
		{"GET /api/admin/waitlist", http.MethodGet, "/api/admin/waitlist?format=csv", nil, []reqOpt{admin}, 200},
		{"GET /api/admin/waitlist", http.MethodGet, "/api/admin/waitlist", nil, nil, 401},
		{"GET /api/user/me", http.MethodGet, "/api/user/me", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/user/me", http.MethodGet, "/api/user/me", nil, nil, 401},
		{"GET /api/events", http.MethodGet, "/api/events", nil, nil, 401},
		{"POST /api/email/unsubscribe", http.MethodPost, "/api/email/unsubscribe", map[string]string{"token": "nope"}, nil, 400},
		{"POST /api/admin/digests", http.MethodPost, "/api/admin/digests", map[string]string{"week": "2026-W49"}, nil, 401},
		{"GET /api/instagram/connect", http.MethodGet, "/api/instagram/connect", nil, []reqOpt{bearer(token)}, 200},
		{"POST /api/instagram/refresh", http.MethodPost, "/api/instagram/refresh", nil, []reqOpt{bearer(token)}, 202},
		{"POST /api/instagram/refresh", http.MethodPost, "/api/instagram/refresh", nil, []reqOpt{bearer(otherToken)}, 404},
		{"GET /api/instagram/sync", http.MethodGet, "/api/instagram/sync", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/instagram/posts", http.MethodGet, "/api/instagram/posts?limit=5", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/instagram/posts", http.MethodGet, "/api/instagram/posts?limit=0", nil, []reqOpt{bearer(token)}, 400},
		{"GET /api/instagram/posts/:id", http.MethodGet, "/api/instagram/posts/not-a-post", nil, []reqOpt{bearer(token)}, 404},
		{"GET /api/instagram/posts/:id", http.MethodGet, "/api/instagram/posts/6f1c1b1e-0000-4000-8000-000000000000", nil, []reqOpt{bearer(token)}, 404},
		{"GET /api/growth/stats", http.MethodGet, "/api/growth/stats?period=30&tz=Europe/Berlin", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/growth/stats", http.MethodGet, "/api/growth/stats?period=8", nil, []reqOpt{bearer(token)}, 400},
		{"GET /api/growth/audience", http.MethodGet, "/api/growth/audience?period=30&tz=Asia/Tokyo", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/growth/audience", http.MethodGet, "/api/growth/audience?tz=Mars/Olympus", nil, []reqOpt{bearer(token)}, 400},
		{"GET /api/growth/recommendations", http.MethodGet, "/api/growth/recommendations?tz=Europe/Berlin", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/growth/recommendations", http.MethodGet, "/api/growth/recommendations?period=1", nil, []reqOpt{bearer(token)}, 400},
		{"GET /api/growth/forecast", http.MethodGet, "/api/growth/forecast?horizon=7", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/growth/forecast", http.MethodGet, "/api/growth/forecast?metric=likes", nil, []reqOpt{bearer(token)}, 400},
		{"POST /api/goals", http.MethodPost, "/api/goals", map[string]any{"metric": "followers", "target": 5000, "deadline": "2999-01-01"}, []reqOpt{bearer(token)}, 201},
		{"POST /api/goals", http.MethodPost, "/api/goals", `{"metric":"followers","target":5000}`, []reqOpt{bearer(token)}, 400},
		{"GET /api/goals", http.MethodGet, "/api/goals", nil, []reqOpt{bearer(token)}, 200},
		{"DELETE /api/goals/:id", http.MethodDelete, "/api/goals/6f1c1b1e-0000-4000-8000-000000000000", nil, []reqOpt{bearer(token)}, 404},
		{"GET /api/instagram/accounts", http.MethodGet, "/api/instagram/accounts", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/growth/export", http.MethodGet, "/api/growth/export?format=csv", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/growth/export", http.MethodGet, "/api/growth/export?format=json", nil, []reqOpt{bearer(token)}, 200},
		{"GET /api/growth/export", http.MethodGet, "/api/growth/export?format=xml", nil, []reqOpt{bearer(token)}, 400},
		{"POST /api/share-links", http.MethodPost, "/api/share-links", map[string]int{"expires_in_days": 3}, []reqOpt{bearer(token)}, 201},
		{"POST /api/share-links", http.MethodPost, "/api/share-links", map[string]int{"expires_in_days": 3}, []reqOpt{bearer(otherToken)}, 404},
		{"GET /api/share-links", http.MethodGet, "/api/share-links", nil, []reqOpt{bearer(token)}, 200},
		{"DELETE /api/share-links/:id", http.MethodDelete, "/api/share-links/6f1c1b1e-0000-4000-8000-000000000000", nil, []reqOpt{bearer(token)}, 404},
		{"GET /api/public/reports/:token", http.MethodGet, "/api/public/reports/" + strings.Repeat("A", 43), nil, nil, 404},
		{"", http.MethodGet, "/r/" + strings.Repeat("A", 43), nil, nil, 404},
		{"DELETE /api/instagram/disconnect", http.MethodDelete, "/api/instagram/disconnect?account_id=" + accountID, nil, []reqOpt{bearer(otherToken)}, 404},
		{"GET /auth/instagram/callback", http.MethodGet, "/auth/instagram/callback?code=abc&state=" + url.QueryEscape(state), nil, nil, 302},
		{"GET /auth/instagram/callback", http.MethodGet, "/auth/instagram/callback?error=access_denied", nil, nil, 302},
		{"ANY /sandbox/instagram/*path", http.MethodGet, "/sandbox/instagram/oauth/authorize?client_id=x", nil, nil, 0},
		{"", http.MethodGet, "/api/nope", nil, nil, 404},
		{"", http.MethodGet, "/auth/nope", nil, nil, 404},
		{"", http.MethodPut, "/health", nil, nil, 405},
		{"", http.MethodGet, "/", nil, nil, 200},
		{"", http.MethodGet, "/dashboard", nil, nil, 200},
		{"", http.MethodGet, "/admin/waitlist?x=1", nil, nil, 200},
		{"", http.MethodGet, "/assets/app.js", nil, nil, 200},
		{"", http.MethodGet, "/assets/missing.js", nil, nil, 404},
		{"", http.MethodGet, "/../../etc/passwd", nil, nil, 0},
		{"", http.MethodOptions, "/api/user/me", nil, []reqOpt{header("Origin", "https://evil.example"), header("Access-Control-Request-Method", "GET")}, 403},
		{"GET /auth/instagram/start", http.MethodGet, "/auth/instagram/start?ticket=made-up", nil, nil, 302},
		{"POST /api/auth/verify-email", http.MethodPost, "/api/auth/verify-email", map[string]string{"token": "made-up"}, nil, 400},
		{"POST /api/auth/password-reset", http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "headers@example.com"}, nil, 503}, // no SMTP_URL here
		{"POST /api/auth/password-reset/confirm", http.MethodPost, "/api/auth/password-reset/confirm", map[string]string{"token": "made-up", "password": secPassword}, nil, 400},
		{"PATCH /api/user/me", http.MethodPatch, "/api/user/me", map[string]string{"timezone": "Europe/Berlin"}, []reqOpt{bearer(token)}, 200},
		{"POST /api/user/password", http.MethodPost, "/api/user/password", map[string]string{"current_password": "wrong-password", "new_password": secPassword}, []reqOpt{bearer(token)}, 401},
		{"DELETE /api/user/me", http.MethodDelete, "/api/user/me", map[string]string{"password": "wrong-password"}, []reqOpt{bearer(token)}, 401},
		// Last: they end sessions.
		{"POST /api/auth/logout", http.MethodPost, "/api/auth/logout", nil, []reqOpt{bearer(spareToken)}, 204},
		{"POST /api/auth/logout-all", http.MethodPost, "/api/auth/logout-all", nil, []reqOpt{bearer(otherToken)}, 204},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.route] = true
		t.Run(tc.method+" "+tc.path[:min(len(tc.path), 60)], func(t *testing.T) {
			res := s.do(t, tc.method, tc.path, tc.body, tc.opts...)
			if tc.status != 0 && res.Status != tc.status {
				t.Errorf("status = %d, want %d (%.200s)", res.Status, tc.status, res.Raw)
			}
			wantSecurityHeaders(t, fmt.Sprintf("%s %.60s (%d)", tc.method, tc.path, res.Status), res.Header)
		})
	}
	// Every route the router serves has a case above, so that a new
	// route cannot ship without its headers being checked.
	engine, ok := s.h.(*gin.Engine)
	if !ok {
		t.Fatalf("router is a %T, want *gin.Engine", s.h)
	}
	for _, r := range engine.Routes() {
		if key := r.Method + " " + r.Path; !covered[key] && !covered["ANY "+r.Path] {
			t.Errorf("route %s has no case in TestSecurity_HeadersOnEveryRoute", key)
		}
	}
}

func TestSecurity_AdminBruteForce(t *testing.T) {
	t.Parallel()
	s := newSecStack(t, httpapi.DefaultLimits())
	attacker := remoteAddr("198.51.100.7:4000")
	limit := int(httpapi.DefaultLimits().AdminFailed.Limit)
	for i := range limit {
		pw := fmt.Sprintf("guess-%d", i)
		opt := header("X-Admin-Password", pw)
		path := "/api/admin/waitlist"
		if i%2 == 1 { // the query parameter counts too
			opt, path = func(*http.Request) {}, path+"?password="+pw
		}
		res := s.do(t, http.MethodGet, path, nil, opt, attacker)
		wantError(t, res, http.StatusUnauthorized, "unauthorized")
	}
	t.Run("ErrRightPasswordAfterLimit", func(t *testing.T) {
		res := s.do(t, http.MethodGet, "/api/admin/waitlist", nil, header("X-Admin-Password", testAdminPassword), attacker)
		wantError(t, res, http.StatusTooManyRequests, "rate_limited")
		if res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After on the 429")
		}
		res = s.do(t, http.MethodGet, "/api/admin/waitlist?password="+testAdminPassword, nil, attacker)
		wantError(t, res, http.StatusTooManyRequests, "rate_limited")
	})
	t.Run("OKOtherClient", func(t *testing.T) {
		res := s.do(t, http.MethodGet, "/api/admin/waitlist", nil, header("X-Admin-Password", testAdminPassword), remoteAddr("203.0.113.9:5000"))
		if res.Status != http.StatusOK {
			t.Errorf("status = %d, want 200 for another client (%s)", res.Status, res.Raw)
		}
	})
	t.Run("ErrForwardedForIgnored", func(t *testing.T) {
		// No trusted proxies: a forged X-Forwarded-For does not reset the count.
		res := s.do(t, http.MethodGet, "/api/admin/waitlist", nil, header("X-Admin-Password", testAdminPassword),
			header("X-Forwarded-For", "192.0.2.55"), attacker)
		wantError(t, res, http.StatusTooManyRequests, "rate_limited")
	})
}

func TestSecurity_CORS(t *testing.T) {
	t.Parallel()
	s := newSecStack(t, highLimits())
	_, token := s.user(t, "cors@example.com")
	preflight := func(origin string) response {
		return s.do(t, http.MethodOptions, "/api/user/me", nil, header("Origin", origin),
			header("Access-Control-Request-Method", "GET"), header("Access-Control-Request-Headers", "authorization"))
	}
	for _, origin := range []string{"https://evil.example", "null", testFrontendURL + ".evil.example",
		"https://app.example.test", "http://app.example.test:8443", strings.ToUpper(testFrontendURL)} {
		t.Run("ErrForeign "+origin, func(t *testing.T) {
			res := preflight(origin)
			if res.Status != http.StatusForbidden {
				t.Errorf("preflight status = %d, want 403", res.Status)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("preflight Access-Control-Allow-Origin = %q, want none", got)
			}
			res = s.do(t, http.MethodGet, "/api/user/me", nil, header("Origin", origin), bearer(token))
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("simple request Access-Control-Allow-Origin = %q, want none", got)
			}
			if got := res.Header.Get("Access-Control-Allow-Credentials"); got != "" {
				t.Errorf("Access-Control-Allow-Credentials = %q, want none", got)
			}
		})
	}
	for _, origin := range []string{testFrontendURL, secPartner} {
		t.Run("OK "+origin, func(t *testing.T) {
			res := preflight(origin)
			if res.Status != http.StatusNoContent {
				t.Errorf("preflight status = %d, want 204", res.Status)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != origin {
				t.Errorf("preflight Access-Control-Allow-Origin = %q, want %q", got, origin)
			}
			if got := res.Header.Get("Access-Control-Allow-Headers"); !strings.Contains(strings.ToLower(got), "authorization") {
				t.Errorf("Access-Control-Allow-Headers = %q, want Authorization among them", got)
			}
			res = s.do(t, http.MethodGet, "/api/user/me", nil, header("Origin", origin), bearer(token))
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != origin || res.Status != http.StatusOK {
				t.Errorf("simple request: status %d, Access-Control-Allow-Origin = %q, want 200 and %q", res.Status, got, origin)
			}
			if !slices.Contains(res.Header.Values("Vary"), "Origin") {
				t.Errorf("Vary = %v, want Origin", res.Header.Values("Vary"))
			}
		})
	}
}

// injections are classic SQL injection strings and a few hostile bytes.
var injections = []string{
	`' OR '1'='1`,
	`' OR 1=1 --`,
	`1; DROP TABLE users; --`,
	`'); DELETE FROM waitlist; --`,
	`1' UNION SELECT password, email FROM users --`,
	`$1`,
	`1) OR (1=1`,
	`\'; TRUNCATE instagram_posts; --`,
	"\x00",
	"a\x00'; DROP TABLE jobs; --",
	`' || pg_sleep(5) || '`,
	`%27%20OR%201%3D1`,
	`Europe/Berlin'; DROP TABLE instagram_posts; --`,
	`../../../../etc/passwd`,
	strings.Repeat("'", 3000),
	`ｓｅｌｅｃｔ`,
	"\xff\xfe",
}

func TestSecurity_SQLInjection(t *testing.T) {
	t.Parallel()
	s := newSecStack(t, highLimits())
	userID, token := s.user(t, "sqli@example.com")
	s.account(t, userID, "17841400000090002", 30)
	if res := s.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "keep@example.com"}); res.Status != http.StatusCreated {
		t.Fatalf("waitlist: %d", res.Status)
	}
	before := s.counts(t)
	admin := header("X-Admin-Password", testAdminPassword)
	authz := bearer(token)

	type probe struct {
		name         string
		method, path string
		body         any
		opts         []reqOpt
	}
	var probes []probe
	q := func(path, key, v string, extra string, opts ...reqOpt) {
		u := path + "?" + url.Values{key: {v}}.Encode() + extra
		probes = append(probes, probe{key + "@" + path, http.MethodGet, u, nil, opts})
	}
	for _, v := range injections {
		for _, k := range []string{"page", "limit", "format"} {
			q("/api/admin/waitlist", k, v, "", admin)
		}
		for _, k := range []string{"period", "tz", "account_id"} {
			q("/api/growth/stats", k, v, "", authz)
			q("/api/growth/audience", k, v, "", authz)
		}
		for _, k := range []string{"before", "limit", "account_id"} {
			q("/api/instagram/posts", k, v, "", authz)
		}
		q("/api/instagram/sync", "account_id", v, "", authz)
		for _, k := range []string{"code", "state", "error"} {
			q("/auth/instagram/callback", k, v, "&code=c")
		}
		probes = append(probes,
			probe{"refresh account_id", http.MethodPost, "/api/instagram/refresh?" + url.Values{"account_id": {v}}.Encode(), nil, []reqOpt{authz}},
			probe{"disconnect account_id", http.MethodDelete, "/api/instagram/disconnect?" + url.Values{"account_id": {v}}.Encode(), nil, []reqOpt{authz}},
			probe{"register email", http.MethodPost, "/api/auth/register", map[string]string{"email": v, "password": secPassword}, nil},
			probe{"register password", http.MethodPost, "/api/auth/register", map[string]string{"email": "x" + v + "@example.com", "password": v}, nil},
			probe{"login email", http.MethodPost, "/api/auth/login", map[string]string{"email": v, "password": v}, nil},
			probe{"login password", http.MethodPost, "/api/auth/login", map[string]string{"email": "sqli@example.com", "password": v}, nil},
			probe{"waitlist email", http.MethodPost, "/api/waitlist/signup", map[string]string{"email": v}, nil},
			probe{"waitlist raw", http.MethodPost, "/api/waitlist/signup", `{"email":"` + v + `"}`, nil},
			probe{"authorization", http.MethodGet, "/api/user/me", nil, []reqOpt{header("Authorization", "Bearer "+v)}},
			probe{"authorization raw", http.MethodGet, "/api/growth/stats", nil, []reqOpt{header("Authorization", v)}},
			probe{"admin password", http.MethodGet, "/api/admin/waitlist", nil, []reqOpt{header("X-Admin-Password", v)}},
			probe{"admin password query", http.MethodGet, "/api/admin/waitlist?" + url.Values{"password": {v}}.Encode(), nil, nil},
		)
	}
	// A JWT whose user_id is an injection, signed with the right key,
	// stands for a leaked or forged key: it must still be harmless.
	for _, v := range injections[:8] {
		forged, err := auth.NewTokens([]byte(testJWTSecret)).Issue(v, "x@example.com", uuid.NewString())
		if err != nil {
			t.Fatal(err)
		}
		forgedSID, err := auth.NewTokens([]byte(testJWTSecret)).Issue(uuid.NewString(), "x@example.com", v)
		if err != nil {
			t.Fatal(err)
		}
		s.secrets = append(s.secrets, forged, forgedSID)
		probes = append(probes, probe{"jwt user_id", http.MethodGet, "/api/instagram/posts", nil, []reqOpt{bearer(forged)}},
			probe{"jwt sid", http.MethodGet, "/api/instagram/posts", nil, []reqOpt{bearer(forgedSID)}})
	}

	server := 0
	created := map[string][]string{}
	for _, p := range probes {
		// Header values cannot hold control bytes; such requests never
		// reach a server, so they are skipped here.
		req := httptest.NewRequest(p.method, "/", nil)
		skip := false
		for _, o := range p.opts {
			o(req)
		}
		for _, vs := range req.Header {
			for _, v := range vs {
				if strings.ContainsAny(v, "\x00\r\n") {
					skip = true
				}
			}
		}
		if skip {
			continue
		}
		res := s.do(t, p.method, p.path, p.body, p.opts...)
		if res.Status == http.StatusCreated {
			// A hostile string that is still a valid email or password
			// is data: it must be stored literally, and nothing else.
			table := map[string]string{"/api/auth/register": "users", "/api/waitlist/signup": "waitlist"}[p.path]
			created[table] = append(created[table], p.body.(map[string]string)["email"])
		}
		if res.Status >= 500 {
			server++
			t.Errorf("%s %s (%s): status %d, want 4xx or a normal answer: %.200s", p.method, p.path, p.name, res.Status, res.Raw)
		}
		if strings.Contains(strings.ToLower(string(res.Raw)), "syntax error") || strings.Contains(string(res.Raw), "pq:") {
			t.Errorf("%s %s (%s): the answer leaks SQL: %.200s", p.method, p.path, p.name, res.Raw)
		}
	}
	t.Logf("%d injection probes, %d answered 5xx, %d stored as plain data", len(probes), server, len(created["users"])+len(created["waitlist"]))
	after := s.counts(t)
	for table, n := range before {
		if got, want := after[table], n+len(created[table]); got != want {
			t.Errorf("%s: %d rows after the probes, want %d (%d before, %d created)", table, got, want, n, len(created[table]))
		}
	}
	for table, emails := range created {
		for _, e := range emails {
			var n int
			if err := s.db.QueryRow(`SELECT count(*) FROM `+table+` WHERE email = lower(trim($1))`, e).Scan(&n); err != nil || n != 1 {
				t.Errorf("%s: %d rows with the email %q as sent (trimmed, lower-cased), want 1 (%v)", table, n, e, err)
			}
		}
	}
	if res := s.do(t, http.MethodGet, "/api/instagram/posts?limit=200", nil, authz); res.Status != http.StatusOK || res.Body["posts_count"] != float64(30) {
		t.Errorf("posts after the probes: %d %v", res.Status, res.Body["posts_count"])
	}
}

func TestSecurity_UserIsolation(t *testing.T) {
	t.Parallel()
	s := newSecStack(t, highLimits())
	aID, aToken := s.user(t, "alice@example.com")
	bID, bToken := s.user(t, "bob@example.com")
	s.account(t, aID, "17841400000091001", 12)
	bAcc := s.account(t, bID, "17841400000092002", 7)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/api/instagram/posts?account_id=" + bAcc},
		{http.MethodGet, "/api/instagram/sync?account_id=" + bAcc},
		{http.MethodGet, "/api/growth/stats?account_id=" + bAcc},
		{http.MethodGet, "/api/growth/audience?account_id=" + bAcc},
		{http.MethodPost, "/api/instagram/refresh?account_id=" + bAcc},
		{http.MethodDelete, "/api/instagram/disconnect?account_id=" + bAcc},
	} {
		t.Run("ErrOtherUsersAccount "+tc.method+" "+strings.Split(tc.path, "?")[0], func(t *testing.T) {
			res := s.do(t, tc.method, tc.path, nil, bearer(aToken))
			wantError(t, res, http.StatusNotFound, "no_instagram_account")
			if strings.Contains(string(res.Raw), "17841400000092002") {
				t.Errorf("the answer names Bob's account: %s", res.Raw)
			}
		})
	}
	if got := countRows(t, s.db, "jobs"); got != 0 {
		t.Errorf("%d jobs after refusing Alice's refresh of Bob's account, want 0", got)
	}
	var owner string
	if err := s.db.QueryRow(`SELECT user_id FROM instagram_accounts WHERE id = $1`, bAcc).Scan(&owner); err != nil || owner != bID {
		t.Errorf("Bob's account after Alice's disconnect: owner %q, %v", owner, err)
	}
	t.Run("OKOwnData", func(t *testing.T) {
		res := s.do(t, http.MethodGet, "/api/instagram/posts?limit=200", nil, bearer(aToken))
		posts, _ := res.Body["posts"].([]any)
		if res.Status != http.StatusOK || len(posts) != 12 {
			t.Fatalf("Alice's posts: %d, %d posts", res.Status, len(posts))
		}
		for _, p := range posts {
			if id := p.(map[string]any)["ig_post_id"].(string); !strings.HasPrefix(id, "17841400000091001_") {
				t.Errorf("Alice sees post %s", id)
			}
		}
		res = s.do(t, http.MethodGet, "/api/growth/stats?period=90", nil, bearer(bToken))
		if res.Status != http.StatusOK || res.Body["total_posts"] != float64(7) {
			t.Errorf("Bob's stats: %d total_posts %v, want 7", res.Status, res.Body["total_posts"])
		}
	})
	t.Run("ErrForgedToken", func(t *testing.T) {
		// Bob's id and session in a token signed with another key.
		bob, err := auth.NewTokens([]byte(testJWTSecret)).Parse(bToken)
		if err != nil {
			t.Fatal(err)
		}
		forged, err := auth.NewTokens([]byte("not-the-server-secret-0123456789abcdef")).Issue(bID, "bob@example.com", bob.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		s.secrets = append(s.secrets, forged)
		wantError(t, s.do(t, http.MethodGet, "/api/instagram/posts", nil, bearer(forged)), http.StatusUnauthorized, "unauthorized")
		// Alice's token with the payload swapped for Bob's keeps Alice's signature.
		parts := strings.Split(aToken, ".")
		bobParts := strings.Split(bToken, ".")
		spliced := parts[0] + "." + bobParts[1] + "." + parts[2]
		wantError(t, s.do(t, http.MethodGet, "/api/user/me", nil, bearer(spliced)), http.StatusUnauthorized, "unauthorized")
	})
}

var (
	secHiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// start asks GET /api/instagram/connect for the start address and opens
// it as the browser would, with the given extra options. It returns the
// authorize URL it redirects to and the binding cookie it sets.
func (s *secStack) start(t *testing.T, token string, opts ...reqOpt) (string, *http.Cookie) {
	t.Helper()
	res := s.do(t, http.MethodGet, "/api/instagram/connect", nil, bearer(token))
	if res.Status != http.StatusOK {
		t.Fatalf("connect: %d %s", res.Status, res.Raw)
	}
	u, err := url.Parse(res.Body["url"].(string))
	if err != nil || u.Path != "/auth/instagram/start" {
		t.Fatalf("connect url = %q", res.Body["url"])
	}
	res = s.do(t, http.MethodGet, u.RequestURI(), nil, opts...)
	if res.Status != http.StatusFound {
		t.Fatalf("start: %d %s", res.Status, res.Raw)
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == "cgt_oauth_state" {
			cookie = c
		}
	}
	return res.Header.Get("Location"), cookie
}

// authorize starts a connection for the token's user and answers the
// sandbox's consent page as igUserID. It returns the callback path with
// its query, and the browser-binding cookie of that user's flow.
func (s *secStack) authorize(t *testing.T, token, igUserID string) (string, *http.Cookie) {
	t.Helper()
	authURL, cookie := s.start(t, token)
	page, err := s.web.Get(authURL)
	if err != nil {
		t.Fatalf("consent page: %v", err)
	}
	raw, _ := io.ReadAll(page.Body)
	page.Body.Close()
	form := url.Values{}
	for _, m := range secHiddenRE.FindAllSubmatch(raw, -1) {
		form.Set(string(m[1]), html.UnescapeString(string(m[2])))
	}
	form.Set("action", "allow")
	form.Set("account", igUserID)
	resp, err := s.web.PostForm(authURL, form)
	if err != nil {
		t.Fatalf("consent: %v", err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("consent: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Path + "?" + loc.RawQuery, cookie
}

// callback sends the browser to the server's callback and returns the
// reason of the redirect ("" when connected).
func (s *secStack) callback(t *testing.T, path string, cookie *http.Cookie) string {
	t.Helper()
	var opts []reqOpt
	if cookie != nil {
		opts = append(opts, header("Cookie", cookie.Name+"="+cookie.Value))
	}
	res := s.do(t, http.MethodGet, path, nil, opts...)
	if res.Status != http.StatusFound {
		t.Fatalf("callback: status %d", res.Status)
	}
	loc, _ := url.Parse(res.Header.Get("Location"))
	if loc.Query().Get("instagram") == "connected" {
		return ""
	}
	return loc.Query().Get("reason")
}

func TestSecurity_OAuthStateBoundToUser(t *testing.T) {
	t.Parallel()
	s := newSecStack(t, highLimits())
	aID, aToken := s.user(t, "alice-oauth@example.com")
	bID, bToken := s.user(t, "bob-oauth@example.com")
	linkedTo := func(igUserID string) string {
		var owner string
		err := s.db.QueryRow(`SELECT user_id FROM instagram_accounts WHERE ig_user_id = $1`, igUserID).Scan(&owner)
		if err == sql.ErrNoRows {
			return ""
		}
		if err != nil {
			t.Fatal(err)
		}
		return owner
	}

	t.Run("ErrStateOfAInBrowserOfB", func(t *testing.T) {
		// Alice's flow comes back in Bob's browser, which carries the
		// cookie of a flow Bob started himself.
		aPath, _ := s.authorize(t, aToken, "17841400000000001")
		_, bCookie := s.authorize(t, bToken, "17841400000000002")
		if got, want := s.callback(t, aPath, bCookie), "invalid_state"; got != want {
			t.Errorf("reason = %q, want %q", got, want)
		}
		if owner := linkedTo("17841400000000001"); owner != "" {
			t.Errorf("the account got linked to %s", owner)
		}
	})
	t.Run("OKStateLinksOnlyItsUser", func(t *testing.T) {
		aPath, aCookie := s.authorize(t, aToken, "17841400000000001")
		if got := s.callback(t, aPath, aCookie); got != "" {
			t.Fatalf("Alice's own callback failed: %s", got)
		}
		if owner := linkedTo("17841400000000001"); owner != aID {
			t.Errorf("linked to %q, want Alice %q", owner, aID)
		}
		wantError(t, s.do(t, http.MethodGet, "/api/instagram/posts", nil, bearer(bToken)), http.StatusNotFound, "no_instagram_account")
		t.Run("ErrReplay", func(t *testing.T) {
			if got, want := s.callback(t, aPath, aCookie), "invalid_state"; got != want {
				t.Errorf("replayed callback: reason = %q, want %q", got, want)
			}
		})
	})
	t.Run("ErrStateForBWithAnotherKey", func(t *testing.T) {
		// A state naming Bob, signed with a key that is not the server's.
		forged, _, err := auth.NewTokens([]byte("attacker-key-0123456789abcdef-0123")).IssueState(bID)
		if err != nil {
			t.Fatal(err)
		}
		aPath, _ := s.authorize(t, aToken, "17841400000000002")
		u, _ := url.Parse(aPath)
		q := u.Query()
		q.Set("state", forged)
		if got, want := s.callback(t, u.Path+"?"+q.Encode(), nil), "invalid_state"; got != want {
			t.Errorf("reason = %q, want %q", got, want)
		}
		if owner := linkedTo("17841400000000002"); owner != "" {
			t.Errorf("the account got linked to %s", owner)
		}
	})
	t.Run("ErrUnrecordedState", func(t *testing.T) {
		// Correctly signed for Bob but never issued by /connect (not in
		// oauth_states): refused.
		st, _, err := s.tokens.IssueState(bID)
		if err != nil {
			t.Fatal(err)
		}
		aPath, _ := s.authorize(t, aToken, "17841400000000002")
		u, _ := url.Parse(aPath)
		q := u.Query()
		q.Set("state", st)
		if got, want := s.callback(t, u.Path+"?"+q.Encode(), nil), "invalid_state"; got != want {
			t.Errorf("reason = %q, want %q", got, want)
		}
		if owner := linkedTo("17841400000000002"); owner != "" {
			t.Errorf("the account got linked to %s", owner)
		}
	})
	res := s.do(t, http.MethodGet, "/api/user/me", nil, bearer(aToken))
	if res.Status != http.StatusOK {
		t.Errorf("me: %d", res.Status)
	}
}

package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"
	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/metrics"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/worker"
)

// ctAdminPassword is the admin password of the contract environment.
const ctAdminPassword = "contract-admin-Pa55word"

// ctEnv is the whole server as main wires it (Instagram through the
// sandbox, a worker pool, metrics) on a fresh database.
type ctEnv struct {
	h    http.Handler
	db   *sql.DB
	cfg  *config.Config
	sb   *sandbox.Sandbox
	mx   *metrics.Metrics
	pool *worker.Pool
}

// ctConfig is the environment of the contract tests; extra overrides it
// (an empty value unsets a variable).
func ctConfig(tb testing.TB, extra map[string]string) *config.Config {
	tb.Helper()
	env := map[string]string{
		"APP_ENV":              "test",
		"DATABASE_URL":         "postgres://unused",
		"JWT_SECRET":           "contract-jwt-secret-0123456789abcdef-0123",
		"TOKEN_ENCRYPTION_KEY": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
		"FRONTEND_URL":         "http://app.example.test",
		"PUBLIC_URL":           "http://api.example.test",
		"ADMIN_PASSWORD":       ctAdminPassword,
		"INSTAGRAM_MAX_POSTS":  "100",
	}
	for k, v := range extra {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		tb.Fatalf("config: %v", err)
	}
	return cfg
}

// ctHighLimits are limits no test reaches by accident.
func ctHighLimits() httpapi.Limits {
	return httpapi.Limits{
		Login:        limiter.Rate{Period: time.Minute, Limit: 100_000},
		Waitlist:     limiter.Rate{Period: time.Minute, Limit: 100_000},
		AdminFailed:  limiter.Rate{Period: time.Minute, Limit: 100_000},
		PublicReport: limiter.Rate{Period: time.Minute, Limit: 100_000},
	}
}

// newCtEnv builds the server on a fresh database. The worker pool is
// started, and stopped when the test ends.
func newCtEnv(tb testing.TB, cfg *config.Config, limits httpapi.Limits) *ctEnv {
	tb.Helper()
	db := testdb.New(tb)
	a, err := app.New(cfg, db, slog.New(slog.DiscardHandler), app.Options{
		Hasher: auth.NewHasher(bcrypt.MinCost, 4),
		Limits: &limits,
		Pool:   worker.Options{Workers: 1, PollInterval: 20 * time.Millisecond},
		SandboxAccounts: []sandbox.AccountSpec{
			{UserID: "17841400000000101", Username: "contract.creator", Followers: 2500, Posts: 60},
		},
	})
	if err != nil {
		tb.Fatalf("app: %v", err)
	}
	a.Pool.Start(context.Background())
	tb.Cleanup(a.Pool.Stop)
	return &ctEnv{h: a.Handler, db: db, cfg: cfg, sb: a.Sandbox, mx: a.Metrics, pool: a.Pool}
}

// ctResponse is a recorded answer; Body is the decoded JSON object, when
// the answer is one.
type ctResponse struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// ctRequest builds a request (body as jsonRequest sends it) with header.
func ctRequest(tb testing.TB, method, target string, body any, header http.Header) *http.Request {
	tb.Helper()
	req := jsonRequest(tb, method, target, body)
	for k, vs := range header {
		req.Header[k] = vs
	}
	return req
}

// ctServe sends req through h and decodes a JSON answer.
func ctServe(tb testing.TB, h http.Handler, req *http.Request) ctResponse {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := ctResponse{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && req.Method != http.MethodHead {
		if err := json.Unmarshal(res.Raw, &res.Body); err != nil {
			tb.Fatalf("%s %s: decode %q: %v", req.Method, req.URL.Path, res.Raw, err)
		}
	}
	return res
}

// ctBearer is the header of a bearer token.
func ctBearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// ctConnect links the sandbox account to the user behind token through
// the real OAuth flow: connect, consent in the sandbox, callback with the
// browser's state cookie. It returns the callback's answer.
func ctConnect(tb testing.TB, h http.Handler, sb *sandbox.Sandbox, token string) ctResponse {
	tb.Helper()
	res := ctServe(tb, h, ctRequest(tb, http.MethodGet, "/api/instagram/connect", nil, ctBearer(token)))
	if res.Status != http.StatusOK {
		tb.Fatalf("connect: %d %s", res.Status, res.Raw)
	}
	startURL, err := url.Parse(res.Body["url"].(string))
	if err != nil || startURL.Path != "/auth/instagram/start" {
		tb.Fatalf("connect url = %q: %v", res.Body["url"], err)
	}
	res = ctServe(tb, h, ctRequest(tb, http.MethodGet, startURL.RequestURI(), nil, nil))
	if res.Status != http.StatusFound {
		tb.Fatalf("start: %d %s", res.Status, res.Raw)
	}
	authURL, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		tb.Fatalf("authorize url: %v", err)
	}
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == "cgt_oauth_state" {
			cookie = c
		}
	}
	if cookie == nil {
		tb.Fatalf("start set no cgt_oauth_state cookie: %v", res.Header)
	}

	form := authURL.Query()
	form.Set("action", "allow")
	form.Set("account", sb.Accounts()[0].UserID)
	consent := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/oauth/authorize", strings.NewReader(form.Encode()))
	consent.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	sb.ServeHTTP(rec, consent)
	if rec.Code != http.StatusFound {
		tb.Fatalf("sandbox consent: %d %s", rec.Code, rec.Body)
	}
	back, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		tb.Fatalf("sandbox redirect: %v", err)
	}
	cb := ctRequest(tb, http.MethodGet, "/auth/instagram/callback?"+back.RawQuery, nil, nil)
	cb.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	return ctServe(tb, h, cb)
}

// ctWaitSynced waits until the account's first fetch has stored posts.
func ctWaitSynced(tb testing.TB, h http.Handler, token string) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res := ctServe(tb, h, ctRequest(tb, http.MethodGet, "/api/instagram/sync", nil, ctBearer(token)))
		if res.Status == http.StatusOK && res.Body["state"] == "idle" && res.Body["last_synced_at"] != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatal("the first post fetch did not finish within 30 s")
}

// ctWaitJobsDone waits until no job is queued or running.
func ctWaitJobsDone(tb testing.TB, env *ctEnv) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := env.db.QueryRowContext(context.Background(),
			`SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')`).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatal("jobs still queued or running after 30 s")
}

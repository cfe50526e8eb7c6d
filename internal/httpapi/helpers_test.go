package httpapi_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"
	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/events"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/metrics"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/testlog"
)

// Secrets of the test configuration. They must never show up in logs.
const (
	testJWTSecret     = "test-jwt-secret-0123456789abcdef-0123456789"
	testAdminPassword = "admin-Pa55word-for-tests"
	testFrontendURL   = "http://app.example.test"
	// testEncryptionKey is 32 zero bytes, base64.
	testEncryptionKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)

// testAPI is the real router on its own fresh database.
type testAPI struct {
	h    http.Handler
	db   *sql.DB
	cfg  *config.Config
	logs *testlog.Buffer
	mx   *metrics.Metrics
	app  *app.App
}

type testOptions struct {
	env    map[string]string
	limits httpapi.Limits
	db     *sql.DB
	store  limiter.Store
	events events.Options
}

// option changes how newTestAPI builds the router.
type option func(*testOptions)

// withEnv sets an environment variable of the configuration; an empty
// value unsets it.
func withEnv(key, value string) option {
	return func(o *testOptions) { o.env[key] = value }
}

// withLimits replaces the rate limits.
func withLimits(l httpapi.Limits) option {
	return func(o *testOptions) { o.limits = l }
}

// withDB runs the router on db instead of a fresh test database.
func withDB(db *sql.DB) option {
	return func(o *testOptions) { o.db = db }
}

// withLimiterStore counts the limits in store.
func withLimiterStore(store limiter.Store) option {
	return func(o *testOptions) { o.store = store }
}

// withEventOptions tunes the live-update hub.
func withEventOptions(eo events.Options) option {
	return func(o *testOptions) { o.events = eo }
}

// highLimits are limits no test reaches by accident.
func highLimits() httpapi.Limits {
	return httpapi.Limits{
		Login:        limiter.Rate{Period: time.Minute, Limit: 10_000},
		Waitlist:     limiter.Rate{Period: time.Minute, Limit: 10_000},
		AdminFailed:  limiter.Rate{Period: time.Minute, Limit: 10_000},
		PublicReport: limiter.Rate{Period: time.Minute, Limit: 10_000},
	}
}

// newTestAPI returns the real router with real services on a fresh
// database, a low bcrypt cost, the contract's default limits and logs
// captured as JSON.
func newTestAPI(t *testing.T, opts ...option) *testAPI {
	t.Helper()
	o := &testOptions{
		env: map[string]string{
			"APP_ENV":              "test",
			"DATABASE_URL":         "postgres://unused",
			"JWT_SECRET":           testJWTSecret,
			"TOKEN_ENCRYPTION_KEY": testEncryptionKey,
			"FRONTEND_URL":         testFrontendURL,
			"ADMIN_PASSWORD":       testAdminPassword,
		},
		limits: httpapi.DefaultLimits(),
		store:  memory.NewStore(),
	}
	for _, opt := range opts {
		opt(o)
	}
	cfg, err := config.Load(func(k string) string { return o.env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	db := o.db
	if db == nil {
		db = testdb.New(t)
	}
	logs := &testlog.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(cfg, db, logger, app.Options{
		Hasher: auth.NewHasher(bcrypt.MinCost, 8), Limits: &o.limits, LimiterStore: o.store, Events: o.events,
	})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	return &testAPI{h: a.Handler, db: db, cfg: cfg, logs: logs, mx: a.Metrics, app: a}
}

// response is a recorded answer; Body is the decoded JSON object, when the
// answer is one.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// reqOpt changes a request before it is sent.
type reqOpt func(*http.Request)

func header(key, value string) reqOpt {
	return func(r *http.Request) { r.Header.Set(key, value) }
}

func bearer(token string) reqOpt { return header("Authorization", "Bearer "+token) }

func remoteAddr(addr string) reqOpt {
	return func(r *http.Request) { r.RemoteAddr = addr }
}

// jsonRequest builds a request. body is sent as is when it is a string or
// []byte, as JSON otherwise, and not at all when nil.
func jsonRequest(tb testing.TB, method, target string, body any) *http.Request {
	tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("marshal body: %v", err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequestWithContext(context.Background(), method, target, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// doJSON sends a request through h (body as jsonRequest sends it) and
// decodes the answer.
func doJSON(t *testing.T, h http.Handler, method, path string, body any, opts ...reqOpt) response {
	t.Helper()
	req := jsonRequest(t, method, path, body)
	for _, opt := range opts {
		opt(req)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(res.Raw, &res.Body); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, res.Raw, err)
		}
	}
	return res
}

// do sends a request through the test API's router.
func (a *testAPI) do(t *testing.T, method, path string, body any, opts ...reqOpt) response {
	t.Helper()
	return doJSON(t, a.h, method, path, body, opts...)
}

// wantError checks the contract's error answer: the status, exactly the
// keys error and code, both non-empty, and the code.
func wantError(t *testing.T, res response, status int, code string) {
	t.Helper()
	if got, want := res.Status, status; got != want {
		t.Errorf("status = %d, want %d (body %s)", got, want, res.Raw)
	}
	if got, want := res.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	wantKeys(t, res.Body, "code", "error")
	if msg, _ := res.Body["error"].(string); msg == "" {
		t.Errorf("error = %v, want a non-empty message", res.Body["error"])
	}
	if got, _ := res.Body["code"].(string); got != code {
		t.Errorf("code = %q, want %q (body %s)", got, code, res.Raw)
	}
}

// wantKeys checks that m has exactly the given keys.
func wantKeys(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(keys))
	if !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}

// wantRFC3339UTC checks that v is an RFC 3339 time string in UTC.
func wantRFC3339UTC(t *testing.T, name string, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		t.Errorf("%s = %v, want an RFC 3339 UTC time", name, v)
	}
	return ts
}

// userKeys are the keys of the user object.
var userKeys = []string{"id", "email", "created_at", "email_verified", "timezone", "weekly_digest"}

// countRows returns the number of rows of table.
func countRows(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// register creates a user through the API and returns its token and user
// object.
func (a *testAPI) register(t *testing.T, email, password string) (string, map[string]any) {
	t.Helper()
	res := a.do(t, http.MethodPost, "/api/auth/register", map[string]string{"email": email, "password": password})
	if res.Status != http.StatusCreated {
		t.Fatalf("register %s: status %d, body %s", email, res.Status, res.Raw)
	}
	token, _ := res.Body["token"].(string)
	user, _ := res.Body["user"].(map[string]any)
	return token, user
}

// sessionToken starts a session for a user inserted by hand, straight in
// the store as a login would, and returns its token.
func sessionToken(tb testing.TB, db *sql.DB, tokens *auth.Tokens, userID, email string) string {
	tb.Helper()
	sess, err := postgres.NewSessions(db).Create(context.Background(), userID, auth.TokenTTL)
	if err != nil {
		tb.Fatal(err)
	}
	token, err := tokens.Issue(userID, email, sess.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return token
}

// Package igsynctest runs the whole server for tests of the Instagram
// connection and sync: the real router on an httptest.Server with real
// services on a fresh PostgreSQL database, the sandbox Instagram on its own
// httptest.Server, and a worker pool with tiny intervals. Every log line
// goes, as JSON, into one buffer, and every token the sandbox issues is
// recorded, so that tests can look for secrets where they must not be.
package igsynctest

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"
	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/testlog"
	"creatorgrowth/internal/worker"
)

// Secrets and settings of the test configuration.
const (
	JWTSecret    = "igsync-test-jwt-secret-0123456789abcdef-xyz"
	FrontendURL  = "http://app.example.test"
	ClientID     = "test-client-4242"
	ClientSecret = "test-client-secret-do-not-log-3c5e7a"
	// EncryptionKey is 32 bytes, base64.
	EncryptionKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
)

// Options tune New. Zero values take the defaults.
type Options struct {
	// MaxPosts is INSTAGRAM_MAX_POSTS (default 1000).
	MaxPosts int
	// Accounts are the sandbox accounts (default the sandbox's two).
	Accounts []sandbox.AccountSpec
	// EmptyPageEvery is passed to the sandbox (default: its own, 4).
	EmptyPageEvery int
	// Now is the sandbox clock (default time.Now).
	Now func() time.Time
	// ClientTimeout is the Instagram client's per-request deadline (default 2 s).
	ClientTimeout time.Duration
	// NoPool leaves the worker pool unstarted; StartPool starts one.
	NoPool bool
	// PoolOptions replace the pool's fast test options.
	PoolOptions *worker.Options
	// SMTPURL, when set, is SMTP_URL: the server mails through it (an
	// internal/smtptest server).
	SMTPURL string
	// Sandbox, when set, adjusts the sandbox options (InsightsDelay, RateLimit,
	// Latency, LiveFollowers, IsLinked...) before the sandbox starts.
	Sandbox func(*sandbox.Options)
	// Insights replaces the Instagram client as the reader of the posts'
	// insights (e.g. a *FakeInsights); nil: the client, on the sandbox.
	Insights igsync.InsightsReader
	// Usage is the book the server reads the accounts' usage from; a
	// FakeInsights reports to it (default: the server's own).
	Usage *igsync.UsageBook
	// InsightsNow is the server's clock (the insights ladder and budget,
	// the reports); default time.Now.
	InsightsNow func() time.Time
	// SandboxRequest, when set, is told of every request the sandbox
	// serves, before it serves it.
	SandboxRequest func(*http.Request)
}

// Harness is a running server with its sandbox, database and pool.
type Harness struct {
	T        testing.TB
	URL      string // the API server
	Server   *httptest.Server
	Sandbox  *sandbox.Sandbox
	SBServer *httptest.Server
	DB       *sql.DB
	Config   *config.Config
	Service  *igsync.Service
	Jobs     *postgres.Jobs
	Logs     *testlog.Buffer
	Logger   *slog.Logger
	Tokens   *auth.Tokens

	opts Options
	seen *secretSet
	wake *worker.Wake
	// handlers are the jobs the server runs (app.App.Handlers).
	handlers map[string]worker.Handler
	http     *http.Client
	bodies   testlog.Buffer
}

// FastPoolOptions are the worker options of the harness.
func FastPoolOptions() worker.Options {
	return worker.Options{PollInterval: 20 * time.Millisecond, BaseBackoff: 10 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond, Lease: 2 * time.Second}
}

// New starts a harness; everything stops when the test ends.
func New(t testing.TB, o Options) *Harness {
	t.Helper()
	if o.MaxPosts == 0 {
		o.MaxPosts = 1000
	}
	if o.ClientTimeout == 0 {
		o.ClientTimeout = 2 * time.Second
	}
	h := &Harness{T: t, DB: testdb.New(t), Logs: &testlog.Buffer{}, opts: o, seen: &secretSet{}}
	h.Logger = slog.New(slog.NewJSONHandler(h.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	// The API server starts first so that its URL can be the redirect URI.
	var handler atomic.Value
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.Load().(http.Handler).ServeHTTP(w, r)
	}))
	t.Cleanup(h.Server.Close)
	h.URL = h.Server.URL
	redirectURI := h.URL + "/auth/instagram/callback"

	sbOpts := sandbox.Options{
		ClientID: ClientID, ClientSecret: ClientSecret, RedirectURIs: []string{redirectURI},
		Seed: 7, Now: o.Now, Accounts: o.Accounts, EmptyPageEvery: o.EmptyPageEvery,
	}
	if o.Sandbox != nil {
		o.Sandbox(&sbOpts)
	}
	h.Sandbox = sandbox.New(sbOpts)
	var sb http.Handler = h.Sandbox
	if o.SandboxRequest != nil {
		sb = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			o.SandboxRequest(r)
			h.Sandbox.ServeHTTP(w, r)
		})
	}
	h.SBServer = httptest.NewServer(sb)
	t.Cleanup(h.SBServer.Close)
	h.Sandbox.SetBaseURL(h.SBServer.URL)

	env := map[string]string{
		"APP_ENV": "test", "DATABASE_URL": "postgres://unused", "JWT_SECRET": JWTSecret,
		"TOKEN_ENCRYPTION_KEY": EncryptionKey, "FRONTEND_URL": FrontendURL, "PUBLIC_URL": h.URL,
		"INSTAGRAM_CLIENT_ID": ClientID, "INSTAGRAM_CLIENT_SECRET": ClientSecret,
		"INSTAGRAM_REDIRECT_URI": redirectURI, "INSTAGRAM_AUTH_URL": h.SBServer.URL + "/oauth/authorize",
		"INSTAGRAM_API_URL": h.SBServer.URL, "INSTAGRAM_GRAPH_URL": h.SBServer.URL,
		"INSTAGRAM_MAX_POSTS": strconv.Itoa(o.MaxPosts), "SMTP_URL": o.SMTPURL,
		"MAIL_FROM": "Creator Growth Tool <no-reply@example.com>",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	h.Config = cfg
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)
	high := limiter.Rate{Period: time.Minute, Limit: 100_000}
	a, err := app.New(cfg, h.DB, h.Logger, app.Options{
		Hasher:   auth.NewHasher(bcrypt.MinCost, 8),
		Insights: o.Insights,
		Usage:    o.Usage,
		Now:      o.InsightsNow,
		Limits:   &httpapi.Limits{Login: high, Waitlist: high, AdminFailed: high, PublicReport: high},
		Instagram: app.InstagramOptions{
			HTTPClient:  &http.Client{Transport: &recorder{next: transport, seen: h.seen}, Timeout: o.ClientTimeout},
			MaxRetries:  2,
			BaseBackoff: 2 * time.Millisecond,
			MaxBackoff:  10 * time.Millisecond,
		},
	})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	h.Service, h.Jobs, h.Tokens, h.wake, h.handlers = a.Instagram, a.Jobs, a.Tokens, a.Wake, a.Handlers
	handler.Store(a.Handler)

	h.http = &http.Client{
		Timeout:       15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(h.http.CloseIdleConnections)
	if !o.NoPool {
		h.StartPool()
	}
	return h
}

// StartPool starts a worker pool running the server's job handlers on
// the harness's database, stopped when the test ends (or by StopPool).
func (h *Harness) StartPool() *worker.Pool {
	return h.StartPoolWith(h.handlers)
}

// StartPoolWith starts a pool running handlers.
func (h *Harness) StartPoolWith(handlers map[string]worker.Handler) *worker.Pool {
	opts := FastPoolOptions()
	if h.opts.PoolOptions != nil {
		opts = *h.opts.PoolOptions
	}
	opts.Wake = h.wake // enqueues wake every pool the harness runs
	p := worker.New(h.Jobs, handlers, h.Logger, opts)
	p.Start(context.Background())
	h.T.Cleanup(p.Stop)
	return p
}

// Issued returns every access token the sandbox handed to the client.
func (h *Harness) Issued() []string { return h.seen.list() }

// Remember adds secrets (codes, tokens) to those Issued returns.
func (h *Harness) Remember(secrets ...string) {
	for _, s := range secrets {
		h.seen.add(s)
	}
}

type secretSet struct {
	mu   sync.Mutex
	vals []string
	set  map[string]bool
}

func (s *secretSet) add(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set == nil {
		s.set = map[string]bool{}
	}
	if v != "" && !s.set[v] {
		s.set[v] = true
		s.vals = append(s.vals, v)
	}
}

func (s *secretSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.vals...)
}

// recorder is a RoundTripper that records the access tokens in the bodies
// of the sandbox's answers.
type recorder struct {
	next http.RoundTripper
	seen *secretSet
}

var accessTokenRE = regexp.MustCompile(`"access_token"\s*:\s*"([^"]+)"`)

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	for _, m := range accessTokenRE.FindAllSubmatch(body, -1) {
		r.seen.add(string(m[1]))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

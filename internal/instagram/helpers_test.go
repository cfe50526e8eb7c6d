package instagram

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/testlog"
)

const (
	testClientID     = "app-123"
	testClientSecret = "s3cr3t-app-secret-value"
	testRedirectURI  = "https://app.example.com/auth/instagram/callback"
)

// testClock is an adjustable clock for the sandbox.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a sandbox served by httptest and a client pointed at it.
type env struct {
	sb     *sandbox.Sandbox
	srv    *httptest.Server
	client *Client
	clock  *testClock
	logs   *testlog.Buffer
}

// newEnv starts a sandbox with accounts (empty: the defaults) and a client with
// tiny backoffs. tweak may adjust the client config.
func newEnv(t testing.TB, accounts []sandbox.AccountSpec, tweak func(*Config)) *env {
	t.Helper()
	return newEnvOpts(t, sandbox.Options{}, accounts, tweak)
}

// authorize submits the sandbox consent form for userID and returns the code
// exactly as it arrives in the redirect, "#_" included.
func (e *env) authorize(t testing.TB, userID string) string {
	t.Helper()
	form := url.Values{
		"client_id": {testClientID}, "redirect_uri": {testRedirectURI}, "response_type": {"code"},
		"scope": {"instagram_business_basic,instagram_business_manage_insights"}, "state": {"st"},
		"account": {userID}, "action": {"allow"},
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(e.srv.URL+"/oauth/authorize", form)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query().Get("code") + "#" + loc.Fragment
}

// longToken runs code → short → long for userID.
func (e *env) longToken(t testing.TB, userID string) string {
	t.Helper()
	ctx := context.Background()
	short, err := e.client.ExchangeCode(ctx, e.authorize(t, userID))
	if err != nil {
		t.Fatalf("ExchangeCode: %v", err)
	}
	long, err := e.client.ExchangeLongLived(ctx, short.AccessToken)
	if err != nil {
		t.Fatalf("ExchangeLongLived: %v", err)
	}
	return long.AccessToken
}

// collect pages through all media of token.
func (e *env) collect(t testing.TB, token string, max int) ([]Media, []SkippedMedia, int, error) {
	t.Helper()
	var items []Media
	var skipped []SkippedMedia
	pages := 0
	err := e.client.Media(context.Background(), token, max, func(p MediaPage) error {
		pages++
		items = append(items, p.Items...)
		skipped = append(skipped, p.Skipped...)
		return nil
	})
	return items, skipped, pages, err
}

// manyPosts makes n explicit posts, newest first, one hour apart.
func manyPosts(n int, newest time.Time) []sandbox.Post {
	posts := make([]sandbox.Post, n)
	for i := range posts {
		likes := i % 97
		posts[i] = sandbox.Post{
			ID:        fmt.Sprintf("1790000000%07d", i),
			Caption:   fmt.Sprintf("post %d #test", i),
			Timestamp: newest.Add(-time.Duration(i) * time.Hour), LikeCount: &likes, CommentsCount: i % 13,
		}
	}
	return posts
}

// newEnvOpts is newEnv with sandbox options (the credentials, seed, clock and
// accounts are set here).
func newEnvOpts(t testing.TB, opts sandbox.Options, accounts []sandbox.AccountSpec, tweak func(*Config)) *env {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	opts.ClientID, opts.ClientSecret, opts.Seed, opts.Now, opts.Accounts = testClientID, testClientSecret, 42, clock.Now, accounts
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	sb.SetBaseURL(srv.URL)
	logs := &testlog.Buffer{}
	cfg := Config{
		ClientID: testClientID, ClientSecret: testClientSecret, RedirectURI: testRedirectURI,
		AuthURL: srv.URL + "/oauth/authorize", APIURL: srv.URL, GraphURL: srv.URL,
		HTTPClient:  &http.Client{Timeout: 5 * time.Second},
		BaseBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	return &env{sb: sb, srv: srv, client: NewClient(cfg), clock: clock, logs: logs}
}

package httpapi_test

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/ulule/limiter/v3"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// rpPublicURL is the PUBLIC_URL of the reports tests.
const rpPublicURL = "https://growth.example.test"

// rpIndex is the web app's index.html in the reports tests.
const rpIndex = `<!doctype html><html><head><meta charset="UTF-8" /><title>Creator Growth Tool</title></head>` +
	`<body><div id="root"></div></body></html>`

// rpClock is the app's clock in the reports tests: a fixed instant that a
// test moves.
type rpClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *rpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *rpClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// rpEnv is the real router, through app.New, on a fresh database, with a
// clock the test moves, the web app's index.html and a way to mint users,
// accounts and posts.
type rpEnv struct {
	h      http.Handler
	db     *sql.DB
	tokens *auth.Tokens
	clock  *rpClock
}

// rpUser is a user of the reports tests.
type rpUser struct{ id, email, token string }

func newRPEnv(t *testing.T, limits *httpapi.Limits) *rpEnv {
	t.Helper()
	env := map[string]string{
		"APP_ENV":              "test",
		"DATABASE_URL":         "postgres://unused",
		"JWT_SECRET":           "reports-test-jwt-secret-0123456789abcdef",
		"TOKEN_ENCRYPTION_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
		"PUBLIC_URL":           rpPublicURL,
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	if limits == nil {
		l := highLimits()
		limits = &l
	}
	clock := &rpClock{now: time.Now().UTC().Truncate(time.Second)}
	db := testdb.New(t)
	a, err := app.New(cfg, db, slog.New(slog.DiscardHandler), app.Options{
		Hasher: auth.NewHasher(4, 2),
		Limits: limits,
		Now:    clock.Now,
		SPA:    fstest.MapFS{"index.html": {Data: []byte(rpIndex)}},
	})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	return &rpEnv{h: a.Handler, db: db, tokens: a.Tokens, clock: clock}
}

// rpLimits are highLimits with the public reports' limit at n a minute.
func rpLimits(n int64) *httpapi.Limits {
	l := highLimits()
	l.PublicReport = limiter.Rate{Period: time.Minute, Limit: n}
	return &l
}

func (e *rpEnv) user(t *testing.T) rpUser {
	t.Helper()
	u := rpUser{email: "creator-" + uuid.NewString()[:8] + "@example.test"}
	if err := e.db.QueryRowContext(context.Background(),
		`INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`, u.email).Scan(&u.id); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	sess, err := postgres.NewSessions(e.db).Create(context.Background(), u.id, auth.TokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	if u.token, err = e.tokens.Issue(u.id, u.email, sess.ID); err != nil {
		t.Fatal(err)
	}
	return u
}

// account links an account named username to the user, connected at
// connectedAt, with 1200 followers.
func (e *rpEnv) account(t *testing.T, u rpUser, username string, connectedAt time.Time) string {
	t.Helper()
	var id string
	err := e.db.QueryRowContext(context.Background(), `INSERT INTO instagram_accounts
		(user_id, ig_user_id, username, access_token, followers, created_at)
		VALUES ($1, $2, $3, 'ciphertext', 1200, $4) RETURNING id`,
		u.id, uuid.NewString(), username, connectedAt).Scan(&id)
	if err != nil {
		t.Fatalf("insert account: %v", err)
	}
	return id
}

// rpPost is a post to store; a nil Likes is a hidden like count.
type rpPost struct {
	Caption  string
	Likes    *int64
	Comments int64
	PostedAt time.Time
}

func likes(n int64) *int64 { return &n }

// posts stores the posts on the account and returns their ids, in order.
func (e *rpEnv) posts(t *testing.T, accountID string, posts ...rpPost) []string {
	t.Helper()
	ids := make([]string, len(posts))
	for i, p := range posts {
		err := e.db.QueryRowContext(context.Background(), `INSERT INTO instagram_posts (account_id, ig_post_id, caption,
			media_type, permalink, like_count, comments_count, posted_at, hashtags)
			VALUES ($1, $2, $3, 'IMAGE', $4, $5, $6, $7, $8) RETURNING id`,
			accountID, "179"+strings.ReplaceAll(uuid.NewString(), "-", ""), p.Caption, "https://www.instagram.com/p/"+uuid.NewString()[:8]+"/",
			p.Likes, p.Comments, p.PostedAt, "{"+joinTags(growth.ExtractHashtags(p.Caption))+"}").Scan(&ids[i])
		if err != nil {
			t.Fatalf("insert post: %v", err)
		}
	}
	return ids
}

func joinTags(tags []string) string {
	out := ""
	for i, tag := range tags {
		if i > 0 {
			out += ","
		}
		out += `"` + tag + `"`
	}
	return out
}

// do sends a request as the user (none when u is nil) and records it.
func (e *rpEnv) do(t *testing.T, method, path string, body any, u *rpUser, opts ...reqOpt) response {
	t.Helper()
	if u != nil {
		opts = append(opts, bearer(u.token))
	}
	return doJSON(t, e.h, method, path, body, opts...)
}

// raw sends GET path as the user and returns the recorder.
func (e *rpEnv) raw(t *testing.T, path string, u *rpUser, opts ...reqOpt) *httptest.ResponseRecorder {
	t.Helper()
	req := jsonRequest(t, http.MethodGet, path, nil)
	if u != nil {
		req.Header.Set("Authorization", "Bearer "+u.token)
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/testdb"
)

// adviceEnv is the real app on a fresh database, with a way to mint
// users, accounts, posts and follower snapshots.
type adviceEnv struct {
	app *app.App
	db  *sql.DB
}

func newAdviceEnv(t *testing.T) *adviceEnv {
	t.Helper()
	return newAdviceEnvAt(t, nil)
}

// newAdviceEnvAt is newAdviceEnv with the app's clock now (nil: time.Now).
func newAdviceEnvAt(t *testing.T, now func() time.Time) *adviceEnv {
	t.Helper()
	env := map[string]string{
		"APP_ENV":              "test",
		"DATABASE_URL":         "postgres://unused",
		"JWT_SECRET":           "advice-test-jwt-secret-0123456789abcdef",
		"TOKEN_ENCRYPTION_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	db := testdb.New(t)
	a, err := app.New(cfg, db, slog.New(slog.DiscardHandler), app.Options{Hasher: auth.NewHasher(4, 2), Now: now})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	return &adviceEnv{app: a, db: db}
}

// user inserts a user and returns its id and a valid token.
func (e *adviceEnv) user(t *testing.T) (string, string) {
	t.Helper()
	email := uuid.NewString() + "@example.test"
	var id string
	if err := e.db.QueryRowContext(context.Background(),
		`INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`, email).Scan(&id); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	return id, sessionToken(t, e.db, e.app.Tokens, id, email)
}

// account links an account with followers to the user.
func (e *adviceEnv) account(t *testing.T, userID string, followers int64) string {
	t.Helper()
	var id string
	if err := e.db.QueryRowContext(context.Background(), `INSERT INTO instagram_accounts (user_id, ig_user_id, access_token, followers)
		VALUES ($1, $2, 'ciphertext', $3) RETURNING id`, userID, uuid.NewString(), followers).Scan(&id); err != nil {
		t.Fatalf("insert account: %v", err)
	}
	return id
}

// seedPost is a post to insert, posted age ago.
type seedPost struct {
	mediaType, permalink, caption string
	likes                         int
	age                           time.Duration
}

// posts inserts the posts of the account and returns their ids.
func (e *adviceEnv) posts(t *testing.T, accountID string, ps ...seedPost) []string {
	t.Helper()
	ids := make([]string, len(ps))
	for i, p := range ps {
		err := e.db.QueryRowContext(context.Background(), `INSERT INTO instagram_posts (account_id, ig_post_id, caption,
			media_type, permalink, like_count, comments_count, posted_at)
			VALUES ($1, $2, $3, $4, $5, $6, 0, now() - $7 * interval '1 second') RETURNING id`,
			accountID, uuid.NewString(), p.caption, p.mediaType, p.permalink, p.likes, p.age.Seconds()).Scan(&ids[i])
		if err != nil {
			t.Fatalf("insert post: %v", err)
		}
	}
	return ids
}

// snapshot records followers taken at at, filed under taken_on.
func (e *adviceEnv) snapshot(t *testing.T, accountID string, takenOn string, followers int64, at time.Time) {
	t.Helper()
	if _, err := e.db.ExecContext(context.Background(), `INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
		VALUES ($1, $2::date, $3, $4)`, accountID, takenOn, followers, at); err != nil {
		t.Fatalf("insert snapshot: %v", err)
	}
}

// do sends a request with the token (none when empty) and decodes a JSON
// answer.
func (e *adviceEnv) do(t *testing.T, method, path, token string, body any) (int, map[string]any, string) {
	t.Helper()
	req := jsonRequest(t, method, path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.app.Handler.ServeHTTP(rec, req)
	var out map[string]any
	if rec.Code != http.StatusNoContent {
		if got, want := rec.Header().Get("Content-Type"), "application/json; charset=utf-8"; got != want {
			t.Errorf("%s %s: Content-Type = %q, want %q", method, path, got, want)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, rec.Body.String(), err)
		}
	}
	return rec.Code, out, rec.Body.String()
}

// wantAdviceError checks a contract error answer.
func wantAdviceError(t *testing.T, what string, status int, body map[string]any, raw string, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || body["code"] != wantCode || body["error"] == "" || len(body) != 2 {
		t.Errorf("%s: %d %s, want %d %s", what, status, strings.TrimSpace(raw), wantStatus, wantCode)
	}
}

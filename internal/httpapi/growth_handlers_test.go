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

	"github.com/google/uuid"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// growthEnv is the real router with the growth service on a fresh
// database, and a way to mint users and their tokens.
type growthEnv struct {
	h      http.Handler
	db     *sql.DB
	tokens *auth.Tokens
}

func newGrowthEnv(t *testing.T) *growthEnv {
	t.Helper()
	env := map[string]string{
		"APP_ENV":              "test",
		"DATABASE_URL":         "postgres://unused",
		"JWT_SECRET":           "growth-test-jwt-secret-0123456789abcdef",
		"TOKEN_ENCRYPTION_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	db := testdb.New(t)
	a, err := app.New(cfg, db, slog.New(slog.DiscardHandler), app.Options{Hasher: auth.NewHasher(4, 2)})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	return &growthEnv{h: a.Handler, db: db, tokens: a.Tokens}
}

// user inserts a user and returns its id and a valid token.
func (e *growthEnv) user(t *testing.T) (string, string) {
	t.Helper()
	email := uuid.NewString() + "@example.test"
	var id string
	if err := e.db.QueryRowContext(context.Background(),
		`INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`, email).Scan(&id); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	sess, err := postgres.NewSessions(e.db).Create(context.Background(), id, auth.TokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	token, err := e.tokens.Issue(id, email, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	return id, token
}

// account links an Instagram account to the user, connected at
// connectedAt, with one post per entry of likes, posted hours ago.
func (e *growthEnv) account(t *testing.T, userID string, connectedAt time.Time, likes ...int) string {
	t.Helper()
	ctx := context.Background()
	var id string
	err := e.db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, access_token, followers, created_at)
		VALUES ($1, $2, 'ciphertext', 1000, $3) RETURNING id`, userID, uuid.NewString(), connectedAt).Scan(&id)
	if err != nil {
		t.Fatalf("insert account: %v", err)
	}
	for i, l := range likes {
		caption := "#Growth day"
		_, err := e.db.ExecContext(ctx, `INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type,
			like_count, comments_count, posted_at, hashtags)
			VALUES ($1, $2, $3, 'IMAGE', $4, 1, now() - $5 * interval '1 hour', $6)`,
			id, uuid.NewString(), caption, l, i+1, "{"+strings.Join(growth.ExtractHashtags(caption), ",")+"}")
		if err != nil {
			t.Fatalf("insert post: %v", err)
		}
	}
	return id
}

// get sends GET path with the token and decodes the JSON answer.
func (e *growthEnv) get(t *testing.T, path, token string) (int, map[string]any, string) {
	t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if got, want := rec.Header().Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("GET %s: Content-Type = %q, want %q", path, got, want)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("GET %s: decode %q: %v", path, rec.Body.String(), err)
	}
	return rec.Code, body, rec.Body.String()
}

func TestGrowthStats(t *testing.T) {
	e := newGrowthEnv(t)
	userID, token := e.user(t)
	older := e.account(t, userID, time.Now().Add(-48*time.Hour), 10, 20)
	newest := e.account(t, userID, time.Now().Add(-time.Hour), 100, 200, 300)
	otherID, otherToken := e.user(t)
	others := e.account(t, otherID, time.Now(), 5)
	_, lonelyToken := e.user(t)

	t.Run("OK", func(t *testing.T) {
		status, body, raw := e.get(t, "/api/growth/stats", token)
		if status != http.StatusOK {
			t.Fatalf("status = %d, body %s", status, raw)
		}
		if got, want := body["period_days"], 30.0; got != want {
			t.Errorf("period_days = %v, want %v", got, want)
		}
		// The most recently connected account, by default.
		if got, want := body["total_posts"], 3.0; got != want {
			t.Errorf("total_posts = %v, want %v", got, want)
		}
		if got, want := body["total_likes"], 600.0; got != want {
			t.Errorf("total_likes = %v, want %v", got, want)
		}
		if got, want := body["message"], "🔥 You're on fire! Engagement is way up."; got != want {
			t.Errorf("message = %v, want %v", got, want)
		}
		for _, k := range []string{"period_start", "period_end"} {
			s, _ := body[k].(string)
			if _, err := time.Parse(time.RFC3339, s); err != nil || !strings.HasSuffix(s, "Z") || strings.Contains(s, ".") {
				t.Errorf("%s = %q, want an RFC 3339 UTC time in whole seconds", k, s)
			}
		}
		if daily, _ := body["daily"].([]any); len(daily) != 31 {
			t.Errorf("daily has %d entries, want 31", len(daily))
		}
		tags, _ := body["top_hashtags"].([]any)
		if len(tags) != 1 || tags[0].(map[string]any)["tag"] != "#growth" {
			t.Errorf("top_hashtags = %v, want #growth", body["top_hashtags"])
		}
		best, _ := body["best_post"].(map[string]any)
		if best == nil || best["like_count"] != 300.0 {
			t.Errorf("best_post = %v, want the post with 300 likes", body["best_post"])
		}
	})

	t.Run("PeriodAndZone", func(t *testing.T) {
		status, body, raw := e.get(t, "/api/growth/stats?period=7&tz=Australia/Lord_Howe&account_id="+older, token)
		if status != http.StatusOK {
			t.Fatalf("status = %d, body %s", status, raw)
		}
		if body["period_days"] != 7.0 || body["total_posts"] != 2.0 || body["total_likes"] != 30.0 {
			t.Errorf("period_days %v, total_posts %v, total_likes %v; want 7, 2, 30",
				body["period_days"], body["total_posts"], body["total_likes"])
		}
		if daily, _ := body["daily"].([]any); len(daily) < 7 || len(daily) > 9 {
			t.Errorf("daily has %d entries, want about 8", len(daily))
		}
	})

	t.Run("EveryPeriod", func(t *testing.T) {
		for _, p := range []string{"7", "14", "30", "90"} {
			if status, _, raw := e.get(t, "/api/growth/stats?period="+p+"&tz=Europe/Berlin", token); status != http.StatusOK {
				t.Errorf("period %s: status %d, body %s", p, status, raw)
			}
		}
	})

	t.Run("ReusedReportFollowsNewPosts", func(t *testing.T) {
		uid, tok := e.user(t)
		acc := e.account(t, uid, time.Now(), 40)
		for i := range 3 {
			_, body, _ := e.get(t, "/api/growth/stats?period=7", tok)
			if body["total_posts"] != float64(1+i) {
				t.Fatalf("request %d: total_posts = %v, want %d", i, body["total_posts"], 1+i)
			}
			// Within the same second: only the account's data version
			// tells the reused report apart from the new one.
			if _, err := e.db.ExecContext(context.Background(), `INSERT INTO instagram_posts
				(account_id, ig_post_id, like_count, comments_count, posted_at) VALUES ($1, $2, 1, 0, now() - interval '1 minute')`,
				acc, uuid.NewString()); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("ErrInvalidPeriod", func(t *testing.T) {
		for _, p := range []string{"abc", "30.0", "", "-7", "0", "8", "07", "+7", "7 ", "1e1", "365", "30&period=7"} {
			status, body, _ := e.get(t, "/api/growth/stats?period="+url.QueryEscape(p), token)
			if status != http.StatusBadRequest || body["code"] != "invalid_period" || body["error"] == "" {
				t.Errorf("period %q: %d %v, want 400 invalid_period", p, status, body)
			}
		}
		// Checked before the account: a user without one still gets 400.
		if status, body, _ := e.get(t, "/api/growth/stats?period=31", lonelyToken); status != http.StatusBadRequest || body["code"] != "invalid_period" {
			t.Errorf("no account, period 31: %d %v, want 400 invalid_period", status, body)
		}
	})

	t.Run("ErrInvalidTimeZone", func(t *testing.T) {
		for _, tz := range []string{"Mars/Olympus", "Local", "localtime", "", "../../etc/passwd", "/etc/localtime",
			"Europe/Berlin/..", "UTC' OR '1'='1", strings.Repeat("x", 300)} {
			status, body, _ := e.get(t, "/api/growth/stats?tz="+url.QueryEscape(tz), token)
			msg, _ := body["error"].(string)
			if status != http.StatusBadRequest || body["code"] != "invalid_request" || !strings.Contains(msg, "IANA time zone") {
				t.Errorf("tz %q: %d %v, want 400 invalid_request about the time zone", tz, status, body)
			}
		}
	})

	t.Run("ErrOtherUsersAccount", func(t *testing.T) {
		status, body, _ := e.get(t, "/api/growth/stats?account_id="+others, token)
		if status != http.StatusNotFound || body["code"] != "no_instagram_account" {
			t.Errorf("%d %v, want 404 no_instagram_account", status, body)
		}
		// The owner sees it.
		if status, _, raw := e.get(t, "/api/growth/stats?account_id="+others, otherToken); status != http.StatusOK {
			t.Errorf("owner: %d %s, want 200", status, raw)
		}
		// Naming one's own account explicitly works like the default.
		if status, body, _ := e.get(t, "/api/growth/stats?account_id="+newest, token); status != http.StatusOK || body["total_posts"] != 3.0 {
			t.Errorf("own account: %d %v, want 200 with 3 posts", status, body["total_posts"])
		}
	})

	t.Run("ErrNoAccount", func(t *testing.T) {
		status, body, _ := e.get(t, "/api/growth/stats", lonelyToken)
		if status != http.StatusNotFound || body["code"] != "no_instagram_account" {
			t.Errorf("%d %v, want 404 no_instagram_account", status, body)
		}
	})

	t.Run("ErrBadAccountID", func(t *testing.T) {
		status, body, _ := e.get(t, "/api/growth/stats?account_id=nope", token)
		if status != http.StatusBadRequest || body["code"] != "invalid_request" {
			t.Errorf("%d %v, want 400 invalid_request", status, body)
		}
	})

	t.Run("ErrUnauthorized", func(t *testing.T) {
		status, body, _ := e.get(t, "/api/growth/stats", "")
		if status != http.StatusUnauthorized || body["code"] != "unauthorized" {
			t.Errorf("%d %v, want 401 unauthorized", status, body)
		}
	})
}

package httpapi_test

import (
	"context"
	"database/sql"
	"net/http"
	"slices"
	"testing"
	"time"

	"creatorgrowth/internal/testdb"
)

// replicas are two servers on one database, each with its own session
// cache and listener, as two replicas of the binary run.
type replicas struct {
	db   *sql.DB
	a, b *testAPI
}

func newReplicas(t *testing.T) replicas {
	t.Helper()
	db, url := testdb.NewWithURL(t)
	r := replicas{db: db}
	for _, p := range []**testAPI{&r.a, &r.b} {
		api := newTestAPI(t, withDB(db), withEnv("DATABASE_URL", url), withLimits(highLimits()))
		api.app.Sessions.Start(context.Background())
		t.Cleanup(api.app.Sessions.Stop)
		*p = api
	}
	waitLive(t, r.a, true)
	waitLive(t, r.b, true)
	return r
}

// waitLive waits until the server's session cache is (or is not) in use.
func waitLive(t *testing.T, api *testAPI, live bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); api.app.Sessions.Live() != live; {
		if time.Now().After(deadline) {
			t.Fatalf("session cache live = %v after 10 s, want %v", !live, live)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// warm reads path on api until an answer comes from the session cache:
// a notification of an earlier change (the test's own setup) may still
// drop the first copy.
func warm(t *testing.T, api *testAPI, path, token string, status int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		hits, _, _ := api.app.Sessions.Counts()
		if res := api.do(t, http.MethodGet, path, nil, bearer(token)); res.Status != status {
			t.Fatalf("GET %s: %d %s, want %d", path, res.Status, res.Raw, status)
		}
		if after, _, _ := api.app.Sessions.Counts(); after == hits+1 {
			return
		}
	}
	t.Fatalf("GET %s: no answer from the session cache in 5 s", path)
}

// until polls api with GET path until ok holds of its answer and returns
// how long that took; it fails after a deadline of several seconds (the
// contract allows one; the deadline only keeps a broken build from
// hanging).
func until(t *testing.T, api *testAPI, path, token string, ok func(response) bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		res := api.do(t, http.MethodGet, path, nil, bearer(token))
		if ok(res) {
			return time.Since(start)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("GET %s: still %d %s after 5 s", path, res.Status, res.Raw)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func status(code int) func(response) bool {
	return func(res response) bool { return res.Status == code }
}

// delays collects how long the other replica took to see each change.
type delays []time.Duration

func (d delays) report(t *testing.T) {
	t.Helper()
	s := slices.Clone(d)
	slices.Sort(s)
	t.Logf("changes seen by the other replica: %d, p50 %v, max %v", len(s), s[len(s)/2], s[len(s)-1])
}

// TestSessionCache_Replicas makes a change on one replica and requires
// the other, which holds a cached copy of the session read, to see it.
func TestSessionCache_Replicas(t *testing.T) {
	r := newReplicas(t)
	var seen delays
	const password = "correct horse battery"
	login := func(t *testing.T, email string) string {
		t.Helper()
		res := r.a.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": email, "password": password})
		if res.Status != http.StatusOK {
			t.Fatalf("login: %d %s", res.Status, res.Raw)
		}
		return res.Body["token"].(string)
	}

	t.Run("Logout", func(t *testing.T) {
		token, _ := r.a.register(t, "logout@example.com", password)
		other := login(t, "logout@example.com")
		warm(t, r.b, "/api/user/me", token, http.StatusOK)
		warm(t, r.b, "/api/user/me", other, http.StatusOK)
		if res := r.a.do(t, http.MethodPost, "/api/auth/logout", nil, bearer(token)); res.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.Status, res.Raw)
		}
		seen = append(seen, until(t, r.b, "/api/user/me", token, status(http.StatusUnauthorized)))
		wantError(t, r.b.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)), http.StatusUnauthorized, "unauthorized")
		wantError(t, r.a.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)), http.StatusUnauthorized, "unauthorized")
		if res := r.b.do(t, http.MethodGet, "/api/user/me", nil, bearer(other)); res.Status != http.StatusOK {
			t.Errorf("the user's other session: %d %s, want 200", res.Status, res.Raw)
		}
	})

	t.Run("LogoutAll", func(t *testing.T) {
		token, _ := r.a.register(t, "logout-all@example.com", password)
		other := login(t, "logout-all@example.com")
		warm(t, r.b, "/api/user/me", other, http.StatusOK)
		if res := r.a.do(t, http.MethodPost, "/api/auth/logout-all", nil, bearer(token)); res.Status != http.StatusNoContent {
			t.Fatalf("logout-all: %d %s", res.Status, res.Raw)
		}
		seen = append(seen, until(t, r.b, "/api/user/me", other, status(http.StatusUnauthorized)))
		wantError(t, r.b.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)), http.StatusUnauthorized, "unauthorized")
	})

	t.Run("PasswordChange", func(t *testing.T) {
		token, _ := r.a.register(t, "password@example.com", password)
		warm(t, r.b, "/api/user/me", token, http.StatusOK)
		res := r.a.do(t, http.MethodPost, "/api/user/password", map[string]string{"current_password": password, "new_password": "another horse battery"}, bearer(token))
		if res.Status != http.StatusOK {
			t.Fatalf("password: %d %s", res.Status, res.Raw)
		}
		fresh := res.Body["token"].(string)
		seen = append(seen, until(t, r.b, "/api/user/me", token, status(http.StatusUnauthorized)))
		if res := r.b.do(t, http.MethodGet, "/api/user/me", nil, bearer(fresh)); res.Status != http.StatusOK {
			t.Errorf("the new session: %d %s, want 200", res.Status, res.Raw)
		}
	})

	t.Run("Settings", func(t *testing.T) {
		token, _ := r.a.register(t, "settings@example.com", password)
		warm(t, r.b, "/api/user/me", token, http.StatusOK)
		res := r.a.do(t, http.MethodPatch, "/api/user/me", map[string]any{"timezone": "Europe/Berlin"}, bearer(token))
		if res.Status != http.StatusOK {
			t.Fatalf("settings: %d %s", res.Status, res.Raw)
		}
		// The replica that made the change shows it at once.
		if res := r.a.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)); res.Body["timezone"] != "Europe/Berlin" {
			t.Errorf("timezone on the same replica = %v, want Europe/Berlin", res.Body["timezone"])
		}
		seen = append(seen, until(t, r.b, "/api/user/me", token, func(res response) bool { return res.Body["timezone"] == "Europe/Berlin" }))
	})

	t.Run("AccountDeletion", func(t *testing.T) {
		token, _ := r.a.register(t, "delete@example.com", password)
		warm(t, r.b, "/api/user/me", token, http.StatusOK)
		res := r.a.do(t, http.MethodDelete, "/api/user/me", map[string]string{"password": password}, bearer(token))
		if res.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.Status, res.Raw)
		}
		seen = append(seen, until(t, r.b, "/api/user/me", token, status(http.StatusUnauthorized)))
		wantError(t, r.b.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)), http.StatusUnauthorized, "unauthorized")
	})

	t.Run("Disconnect", func(t *testing.T) {
		token, user := r.a.register(t, "disconnect@example.com", password)
		linkAccount(t, r.db, user["id"].(string), "2001")
		warm(t, r.b, "/api/growth/stats", token, http.StatusOK)
		warm(t, r.a, "/api/growth/stats", token, http.StatusOK)
		if res := r.a.do(t, http.MethodDelete, "/api/instagram/disconnect", nil, bearer(token)); res.Status != http.StatusOK && res.Status != http.StatusNoContent {
			t.Fatalf("disconnect: %d %s", res.Status, res.Raw)
		}
		// The replica that made the change shows it at once.
		wantError(t, r.a.do(t, http.MethodGet, "/api/growth/stats", nil, bearer(token)), http.StatusNotFound, "no_instagram_account")
		seen = append(seen, until(t, r.b, "/api/growth/stats", token, status(http.StatusNotFound)))
		wantError(t, r.b.do(t, http.MethodGet, "/api/growth/stats", nil, bearer(token)), http.StatusNotFound, "no_instagram_account")
	})

	t.Run("Connect", func(t *testing.T) {
		token, user := r.a.register(t, "connect@example.com", password)
		first := linkAccount(t, r.db, user["id"].(string), "3001")
		warm(t, r.b, "/api/instagram/posts", token, http.StatusOK)
		second := linkAccount(t, r.db, user["id"].(string), "3002")
		if first == second {
			t.Fatal("the two accounts have one id")
		}
		// The newest account is the one a request without account_id acts on.
		seen = append(seen, until(t, r.b, "/api/instagram/posts", token, func(res response) bool {
			acc, _ := res.Body["account"].(map[string]any)
			return res.Status == http.StatusOK && acc["id"] == second
		}))
	})

	t.Run("Sync", func(t *testing.T) {
		token, user := r.a.register(t, "sync@example.com", password)
		acc := linkAccount(t, r.db, user["id"].(string), "4001")
		const path = "/api/growth/stats?period=7"
		warm(t, r.b, path, token, http.StatusOK)
		hits, _ := r.b.app.Growth.CacheCounts()
		if res := r.b.do(t, http.MethodGet, path, nil, bearer(token)); res.Body["total_posts"] != 0.0 {
			t.Fatalf("total_posts = %v, want 0 (body %s)", res.Body["total_posts"], res.Raw)
		}
		if after, _ := r.b.app.Growth.CacheCounts(); after <= hits {
			t.Fatalf("the report was computed again (%d reused before, %d after), want it reused", hits, after)
		}
		for i, id := range []string{"s1", "s2", "s3"} {
			// A sync's batch: any writer, here the database's own client.
			if _, err := r.db.ExecContext(context.Background(), `INSERT INTO instagram_posts
				(account_id, ig_post_id, caption, media_type, like_count, comments_count, posted_at)
				VALUES ($1, $2, 'hello', 'IMAGE', 3, 1, now() - interval '1 hour')`, acc, id); err != nil {
				t.Fatal(err)
			}
			want := float64(i + 1)
			seen = append(seen, until(t, r.b, path, token, func(res response) bool { return res.Body["total_posts"] == want }))
		}
	})

	t.Run("Followers", func(t *testing.T) {
		token, user := r.a.register(t, "followers@example.com", password)
		acc := linkAccount(t, r.db, user["id"].(string), "5001")
		warm(t, r.b, "/api/instagram/accounts", token, http.StatusOK)
		warm(t, r.b, "/api/growth/stats", token, http.StatusOK)
		if _, err := r.db.ExecContext(context.Background(), `UPDATE instagram_accounts SET followers = 1234 WHERE id = $1`, acc); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, until(t, r.b, "/api/growth/stats", token, func(res response) bool { return res.Body["followers"] == 1234.0 }))
	})

	t.Run("Repeated", func(t *testing.T) {
		// More samples of the delay: a settings change seen by the other
		// replica, twenty times.
		token, _ := r.a.register(t, "repeated@example.com", password)
		zones := []string{"Europe/Berlin", "Asia/Tokyo"}
		for i := range 20 {
			warm(t, r.b, "/api/user/me", token, http.StatusOK)
			zone := zones[i%2]
			if res := r.a.do(t, http.MethodPatch, "/api/user/me", map[string]any{"timezone": zone}, bearer(token)); res.Status != http.StatusOK {
				t.Fatalf("settings: %d %s", res.Status, res.Raw)
			}
			seen = append(seen, until(t, r.b, "/api/user/me", token, func(res response) bool { return res.Body["timezone"] == zone }))
		}
	})

	seen.report(t)
}

// TestSessionCache_ListenerDown: a server whose listener cannot connect
// keeps no copies and answers every request from the database.
func TestSessionCache_ListenerDown(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	// Nothing listens on port 1: the listener never connects.
	down := newTestAPI(t, withDB(db), withEnv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"), withLimits(highLimits()))
	down.app.Sessions.Start(context.Background())
	t.Cleanup(down.app.Sessions.Stop)
	other := newTestAPI(t, withDB(db), withLimits(highLimits()))

	token, _ := other.register(t, "down@example.com", "correct horse battery")
	for range 3 {
		if res := down.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)); res.Status != http.StatusOK {
			t.Fatalf("me: %d %s", res.Status, res.Raw)
		}
	}
	if res := other.do(t, http.MethodPost, "/api/auth/logout", nil, bearer(token)); res.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", res.Status, res.Raw)
	}
	// No wait: the read goes to the database.
	wantError(t, down.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)), http.StatusUnauthorized, "unauthorized")
	if hits, misses, _ := down.app.Sessions.Counts(); hits != 0 || misses != 4 || down.app.Sessions.Len() != 0 {
		t.Errorf("session cache: %d hits, %d misses, %d kept; want 0, 4, 0", hits, misses, down.app.Sessions.Len())
	}
}

// TestSessionCache_Reconnect ends the listener's connection: the copies
// are dropped, the listener connects again, and the answers stay right.
func TestSessionCache_Reconnect(t *testing.T) {
	r := newReplicas(t)
	token, _ := r.a.register(t, "reconnect@example.com", "correct horse battery")
	warm(t, r.b, "/api/user/me", token, http.StatusOK)
	if r.b.app.Sessions.Len() == 0 {
		t.Fatal("no copy kept")
	}
	_, _, drops := r.b.app.Sessions.Counts()
	// Both listeners' connections: the test database has no other.
	if _, err := r.db.ExecContext(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN "session_cache"'`); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, _, d := r.b.app.Sessions.Counts(); d > drops && r.b.app.Sessions.Live() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the listener did not drop its copies and reconnect within 10 s")
		}
	}
	if res := r.a.do(t, http.MethodPost, "/api/auth/logout", nil, bearer(token)); res.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", res.Status, res.Raw)
	}
	until(t, r.b, "/api/user/me", token, status(http.StatusUnauthorized))
}

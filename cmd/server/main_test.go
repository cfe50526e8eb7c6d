package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/testlog"
	"creatorgrowth/migrations"
)

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// testEnv is a minimal valid environment for run.
func testEnv(databaseURL string, port int) func(string) string {
	env := map[string]string{
		"APP_ENV":              "test",
		"DATABASE_URL":         databaseURL,
		"PORT":                 strconv.Itoa(port),
		"JWT_SECRET":           "server-test-secret-server-test-secret",
		"TOKEN_ENCRYPTION_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
		"LOG_LEVEL":            "info",
	}
	return func(k string) string { return env[k] }
}

// waitHealthy polls the server's /health until it answers 200.
func waitHealthy(t *testing.T, port int, done <-chan error) {
	t.Helper()
	url := fmt.Sprintf("http://127.0.0.1:%d/health", port)
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("server on port %d stopped early: %v", port, err)
		default:
		}
		res, err := client.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on port %d not healthy after 60s (last: %v)", port, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRun_TwoInstances starts two servers at once on one empty database:
// both come up, the migrations run once, and both stop cleanly.
func TestRun_TwoInstances(t *testing.T) {
	url := testdb.Empty(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	const n = 2
	ports := []int{freePort(t), freePort(t)}
	for ports[1] == ports[0] {
		ports[1] = freePort(t)
	}
	logs := make([]*testlog.Buffer, n)
	done := make([]chan error, n)
	for i := range n {
		logs[i] = &testlog.Buffer{}
		done[i] = make(chan error, 1)
		go func() { done[i] <- run(ctx, testEnv(url, ports[i]), logs[i]) }()
	}
	for i := range n {
		waitHealthy(t, ports[i], done[i])
	}

	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantMigratedOnce(t, db)
	applying := 0
	for i := range n {
		if strings.Contains(logs[i].String(), `"msg":"migrations applied"`) {
			applying++
		}
	}
	if got, want := applying, 1; got != want {
		t.Errorf("instances that applied migrations = %d, want %d", got, want)
	}

	// Both serve the API, not only /health.
	for _, port := range ports {
		res, err := http.Post(fmt.Sprintf("http://127.0.0.1:%d/api/waitlist/signup", port), "application/json",
			strings.NewReader(`{"email":"both@example.com"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
			t.Errorf("signup on port %d: status %d", port, res.StatusCode)
		}
	}

	cancel()
	for i := range n {
		select {
		case err := <-done[i]:
			if err != nil {
				t.Errorf("run %d returned %v, want nil after a graceful shutdown", i, err)
			}
		case <-time.After(40 * time.Second):
			t.Fatalf("run %d did not return after its context ended", i)
		}
		if !strings.Contains(logs[i].String(), `"msg":"stopped"`) {
			t.Errorf("run %d did not log its stop:\n%s", i, logs[i])
		}
	}
	for _, port := range ports {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			c.Close()
			t.Errorf("port %d still accepts connections after shutdown", port)
		}
	}
}

// wantMigratedOnce checks that every embedded migration is recorded once
// and that the seed's tables exist.
func wantMigratedOnce(t *testing.T, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range names {
		want = append(want, strings.TrimSuffix(n, ".sql"))
	}
	slices.Sort(want)
	rows, err := db.QueryContext(ctx, `SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v string
		var count int
		if err := rows.Scan(&v, &count); err != nil {
			t.Fatal(err)
		}
		if count != 1 {
			t.Errorf("version %s recorded %d times", v, count)
		}
		got = append(got, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("schema_migrations = %v, want %v", got, want)
	}
	for _, table := range []string{"users", "waitlist", "instagram_accounts", "instagram_posts"} {
		var exists bool
		if err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, "public."+table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}
}

func TestRun(t *testing.T) {
	t.Run("ErrConfig", func(t *testing.T) {
		err := run(context.Background(), func(string) string { return "" }, &testlog.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
			t.Errorf("run = %v, want a configuration error naming DATABASE_URL", err)
		}
	})

	t.Run("ErrDatabaseUnreachable", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		unreachable := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/x?sslmode=disable", freePort(t))
		err := run(ctx, testEnv(unreachable, freePort(t)), &testlog.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "database") {
			t.Errorf("run = %v, want a database error", err)
		}
	})

	t.Run("ErrPortInUse", func(t *testing.T) {
		ln, err := net.Listen("tcp", ":0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		port := ln.Addr().(*net.TCPAddr).Port
		_, url := testdb.NewWithURL(t)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = run(ctx, testEnv(url, port), &testlog.Buffer{})
		if err == nil || !strings.Contains(err.Error(), strconv.Itoa(port)) {
			t.Errorf("run = %v, want a listen error naming port %d", err, port)
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("run waited for its context instead of failing")
		}
	})
}

func TestGCPercent(t *testing.T) {
	for _, tc := range []struct {
		gogc string
		want int
	}{
		{"", app.DefaultGCPercent},
		{"50", 50},
		{"400", 400},
		{"0", 0},
		{"off", -1},
		{"-3", app.DefaultGCPercent},
		{"lots", app.DefaultGCPercent},
	} {
		if got := gcPercent(tc.gogc); got != tc.want {
			t.Errorf("gcPercent(%q) = %d, want %d", tc.gogc, got, tc.want)
		}
	}
}

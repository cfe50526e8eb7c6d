package httpapi_test

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
)

// healthDeadline is how long /health may take to say the database is
// down: the contract's second and some slack for a loaded test machine.
const healthDeadline = 1500 * time.Millisecond

func wantHealth(t *testing.T, res response, status int, state, database string) {
	t.Helper()
	if got, want := res.Status, status; got != want {
		t.Errorf("status = %d, want %d (body %s)", got, want, res.Raw)
	}
	wantKeys(t, res.Body, "status", "database")
	if got, want := res.Body["status"], state; got != want {
		t.Errorf("status field = %v, want %v", got, want)
	}
	if got, want := res.Body["database"], database; got != want {
		t.Errorf("database field = %v, want %v", got, want)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	t.Run("OK", func(t *testing.T) {
		res := api.do(t, http.MethodGet, "/health", nil)
		wantHealth(t, res, http.StatusOK, "ok", "ok")
		if got, want := res.Header.Get("Cache-Control"), "no-store"; got != want {
			t.Errorf("Cache-Control = %q, want %q", got, want)
		}
	})

	t.Run("Head", func(t *testing.T) {
		srv := httptest.NewServer(api.h)
		defer srv.Close()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodHead, srv.URL+"/health", nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if got, want := res.StatusCode, http.StatusOK; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
		if len(body) != 0 {
			t.Errorf("HEAD body = %q, want none", body)
		}
	})

	t.Run("ErrDatabaseHangs", func(t *testing.T) {
		// A "database" that accepts connections and never answers.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var conns []net.Conn
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}()
		t.Cleanup(func() {
			ln.Close()
			mu.Lock()
			defer mu.Unlock()
			for _, c := range conns {
				c.Close()
			}
		})
		db, err := sql.Open("postgres", "postgres://postgres@"+ln.Addr().String()+"/x?sslmode=disable")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })

		hung := newTestAPI(t, withDB(db))
		for range 3 {
			start := time.Now()
			res := hung.do(t, http.MethodGet, "/health", nil)
			if d := time.Since(start); d > healthDeadline {
				t.Errorf("answered after %v, want within %v", d, healthDeadline)
			}
			wantHealth(t, res, http.StatusServiceUnavailable, "degraded", "unreachable")
		}
	})
}

// pgScript runs scripts/pg.sh with args and returns its output.
func pgScript(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "../../scripts/pg.sh", args...).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("pg.sh %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return strings.TrimSpace(string(out))
}

// pollHealth asks /health until it answers status or the time is up, and
// checks that each answer came within healthDeadline.
func pollHealth(t *testing.T, api *testAPI, status int, within time.Duration) response {
	t.Helper()
	var res response
	for end := time.Now().Add(within); ; {
		start := time.Now()
		res = api.do(t, http.MethodGet, "/health", nil)
		if d := time.Since(start); d > healthDeadline {
			t.Errorf("/health answered %d after %v, want within %v", res.Status, d, healthDeadline)
		}
		if res.Status == status || time.Now().After(end) {
			return res
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestHealth_DatabaseRestart stops and restarts a private PostgreSQL under a
// running router.
func TestHealth_DatabaseRestart(t *testing.T) {
	t.Parallel()
	url := pgScript(t, "start", "healthtest", "54331")
	t.Cleanup(func() { pgScript(t, "stop", "healthtest") })
	db, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	api := newTestAPI(t, withDB(db))

	wantHealth(t, pollHealth(t, api, http.StatusOK, 5*time.Second), http.StatusOK, "ok", "ok")

	pgScript(t, "stop", "healthtest")
	wantHealth(t, pollHealth(t, api, http.StatusServiceUnavailable, 5*time.Second),
		http.StatusServiceUnavailable, "degraded", "unreachable")
	// It stays down while the database does.
	for range 3 {
		wantHealth(t, pollHealth(t, api, http.StatusServiceUnavailable, 0),
			http.StatusServiceUnavailable, "degraded", "unreachable")
		time.Sleep(300 * time.Millisecond)
	}

	pgScript(t, "start", "healthtest", "54331")
	wantHealth(t, pollHealth(t, api, http.StatusOK, 10*time.Second), http.StatusOK, "ok", "ok")

	// The pool recovered for real work too, not only for pings.
	var one int
	if err := db.QueryRowContext(t.Context(), `SELECT 1`).Scan(&one); err != nil {
		t.Errorf("query after restart: %v", err)
	}
}

package httpapi_test

import (
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
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

// dbProxy forwards TCP connections to a database until it is told to go
// silent (every byte is swallowed and nothing answers, as when the
// network drops the database's packets) or closed (every connection
// reset, new ones refused, as when the database's host is gone).
type dbProxy struct {
	ln     net.Listener
	target string
	silent atomic.Bool

	mu     sync.Mutex
	conns  []net.Conn
	closed bool
	wg     sync.WaitGroup
}

func newDBProxy(t *testing.T, target string) *dbProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &dbProxy{ln: ln, target: target}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.serve(c)
		}
	}()
	t.Cleanup(p.close)
	return p
}

// track keeps c to be closed with the proxy; it reports false, having
// closed c, when the proxy is closed already.
func (p *dbProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return false
	}
	p.conns = append(p.conns, c)
	return true
}

func (p *dbProxy) serve(client net.Conn) {
	if !p.track(client) {
		return
	}
	if p.silent.Load() {
		p.wg.Add(1)
		go func() { defer p.wg.Done(); p.pipe(io.Discard, client) }()
		return
	}
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil || !p.track(server) {
		client.Close()
		return
	}
	p.wg.Add(2)
	go func() { defer p.wg.Done(); p.pipe(server, client) }()
	go func() { defer p.wg.Done(); p.pipe(client, server) }()
}

// pipe copies from src to dst until src ends, and swallows what it reads
// once the proxy is silent.
func (p *dbProxy) pipe(dst io.Writer, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.silent.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *dbProxy) close() {
	p.mu.Lock()
	p.closed = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// TestHealth_DatabaseGoesAway runs the router on a database reached
// through a proxy, then cuts the proxy, and checks how soon /health
// says so: the contract's second (healthCacheTTL + healthTimeout, 950 ms,
// when the database goes silent), with the slack of healthDeadline for
// a loaded test machine.
func TestHealth_DatabaseGoesAway(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		cut  func(*dbProxy)
	}{
		{"Silent", func(p *dbProxy) { p.silent.Store(true) }},
		{"Closed", func(p *dbProxy) { p.close() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, direct := testdb.NewWithURL(t)
			u, err := url.Parse(direct)
			if err != nil {
				t.Fatal(err)
			}
			proxy := newDBProxy(t, u.Host)
			u.Host = proxy.ln.Addr().String()
			db, err := sql.Open("postgres", u.String())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			api := newTestAPI(t, withDB(db))
			wantHealth(t, pollHealth(t, api, http.StatusOK, 5*time.Second), http.StatusOK, "ok", "ok")

			// Keep the probe's answer fresh up to the cut, as a poller would.
			for range 5 {
				wantHealth(t, api.do(t, http.MethodGet, "/health", nil), http.StatusOK, "ok", "ok")
				time.Sleep(50 * time.Millisecond)
			}
			cut := time.Now()
			tt.cut(proxy)
			var res response
			for {
				res = api.do(t, http.MethodGet, "/health", nil)
				if res.Status != http.StatusOK || time.Since(cut) > 5*time.Second {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			took := time.Since(cut)
			wantHealth(t, res, http.StatusServiceUnavailable, "degraded", "unreachable")
			t.Logf("first 503 %v after the database went away", took.Round(time.Millisecond))
			if took > healthDeadline {
				t.Errorf("first 503 after %v, want within %v", took, healthDeadline)
			}
			// It stays down, and answers at once while the ping hangs.
			for range 3 {
				wantHealth(t, pollHealth(t, api, http.StatusServiceUnavailable, 0),
					http.StatusServiceUnavailable, "degraded", "unreachable")
			}
		})
	}
}

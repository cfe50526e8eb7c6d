package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestClientClosedRequest cancels requests the way net/http does when the
// client hangs up, before and during their query, and checks that they are
// recorded as 499 at info level, not as server errors; a request that runs
// out of time stays a 500.
func TestClientClosedRequest(t *testing.T) {
	a := newTestAPI(t)
	mx := a.mx
	token, _ := a.register(t, "gone@example.com", "a long enough password")

	// lockUsers holds an exclusive lock on users until release, so that
	// the user lookup of GET /api/user/me waits inside PostgreSQL.
	lockUsers := func(t *testing.T) (release func()) {
		t.Helper()
		ctx := context.Background()
		conn, err := a.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `LOCK TABLE users IN ACCESS EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		return func() {
			tx.Rollback() //nolint:errcheck
			conn.Close()
		}
	}
	// waitForLockWait returns once a statement waits for that lock.
	waitForLockWait := func(t *testing.T) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			var n int
			if err := a.db.QueryRow(`SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				return
			}
		}
		t.Fatal("no statement waits for the lock")
	}

	tests := []struct {
		name string
		id   string
		// run serves req, whose context it may cancel through cancel.
		run        func(t *testing.T, serve func(), cancel context.CancelFunc)
		timeout    time.Duration
		wantStatus int
		wantError  string // in the logged error
	}{
		{
			name: "BeforeQuery", id: "gone-before-query-1",
			run: func(t *testing.T, serve func(), cancel context.CancelFunc) {
				cancel()
				serve()
			},
			wantStatus: 499, wantError: "context canceled",
		},
		{
			name: "DuringQuery", id: "gone-during-query-1",
			run: func(t *testing.T, serve func(), cancel context.CancelFunc) {
				release := lockUsers(t)
				defer release()
				done := make(chan struct{})
				go func() { serve(); close(done) }()
				waitForLockWait(t)
				cancel()
				<-done
			},
			// lib/pq cancels the statement: PostgreSQL's query_canceled.
			wantStatus: 499, wantError: "canceling statement due to user request",
		},
		{
			name: "OutOfTime", id: "out-of-time-query-1",
			run: func(t *testing.T, serve func(), cancel context.CancelFunc) {
				release := lockUsers(t)
				defer release()
				serve()
			},
			timeout:    300 * time.Millisecond,
			wantStatus: 500,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.timeout > 0 {
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/user/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("X-Request-ID", tt.id)
			rec := httptest.NewRecorder()
			tt.run(t, func() { a.h.ServeHTTP(rec, req) }, cancel)

			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantStatus == 499 && rec.Body.Len() != 0 {
				t.Errorf("body = %q, want none", rec.Body)
			}

			// The request's log lines: writeError's and the access log's.
			var levels []string
			var access map[string]any
			var logged string
			for _, line := range strings.Split(a.logs.String(), "\n") {
				if !strings.Contains(line, tt.id) {
					continue
				}
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
				levels = append(levels, rec["level"].(string)+" "+rec["msg"].(string))
				if rec["msg"] == "request" {
					access = rec["http"].(map[string]any)
				}
				if e, ok := rec["error"].(string); ok {
					logged = e
				}
				if _, ok := rec["stack"]; ok {
					t.Errorf("log line with a stack: %s", line)
				}
			}
			want := []string{"INFO client closed request", "INFO request"}
			if tt.wantStatus == 500 {
				want = []string{"ERROR request failed", "ERROR request"}
			}
			if strings.Join(levels, ", ") != strings.Join(want, ", ") {
				t.Errorf("log lines = %q, want %q", levels, want)
			}
			if access == nil || access["status"] != float64(tt.wantStatus) {
				t.Errorf("access log = %v, want status %d", access, tt.wantStatus)
			}
			if !strings.Contains(logged, tt.wantError) {
				t.Errorf("logged error = %q, want it to contain %q", logged, tt.wantError)
			}
		})
	}

	// The metrics count the two hang-ups as 499 and only the timeout as a
	// server error.
	rec := httptest.NewRecorder()
	mx.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	text := rec.Body.String()
	for _, want := range []string{
		`http_requests_total{method="GET",route="/api/user/me",status="499"} 2`,
		`http_requests_total{method="GET",route="/api/user/me",status="500"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	var fives int
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "http_requests_total{") && strings.Contains(line, `status="5`) {
			fives++
		}
	}
	if fives != 1 {
		t.Errorf("%d series of 5xx, want only the timeout's", fives)
	}
}

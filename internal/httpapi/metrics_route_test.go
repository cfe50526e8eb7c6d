package httpapi_test

import (
	"database/sql"
	"net/http"
	"strings"
	"testing"
	"time"
)

// scrape reads /metrics through the router and returns the text.
func scrape(t *testing.T, env *ctEnv, header http.Header) ctResponse {
	t.Helper()
	return ctServe(t, env.h, ctRequest(t, http.MethodGet, "/metrics", nil, header))
}

func TestMetrics_Exposition(t *testing.T) {
	env := newCtEnv(t, ctConfig(t, nil), ctHighLimits())
	res := ctServe(t, env.h, ctRequest(t, http.MethodPost, "/api/auth/register",
		map[string]string{"email": "metrics@example.com", "password": "metrics password"}, nil))
	if res.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", res.Status, res.Raw)
	}
	token := res.Body["token"].(string)
	if res := ctConnect(t, env.h, env.sb, token); !strings.HasSuffix(res.Header.Get("Location"), "instagram=connected") {
		t.Fatalf("connect: %d %s", res.Status, res.Header.Get("Location"))
	}
	ctWaitSynced(t, env.h, token)
	ctWaitJobsDone(t, env)
	for _, target := range []string{
		"/api/instagram/posts?limit=3",
		"/api/instagram/posts?limit=4&before=2030-01-01T00:00:00Z",
		"/api/instagram/posts?account_id=00000000-0000-0000-0000-000000000000",
	} {
		ctServe(t, env.h, ctRequest(t, http.MethodGet, target, nil, ctBearer(token)))
	}
	ctServe(t, env.h, ctRequest(t, http.MethodGet, "/api/no/such/thing-123", nil, nil))
	ctServe(t, env.h, ctRequest(t, "BREW", "/api/user/me", nil, nil))
	ctServe(t, env.h, ctRequest(t, http.MethodGet, "/health", nil, nil))
	// The fetch queued the posts' insights reading: let it end too.
	deadline := time.Now().Add(20 * time.Second)
	for countQueued(t, env.db) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the jobs did not end")
		}
		time.Sleep(20 * time.Millisecond)
	}

	res = scrape(t, env, nil)
	if got, want := res.Status, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d: %s", got, want, res.Raw)
	}
	if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/plain") {
		t.Errorf("Content-Type = %q, want text/plain", got)
	}
	text := string(res.Raw)
	for _, want := range []string{
		`http_requests_total{method="GET",route="/api/instagram/posts",status="200"} 2`,
		`http_requests_total{method="GET",route="/api/instagram/posts",status="404"} 1`,
		`http_requests_total{method="POST",route="/api/auth/register",status="201"} 1`,
		`http_requests_total{method="GET",route="/auth/instagram/callback",status="302"} 1`,
		`http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`http_requests_total{method="OTHER",route="unmatched",status="405"} 1`,
		`http_requests_total{method="GET",route="/health",status="200"} 1`,
		`http_request_duration_seconds_count{method="GET",route="/api/instagram/posts"} 3`,
		`http_request_duration_seconds_bucket{method="GET",route="/api/instagram/posts",le="+Inf"} 3`,
		`jobs_total{kind="fetch_posts",outcome="done"} 1`,
		`instagram_requests_total{endpoint="exchange",outcome="ok"} 1`,
		`instagram_requests_total{endpoint="long_lived",outcome="ok"} 1`,
		`instagram_requests_total{endpoint="me",outcome="ok"}`,
		`instagram_requests_total{endpoint="media",outcome="ok"}`,
		`job_queue_depth{state="queued"} 0`,
		`job_queue_depth{state="running"} 0`,
		`jobs_total{kind="read_insights",outcome="done"}`,
		`instagram_requests_total{endpoint="media_insights",outcome="ok"}`,
		`instagram_insights_accounts{state="parked"} 0`,
		`instagram_insights_usage_max_percent `,
		`go_sql_open_connections{db_name="main"}`,
		`go_sql_in_use_connections{db_name="main"}`,
		`go_sql_idle_connections{db_name="main"}`,
		`go_sql_wait_count_total{db_name="main"}`,
		`go_sql_wait_duration_seconds_total{db_name="main"}`,
		`go_goroutines `,
		`process_cpu_seconds_total `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Raw paths and query strings never become labels.
	for _, leak := range []string{"/api/no/such", "thing-123", "limit=", "account_id", "BREW"} {
		if strings.Contains(text, leak) {
			t.Errorf("metrics contain %q", leak)
		}
	}
}

func TestMetrics_QueueDepth(t *testing.T) {
	env := newCtEnv(t, ctConfig(t, nil), ctHighLimits())
	env.pool.Stop() // the first fetch stays queued
	res := ctServe(t, env.h, ctRequest(t, http.MethodPost, "/api/auth/register",
		map[string]string{"email": "queue@example.com", "password": "queue password"}, nil))
	if res.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", res.Status, res.Raw)
	}
	if res := ctConnect(t, env.h, env.sb, res.Body["token"].(string)); !strings.HasSuffix(res.Header.Get("Location"), "instagram=connected") {
		t.Fatalf("connect: %d %s", res.Status, res.Header.Get("Location"))
	}
	start := time.Now()
	text := string(scrape(t, env, nil).Raw)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("scrape took %s", d)
	}
	// The connection queues the post fetch and the account insights backfill.
	for _, want := range []string{`job_queue_depth{state="queued"} 2`, `job_queue_depth{state="running"} 0`,
		`job_queue_jobs{kind="fetch_posts",state="queued"} 1`, `job_queue_jobs{kind="account_insights",state="queued"} 1`,
		`job_queue_oldest_due_seconds `} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(text, "job_queue"))
		}
	}
}

func grepLines(text, sub string) string {
	var out []string
	for l := range strings.SplitSeq(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMetrics_Access(t *testing.T) {
	production := map[string]string{
		"APP_ENV":                 "production",
		"INSTAGRAM_CLIENT_ID":     "app-id",
		"INSTAGRAM_CLIENT_SECRET": "app-secret",
		"INSTAGRAM_REDIRECT_URI":  "http://api.example.test/auth/instagram/callback",
	}
	withToken := func(env map[string]string) map[string]string {
		out := map[string]string{"METRICS_TOKEN": "s3cret-scrape-token"}
		for k, v := range env {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name   string
		env    map[string]string
		header http.Header
		status int
		code   string
	}{
		{"OpenInTest", nil, nil, http.StatusOK, ""},
		{"OffInProduction", production, nil, http.StatusNotFound, "not_found"},
		{"OffInProductionWhateverTheHeader", production, ctBearer("anything"), http.StatusNotFound, "not_found"},
		{"TokenMissing", withToken(nil), nil, http.StatusUnauthorized, "unauthorized"},
		{"TokenWrong", withToken(nil), ctBearer("s3cret-scrape-tokex"), http.StatusUnauthorized, "unauthorized"},
		{"TokenPrefix", withToken(nil), ctBearer("s3cret"), http.StatusUnauthorized, "unauthorized"},
		{"TokenNotBearer", withToken(nil), http.Header{"Authorization": {"Basic s3cret-scrape-token"}}, http.StatusUnauthorized, "unauthorized"},
		{"TokenRight", withToken(nil), ctBearer("s3cret-scrape-token"), http.StatusOK, ""},
		{"TokenLowercaseScheme", withToken(nil), http.Header{"Authorization": {"bearer s3cret-scrape-token"}}, http.StatusOK, ""},
		{"ProductionTokenMissing", withToken(production), nil, http.StatusUnauthorized, "unauthorized"},
		{"ProductionTokenRight", withToken(production), ctBearer("s3cret-scrape-token"), http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newCtEnv(t, ctConfig(t, tt.env), ctHighLimits())
			res := scrape(t, env, tt.header)
			if got, want := res.Status, tt.status; got != want {
				t.Fatalf("status = %d, want %d: %s", got, want, res.Raw)
			}
			if tt.code == "" {
				if !strings.Contains(string(res.Raw), "go_goroutines") {
					t.Errorf("no metrics in the answer")
				}
				return
			}
			if got, want := res.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			if got := res.Body["code"]; got != tt.code || len(res.Body) != 2 || res.Body["error"] == "" {
				t.Errorf("body = %s, want the error body with code %s", res.Raw, tt.code)
			}
			if strings.Contains(string(res.Raw), "s3cret") {
				t.Errorf("the answer echoes the token: %s", res.Raw)
			}
		})
	}
}

// countQueued counts the jobs queued or running.
func countQueued(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

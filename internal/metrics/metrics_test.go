package metrics_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/metrics"
	"creatorgrowth/internal/postgres"
)

type fakeJobs struct {
	depth map[string]int
	err   error
	block bool
}

func (f fakeJobs) QueueStats(ctx context.Context) (postgres.QueueStats, error) {
	if f.block {
		<-ctx.Done()
		return postgres.QueueStats{}, ctx.Err()
	}
	var st postgres.QueueStats
	for state, n := range f.depth {
		st.Depth = append(st.Depth, postgres.QueueCount{Kind: "fetch_posts", State: state, N: n})
	}
	return st, f.err
}

func scrapeText(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestMetrics_Counters(t *testing.T) {
	m := metrics.New(metrics.Options{
		Jobs:           fakeJobs{depth: map[string]int{"queued": 3, "running": 1}},
		Reports:        func() (uint64, uint64) { return 7, 2 },
		InsightsBudget: func(context.Context) (int, int, error) { return 2, 93, nil },
	})
	m.ObserveRequest("/api/user/me", http.MethodGet, 200, 30*time.Millisecond)
	m.ObserveRequest("/api/user/me", http.MethodGet, 200, 3*time.Second)
	m.ObserveRequest("unmatched", "PROPFIND", 405, time.Millisecond)
	m.JobOutcome("fetch_posts", "retry")
	m.InstagramCall("media", "throttled")
	m.InstagramCall("media", "throttled")
	text := scrapeText(t, m)
	for _, want := range []string{
		`http_requests_total{method="GET",route="/api/user/me",status="200"} 2`,
		`http_requests_total{method="OTHER",route="unmatched",status="405"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/api/user/me",le="0.05"} 1`,
		`http_request_duration_seconds_bucket{method="GET",route="/api/user/me",le="5"} 2`,
		`jobs_total{kind="fetch_posts",outcome="retry"} 1`,
		`instagram_requests_total{endpoint="media",outcome="throttled"} 2`,
		`job_queue_depth{state="queued"} 3`,
		`job_queue_depth{state="running"} 1`,
		`growth_reports_total{source="reused"} 7`,
		`instagram_insights_accounts{state="parked"} 2`,
		`instagram_insights_usage_max_percent 93`,
		`growth_reports_total{source="computed"} 2`,
		`go_goroutines`,
		`process_`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "PROPFIND") {
		t.Error("a client-chosen method became a label value")
	}
}

func TestMetrics_QueueDepthFailure(t *testing.T) {
	tests := []struct {
		name string
		jobs fakeJobs
	}{
		{"Error", fakeJobs{err: errors.New("connection refused")}},
		{"Slow", fakeJobs{block: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New(metrics.Options{Jobs: tt.jobs})
			start := time.Now()
			text := scrapeText(t, m)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("scrape took %s, want about 1 s at most", d)
			}
			if strings.Contains(text, "job_queue_depth{") {
				t.Error("queue depth reported although the database failed")
			}
			if !strings.Contains(text, "go_goroutines") {
				t.Error("the other metrics are missing")
			}
		})
	}
}

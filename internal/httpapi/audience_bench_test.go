package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// seedAudience stores days of account insights for acc, ending yesterday
// (Pacific): daily figures and a follower snapshot per day, an
// online_followers reading per day (each of the 30 days before it, as
// Instagram answers, so the last one is the latest), and the eight
// demographic breakdowns, 45 rows each, read every day.
func seedAudience(tb testing.TB, e *audienceEnv, acc string, days int) {
	tb.Helper()
	ctx := context.Background()
	stmts := []string{
		`INSERT INTO account_insights_daily (account_id, date, reach, views, gained, lost, read_at)
		SELECT $1, (now() AT TIME ZONE 'America/Los_Angeles')::date - d, 1000 + d, 2000 + d, d % 17, d % 5, now() - d * interval '1 day'
		FROM generate_series(1, $2) AS d`,
		`INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
		SELECT $1, (now() AT TIME ZONE 'UTC')::date - d, 5000 + d, now() - d * interval '1 day'
		FROM generate_series(1, $2) AS d`,
		`INSERT INTO account_online_followers (account_id, date, hour, count, read_at)
		SELECT $1, (now() AT TIME ZONE 'America/Los_Angeles')::date - d, h, 100 + h * 3 + d % 7,
			now() - greatest(d - 30, 0) * interval '1 day'
		FROM generate_series(1, $2) AS d, generate_series(0, 23) AS h`,
		`INSERT INTO account_demographics (account_id, metric, breakdown, read_on, key, value, timeframe, read_at)
		SELECT $1, m, b, (now() AT TIME ZONE 'UTC')::date - d, b || '-' || k, (k * 37 + d) % 500, 'this_month', now() - d * interval '1 day'
		FROM generate_series(1, $2) AS d,
			unnest(ARRAY['follower_demographics', 'engaged_audience_demographics']) AS m,
			unnest(ARRAY['age', 'gender', 'country', 'city']) AS b,
			generate_series(1, 45) AS k`,
	}
	for _, q := range stmts {
		if _, err := e.db.ExecContext(ctx, q, acc, days); err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	if _, err := e.db.ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkGrowthAudience measures GET /api/growth/audience?period=90
// through the whole server for an account with 30 days of insights (as
// backfilled at connection) and one with two years, at 1 and 32 clients,
// and reports the latency percentiles.
func BenchmarkGrowthAudience(b *testing.B) {
	for _, size := range []struct {
		name string
		days int
	}{{"Typical30d", 30}, {"TwoYears", 730}} {
		b.Run(size.name, func(b *testing.B) {
			e := newAudienceBenchEnv(b)
			userID, token := e.user(b)
			followers := int64(25_000)
			acc := e.account(b, userID, &followers)
			seedAudience(b, e, acc, size.days)
			for _, clients := range []int{1, 32} {
				b.Run(map[int]string{1: "Clients1", 32: "Clients32"}[clients], func(b *testing.B) {
					benchClients(b, e.h, token, clients)
				})
			}
		})
	}
}

func benchClients(b *testing.B, h http.Handler, token string, clients int) {
	var (
		next  atomic.Int64
		mu    sync.Mutex
		lat   []time.Duration
		wg    sync.WaitGroup
		fails atomic.Int64
	)
	// Warm up: the prepared statement, PostgreSQL's plan and caches.
	for range 20 {
		req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/api/growth/audience?period=90&tz=Europe/Berlin", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	b.ResetTimer()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for next.Add(1) <= int64(b.N) {
				req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/api/growth/audience?period=90&tz=Europe/Berlin", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				mine = append(mine, time.Since(start))
				if rec.Code != http.StatusOK {
					fails.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	b.StopTimer()
	if n := fails.Load(); n > 0 {
		b.Fatalf("%d answers not 200", n)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

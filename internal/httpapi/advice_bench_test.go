package httpapi_test

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/testdb"
)

// benchPostsSQL seeds $2 posts for account $1 spread evenly over $3 days
// before now, in the shape of cmd/benchstats: four media types, likes
// hidden for 5 %, 0 to 3 hashtags.
const benchPostsSQL = `
	INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, media_url, permalink,
		like_count, comments_count, posted_at, fetched_at, hashtags)
	SELECT $1, 'bench_' || j, 'Post ' || j || ' ' || array_to_string(tags, ' '),
		(ARRAY['IMAGE','VIDEO','CAROUSEL_ALBUM','VIDEO'])[1 + (j * 7) % 4],
		'https://cdn.example.test/' || j,
		CASE WHEN (j * 7) % 4 = 3 THEN 'https://www.instagram.com/reel/' || j ELSE 'https://www.instagram.com/p/' || j END,
		CASE WHEN j % 20 = 0 THEN NULL ELSE (random() * 2000)::int END, (random() * 120)::int,
		now() - (j::float8 / $2) * $3 * interval '1 day' - random() * interval '3 hours', now(), tags
	FROM generate_series(1, $2) j
	CROSS JOIN LATERAL (
		SELECT COALESCE(array_agg(DISTINCT (ARRAY['#travel','#food','#fitness','#ootd','#sunset','#reels'])[1 + (j * 31 + g * 7) % 6]), '{}') AS tags
		FROM generate_series(1, j % 4) g
	) t`

// benchSnapshotsSQL seeds a year of daily follower snapshots for $1.
const benchSnapshotsSQL = `INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
	SELECT $1, (now() - d * interval '1 day')::date, 50000 - d * 10 + (random() * 20)::int, now() - d * interval '1 day'
	FROM generate_series(0, 364) d`

// benchAdviceApp assembles the app on db with STATS_CACHE_SIZE cache.
func benchAdviceApp(b *testing.B, db *sql.DB, cache string) *app.App {
	b.Helper()
	env := map[string]string{
		"APP_ENV": "test", "DATABASE_URL": "postgres://unused", "STATS_CACHE_SIZE": cache,
		"JWT_SECRET":           "advice-bench-jwt-secret-0123456789abcdef",
		"TOKEN_ENCRYPTION_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.New(cfg, db, slog.New(slog.DiscardHandler), app.Options{Hasher: auth.NewHasher(4, 2)})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkAdvice measures GET /api/growth/recommendations (90 days, a
// zone) and GET /api/growth/forecast through the real router on
// PostgreSQL, for a typical account (1,000 posts over two years) and for
// one with 100,000 posts over three years (about 8,200 in 90 days), each
// with a year of daily snapshots; computed every time (no cache) and
// reused. It reports the p50 and p99 latency of the requests and the CPU
// time of this process (router, handlers, driver) per request; the
// PostgreSQL backend's time is on top of it.
//
//	go test -run '^$' -bench BenchmarkAdvice -benchtime 200x ./internal/httpapi/
func BenchmarkAdvice(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	var userID string
	if err := db.QueryRowContext(ctx, `INSERT INTO users (email, password) VALUES ('bench@example.test', 'x') RETURNING id`).Scan(&userID); err != nil {
		b.Fatal(err)
	}
	accounts := map[string]string{}
	for _, s := range []struct {
		name        string
		posts, days int
	}{{"typical", 1000, 730}, {"100k", 100_000, 1095}} {
		var id string
		if err := db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, access_token, followers)
			VALUES ($1, $2, 'ciphertext', 50000) RETURNING id`, userID, uuid.NewString()).Scan(&id); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, benchPostsSQL, id, s.posts, s.days); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, benchSnapshotsSQL, id); err != nil {
			b.Fatal(err)
		}
		accounts[s.name] = id
	}
	if _, err := db.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	computed, reused := benchAdviceApp(b, db, "0"), benchAdviceApp(b, db, "")
	token := sessionToken(b, db, computed.Tokens, userID, "bench@example.test")
	for _, ep := range []struct{ name, path string }{
		{"recommendations", "/api/growth/recommendations?period=90&tz=Europe/Berlin"},
		{"forecast", "/api/growth/forecast?metric=followers&horizon=30"},
	} {
		for _, acc := range []string{"typical", "100k"} {
			for _, mode := range []struct {
				name string
				a    *app.App
			}{{"computed", computed}, {"reused", reused}} {
				b.Run(ep.name+"/"+acc+"/"+mode.name, func(b *testing.B) {
					path := ep.path + "&account_id=" + accounts[acc]
					benchGet(b, mode.a.Handler, path, token) // warm: prepared statements, the cache
					lat := make([]time.Duration, 0, b.N)
					cpu0 := processCPU(b)
					b.ResetTimer()
					for range b.N {
						t := time.Now()
						benchGet(b, mode.a.Handler, path, token)
						lat = append(lat, time.Since(t))
					}
					b.StopTimer()
					b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N)/1e6, "go-cpu-ms/op")
					slices.Sort(lat)
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
				})
			}
		}
	}
}

// processCPU is the CPU time, user and system, this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchGet(b *testing.B, h http.Handler, path, token string) {
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
}

package growth_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// BenchmarkStats_Typical measures one report of a typical account (1,000
// posts over two years, one a day, 9 in 10 with insights when the schema
// has them) for each period in Europe/Berlin: computed every time, and
// reused. It reports the p50 of the iterations besides the mean.
func BenchmarkStats_Typical(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	acc := createAccount(b, db, i64(5000))
	now := time.Now().UTC().Truncate(time.Microsecond)
	const seed = `
		INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, media_url, permalink,
			like_count, comments_count, posted_at, hashtags)
		SELECT $1, 'b' || g, '#travel #food post ' || g, (ARRAY['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'])[1 + g % 3],
			'https://cdn.example.test/' || g, 'https://instagram.example.test/p/' || g,
			CASE WHEN g % 10 = 0 THEN NULL ELSE 100 + (g * 37) % 900 END, (g * 13) % 80,
			$2::timestamptz - g * interval '1 day' - (g % 24) * interval '1 hour',
			CASE g % 4 WHEN 0 THEN ARRAY['#travel', '#food'] WHEN 1 THEN ARRAY['#travel'] ELSE ARRAY[]::text[] END
		FROM generate_series(0, 999) g`
	if _, err := db.ExecContext(ctx, seed, acc.ID, now); err != nil {
		b.Fatal(err)
	}
	var insights bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_name = 'instagram_posts' AND column_name = 'views')`).Scan(&insights); err != nil {
		b.Fatal(err)
	}
	if insights {
		const read = `UPDATE instagram_posts SET insights_captured_at = now(), views = 10 * like_count,
			reach = 7 * like_count, saved = like_count / 20, shares = like_count / 30, total_interactions = like_count + 5
			WHERE account_id = $1 AND ig_post_id::text NOT LIKE '%9'`
		if _, err := db.ExecContext(ctx, read, acc.ID); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `VACUUM ANALYZE instagram_posts`); err != nil {
		b.Fatal(err)
	}
	acc = reloadAccount(b, postgres.NewAccounts(db), acc.ID)
	tz, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	for _, source := range []string{"computed", "reused"} {
		for _, period := range []int{7, 30, 90} {
			b.Run(source+"/period="+strconv.Itoa(period), func(b *testing.B) {
				svc := growth.NewService(db)
				if source == "reused" {
					svc = growth.NewService(db, growth.CacheSize(16))
				}
				var took []time.Duration
				for b.Loop() {
					t0 := time.Now()
					if _, err := svc.StatsJSON(ctx, acc, period, tz, now); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(t0))
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
			})
		}
	}
}

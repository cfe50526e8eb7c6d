package growth_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// rollupDiffQuery lists the (account, date) rows where growth_days and a
// recomputation from instagram_posts differ: the sums by plain aggregates
// of the posts by UTC date, the packed columns by growth_ranges over the
// date. No row: the table is what the posts say.
const rollupDiffQuery = `
WITH want AS (
	SELECT k.account_id, k.day, k.posts, k.likes, k.comments, k.views, k.reach, k.saved, k.shares, k.covered,
		k.err_sum, k.err_n, b.id AS best_id, f.hours, f.quarters
	FROM (
		SELECT account_id, (posted_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS posts,
			COALESCE(sum(COALESCE(like_count, 0)), 0)::bigint AS likes,
			COALESCE(sum(COALESCE(comments_count, 0)), 0)::bigint AS comments,
			sum(views)::bigint AS views, sum(reach)::bigint AS reach, sum(saved)::bigint AS saved,
			sum(shares)::bigint AS shares, count(insights_captured_at)::int AS covered,
			sum(total_interactions::numeric(60, 30) * 100 / reach) FILTER (WHERE reach > 0) AS err_sum,
			count(total_interactions) FILTER (WHERE reach > 0)::int AS err_n
		FROM instagram_posts WHERE isfinite(posted_at)
		GROUP BY 1, 2
	) k
	CROSS JOIN LATERAL (
		SELECT p.id FROM instagram_posts p
		WHERE p.account_id = k.account_id AND (p.posted_at AT TIME ZONE 'UTC')::date = k.day
		ORDER BY COALESCE(p.like_count, 0)::bigint + COALESCE(p.comments_count, 0) DESC, p.posted_at DESC, p.id DESC
		LIMIT 1
	) b
	CROSS JOIN LATERAL growth_ranges(ARRAY[k.account_id], ARRAY[k.day::timestamp AT TIME ZONE 'UTC'],
		ARRAY[(k.day + 1)::timestamp AT TIME ZONE 'UTC']) f
),
have AS (
	SELECT account_id, day, posts, likes, comments, views, reach, saved, shares, covered, err_sum, err_n,
		best_id, hours, quarters
	FROM growth_days
)
SELECT 'missing or different' AS what, account_id, day FROM (SELECT * FROM want EXCEPT SELECT * FROM have) x
UNION ALL
SELECT 'unexpected or different', account_id, day FROM (SELECT * FROM have EXCEPT SELECT * FROM want) y`

// checkRollup fails the test when growth_days differs from the posts.
func checkRollup(t *testing.T, db *sql.DB, step string) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), rollupDiffQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var diffs []string
	for rows.Next() {
		var what, acc, day string
		if err := rows.Scan(&what, &acc, &day); err != nil {
			t.Fatal(err)
		}
		diffs = append(diffs, fmt.Sprintf("%s: %s %s", what, acc, day))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Fatalf("%s: growth_days differs from the posts:\n%s", step, strings.Join(diffs, "\n"))
	}
}

// rollupWorld is a database of random accounts whose posts random
// statements change.
type rollupWorld struct {
	t        *testing.T
	db       *sql.DB
	rng      *rand.Rand
	accounts []string
	t0       time.Time
	serial   int
}

// instant returns a random posted_at within ±20 days of t0: at a UTC
// midnight or a microsecond either side, at a shared instant, on a
// quarter-hour, or anywhere; now and then NULL or infinite.
func (w *rollupWorld) instant() any {
	switch w.rng.IntN(40) {
	case 0:
		return nil
	case 1:
		return "infinity"
	case 2:
		return "-infinity"
	}
	day := w.t0.Add(time.Duration(w.rng.IntN(41)-20) * 24 * time.Hour)
	switch w.rng.IntN(8) {
	case 0:
		return day
	case 1:
		return day.Add(-time.Microsecond)
	case 2:
		return day.Add(time.Microsecond)
	case 3:
		return day.Add(12 * time.Hour)
	case 4:
		return day.Add(time.Duration(w.rng.IntN(96)) * 15 * time.Minute)
	}
	return day.Add(time.Duration(w.rng.Int64N(int64(24 * time.Hour))).Truncate(time.Microsecond))
}

func (w *rollupWorld) pick(vs ...any) any { return vs[w.rng.IntN(len(vs))] }

// count returns NULL or a random count up to n (0 included).
func (w *rollupWorld) count(n int64) any {
	if w.rng.IntN(4) == 0 {
		return nil
	}
	return w.rng.Int64N(n + 1)
}

func (w *rollupWorld) tags() string {
	return w.pick("{}", "{#a}", "{#a,#b}", "{#b,#c,#a}", "{#a,#a}", "{#東京}", "{#c}").(string)
}

func (w *rollupWorld) captured() any {
	if w.rng.IntN(3) == 0 {
		return nil
	}
	return w.t0
}

func (w *rollupWorld) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.ExecContext(context.Background(), q, args...); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

// insert adds n random posts to the account in one statement.
func (w *rollupWorld) insert(acc string, n int) {
	w.t.Helper()
	var (
		vals []string
		args []any
	)
	for range n {
		w.serial++
		k := len(args)
		var ph []string
		for i := 1; i <= 13; i++ {
			ph = append(ph, fmt.Sprintf("$%d", k+i))
		}
		ph[5] += "::timestamptz"
		ph[6] += "::text[]"
		ph[7] += "::timestamptz"
		vals = append(vals, "("+strings.Join(ph, ", ")+")")
		args = append(args, acc, fmt.Sprint("r", w.serial),
			w.pick("IMAGE", "VIDEO", "CAROUSEL_ALBUM", nil, "", "REELS"),
			w.count(5000), w.count(300), w.instant(), w.tags(), w.captured(),
			w.count(20000), w.count(9000), w.count(100), w.count(50), w.count(2000))
	}
	w.exec(`INSERT INTO instagram_posts (account_id, ig_post_id, media_type, like_count, comments_count, posted_at,
		hashtags, insights_captured_at, views, reach, saved, shares, total_interactions) VALUES `+strings.Join(vals, ", "), args...)
}

// change runs one random statement on the account's posts.
func (w *rollupWorld) change(acc string) {
	w.t.Helper()
	share := w.rng.IntN(5) + 1 // about 1 post in share
	some := fmt.Sprintf(`account_id = $1 AND abs(hashtext(id::text || '%d')) %% %d = 0`, w.rng.Int(), share)
	switch w.rng.IntN(10) {
	case 0:
		w.insert(acc, w.rng.IntN(20)+1)
	case 1:
		w.exec(`UPDATE instagram_posts SET like_count = $2, comments_count = $3 WHERE `+some, acc, w.count(9000), w.count(100))
	case 2: // moved in time, often to another date
		w.exec(`UPDATE instagram_posts SET posted_at = $2::timestamptz WHERE `+some, acc, w.instant())
	case 3: // moved by a few hours, each post by its own amount
		w.exec(`UPDATE instagram_posts SET posted_at = posted_at + (abs(hashtext(id::text)) % 40 - 20) * interval '1 hour' WHERE `+some, acc)
	case 4:
		w.exec(`UPDATE instagram_posts SET fetched_at = now() WHERE account_id = $1`, acc) // what every sync does
	case 5:
		w.exec(`DELETE FROM instagram_posts WHERE `+some, acc)
	case 6:
		w.exec(`UPDATE instagram_posts SET reach = $2, views = $3, saved = $4, shares = $5, total_interactions = $6,
			insights_captured_at = $7::timestamptz WHERE `+some,
			acc, w.count(9000), w.count(9000), w.count(10), w.count(10), w.count(900), w.captured())
	case 7:
		w.exec(`UPDATE instagram_posts SET media_type = $2, hashtags = $3::text[] WHERE `+some, acc,
			w.pick("IMAGE", "VIDEO", nil, ""), w.tags())
	case 8:
		to := w.accounts[w.rng.IntN(len(w.accounts))]
		w.exec(`UPDATE instagram_posts SET account_id = $2, ig_post_id = ig_post_id || '-moved-' || $3 WHERE `+some, acc, to, w.rng.Int())
	case 9: // the other columns: nothing of growth_days changes
		w.exec(`UPDATE instagram_posts SET caption = $2, permalink = 'x', follows = 1 WHERE `+some, acc, fmt.Sprint(w.rng.Int()))
	}
}

// TestGrowthDays_MatchPosts: on random accounts changed by random
// statements (inserts, count and insights updates, NULLs, posts moved in
// time across dates or to another account, deletions, a sync's rewrite),
// growth_days holds exactly what the posts say, and the report computed
// from it equals the one computed post by post, for random windows in
// zones on whole hours, half hours and with DST.
func TestGrowthDays_MatchPosts(t *testing.T) {
	zones := []string{"UTC", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu", "America/New_York"}
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testdb.New(t)
			svc := growth.NewService(db, growth.RollupFrom(0))
			accounts := postgres.NewAccounts(db)
			w := &rollupWorld{t: t, db: db, rng: rand.New(rand.NewPCG(seed, 19)), t0: time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)}
			for range 3 {
				w.accounts = append(w.accounts, createAccount(t, db, i64(1000)).ID)
			}
			for _, acc := range w.accounts {
				w.insert(acc, 150)
			}
			checkRollup(t, db, "seeded")
			for step := 1; step <= 40; step++ {
				w.change(w.accounts[w.rng.IntN(len(w.accounts))])
				checkRollup(t, db, fmt.Sprint("step ", step))
				acc := reloadAccount(t, accounts, w.accounts[w.rng.IntN(len(w.accounts))])
				tz, err := svc.Location(zones[w.rng.IntN(len(zones))])
				if err != nil {
					t.Fatal(err)
				}
				period := []int{7, 14, 30, 90}[w.rng.IntN(4)]
				now := w.t0.Add(time.Duration(w.rng.Int64N(int64(30*24*time.Hour))) - 5*24*time.Hour).Truncate(time.Microsecond)
				if w.rng.IntN(3) == 0 {
					now = w.t0.Add(time.Duration(w.rng.IntN(20)-5) * 24 * time.Hour) // edges at UTC midnight
				}
				got, err := svc.Stats(ctx, acc, period, tz, now)
				if err != nil {
					t.Fatal(err)
				}
				want, err := svc.StatsFromPosts(ctx, acc, period, tz, now)
				if err != nil {
					t.Fatal(err)
				}
				if diff := jsonDiff(t, got, want); diff != "" {
					t.Fatalf("step %d, now %s, %s, period %d:\n%s", step, now.Format(time.RFC3339Nano), tz, period, diff)
				}
			}
		})
	}
}

// TestGrowthDays_ConcurrentWriters: writers that change posts of the same
// dates at the same time (each its own posts, one statement at a time)
// lose none of each other's changes in growth_days.
func TestGrowthDays_ConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	acc := createAccount(t, db, nil).ID
	t0 := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	if _, err := db.ExecContext(ctx, `INSERT INTO instagram_posts (account_id, ig_post_id, like_count, posted_at)
		SELECT $1, 'c' || j, 0, $2::timestamptz + (j % 3) * interval '1 day' + j * interval '1 second'
		FROM generate_series(1, 120) j`, acc, t0); err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 1; r <= rounds; r++ {
				if _, err := db.ExecContext(ctx, `UPDATE instagram_posts SET like_count = $3
					WHERE account_id = $1 AND substring(ig_post_id from 2)::int % $4 = $2`, acc, g, 1000*g+r, writers); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkRollup(t, db, "after the writers")
	var likes int64
	if err := db.QueryRowContext(ctx, `SELECT sum(likes) FROM growth_days WHERE account_id = $1`, acc).Scan(&likes); err != nil {
		t.Fatal(err)
	}
	// Writer g's 30 posts end with 1000·g + rounds likes each.
	want := int64(0)
	for g := range writers {
		want += 30 * int64(1000*g+rounds)
	}
	if likes != want {
		t.Fatalf("growth_days sums %d likes, want %d", likes, want)
	}
}

// TestService_Stats_OffsetsOffTheQuarterHour: a window whose zone offset is
// not on a quarter-hour (Monrovia kept −0:44:30 until 1972) is computed
// post by post, and equals the reference.
func TestService_Stats_OffsetsOffTheQuarterHour(t *testing.T) {
	rng := seededRand(t, 0x1972)
	db := testdb.New(t)
	svc := growth.NewService(db)
	tz, err := svc.Location("Africa/Monrovia")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(1971, 6, 1, 13, 7, 0, 0, time.UTC)
	if got := growth.BucketSize(now.Add(-90*24*time.Hour), now, tz); got != 0 {
		t.Fatalf("BucketSize = %d, want 0 for an offset of −0:44:30", got)
	}
	if got := growth.BucketSize(now.Add(-90*24*time.Hour), now, time.UTC); got != 3600 {
		t.Fatalf("BucketSize(UTC) = %d, want 3600", got)
	}
	followers := i64(900)
	acc := createAccount(t, db, followers)
	ps := randomPosts(rng, now, 300, false, 60)
	insertPosts(t, db, acc.ID, ps)
	for _, period := range []int{7, 90} {
		got, err := svc.Stats(context.Background(), acc, period, tz, now)
		if err != nil {
			t.Fatal(err)
		}
		want := referenceStats(ps, followers, nil, period, tz, now)
		if diff := jsonDiff(t, got, want); diff != "" {
			t.Errorf("period %d:\n%s", period, diff)
		}
	}
}

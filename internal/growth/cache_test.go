package growth_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// reloadAccount reads the account again, with its current data_version.
func reloadAccount(t testing.TB, accounts *postgres.Accounts, id string) postgres.Account {
	t.Helper()
	acc, err := accounts.ByID(context.Background(), id)
	if err != nil {
		t.Fatalf("read account: %v", err)
	}
	return acc
}

// TestService_Stats_ReuseProperty walks time forward over random accounts
// and requires every report of a caching service to equal a freshly
// computed one at the same instant: the instants are random, and exactly
// on (and a microsecond before) every moment a window edge crosses a post
// or a snapshot, a midpoint between snapshots, and local midnights. It also
// requires reports to be reused, so that the comparison means something.
func TestService_Stats_ReuseProperty(t *testing.T) {
	rng := seededRand(t, 0x51afd7ed558ccd)

	db := testdb.New(t)
	accounts := postgres.NewAccounts(db)
	// Reused reports computed from growth_days, fresh ones post by post.
	cached := growth.NewService(db, growth.CacheSize(1024), growth.SyncEvery(6*time.Hour), growth.RollupFrom(0))
	fresh := growth.NewService(db, growth.SyncEvery(6*time.Hour), growth.RollupFrom(1<<62))
	ctx := context.Background()

	const horizon = 12 * time.Hour
	steps := 0
	// DST change instants, and evenings whose windows hold a DST change, so
	// that the local midnights at the two ends are at different offsets.
	walkNows := []time.Time{
		propertyNows[0], propertyNows[2],
		time.Date(2026, 3, 29, 18, 0, 0, 0, time.UTC), // Berlin, 20:00 CEST; a week ago CET
		time.Date(2026, 11, 1, 20, 0, 0, 0, time.UTC), // New York, 15:00 EST; a week ago EDT
	}
	for i, now0 := range walkNows {
		followers := i64(rng.Int64N(100_000))
		if i == 0 {
			followers = nil
		}
		created := createAccount(t, db, followers)
		ps := randomPosts(rng, now0, 150+rng.IntN(150), i%2 == 1, []int{0, 60, 95, 10}[i])
		// Posts that enter during the walk.
		for range 5 {
			at := now0.Add(time.Duration(rng.Int64N(int64(horizon)))).Truncate(time.Microsecond)
			ps = append(ps, newPost(at, i64(rng.Int64N(900)), rng.Int64N(50), "IMAGE", "#later"))
		}
		snaps := randomSnapshots(rng, now0)
		insertPosts(t, db, created.ID, ps)
		insertSnapshots(t, db, created.ID, snaps)
		// Freshness comes from the account row; the next fetch falls due
		// during the walk, so next_sync_at moves with now from then on.
		if _, err := db.ExecContext(ctx, `UPDATE instagram_accounts SET last_synced_at = $2, insights_synced_at = $3 WHERE id = $1`,
			created.ID, now0.Add(-time.Hour), now0.Add(-30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		acc := reloadAccount(t, accounts, created.ID)

		for _, zone := range propertyZones {
			tz, err := fresh.Location(zone)
			if err != nil {
				t.Fatal(err)
			}
			for _, period := range []int{7, 14, 30, 90} {
				span := time.Duration(period) * 24 * time.Hour
				var at []time.Time
				mark := func(ev time.Time) {
					if ev.After(now0) && ev.Before(now0.Add(horizon)) {
						at = append(at, ev, ev.Add(-time.Microsecond))
					}
				}
				for _, p := range ps {
					if p.PostedAt != nil {
						for _, d := range []time.Duration{0, span, 2 * span, 7 * 24 * time.Hour} {
							mark(p.PostedAt.Add(d))
						}
					}
				}
				sorted := slices.SortedFunc(slices.Values(snaps), func(a, b testSnapshot) int { return a.TakenAt.Compare(b.TakenAt) })
				for j, s := range sorted {
					mark(s.TakenAt)
					mark(s.TakenAt.Add(span))
					if j > 0 {
						prev := sorted[j-1].TakenAt
						mark(prev.Add(s.TakenAt.Sub(prev) / 2).Add(span))
					}
				}
				// Local midnights at either end, and a few minutes before
				// them, so that a report computed then must end on time.
				for d := 0; d < 3; d++ {
					y, m, dd := now0.In(tz).Date()
					midnight := time.Date(y, m, dd+d, 0, 0, 0, 0, tz)
					mark(midnight)
					mark(midnight.Add(-3 * time.Minute))
					y, m, dd = now0.Add(-span).In(tz).Date()
					midnight = time.Date(y, m, dd+d, 0, 0, 0, 0, tz).Add(span)
					mark(midnight)
					mark(midnight.Add(-3 * time.Minute))
				}
				for range 10 {
					mark(now0.Add(time.Duration(rng.Int64N(int64(horizon)))))
				}
				at = append(at, now0)
				slices.SortFunc(at, time.Time.Compare)
				for _, now := range at {
					steps++
					got, err := cached.StatsJSON(ctx, acc, period, tz, now)
					if err != nil {
						t.Fatalf("cached StatsJSON: %v", err)
					}
					want, err := fresh.Stats(ctx, acc, period, tz, now)
					if err != nil {
						t.Fatalf("Stats: %v", err)
					}
					// Byte for byte what encoding/json makes of the report.
					if string(got) != mustJSON(t, want) {
						diff := jsonDiff(t, json.RawMessage(got), want)
						t.Fatalf("now0 %s, now %s, tz %s, period %d: a reused report differs:\n%s\n%s",
							now0.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano), zone, period, diff, got)
					}
				}
			}
		}
	}
	hits, misses := cached.CacheCounts()
	t.Logf("%d instants: %d reports reused, %d computed", steps, hits, misses)
	if hits < uint64(steps)/3 {
		t.Errorf("only %d of %d reports were reused", hits, steps)
	}
}

// TestService_Stats_ReuseFollowsData changes an account's posts, snapshots
// and follower count between two requests at the same instant: the second
// report must show each change.
func TestService_Stats_ReuseFollowsData(t *testing.T) {
	db := testdb.New(t)
	accounts := postgres.NewAccounts(db)
	svc := growth.NewService(db, growth.CacheSize(16))
	ctx := context.Background()
	now := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	acc := createAccount(t, db, i64(1000))
	insertPosts(t, db, acc.ID, []testPost{newPost(now.Add(-time.Hour), i64(10), 1, "IMAGE", "#one")})
	insertSnapshots(t, db, acc.ID, []testSnapshot{{TakenOn: "2026-06-01", TakenAt: now.Add(-9 * 24 * time.Hour), Followers: 500}})

	report := func(what string) growth.Stats {
		t.Helper()
		st, err := svc.Stats(ctx, reloadAccount(t, accounts, acc.ID), 7, time.UTC, now)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return st
	}
	first := report("first")
	if first.TotalPosts != 1 || first.TotalLikes != 10 || first.FollowersTrend == nil || *first.FollowersTrend != 100 {
		t.Fatalf("first report: posts %d, likes %d, followers_trend %v", first.TotalPosts, first.TotalLikes, first.FollowersTrend)
	}
	if again := report("again"); again.TotalPosts != 1 {
		t.Fatalf("again: %d posts", again.TotalPosts)
	}
	if hits, _ := svc.CacheCounts(); hits != 1 {
		t.Fatalf("the unchanged account's report was not reused: %d hits", hits)
	}

	insertPosts(t, db, acc.ID, []testPost{newPost(now.Add(-2*time.Hour), i64(5), 2, "VIDEO", "#two")})
	if st := report("after a new post"); st.TotalPosts != 2 || st.TotalLikes != 15 {
		t.Errorf("after a new post: posts %d, likes %d, want 2, 15", st.TotalPosts, st.TotalLikes)
	}
	if _, err := db.ExecContext(ctx, `UPDATE instagram_posts SET like_count = 100 WHERE account_id = $1 AND caption = '#one'`, acc.ID); err != nil {
		t.Fatal(err)
	}
	if st := report("after new counts"); st.TotalLikes != 105 {
		t.Errorf("after new counts: likes %d, want 105", st.TotalLikes)
	}
	insertSnapshots(t, db, acc.ID, []testSnapshot{{TakenOn: "2026-06-03", TakenAt: now.Add(-7 * 24 * time.Hour), Followers: 800}})
	if st := report("after a snapshot"); st.FollowersTrend == nil || *st.FollowersTrend != 25 {
		t.Errorf("after a snapshot: followers_trend %v, want 25", st.FollowersTrend)
	}
	if _, err := db.ExecContext(ctx, `UPDATE instagram_accounts SET followers = 1600 WHERE id = $1`, acc.ID); err != nil {
		t.Fatal(err)
	}
	if st := report("after a new follower count"); st.Followers == nil || *st.Followers != 1600 || *st.FollowersTrend != 100 {
		t.Errorf("after a new follower count: followers %v, trend %v, want 1600, 100", st.Followers, st.FollowersTrend)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM instagram_posts WHERE account_id = $1 AND caption = '#two'`, acc.ID); err != nil {
		t.Fatal(err)
	}
	if st := report("after a deletion"); st.TotalPosts != 1 {
		t.Errorf("after a deletion: posts %d, want 1", st.TotalPosts)
	}
	// An insights reading, as the insights job stores it; then one that
	// returned nothing, which changes no report and keeps it reused.
	posts := postgres.NewPosts(db)
	var postID string
	if err := db.QueryRowContext(ctx, `SELECT id FROM instagram_posts WHERE account_id = $1`, acc.ID).Scan(&postID); err != nil {
		t.Fatal(err)
	}
	next := now.Add(time.Hour)
	if _, err := posts.RecordInsights(ctx, postID, postgres.PostInsights{CapturedAt: now, Views: i64(700), Reach: i64(350),
		TotalInteractions: i64(35)}, &next); err != nil {
		t.Fatal(err)
	}
	st := report("after a reading")
	if st.TotalViews == nil || *st.TotalViews != 700 || st.EngagementRateByReach == nil || *st.EngagementRateByReach != 10 ||
		st.InsightsCoverage == nil || *st.InsightsCoverage != 1 {
		t.Errorf("after a reading: views %v, rate by reach %v, coverage %v, want 700, 10, 1",
			st.TotalViews, st.EngagementRateByReach, st.InsightsCoverage)
	}
	hits, _ := svc.CacheCounts()
	if _, err := posts.RecordInsights(ctx, postID, postgres.PostInsights{CapturedAt: now.Add(time.Minute)}, &next); err != nil {
		t.Fatal(err)
	}
	if st := report("after an empty reading"); st.TotalViews == nil || *st.TotalViews != 700 {
		t.Errorf("after an empty reading: views %v, want 700", st.TotalViews)
	}
	if again, _ := svc.CacheCounts(); again != hits+1 {
		t.Errorf("an empty reading stopped the report's reuse: %d hits, want %d", again, hits+1)
	}
	// Deleting the account deletes its posts and snapshots by cascade; the
	// version triggers must not get in the way.
	if err := accounts.Delete(ctx, acc.UserID, acc.ID); err != nil {
		t.Fatalf("delete account: %v", err)
	}
}

// TestService_Stats_ReusedBetweenSnapshots: with a snapshot every day at
// noon, a report is reused whichever side of the midpoint between two
// snapshots its window starts on.
func TestService_Stats_ReusedBetweenSnapshots(t *testing.T) {
	db := testdb.New(t)
	svc := growth.NewService(db, growth.CacheSize(16))
	ctx := context.Background()
	created := createAccount(t, db, i64(5000))
	var snaps []testSnapshot
	for d := 0; d < 40; d++ {
		at := time.Date(2026, 5, 15+d, 12, 0, 0, 0, time.UTC)
		snaps = append(snaps, testSnapshot{TakenOn: at.Format(time.DateOnly), TakenAt: at, Followers: int64(4000 + 10*d)})
	}
	insertSnapshots(t, db, created.ID, snaps)
	acc := reloadAccount(t, postgres.NewAccounts(db), created.ID)
	for _, now := range []time.Time{
		time.Date(2026, 6, 10, 3, 0, 0, 0, time.UTC),  // start 06-03 03:00, past the midnight midpoint
		time.Date(2026, 6, 10, 20, 0, 0, 0, time.UTC), // start 06-03 20:00, before the next midpoint
	} {
		before, _ := svc.CacheCounts()
		for _, at := range []time.Time{now, now.Add(time.Second), now.Add(time.Minute)} {
			if _, err := svc.Stats(ctx, acc, 7, time.UTC, at); err != nil {
				t.Fatal(err)
			}
		}
		if after, _ := svc.CacheCounts(); after-before != 2 {
			t.Errorf("now %s: %d of the 2 later reports reused", now, after-before)
		}
	}
}

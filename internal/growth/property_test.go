package growth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/testdb"
)

// propertyZones cross DST changes (Lord Howe's is 30 minutes), have a
// half-hour offset, or none.
var propertyZones = []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"}

// propertyNows are the report times of the generated accounts: DST change
// days and instants, and local midnights.
var propertyNows = []time.Time{
	time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC),   // New York springs forward at 07:00Z
	time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),   // Berlin springs forward at this instant
	time.Date(2026, 4, 4, 15, 0, 0, 0, time.UTC),   // Lord Howe falls back at this instant
	time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC), // midnight in Berlin, the day it fell back
	time.Date(2026, 11, 1, 6, 15, 0, 0, time.UTC),  // New York fell back at 06:00Z
	time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),    // midnight UTC
	time.Date(2026, 1, 15, 18, 30, 0, 0, time.UTC), // midnight in Kolkata
	time.Date(2026, 10, 4, 9, 45, 30, 123456000, time.UTC),
}

// captionWords mix tags of different case, non-tags and plain words.
var captionWords = []string{
	"#Travel", "#travel", "#TRAVEL", "#food", "#Food", "#sunset", "#OOTD", "#ootd", "#fitness",
	"#café", "#Café", "#東京", "#a_b", "#2026", "#x", "abc#def", "##double", "#", "hello", "world",
	"love", "this", "#Beach!", "(#summer)", "#summer,", "#Summer",
}

var mediaTypes = []string{"IMAGE", "VIDEO", "CAROUSEL_ALBUM", "REELS"}

// TestService_Stats_Property generates random accounts and requires the
// SQL report to equal the plain-Go reference, field by field, for every
// period and several time zones. GROWTH_SEED replays a failing seed.
func TestService_Stats_Property(t *testing.T) {
	rng := seededRand(t, 0x9e3779b97f4a7c15)

	db := testdb.New(t)
	svc := growth.NewService(db)
	// The same reports from growth_days, whatever the accounts' sizes.
	rollup := growth.NewService(db, growth.RollupFrom(0))
	ctx := context.Background()

	cases, posts := 0, 0
	for i, now := range propertyNows {
		var followers *int64
		switch rng.IntN(5) {
		case 0: // unknown
		case 1:
			followers = i64(0)
		default:
			followers = i64(rng.Int64N(100_000))
		}
		acc := createAccount(t, db, followers)
		// Half the accounts get few distinct engagement values, so that
		// the tie-breakers are exercised.
		tight := i%2 == 1
		// Some accounts have no insights at all, some on a few posts,
		// some on most.
		insights := []int{0, 10, 60, 95}[i%4]
		ps := randomPosts(rng, now, 200+rng.IntN(400), tight, insights)
		snaps := randomSnapshots(rng, now)
		insertPosts(t, db, acc.ID, ps)
		insertSnapshots(t, db, acc.ID, snaps)
		posts += len(ps)

		for _, zone := range propertyZones {
			tz, err := svc.Location(zone)
			if err != nil {
				t.Fatal(err)
			}
			for _, period := range []int{7, 14, 30, 90} {
				want := referenceStats(ps, followers, snaps, period, tz, now)
				for name, svc := range map[string]*growth.Service{"posts": svc, "growth_days": rollup} {
					cases++
					got, err := svc.Stats(ctx, acc, period, tz, now)
					if err != nil {
						t.Fatalf("Stats: %v", err)
					}
					if diff := jsonDiff(t, got, want); diff != "" {
						t.Errorf("%s: now %s, tz %s, period %d, %d posts, tight %v:\n%s",
							name, now.Format(time.RFC3339Nano), zone, period, len(ps), tight, diff)
					}
					if len(got.Daily) < period || len(got.Daily) > period+2 {
						t.Errorf("%s: now %s, tz %s, period %d: %d daily entries", name, now, zone, period, len(got.Daily))
					}
				}
			}
		}
	}
	t.Logf("%d cases over %d accounts, %d posts", cases, len(propertyNows), posts)
}

// randomPosts returns n posts around now: most within the two longest
// windows, some far older, some after now, some without a time, and posts
// exactly on (and a microsecond either side of) every window edge.
//
// insights is the share of posts with insights, in percent: 0 makes
// windows where no post has any.
func randomPosts(rng *rand.Rand, now time.Time, n int, tight bool, insights int) []testPost {
	var ps []testPost
	add := func(at *time.Time) {
		var likes *int64
		var comments *int64
		if tight {
			likes, comments = i64(10*rng.Int64N(3)), i64(rng.Int64N(2))
		} else {
			likes, comments = i64(rng.Int64N(5000)), i64(rng.Int64N(300))
		}
		if rng.IntN(10) == 0 {
			likes = nil // hidden
		}
		if rng.IntN(30) == 0 {
			comments = nil
		}
		var mt *string
		if rng.IntN(20) != 0 {
			mt = &mediaTypes[rng.IntN(len(mediaTypes))]
		}
		var caption *string
		if rng.IntN(15) != 0 {
			words := make([]string, rng.IntN(8))
			for i := range words {
				words[i] = captionWords[rng.IntN(len(captionWords))]
			}
			c := strings.Join(words, " ")
			caption = &c
		}
		id := uuid.NewString()
		fetched := now.Add(-time.Duration(rng.Int64N(int64(time.Hour)))).Truncate(time.Microsecond)
		ps = append(ps, testPost{ID: id, IGPostID: "ig_" + id, Caption: caption, MediaType: mt,
			MediaURL: str("https://cdn.example.test/" + id), Permalink: "https://instagram.example.test/p/" + id[:8],
			LikeCount: likes, CommentsCount: comments, PostedAt: at, FetchedAt: fetched})
		randomMedia(rng, &ps[len(ps)-1], insights, now)
	}
	at := func(t time.Time) *time.Time { return &t }
	span := 2 * 90 * 24 * time.Hour
	for range n {
		switch rng.IntN(40) {
		case 0:
			add(nil)
		case 1:
			add(at(now.Add(-span - time.Duration(rng.Int64N(int64(3*365*24*time.Hour)))).Truncate(time.Microsecond)))
		case 2:
			add(at(now.Add(time.Duration(1 + rng.Int64N(int64(48*time.Hour)))).Truncate(time.Microsecond)))
		default:
			add(at(now.Add(-time.Duration(rng.Int64N(int64(span)))).Truncate(time.Microsecond)))
		}
	}
	// Window edges, with a twin at the same instant for the best post's tie.
	for _, days := range []int{0, 7, 14, 28, 30, 60, 90, 180} {
		edge := now.Add(-time.Duration(days) * 24 * time.Hour)
		add(at(edge))
		add(at(edge))
		add(at(edge.Add(time.Microsecond)))
		add(at(edge.Add(-time.Microsecond)))
	}
	if tight {
		// Two posts at one instant with the top engagement: the best
		// post is chosen by id.
		twin := at(now.Add(-time.Duration(rng.Int64N(int64(6 * 24 * time.Hour)))).Truncate(time.Microsecond))
		for range 2 {
			add(twin)
			ps[len(ps)-1].LikeCount, ps[len(ps)-1].CommentsCount = i64(60), i64(1)
		}
		// Two slots with one average: ranked by posts.
		t0 := now.Add(-time.Duration(1+rng.IntN(5)) * 24 * time.Hour).Truncate(time.Hour)
		for i, d := range []time.Duration{0, time.Minute, 2 * time.Minute, 26 * time.Hour, 26*time.Hour + time.Minute} {
			add(at(t0.Add(-d)))
			ps[len(ps)-1].LikeCount, ps[len(ps)-1].CommentsCount = i64([]int64{50, 50, 50, 45, 55}[i]), i64(0)
		}
		// Tags with one average: ranked by posts, then by name.
		for _, c := range []string{"#TieOne", "#tieone", "#TieTwo", "#tietwo x", "#tietwo", "#tieb #tiea", "#tiea #tieb"} {
			add(at(now.Add(-time.Duration(rng.Int64N(int64(6 * 24 * time.Hour)))).Truncate(time.Microsecond)))
			p := &ps[len(ps)-1]
			p.LikeCount, p.CommentsCount, p.Caption = i64(39), i64(1), &c
		}
	}
	rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	return ps
}

// randomMedia sets the product type, URLs and, for insights percent of
// the posts, a reading whose metrics are each missing now and then (reach
// 0 on some), small in tight accounts so that sums and means tie.
func randomMedia(rng *rand.Rand, p *testPost, insights int, now time.Time) {
	switch rng.IntN(4) {
	case 0: // nothing sent
	case 1:
		p.ProductType = str("REELS")
	default:
		p.ProductType = str("FEED")
	}
	if rng.IntN(3) == 0 {
		p.ThumbnailURL = str("https://cdn.example.test/thumb/" + p.ID)
		if rng.IntN(2) == 0 {
			p.MediaURL = nil
		}
	}
	if rng.IntN(100) >= insights {
		return
	}
	metric := func(max int64) *int64 {
		if rng.IntN(6) == 0 {
			return nil
		}
		return i64(rng.Int64N(max))
	}
	in := &testInsights{CapturedAt: now.Add(-time.Duration(rng.Int64N(int64(48 * time.Hour)))).Truncate(time.Microsecond)}
	in.Views, in.Reach, in.Saved, in.Shares = metric(20_000), metric(9_000), metric(300), metric(200)
	in.TotalInteractions, in.Follows, in.ProfileVisits, in.Reposts = metric(2_000), metric(20), metric(50), metric(5)
	if rng.IntN(12) == 0 {
		in.Reach = i64(0)
	}
	if rng.IntN(3) == 0 {
		in.AvgWatchTimeMs, in.TotalWatchTime = metric(30_000), metric(50_000_000)
		if rng.IntN(2) == 0 {
			in.SkipRate = f64(float64(rng.IntN(1000)) / 10)
		}
	}
	p.Insights = in
}

// randomSnapshots returns none, or up to a daily history of follower
// counts (with a zero now and then), plus pairs equally far from a window
// start so the tie rule is exercised, and a snapshot after now.
func randomSnapshots(rng *rand.Rand, now time.Time) []testSnapshot {
	if rng.IntN(4) == 0 {
		return nil
	}
	var out []testSnapshot
	seen := map[string]bool{}
	add := func(at time.Time, followers int64) {
		on := at.UTC().Format(time.DateOnly)
		if seen[on] {
			return // the primary key is (account_id, taken_on)
		}
		seen[on] = true
		out = append(out, testSnapshot{TakenOn: on, TakenAt: at.Truncate(time.Microsecond), Followers: followers})
	}
	for _, period := range []int{7, 30} {
		start := now.Add(-time.Duration(period) * 24 * time.Hour)
		d := time.Duration(1+rng.IntN(11)) * time.Hour
		add(start.Add(-d), rng.Int64N(50_000))
		add(start.Add(d), rng.Int64N(50_000))
	}
	add(now.Add(36*time.Hour), 1) // after now: never used
	// Two snapshots at one instant (dates that no other has): the later
	// date is the one read at or before a window start.
	same := now.Add(-7*24*time.Hour - 30*time.Minute).Truncate(time.Microsecond)
	out = append(out, testSnapshot{TakenOn: "2001-01-01", TakenAt: same, Followers: rng.Int64N(50_000)},
		testSnapshot{TakenOn: "2001-01-02", TakenAt: same, Followers: rng.Int64N(50_000)})
	for day := 200; day >= 0; day-- {
		if rng.IntN(3) != 0 {
			continue
		}
		f := rng.Int64N(50_000)
		if rng.IntN(25) == 0 {
			f = 0
		}
		add(now.Add(-time.Duration(day)*24*time.Hour+time.Duration(rng.Int64N(int64(20*time.Hour)))), f)
	}
	return out
}

// jsonDiff compares the JSON of got and want key by key and describes the
// differences; "" when they are equal.
func jsonDiff(t testing.TB, got, want any) string {
	t.Helper()
	g, w := mustJSON(t, got), mustJSON(t, want)
	if g == w {
		return ""
	}
	var gm, wm map[string]json.RawMessage
	if err := json.Unmarshal([]byte(g), &gm); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(w), &wm); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for k, wv := range wm {
		if gv := gm[k]; string(gv) != string(wv) {
			fmt.Fprintf(&b, "  %s:\n    got  %s\n    want %s\n", k, gv, wv)
		}
	}
	for k := range gm {
		if _, ok := wm[k]; !ok {
			fmt.Fprintf(&b, "  unexpected key %s\n", k)
		}
	}
	return b.String()
}

package growth_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/testdb"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestService_Stats is a report worked out by hand: window edges, a hidden
// like count, posts outside both windows, a snapshot on either side of the
// window start, and mixed-case hashtags.
func TestService_Stats(t *testing.T) {
	db := testdb.New(t)
	svc := growth.NewService(db)
	acc := createAccount(t, db, i64(1000))
	now := ts("2026-03-10T12:00:00Z")
	a := newPost(now, i64(100), 10, "IMAGE", "Look #Travel #food")                             // exactly now: current
	b := newPost(ts("2026-03-09T18:30:00Z"), nil, 5, "VIDEO", "#travel")                       // hidden likes
	c := newPost(ts("2026-03-03T12:00:00.000001Z"), i64(7), 0, "IMAGE", "#FOOD #x abc#travel") // just inside
	d := newPost(ts("2026-03-03T12:00:00Z"), i64(40), 4, "IMAGE", "#food")                     // now − 7 d: previous
	e := newPost(ts("2026-02-24T12:00:00.000001Z"), i64(10), 4, "VIDEO", "")                   // previous
	f := newPost(ts("2026-02-24T12:00:00Z"), i64(999), 99, "IMAGE", "#food")                   // now − 14 d: neither
	g := newPost(ts("2026-03-10T12:00:00.000001Z"), i64(999), 99, "IMAGE", "#food")            // after now
	h := newPost(now, i64(999), 99, "IMAGE", "#food")
	h.PostedAt = nil // never published
	read := ts("2026-03-10T06:00:00Z")
	a.Insights = &testInsights{CapturedAt: read, Views: i64(1000), Reach: i64(800), Saved: i64(10), Shares: i64(5), TotalInteractions: i64(120)}
	c.Insights = &testInsights{CapturedAt: read, Views: i64(500), Saved: i64(2), TotalInteractions: i64(30)} // reach unknown
	d.Insights = &testInsights{CapturedAt: read, Views: i64(1200), Reach: i64(1000), Saved: i64(4), Shares: i64(0)}
	insertPosts(t, db, acc.ID, []testPost{a, b, c, d, e, f, g, h})
	insertSnapshots(t, db, acc.ID, []testSnapshot{
		{TakenOn: "2026-03-03", TakenAt: ts("2026-03-03T10:00:00Z"), Followers: 800},  // 2 h before the start
		{TakenOn: "2026-03-04", TakenAt: ts("2026-03-04T09:00:00Z"), Followers: 1200}, // 21 h after
		{TakenOn: "2026-03-11", TakenAt: ts("2026-03-11T09:00:00Z"), Followers: 5},    // after now
	})

	got, err := svc.Stats(context.Background(), acc, 7, time.UTC, now)
	if err != nil {
		t.Fatal(err)
	}
	zero := func(date string) growth.Day { return growth.Day{Date: date} }
	best := refPost(a)
	want := growth.Stats{
		PeriodDays: 7, PeriodStart: ts("2026-03-03T12:00:00Z"), PeriodEnd: now, Summary: growth.Summary{
			TotalPosts: 3, TotalLikes: 107, TotalComments: 15, AvgLikes: 35.67, AvgComments: 5,
			Previous: growth.Totals{TotalPosts: 2, TotalLikes: 50, TotalComments: 8,
				TotalViews: i64(1200), TotalReach: i64(1000), TotalSaves: i64(4), TotalShares: i64(0)},
			TotalViews: i64(1500), TotalReach: i64(800), TotalSaves: i64(12), TotalShares: i64(5),
			ViewsTrend: f64(25), ReachTrend: f64(-20), SavesTrend: f64(200), SharesTrend: f64(100),
			InsightsCoverage: f64(0.67), EngagementRateByReach: f64(15),
			LikesTrend: 114, CommentsTrend: 87.5, PostsThisWeek: 3, PostsPerWeek: 3,
			BestPost: best, Message: "🔥 You're on fire! Engagement is way up.",
			Followers: i64(1000), FollowersTrend: f64(25), EngagementRate: f64(4.1),
			Daily: []growth.Day{
				{Date: "2026-03-03", Posts: 1, Likes: 7, Views: i64(500)}, zero("2026-03-04"), zero("2026-03-05"), zero("2026-03-06"),
				zero("2026-03-07"), zero("2026-03-08"), {Date: "2026-03-09", Posts: 1, Comments: 5},
				{Date: "2026-03-10", Posts: 1, Likes: 100, Comments: 10, Views: i64(1000), Reach: i64(800)},
			},
			MediaTypes: []growth.MediaType{
				{MediaType: "IMAGE", Posts: 2, AvgLikes: 53.5, AvgComments: 5},
				{MediaType: "VIDEO", Posts: 1, AvgLikes: 0, AvgComments: 5},
			},
			BestPostingTimes: []growth.PostingTime{{Weekday: 2, Hour: 12, Posts: 2, AvgEngagement: 58.5}},
			TopHashtags: []growth.Hashtag{
				{Tag: "#food", Posts: 2, AvgEngagement: 58.5},
				{Tag: "#travel", Posts: 2, AvgEngagement: 57.5},
			},
		}}
	if diff := jsonDiff(t, got, want); diff != "" {
		t.Errorf("Stats:\n%s", diff)
	}
	if diff := jsonDiff(t, got, referenceStats([]testPost{a, b, c, d, e, f, g, h}, i64(1000), []testSnapshot{
		{TakenOn: "2026-03-03", TakenAt: ts("2026-03-03T10:00:00Z"), Followers: 800},
		{TakenOn: "2026-03-04", TakenAt: ts("2026-03-04T09:00:00Z"), Followers: 1200},
		{TakenOn: "2026-03-11", TakenAt: ts("2026-03-11T09:00:00Z"), Followers: 5},
	}, 7, time.UTC, now)); diff != "" {
		t.Errorf("reference disagrees with the hand-worked report:\n%s", diff)
	}

	t.Run("JSON", func(t *testing.T) {
		var m map[string]any
		if err := json.Unmarshal([]byte(mustJSON(t, got)), &m); err != nil {
			t.Fatal(err)
		}
		keysOf := func(m map[string]any) []string {
			var ks []string
			for k := range m {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			return ks
		}
		wantKeys := []string{"avg_comments", "avg_likes", "best_post", "best_posting_times", "comments_trend", "daily",
			"engagement_rate", "followers", "followers_trend", "likes_trend", "media_types", "message", "period_days",
			"period_end", "period_start", "posts_per_week", "posts_this_week", "previous", "top_hashtags",
			"total_comments", "total_likes", "total_posts",
			"engagement_rate_by_reach", "freshness", "insights_coverage", "reach_trend", "saves_trend", "shares_trend",
			"total_reach", "total_saves", "total_shares", "total_views", "views_trend"}
		slices.Sort(wantKeys)
		if got := keysOf(m); !slices.Equal(got, wantKeys) {
			t.Errorf("keys = %v, want %v", got, wantKeys)
		}
		postKeys := []string{"caption", "comments_count", "fetched_at", "id", "ig_post_id", "insights", "like_count",
			"media_product_type", "media_type", "media_url", "permalink", "posted_at", "thumbnail_url"}
		if got := keysOf(m["best_post"].(map[string]any)); !slices.Equal(got, postKeys) {
			t.Errorf("best_post keys = %v, want %v", got, postKeys)
		}
		if got, want := m["period_start"], "2026-03-03T12:00:00Z"; got != want {
			t.Errorf("period_start = %v, want %v", got, want)
		}
	})
}

// TestService_Stats_Rounding checks half away from zero on exact halves:
// a trend of −2.25 % and averages of 0.125 and 48.875.
func TestService_Stats_Rounding(t *testing.T) {
	db := testdb.New(t)
	acc := createAccount(t, db, nil)
	now := ts("2026-07-01T08:00:00Z")
	var posts []testPost
	posts = append(posts, newPost(now.Add(-20*24*time.Hour), i64(400), 0, "IMAGE", "")) // previous
	posts = append(posts, newPost(now.Add(-time.Hour), i64(391), 1, "IMAGE", ""))
	for i := range 7 {
		posts = append(posts, newPost(now.Add(-time.Duration(i+2)*time.Hour), i64(0), 0, "IMAGE", ""))
	}
	insertPosts(t, db, acc.ID, posts)
	got, err := growth.NewService(db).Stats(context.Background(), acc, 14, time.UTC, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.LikesTrend != -2.3 || got.AvgComments != 0.13 || got.AvgLikes != 48.88 || got.CommentsTrend != 100 {
		t.Errorf("likes_trend %v, avg_comments %v, avg_likes %v, comments_trend %v; want -2.3, 0.13, 48.88, 100",
			got.LikesTrend, got.AvgComments, got.AvgLikes, got.CommentsTrend)
	}
	if got, want := got.Message, "😎 Holding steady - keep doing your thing. You've been posting a lot - great hustle!"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if got.FollowersTrend != nil || got.EngagementRate != nil || got.Followers != nil {
		t.Errorf("followers %v, followers_trend %v, engagement_rate %v; want all null", got.Followers, got.FollowersTrend, got.EngagementRate)
	}
}

func TestService_Stats_NoPosts(t *testing.T) {
	db := testdb.New(t)
	svc := growth.NewService(db)
	acc := createAccount(t, db, i64(0))
	berlin, err := svc.Location("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, period := range []int{7, 14, 30, 90} {
		got, err := svc.Stats(context.Background(), acc, period, berlin, ts("2026-03-10T12:34:56Z"))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := got.Message, "No posts yet in this period. Time to share something! 📸"; got != want {
			t.Errorf("message = %q, want %q", got, want)
		}
		if got.BestPost != nil || got.TotalPosts != 0 || got.LikesTrend != 0 || got.CommentsTrend != 0 || got.PostsPerWeek != 0 {
			t.Errorf("period %d: %+v, want an empty report", period, got)
		}
		if got, want := len(got.Daily), period+1; got != want {
			t.Errorf("period %d: %d daily entries, want %d", period, got, want)
		}
		for _, d := range got.Daily {
			if d.Posts != 0 || d.Likes != 0 || d.Comments != 0 {
				t.Errorf("day %+v, want zeros", d)
			}
		}
		if got.EngagementRate != nil || got.FollowersTrend != nil || got.Followers == nil || *got.Followers != 0 {
			t.Errorf("followers %v, followers_trend %v, engagement_rate %v; want 0, null, null", got.Followers, got.FollowersTrend, got.EngagementRate)
		}
		raw := mustJSON(t, got)
		for _, frag := range []string{`"best_post":null`, `"media_types":[]`, `"best_posting_times":[]`, `"top_hashtags":[]`,
			`"engagement_rate":null`, `"followers_trend":null`} {
			if !strings.Contains(raw, frag) {
				t.Errorf("JSON %s lacks %s", raw, frag)
			}
		}
	}
}

// TestService_Stats_EmptyPrevious: trend is 100 when the previous window
// has nothing and the current something, 0 when both are empty.
func TestService_Stats_EmptyPrevious(t *testing.T) {
	db := testdb.New(t)
	acc := createAccount(t, db, i64(50))
	now := ts("2026-05-05T05:05:05Z")
	insertPosts(t, db, acc.ID, []testPost{newPost(now.Add(-time.Hour), i64(0), 3, "IMAGE", "")})
	insertSnapshots(t, db, acc.ID, []testSnapshot{{TakenOn: "2026-04-01", TakenAt: ts("2026-04-01T00:00:00Z"), Followers: 0}})
	got, err := growth.NewService(db).Stats(context.Background(), acc, 30, time.UTC, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.LikesTrend != 0 || got.CommentsTrend != 100 {
		t.Errorf("likes_trend %v, comments_trend %v; want 0, 100", got.LikesTrend, got.CommentsTrend)
	}
	if got.FollowersTrend == nil || *got.FollowersTrend != 100 {
		t.Errorf("followers_trend = %v, want 100 (snapshot of 0 followers)", got.FollowersTrend)
	}
	if got.EngagementRate == nil || *got.EngagementRate != 6 {
		t.Errorf("engagement_rate = %v, want 6", got.EngagementRate)
	}
	if got, want := got.Message, "😎 Holding steady - keep doing your thing."; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestService_Stats_InvalidPeriod(t *testing.T) {
	db := testdb.New(t)
	acc := createAccount(t, db, nil)
	for _, p := range []int{0, -7, 1, 8, 31, 60, 365} {
		_, err := growth.NewService(db).Stats(context.Background(), acc, p, time.UTC, time.Now())
		if got, want := apperr.Code(err), apperr.CodeInvalidPeriod; got != want {
			t.Errorf("period %d: code %q, want %q", p, got, want)
		}
	}
}

func TestService_Location(t *testing.T) {
	svc := growth.NewService(nil)
	for _, name := range []string{"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Asia/Kolkata"} {
		loc, err := svc.Location(name)
		if err != nil || loc.String() != name {
			t.Errorf("Location(%q) = %v, %v; want the zone", name, loc, err)
		}
		if again, _ := svc.Location(name); again != loc {
			t.Errorf("Location(%q) is not cached", name)
		}
	}
	for _, name := range []string{"", "Local", "local", "localtime", "Europe/Nowhere", "../etc/passwd", "Europe/../UTC",
		"/etc/localtime", "Europe//Berlin", "Europe/", "Europe Berlin", "Europe/Berlin\x00", "UTC;DROP", "é",
		strings.Repeat("A", 65), "+05:00", "zone.tab"} {
		if _, err := svc.Location(name); apperr.Code(err) != apperr.CodeInvalidRequest {
			t.Errorf("Location(%q) error = %v, want invalid_request", name, err)
		}
	}
}

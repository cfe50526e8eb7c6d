package advice

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// testNow is a Tuesday noon in UTC.
var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// photo is a feed image posted age before testNow with the given likes and
// no insights.
func photo(id string, age time.Duration, likes int64) Post {
	return Post{ID: id, PostedAt: testNow.Add(-age), MediaType: "IMAGE", MediaProductType: "FEED", Likes: i64(likes)}
}

// days returns n days as a duration.
func days(n float64) time.Duration { return time.Duration(n * float64(24*time.Hour)) }

// photos returns n photos a day apart from 2 days old, likes from likes().
func photos(n int, likes func(i int) int64) []Post {
	ps := make([]Post, n)
	for i := range ps {
		ps[i] = photo(fmt.Sprintf("p%d", i), days(2+float64(i)), likes(i))
	}
	return ps
}

func recommend(posts []Post) Recommendations {
	return Recommend(RecommendInput{Posts: posts, Now: testNow, Location: time.UTC, PeriodDays: 90})
}

func TestRecommend_MinPosts(t *testing.T) {
	for _, c := range []struct {
		n      int
		status string
	}{{9, StatusInsufficientData}, {10, StatusOK}} {
		t.Run(fmt.Sprint(c.n), func(t *testing.T) {
			// One post of 1000 among posts of 100: a winner when there are 10.
			r := recommend(photos(c.n, func(i int) int64 { return map[bool]int64{true: 1000, false: 100}[i == 0] }))
			if r.Status != c.status || r.PostsConsidered != c.n {
				t.Fatalf("status %s, considered %d; want %s, %d", r.Status, r.PostsConsidered, c.status, c.n)
			}
			if r.Outliers.MedianEngagement == nil || *r.Outliers.MedianEngagement != 100 {
				t.Errorf("median = %v, want 100", r.Outliers.MedianEngagement)
			}
			wantWinners := map[string]int{StatusOK: 1, StatusInsufficientData: 0}[c.status]
			if len(r.Outliers.Winners) != wantWinners {
				t.Errorf("winners = %v, want %d", r.Outliers.Winners, wantWinners)
			}
			b, _ := json.Marshal(r)
			if c.status == StatusInsufficientData && !strings.Contains(string(b), `"recommendations":[],`) ||
				!strings.Contains(string(b), `"laggards":[]`) {
				t.Errorf("json = %s", b)
			}
		})
	}
}

func TestRecommend_Window(t *testing.T) {
	cases := []struct {
		name string
		age  time.Duration
		kept bool
	}{
		{"24h", 24 * time.Hour, true},
		{"23h59m", 24*time.Hour - time.Minute, false},
		{"24h minus 1ns", 24*time.Hour - 1, false},
		{"in the future", -time.Hour, false},
		{"90 days minus 1ns", days(90) - 1, true},
		{"exactly 90 days", days(90), false},
		{"older", days(91), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			posts := photos(10, func(int) int64 { return 100 })
			posts = append(posts, photo("x", c.age, 5000))
			r := recommend(posts)
			want := 10
			if c.kept {
				want = 11
			}
			if r.PostsConsidered != want {
				t.Errorf("considered = %d, want %d", r.PostsConsidered, want)
			}
			if got := len(r.Outliers.Winners) == 1; got != c.kept {
				t.Errorf("winner x reported: %v, want %v", got, c.kept)
			}
		})
	}
}

func TestRecommend_ZeroTime(t *testing.T) {
	posts := photos(10, func(int) int64 { return 100 })
	posts = append(posts, Post{ID: "zero", Likes: i64(5000)}, Post{ID: "far", PostedAt: testNow.AddDate(300, 0, 0), Likes: i64(5000)})
	if r := recommend(posts); r.PostsConsidered != 10 || len(r.Outliers.Winners) != 0 {
		t.Errorf("considered %d winners %v, want 10 and none", r.PostsConsidered, r.Outliers.Winners)
	}
}

func TestRecommend_Outliers(t *testing.T) {
	// Twelve posts, newest first; the middle two sorted values are 100
	// and 100: median 100. Winners ≥ 200, laggards ≤ 50.
	likes := []int64{200, 199, 50, 51, 100, 100, 100, 100, 100, 300, 10, 1000}
	posts := photos(len(likes), func(i int) int64 { return likes[i] })
	r := recommend(posts)
	ids := func(refs []PostRef) string {
		var s []string
		for _, ref := range refs {
			if posts[ref.Index].ID != ref.ID {
				t.Errorf("ref %+v does not point at its post", ref)
			}
			s = append(s, ref.ID)
		}
		return strings.Join(s, ",")
	}
	if got, want := ids(r.Outliers.Winners), "p0,p9,p11"; got != want {
		t.Errorf("winners = %s, want %s", got, want)
	}
	if got, want := ids(r.Outliers.Laggards), "p2,p10"; got != want {
		t.Errorf("laggards = %s, want %s", got, want)
	}

	// Even count with different middle values: 100 and 120 → 110; 220 is a
	// winner, 219 is not; 55 a laggard, 56 not.
	likes = []int64{219, 220, 55, 56, 100, 120, 100, 120, 120, 100}
	posts = photos(len(likes), func(i int) int64 { return likes[i] })
	r = recommend(posts)
	if *r.Outliers.MedianEngagement != 110 || ids(r.Outliers.Winners) != "p1" || ids(r.Outliers.Laggards) != "p2" {
		t.Errorf("median %v winners %s laggards %s; want 110, p1, p2", *r.Outliers.MedianEngagement, ids(r.Outliers.Winners), ids(r.Outliers.Laggards))
	}

	// At most 5, newest first; unknown likes are left out; comments, saves
	// and shares count.
	posts = photos(20, func(i int) int64 { return 10 })
	for i := 0; i < 8; i++ {
		posts[i].Likes = i64(1000)
	}
	posts[0].Likes = nil
	posts[12].Likes, posts[12].Comments, posts[12].Saved, posts[12].Shares = i64(5), 5, i64(5), i64(5) // 20 = 2 × 10
	r = recommend(posts)
	if got := ids(r.Outliers.Winners); got != "p1,p2,p3,p4,p5" {
		t.Errorf("winners = %s, want p1…p5", got)
	}
	if r.PostsConsidered != 20 || *r.Outliers.MedianEngagement != 10 {
		t.Errorf("considered %d median %v", r.PostsConsidered, *r.Outliers.MedianEngagement)
	}

	// A median of 0: no post is set apart.
	r = recommend(photos(12, func(i int) int64 { return map[bool]int64{true: 50, false: 0}[i < 2] }))
	if len(r.Outliers.Winners) != 0 || len(r.Outliers.Laggards) != 0 {
		t.Errorf("median 0 gave winners %v laggards %v", r.Outliers.Winners, r.Outliers.Laggards)
	}
}

// formatAccount has group posts of format (reach groupReach(i)) and base
// photos (reach baseReach(i)), all at 09:00 UTC, two posts every two days.
func formatAccount(product string, group int, groupReach func(i int) int64, base int, baseReach func(i int) int64) []Post {
	var posts []Post
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) // a Tuesday
	for i := range group + base {
		p := Post{ID: fmt.Sprint(i), PostedAt: at.Add(-days(float64(2 * (i / 2)))).Add(time.Duration(i%2) * time.Minute),
			MediaType: "IMAGE", MediaProductType: "FEED", Likes: i64(10)}
		if i < group {
			p.MediaType, p.MediaProductType, p.Reach = "VIDEO", product, i64(groupReach(i))
		} else {
			p.Reach = i64(baseReach(i - group))
		}
		posts = append(posts, p)
	}
	return posts
}

func findKind(r Recommendations, kind string) *Recommendation {
	for i := range r.Recommendations {
		if r.Recommendations[i].Kind == kind {
			return &r.Recommendations[i]
		}
	}
	return nil
}

func TestRecommend_FormatRule(t *testing.T) {
	high := func(i int) int64 { return 5000 + int64(i) }
	low := func(i int) int64 { return 1000 + int64(i) }
	cases := []struct {
		name       string
		group      int
		groupReach func(int) int64
		base       int
		baseReach  func(int) int64
		want       bool
	}{
		// 2 Reels far above 10 photos: the group is too small.
		{"group of 2", 2, high, 10, low, false},
		// 3 vs 9 with every Reel above every photo: exact p = 2/C(12,3) = 0.009.
		{"group of 3", 3, high, 9, low, true},
		// 9 Reels vs 2 photos: the baseline is too small (and photos vs
		// Reels too).
		{"baseline of 2", 9, high, 2, low, false},
		{"baseline of 3", 9, high, 3, low, true},
		// Medians 1207 / 1007 = 1.199 vs 1216 / 1007 = 1.208, all apart.
		{"effect 1.199", 15, func(i int) int64 { return 1200 + int64(i) }, 15, low, false},
		{"effect 1.208", 15, func(i int) int64 { return 1209 + int64(i) }, 15, low, true},
		// Strong effect but Reels and photos interleave: 3 Reels at ranks
		// 6, 8 and 12 of 12 → U = 5+6+9 = 20 of 27, p ≈ 0.26.
		{"not significant", 3, func(i int) int64 { return []int64{1006, 1008, 9000}[i] }, 9,
			func(i int) int64 { return []int64{1000, 1001, 1002, 1003, 1004, 1007, 1009, 1010, 1011}[i] }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := recommend(formatAccount("REELS", c.group, c.groupReach, c.base, c.baseReach))
			rec := findKind(r, KindFormat)
			if (rec != nil) != c.want {
				t.Fatalf("format recommendation %+v, want one: %v (all: %+v)", rec, c.want, r.Recommendations)
			}
			if rec != nil && (rec.Sample.N < MinGroup || rec.Sample.BaselineN < MinGroup || rec.Metric != MetricReach) {
				t.Errorf("recommendation %+v", rec)
			}
		})
	}
}

func TestRecommend_Words(t *testing.T) {
	// 14 Reels reaching 2,300 each vs 38 photos reaching 1,000 (the
	// contract's example, ties and all).
	posts := formatAccount("", 14, func(int) int64 { return 2300 }, 38, func(int) int64 { return 1000 })
	for i := range 14 { // media_product_type unknown: the permalink tells
		posts[i].Permalink = fmt.Sprintf("https://www.instagram.com/reel/%d/", i)
	}
	r := recommend(posts)
	rec := findKind(r, KindFormat)
	if rec == nil {
		t.Fatalf("no format recommendation: %+v", r.Recommendations)
	}
	if got, want := rec.Title, "Reels reach 2.3× more people than your other posts"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if got, want := rec.Detail, "Reels reached a median of 2,300 people vs 1,000 for your other posts (14 Reels vs 38 other posts)."; got != want {
		t.Errorf("detail = %q, want %q", got, want)
	}
	// min(14, 38) is under 15 but at least 6, with p < 0.05: medium.
	if rec.Effect != 2.3 || rec.Sample != (Sample{14, 38}) || rec.Confidence != "medium" || rec.Metric != MetricReach {
		t.Errorf("recommendation %+v", rec)
	}

	// Reels vs photos and photos vs Reels are equally strong (|ln 1.66| =
	// |ln 0.6|) with the same p: the first format, Reels, is kept.
	posts = formatAccount("REELS", 20, func(i int) int64 { return 1000 + int64(i) }, 20, func(i int) int64 { return 600 + int64(i) })
	r = recommend(posts)
	if rec := findKind(r, KindFormat); rec == nil || rec.Title != "Reels reach 1.7× more people than your other posts" || rec.Effect != 1.66 {
		t.Errorf("format recommendation = %+v", rec)
	}
	if got := comparison(MetricReach, 0.6); got != "reach 40% fewer people than" {
		t.Errorf("comparison(0.6) = %q", got)
	}
	for x, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1250.5: "1,250.5", 1234567: "1,234,567", 0.85: "0.9", -1234: "-1,234"} {
		if got := number(x); got != want {
			t.Errorf("number(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestConfidence(t *testing.T) {
	for _, c := range []struct {
		s    split
		want string
	}{
		{split{n: 15, baseN: 40, p: 0.009}, "high"},
		{split{n: 14, baseN: 40, p: 0.009}, "medium"},
		{split{n: 15, baseN: 40, p: 0.01}, "medium"},
		{split{n: 6, baseN: 6, p: 0.049}, "medium"},
		{split{n: 6, baseN: 6, p: 0.05}, "low"},
		{split{n: 5, baseN: 60, p: 0.001}, "low"},
	} {
		if got := confidence(c.s); got != c.want {
			t.Errorf("confidence(%+v) = %s, want %s", c.s, got, c.want)
		}
	}
}

func TestQualifies(t *testing.T) {
	for _, c := range []struct {
		s    split
		want bool
	}{
		{split{n: 3, baseN: 3, median: 12, baseMedian: 10, p: 0.09}, true},
		{split{n: 2, baseN: 3, median: 12, baseMedian: 10, p: 0.09}, false},
		{split{n: 3, baseN: 2, median: 12, baseMedian: 10, p: 0.09}, false},
		{split{n: 3, baseN: 3, median: 12, baseMedian: 10, p: 0.10}, false},
		{split{n: 3, baseN: 3, median: 11.99, baseMedian: 10, p: 0.01}, false},
		{split{n: 3, baseN: 3, median: 10, baseMedian: 12, p: 0.01}, true}, // 1/1.2
		{split{n: 3, baseN: 3, median: 10, baseMedian: 11.99, p: 0.01}, false},
		{split{n: 3, baseN: 3, median: 0, baseMedian: 12, p: 0.01}, false},
		{split{n: 3, baseN: 3, median: 5, baseMedian: 0, p: 0.01}, false},
	} {
		if got := qualifies(c.s); got != c.want {
			t.Errorf("qualifies(%+v) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, c := range []struct {
		media, product, link string
		want                 uint8
	}{
		{"VIDEO", "REELS", "/p/1", formatReels},
		{"VIDEO", "", "https://www.instagram.com/reel/abc/", formatReels},
		{"VIDEO", "", "https://www.instagram.com/p/abc/", formatVideo},
		{"VIDEO", "FEED", "https://www.instagram.com/reel/abc/", formatVideo},
		{"IMAGE", "", "https://www.instagram.com/reel/abc/", formatImage},
		{"CAROUSEL_ALBUM", "FEED", "", formatCarousel},
		{"IMAGE", "STORY", "", formatStory},
		{"", "AD", "", noGroup},
	} {
		if got := formatOf(&Post{MediaType: c.media, MediaProductType: c.product, Permalink: c.link}); got != c.want {
			t.Errorf("formatOf(%s, %s, %s) = %d, want %d", c.media, c.product, c.link, got, c.want)
		}
	}
}

func TestRecommend_Cadence(t *testing.T) {
	// Period 30: full weeks run back from now − 24 h, 4 of them. Weekly
	// counts 6, 6, 2, 2: median 4, so weeks with 5 or more are busier.
	var posts []Post
	add := func(age time.Duration, reach int64) {
		posts = append(posts, Post{ID: fmt.Sprint(len(posts)), PostedAt: testNow.Add(-age), MediaType: "IMAGE",
			MediaProductType: "FEED", Likes: i64(10), Reach: i64(reach)})
	}
	for week, n := range []int{6, 6, 2, 2} {
		for j := range n {
			age := 24*time.Hour + days(float64(7*week)) + time.Duration(j+1)*time.Hour
			if n == 6 {
				add(age, 500+int64(week*6+j))
			} else {
				add(age, 1000+int64((week-2)*2+j))
			}
		}
	}
	add(days(29.5), 5000) // in the partial fifth week: not compared
	add(days(29.6), 5000)
	add(12*time.Hour, 5000) // too young: neither counted nor compared
	r := Recommend(RecommendInput{Posts: posts, Now: testNow, Location: time.UTC, PeriodDays: 30})
	rec := findKind(r, KindCadence)
	if rec == nil {
		t.Fatalf("no cadence recommendation: %+v", r.Recommendations)
	}
	// 12 busier-week posts (median 505.5) vs 4 (median 1001.5): every
	// busier-week post below: exact p = 2 / C(16, 4).
	if rec.Sample != (Sample{12, 4}) || rec.Effect != 0.5 || rec.Confidence != "low" || !near(rec.ev.s.p, 2.0/1820, 1e-12) {
		t.Errorf("cadence %+v p %v", rec, rec.ev.s.p)
	}
	if want := "Posts in weeks with 5 or more posts reach 50% fewer people than posts in weeks with 4 or fewer"; rec.Title != want {
		t.Errorf("title %q, want %q", rec.Title, want)
	}
	if r.PostsConsidered != 18 {
		t.Errorf("considered %d, want 18", r.PostsConsidered)
	}
}

func TestRecommend_HookAndShares(t *testing.T) {
	var posts []Post
	for i := range 10 { // Reels: skip rates 10, 20, …, 100; the five below 55 % get 5,000+ views
		views := int64(1000 + i)
		if i < 5 {
			views = 5000 + int64(i)
		}
		posts = append(posts, Post{ID: fmt.Sprint(i), PostedAt: testNow.Add(-days(2 + float64(i))), MediaType: "VIDEO",
			MediaProductType: "REELS", Likes: i64(10), Reach: i64(1000), Views: i64(views), Shares: i64(10),
			SkipRate: f64(float64(10 * (i + 1)))})
	}
	for i := range 5 { // carousels: 50 sends per 1,000 reached vs 10 for the Reels
		posts = append(posts, Post{ID: fmt.Sprint(10 + i), PostedAt: testNow.Add(-days(3.5 + float64(i))), MediaType: "CAROUSEL_ALBUM",
			MediaProductType: "FEED", Likes: i64(10), Reach: i64(1000), Shares: i64(50 + int64(i))})
	}
	r := recommend(posts)
	hook := findKind(r, KindHook)
	if hook == nil || hook.Sample != (Sample{5, 5}) || hook.Metric != MetricViews || hook.Effect != 4.97 || // 5002 / 1007
		hook.Title != "Reels that fewer than 55% of viewers skipped in the first 3 seconds get 5.0× more views than your other Reels" {
		t.Errorf("hook = %+v", hook)
	}
	// Reels below the carousels and carousels above the Reels are equally
	// strong (|ln 0.19| = |ln 5.2|): the first format, Reels, is kept.
	shares := findKind(r, KindShares)
	if shares == nil || shares.Sample != (Sample{10, 5}) || shares.Metric != MetricSharesPerReach || shares.Effect != 0.19 ||
		shares.Detail != "Reels were sent to friends a median of 1 time per 100 people reached vs 5.2 for your other posts (10 Reels vs 5 other posts)." {
		t.Errorf("shares = %+v", shares)
	}
}

package httpapi_test

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

const day = 24 * time.Hour

// reelsAccount seeds an account whose Reels clearly beat its photos:
// twelve full weeks of two posts each on the same weekday and hour (so no
// timing or cadence group stands out), 8 Reels with 300–307 likes and
// 16 photos with 100–115, one photo far below with 10 likes, one post
// too young to count and one outside the 90-day window. It returns the
// account and the ids of the Reels, newest first.
func reelsAccount(t *testing.T, e *adviceEnv, userID string) (string, []string) {
	t.Helper()
	acc := e.account(t, userID, 1000)
	var ps []seedPost
	var reels []int
	photo := 100
	for k := range 12 {
		for j := range 2 {
			p := seedPost{mediaType: "IMAGE", permalink: "https://www.instagram.com/p/x/", caption: "Post",
				age: time.Duration(2+7*k)*day + time.Duration(j)*time.Minute}
			if j == 0 && k < 8 {
				p.mediaType, p.permalink, p.likes = "VIDEO", "https://www.instagram.com/reel/x/", 300+k
				reels = append(reels, len(ps))
			} else {
				p.likes, photo = photo, photo+1
			}
			ps = append(ps, p)
		}
	}
	ps = append(ps,
		seedPost{mediaType: "IMAGE", caption: "Post", likes: 10, age: 50*day + 3*time.Hour},
		seedPost{mediaType: "VIDEO", permalink: "/reel/young/", caption: "Post", likes: 5000, age: time.Hour},
		seedPost{mediaType: "VIDEO", permalink: "/reel/old/", caption: "Post", likes: 5000, age: 100 * day},
	)
	ids := e.posts(t, acc, ps...)
	out := make([]string, len(reels))
	for i, r := range reels {
		out[i] = ids[r]
	}
	return acc, out
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func TestGrowthRecommendations(t *testing.T) {
	e := newAdviceEnv(t)
	userID, token := e.user(t)
	acc, reels := reelsAccount(t, e, userID)
	otherID, otherToken := e.user(t)
	small := e.account(t, otherID, 50)
	e.posts(t, small, seedPost{mediaType: "IMAGE", likes: 5, age: 3 * day}, seedPost{mediaType: "IMAGE", likes: 7, age: 4 * day})
	_, lonelyToken := e.user(t)

	t.Run("OK", func(t *testing.T) {
		status, body, raw := e.do(t, http.MethodGet, "/api/growth/recommendations?tz=UTC", token, nil)
		if status != http.StatusOK {
			t.Fatalf("status = %d: %s", status, raw)
		}
		if got, want := body["status"], "ok"; got != want {
			t.Errorf("status = %v, want %v", got, want)
		}
		// 24 weekly posts and the low one; not the young one, not the old one.
		if got, want := body["posts_considered"], 25.0; got != want {
			t.Errorf("posts_considered = %v, want %v", got, want)
		}
		recs, _ := body["recommendations"].([]any)
		if len(recs) != 1 {
			t.Fatalf("recommendations = %v, want the format one alone", body["recommendations"])
		}
		r := recs[0].(map[string]any)
		sample, _ := r["sample"].(map[string]any)
		reelsMedian := median([]float64{300, 301, 302, 303, 304, 305, 306, 307})
		photos := []float64{10}
		for l := 100; l <= 115; l++ {
			photos = append(photos, float64(l))
		}
		effect := math.Round(reelsMedian/median(photos)*100) / 100
		if r["kind"] != "format" || r["metric"] != "engagement" || r["effect"] != effect ||
			sample["n"] != 8.0 || sample["baseline_n"] != 17.0 || r["confidence"] != "medium" || r["title"] == "" || r["detail"] == "" {
			t.Errorf("recommendation = %v, want format on engagement, effect %v, 8 against 17, medium", r, effect)
		}

		out, _ := body["outliers"].(map[string]any)
		all := append(photos, 300, 301, 302, 303, 304, 305, 306, 307)
		if got, want := out["median_engagement"], median(all); got != want {
			t.Errorf("median_engagement = %v, want %v", got, want)
		}
		winners, _ := out["winners"].([]any)
		var got []string
		for _, w := range winners {
			p := w.(map[string]any)
			got = append(got, p["id"].(string))
			if p["ig_post_id"] == "" || p["media_type"] != "VIDEO" || p["posted_at"] == nil {
				t.Errorf("winner %v is not a full post object", p)
			}
		}
		if want := reels[:5]; !slices.Equal(got, want) {
			t.Errorf("winners = %v, want the 5 newest Reels %v", got, want)
		}
		laggards, _ := out["laggards"].([]any)
		if len(laggards) != 1 || laggards[0].(map[string]any)["like_count"] != 10.0 {
			t.Errorf("laggards = %v, want the post with 10 likes", laggards)
		}

		bt, _ := body["best_times"].(map[string]any)
		heat, _ := bt["heatmap"].([]any)
		if len(heat) != 7 || len(heat[0].([]any)) != 24 || bt["basis"] != "performance" {
			t.Errorf("best_times: basis %v, heatmap %d rows", bt["basis"], len(heat))
		}
		top, _ := bt["top"].([]any)
		if len(top) == 0 {
			t.Fatalf("best_times.top is empty")
		}
		// Every considered post is on one weekday and hour.
		slot := top[0].(map[string]any)
		postedAt := time.Now().Add(-2 * day)
		if slot["posts"] != 25.0-1 || slot["hour"] != float64(postedAt.UTC().Hour()) && slot["hour"] != float64(postedAt.Add(-time.Minute).UTC().Hour()) {
			t.Errorf("top slot = %v, want the hour of the weekly posts with their 24 posts", slot)
		}
	})

	t.Run("ShorterPeriodIsInsufficient", func(t *testing.T) {
		status, body, raw := e.do(t, http.MethodGet, "/api/growth/recommendations?period=30&account_id="+acc, token, nil)
		if status != http.StatusOK {
			t.Fatalf("status = %d: %s", status, raw)
		}
		recs, _ := body["recommendations"].([]any)
		out, _ := body["outliers"].(map[string]any)
		winners, _ := out["winners"].([]any)
		if body["status"] != "insufficient_data" || body["posts_considered"] != 8.0 || len(recs) != 0 || len(winners) != 0 || recs == nil || winners == nil {
			t.Errorf("30 days: status %v, posts_considered %v, %v, %v; want insufficient_data, 8, [] and []",
				body["status"], body["posts_considered"], body["recommendations"], out["winners"])
		}
	})

	t.Run("FewPosts", func(t *testing.T) {
		status, body, _ := e.do(t, http.MethodGet, "/api/growth/recommendations", otherToken, nil)
		if status != http.StatusOK || body["status"] != "insufficient_data" || body["posts_considered"] != 2.0 {
			t.Errorf("two posts: %d %v %v", status, body["status"], body["posts_considered"])
		}
	})

	t.Run("Reused", func(t *testing.T) {
		uid, tok := e.user(t)
		acc, _ := reelsAccount(t, e, uid)
		path := "/api/growth/recommendations?tz=Europe/Berlin"
		reused0, computed0 := e.app.Guidance.CacheCounts()
		_, _, first := e.do(t, http.MethodGet, path, tok, nil)
		_, _, second := e.do(t, http.MethodGet, path, tok, nil)
		reused, computed := e.app.Guidance.CacheCounts()
		if reused-reused0 != 1 || computed-computed0 != 1 {
			t.Errorf("two views: %d reused, %d computed; want 1 and 1", reused-reused0, computed-computed0)
		}
		if first != second {
			t.Errorf("the reused answer differs:\n%s\n%s", first, second)
		}
		// A new post advances the data version: computed again.
		e.posts(t, acc, seedPost{mediaType: "IMAGE", likes: 104, age: 3 * day})
		_, body, _ := e.do(t, http.MethodGet, path, tok, nil)
		if _, c := e.app.Guidance.CacheCounts(); c-computed != 1 || body["posts_considered"] != 26.0 {
			t.Errorf("after a new post: %d computed, posts_considered %v; want 1 and 26", c-computed, body["posts_considered"])
		}
	})

	t.Run("Insights", func(t *testing.T) {
		// The weekly layout again, every post with 100 likes and its latest
		// insights: Reels (by product type, whatever the permalink) reach
		// 3,000–3,007 people, photos 1,000–1,015; 10 saves and 5 shares each.
		uid, tok := e.user(t)
		acc := e.account(t, uid, 1000)
		photo := 1000
		for k := range 12 {
			for j := range 2 {
				product, mediaType, reach := "FEED", "IMAGE", 0
				if j == 0 && k < 8 {
					product, mediaType, reach = "REELS", "VIDEO", 3000+k
				} else {
					reach, photo = photo, photo+1
				}
				if _, err := e.db.Exec(`INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type,
					media_product_type, permalink, like_count, comments_count, posted_at, insights_captured_at, reach, saved, shares, views)
					VALUES ($1, $2, 'Post', $3, $4, 'https://www.instagram.com/p/x/', 100, 0,
					now() - $5 * interval '1 second', now(), $6, 10, 5, $6)`,
					acc, uuid.NewString(), mediaType, product, (time.Duration(2+7*k)*day + time.Duration(j)*time.Minute).Seconds(), reach); err != nil {
					t.Fatal(err)
				}
			}
		}
		_, body, raw := e.do(t, http.MethodGet, "/api/growth/recommendations?tz=UTC", tok, nil)
		recs, _ := body["recommendations"].([]any)
		var format map[string]any
		for _, r := range recs {
			if m := r.(map[string]any); m["kind"] == "format" {
				format = m
			}
		}
		var reels, photos []float64
		for k := range 8 {
			reels = append(reels, float64(3000+k))
		}
		for l := 1000; l < 1016; l++ {
			photos = append(photos, float64(l))
		}
		effect := math.Round(median(reels)/median(photos)*100) / 100
		if format == nil || format["metric"] != "reach" || format["effect"] != effect {
			t.Errorf("format recommendation = %v, want Reels on reach with effect %v: %s", format, effect, raw)
		}
		// Engagement adds the saves and shares: 100 + 10 + 5 for every post.
		if out, _ := body["outliers"].(map[string]any); out["median_engagement"] != 115.0 {
			t.Errorf("median_engagement = %v, want 115", out["median_engagement"])
		}
	})

	t.Run("OnlineFollowers", func(t *testing.T) {
		uid, tok := e.user(t)
		acc, _ := reelsAccount(t, e, uid)
		// A reading of a week of Pacific dates: more followers online in
		// the evening.
		read := func(at time.Time, evening int) {
			t.Helper()
			if _, err := e.db.Exec(`INSERT INTO account_online_followers (account_id, date, hour, count, read_at)
				SELECT $1, current_date - d, h, CASE WHEN h >= 18 THEN $2 ELSE 10 END, $3
				FROM generate_series(0, 6) d CROSS JOIN generate_series(0, 23) h
				ON CONFLICT (account_id, date, hour) DO UPDATE SET count = EXCLUDED.count, read_at = EXCLUDED.read_at`,
				acc, evening, at); err != nil {
				t.Fatal(err)
			}
		}
		read(time.Now().Add(-time.Hour), 500)
		path := "/api/growth/recommendations?tz=America/Los_Angeles"
		_, body, _ := e.do(t, http.MethodGet, path, tok, nil)
		bt, _ := body["best_times"].(map[string]any)
		heat, _ := bt["heatmap"].([]any)
		if bt["basis"] != "both" || len(heat) != 7 {
			t.Fatalf("best_times = %v, want both bases", bt)
		}
		// Every cell has an online count now; the evening ones score 1
		// online, so a cell without posts at 20:00 scores 1.
		if row := heat[0].([]any); row[3] == nil || row[20] == nil {
			t.Errorf("Sunday = %v, want every hour scored", row)
		}
		// A new reading is another heatmap: computed again, not reused.
		_, computed := e.app.Guidance.CacheCounts()
		read(time.Now(), 20)
		_, body2, _ := e.do(t, http.MethodGet, path, tok, nil)
		if _, c := e.app.Guidance.CacheCounts(); c != computed+1 {
			t.Errorf("after a new reading: %d computed, want 1", c-computed)
		}
		if fmt.Sprint(body2["best_times"]) == fmt.Sprint(body["best_times"]) {
			t.Errorf("the best times did not follow the new reading")
		}
		// Under 100 followers Instagram gives no such reading: not used.
		if _, err := e.db.Exec(`UPDATE instagram_accounts SET followers = 99 WHERE id = $1`, acc); err != nil {
			t.Fatal(err)
		}
		_, body, _ = e.do(t, http.MethodGet, path, tok, nil)
		if bt, _ := body["best_times"].(map[string]any); bt["basis"] != "performance" {
			t.Errorf("under 100 followers: basis %v, want performance", bt["basis"])
		}
	})

	t.Run("Errors", func(t *testing.T) {
		for _, c := range []struct {
			path, token string
			status      int
			code        string
		}{
			{"?period=8", token, 400, "invalid_period"},
			{"?period=", token, 400, "invalid_period"},
			{"?period=90.0", token, 400, "invalid_period"},
			{"?tz=Mars/Olympus", token, 400, "invalid_request"},
			{"?tz=", token, 400, "invalid_request"},
			{"?account_id=nope", token, 400, "invalid_request"},
			{"?account_id=" + uuid.NewString(), token, 404, "no_instagram_account"},
			{"?account_id=" + acc, otherToken, 404, "no_instagram_account"},
			{"", lonelyToken, 404, "no_instagram_account"},
			{"", "", 401, "unauthorized"},
		} {
			status, body, raw := e.do(t, http.MethodGet, "/api/growth/recommendations"+c.path, c.token, nil)
			wantAdviceError(t, fmt.Sprintf("recommendations%s", c.path), status, body, raw, c.status, c.code)
		}
	})
}

func TestGrowthForecast(t *testing.T) {
	e := newAdviceEnv(t)
	userID, token := e.user(t)
	acc := e.account(t, userID, 1190)
	// 20 UTC dates growing by 10 a day, the last one today - 1.
	last := time.Now().UTC().Truncate(day).Add(-day)
	for i := range 20 {
		d := last.Add(-time.Duration(19-i) * day)
		e.snapshot(t, acc, d.Format(time.DateOnly), int64(1000+10*i), d.Add(12*time.Hour))
	}
	// A snapshot filed under another date but taken earlier on the last
	// date: the later one of that UTC date counts.
	e.snapshot(t, acc, last.Add(-400*day).Format(time.DateOnly), 5, last.Add(time.Hour))
	otherID, otherToken := e.user(t)
	short := e.account(t, otherID, 100)
	for i := range 13 {
		d := last.Add(-time.Duration(i) * day)
		e.snapshot(t, short, d.Format(time.DateOnly), 100, d.Add(time.Hour))
	}
	_, lonelyToken := e.user(t)

	t.Run("OK", func(t *testing.T) {
		status, body, raw := e.do(t, http.MethodGet, "/api/growth/forecast", token, nil)
		if status != http.StatusOK {
			t.Fatalf("status = %d: %s", status, raw)
		}
		if body["metric"] != "followers" || body["method"] != "damped_holt" || body["status"] != "ok" || body["history_days"] != 20.0 {
			t.Errorf("forecast = %s", raw)
		}
		points, _ := body["points"].([]any)
		if len(points) != 30 {
			t.Fatalf("%d points, want 30 (the default horizon)", len(points))
		}
		for i, p := range points {
			pt := p.(map[string]any)
			date := last.Add(time.Duration(i+1) * day).Format(time.DateOnly)
			want := float64(1190 + 10*(i+1))
			v, lo, hi := pt["value"].(float64), pt["low"].(float64), pt["high"].(float64)
			if pt["date"] != date || math.Abs(v-want) > want/100 || lo > v || v > hi {
				t.Errorf("point %d = %v, want %s near %v within [low, high]", i, pt, date, want)
			}
		}
	})

	t.Run("Horizon", func(t *testing.T) {
		for _, h := range []int{7, 90} {
			_, body, _ := e.do(t, http.MethodGet, fmt.Sprintf("/api/growth/forecast?metric=followers&horizon=%d&account_id=%s", h, acc), token, nil)
			if points, _ := body["points"].([]any); len(points) != h {
				t.Errorf("horizon %d: %d points", h, len(points))
			}
		}
	})

	t.Run("ShortHistory", func(t *testing.T) {
		status, body, raw := e.do(t, http.MethodGet, "/api/growth/forecast", otherToken, nil)
		points, _ := body["points"].([]any)
		if status != http.StatusOK || body["status"] != "insufficient_data" || body["history_days"] != 13.0 || points == nil || len(points) != 0 {
			t.Errorf("13 dates: %d %s, want insufficient_data with no points", status, raw)
		}
	})

	t.Run("Reused", func(t *testing.T) {
		_, _, first := e.do(t, http.MethodGet, "/api/growth/forecast?horizon=14", token, nil)
		reused, computed := e.app.Guidance.CacheCounts()
		_, _, second := e.do(t, http.MethodGet, "/api/growth/forecast?horizon=14", token, nil)
		r, c := e.app.Guidance.CacheCounts()
		if r-reused != 1 || c != computed || first != second {
			t.Errorf("second view: %d reused, %d computed, same answer %v; want 1, 0, true", r-reused, c-computed, first == second)
		}
		// A new snapshot changes the history: computed again, one more date.
		e.snapshot(t, acc, last.Add(day).Format(time.DateOnly), 1200, last.Add(day+time.Minute))
		_, body, _ := e.do(t, http.MethodGet, "/api/growth/forecast?horizon=14", token, nil)
		if _, c2 := e.app.Guidance.CacheCounts(); c2-c != 1 || body["history_days"] != 21.0 {
			t.Errorf("after a snapshot: %d computed, history_days %v; want 1 and 21", c2-c, body["history_days"])
		}
	})

	t.Run("Errors", func(t *testing.T) {
		for _, c := range []struct {
			path, token string
			status      int
			code        string
		}{
			{"?metric=likes", token, 400, "invalid_request"},
			{"?metric=", token, 400, "invalid_request"},
			{"?metric=Followers", token, 400, "invalid_request"},
			{"?horizon=6", token, 400, "invalid_request"},
			{"?horizon=91", token, 400, "invalid_request"},
			{"?horizon=030", token, 400, "invalid_request"},
			{"?horizon=+30", token, 400, "invalid_request"},
			{"?horizon=30.0", token, 400, "invalid_request"},
			{"?horizon=", token, 400, "invalid_request"},
			{"?account_id=nope", token, 400, "invalid_request"},
			{"?account_id=" + acc, otherToken, 404, "no_instagram_account"},
			{"", lonelyToken, 404, "no_instagram_account"},
			{"", "", 401, "unauthorized"},
		} {
			status, body, raw := e.do(t, http.MethodGet, "/api/growth/forecast"+c.path, c.token, nil)
			wantAdviceError(t, "forecast"+c.path, status, body, raw, c.status, c.code)
		}
	})
}

// TestGrowthRecommendations_ReuseEnds moves the app's clock across the
// instant a post turns 24 hours old: the reused answer ends there and the
// post is counted.
func TestGrowthRecommendations_ReuseEnds(t *testing.T) {
	var mu sync.Mutex
	clock := time.Now()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	e := newAdviceEnvAt(t, now)
	userID, token := e.user(t)
	acc := e.account(t, userID, 1000)
	e.posts(t, acc, seedPost{mediaType: "IMAGE", likes: 10, age: 3 * day},
		seedPost{mediaType: "IMAGE", likes: 10, age: day - 2*time.Minute})
	get := func() float64 {
		t.Helper()
		_, body, raw := e.do(t, http.MethodGet, "/api/growth/recommendations", token, nil)
		n, ok := body["posts_considered"].(float64)
		if !ok {
			t.Fatalf("no posts_considered: %s", raw)
		}
		return n
	}
	if got := get(); got != 1 {
		t.Fatalf("posts_considered = %v, want 1", got)
	}
	mu.Lock()
	clock = clock.Add(time.Minute)
	mu.Unlock()
	reused, _ := e.app.Guidance.CacheCounts()
	if got := get(); got != 1 {
		t.Errorf("a minute later: posts_considered = %v, want 1", got)
	}
	if r, _ := e.app.Guidance.CacheCounts(); r != reused+1 {
		t.Errorf("a minute later the answer was not reused")
	}
	mu.Lock()
	clock = clock.Add(2 * time.Minute)
	mu.Unlock()
	if got := get(); got != 2 {
		t.Errorf("once the young post is 24 hours old: posts_considered = %v, want 2", got)
	}
}

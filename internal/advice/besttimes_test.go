package advice

import (
	"encoding/json"
	"testing"
	"time"
)

// at is a post with the given reach at a UTC weekday (of the week of
// 2026-11-22, a Sunday) and hour.
func at(weekday, hour int, reach int64) Post {
	t := time.Date(2026, 11, 22+weekday, hour, 0, 0, 0, time.UTC)
	return Post{ID: t.Format(time.RFC3339), PostedAt: t, MediaType: "IMAGE", MediaProductType: "FEED", Likes: i64(1), Reach: i64(reach)}
}

func score(bt BestTimes, d, h int) float64 {
	if bt.Heatmap[d][h] == nil {
		return -1
	}
	return *bt.Heatmap[d][h]
}

func TestBestTimes_Performance(t *testing.T) {
	// Tuesday 18:00: 2 posts of 300; Monday 09:00: 8 posts of 100. Mean
	// 140; Tuesday (600 + 3·140)/(2 + 3) = 204; Monday (800 + 420)/11 =
	// 110.91; normalised by 204: 1 and 0.5437.
	var posts []Post
	for range 2 {
		posts = append(posts, at(2, 18, 300))
	}
	for range 8 {
		posts = append(posts, at(1, 9, 100))
	}
	r := recommend(posts)
	bt := r.BestTimes
	if bt.Basis != BasisPerformance {
		t.Errorf("basis = %s", bt.Basis)
	}
	if score(bt, 2, 18) != 1 || score(bt, 1, 9) != 0.54 {
		t.Errorf("scores %v %v, want 1 and 0.54", score(bt, 2, 18), score(bt, 1, 9))
	}
	known := 0
	for d := range 7 {
		for h := range 24 {
			if bt.Heatmap[d][h] != nil {
				known++
			}
		}
	}
	if known != 2 {
		t.Errorf("%d cells with a score, want 2", known)
	}
	want := []TimeSlot{{2, 18, 1, 2}, {1, 9, 0.54, 8}}
	if len(bt.Top) != 2 || bt.Top[0] != want[0] || bt.Top[1] != want[1] {
		t.Errorf("top = %+v, want %+v", bt.Top, want)
	}
	if bt.Explore != nil {
		t.Errorf("explore = %+v, want none (no cell has 2 neighbours with posts)", bt.Explore)
	}

	// Monday 10:00 sits between 09:00 and 11:00, both with posts: its
	// promise is their mean score.
	posts = append(posts, at(1, 11, 100), at(1, 11, 100))
	bt = recommend(posts).BestTimes
	if bt.Explore == nil || *bt.Explore != (Slot{1, 10}) {
		t.Errorf("explore = %+v, want Monday 10:00", bt.Explore)
	}
}

func TestBestTimes_Zone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// 17:00 UTC on Monday 2026-11-23 is 18:00 in Berlin.
	p := Post{PostedAt: time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC), MediaType: "IMAGE", Likes: i64(5)}
	bt := Recommend(RecommendInput{Posts: []Post{p}, Now: testNow, Location: berlin, PeriodDays: 14}).BestTimes
	if score(bt, 1, 18) != 1 || len(bt.Top) != 1 || bt.Top[0] != (TimeSlot{1, 18, 1, 1}) {
		t.Errorf("best times = %+v", bt)
	}
}

func TestBestTimes_Online(t *testing.T) {
	var online [7][24]*float64
	// 20 cells: 1 … 20 followers online; the 95th percentile (19th of 20)
	// is 19, so 19 and 20 score 1 and 10 scores 10/19 = 0.53.
	for i := range 20 {
		online[i%7][i] = f64(float64(i + 1))
	}
	online[6][23] = nil
	in := RecommendInput{Now: testNow, Location: time.UTC, PeriodDays: 30, OnlineFollowers: &online}

	bt := Recommend(in).BestTimes
	if bt.Basis != BasisOnlineFollowers {
		t.Errorf("basis = %s", bt.Basis)
	}
	if score(bt, 19%7, 19) != 1 || score(bt, 18%7, 18) != 1 || score(bt, 9%7, 9) != 0.53 || score(bt, 6, 23) != -1 {
		t.Errorf("scores %v %v %v %v", score(bt, 19%7, 19), score(bt, 18%7, 18), score(bt, 9%7, 9), score(bt, 6, 23))
	}
	if len(bt.Top) != 3 || bt.Top[0].Posts != 0 || bt.Top[0].Score != 1 {
		t.Errorf("top = %+v", bt.Top)
	}
	// Top holds 20 and 19 (score 1) and 18 (18/19 = 0.95); the next
	// is 17: explore.
	if bt.Explore == nil || *bt.Explore != (Slot{16 % 7, 16}) {
		t.Errorf("explore = %+v, want the cell of 17 followers", bt.Explore)
	}

	// Both: a Tuesday 18:00 post (performance 1) over an online score.
	online[2][18] = f64(5) // 5/19 = 0.263
	in.Posts = []Post{at(2, 18, 100)}
	bt = Recommend(in).BestTimes
	if bt.Basis != BasisBoth || score(bt, 2, 18) != round((1+5.0/19)/2, 2) {
		t.Errorf("basis %s score %v, want both and %v", bt.Basis, score(bt, 2, 18), round((1+5.0/19)/2, 2))
	}

	// All zero: scores 0, still in [0, 1].
	for d := range 7 {
		for h := range 24 {
			online[d][h] = f64(0)
		}
	}
	in.Posts = nil
	bt = Recommend(in).BestTimes
	if score(bt, 3, 3) != 0 || bt.Explore != nil {
		t.Errorf("all-zero heatmap: score %v explore %+v", score(bt, 3, 3), bt.Explore)
	}
	b, err := json.Marshal(bt)
	if err != nil || len(b) == 0 {
		t.Fatal(err)
	}
}

func TestBestTimes_Empty(t *testing.T) {
	r := Recommend(RecommendInput{Now: testNow, PeriodDays: 90})
	b, _ := json.Marshal(r)
	want := `{"status":"insufficient_data","posts_considered":0,"recommendations":[],"best_times":{"basis":"performance","heatmap":[[null`
	if string(b[:len(want)]) != want {
		t.Errorf("json = %s", b)
	}
	if r.BestTimes.Explore != nil || len(r.BestTimes.Top) != 0 || r.Outliers.MedianEngagement != nil {
		t.Errorf("empty account: %+v", r)
	}
}

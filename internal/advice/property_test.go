package advice

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestRecommend_Property generates random accounts and checks every rule
// on what Recommend returns: posts considered, the evidence behind each
// recommendation (recomputed the slow way), their order, outliers and best
// times, and that the JSON holds no NaN or Inf.
func TestRecommend_Property(t *testing.T) {
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"}
	recs, kinds := 0, map[string]bool{}
	for seed := range uint64(120) {
		rng := rand.New(rand.NewPCG(seed, 0x5eed))
		loc, err := time.LoadLocation(zones[seed%uint64(len(zones))])
		if err != nil {
			t.Fatal(err)
		}
		now := testNow.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
		period := []int{7, 14, 30, 90}[rng.IntN(4)]
		posts := randomPosts(rng, rng.IntN(400), now)
		var online *[7][24]*float64
		if rng.IntN(2) == 0 {
			online = new([7][24]*float64)
			for d := range 7 {
				for h := range 24 {
					if rng.IntN(4) > 0 {
						online[d][h] = f64(float64(rng.IntN(1000)))
					}
				}
			}
		}
		in := RecommendInput{Posts: posts, Now: now, Location: loc, PeriodDays: period, OnlineFollowers: online}
		r := Recommend(in)
		checkProperty(t, seed, in, r)
		recs += len(r.Recommendations)
		for _, rec := range r.Recommendations {
			kinds[rec.Kind] = true
		}
	}
	// The generator plants effects: the properties must have been checked
	// on real recommendations, of several kinds.
	t.Logf("%d recommendations, kinds %v", recs, kinds)
	if recs < 50 || len(kinds) < 4 {
		t.Errorf("only %d recommendations of kinds %v over all seeds", recs, kinds)
	}
}

func checkProperty(t *testing.T, seed uint64, in RecommendInput, r Recommendations) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d: "+format, append([]any{seed}, args...)...)
	}
	// Considered posts, by the contract's words.
	start := in.Now.Add(-time.Duration(in.PeriodDays) * 24 * time.Hour)
	var kept []int
	var engs []float64
	for i, p := range in.Posts {
		if p.PostedAt.After(start) && !p.PostedAt.After(in.Now) && in.Now.Sub(p.PostedAt) >= 24*time.Hour {
			kept = append(kept, i)
			if p.Likes != nil {
				engs = append(engs, float64(*p.Likes+p.Comments+deref(p.Saved)+deref(p.Shares)))
			}
		}
	}
	if r.PostsConsidered != len(kept) {
		fail("posts_considered %d, want %d", r.PostsConsidered, len(kept))
	}
	if (len(kept) >= MinPosts) != (r.Status == StatusOK) {
		fail("status %s with %d posts", r.Status, len(kept))
	}

	// JSON: marshals (no NaN or Inf can), every heatmap cell in [0, 1].
	b, err := json.Marshal(r)
	if err != nil {
		fail("json: %v", err)
	}
	var back struct {
		BestTimes struct {
			Heatmap [][]*float64 `json:"heatmap"`
		} `json:"best_times"`
	}
	if err := json.Unmarshal(b, &back); err != nil || len(back.BestTimes.Heatmap) != 7 {
		fail("json back: %v", err)
	}
	for _, row := range back.BestTimes.Heatmap {
		if len(row) != 24 {
			fail("heatmap row of %d", len(row))
		}
		for _, c := range row {
			if c != nil && !(*c >= 0 && *c <= 1) {
				fail("heatmap cell %v", *c)
			}
		}
	}
	bt := r.BestTimes
	if len(bt.Top) > 3 {
		fail("top of %d", len(bt.Top))
	}
	for i, s := range bt.Top {
		if bt.Heatmap[s.Weekday][s.Hour] == nil || *bt.Heatmap[s.Weekday][s.Hour] != s.Score || i > 0 && s.Score > bt.Top[i-1].Score {
			fail("top %+v", bt.Top)
		}
	}
	if e := bt.Explore; e != nil {
		for _, s := range bt.Top {
			if s.Weekday == e.Weekday && s.Hour == e.Hour {
				fail("explore %+v is in top", e)
			}
		}
	}

	// Outliers.
	slices.Sort(engs)
	if len(engs) == 0 != (r.Outliers.MedianEngagement == nil) {
		fail("median %v over %d", r.Outliers.MedianEngagement, len(engs))
	}
	med := medianSorted(engs)
	if len(engs) > 0 && *r.Outliers.MedianEngagement != round(med, 1) {
		fail("median %v, want %v", *r.Outliers.MedianEngagement, med)
	}
	checkOutliers := func(name string, got []PostRef, match func(float64) bool) {
		var want []int
		if r.Status == StatusOK && med > 0 {
			for _, i := range kept {
				p := in.Posts[i]
				if p.Likes != nil && match(float64(*p.Likes+p.Comments+deref(p.Saved)+deref(p.Shares))) {
					want = append(want, i)
				}
			}
		}
		slices.SortStableFunc(want, func(a, b int) int {
			if c := in.Posts[b].PostedAt.Compare(in.Posts[a].PostedAt); c != 0 {
				return c
			}
			return b - a
		})
		want = want[:min(len(want), 5)]
		if len(got) != len(want) {
			fail("%s: %d, want %d", name, len(got), len(want))
		}
		for k := range want {
			if got[k].Index != want[k] || got[k].ID != in.Posts[want[k]].ID {
				fail("%s[%d] = %+v, want %d", name, k, got[k], want[k])
			}
		}
	}
	checkOutliers("winners", r.Outliers.Winners, func(e float64) bool { return e >= 2*med })
	checkOutliers("laggards", r.Outliers.Laggards, func(e float64) bool { return e <= 0.5*med })

	// Recommendations: the evidence rule, recomputed; order; one per kind.
	if len(r.Recommendations) > MaxRecommendations || r.Status != StatusOK && len(r.Recommendations) > 0 {
		fail("%d recommendations with status %s", len(r.Recommendations), r.Status)
	}
	seen := map[string]bool{}
	for i, rec := range r.Recommendations {
		if seen[rec.Kind] {
			fail("two %s recommendations", rec.Kind)
		}
		seen[rec.Kind] = true
		if i > 0 && rec.ev.strength > r.Recommendations[i-1].ev.strength {
			fail("recommendation %d stronger than %d", i, i-1)
		}
		if i > 0 && math.Abs(math.Log(rec.Effect)) > math.Abs(math.Log(r.Recommendations[i-1].Effect))+0.01 {
			fail("effects out of order: %v after %v", rec.Effect, r.Recommendations[i-1].Effect)
		}
		var g, base []float64
		for k, c := range rec.ev.codes {
			if c == rec.ev.code {
				g = append(g, rec.ev.pop.vals[k])
			} else {
				base = append(base, rec.ev.pop.vals[k])
			}
		}
		want := naiveSplit(g, base)
		if rec.Sample != (Sample{want.n, want.baseN}) || want.n < MinGroup || want.baseN < MinGroup {
			fail("sample %+v, recomputed %d vs %d", rec.Sample, want.n, want.baseN)
		}
		if want.median <= 0 || want.baseMedian <= 0 || want.median != rec.ev.s.median || want.baseMedian != rec.ev.s.baseMedian {
			fail("medians %v %v, recomputed %v %v", rec.ev.s.median, rec.ev.s.baseMedian, want.median, want.baseMedian)
		}
		e := want.median / want.baseMedian
		if math.Abs(math.Log(e)) < math.Log(MinEffect)-1e-12 || rec.Effect != round(e, 2) || !(want.p < MaxP) || !near(want.p, rec.ev.s.p, 1e-9) {
			fail("%s: effect %v (%v), p %v (%v)", rec.Kind, rec.Effect, e, rec.ev.s.p, want.p)
		}
		if rec.Confidence != confidence(want) || rec.Title == "" || rec.Detail == "" {
			fail("recommendation %+v", rec)
		}
		checkMembers(t, seed, in, kept, rec)
	}
}

// checkMembers maps each member of a recommendation's population back to
// its input post: the value must be the post's metric and the group must
// be what the kind says, read from the input.
func checkMembers(t *testing.T, seed uint64, in RecommendInput, kept []int, rec Recommendation) {
	t.Helper()
	groupKeys, baseKeys := map[string]bool{}, map[string]bool{}
	for k, pi := range rec.ev.pop.post {
		p := in.Posts[kept[pi]]
		var v float64
		switch rec.Metric {
		case MetricReach:
			v = float64(*p.Reach)
		case MetricViews:
			v = float64(*p.Views)
		case MetricSharesPerReach:
			v = float64(*p.Shares) / float64(*p.Reach)
		default:
			v = float64(*p.Likes + p.Comments + deref(p.Saved) + deref(p.Shares))
		}
		if v != rec.ev.pop.vals[k] {
			t.Fatalf("seed %d: %s member %d has value %v, its post %v", seed, rec.Kind, k, rec.ev.pop.vals[k], v)
		}
		lt := p.PostedAt.In(in.Location)
		var key string
		switch rec.Kind {
		case KindFormat, KindShares:
			key = formats[formatOf(&p)].group
		case KindHashtag:
			key = fmt.Sprint(p.HashtagCount > 0)
		case KindCaption:
			key = fmt.Sprint(utf8.RuneCountInString(p.Caption) > longCaption)
		case KindTiming:
			if strings.HasPrefix(rec.Title, "Weekend") {
				key = fmt.Sprint(lt.Weekday() == time.Saturday || lt.Weekday() == time.Sunday)
			} else {
				key = timeBands[bandOf(lt.Hour())].group
			}
		case KindHook:
			if formatOf(&p) != formatReels || p.SkipRate == nil {
				t.Fatalf("seed %d: hook member without a skip rate", seed)
			}
			continue
		default:
			continue
		}
		if rec.ev.codes[k] == rec.ev.code {
			groupKeys[key] = true
		} else {
			baseKeys[key] = true
		}
	}
	if rec.Kind == KindHook || rec.Kind == KindCadence {
		return
	}
	if len(groupKeys) != 1 {
		t.Fatalf("seed %d: %s group mixes %v", seed, rec.Kind, groupKeys)
	}
	for k := range groupKeys {
		if baseKeys[k] || !strings.HasPrefix(rec.Title, k) && rec.Kind != KindHashtag && rec.Kind != KindCaption && !strings.HasPrefix(rec.Title, "Weekend") {
			t.Fatalf("seed %d: %s group %q also in the baseline %v, or not in the title %q", seed, rec.Kind, k, baseKeys, rec.Title)
		}
		if (rec.Kind == KindHashtag || rec.Kind == KindCaption || strings.HasPrefix(rec.Title, "Weekend")) && k != "true" {
			t.Fatalf("seed %d: %s group is %q", seed, rec.Kind, k)
		}
	}
}

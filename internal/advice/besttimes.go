package advice

import (
	"math"
	"slices"
)

// ShrinkPosts is k of the best-times shrinkage: a cell with n posts scores
// (n·cell mean + k·account mean) / (n + k), so one lucky post moves its
// hour only a quarter of the way from the account's mean.
const ShrinkPosts = 3

// Best-times bases.
const (
	BasisPerformance     = "performance"
	BasisOnlineFollowers = "online_followers"
	BasisBoth            = "both"
)

// exploreMin is the least promise (on the [0, 1] score scale) an hour to
// explore must show.
const exploreMin = 0.5

// BestTimes scores each weekday (0 = Sunday) and hour in the user's zone.
//
//   - Performance: the main metric of the posts (reach where at least half
//     report it, else engagement), per cell the mean shrunk toward the
//     account mean with k = ShrinkPosts, divided by the best cell's value;
//     cells without posts have none.
//   - Online followers: each cell's count divided by the 95th percentile
//     (nearest rank) of the cells' counts, capped at 1 (by the largest
//     count when that percentile is 0; all 0 when every count is 0).
//     Negative or non-finite counts are ignored like missing ones.
//   - A cell with both scores gets their mean; with one, that one; with
//     none, null. basis says which sources there were (performance when
//     neither).
//
// Top holds up to 3 cells with a score (each has posts or an online
// count), highest score first, then more posts, then the earlier weekday
// and hour. Explore is a cell with fewer than 2 posts, not in Top, whose
// promise — its online score, or without one the mean performance score of
// its neighbours (an hour before and after, the same hour a day before and
// after) when at least 2 of them have posts — is at least 0.5 and the
// highest; nil when no cell qualifies. Scores are rounded to 2 decimals.
type BestTimes struct {
	Basis   string          `json:"basis"`
	Heatmap [7][24]*float64 `json:"heatmap"`
	Top     []TimeSlot      `json:"top"`
	Explore *Slot           `json:"explore"`
}

// TimeSlot is one of the best cells.
type TimeSlot struct {
	Weekday int     `json:"weekday"`
	Hour    int     `json:"hour"`
	Score   float64 `json:"score"`
	Posts   int     `json:"posts"`
}

// Slot is a weekday (0 = Sunday) and hour.
type Slot struct {
	Weekday int `json:"weekday"`
	Hour    int `json:"hour"`
}

// grid is a value per weekday and hour, with whether it is known.
type grid struct {
	v     [7][24]float64
	known [7][24]bool
}

// bestTimes computes the best times from the main population and the
// followers-online heatmap.
func bestTimes(main *population, online *[7][24]*float64) BestTimes {
	bt := BestTimes{Basis: BasisPerformance, Top: []TimeSlot{}}
	var posts [7][24]int
	perf := performanceGrid(main, &posts)
	on, hasOnline := onlineGrid(online)
	hasPerf := len(main.vals) > 0
	switch {
	case hasPerf && hasOnline:
		bt.Basis = BasisBoth
	case hasOnline:
		bt.Basis = BasisOnlineFollowers
	}

	var score grid
	var cells []Slot
	for d := range 7 {
		for h := range 24 {
			switch {
			case perf.known[d][h] && on.known[d][h]:
				score.v[d][h] = (perf.v[d][h] + on.v[d][h]) / 2
			case perf.known[d][h]:
				score.v[d][h] = perf.v[d][h]
			case on.known[d][h]:
				score.v[d][h] = on.v[d][h]
			default:
				continue
			}
			score.known[d][h] = true
			s := round(score.v[d][h], 2)
			bt.Heatmap[d][h] = &s
			cells = append(cells, Slot{d, h})
		}
	}

	slices.SortStableFunc(cells, func(a, b Slot) int {
		if sa, sb := score.v[a.Weekday][a.Hour], score.v[b.Weekday][b.Hour]; sa != sb {
			if sa > sb {
				return -1
			}
			return 1
		}
		return posts[b.Weekday][b.Hour] - posts[a.Weekday][a.Hour]
	})
	inTop := map[Slot]bool{}
	for _, c := range cells[:min(3, len(cells))] {
		inTop[c] = true
		bt.Top = append(bt.Top, TimeSlot{Weekday: c.Weekday, Hour: c.Hour,
			Score: *bt.Heatmap[c.Weekday][c.Hour], Posts: posts[c.Weekday][c.Hour]})
	}
	bt.Explore = explore(&perf, &on, &posts, inTop)
	return bt
}

// performanceGrid is the shrunk, normalised mean of the main metric per
// cell, counting the posts of each cell into posts.
func performanceGrid(main *population, posts *[7][24]int) grid {
	var g grid
	var sum [7][24]float64
	var total float64
	for k, a := range main.attr {
		v := main.vals[k]
		sum[a.weekday][a.hour] += v
		posts[a.weekday][a.hour]++
		total += v
	}
	if len(main.vals) == 0 {
		return g
	}
	mean := total / float64(len(main.vals))
	var best float64
	for d := range 7 {
		for h := range 24 {
			if n := float64(posts[d][h]); n > 0 {
				g.v[d][h] = (sum[d][h] + ShrinkPosts*mean) / (n + ShrinkPosts)
				g.known[d][h] = true
				best = max(best, g.v[d][h])
			}
		}
	}
	for d := range 7 {
		for h := range 24 {
			if g.known[d][h] {
				g.v[d][h] = unit(g.v[d][h], best)
			}
		}
	}
	return g
}

// onlineGrid normalises the followers-online counts by their 95th
// percentile; ok is false when there is no count.
func onlineGrid(online *[7][24]*float64) (grid, bool) {
	var g grid
	if online == nil {
		return g, false
	}
	var vals []float64
	for d := range 7 {
		for h := range 24 {
			if c := online[d][h]; c != nil && finite(*c) && *c >= 0 {
				g.v[d][h], g.known[d][h] = *c, true
				vals = append(vals, *c)
			}
		}
	}
	if len(vals) == 0 {
		return g, false
	}
	slices.Sort(vals)
	scale := vals[int(math.Ceil(0.95*float64(len(vals))))-1]
	if scale <= 0 {
		scale = vals[len(vals)-1]
	}
	for d := range 7 {
		for h := range 24 {
			if g.known[d][h] {
				g.v[d][h] = unit(g.v[d][h], scale)
			}
		}
	}
	return g, true
}

// unit is v / scale clamped to [0, 1], 0 when scale is not above 0.
func unit(v, scale float64) float64 {
	if !(scale > 0) {
		return 0
	}
	r := v / scale
	if !finite(r) || r < 0 {
		return 0
	}
	return min(r, 1)
}

// explore picks the most promising cell with fewer than 2 posts.
func explore(perf, on *grid, posts *[7][24]int, inTop map[Slot]bool) *Slot {
	var best *Slot
	bestPromise := exploreMin
	for d := range 7 {
		for h := range 24 {
			if posts[d][h] >= 2 || inTop[Slot{d, h}] {
				continue
			}
			promise, ok := on.v[d][h], on.known[d][h]
			if !ok {
				promise, ok = neighbourhood(perf, d, h)
			}
			if ok && (promise > bestPromise || best == nil && promise >= bestPromise) {
				best, bestPromise = &Slot{d, h}, promise
			}
		}
	}
	return best
}

// neighbourhood is the mean performance score of the cell's neighbours
// with posts: the hours before and after (across midnight into the
// adjacent day) and the same hour on the days before and after; ok when
// at least 2 have posts.
func neighbourhood(perf *grid, d, h int) (float64, bool) {
	at := func(d, h int) (int, int) {
		for h < 0 {
			h, d = h+24, d-1
		}
		for h > 23 {
			h, d = h-24, d+1
		}
		return (d%7 + 7) % 7, h
	}
	var sum float64
	n := 0
	for _, off := range [4][2]int{{0, -1}, {0, 1}, {-1, 0}, {1, 0}} {
		nd, nh := at(d+off[0], h+off[1])
		if perf.known[nd][nh] {
			sum += perf.v[nd][nh]
			n++
		}
	}
	if n < 2 {
		return 0, false
	}
	return sum / float64(n), true
}

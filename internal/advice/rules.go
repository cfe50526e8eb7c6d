package advice

import (
	"fmt"
	"math"
	"slices"
)

// MinGroup, MinEffect and MaxP are the thresholds of the evidence rule
// (see Recommendation): the fewest posts on each side, the least ratio of
// medians (or its inverse), and the p-value to stay under.
const (
	MinGroup  = 3
	MinEffect = 1.2
	MaxP      = 0.10
)

// MaxRecommendations is the most recommendations returned.
const MaxRecommendations = 5

// Recommendation kinds.
const (
	KindFormat  = "format"
	KindTiming  = "timing"
	KindCadence = "cadence"
	KindHook    = "hook"
	KindHashtag = "hashtag"
	KindCaption = "caption"
	KindShares  = "shares"
)

// kindOrder breaks ties between equally strong recommendations.
var kindOrder = []string{KindFormat, KindTiming, KindCadence, KindHook, KindShares, KindCaption, KindHashtag}

// evidence is the comparison behind a recommendation: the members of
// pop coded code (in codes, by sorted position) against the others.
type evidence struct {
	pop      *population
	codes    []uint8
	code     uint8
	s        split
	effect   float64 // unrounded
	strength float64 // |ln effect|
}

// label names a group and its baseline in words.
type label struct {
	group, base         string // "Reels", "your other posts"
	groupNoun, baseNoun string // "Reels", "other posts"
}

// dimension is a family of comparisons on one population: each member
// gets a code (noGroup for none), and each group of a code is compared
// with all the other members.
type dimension struct {
	kind   string
	pop    *population
	codes  []uint8 // by sorted position
	labels []label // by code
}

// newDimension codes the members of pop by their attributes.
func newDimension(kind string, pop *population, labels []label, code func(attr) uint8) dimension {
	codes := make([]uint8, len(pop.attr))
	for k, a := range pop.attr {
		codes[k] = code(a)
	}
	return dimension{kind: kind, pop: pop, codes: codes, labels: labels}
}

// qualifies applies the evidence rule to a split.
func qualifies(s split) bool {
	if s.n < MinGroup || s.baseN < MinGroup || !(s.median > 0) || !(s.baseMedian > 0) {
		return false
	}
	e := s.median / s.baseMedian
	return finite(e) && logAbs(e) >= math.Log(MinEffect)-1e-12 && s.p < MaxP
}

// confidence grades a qualifying split.
func confidence(s split) string {
	m := min(s.n, s.baseN)
	switch {
	case m >= 15 && s.p < 0.01:
		return "high"
	case m >= 6 && s.p < 0.05:
		return "medium"
	}
	return "low"
}

// recommendations evaluates every dimension, keeps the strongest
// qualifying group of each kind, and returns at most 5, strongest (largest
// |ln effect|) first, then smaller p, then in the order of kindOrder.
func recommendations(b *builder, main *population, weekly []int) []Recommendation {
	best := map[string]Recommendation{}
	for _, d := range dimensions(b, main, weekly) {
		for c, s := range d.pop.splits(d.codes, len(d.labels)) {
			if !qualifies(s) {
				continue
			}
			e := s.median / s.baseMedian
			ev := evidence{pop: d.pop, codes: d.codes, code: uint8(c), s: s, effect: e, strength: logAbs(e)}
			if cur, seen := best[d.kind]; seen && !stronger(ev, cur.ev) {
				continue
			}
			best[d.kind] = render(d.kind, d.labels[c], ev)
		}
	}
	recs := make([]Recommendation, 0, len(best))
	for _, k := range kindOrder {
		if r, ok := best[k]; ok {
			recs = append(recs, r)
		}
	}
	slices.SortStableFunc(recs, func(a, b Recommendation) int {
		if stronger(a.ev, b.ev) {
			return -1
		}
		if stronger(b.ev, a.ev) {
			return 1
		}
		return 0
	})
	if len(recs) > MaxRecommendations {
		recs = recs[:MaxRecommendations]
	}
	return recs
}

// stronger orders evidence by strength, then by the smaller p.
func stronger(a, b evidence) bool {
	if a.strength != b.strength {
		return a.strength > b.strength
	}
	return a.s.p < b.s.p
}

// render writes the recommendation of a qualifying group.
func render(kind string, l label, ev evidence) Recommendation {
	return Recommendation{
		Kind:       kind,
		Title:      fmt.Sprintf("%s %s %s", l.group, comparison(ev.pop.metric, ev.effect), l.base),
		Detail:     detail(l, ev.pop.metric, ev.s),
		Metric:     ev.pop.metric,
		Effect:     round(ev.effect, 2),
		Sample:     Sample{N: ev.s.n, BaselineN: ev.s.baseN},
		Confidence: confidence(ev.s),
		ev:         ev,
	}
}

// Formats, as indices in formats.
const (
	formatReels = iota
	formatImage
	formatCarousel
	formatVideo
	formatStory
)

// formats are the formats compared, with their names in words.
var formats = []struct{ group, noun string }{
	formatReels:    {"Reels", "Reels"},
	formatImage:    {"Photos", "photos"},
	formatCarousel: {"Carousels", "carousels"},
	formatVideo:    {"Feed videos", "feed videos"},
	formatStory:    {"Stories", "stories"},
}

// timeBands are the parts of the day compared, in the user's zone; every
// hour is in exactly one.
var timeBands = []struct {
	group, noun string
	from, to    uint8 // hours from ≤ h < to, wrapping past midnight when from > to
}{
	{"Morning posts (06:00–10:59)", "morning posts", 6, 11},
	{"Midday posts (11:00–13:59)", "midday posts", 11, 14},
	{"Afternoon posts (14:00–17:59)", "afternoon posts", 14, 18},
	{"Evening posts (18:00–22:59)", "evening posts", 18, 23},
	{"Night posts (23:00–05:59)", "night posts", 23, 6},
}

// bandOf is the index in timeBands of an hour.
func bandOf(hour int) uint8 {
	h := uint8(hour)
	for i, b := range timeBands {
		if b.from < b.to && h >= b.from && h < b.to || b.from > b.to && (h >= b.from || h < b.to) {
			return uint8(i)
		}
	}
	return noGroup
}

// flagged codes the members with flag as group 0.
func flagged(flag uint8) func(attr) uint8 {
	return func(a attr) uint8 {
		if a.flags&flag != 0 {
			return 0
		}
		return noGroup
	}
}

// dimensions lists every comparison of the kinds that Recommendation
// describes.
func dimensions(b *builder, main *population, weekly []int) []dimension {
	formatLabels := make([]label, len(formats))
	for i, f := range formats {
		formatLabels[i] = label{f.group, "your other posts", f.noun, "other posts"}
	}
	bandLabels := make([]label, len(timeBands))
	for i, b := range timeBands {
		bandLabels[i] = label{b.group, "your other posts", b.noun, "other posts"}
	}
	ds := []dimension{
		newDimension(KindFormat, main, formatLabels, func(a attr) uint8 { return a.format }),
		newDimension(KindTiming, main, bandLabels, func(a attr) uint8 { return a.band }),
		newDimension(KindTiming, main, []label{{"Weekend posts (Saturday and Sunday)", "your weekday posts",
			"weekend posts", "weekday posts"}}, flagged(flagWeekend)),
		newDimension(KindCaption, main, []label{{fmt.Sprintf("Posts with captions over %d characters", longCaption),
			"posts with shorter captions", "long captions", "shorter ones"}}, flagged(flagLongCaption)),
		newDimension(KindHashtag, main, []label{{"Posts with hashtags", "posts without hashtags",
			"with hashtags", "without"}}, flagged(flagHashtags)),
	}
	if d, ok := cadenceDimension(main, weekly); ok {
		ds = append(ds, d)
	}
	shares := b.population(MetricSharesPerReach, &b.lists.shares)
	ds = append(ds, newDimension(KindShares, shares, formatLabels, func(a attr) uint8 { return a.format }))
	if d, ok := hookDimension(b); ok {
		ds = append(ds, d)
	}
	return ds
}

// cadenceDimension codes the posts of busier full weeks as group 0.
func cadenceDimension(main *population, weekly []int) (dimension, bool) {
	if len(weekly) < 2 {
		return dimension{}, false
	}
	counts := make([]float64, len(weekly))
	for i, c := range weekly {
		counts[i] = float64(c)
	}
	slices.Sort(counts)
	threshold := int(math.Floor(medianSorted(counts))) + 1 // busier: at least this many posts
	pop := main.filter(func(a attr) bool { return a.week >= 0 })
	l := label{fmt.Sprintf("Posts in weeks with %d or more posts", threshold),
		fmt.Sprintf("posts in weeks with %d or fewer", threshold-1), "posts in busier weeks", "in the others"}
	return newDimension(KindCadence, pop, []label{l}, func(a attr) uint8 {
		if weekly[a.week] >= threshold {
			return 0
		}
		return noGroup
	}), true
}

// hookDimension codes the Reels that fewer viewers skipped as group 0.
func hookDimension(b *builder) (dimension, bool) {
	pop := b.population(MetricViews, &b.lists.hook)
	if len(pop.post) < 2*MinGroup {
		return dimension{}, false
	}
	rates := make([]float64, len(pop.post))
	for k, i := range pop.post {
		rates[k] = b.ps[i].skipRate
	}
	codes := make([]uint8, len(rates))
	med := median(slices.Clone(rates))
	for k, r := range rates {
		codes[k] = noGroup
		if r < med {
			codes[k] = 0
		}
	}
	l := label{fmt.Sprintf("Reels that fewer than %s%% of viewers skipped in the first 3 seconds", number(med)),
		"your other Reels", "Reels", "other Reels"}
	return dimension{kind: KindHook, pop: pop, codes: codes, labels: []label{l}}, true
}

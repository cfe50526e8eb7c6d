package advice

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// MinPosts is the fewest considered posts that recommendations and
// outliers are made from.
const MinPosts = 10

// MinAge is the age a post must have to be considered: its insights are
// still moving before it.
const MinAge = 24 * time.Hour

// Post is one post as the recommendations read it. Nil pointers are
// unknown values; they are left out, never read as 0.
type Post struct {
	ID               string    // the caller's id, handed back in outliers
	PostedAt         time.Time // when it was published
	MediaType        string    // IMAGE, VIDEO or CAROUSEL_ALBUM
	MediaProductType string    // FEED, REELS, STORY, AD, or "" when unknown
	Permalink        string    // read for "/reel/" when MediaProductType is "" and MediaType VIDEO
	Caption          string    // read only when CaptionChars is 0
	CaptionChars     int       // the caption's length in characters (PostgreSQL char_length), 0 to count Caption
	HashtagCount     int       // hashtags in the caption
	Likes            *int64    // nil when hidden or unknown: engagement is then unknown
	Comments         int64     // comments_count
	Saved            *int64    // insights: saved
	Shares           *int64    // insights: shares (sends)
	Reach            *int64    // insights: reach
	Views            *int64    // insights: views
	SkipRate         *float64  // insights: reels_skip_rate, a percentage 0–100
}

// RecommendInput is what Recommend reads.
type RecommendInput struct {
	Posts      []Post
	Now        time.Time
	Location   *time.Location // the user's zone for weekdays and hours; nil is UTC
	PeriodDays int            // the window is (Now − PeriodDays×24h, Now]; the contract's 7–90

	// OnlineFollowers is the followers-online heatmap (weekday 0 = Sunday,
	// hour in Location), nil pointers for cells without a sample; nil when
	// there is none.
	OnlineFollowers *[7][24]*float64
}

// Recommendations is the contract's recommendations body, outliers
// referring to posts by PostRef for the caller to map to its post JSON.
type Recommendations struct {
	Status          string           `json:"status"`
	PostsConsidered int              `json:"posts_considered"`
	Recommendations []Recommendation `json:"recommendations"`
	BestTimes       BestTimes        `json:"best_times"`
	Outliers        Outliers         `json:"outliers"`
}

// Recommendation is one piece of advice with the numbers behind it: a
// group of considered posts (sample.n) compared with the other considered
// posts of the same population (sample.baseline_n).
//
// Metric. Format, timing, cadence, caption and hashtag compare "reach"
// (insights reach) when at least 10 considered posts, and at least half
// of them, report it, over the posts that do; otherwise "engagement"
// (likes + comments + saved + shares as reported) over the posts with
// known likes. shares compares "shares_per_reach" (shares / reach, posts
// reporting both with reach > 0); hook compares "views".
//
// Kinds, each group against the rest of its population:
//
//   - format: Reels (media_product_type REELS, or a VIDEO with "/reel/" in
//     its permalink when the product type is unknown), photos, carousels,
//     feed videos, stories.
//   - timing: a part of the day in the user's zone (morning 06–11, midday
//     11–14, afternoon 14–18, evening 18–23, night 23–06), or weekends.
//   - cadence: posts of busier full weeks (7-day steps back from
//     Now − 24 h, the youngest considered instant; a week is busier with
//     more considered posts than the median full week of the window)
//     against posts of the other full weeks, per post; posts of a partial
//     oldest week are left out, and so is cadence for under 2 full weeks.
//   - caption: captions longer than 125 characters.
//   - hashtag: posts with at least one hashtag.
//   - shares: a format, on sends per reach.
//   - hook: Reels whose skip rate is below the median skip rate of the
//     Reels reporting one (and views), against the other such Reels.
//
// Evidence rule: a comparison is recommended only when both sides hold at
// least MinGroup (3) posts, both medians are above 0, the effect (group
// median / baseline median) is at least MinEffect (1.2) or at most 1/1.2,
// and a two-sided Mann–Whitney U test gives p < MaxP (0.10) — exact when
// the population has at most 30 posts and no tied values, otherwise the
// normal approximation with tie and continuity corrections. Confidence is
// high when min(n, baseline_n) ≥ 15 and p < 0.01, medium when
// min(n, baseline_n) ≥ 6 and p < 0.05, low otherwise.
//
// Of each kind only the strongest qualifying group is kept; at most 5 are
// returned, strongest (largest |ln effect|) first, then the smaller p,
// then format, timing, cadence, hook, shares, caption, hashtag. effect is
// rounded to 2 decimals. Title and detail name the medians and the sample
// sizes in plain words.
type Recommendation struct {
	Kind       string  `json:"kind"`
	Title      string  `json:"title"`
	Detail     string  `json:"detail"`
	Metric     string  `json:"metric"`
	Effect     float64 `json:"effect"`
	Sample     Sample  `json:"sample"`
	Confidence string  `json:"confidence"`

	ev evidence // the comparison behind it
}

// Sample is the size of a recommendation's group and of its baseline.
type Sample struct {
	N         int `json:"n"`
	BaselineN int `json:"baseline_n"`
}

// Outliers are the window's median engagement and the posts far above
// (winners) and below (laggards) it.
type Outliers struct {
	MedianEngagement *float64  `json:"median_engagement"`
	Winners          []PostRef `json:"winners"`
	Laggards         []PostRef `json:"laggards"`
}

// PostRef points at a post of RecommendInput.Posts: Index is its position
// there, ID its ID. The caller replaces it with its post object.
type PostRef struct {
	Index int    `json:"-"`
	ID    string `json:"id"`
}

// post is a considered post with what the rules read, computed once.
type post struct {
	attr
	src      int32 // index in RecommendInput.Posts
	known    uint8 // knownEng | knownSkip | knownReach | knownViews | knownShares
	at       int64 // Unix nanoseconds
	eng      float64
	skipRate float64
}

// What a post's insights report (post.known).
const (
	knownEng = 1 << iota
	knownSkip
	knownReach
	knownViews
	knownShares
)

// has reports whether all the values of mask are known.
func (p *post) has(mask uint8) bool { return p.known&mask == mask }

// Recommend computes the recommendations, best times and outliers of
// in.Posts. Posts outside the window (Now − PeriodDays×24h, Now] or
// younger than 24 hours (age ≥ 24 h is kept) are left out of everything;
// the rules are at Recommendation and BestTimes.
//
// Engagement is likes + comments + saved + shares, each insight added when
// it is known; a post with unknown likes has unknown engagement. The
// outliers' median is over the considered posts with known engagement
// (reported to 1 decimal; nil when none); winners have engagement ≥ 2 × that median, laggards
// ≤ 0.5 ×, each newest first (ties: the later input position), at most 5;
// with a median of 0 there are none (no multiple of 0 sets a post apart).
// Under 10 considered posts the status is insufficient_data and
// recommendations, winners and laggards are empty; median and best times
// are still given.
func Recommend(in RecommendInput) Recommendations {
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	b := &builder{}
	ps, weekly := considered(in, loc, &b.lists)
	b.ps = ps
	out := Recommendations{
		Status:          StatusInsufficientData,
		PostsConsidered: len(ps),
		Recommendations: []Recommendation{},
		Outliers:        Outliers{Winners: []PostRef{}, Laggards: []PostRef{}},
	}
	main := mainPopulation(b)
	out.BestTimes = bestTimes(main, in.OnlineFollowers)
	med := medianEngagement(b, main)
	if med != nil {
		m := round(*med, 1)
		out.Outliers.MedianEngagement = &m
	}
	if len(ps) < MinPosts {
		return out
	}
	out.Status = StatusOK
	out.Recommendations = recommendations(b, main, weekly)
	if med != nil && *med > 0 {
		out.Outliers.Winners = newest(in.Posts, ps, func(p *post) bool { return p.eng >= 2**med })
		out.Outliers.Laggards = newest(in.Posts, ps, func(p *post) bool { return p.eng <= 0.5**med })
	}
	return out
}

// longCaption is the caption length, in characters, above which a caption
// counts as long: Instagram's feed shows about this much before "more".
const longCaption = 125

// considered returns the window's posts aged 24 h or more, and the number
// of them in each full week before Now − 24 h.
//
// It also gathers the members of each population into ls.
func considered(in RecommendInput, loc *time.Location, ls *lists) ([]post, []int) {
	now := in.Now.UnixNano()
	startT := in.Now.Add(-time.Duration(in.PeriodDays) * 24 * time.Hour)
	// Weeks run back from the youngest considered instant, Now − 24 h,
	// so that posts left out for their age do not shorten the first one.
	fullWeeks := max((in.PeriodDays-1)/7, 0)
	weekly := make([]int, fullWeeks)
	const week = int64(7 * 24 * time.Hour)
	zone := zoneCache{loc: loc}
	ps := make([]post, 0, len(in.Posts))
	n := len(in.Posts)
	*ls = lists{reach: newList(n), eng: newList(n), shares: newList(n), hook: newList(n)}
	for i := range in.Posts {
		s := &in.Posts[i]
		if !s.PostedAt.After(startT) || s.PostedAt.After(in.Now) {
			continue
		}
		at := s.PostedAt.UnixNano() // defined: the post is within days of Now
		age := now - at
		if age < int64(MinAge) {
			continue
		}
		wk := int((age - int64(MinAge)) / week)
		if wk < fullWeeks {
			weekly[wk]++
		} else {
			wk = -1
		}
		wd, hour := zone.local(s.PostedAt)
		p := post{src: int32(i), at: at}
		var reach, views, shares int64
		if s.Reach != nil {
			reach, p.known = *s.Reach, p.known|knownReach
		}
		if s.Views != nil {
			views, p.known = *s.Views, p.known|knownViews
		}
		if s.Shares != nil {
			shares, p.known = *s.Shares, p.known|knownShares
		}
		p.attr = attr{format: formatOf(s), band: bandOf(hour), weekday: uint8(wd), hour: uint8(hour), week: int16(wk)}
		if wd == 0 || wd == 6 {
			p.flags |= flagWeekend
		}
		if s.CaptionChars > longCaption || s.CaptionChars == 0 && longText(s.Caption) {
			p.flags |= flagLongCaption
		}
		if s.HashtagCount > 0 {
			p.flags |= flagHashtags
		}
		if s.Likes != nil {
			p.known |= knownEng
			p.eng = float64(*s.Likes + s.Comments + deref(s.Saved) + deref(s.Shares))
		}
		if s.SkipRate != nil && finite(*s.SkipRate) {
			p.skipRate, p.known = *s.SkipRate, p.known|knownSkip
		}
		k := int32(len(ps))
		if p.has(knownReach) {
			ls.reach.add(float64(reach), k, p.attr)
			if p.has(knownShares) && reach > 0 {
				ls.shares.add(float64(shares)/float64(reach), k, p.attr)
			}
		}
		if p.has(knownEng) {
			ls.eng.add(p.eng, k, p.attr)
		}
		if p.format == formatReels && p.has(knownSkip|knownViews) {
			ls.hook.add(float64(views), k, p.attr)
		}
		ps = append(ps, p)
	}
	return ps, weekly
}

// longText reports whether a caption has more than longCaption characters.
func longText(s string) bool {
	switch {
	case len(s) <= longCaption+1:
		return utf8.RuneCountInString(s) > longCaption
	case len(s) > utf8.UTFMax*longCaption:
		return true
	}
	// Most captions are ASCII: the runes of a prefix cut at a rune start
	// often settle it without reading the rest.
	k := longCaption + 1 // len(s) > k here
	for k > 0 && s[k]&0xc0 == 0x80 {
		k--
	}
	n := utf8.RuneCountInString(s[:k])
	return n > longCaption || n+utf8.RuneCountInString(s[k:]) > longCaption
}

// deref is *p, or 0 for nil (only for sums of what is known).
func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// formatOf is the index in formats of the post's format: Reels for
// media_product_type REELS, or, when that is unknown, for a VIDEO whose
// permalink has "/reel/"; stories for STORY; otherwise by media_type
// (noGroup when it is none of them).
func formatOf(s *Post) uint8 {
	switch s.MediaProductType {
	case "REELS":
		return formatReels
	case "STORY":
		return formatStory
	}
	switch s.MediaType {
	case "IMAGE":
		return formatImage
	case "CAROUSEL_ALBUM":
		return formatCarousel
	case "VIDEO":
		if s.MediaProductType == "" && strings.Contains(s.Permalink, "/reel/") {
			return formatReels
		}
		return formatVideo
	}
	return noGroup
}

// medianEngagement is the median engagement of the posts with known
// engagement, nil when none.
func medianEngagement(b *builder, main *population) *float64 {
	if main.metric == MetricEngagement {
		if len(main.vals) == 0 {
			return nil
		}
		med := medianSorted(main.vals)
		return &med
	}
	if len(b.lists.eng.vals) == 0 {
		return nil
	}
	med := median(b.lists.eng.vals) // reorders the list: used last
	return &med
}

// maxOutliers is the most winners, and the most laggards, reported.
const maxOutliers = 5

// newest returns the (at most 5) newest posts with known engagement that
// match.
func newest(src []Post, ps []post, match func(*post) bool) []PostRef {
	var top []int // indices into ps, newest first
	for i := range ps {
		p := &ps[i]
		if !p.has(knownEng) || !match(p) {
			continue
		}
		pos := len(top)
		for pos > 0 && newer(p, &ps[top[pos-1]]) {
			pos--
		}
		if pos >= maxOutliers {
			continue
		}
		top = append(top, 0)
		copy(top[pos+1:], top[pos:])
		top[pos] = i
		if len(top) > maxOutliers {
			top = top[:maxOutliers]
		}
	}
	refs := make([]PostRef, len(top))
	for k, i := range top {
		refs[k] = PostRef{Index: int(ps[i].src), ID: src[ps[i].src].ID}
	}
	return refs
}

// newer orders posts newest first, the later input position first on a tie.
func newer(a, b *post) bool {
	if a.at != b.at {
		return a.at > b.at
	}
	return a.src > b.src
}

// mainPopulation is the population of the format, timing, cadence,
// caption and hashtag comparisons and of the best times: reach when at
// least 10 considered posts and at least half of them report it (over
// those posts), otherwise engagement (over the posts where it is known).
func mainPopulation(b *builder) *population {
	if withReach := len(b.lists.reach.vals); withReach >= MinPosts && 2*withReach >= len(b.ps) {
		return b.population(MetricReach, &b.lists.reach)
	}
	return b.population(MetricEngagement, &b.lists.eng)
}

// logAbs is |ln x| for x > 0.
func logAbs(x float64) float64 { return math.Abs(math.Log(x)) }

package growth_test

import (
	"cmp"
	"math/big"
	"slices"
	"strings"
	"time"

	"creatorgrowth/internal/growth"
)

// referenceStats is the growth report computed in plain Go from the rows,
// straight from the contract's definitions, to check the SQL against.
func referenceStats(posts []testPost, followers *int64, snaps []testSnapshot, period int, tz *time.Location, now time.Time) growth.Stats {
	now = now.UTC().Truncate(time.Microsecond)
	span := time.Duration(period) * 24 * time.Hour
	start, prevStart, weekStart := now.Add(-span), now.Add(-2*span), now.Add(-7*24*time.Hour)

	type post struct {
		p               testPost
		likes, comments int64
		at              time.Time
		local           time.Time
		mediaType       string
		tags            []string
	}
	var cur []post
	var s growth.Stats
	s.PeriodDays, s.PeriodStart, s.PeriodEnd, s.Followers = period, start, now, followers
	for _, p := range posts {
		if p.PostedAt == nil {
			continue
		}
		at := *p.PostedAt
		x := post{p: p, at: at, local: at.In(tz)}
		if p.LikeCount != nil {
			x.likes = *p.LikeCount
		}
		if p.CommentsCount != nil {
			x.comments = *p.CommentsCount
		}
		if p.MediaType != nil {
			x.mediaType = *p.MediaType
		}
		if p.Caption != nil {
			x.tags = growth.ExtractHashtags(*p.Caption)
		}
		var in testInsights
		if p.Insights != nil {
			in = *p.Insights
		}
		switch {
		case at.After(start) && !at.After(now):
			cur = append(cur, x)
			s.TotalPosts++
			s.TotalLikes += x.likes
			s.TotalComments += x.comments
			if at.After(weekStart) {
				s.PostsThisWeek++
			}
			s.TotalViews, s.TotalReach = addKnown(s.TotalViews, in.Views), addKnown(s.TotalReach, in.Reach)
			s.TotalSaves, s.TotalShares = addKnown(s.TotalSaves, in.Saved), addKnown(s.TotalShares, in.Shares)
		case at.After(prevStart) && !at.After(start):
			s.Previous.TotalPosts++
			s.Previous.TotalLikes += x.likes
			s.Previous.TotalComments += x.comments
			pv := &s.Previous
			pv.TotalViews, pv.TotalReach = addKnown(pv.TotalViews, in.Views), addKnown(pv.TotalReach, in.Reach)
			pv.TotalSaves, pv.TotalShares = addKnown(pv.TotalSaves, in.Saved), addKnown(pv.TotalShares, in.Shares)
		}
	}
	s.ViewsTrend = refTrendKnown(s.TotalViews, s.Previous.TotalViews)
	s.ReachTrend = refTrendKnown(s.TotalReach, s.Previous.TotalReach)
	s.SavesTrend = refTrendKnown(s.TotalSaves, s.Previous.TotalSaves)
	s.SharesTrend = refTrendKnown(s.TotalShares, s.Previous.TotalShares)
	// Coverage and the mean engagement rate by reach, exactly.
	if s.TotalPosts > 0 {
		covered := int64(0)
		mean, n := new(big.Rat), int64(0)
		for _, c := range cur {
			in := c.p.Insights
			if in == nil {
				continue
			}
			covered++
			if in.Reach != nil && *in.Reach > 0 && in.TotalInteractions != nil {
				mean.Add(mean, big.NewRat(*in.TotalInteractions*100, *in.Reach))
				n++
			}
		}
		v := roundRat(covered, s.TotalPosts, 2)
		s.InsightsCoverage = &v
		if n > 0 {
			mean.Quo(mean, big.NewRat(n, 1))
			v := roundBig(mean.Num(), mean.Denom(), 1)
			s.EngagementRateByReach = &v
		}
	}
	if s.TotalPosts > 0 {
		s.AvgLikes = roundRat(s.TotalLikes, s.TotalPosts, 2)
		s.AvgComments = roundRat(s.TotalComments, s.TotalPosts, 2)
	}
	s.LikesTrend = refTrend(s.TotalLikes, s.Previous.TotalLikes)
	s.CommentsTrend = refTrend(s.TotalComments, s.Previous.TotalComments)
	s.PostsPerWeek = roundRat(s.TotalPosts*7, int64(period), 2)
	s.Message = growth.Message(s.LikesTrend, int(s.TotalPosts), int(s.PostsThisWeek))

	// Best post: most likes + comments, then the newest, then the highest id.
	for i := range cur {
		c := &cur[i]
		if s.BestPost == nil {
			s.BestPost = refPost(c.p)
			continue
		}
		b := s.BestPost
		bEng := b.CommentsCount
		if b.LikeCount != nil {
			bEng += *b.LikeCount
		}
		if k := cmp.Or(cmp.Compare(c.likes+c.comments, bEng), c.at.Compare(b.PostedAt), cmp.Compare(c.p.ID, b.ID)); k > 0 {
			s.BestPost = refPost(c.p)
		}
	}

	// Followers.
	if followers != nil {
		// The last snapshot at or before the start and the first after it
		// (up to now), in (taken_at, taken_on) order; the one after only
		// when strictly closer.
		var before, after *testSnapshot
		for i := range snaps {
			x := &snaps[i]
			key := func(y *testSnapshot) int {
				return cmp.Or(x.TakenAt.Compare(y.TakenAt), cmp.Compare(x.TakenOn, y.TakenOn))
			}
			switch {
			case !x.TakenAt.After(start):
				if before == nil || key(before) > 0 {
					before = x
				}
			case !x.TakenAt.After(now):
				if after == nil || key(after) < 0 {
					after = x
				}
			}
		}
		best := before
		if after != nil && (before == nil || after.TakenAt.Sub(start) < start.Sub(before.TakenAt)) {
			best = after
		}
		if best != nil {
			v := refTrend(*followers, best.Followers)
			s.FollowersTrend = &v
		}
		if s.TotalPosts > 0 && *followers != 0 {
			v := roundBig(big.NewInt((s.TotalLikes+s.TotalComments)*100), new(big.Int).Mul(big.NewInt(s.TotalPosts), big.NewInt(*followers)), 1)
			s.EngagementRate = &v
		}
	}

	// Daily: every local date from the one of start to the one of now.
	byDate := map[string]*growth.Day{}
	for _, c := range cur {
		d := c.local.Format(time.DateOnly)
		if byDate[d] == nil {
			byDate[d] = &growth.Day{Date: d}
		}
		byDate[d].Posts++
		byDate[d].Likes += c.likes
		byDate[d].Comments += c.comments
		if in := c.p.Insights; in != nil {
			byDate[d].Views, byDate[d].Reach = addKnown(byDate[d].Views, in.Views), addKnown(byDate[d].Reach, in.Reach)
		}
	}
	s.Daily = []growth.Day{}
	ls, ln := start.In(tz), now.In(tz)
	first := time.Date(ls.Year(), ls.Month(), ls.Day(), 12, 0, 0, 0, time.UTC)
	last := time.Date(ln.Year(), ln.Month(), ln.Day(), 12, 0, 0, 0, time.UTC)
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		day := growth.Day{Date: d.Format(time.DateOnly)}
		if x := byDate[day.Date]; x != nil {
			day = *x
		}
		s.Daily = append(s.Daily, day)
	}

	// Media types.
	type agg struct {
		n, likes, comments, eng int64
	}
	media := map[string]*agg{}
	for _, c := range cur {
		if media[c.mediaType] == nil {
			media[c.mediaType] = &agg{}
		}
		a := media[c.mediaType]
		a.n++
		a.likes += c.likes
		a.comments += c.comments
	}
	s.MediaTypes = []growth.MediaType{}
	for mt, a := range media {
		s.MediaTypes = append(s.MediaTypes, growth.MediaType{MediaType: mt, Posts: a.n,
			AvgLikes: roundRat(a.likes, a.n, 2), AvgComments: roundRat(a.comments, a.n, 2)})
	}
	slices.SortFunc(s.MediaTypes, func(a, b growth.MediaType) int {
		return cmp.Or(cmp.Compare(b.Posts, a.Posts), cmp.Compare(a.MediaType, b.MediaType))
	})

	// byAverage orders by average engagement (exactly), then more posts.
	byAverage := func(a, b *agg) int {
		return cmp.Or(new(big.Int).Mul(big.NewInt(b.eng), big.NewInt(a.n)).Cmp(new(big.Int).Mul(big.NewInt(a.eng), big.NewInt(b.n))),
			cmp.Compare(b.n, a.n))
	}

	// Posting times.
	type slot struct{ weekday, hour int }
	slots := map[slot]*agg{}
	for _, c := range cur {
		k := slot{int(c.local.Weekday()), c.local.Hour()}
		if slots[k] == nil {
			slots[k] = &agg{}
		}
		slots[k].n++
		slots[k].eng += c.likes + c.comments
	}
	var slotKeys []slot
	for k, a := range slots {
		if a.n >= 2 {
			slotKeys = append(slotKeys, k)
		}
	}
	slices.SortFunc(slotKeys, func(x, y slot) int {
		return cmp.Or(byAverage(slots[x], slots[y]), cmp.Compare(x.weekday, y.weekday), cmp.Compare(x.hour, y.hour))
	})
	s.BestPostingTimes = []growth.PostingTime{}
	for _, k := range slotKeys[:min(3, len(slotKeys))] {
		a := slots[k]
		s.BestPostingTimes = append(s.BestPostingTimes, growth.PostingTime{Weekday: k.weekday, Hour: k.hour,
			Posts: a.n, AvgEngagement: roundRat(a.eng, a.n, 2)})
	}

	// Hashtags.
	tags := map[string]*agg{}
	for _, c := range cur {
		for _, tag := range c.tags {
			if tags[tag] == nil {
				tags[tag] = &agg{}
			}
			tags[tag].n++
			tags[tag].eng += c.likes + c.comments
		}
	}
	var tagKeys []string
	for k, a := range tags {
		if a.n >= 2 {
			tagKeys = append(tagKeys, k)
		}
	}
	slices.SortFunc(tagKeys, func(x, y string) int {
		return cmp.Or(byAverage(tags[x], tags[y]), cmp.Compare(x, y))
	})
	s.TopHashtags = []growth.Hashtag{}
	for _, k := range tagKeys[:min(5, len(tagKeys))] {
		a := tags[k]
		s.TopHashtags = append(s.TopHashtags, growth.Hashtag{Tag: k, Posts: a.n, AvgEngagement: roundRat(a.eng, a.n, 2)})
	}
	return s
}

func refPost(p testPost) *growth.Post {
	out := &growth.Post{ID: p.ID, IGPostID: p.IGPostID, MediaURL: p.MediaURL, ThumbnailURL: p.ThumbnailURL,
		Permalink: p.Permalink, LikeCount: p.LikeCount, PostedAt: p.PostedAt.UTC(),
		FetchedAt: p.FetchedAt.UTC().Truncate(time.Microsecond)}
	// The product type as sent, else REELS for a VIDEO with /reel/ in its
	// permalink, else FEED.
	out.MediaProductType = "FEED"
	switch {
	case p.ProductType != nil:
		out.MediaProductType = *p.ProductType
	case p.MediaType != nil && *p.MediaType == "VIDEO" && strings.Contains(p.Permalink, "/reel/"):
		out.MediaProductType = "REELS"
	}
	if in := p.Insights; in != nil {
		out.Insights = &growth.PostInsights{Views: in.Views, Reach: in.Reach, Saved: in.Saved, Shares: in.Shares,
			TotalInteractions: in.TotalInteractions, Follows: in.Follows, ProfileVisits: in.ProfileVisits,
			Reposts: in.Reposts, AvgWatchTimeMs: in.AvgWatchTimeMs, TotalWatchTimeMs: in.TotalWatchTime,
			SkipRate: in.SkipRate, CapturedAt: in.CapturedAt.UTC()}
	}
	if p.Caption != nil {
		out.Caption = *p.Caption
	}
	if p.MediaType != nil {
		out.MediaType = *p.MediaType
	}
	if p.CommentsCount != nil {
		out.CommentsCount = *p.CommentsCount
	}
	return out
}

// addKnown adds v to sum, where nil is unknown: a sum of none is nil.
func addKnown(sum, v *int64) *int64 {
	switch {
	case v == nil:
		return sum
	case sum == nil:
		return i64(*v)
	}
	return i64(*sum + *v)
}

// refTrendKnown is refTrend, nil when either total is.
func refTrendKnown(cur, prev *int64) *float64 {
	if cur == nil || prev == nil {
		return nil
	}
	v := refTrend(*cur, *prev)
	return &v
}

// refTrend is the contract's trend(cur, prev), rounded to 1 decimal.
func refTrend(cur, prev int64) float64 {
	if prev == 0 {
		if cur > 0 {
			return 100
		}
		return 0
	}
	return roundRat((cur-prev)*100, prev, 1)
}

// roundRat returns num/den rounded half away from zero to places decimals,
// computed exactly.
func roundRat(num, den int64, places int) float64 {
	return roundBig(big.NewInt(num), big.NewInt(den), places)
}

func roundBig(num, den *big.Int, places int) float64 {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(num, scale)
	neg := (n.Sign() < 0) != (den.Sign() < 0)
	n.Abs(n)
	d := new(big.Int).Abs(den)
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	f, _ := new(big.Rat).SetFrac(q, scale).Float64()
	return f
}

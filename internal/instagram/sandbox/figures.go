package sandbox

import (
	"math"
	"slices"
	"time"
)

// Media insights metric sets of the sandbox: what each media product type
// answers. Metrics outside a type's set are refused with code 100, as Instagram
// refuses them (instagram-api-notes.md §7.1; where sources disagree the sandbox
// picks one side: follows is refused on feed posts, profile_visits on reels).
var mediaMetricSets = map[string][]string{
	"FEED": {"views", "reach", "likes", "comments", "saved", "shares", "total_interactions",
		"profile_visits", "profile_activity", "reposts"},
	"REELS": {"views", "reach", "likes", "comments", "saved", "shares", "total_interactions",
		"ig_reels_avg_watch_time", "ig_reels_video_view_total_time", "follows", "profile_activity", "reposts",
		"reels_skip_rate", "crossposted_views", "facebook_views"},
	"STORY": {"views", "reach", "replies", "shares", "total_interactions", "navigation",
		"follows", "profile_visits", "profile_activity"},
}

// validMediaMetrics is the v25 "must be one of" list (which still names some
// deprecated metrics, refused separately).
var validMediaMetrics = []string{"comments", "crossposted_views", "facebook_views", "follows", "ig_reels_avg_watch_time",
	"ig_reels_video_view_total_time", "impressions", "likes", "link_clicks", "navigation", "profile_activity",
	"profile_visits", "reach", "reels_skip_rate", "replies", "reposts", "saved", "shares", "total_interactions", "views"}

// deprecatedMediaMetrics are refused with Instagram's deprecation message.
var deprecatedMediaMetrics = []string{"impressions", "plays", "clips_replays_count", "ig_reels_aggregated_all_plays_count",
	"video_views", "engagement", "carousel_album_engagement", "carousel_album_impressions", "carousel_album_reach",
	"carousel_album_saved", "carousel_album_video_views", "taps_forward", "taps_back", "exits"}

// mediaBreakdowns are the breakdowns a media metric accepts.
var mediaBreakdowns = map[string]string{"profile_activity": "action_type", "navigation": "story_navigation_action_type"}

// postFigures are a post's lifetime insights at some age.
type postFigures struct {
	counts   map[string]int64
	skipRate float64
	by       map[string]map[string]int64 // breakdowns
}

// figuresFor derives p's figures, deterministically from its id, grown to its
// age at now: about 5 % after an hour, most of it after two days.
func figuresFor(p Post, followers int, now time.Time) postFigures {
	seed := seedValue(0, p.ID)
	u := func(tag string) float64 { return unit(seed, tag, 0) }
	hours := max(0, now.Sub(p.Timestamp).Hours())
	grown := math.Max(0.02, 1-math.Exp(-hours/18))

	likes := int64(float64(max(followers, 50)) * 0.06 * (0.6 + 0.8*u("likes")))
	if p.LikeCount != nil {
		likes = int64(*p.LikeCount)
	}
	comments := int64(p.CommentsCount)
	reachFull := float64(likes+comments)/(0.04+0.08*u("rate")) + 5
	reels := p.MediaProductType == "REELS"
	story := p.MediaProductType == "STORY"
	if reels {
		reachFull *= 1.6
	}
	if story {
		reachFull = float64(max(followers, 10)) * (0.08 + 0.1*u("story"))
	}
	reach := int64(reachFull*grown) + 1
	views := int64(float64(reach)*(1.15+0.85*u("views"))) + 1
	saved := int64(float64(views) * (0.004 + 0.016*u("saved")))
	shares := int64(float64(views) * (0.002 + 0.01*u("shares")))
	c := map[string]int64{
		"views": views, "reach": reach, "likes": likes, "comments": comments, "saved": saved, "shares": shares,
		"follows":        int64(float64(reach) * (0.001 + 0.005*u("follows"))),
		"profile_visits": int64(float64(reach) * (0.01 + 0.03*u("visits"))),
		"reposts":        int64(float64(shares) * (0.05 + 0.2*u("reposts"))),
	}
	c["total_interactions"] = likes + comments + saved + shares
	activity := int64(float64(c["profile_visits"]) * (0.15 + 0.2*u("activity")))
	c["profile_activity"] = activity
	f := postFigures{counts: c, by: map[string]map[string]int64{
		"profile_activity": {"BIO_LINK_CLICKED": activity * 7 / 10, "CALL": activity / 10, "DIRECTION": activity - activity*7/10 - activity/10},
	}}
	if reels {
		avg := int64(2500 + 11500*u("watch"))
		c["ig_reels_avg_watch_time"] = avg
		c["ig_reels_video_view_total_time"] = int64(float64(views*avg) * (1.05 + 0.25*u("loops")))
		f.skipRate = math.Round((15+40*u("skip"))*10) / 10
		if p.Crossposted {
			fb := int64(float64(views) * (0.1 + 0.2*u("fb")))
			c["crossposted_views"], c["facebook_views"] = fb, fb
		}
	}
	if story {
		c["replies"] = int64(float64(reach) * (0.002 + 0.01*u("replies")))
		c["total_interactions"] = c["replies"] + shares
		nav := int64(float64(views) * 0.9)
		c["navigation"] = nav
		f.by["navigation"] = map[string]int64{"tap_forward": nav * 6 / 10, "tap_back": nav / 10, "tap_exit": nav * 2 / 10,
			"swipe_forward": nav - nav*6/10 - nav/10 - nav*2/10}
	}
	return f
}

// offers reports whether a post answers metric.
func offers(p Post, metric string) bool {
	if (metric == "crossposted_views" || metric == "facebook_views") && !p.Crossposted {
		return false
	}
	return slices.Contains(mediaMetricSets[p.MediaProductType], metric)
}

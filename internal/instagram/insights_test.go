package instagram

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

// insightsAccount is an account holding one post of each kind, old enough to
// have insights, plus a young one.
const insightsAccount = "17841400000077001"

func insightsEnv(t *testing.T, tweak func(*Config)) (*env, string) {
	t.Helper()
	old := time.Date(2026, 2, 20, 18, 0, 0, 0, time.UTC)
	likes := 120
	posts := []sandbox.Post{
		{ID: "18000000000000001", MediaType: "IMAGE", MediaProductType: "FEED", Timestamp: old, LikeCount: &likes, CommentsCount: 9},
		{ID: "18000000000000002", MediaType: "CAROUSEL_ALBUM", MediaProductType: "FEED", Timestamp: old.Add(-time.Hour), LikeCount: &likes, CommentsCount: 4},
		{ID: "18000000000000003", MediaType: "VIDEO", MediaProductType: "FEED", ThumbnailURL: "/t.svg", Timestamp: old.Add(-2 * time.Hour), CommentsCount: 2},
		{ID: "18000000000000004", MediaType: "VIDEO", MediaProductType: "REELS", ThumbnailURL: "/t.svg", Timestamp: old.Add(-3 * time.Hour), LikeCount: &likes, CommentsCount: 30},
		{ID: "18000000000000005", MediaType: "VIDEO", MediaProductType: "REELS", ThumbnailURL: "/t.svg", Timestamp: old.Add(-4 * time.Hour), LikeCount: &likes, CommentsCount: 1, Crossposted: true},
		{ID: "18000000000000006", MediaType: "IMAGE", MediaProductType: "FEED", Timestamp: time.Date(2026, 3, 1, 11, 30, 0, 0, time.UTC)}, // 30 min old
		{ID: "18000000000000007", MediaType: "IMAGE", MediaProductType: "FEED", Timestamp: old, TooFewViewers: true},
	}
	e := newEnv(t, []sandbox.AccountSpec{{UserID: insightsAccount, Username: "insights.test", Followers: 2400, PostsList: posts}}, tweak)
	e.sb.Account(insightsAccount).AddStory(sandbox.Post{ID: "19000000000000001", Timestamp: e.clock.Now().Add(-5 * time.Hour)})
	return e, e.longToken(t, insightsAccount)
}

func media(id, mediaType, product string) Media {
	return Media{ID: id, MediaType: mediaType, MediaProductType: product}
}

func TestReadPostInsights_PerType(t *testing.T) {
	e, tok := insightsEnv(t, nil)
	ctx := context.Background()
	tests := []struct {
		name    string
		m       Media
		present []string // metrics that must come back
		refused []string
	}{
		{"FeedImage", media("18000000000000001", "IMAGE", "FEED"),
			[]string{"views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "profile_visits", "reposts", "profile_activity"},
			[]string{"follows"}},
		{"Carousel", media("18000000000000002", "CAROUSEL_ALBUM", "FEED"),
			[]string{"views", "reach", "likes", "comments", "saved", "shares", "total_interactions"}, []string{"follows"}},
		{"FeedVideo", media("18000000000000003", "VIDEO", "FEED"),
			[]string{"views", "reach", "likes", "comments", "saved", "shares", "total_interactions"}, []string{"follows"}},
		{"Reel", media("18000000000000004", "VIDEO", "REELS"),
			[]string{"views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "ig_reels_avg_watch_time",
				"ig_reels_video_view_total_time", "reels_skip_rate", "follows", "reposts", "profile_activity"},
			[]string{"profile_visits", "crossposted_views", "facebook_views"}},
		{"CrosspostedReel", media("18000000000000005", "VIDEO", "REELS"),
			[]string{"views", "ig_reels_avg_watch_time", "crossposted_views", "facebook_views"}, []string{"profile_visits"}},
		{"Story", media("19000000000000001", "IMAGE", "STORY"),
			[]string{"views", "reach", "replies", "shares", "total_interactions", "navigation", "follows", "profile_visits"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := e.client.ReadPostInsights(ctx, tok, tt.m, nil)
			if err != nil {
				t.Fatalf("ReadPostInsights: %v", err)
			}
			if rd.NotAvailable {
				t.Fatal("NotAvailable = true for an old post")
			}
			got := presentMetrics(rd.Insights)
			for _, m := range tt.present {
				if !slices.Contains(got, m) {
					t.Errorf("%s missing; got %v", m, got)
				}
			}
			slices.Sort(rd.Refused)
			want := slices.Sorted(slices.Values(tt.refused))
			if !slices.Equal(rd.Refused, want) {
				t.Errorf("Refused = %v, want %v", rd.Refused, want)
			}
			p := rd.Insights
			if *p.Reach >= *p.Views {
				t.Errorf("reach %d not below views %d", *p.Reach, *p.Views)
			}
			if p.Saved != nil && *p.Saved*10 > *p.Views || *p.Shares*10 > *p.Views {
				t.Errorf("saved %v / shares %d are not small fractions of views %d", p.Saved, *p.Shares, *p.Views)
			}
			if tt.m.MediaProductType == "REELS" {
				if *p.AvgWatchTimeMs < 1000 || *p.TotalWatchTimeMs <= *p.AvgWatchTimeMs {
					t.Errorf("watch times avg %d ms, total %d ms", *p.AvgWatchTimeMs, *p.TotalWatchTimeMs)
				}
				if *p.SkipRate <= 0 || *p.SkipRate >= 100 {
					t.Errorf("skip rate %v not a percentage", *p.SkipRate)
				}
			} else if p.AvgWatchTimeMs != nil || p.SkipRate != nil {
				t.Errorf("watch time or skip rate on a %s", tt.m.MediaProductType)
			}
			if tt.m.MediaProductType == "STORY" {
				if len(p.NavigationBy) != 4 || p.NavigationBy["tap_forward"] == 0 {
					t.Errorf("NavigationBy = %v", p.NavigationBy)
				}
			} else if p.ProfileActivityBy["BIO_LINK_CLICKED"] == 0 && *p.ProfileActivity > 0 {
				t.Errorf("ProfileActivityBy = %v for activity %d", p.ProfileActivityBy, *p.ProfileActivity)
			}
			if reported := len(got); rd.Reported != reported {
				t.Errorf("Reported = %d, want %d", rd.Reported, reported)
			}
			if got, want := rd.Calls, len(InsightsPlan(tt.m.MediaProductType).Calls()); got != want {
				t.Errorf("Calls = %d, want %d (one core call and one per optional)", got, want)
			}
		})
	}
	// The core metrics went in one call per post: views was sent once per post.
	if got, want := e.sb.MetricCalls(sandbox.EndpointMediaInsights, "views"), len(tests); got != want {
		t.Errorf("views sent %d times, want %d", got, want)
	}
}

// presentMetrics lists the metric names with a value.
func presentMetrics(p PostInsights) []string {
	var out []string
	for name, v := range map[string]*int64{
		"views": p.Views, "reach": p.Reach, "likes": p.Likes, "comments": p.Comments, "saved": p.Saved, "shares": p.Shares,
		"total_interactions": p.TotalInteractions, "follows": p.Follows, "profile_visits": p.ProfileVisits,
		"profile_activity": p.ProfileActivity, "reposts": p.Reposts, "replies": p.Replies, "navigation": p.Navigation,
		"ig_reels_avg_watch_time": p.AvgWatchTimeMs, "ig_reels_video_view_total_time": p.TotalWatchTimeMs,
		"crossposted_views": p.CrosspostedViews, "facebook_views": p.FacebookViews,
	} {
		if v != nil {
			out = append(out, name)
		}
	}
	if p.SkipRate != nil {
		out = append(out, "reels_skip_rate")
	}
	return out
}

func TestMediaInsights_Refusals(t *testing.T) {
	e, tok := insightsEnv(t, nil)
	ctx := context.Background()
	for _, metrics := range [][]string{
		{"views", "follows"},        // follows is not offered on feed posts: the whole call fails
		{"views", "impressions"},    // deprecated since v22
		{"views", "no_such_metric"}, // unknown
		{"ig_reels_avg_watch_time"}, // a reels metric on a feed post
	} {
		res, err := e.client.MediaInsights(ctx, tok, "18000000000000001", metrics)
		var apiErr *APIError
		if !errors.Is(err, ErrMetricRefused) || !errors.As(err, &apiErr) || apiErr.Code != 100 {
			t.Errorf("%v: err = %v, want code 100 matching ErrMetricRefused", metrics, err)
		}
		if !res.Empty() {
			t.Errorf("%v: partial data %+v", metrics, res)
		}
		if errors.Is(err, ErrNotAvailable) || errors.Is(err, ErrThrottled) || errors.Is(err, ErrReauth) {
			t.Errorf("%v: %v matches another kind", metrics, err)
		}
		if got := Outcome(err); got != OutcomeRefused {
			t.Errorf("Outcome = %q, want %q", got, OutcomeRefused)
		}
	}
	// A missing object is code 100/33, not a refused metric.
	_, err := e.client.MediaInsights(ctx, tok, "18999999999999999", []string{"views"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Subcode != 33 || errors.Is(err, ErrMetricRefused) {
		t.Errorf("unknown media: err = %v, want 100/33 and not ErrMetricRefused", err)
	}
}

func TestReadPostInsights_OneRefusalLosesOnlyItself(t *testing.T) {
	e, tok := insightsEnv(t, nil)
	e.sb.InjectFault(sandbox.FaultMetricRefused("reposts"))
	rd, err := e.client.ReadPostInsights(context.Background(), tok, media("18000000000000004", "VIDEO", "REELS"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rd.Refused, "reposts") || rd.Insights.Reposts != nil {
		t.Errorf("Refused = %v, Reposts = %v; want reposts refused", rd.Refused, rd.Insights.Reposts)
	}
	if rd.Insights.Follows == nil || rd.Insights.SkipRate == nil || rd.Insights.Views == nil {
		t.Errorf("the other metrics were lost: %+v", rd.Insights)
	}

	// A refused core call is retried one metric per call.
	e.sb.ClearFaults()
	e.sb.InjectFault(sandbox.FaultMetricRefused("saved"))
	rd, err = e.client.ReadPostInsights(context.Background(), tok, media("18000000000000001", "IMAGE", "FEED"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rd.Insights.Saved != nil || rd.Insights.Views == nil || rd.Insights.Likes == nil || !slices.Contains(rd.Refused, "saved") {
		t.Errorf("after a refused core call: Refused %v, insights %+v", rd.Refused, rd.Insights)
	}

	// skip leaves remembered refusals out of the requests.
	e.sb.ClearFaults()
	before := e.sb.MetricCalls(sandbox.EndpointMediaInsights, "follows")
	rd, err = e.client.ReadPostInsights(context.Background(), tok, media("18000000000000002", "CAROUSEL_ALBUM", "FEED"),
		func(m string) bool { return m == "follows" })
	if err != nil || len(rd.Refused) != 0 {
		t.Fatalf("Refused = %v, err = %v", rd.Refused, err)
	}
	if got := e.sb.MetricCalls(sandbox.EndpointMediaInsights, "follows"); got != before {
		t.Errorf("follows sent %d times despite skip", got-before)
	}
}

func TestMediaInsights_NotAvailable(t *testing.T) {
	ctx := context.Background()
	t.Run("YoungPostEmpty", func(t *testing.T) {
		e, tok := insightsEnv(t, nil)
		_, err := e.client.MediaInsights(ctx, tok, "18000000000000006", []string{"views", "reach"})
		if !errors.Is(err, ErrNotAvailable) {
			t.Fatalf("err = %v, want ErrNotAvailable", err)
		}
		rd, err := e.client.ReadPostInsights(ctx, tok, media("18000000000000006", "IMAGE", "FEED"), nil)
		if err != nil || !rd.NotAvailable || rd.Calls != 1 || rd.Insights.Views != nil {
			t.Errorf("reading = %+v, %v; want NotAvailable after the core call only", rd, err)
		}
		// An hour later the post has figures.
		e.clock.Advance(time.Hour)
		if res, err := e.client.MediaInsights(ctx, tok, "18000000000000006", []string{"views"}); err != nil || res.Counts["views"] <= 0 {
			t.Errorf("after the delay: %+v, %v", res, err)
		}
	})
	t.Run("TooFewViewersCode10", func(t *testing.T) {
		e, tok := insightsEnv(t, nil)
		_, err := e.client.MediaInsights(ctx, tok, "18000000000000007", []string{"views"})
		var apiErr *APIError
		if !errors.Is(err, ErrNotAvailable) || !errors.As(err, &apiErr) || apiErr.Code != 10 || apiErr.TokenInvalid() {
			t.Fatalf("err = %v, want code 10 matching ErrNotAvailable", err)
		}
		if got := Outcome(err); got != OutcomeNotAvailable {
			t.Errorf("Outcome = %q", got)
		}
	})
	t.Run("YoungPostCode10", func(t *testing.T) {
		// Two hours old, under a three-hour delay.
		e2 := newEnvOpts(t, sandbox.Options{YoungMediaCode10: true, InsightsDelay: 3 * time.Hour},
			[]sandbox.AccountSpec{{UserID: "17841400000077002", PostsList: []sandbox.Post{
				{ID: "18000000000000099", Timestamp: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}}}}, nil)
		tok := e2.longToken(t, "17841400000077002")
		_, err := e2.client.MediaInsights(ctx, tok, "18000000000000099", []string{"views"})
		var apiErr *APIError
		if !errors.Is(err, ErrNotAvailable) || !errors.As(err, &apiErr) || apiErr.Code != 10 {
			t.Fatalf("err = %v, want code 10", err)
		}
	})
	t.Run("FaultEmptyAndCode10", func(t *testing.T) {
		e, tok := insightsEnv(t, nil)
		e.sb.InjectFault(withTimes(sandbox.FaultEmptyData(), 1))
		e.sb.InjectFault(withTimes(sandbox.FaultNotEnoughViewers(), 1))
		for range 2 {
			if _, err := e.client.MediaInsights(ctx, tok, "18000000000000001", []string{"views"}); !errors.Is(err, ErrNotAvailable) {
				t.Errorf("err = %v, want ErrNotAvailable", err)
			}
		}
		if _, err := e.client.MediaInsights(ctx, tok, "18000000000000001", []string{"views"}); err != nil {
			t.Errorf("after the faults: %v", err)
		}
	})
}

func withTimes(f sandbox.Fault, n int) sandbox.Fault {
	f.Times = n
	return f
}

func TestInsights_Throttled(t *testing.T) {
	ctx := context.Background()
	for _, code := range []int{4, 17, 32, 613, 80002} {
		e, tok := insightsEnv(t, nil)
		e.sb.InjectFault(withTimes(sandbox.FaultThrottled(code, 100, 7*time.Minute), 1))
		before := e.sb.Calls(sandbox.EndpointMediaInsights)
		_, err := e.client.MediaInsights(ctx, tok, "18000000000000001", []string{"views"})
		if !errors.Is(err, ErrThrottled) {
			t.Fatalf("code %d: err = %v, want ErrThrottled", code, err)
		}
		if got, want := ThrottleWait(err, 1), 7*time.Minute; got != want {
			t.Errorf("code %d: ThrottleWait = %v, want %v", code, got, want)
		}
		if got := e.sb.Calls(sandbox.EndpointMediaInsights) - before; got != 1 {
			t.Errorf("code %d: %d calls, want 1 (no retry on throttling)", code, got)
		}
	}
	// Without a regain time the caller backs off from a minute, doubling.
	e, tok := insightsEnv(t, nil)
	e.sb.InjectFault(withTimes(sandbox.FaultThrottled(17, 95, 0), 1))
	_, err := e.client.AccountViews(ctx, tok, insightsAccount, e.clock.Now().Add(-48*time.Hour), e.clock.Now().Add(-24*time.Hour))
	if !errors.Is(err, ErrThrottled) {
		t.Fatalf("err = %v", err)
	}
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute} {
		if got := ThrottleWait(err, i+1); got != want {
			t.Errorf("ThrottleWait(%d) = %v, want %v", i+1, got, want)
		}
	}
	if got := ThrottleWait(errors.New("x"), 1); got != 0 {
		t.Errorf("ThrottleWait(other) = %v", got)
	}
	if got := BackoffAfter(40); got != MaxThrottleBackoff {
		t.Errorf("BackoffAfter(40) = %v", got)
	}
}

func TestInsightsPlan(t *testing.T) {
	for _, tt := range []struct {
		m    Media
		want string
	}{
		{Media{MediaType: "VIDEO", MediaProductType: "reels"}, ProductReels},
		{Media{MediaType: "VIDEO", Permalink: "https://www.instagram.com/reel/abc/"}, ProductReels},
		{Media{MediaType: "VIDEO", Permalink: "https://www.instagram.com/p/abc/"}, ProductFeed},
		{Media{MediaType: "CAROUSEL_ALBUM"}, ProductFeed},
		{Media{MediaType: "IMAGE", MediaProductType: "STORY"}, ProductStory},
	} {
		if got := ProductType(tt.m); got != tt.want {
			t.Errorf("ProductType(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
	reels := InsightsPlan(ProductReels)
	if got, want := reels.Core.Metrics, []string{"views", "reach", "likes", "comments", "saved", "shares", "total_interactions",
		"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"}; !slices.Equal(got, want) {
		t.Errorf("reels core = %v", got)
	}
	for _, c := range reels.Optional {
		if len(c.Metrics) != 1 && !slices.Equal(c.Metrics, []string{"crossposted_views", "facebook_views"}) {
			t.Errorf("optional call %v holds more than one metric", c.Metrics)
		}
	}
	if len(InsightsPlan(ProductAd).Calls()) != 0 {
		t.Error("AD has a plan")
	}
}

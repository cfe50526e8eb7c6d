package instagram

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// PostInsights are the typed figures of one post. A nil field was not reported
// (not offered for the type, refused, not available yet): never 0 for unknown.
type PostInsights struct {
	Views, Reach, Likes, Comments, Saved, Shares, TotalInteractions       *int64
	Follows, ProfileVisits, ProfileActivity, Reposts, Replies, Navigation *int64
	// AvgWatchTimeMs and TotalWatchTimeMs are Reels watch times in milliseconds.
	AvgWatchTimeMs, TotalWatchTimeMs *int64
	// SkipRate is the Reels skip rate in percent (0–100).
	SkipRate *float64
	// CrosspostedViews and FacebookViews exist for reels crossposted to Facebook.
	CrosspostedViews, FacebookViews *int64
	// ProfileActivityBy is profile_activity by action_type (e.g. BIO_LINK_CLICKED);
	// NavigationBy is story navigation by story_navigation_action_type. Keys as sent.
	ProfileActivityBy, NavigationBy map[string]int64
}

// PostInsightsReading is the outcome of ReadPostInsights.
type PostInsightsReading struct {
	// ProductType is the type whose plan was followed.
	ProductType string
	// Insights are the figures read.
	Insights PostInsights
	// Reported counts the metrics that came back with a value.
	Reported int
	// Refused are the metrics of calls refused with code 100 (remember them per
	// type, or per media for the crossposting pair, and skip them next time).
	Refused []string
	// NotAvailable is set when the core call answered code 10 or no data: the
	// post has no figures yet (or too few viewers); the optional calls were not sent.
	NotAvailable bool
	// Calls is how many requests were sent.
	Calls int
}

// ReadPostInsights reads m's insights following InsightsPlan(ProductType(m)):
// the core call, then each optional call on its own. skip, when not nil, leaves
// out metrics known to be refused. Refusals and "not available" are recorded in
// the reading, not returned as errors. A refused core call is retried one metric
// per call so that one refusal loses only itself. Any other failure (throttling,
// token, server, network) stops the reading and is returned with what was read so
// far.
func (c *Client) ReadPostInsights(ctx context.Context, token string, m Media, skip func(metric string) bool) (PostInsightsReading, error) {
	rd := PostInsightsReading{ProductType: ProductType(m)}
	plan := InsightsPlan(rd.ProductType)
	keep := func(call MetricCall) MetricCall {
		if skip == nil {
			return call
		}
		call.Metrics = slices.DeleteFunc(slices.Clone(call.Metrics), skip)
		return call
	}
	for i, call := range plan.Calls() {
		call = keep(call)
		if len(call.Metrics) == 0 {
			continue
		}
		err := c.readInto(ctx, token, m.ID, call, &rd)
		switch {
		case err == nil:
		case errors.Is(err, ErrNotAvailable):
			if i == 0 {
				rd.NotAvailable = true
				return rd, nil
			}
		case errors.Is(err, ErrMetricRefused):
			if i == 0 && len(call.Metrics) > 1 {
				for _, metric := range call.Metrics {
					if err := c.readInto(ctx, token, m.ID, MetricCall{Metrics: []string{metric}}, &rd); err != nil &&
						!errors.Is(err, ErrNotAvailable) && !errors.Is(err, ErrMetricRefused) {
						return rd, err
					} else if errors.Is(err, ErrMetricRefused) {
						rd.Refused = append(rd.Refused, metric)
					}
				}
				continue
			}
			rd.Refused = append(rd.Refused, call.Metrics...)
		default:
			return rd, err
		}
	}
	return rd, nil
}

// readInto sends one call and stores its figures in rd.
func (c *Client) readInto(ctx context.Context, token, mediaID string, call MetricCall, rd *PostInsightsReading) error {
	rd.Calls++
	res, err := c.MediaInsightsCall(ctx, token, mediaID, call)
	if err != nil {
		return err
	}
	p := &rd.Insights
	counts := map[string]**int64{
		MetricViews: &p.Views, MetricReach: &p.Reach, MetricLikes: &p.Likes, MetricComments: &p.Comments,
		MetricSaved: &p.Saved, MetricShares: &p.Shares, MetricTotalInteractions: &p.TotalInteractions,
		MetricFollows: &p.Follows, MetricProfileVisits: &p.ProfileVisits, MetricProfileActivity: &p.ProfileActivity,
		MetricReposts: &p.Reposts, MetricReplies: &p.Replies, MetricNavigation: &p.Navigation,
		MetricAvgWatchTime: &p.AvgWatchTimeMs, MetricTotalWatchTime: &p.TotalWatchTimeMs,
		MetricCrosspostedViews: &p.CrosspostedViews, MetricFacebookViews: &p.FacebookViews,
	}
	for name, v := range res.Counts {
		if dst, ok := counts[strings.ToLower(name)]; ok {
			if *dst == nil {
				rd.Reported++
			}
			*dst = &v
		}
	}
	if v, ok := res.Rates[MetricSkipRate]; ok {
		if p.SkipRate == nil {
			rd.Reported++
		}
		p.SkipRate = &v
	}
	if b, ok := res.Breakdowns[MetricProfileActivity]; ok {
		p.ProfileActivityBy = b
	}
	if b, ok := res.Breakdowns[MetricNavigation]; ok && call.Breakdown != "" {
		p.NavigationBy = b
	}
	return nil
}

package instagram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Media insights metric names (instagram-api-notes.md §7.1).
const (
	MetricViews             = "views"
	MetricReach             = "reach"
	MetricLikes             = "likes"
	MetricComments          = "comments"
	MetricSaved             = "saved"
	MetricShares            = "shares"
	MetricTotalInteractions = "total_interactions"
	MetricFollows           = "follows"
	MetricProfileVisits     = "profile_visits"
	MetricProfileActivity   = "profile_activity"
	MetricReposts           = "reposts"
	MetricReplies           = "replies"
	MetricNavigation        = "navigation"
	MetricAvgWatchTime      = "ig_reels_avg_watch_time"        // milliseconds
	MetricTotalWatchTime    = "ig_reels_video_view_total_time" // milliseconds, replays included
	MetricSkipRate          = "reels_skip_rate"                // percent, 0–100, may be fractional
	MetricCrosspostedViews  = "crossposted_views"
	MetricFacebookViews     = "facebook_views"
)

// Media product types that pick a metric set.
const (
	ProductFeed  = "FEED"
	ProductReels = "REELS"
	ProductStory = "STORY"
	ProductAd    = "AD"
)

// MetricCall is one insights request: its metrics and an optional breakdown.
type MetricCall struct {
	// Metrics are sent comma-separated in metric=.
	Metrics []string
	// Breakdown is sent as breakdown= when not empty.
	Breakdown string
}

// MetricPlan is how to read one post's insights: the core call with the metrics
// every post of the type supports, then each optional call on its own, so that a
// refused metric (code 100) loses only itself.
type MetricPlan struct {
	// Core is the first call.
	Core MetricCall
	// Optional are the further calls, one per disputed metric (the crossposting
	// pair together), including the breakdown calls.
	Optional []MetricCall
}

// Calls returns the core call followed by the optional ones.
func (p MetricPlan) Calls() []MetricCall {
	if len(p.Core.Metrics) == 0 {
		return nil
	}
	return append([]MetricCall{p.Core}, p.Optional...)
}

// ProductType returns the media product type that picks m's metric set:
// MediaProductType when sent; otherwise REELS for a VIDEO whose permalink holds
// "/reel/", and FEED for everything else (§7.1).
func ProductType(m Media) string {
	if t := strings.ToUpper(strings.TrimSpace(m.MediaProductType)); t != "" {
		return t
	}
	if strings.EqualFold(m.MediaType, "VIDEO") && strings.Contains(m.Permalink, "/reel/") {
		return ProductReels
	}
	return ProductFeed
}

// InsightsPlan returns the metric plan for a media product type (FEED covers
// images, carousels and feed videos). AD and unknown types get an empty plan.
func InsightsPlan(productType string) MetricPlan {
	feedCore := []string{MetricViews, MetricReach, MetricLikes, MetricComments, MetricSaved, MetricShares, MetricTotalInteractions}
	one := func(names ...string) []MetricCall {
		calls := make([]MetricCall, len(names))
		for i, n := range names {
			calls[i] = MetricCall{Metrics: []string{n}}
		}
		return calls
	}
	activity := MetricCall{Metrics: []string{MetricProfileActivity}, Breakdown: "action_type"}
	switch strings.ToUpper(productType) {
	case ProductFeed:
		return MetricPlan{
			Core:     MetricCall{Metrics: feedCore},
			Optional: append(one(MetricFollows, MetricProfileVisits, MetricReposts), activity),
		}
	case ProductReels:
		return MetricPlan{
			Core: MetricCall{Metrics: append(feedCore, MetricAvgWatchTime, MetricTotalWatchTime)},
			Optional: append(one(MetricFollows, MetricProfileVisits, MetricReposts, MetricSkipRate), activity,
				MetricCall{Metrics: []string{MetricCrosspostedViews, MetricFacebookViews}}),
		}
	case ProductStory:
		return MetricPlan{
			Core: MetricCall{Metrics: []string{MetricViews, MetricReach, MetricReplies, MetricShares, MetricTotalInteractions, MetricNavigation}},
			Optional: append(one(MetricFollows, MetricProfileVisits), activity,
				MetricCall{Metrics: []string{MetricNavigation}, Breakdown: "story_navigation_action_type"}),
		}
	}
	return MetricPlan{}
}

// MediaInsightsResult is the answer of one media insights call. A metric missing
// from the maps was not reported (store null, never 0).
type MediaInsightsResult struct {
	// Counts are the integer metrics by name; watch times are milliseconds.
	Counts map[string]int64
	// Rates are the fractional metrics by name (reels_skip_rate, in percent).
	Rates map[string]float64
	// Breakdowns are metric → dimension value (as sent) → count, for calls with a
	// breakdown.
	Breakdowns map[string]map[string]int64
}

// Empty reports whether the answer held no figure.
func (r MediaInsightsResult) Empty() bool {
	return len(r.Counts) == 0 && len(r.Rates) == 0 && len(r.Breakdowns) == 0
}

// rateMetrics are decoded as float64.
var rateMetrics = map[string]bool{MetricSkipRate: true}

// MediaInsights reads metrics of one media item (GET /{media-id}/insights):
// lifetime values. Code 10 or an answer without figures gives an error matching
// ErrNotAvailable; code 100 one matching ErrMetricRefused (the whole call is
// lost); throttling one matching ErrThrottled, returned without retrying.
func (c *Client) MediaInsights(ctx context.Context, token, mediaID string, metrics []string) (MediaInsightsResult, error) {
	return c.MediaInsightsCall(ctx, token, mediaID, MetricCall{Metrics: metrics})
}

// MediaInsightsCall is MediaInsights for a MetricCall, with its breakdown.
func (c *Client) MediaInsightsCall(ctx context.Context, token, mediaID string, call MetricCall) (MediaInsightsResult, error) {
	if mediaID == "" || strings.ContainsAny(mediaID, "/?#") || len(call.Metrics) == 0 {
		return MediaInsightsResult{}, errors.New("instagram: media insights: a media id and metrics are required")
	}
	q := url.Values{}
	q.Set("metric", strings.Join(call.Metrics, ","))
	if call.Breakdown != "" {
		q.Set("breakdown", call.Breakdown)
	}
	q.Set("access_token", token)
	body, err := c.send(ctx, request{
		endpoint: EndpointMediaInsights, method: http.MethodGet,
		url:    c.graphPath("/"+url.PathEscape(mediaID)+"/insights") + "?" + q.Encode(),
		policy: retryNotThrottled, secrets: []string{token},
	})
	if err != nil {
		return MediaInsightsResult{}, err
	}
	res, err := decodeMediaInsights(body)
	if err != nil {
		return MediaInsightsResult{}, fmt.Errorf("instagram: media insights: %w", err)
	}
	if res.Empty() {
		return res, fmt.Errorf("instagram: media insights %s: %w", strings.Join(call.Metrics, ","), ErrNotAvailable)
	}
	return res, nil
}

// insightsJSON is the {"data":[...]} answer of both insights endpoints.
type insightsJSON struct {
	Data *[]metricJSON `json:"data"`
}

type metricJSON struct {
	Name       string          `json:"name"`
	Period     string          `json:"period"`
	Values     []valueJSON     `json:"values"`
	TotalValue *totalValueJSON `json:"total_value"`
}

type valueJSON struct {
	Value   json.RawMessage `json:"value"`
	EndTime string          `json:"end_time"`
}

type totalValueJSON struct {
	Value      json.RawMessage `json:"value"`
	Breakdowns []struct {
		DimensionKeys []string `json:"dimension_keys"`
		Results       []struct {
			DimensionValues []string        `json:"dimension_values"`
			Value           json.RawMessage `json:"value"`
		} `json:"results"`
	} `json:"breakdowns"`
}

func decodeInsights(body []byte) ([]metricJSON, error) {
	var v insightsJSON
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if v.Data == nil {
		return nil, fmt.Errorf("%w: no data array", ErrMalformedResponse)
	}
	return *v.Data, nil
}

func decodeMediaInsights(body []byte) (MediaInsightsResult, error) {
	metrics, err := decodeInsights(body)
	if err != nil {
		return MediaInsightsResult{}, err
	}
	res := MediaInsightsResult{Counts: map[string]int64{}, Rates: map[string]float64{}, Breakdowns: map[string]map[string]int64{}}
	for _, m := range metrics {
		name := strings.TrimSpace(m.Name)
		if name == "" {
			continue
		}
		var raw json.RawMessage
		switch {
		case len(m.Values) > 0:
			raw = m.Values[len(m.Values)-1].Value
		case m.TotalValue != nil:
			raw = m.TotalValue.Value
			if b := breakdownMap(m.TotalValue); len(b) > 0 {
				res.Breakdowns[name] = b
			}
		}
		f, ok := number(raw)
		if !ok {
			continue
		}
		if rateMetrics[name] {
			res.Rates[name] = f
		} else {
			res.Counts[name] = int64(f)
		}
	}
	return res, nil
}

// breakdownMap flattens a total_value's breakdown results to value → count
// (several dimension values are joined with ",").
func breakdownMap(tv *totalValueJSON) map[string]int64 {
	out := map[string]int64{}
	for _, b := range tv.Breakdowns {
		for _, r := range b.Results {
			if f, ok := number(r.Value); ok && len(r.DimensionValues) > 0 {
				out[strings.Join(r.DimensionValues, ",")] += int64(f)
			}
		}
	}
	return out
}

// number decodes a JSON number or numeric string; ok is false for anything
// else (absent, null, an object).
func number(raw json.RawMessage) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return 0, false
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err == nil {
		return f, true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, false
	}
	var n json.Number = json.Number(strings.TrimSpace(s))
	f, err := n.Float64()
	return f, err == nil
}

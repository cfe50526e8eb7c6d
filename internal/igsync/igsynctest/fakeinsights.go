package igsynctest

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/instagram"
)

// FakeInsights answers media insights calls as the Instagram client does
// (instagram.Client.MediaInsightsCall) on the answers of Instagram
// (instagram-api-notes.md §7), with faults: metrics refused per media
// product type (code 100), media with too few viewers (#10), empty
// answers, an hourly call budget that reports its usage and throttles
// (code 4) when spent, and scripted throttling. Values are derived from
// the media id and the metric, so every reading of a media is the same.
// It is safe for concurrent use.
type FakeInsights struct {
	mu sync.Mutex

	// Types maps media ids to their product type; unknown media are FEED.
	Types map[string]string
	// Refuse lists per product type the metrics refused with code 100.
	Refuse map[string][]string
	// Suppressed media answer #10, not enough viewers.
	Suppressed map[string]bool
	// Empty media answer {"data":[]}.
	Empty map[string]bool
	// CallsPerHour is the budget of calls per clock hour (0: unlimited).
	// Every answer reports the usage percent; a call beyond the budget is
	// throttled (code 4) with the time to the next hour to regain access.
	CallsPerHour int
	// ThrottleNext makes the next n calls fail with code 80002 and
	// RegainIn (0: no time named).
	ThrottleNext int
	RegainIn     time.Duration
	// Now is the clock of the budget (default time.Now).
	Now func() time.Time
	// OnCall, when set, runs before each call is answered, with the
	// number of calls so far (this one included).
	OnCall func(n int)
	// Usage receives the usage of every answer, as the client reports it
	// (for every account: the fake knows no account).
	Usage *igsync.UsageBook

	calls     []Call
	hourStart time.Time
	hourCalls int
}

// Call is one request the fake received.
type Call struct {
	MediaID string
	Metrics []string
	At      time.Time
}

var _ igsync.InsightsReader = (*FakeInsights)(nil)

// MediaInsightsCall implements igsync.InsightsReader.
func (f *FakeInsights) MediaInsightsCall(ctx context.Context, _, mediaID string, call instagram.MetricCall) (instagram.MediaInsightsResult, error) {
	res, usage, err := f.answer(ctx, mediaID, call.Metrics)
	if !usage.ObservedAt.IsZero() && f.Usage != nil {
		f.Usage.Observe("", usage)
	}
	return res, err
}

// answer is MediaInsightsCall with the usage of its answer.
func (f *FakeInsights) answer(ctx context.Context, mediaID string, metrics []string) (instagram.MediaInsightsResult, instagram.Usage, error) {
	var none instagram.Usage
	if err := ctx.Err(); err != nil {
		return instagram.MediaInsightsResult{}, none, err
	}
	f.mu.Lock()
	now := time.Now()
	if f.Now != nil {
		now = f.Now()
	}
	f.calls = append(f.calls, Call{MediaID: mediaID, Metrics: slices.Clone(metrics), At: now})
	n, hook := len(f.calls), f.OnCall
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	if err := ctx.Err(); err != nil {
		return instagram.MediaInsightsResult{}, none, err
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	var usage instagram.Usage
	if f.CallsPerHour > 0 {
		hour := now.Truncate(time.Hour)
		if !hour.Equal(f.hourStart) {
			f.hourStart, f.hourCalls = hour, 0
		}
		f.hourCalls++
		pct := min(100, f.hourCalls*100/f.CallsPerHour)
		// Observed now on the wall clock, as the client stamps answers.
		usage = instagram.Usage{BusinessCallCount: pct, ObservedAt: time.Now()}
		if f.hourCalls > f.CallsPerHour {
			usage.RegainAccess = hour.Add(time.Hour).Sub(now)
			return instagram.MediaInsightsResult{}, usage, &instagram.APIError{Endpoint: instagram.EndpointMediaInsights,
				HTTPStatus: 400, Code: 80002, Message: "Application request limit reached",
				RetryAfter: usage.RegainAccess, RegainAccess: usage.RegainAccess}
		}
	}
	if f.ThrottleNext > 0 {
		f.ThrottleNext--
		return instagram.MediaInsightsResult{}, usage, &instagram.APIError{Endpoint: instagram.EndpointMediaInsights,
			HTTPStatus: 400, Code: 80002, Message: "There have been too many calls", RetryAfter: f.RegainIn, RegainAccess: f.RegainIn}
	}
	typ := f.Types[mediaID]
	if typ == "" {
		typ = "FEED"
	}
	for _, m := range metrics {
		if slices.Contains(f.Refuse[typ], m) {
			// One refused metric fails the whole call.
			return instagram.MediaInsightsResult{}, usage, &instagram.APIError{Endpoint: instagram.EndpointMediaInsights,
				HTTPStatus: 400, Code: 100,
				Message: "(#100) The Media Insights API does not support the " + m + " metric for this media product type."}
		}
	}
	if f.Suppressed[mediaID] {
		return instagram.MediaInsightsResult{}, usage, &instagram.APIError{Endpoint: instagram.EndpointMediaInsights,
			HTTPStatus: 400, Code: 10, Message: "(#10) Not enough viewers for the media to show insights"}
	}
	if f.Empty[mediaID] {
		// The client reports {"data":[]} as not available.
		return instagram.MediaInsightsResult{}, usage, fmt.Errorf("instagram: media insights: %w", instagram.ErrNotAvailable)
	}
	res := instagram.MediaInsightsResult{Counts: map[string]int64{}, Rates: map[string]float64{}}
	for _, m := range metrics {
		if m == instagram.MetricSkipRate {
			res.Rates[m] = FakeValue(mediaID, m)
		} else {
			res.Counts[m] = int64(FakeValue(mediaID, m))
		}
	}
	return res, usage, nil
}

// FakeValue is the value FakeInsights reports for metric of a media: a
// count below 10,000 (milliseconds for the watch times), or a percent
// with one decimal for reels_skip_rate.
func FakeValue(mediaID, metric string) float64 {
	h := fnv.New32a()
	h.Write([]byte(mediaID + "/" + metric))
	v := float64(h.Sum32() % 10_000)
	if metric == "reels_skip_rate" {
		return float64(int(v)%1000) / 10
	}
	return v
}

// Calls returns every call received so far.
func (f *FakeInsights) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// CallsFor counts the calls for the media whose metrics include metric
// ("" counts every call for the media).
func (f *FakeInsights) CallsFor(mediaID, metric string) int {
	n := 0
	for _, c := range f.Calls() {
		if c.MediaID == mediaID && (metric == "" || slices.Contains(c.Metrics, metric)) {
			n++
		}
	}
	return n
}

// String lists the calls, one a line, for failure messages.
func (f *FakeInsights) String() string {
	var b strings.Builder
	for _, c := range f.Calls() {
		b.WriteString(c.MediaID + " " + strings.Join(c.Metrics, ",") + " " + c.At.Format(time.RFC3339) + "\n")
	}
	return b.String()
}

package instagram

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Account insights metric names (instagram-api-notes.md §7.2).
const (
	AccountMetricReach               = "reach"
	AccountMetricViews               = "views"
	AccountMetricFollowerCount       = "follower_count"
	AccountMetricFollowsUnfollows    = "follows_and_unfollows"
	AccountMetricOnlineFollowers     = "online_followers"
	AccountMetricFollowerDemographic = "follower_demographics"
	AccountMetricEngagedDemographic  = "engaged_audience_demographics"
)

// Demographic breakdowns, one per call.
const (
	BreakdownAge     = "age"
	BreakdownGender  = "gender"
	BreakdownCountry = "country"
	BreakdownCity    = "city"
)

// DemographicBreakdowns are the four breakdowns of the demographics metrics.
var DemographicBreakdowns = []string{BreakdownAge, BreakdownGender, BreakdownCountry, BreakdownCity}

// Demographics timeframes (the only ones Instagram still accepts).
const (
	TimeframeThisWeek  = "this_week"
	TimeframeThisMonth = "this_month"
)

// DailyValue is one day of a daily time series.
type DailyValue struct {
	// Date is the US-Pacific date (YYYY-MM-DD) the value covers: the date that
	// ends at EndTime.
	Date string
	// EndTime is Instagram's end_time (Pacific midnight, in UTC).
	EndTime time.Time
	// Value is the figure of that day.
	Value int64
}

// FollowChanges are the follows and unfollows of a window (follows_and_unfollows
// by follow_type). A nil field was not reported.
type FollowChanges struct {
	// Follows are the accounts gained (follow_type FOLLOWER).
	Follows *int64
	// Unfollows are the accounts lost (follow_type NON_FOLLOWER).
	Unfollows *int64
}

// OnlineFollowersDay is one day of online_followers.
type OnlineFollowersDay struct {
	// Date is the US-Pacific date the hours belong to (the date ending at EndTime).
	Date string
	// EndTime is Instagram's end_time.
	EndTime time.Time
	// Hours maps the Pacific wall-clock hour (0–23) to the followers online
	// then; a missing hour is unknown. Empty for a day not computed yet.
	Hours map[int]int64
}

// DemographicRow is one row of a demographics breakdown.
type DemographicRow struct {
	// Key is the dimension value as sent: "25-34", "F", "US", "Berlin, Germany".
	Key string
	// Value is the number of accounts.
	Value int64
}

// ErrSpanTooLong reports a total_value window Instagram would refuse (since and
// until more than MaxInsightsSpan apart); AccountTotal returns it without calling.
var ErrSpanTooLong = fmt.Errorf("instagram: account insights: since and until more than %s apart", MaxInsightsSpan)

// AccountReach returns daily reach (period=day, time series) for [since, until),
// split into windows of at most 30 days, oldest first, one value per Pacific date.
// Never add the values up: reach counts unique accounts per day.
func (c *Client) AccountReach(ctx context.Context, token, igUserID string, since, until time.Time) ([]DailyValue, error) {
	return c.dailySeries(ctx, token, igUserID, AccountMetricReach, since, until)
}

// AccountFollowerCount returns the new followers per day (follower_count) for
// [since, until). Instagram serves only the last 30 days excluding today, and
// nothing for accounts under 100 followers (then the error matches ErrNotAvailable).
func (c *Client) AccountFollowerCount(ctx context.Context, token, igUserID string, since, until time.Time) ([]DailyValue, error) {
	return c.dailySeries(ctx, token, igUserID, AccountMetricFollowerCount, since, until)
}

func (c *Client) dailySeries(ctx context.Context, token, igUserID, metric string, since, until time.Time) ([]DailyValue, error) {
	byDate := map[string]DailyValue{}
	for _, sp := range SplitSpan(since, until) {
		q := url.Values{}
		q.Set("metric", metric)
		q.Set("period", "day")
		setSpan(q, sp)
		metrics, err := c.accountInsights(ctx, token, igUserID, q)
		if err != nil {
			return nil, err
		}
		for _, m := range metrics {
			if m.Name != metric {
				continue
			}
			for _, v := range m.Values {
				n, ok := number(v.Value)
				end, err := ParseTimestamp(v.EndTime)
				if !ok || err != nil {
					continue
				}
				d := pacificDate(end)
				byDate[d] = DailyValue{Date: d, EndTime: end, Value: int64(n)}
			}
		}
	}
	if len(byDate) == 0 {
		return nil, fmt.Errorf("instagram: account insights %s: %w", metric, ErrNotAvailable)
	}
	out := make([]DailyValue, 0, len(byDate))
	for _, v := range byDate {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b DailyValue) int { return strings.Compare(a.Date, b.Date) })
	return out, nil
}

// AccountTotal returns a total_value metric over [since, until) (at most 30 days,
// else an error without a call), with its breakdown when breakdown is set
// (value → count, keys as sent). For a daily figure pass one of PacificDays.
// value is nil when Instagram sent no total; no data at all matches ErrNotAvailable.
func (c *Client) AccountTotal(ctx context.Context, token, igUserID, metric, breakdown string, since, until time.Time) (value *int64, by map[string]int64, err error) {
	if until.Sub(since) > MaxInsightsSpan {
		return nil, nil, ErrSpanTooLong
	}
	q := url.Values{}
	q.Set("metric", metric)
	q.Set("period", "day")
	q.Set("metric_type", "total_value")
	if breakdown != "" {
		q.Set("breakdown", breakdown)
	}
	setSpan(q, Span{Since: since, Until: until})
	metrics, err := c.accountInsights(ctx, token, igUserID, q)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range metrics {
		if m.Name != metric || m.TotalValue == nil {
			continue
		}
		if n, ok := number(m.TotalValue.Value); ok {
			v := int64(n)
			value = &v
		}
		if b := breakdownMap(m.TotalValue); len(b) > 0 {
			by = b
		}
	}
	if value == nil && by == nil {
		return nil, nil, fmt.Errorf("instagram: account insights %s: %w", metric, ErrNotAvailable)
	}
	return value, by, nil
}

// AccountViews returns the views of [since, until) (a total_value metric; pass
// one of PacificDays for a day's views).
func (c *Client) AccountViews(ctx context.Context, token, igUserID string, since, until time.Time) (*int64, error) {
	v, _, err := c.AccountTotal(ctx, token, igUserID, AccountMetricViews, "", since, until)
	return v, err
}

// AccountFollowsAndUnfollows returns the follows and unfollows of [since, until)
// (follows_and_unfollows by follow_type; one of PacificDays for a day's).
func (c *Client) AccountFollowsAndUnfollows(ctx context.Context, token, igUserID string, since, until time.Time) (FollowChanges, error) {
	_, by, err := c.AccountTotal(ctx, token, igUserID, AccountMetricFollowsUnfollows, "follow_type", since, until)
	if err != nil {
		return FollowChanges{}, err
	}
	var fc FollowChanges
	for k, v := range by {
		switch strings.ToUpper(k) {
		case "FOLLOWER":
			fc.Follows = &v
		case "NON_FOLLOWER":
			fc.Unfollows = &v
		}
	}
	if fc.Follows == nil && fc.Unfollows == nil {
		return fc, fmt.Errorf("instagram: account insights %s: %w", AccountMetricFollowsUnfollows, ErrNotAvailable)
	}
	return fc, nil
}

// DailyFollowChanges are one Pacific day's follows and unfollows.
type DailyFollowChanges struct {
	// Date is the Pacific date (YYYY-MM-DD).
	Date string
	FollowChanges
}

// AccountDailyViews returns the views of each Pacific day from since's date to
// the day before until's (one total_value call per day, PacificDays), oldest
// first. A day Instagram has no figure for is left out. On a failure other than
// "not available" it stops and returns the days read so far with the error.
func (c *Client) AccountDailyViews(ctx context.Context, token, igUserID string, since, until time.Time) ([]DailyValue, error) {
	var out []DailyValue
	for _, d := range PacificDays(since, until) {
		v, err := c.AccountViews(ctx, token, igUserID, d.Since, d.Until)
		switch {
		case errors.Is(err, ErrNotAvailable):
			continue
		case err != nil:
			return out, err
		case v == nil:
			continue
		}
		out = append(out, DailyValue{Date: d.Since.Format(time.DateOnly), EndTime: d.Until, Value: *v})
	}
	return out, nil
}

// AccountDailyFollows returns each Pacific day's follows and unfollows like
// AccountDailyViews (one call per day; days without figures left out).
func (c *Client) AccountDailyFollows(ctx context.Context, token, igUserID string, since, until time.Time) ([]DailyFollowChanges, error) {
	var out []DailyFollowChanges
	for _, d := range PacificDays(since, until) {
		fc, err := c.AccountFollowsAndUnfollows(ctx, token, igUserID, d.Since, d.Until)
		switch {
		case errors.Is(err, ErrNotAvailable):
			continue
		case err != nil:
			return out, err
		}
		out = append(out, DailyFollowChanges{Date: d.Since.Format(time.DateOnly), FollowChanges: fc})
	}
	return out, nil
}

// OnlineFollowers returns online_followers (period=lifetime): per Pacific day,
// the followers online in each Pacific hour, oldest first. Days still empty
// ({}) are kept with empty Hours. Accounts under 100 followers get nothing (an
// error matching ErrNotAvailable).
func (c *Client) OnlineFollowers(ctx context.Context, token, igUserID string) ([]OnlineFollowersDay, error) {
	q := url.Values{}
	q.Set("metric", AccountMetricOnlineFollowers)
	q.Set("period", "lifetime")
	metrics, err := c.accountInsights(ctx, token, igUserID, q)
	if err != nil {
		return nil, err
	}
	var out []OnlineFollowersDay
	for _, m := range metrics {
		if m.Name != AccountMetricOnlineFollowers {
			continue
		}
		for _, v := range m.Values {
			end, err := ParseTimestamp(v.EndTime)
			if err != nil {
				continue
			}
			var raw map[string]json.RawMessage
			if json.Unmarshal(v.Value, &raw) != nil {
				continue
			}
			day := OnlineFollowersDay{Date: pacificDate(end), EndTime: end, Hours: map[int]int64{}}
			for k, rv := range raw {
				h, err := strconv.Atoi(strings.TrimSpace(k))
				n, ok := number(rv)
				if err == nil && ok && h >= 0 && h < 24 {
					day.Hours[h] = int64(n)
				}
			}
			out = append(out, day)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("instagram: account insights %s: %w", AccountMetricOnlineFollowers, ErrNotAvailable)
	}
	slices.SortFunc(out, func(a, b OnlineFollowersDay) int { return a.EndTime.Compare(b.EndTime) })
	return out, nil
}

// Demographics returns one breakdown (age, gender, country or city) of
// follower_demographics or engaged_audience_demographics over timeframe
// (this_week or this_month), by value descending then key. Instagram returns at
// most the top 45 rows, and nothing under 100 followers (or 100 engagements for
// the engaged audience): then the error matches ErrNotAvailable.
func (c *Client) Demographics(ctx context.Context, token, igUserID, metric, breakdown, timeframe string) ([]DemographicRow, error) {
	q := url.Values{}
	q.Set("metric", metric)
	q.Set("period", "lifetime")
	q.Set("metric_type", "total_value")
	q.Set("timeframe", timeframe)
	q.Set("breakdown", breakdown)
	metrics, err := c.accountInsights(ctx, token, igUserID, q)
	if err != nil {
		return nil, err
	}
	var rows []DemographicRow
	for _, m := range metrics {
		if m.Name != metric || m.TotalValue == nil {
			continue
		}
		for k, v := range breakdownMap(m.TotalValue) {
			rows = append(rows, DemographicRow{Key: k, Value: v})
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("instagram: account insights %s by %s: %w", metric, breakdown, ErrNotAvailable)
	}
	slices.SortFunc(rows, func(a, b DemographicRow) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), strings.Compare(a.Key, b.Key))
	})
	return rows, nil
}

func setSpan(q url.Values, sp Span) {
	q.Set("since", strconv.FormatInt(sp.Since.Unix(), 10))
	q.Set("until", strconv.FormatInt(sp.Until.Unix(), 10))
}

// accountInsights sends GET /{ig-user-id}/insights (or /me/insights when
// igUserID is empty) and decodes its data array.
func (c *Client) accountInsights(ctx context.Context, token, igUserID string, q url.Values) ([]metricJSON, error) {
	id := cmp.Or(igUserID, "me")
	if strings.ContainsAny(id, "/?#") {
		return nil, errors.New("instagram: account insights: bad account id")
	}
	q.Set("access_token", token)
	body, err := c.send(ctx, request{
		endpoint: EndpointAccountInsights, method: http.MethodGet,
		url:    c.graphPath("/"+url.PathEscape(id)+"/insights") + "?" + q.Encode(),
		policy: retryNotThrottled, secrets: []string{token},
	})
	if err != nil {
		return nil, err
	}
	metrics, err := decodeInsights(body)
	if err != nil {
		return nil, fmt.Errorf("instagram: account insights: %w", err)
	}
	return metrics, nil
}

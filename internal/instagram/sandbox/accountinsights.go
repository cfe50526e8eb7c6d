package sandbox

import (
	"bytes"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// acctMetric says how an account metric is asked for (§7.2).
type acctMetric struct {
	period     string   // "day" or "lifetime"
	totalOnly  bool     // needs metric_type=total_value
	seriesOnly bool     // refuses metric_type=total_value
	noType     bool     // takes no metric_type (online_followers)
	breakdowns []string // accepted with total_value
}

var accountMetrics = map[string]acctMetric{
	"reach":                         {period: "day", breakdowns: []string{"media_product_type", "follow_type"}},
	"follower_count":                {period: "day", seriesOnly: true},
	"online_followers":              {period: "lifetime", noType: true},
	"views":                         {period: "day", totalOnly: true, breakdowns: []string{"media_product_type", "follower_type"}},
	"likes":                         {period: "day", totalOnly: true, breakdowns: []string{"media_product_type"}},
	"comments":                      {period: "day", totalOnly: true, breakdowns: []string{"media_product_type"}},
	"saves":                         {period: "day", totalOnly: true, breakdowns: []string{"media_product_type"}},
	"shares":                        {period: "day", totalOnly: true, breakdowns: []string{"media_product_type"}},
	"total_interactions":            {period: "day", totalOnly: true, breakdowns: []string{"media_product_type"}},
	"accounts_engaged":              {period: "day", totalOnly: true},
	"replies":                       {period: "day", totalOnly: true},
	"reposts":                       {period: "day", totalOnly: true},
	"follows_and_unfollows":         {period: "day", totalOnly: true, breakdowns: []string{"follow_type"}},
	"profile_links_taps":            {period: "day", totalOnly: true, breakdowns: []string{"contact_button_type"}},
	"profile_views":                 {period: "day", totalOnly: true},
	"website_clicks":                {period: "day", totalOnly: true},
	"follower_demographics":         {period: "lifetime", totalOnly: true, breakdowns: demographicKeys},
	"engaged_audience_demographics": {period: "lifetime", totalOnly: true, breakdowns: demographicKeys},
}

var demographicKeys = []string{"age", "gender", "country", "city"}

// maxSpan is the longest since–until window, and retention how far back
// account figures are kept.
const (
	maxSpan   = 2592000 * time.Second
	retention = 90 * 24 * time.Hour
	// minAudience is the follower (or engagement) count below which Instagram
	// gives no follower_count, online_followers or demographics.
	minAudience = 100
)

// accountInsights answers GET /me/insights (or /{ig-user-id}/insights).
func (s *Sandbox) accountInsights(w http.ResponseWriter, r *http.Request, acct *Account) {
	bad := func(msg string) { s.graphError(w, http.StatusBadRequest, 100, 0, "IGApiException", msg) }
	q := r.URL.Query()
	metrics := metricList(r)
	if len(metrics) == 0 {
		bad("(#100) The parameter metric is required")
		return
	}
	period, metricType, breakdown, timeframe := q.Get("period"), q.Get("metric_type"), q.Get("breakdown"), q.Get("timeframe")
	names := make([]string, 0, len(accountMetrics))
	for n := range accountMetrics {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, m := range metrics {
		spec, ok := accountMetrics[m]
		switch {
		case !ok:
			bad("(#100) metric[" + strconv.Itoa(i) + "] must be one of the following values: " + strings.Join(names, ", "))
			return
		case period != spec.period && !(m == "reach" && (period == "week" || period == "days_28")):
			bad("(#100) The following metrics (" + m + ") should be specified with parameter period=" + spec.period)
			return
		case spec.totalOnly && metricType != "total_value":
			bad("(#100) The following metrics (" + m + ") should be specified with parameter metric_type=total_value")
			return
		case (spec.seriesOnly || spec.noType) && metricType == "total_value":
			bad("(#100) The following metrics (" + m + ") do not support parameter metric_type=total_value")
			return
		case breakdown != "" && (metricType != "total_value" || !slices.Contains(spec.breakdowns, breakdown)):
			bad("(#100) The breakdown " + breakdown + " is not supported for the metric " + m)
			return
		}
	}
	now := s.opts.Now()
	since, until, ok := spanOf(q.Get("since"), q.Get("until"), now)
	if !ok {
		bad("(#100) since and until must be Unix timestamps, since before until")
		return
	}
	if until.Sub(since) > maxSpan {
		bad(MsgSpanTooLong)
		return
	}
	h := acct.view()
	today := h.l.dayOf(now)
	lifetime := period == "lifetime"
	if lifetime && strings.Contains(strings.Join(metrics, ","), "demographics") {
		if timeframe != "this_week" && timeframe != "this_month" {
			bad("(#100) Demographic metrics need the parameter timeframe=this_week or timeframe=this_month")
			return
		}
		if breakdown == "" {
			bad("(#100) Demographic metrics need the parameter breakdown=age, gender, country or city")
			return
		}
	}
	if slices.Contains(metrics, "follower_count") && h.l.dayOf(since) < today-30 {
		bad(MsgFollowerWindow)
		return
	}

	// Whole Pacific days whose end lies in (since, until], that have ended, and
	// are no older than the retention.
	var days []int
	for i := h.l.dayOf(since); ; i++ {
		end := h.l.dayStart(i + 1)
		if end.After(until) || end.After(now) || !h.l.in(i) {
			break
		}
		if end.After(since) && now.Sub(end) < retention {
			days = append(days, i)
		}
	}
	followers := acct.Followers()
	engaged := engagements(acct, now)
	var buf bytes.Buffer
	buf.WriteString(`{"data":[`)
	n := 0
	for _, m := range metrics {
		if (m == "follower_count" || m == "online_followers" || m == "follower_demographics") && followers < minAudience ||
			m == "engaged_audience_demographics" && engaged < minAudience {
			continue // Instagram gives nothing: the metric is left out
		}
		var obj object
		obj.set("name", m)
		obj.set("period", period)
		switch {
		case m == "online_followers":
			obj.set("values", onlineValues(h, today))
		case strings.HasSuffix(m, "_demographics"):
			total := followers
			if m == "engaged_audience_demographics" {
				total = engaged
				if timeframe == "this_week" {
					total = max(1, total*3/10)
				}
			}
			obj.set("total_value", map[string]any{"breakdowns": []any{breakdownJSON(breakdown, demographics(h.seed, m, breakdown, total))}})
		case metricType == "total_value":
			if len(days) == 0 {
				continue
			}
			value, by := totalOf(h, m, breakdown, days)
			tv := map[string]any{"value": value}
			if breakdown != "" {
				tv["breakdowns"] = []any{breakdownJSON(breakdown, by)}
			}
			obj.set("total_value", tv)
		default:
			values := make([]map[string]any, 0, len(days))
			for _, i := range days {
				v := h.reach(i)
				if m == "follower_count" {
					v = h.follows(i)
				}
				values = append(values, map[string]any{"value": v, "end_time": endTime(h.l.dayStart(i + 1))})
			}
			obj.set("values", values)
		}
		obj.set("title", metricTitle(m))
		obj.set("description", "Sandbox figure for "+m+".")
		obj.set("id", acct.UserID+"/insights/"+m+"/"+period)
		if n > 0 {
			buf.WriteByte(',')
		}
		buf.Write(obj.bytes())
		n++
	}
	buf.WriteString(`]}`)
	writeJSON(w, http.StatusOK, buf.Bytes())
}

// spanOf parses since/until (Unix seconds); absent, until is now and since a
// day before until.
func spanOf(sinceStr, untilStr string, now time.Time) (since, until time.Time, ok bool) {
	until = now
	if untilStr != "" {
		n, err := strconv.ParseInt(untilStr, 10, 64)
		if err != nil {
			return since, until, false
		}
		until = time.Unix(n, 0)
	}
	since = until.Add(-24 * time.Hour)
	if sinceStr != "" {
		n, err := strconv.ParseInt(sinceStr, 10, 64)
		if err != nil {
			return since, until, false
		}
		since = time.Unix(n, 0)
	}
	return since, until, since.Before(until)
}

// totalOf is a total_value figure over days, with its breakdown.
func totalOf(h history, m, breakdown string, days []int) (int64, map[string]int64) {
	var sum, peak, follows, unfollows int64
	for _, i := range days {
		var v int64
		switch m {
		case "reach", "accounts_engaged", "profile_views", "website_clicks", "profile_links_taps":
			v = int64(h.reach(i))
		case "follows_and_unfollows":
			follows += int64(h.follows(i))
			unfollows += int64(h.unfollows(i))
		default:
			v = int64(h.views(i))
		}
		sum += v
		peak = max(peak, v)
	}
	// Unique people overlap between days: a span's reach is below the sum of its days.
	unique := peak + (sum-peak)*35/100
	share := func(v int64, f float64) int64 { return int64(math.Round(float64(v) * f)) }
	var value int64
	switch m {
	case "reach":
		value = unique
	case "accounts_engaged":
		value = share(unique, 0.04)
	case "profile_views":
		value = share(unique, 0.05)
	case "website_clicks":
		value = share(unique, 0.005)
	case "profile_links_taps":
		value = share(unique, 0.01)
	case "follows_and_unfollows":
		value = follows + unfollows
	case "views":
		value = sum
	case "likes":
		value = share(sum, 0.03)
	case "comments":
		value = share(sum, 0.002)
	case "saves":
		value = share(sum, 0.004)
	case "shares":
		value = share(sum, 0.003)
	case "replies":
		value = share(sum, 0.001)
	case "reposts":
		value = share(sum, 0.0003)
	case "total_interactions":
		value = share(sum, 0.03) + share(sum, 0.002) + share(sum, 0.004) + share(sum, 0.003)
	}
	switch breakdown {
	case "follow_type":
		if m == "follows_and_unfollows" {
			return value, map[string]int64{"FOLLOWER": follows, "NON_FOLLOWER": unfollows}
		}
		return value, split(value, []string{"FOLLOWER", "NON_FOLLOWER"}, []float64{0.35, 0.65})
	case "follower_type":
		return value, split(value, []string{"FOLLOWER", "NON_FOLLOWER"}, []float64{0.4, 0.6})
	case "media_product_type":
		return value, split(value, []string{"FEED", "REELS", "STORY"}, []float64{0.45, 0.45, 0.1})
	case "contact_button_type":
		return value, split(value, []string{"BOOK_NOW", "CALL", "DIRECTION", "EMAIL", "TEXT"}, []float64{0.1, 0.2, 0.3, 0.3, 0.1})
	}
	return value, nil
}

// split divides v by weights, the rounding left-over going to the first key.
func split(v int64, keys []string, weights []float64) map[string]int64 {
	out := make(map[string]int64, len(keys))
	rest := v
	for i := len(keys) - 1; i > 0; i-- {
		out[keys[i]] = int64(float64(v) * weights[i])
		rest -= out[keys[i]]
	}
	out[keys[0]] = rest
	return out
}

// onlineValues is online_followers: the 7 Pacific days up to today, today
// still empty, one hour missing on the oldest day.
func onlineValues(h history, today int) []map[string]any {
	var values []map[string]any
	for i := today - 6; i <= today; i++ {
		hours := map[string]int{}
		if i < today {
			for hr := range 24 {
				if i == today-6 && hr == 3 {
					continue
				}
				hours[strconv.Itoa(hr)] = h.online(i, hr)
			}
		}
		values = append(values, map[string]any{"value": hours, "end_time": endTime(h.l.dayStart(i + 1))})
	}
	return values
}

// engagements are the likes and comments of the account's posts of the last 30 days.
func engagements(a *Account, now time.Time) int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	n := 0
	for _, p := range a.posts {
		if now.Sub(p.Timestamp) > 30*24*time.Hour {
			break // newest first
		}
		if p.LikeCount != nil {
			n += *p.LikeCount
		}
		n += p.CommentsCount
	}
	return n
}

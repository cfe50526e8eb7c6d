package sandbox

import (
	"bytes"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// insightsPath matches /{id}/insights after the version prefix.
var insightsPath = regexp.MustCompile(`^/([A-Za-z0-9_]+)/insights$`)

// insightsEndpoint names the endpoint of an insights path: the account's when
// the id is "me" or an account id, the media's otherwise.
func (s *Sandbox) insightsEndpoint(path string) string {
	id := insightsPath.FindStringSubmatch(path)[1]
	if id == "me" || s.Account(id) != nil {
		return EndpointAccountInsights
	}
	return EndpointMediaInsights
}

// insights is GET /{version}/{id}/insights for media and accounts.
func (s *Sandbox) insights(w http.ResponseWriter, r *http.Request) {
	info, acct := s.lookupToken(w, r)
	if info == nil {
		return
	}
	path := r.URL.Path
	if loc := versionPrefix.FindStringIndex(path); loc != nil {
		path = path[loc[1]-1:]
	}
	id := insightsPath.FindStringSubmatch(path)[1]
	s.setUsageHeaders(w, acct.UserID)
	if !slices.Contains(info.scopes, "instagram_business_manage_insights") {
		s.graphError(w, http.StatusBadRequest, 10, 0, "OAuthException",
			"(#10) Application does not have permission for this action: instagram_business_manage_insights")
		return
	}
	if id == "me" || id == acct.UserID {
		s.accountInsights(w, r, acct)
		return
	}
	p, ok := acct.media(id)
	if !ok {
		s.graphError(w, http.StatusBadRequest, 100, 33, "IGApiException", "Unsupported get request. Object with ID '"+id+
			"' does not exist, cannot be loaded due to missing permissions, or does not support this operation.")
		return
	}
	s.mediaInsights(w, r, acct, p)
}

// mediaInsights answers one media's insights as Instagram does: a call with
// any metric the media does not offer fails as a whole with code 100.
func (s *Sandbox) mediaInsights(w http.ResponseWriter, r *http.Request, acct *Account, p Post) {
	bad := func(msg string) { s.graphError(w, http.StatusBadRequest, 100, 0, "IGApiException", msg) }
	metrics := metricList(r)
	if len(metrics) == 0 {
		bad("(#100) The parameter metric is required")
		return
	}
	var unsupported []string
	for i, m := range metrics {
		switch {
		case slices.Contains(deprecatedMediaMetrics, m):
			bad("Starting from version v22.0 and above, the " + m + " metric is no longer supported for the queried media.")
			return
		case !slices.Contains(validMediaMetrics, m):
			bad("(#100) metric[" + strconv.Itoa(i) + "] must be one of the following values: " + strings.Join(validMediaMetrics, ", "))
			return
		case !offers(p, m):
			unsupported = append(unsupported, m)
		}
	}
	if len(unsupported) > 0 {
		bad("(#100) The Media Insights API does not support the " + strings.Join(unsupported, ", ") + " metric for this media product type.")
		return
	}
	breakdown := r.URL.Query().Get("breakdown")
	if breakdown != "" && (len(metrics) != 1 || mediaBreakdowns[metrics[0]] != breakdown) {
		bad("(#100) The breakdown " + breakdown + " is not supported for the metric " + strings.Join(metrics, ","))
		return
	}
	now := s.opts.Now()
	if p.TooFewViewers {
		s.graphError(w, http.StatusBadRequest, 10, 0, "OAuthException", MsgNotEnoughViewers)
		return
	}
	if now.Sub(p.Timestamp) < s.opts.InsightsDelay {
		if s.opts.YoungMediaCode10 {
			s.graphError(w, http.StatusBadRequest, 10, 0, "OAuthException", MsgNotEnoughViewers)
			return
		}
		writeJSON(w, http.StatusOK, []byte(`{"data":[]}`))
		return
	}
	f := figuresFor(p, acct.Followers(), now)
	var buf bytes.Buffer
	buf.WriteString(`{"data":[`)
	for i, m := range metrics {
		if i > 0 {
			buf.WriteByte(',')
		}
		var obj object
		obj.set("name", m)
		obj.set("period", "lifetime")
		var value any = f.counts[m]
		if m == "reels_skip_rate" {
			value = f.skipRate
		}
		if _, ok := mediaBreakdowns[m]; ok {
			tv := map[string]any{"value": value}
			if breakdown != "" {
				tv["breakdowns"] = []any{breakdownJSON(breakdown, f.by[m])}
			}
			obj.set("total_value", tv)
		} else {
			obj.set("values", []map[string]any{{"value": value}})
		}
		obj.set("title", metricTitle(m))
		obj.set("description", "Sandbox figure for "+m+".")
		obj.set("id", p.ID+"/insights/"+m+"/lifetime")
		buf.Write(obj.bytes())
	}
	buf.WriteString(`]}`)
	writeJSON(w, http.StatusOK, buf.Bytes())
}

// breakdownJSON renders one breakdown of total_value, largest value first.
func breakdownJSON(key string, values map[string]int64) map[string]any {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if values[a] != values[b] {
			if values[a] > values[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	results := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		results = append(results, map[string]any{"dimension_values": []string{k}, "value": values[k]})
	}
	return map[string]any{"dimension_keys": []string{key}, "results": results}
}

func metricTitle(m string) string {
	return strings.ToUpper(m[:1]) + strings.ReplaceAll(m[1:], "_", " ")
}

// endTime formats an end_time as Instagram does: UTC with "+0000".
func endTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-0700") }

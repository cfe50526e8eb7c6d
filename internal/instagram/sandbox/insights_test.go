package sandbox

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	creatorID = "17841400000000001"
	studioID  = "17841400000000002"
	newbieID  = "17841400000000003"
)

// errMessage is the Graph error message of a decoded body.
func errMessage(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func TestMediaInsights_Shapes(t *testing.T) {
	sb, srv, _ := newServer(t, Options{})
	tok := sb.IssueToken(creatorID)
	var reel, feed Post
	for _, p := range sb.Account(creatorID).Posts() {
		if p.MediaProductType == "REELS" && reel.ID == "" && time.Since(p.Timestamp) > 0 {
			reel = p
		}
		if p.MediaType == "IMAGE" && feed.ID == "" {
			feed = p
		}
	}
	u := func(id, q string) string { return srv.URL + "/v25.0/" + id + "/insights?access_token=" + tok + "&" + q }

	resp, m := getJSON(t, u(reel.ID, "metric=reach,ig_reels_avg_watch_time,reels_skip_rate"))
	if resp.StatusCode != 200 {
		t.Fatalf("reel: %d %v", resp.StatusCode, m)
	}
	data, _ := m["data"].([]any)
	if len(data) != 3 {
		t.Fatalf("data = %v", data)
	}
	for _, d := range data {
		item := d.(map[string]any)
		if item["period"] != "lifetime" || !strings.HasPrefix(item["id"].(string), reel.ID+"/insights/") {
			t.Errorf("item %v", item)
		}
		v := item["values"].([]any)[0].(map[string]any)["value"].(float64)
		switch item["name"] {
		case "reels_skip_rate":
			if v <= 0 || v >= 100 {
				t.Errorf("skip rate %v", v)
			}
		case "ig_reels_avg_watch_time":
			if v < 2500 || v > 14000 {
				t.Errorf("avg watch time %v ms", v)
			}
		}
	}
	if !strings.Contains(resp.Header.Get("X-Business-Use-Case-Usage"), `"`+creatorID+`":[{`) {
		t.Errorf("usage header %q is not keyed by the account", resp.Header.Get("X-Business-Use-Case-Usage"))
	}

	// A breakdown call answers total_value with its breakdown.
	_, m = getJSON(t, u(feed.ID, "metric=profile_activity&breakdown=action_type"))
	tv := m["data"].([]any)[0].(map[string]any)["total_value"].(map[string]any)
	res := tv["breakdowns"].([]any)[0].(map[string]any)["results"].([]any)
	if len(res) == 0 || res[0].(map[string]any)["dimension_values"].([]any)[0] != "BIO_LINK_CLICKED" {
		t.Errorf("breakdown %v", tv)
	}

	for _, tt := range []struct{ q, msg string }{
		{"metric=views,follows", "(#100) The Media Insights API does not support the follows metric for this media product type."},
		{"metric=impressions", "Starting from version v22.0 and above, the impressions metric is no longer supported for the queried media."},
		{"metric=views,bogus", "(#100) metric[1] must be one of the following values: "},
		{"metric=views&breakdown=action_type", "(#100) The breakdown action_type is not supported"},
	} {
		resp, m := getJSON(t, u(feed.ID, tt.q))
		if c, _ := graphCode(m); resp.StatusCode != 400 || c != 100 || !strings.HasPrefix(errMessage(m), tt.msg) || m["data"] != nil {
			t.Errorf("%s: %d %v", tt.q, resp.StatusCode, m)
		}
	}
	// Another account's post does not exist for this token.
	other := sb.Account(studioID).Posts()[0]
	if _, m := getJSON(t, u(other.ID, "metric=views")); !hasCode(m, 100, 33) {
		t.Errorf("other account's post: %v", m)
	}
	// Without the insights scope: a permission error.
	short := sb.issueShort(t, creatorID)
	if _, m := getJSON(t, srv.URL+"/v25.0/"+feed.ID+"/insights?metric=views&access_token="+short); !hasCode(m, 10, 0) ||
		strings.Contains(errMessage(m), "viewers") {
		t.Errorf("no insights scope: %v", m)
	}
}

func TestMediaInsights_GrowWithAge(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	sb, srv, clk := newServer(t, Options{Accounts: []AccountSpec{{UserID: creatorID, Followers: 3000,
		PostsList: []Post{{ID: "18000000000000001", Timestamp: now.Add(-2 * time.Hour)}}}}})
	tok := sb.IssueToken(creatorID)
	views := func() float64 {
		_, m := getJSON(t, srv.URL+"/v25.0/18000000000000001/insights?metric=views&access_token="+tok)
		return m["data"].([]any)[0].(map[string]any)["values"].([]any)[0].(map[string]any)["value"].(float64)
	}
	first := views()
	clk.Advance(24 * time.Hour)
	second := views()
	clk.Advance(24 * time.Hour)
	if third := views(); !(first < second && second < third) {
		t.Errorf("views at 2 h, 26 h, 50 h = %v, %v, %v; want growing", first, second, third)
	}
}

func TestAccountInsights_Rules(t *testing.T) {
	sb, srv, clk := newServer(t, Options{})
	tok := sb.IssueToken(creatorID)
	now := clk.Now()
	today := pacificMidnight(now)
	unix := func(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
	u := func(q string) string { return srv.URL + "/v25.0/me/insights?access_token=" + tok + "&" + q }
	week := "&since=" + unix(today.AddDate(0, 0, -7)) + "&until=" + unix(today)

	for _, tt := range []struct{ q, msg string }{
		{"metric=reach&period=day&since=" + unix(now.Add(-31*24*time.Hour)) + "&until=" + unix(now), MsgSpanTooLong},
		{"metric=views&period=day" + week, "(#100) The following metrics (views) should be specified with parameter metric_type=total_value"},
		{"metric=follower_count&period=day&since=" + unix(today.AddDate(0, 0, -45)) + "&until=" + unix(today.AddDate(0, 0, -20)), MsgFollowerWindow},
		{"metric=follower_demographics&period=lifetime&metric_type=total_value&breakdown=age", "(#100) Demographic metrics need the parameter timeframe"},
		{"metric=follower_demographics&period=lifetime&metric_type=total_value&timeframe=last_30_days&breakdown=age", "(#100) Demographic metrics need the parameter timeframe"},
		{"metric=reach&period=lifetime" + week, "(#100) The following metrics (reach) should be specified with parameter period=day"},
		{"metric=nope&period=day", "(#100) metric[0] must be one of the following values: "},
		{"metric=views&period=day&metric_type=total_value&breakdown=follow_type" + week, "(#100) The breakdown follow_type is not supported"},
	} {
		resp, m := getJSON(t, u(tt.q))
		if c, _ := graphCode(m); resp.StatusCode != 400 || c != 100 || !strings.HasPrefix(errMessage(m), tt.msg) {
			t.Errorf("%s: %d %v, want %q", tt.q, resp.StatusCode, m, tt.msg)
		}
	}

	// Daily reach: one value per ended Pacific day, end_time at Pacific midnight in +0000.
	_, m := getJSON(t, u("metric=reach&period=day"+week))
	values := m["data"].([]any)[0].(map[string]any)["values"].([]any)
	if len(values) != 7 {
		t.Fatalf("reach values = %v", values)
	}
	endRE := regexp.MustCompile(`^2026-0[23]-\d\dT08:00:00\+0000$`)
	for _, v := range values {
		if end := v.(map[string]any)["end_time"].(string); !endRE.MatchString(end) {
			t.Errorf("end_time %q", end)
		}
	}
	// follows_and_unfollows splits follows (FOLLOWER) from unfollows (NON_FOLLOWER).
	_, m = getJSON(t, u("metric=follows_and_unfollows&period=day&metric_type=total_value&breakdown=follow_type"+week))
	tv := m["data"].([]any)[0].(map[string]any)["total_value"].(map[string]any)
	keys := map[string]float64{}
	for _, r := range tv["breakdowns"].([]any)[0].(map[string]any)["results"].([]any) {
		r := r.(map[string]any)
		keys[r["dimension_values"].([]any)[0].(string)] = r["value"].(float64)
	}
	if keys["FOLLOWER"] <= keys["NON_FOLLOWER"] || keys["FOLLOWER"]+keys["NON_FOLLOWER"] != tv["value"].(float64) {
		t.Errorf("follows_and_unfollows = %v", tv)
	}
	// Under 100 followers the follower metrics are left out.
	small := sb.IssueToken(newbieID)
	for _, q := range []string{"metric=follower_count&period=day" + week, "metric=online_followers&period=lifetime",
		"metric=follower_demographics&period=lifetime&metric_type=total_value&timeframe=this_month&breakdown=country"} {
		if _, m := getJSON(t, srv.URL+"/v25.0/"+newbieID+"/insights?access_token="+small+"&"+q); len(m["data"].([]any)) != 0 {
			t.Errorf("%s for an account under 100 followers: %v", q, m)
		}
	}
	// Another account's insights are not this token's.
	if _, m := getJSON(t, srv.URL+"/v25.0/"+studioID+"/insights?metric=reach&period=day&access_token="+tok); !hasCode(m, 100, 33) {
		t.Errorf("studio's insights with creator's token: %v", m)
	}
}

func TestFollowerHistory(t *testing.T) {
	sb, _, clk := newServer(t, Options{})
	a := sb.Account(studioID)
	h := a.view()
	today := h.l.dayOf(clk.Now())
	// 90 days back the account was smaller, and it grew on most weeks since.
	past, now := h.followersEnd(today-90), h.followersEnd(today-1)
	if past >= now || float64(past) < float64(now)*0.5 {
		t.Errorf("followers 90 days ago %d, yesterday %d: want believable growth", past, now)
	}
	if got := h.followersEnd(-1); got != a.Followers() {
		t.Errorf("the ledger ends at %d, the account has %d", got, a.Followers())
	}
	if got, want := a.FollowersAt(clk.Now().AddDate(0, 0, -90)), past; got != want {
		t.Errorf("FollowersAt(90 days ago) = %d, want %d", got, want)
	}
	weeksUp := 0
	for w := 1; w <= 12; w++ {
		if h.followersEnd(today-7*w+6) > h.followersEnd(today-7*w-1) {
			weeksUp++
		}
	}
	if weeksUp < 9 {
		t.Errorf("followers grew in %d of 12 weeks", weeksUp)
	}
	// Daily reach overlaps: the sandbox's 7-day total is below the daily sum.
	days := []int{today - 7, today - 6, today - 5, today - 4, today - 3, today - 2, today - 1}
	total, _ := totalOf(h, "reach", "", days)
	var sum int64
	for _, d := range days {
		sum += int64(h.reach(d))
		if h.views(d) <= h.reach(d) {
			t.Errorf("day %d: views %d not above reach %d", d, h.views(d), h.reach(d))
		}
	}
	if total >= sum {
		t.Errorf("7-day reach %d, daily sum %d", total, sum)
	}
}

func TestFaults_Insights(t *testing.T) {
	sb, srv, _ := newServer(t, Options{})
	creator, studio := sb.IssueToken(creatorID), sb.IssueToken(studioID)
	post := sb.Account(creatorID).Posts()[5]
	u := func(tok, q string) string { return srv.URL + "/v25.0/me/insights?access_token=" + tok + "&" + q }
	reach := "metric=reach&period=day"

	// A fault for one account leaves the other alone.
	f := FaultThrottled(80002, 100, 30*time.Minute)
	f.Account = creatorID
	sb.InjectFault(f)
	resp, m := getJSON(t, u(creator, reach))
	if !hasCode(m, 80002, 0) || !strings.Contains(resp.Header.Get("X-Business-Use-Case-Usage"), `"estimated_time_to_regain_access":30`) {
		t.Errorf("creator: %v %q", m, resp.Header.Get("X-Business-Use-Case-Usage"))
	}
	if _, m := getJSON(t, u(studio, reach)); m["error"] != nil {
		t.Errorf("studio hit by creator's fault: %v", m)
	}
	sb.ClearFaults()

	// A metric fault hits only calls that name the metric.
	sb.InjectFault(FaultMetricRefused("saved"))
	mu := func(metric string) string {
		return srv.URL + "/v25.0/" + post.ID + "/insights?metric=" + metric + "&access_token=" + creator
	}
	if _, m := getJSON(t, mu("views,saved")); !hasCode(m, 100, 0) || !strings.Contains(errMessage(m), "saved") {
		t.Errorf("saved: %v", m)
	}
	if _, m := getJSON(t, mu("views")); m["error"] != nil {
		t.Errorf("views: %v", m)
	}
	sb.ClearFaults()
	sb.InjectFault(FaultEmptyData())
	if _, m := getJSON(t, mu("views")); len(m["data"].([]any)) != 0 {
		t.Errorf("empty: %v", m)
	}
	sb.ClearFaults()
	sb.InjectFault(FaultNotEnoughViewers())
	if _, m := getJSON(t, mu("views")); !hasCode(m, 10, 0) || errMessage(m) != MsgNotEnoughViewers {
		t.Errorf("#10: %v", m)
	}
	sb.ClearFaults()
	sb.InjectFault(Fault{Endpoint: EndpointInsights, Malformed: true, Times: 1})
	if _, body := get(t, mu("views")); body != `{"data":[` {
		t.Errorf("malformed: %q", body)
	}

	// Counters: per metric and per account.
	if got := sb.MetricCalls(EndpointMediaInsights, "saved"); got != 1 {
		t.Errorf("saved sent %d times, want 1", got)
	}
	if got := sb.MetricCalls(EndpointMediaInsights, "views"); got != 5 {
		t.Errorf("views sent %d times, want 5", got)
	}
	if got := sb.AccountCalls(studioID, EndpointAccountInsights); got != 1 {
		t.Errorf("studio account insights calls = %d, want 1", got)
	}
	if got := sb.AccountCalls(creatorID, "*"); got != 6 {
		t.Errorf("creator calls = %d, want 6", got)
	}
	if got := sb.AccountCalls(newbieID, ""); got != 0 {
		t.Errorf("newbie calls = %d, want 0", got)
	}
}

func TestLatencyAndRateLimit(t *testing.T) {
	sb, srv, clk := newServer(t, Options{Latency: 30 * time.Millisecond, RateLimit: 3, RateWindow: 10 * time.Minute})
	tok := sb.IssueToken(creatorID)
	me := srv.URL + "/v25.0/me?fields=id&access_token=" + tok
	start := time.Now()
	for i := range 3 {
		resp, m := getJSON(t, me)
		if m["error"] != nil {
			t.Fatalf("call %d: %v", i+1, m)
		}
		if got, want := resp.Header.Get("X-Business-Use-Case-Usage"), `"call_count":`+strconv.Itoa((i+1)*100/3); !strings.Contains(got, want) {
			t.Errorf("call %d: usage %q, want %s", i+1, got, want)
		}
		clk.Advance(time.Minute)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Errorf("3 calls took %v with 30 ms latency", d)
	}
	resp, m := getJSON(t, me)
	if !hasCode(m, 80002, 0) || !strings.Contains(resp.Header.Get("X-Business-Use-Case-Usage"), `"estimated_time_to_regain_access":7`) {
		t.Errorf("over budget: %v %q", m, resp.Header.Get("X-Business-Use-Case-Usage"))
	}
	// Other accounts have their own budget.
	if _, m := getJSON(t, srv.URL+"/v25.0/me?fields=id&access_token="+sb.IssueToken(studioID)); m["error"] != nil {
		t.Errorf("studio: %v", m)
	}
	clk.Advance(7 * time.Minute)
	if _, m := getJSON(t, me); m["error"] != nil {
		t.Errorf("after the window: %v", m)
	}
}

func TestConsent_PreselectsUnlinkedAccount(t *testing.T) {
	var mu sync.Mutex
	linked := map[string]bool{}
	isLinked := func(_ context.Context, id string) bool {
		mu.Lock()
		defer mu.Unlock()
		return linked[id]
	}
	selectedRE := regexp.MustCompile(`<option value="([^"]+)" selected>`)
	page := func(srv string) (selected string, options int) {
		_, body := get(t, srv+"/oauth/authorize?"+authValues().Encode())
		m := selectedRE.FindAllStringSubmatch(body, -1)
		if len(m) != 1 {
			t.Fatalf("%d selected options in %s", len(m), body)
		}
		return m[0][1], strings.Count(body, "<option ")
	}

	t.Run("NilKeepsTheFirst", func(t *testing.T) {
		_, srv, _ := newServer(t, Options{})
		if got, _ := page(srv.URL); got != creatorID {
			t.Errorf("selected %s", got)
		}
	})
	t.Run("SkipsLinked", func(t *testing.T) {
		sb, srv, _ := newServer(t, Options{IsLinked: isLinked})
		mu.Lock()
		linked[creatorID] = true
		mu.Unlock()
		if got, n := page(srv.URL); got != studioID || n != 3 {
			t.Errorf("selected %s of %d", got, n)
		}
		mu.Lock()
		linked[studioID], linked[newbieID] = true, true
		mu.Unlock()
		got, n := page(srv.URL)
		if n != 4 || got == creatorID || got == studioID || got == newbieID {
			t.Fatalf("all linked: selected %s of %d, want a fresh account", got, n)
		}
		fresh := sb.Account(got)
		if fresh == nil || fresh.PostCount() != 60 || fresh.Followers() < 100 {
			t.Fatalf("fresh account %+v", fresh)
		}
		// It can be authorised and has insights.
		tok := sb.IssueToken(got)
		if _, m := getJSON(t, srv.URL+"/v25.0/me/insights?metric=online_followers&period=lifetime&access_token="+tok); len(m["data"].([]any)) != 1 {
			t.Errorf("fresh account insights: %v", m)
		}
		// The next person, with the fresh one taken too, gets another.
		mu.Lock()
		linked[got] = true
		mu.Unlock()
		if again, n := page(srv.URL); again == got || n != 5 {
			t.Errorf("second fresh account: %s of %d", again, n)
		}
	})
}

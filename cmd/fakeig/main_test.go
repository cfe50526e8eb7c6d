package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in     string
		calls  int
		window time.Duration
		ok     bool
	}{
		{"", 0, 0, true},
		{"200/h", 200, time.Hour, true},
		{"4800/24h", 4800, 24 * time.Hour, true},
		{"10/30s", 10, 30 * time.Second, true},
		{"200", 0, 0, false},
		{"0/h", 0, 0, false},
		{"x/h", 0, 0, false},
		{"5/fortnight", 0, 0, false},
	}
	for _, tt := range tests {
		calls, window, err := parseRate(tt.in)
		if (err == nil) != tt.ok || calls != tt.calls || window != tt.window {
			t.Errorf("parseRate(%q) = %d, %v, %v", tt.in, calls, window, err)
		}
	}
}

func getJSON(t *testing.T, u string) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %q", u, raw)
	}
	return resp, m
}

func TestFakeIG_InsightsRateLimitAndLatency(t *testing.T) {
	sb := newSandbox(settings{port: 1, clientID: "c", secret: "s", posts: 30, latency: 20 * time.Millisecond,
		rateLimit: 4, rateWindow: time.Hour, insightsDelay: time.Hour})
	srv := httptest.NewServer(handler(sb))
	t.Cleanup(srv.Close)
	sb.SetBaseURL(srv.URL)
	tok := sb.IssueToken(SmallAccountID)
	post := sb.Account(SmallAccountID).Posts()[3]

	start := time.Now()
	resp, m := getJSON(t, srv.URL+"/v25.0/"+post.ID+"/insights?metric=views,reach&access_token="+tok)
	if resp.StatusCode != 200 || len(m["data"].([]any)) != 2 {
		t.Fatalf("media insights: %d %v", resp.StatusCode, m)
	}
	if time.Since(start) < 20*time.Millisecond {
		t.Error("no latency")
	}
	if got := resp.Header.Get("X-Business-Use-Case-Usage"); !strings.Contains(got, `"`+SmallAccountID+`":[{"call_count":25`) {
		t.Errorf("usage after 1 of 4 calls: %q", got)
	}
	if _, m := getJSON(t, srv.URL+"/v25.0/me/insights?metric=online_followers&period=lifetime&access_token="+tok); len(m["data"].([]any)) != 1 {
		t.Errorf("account insights: %v", m)
	}
	tiny := sb.IssueToken(TinyAccountID)
	if _, m := getJSON(t, srv.URL+"/v25.0/me/insights?metric=online_followers&period=lifetime&access_token="+tiny); len(m["data"].([]any)) != 0 {
		t.Errorf("tiny account online_followers: %v", m)
	}
	getJSON(t, srv.URL+"/v25.0/me?fields=id&access_token="+tok)
	getJSON(t, srv.URL+"/v25.0/me?fields=id&access_token="+tok)
	resp, m = getJSON(t, srv.URL+"/v25.0/me?fields=id&access_token="+tok)
	e, _ := m["error"].(map[string]any)
	if e["code"] != 80002.0 || !strings.Contains(resp.Header.Get("X-Business-Use-Case-Usage"), `"estimated_time_to_regain_access":60`) {
		t.Errorf("5th call: %v %q", m, resp.Header.Get("X-Business-Use-Case-Usage"))
	}

	// Control: throttle one account, refuse a metric, count calls.
	big := sb.IssueToken(BigAccountID)
	for _, c := range []string{"/_control/throttle?account=" + BigAccountID + "&code=613&regain=3m&times=1", "/_control/refuse?metric=saved"} {
		if r, err := http.Post(srv.URL+c, "", nil); err != nil || r.StatusCode != 200 {
			t.Fatalf("%s: %v %v", c, r, err)
		} else {
			r.Body.Close()
		}
	}
	bigPost := sb.Account(BigAccountID).Posts()[5]
	if _, m := getJSON(t, srv.URL+"/v25.0/"+bigPost.ID+"/insights?metric=views&access_token="+big); m["error"].(map[string]any)["code"] != 613.0 {
		t.Errorf("throttled: %v", m)
	}
	if _, m := getJSON(t, srv.URL+"/v25.0/"+bigPost.ID+"/insights?metric=saved&access_token="+big); m["error"].(map[string]any)["code"] != 100.0 {
		t.Errorf("refused: %v", m)
	}
	_, calls := getJSON(t, srv.URL+"/_control/calls")
	if calls["media_insights"] != 3.0 || calls["account_insights"] != 2.0 {
		t.Errorf("calls = %v", calls)
	}
	if r, err := http.Post(srv.URL+"/_control/throttle?regain=soon", "", nil); err != nil || r.StatusCode != 400 {
		t.Errorf("bad regain: %v %v", r, err)
	} else {
		r.Body.Close()
	}
}

func TestAddScaleAccounts(t *testing.T) {
	s := settings{port: 18190, clientID: "c", secret: "s", accounts: 3, accountPosts: 5,
		tokensFile: t.TempDir() + "/tokens", liveFollowers: true, insightsDelay: time.Hour}
	sb := newSandbox(s)
	if err := addScaleAccounts(sb, s); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(s.tokensFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d token lines, want 3: %q", len(lines), raw)
	}
	srv := httptest.NewServer(handler(sb))
	defer srv.Close()
	for i, l := range lines {
		id, tok, ok := strings.Cut(l, " ")
		if !ok || id != ScaleAccountID(i+1) || tok == "" {
			t.Fatalf("line %d = %q", i, l)
		}
		resp, me := getJSON(t, srv.URL+"/me?fields=user_id,username&access_token="+tok)
		if resp.StatusCode != http.StatusOK || me["user_id"] != id {
			t.Errorf("/me for %s: %d %v", id, resp.StatusCode, me)
		}
	}
	if got := len(sb.Account(ScaleAccountID(2)).Posts()); got != 5 {
		t.Errorf("%d posts, want 5", got)
	}
}

package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// getJSON fetches u and decodes the JSON body.
func getJSON(t *testing.T, u string) (*http.Response, map[string]any) {
	t.Helper()
	resp, body := get(t, u)
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("GET %s: body %q: %v", u, body, err)
	}
	return resp, m
}

func graphCode(m map[string]any) (code, subcode float64) {
	e, _ := m["error"].(map[string]any)
	code, _ = e["code"].(float64)
	subcode, _ = e["error_subcode"].(float64)
	return code, subcode
}

func TestTokens(t *testing.T) {
	sb, srv, clk := newServer(t, Options{})
	short := sb.issueShort(t, "17841400000000001")

	q := url.Values{"grant_type": {"ig_exchange_token"}, "client_secret": {"sandbox-secret"}, "access_token": {short}}
	resp, m := getJSON(t, srv.URL+"/access_token?"+q.Encode())
	long, _ := m["access_token"].(string)
	if resp.StatusCode != 200 || long == "" || m["expires_in"] != 5183944.0 || m["token_type"] != "bearer" {
		t.Fatalf("long-lived exchange: %d %v", resp.StatusCode, m)
	}
	q.Set("client_secret", "wrong")
	if resp, m := getJSON(t, srv.URL+"/access_token?"+q.Encode()); resp.StatusCode != 400 || m["error"] == nil {
		t.Errorf("wrong secret: %d %v", resp.StatusCode, m)
	}

	refresh := func(tok string) (int, map[string]any) {
		resp, m := getJSON(t, srv.URL+"/refresh_access_token?grant_type=ig_refresh_token&access_token="+url.QueryEscape(tok))
		return resp.StatusCode, m
	}
	if status, m := refresh(long); status != 400 || func() bool { c, _ := graphCode(m); return c != 100 }() {
		t.Errorf("refresh under 24 h: %d %v, want 400 code 100", status, m)
	}
	clk.Advance(25 * time.Hour)
	status, m := refresh(long)
	refreshed, _ := m["access_token"].(string)
	if status != 200 || refreshed == "" || refreshed == long || m["expires_in"] != 5183944.0 {
		t.Errorf("refresh after 25 h: %d %v", status, m)
	}
	// The short-lived token has expired by now (1 h).
	if _, m := getJSON(t, srv.URL+"/v25.0/me?access_token="+url.QueryEscape(short)); !hasCode(m, 190, 463) {
		t.Errorf("expired short token: %v, want 190/463", m)
	}
	sb.ExpireToken(long)
	if _, m := refresh(long); !hasCode(m, 190, 463) {
		t.Errorf("refresh of expired token: %v, want 190/463", m)
	}
	sb.RevokeAll("17841400000000001")
	if _, m := refresh(refreshed); !hasCode(m, 190, 467) {
		t.Errorf("refresh of revoked token: %v, want 190/467", m)
	}
}

func hasCode(m map[string]any, code, subcode float64) bool {
	c, s := graphCode(m)
	return c == code && s == subcode
}

// issueShort runs the consent and code exchange in-process and returns a short-lived token.
func (s *Sandbox) issueShort(t *testing.T, userID string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked(userID, false, []string{"instagram_business_basic"})
}

func TestMe(t *testing.T) {
	sb, srv, _ := newServer(t, Options{})
	tok := sb.IssueToken("17841400000000002")
	resp, body := get(t, srv.URL+"/v25.0/me?fields=user_id,username,followers_count&access_token="+url.QueryEscape(tok))
	want := `{"id":"27010000000002013","user_id":"17841400000000002","username":"sandbox.studio","followers_count":5830}`
	if resp.StatusCode != 200 || body != want {
		t.Errorf("me = %d %s, want %s", resp.StatusCode, body, want)
	}
	for _, h := range []string{"X-App-Usage", "X-Business-Use-Case-Usage"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if !strings.Contains(resp.Header.Get("X-Business-Use-Case-Usage"), `"type":"instagram"`) {
		t.Errorf("X-Business-Use-Case-Usage = %q", resp.Header.Get("X-Business-Use-Case-Usage"))
	}
	if resp, m := getJSON(t, srv.URL+"/v25.0/me?fields=email&access_token="+url.QueryEscape(tok)); resp.StatusCode != 400 || !hasCode(m, 100, 0) {
		t.Errorf("unknown field: %d %v", resp.StatusCode, m)
	}
	resp, m := getJSON(t, srv.URL+"/v25.0/me?fields=user_id")
	if c, _ := graphCode(m); resp.StatusCode != 400 || c != 190 || m["error"].(map[string]any)["type"] != "IGApiException" {
		t.Errorf("no token: %d %v", resp.StatusCode, m)
	}
}

// page is one decoded media page.
type page struct {
	Data   []map[string]any `json:"data"`
	Paging struct {
		Cursors map[string]string `json:"cursors"`
		Next    string            `json:"next"`
	} `json:"paging"`
}

func walk(t *testing.T, first string) []page {
	t.Helper()
	var pages []page
	for u := first; u != ""; {
		resp, body := get(t, u)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
		}
		var p page
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
		u = p.Paging.Next
	}
	return pages
}

func TestMedia_Paging(t *testing.T) {
	sb, srv, _ := newServer(t, Options{})
	tok := sb.IssueToken("17841400000000001")
	first := srv.URL + "/v25.0/me/media?fields=id,timestamp,like_count,media_url,thumbnail_url,media_type&limit=50&access_token=" + url.QueryEscape(tok)
	pages := walk(t, first)
	var sizes []int
	var ids []string
	for i, p := range pages {
		sizes = append(sizes, len(p.Data))
		if p.Paging.Next != "" && (!strings.HasPrefix(p.Paging.Next, srv.URL+"/v25.0/me/media?") || !strings.Contains(p.Paging.Next, "access_token=")) {
			t.Errorf("page %d next = %q", i, p.Paging.Next)
		}
		for _, item := range p.Data {
			ids = append(ids, item["id"].(string))
			for k := range item {
				if !slices.Contains([]string{"id", "timestamp", "like_count", "media_url", "thumbnail_url", "media_type"}, k) {
					t.Errorf("unrequested field %q", k)
				}
			}
			if ts := item["timestamp"].(string); !strings.HasSuffix(ts, "+0000") {
				t.Errorf("timestamp %q, want +0000 form", ts)
			}
		}
	}
	if got, want := sizes, []int{50, 50, 50, 0, 50, 50, 50}; !slices.Equal(got, want) {
		t.Errorf("page sizes = %v, want %v", got, want)
	}
	posts := sb.Account("17841400000000001").Posts()
	for i, p := range posts {
		if ids[i] != p.ID {
			t.Fatalf("item %d = %s, want %s (newest first)", i, ids[i], p.ID)
		}
	}
	third := pages[0].Data[2]
	if _, ok := third["media_url"]; ok || third["media_type"] != "VIDEO" || third["thumbnail_url"] == nil {
		t.Errorf("3rd item = %v, want a VIDEO with thumbnail_url and no media_url", third)
	}
	if _, ok := pages[0].Data[4]["like_count"]; ok {
		t.Errorf("5th item = %v, want no like_count", pages[0].Data[4])
	}

	_, m := getJSON(t, srv.URL+"/v25.0/me/media?access_token="+url.QueryEscape(tok))
	if got := len(m["data"].([]any)); got != 25 {
		t.Errorf("default limit: %d items, want 25", got)
	}
	_, m = getJSON(t, srv.URL+"/v25.0/me/media?limit=500&access_token="+url.QueryEscape(tok))
	if got := len(m["data"].([]any)); got != 100 {
		t.Errorf("limit=500: %d items, want 100", got)
	}
	if resp, _ := getJSON(t, srv.URL+"/v25.0/me/media?after=garbage&access_token="+url.QueryEscape(tok)); resp.StatusCode != 400 {
		t.Errorf("bad cursor: status %d, want 400", resp.StatusCode)
	}
}

func TestMountedUnderPrefix(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base := srv.URL + "/sandbox/instagram"
	sb := New(Options{BaseURL: base + "/", Accounts: []AccountSpec{{Posts: 60}}})
	mux.Handle("/sandbox/instagram/", http.StripPrefix("/sandbox/instagram", sb))

	tok := sb.IssueToken(sb.Accounts()[0].UserID)
	pages := walk(t, base+"/v25.0/me/media?fields=id,media_url,permalink&limit=50&access_token="+url.QueryEscape(tok))
	if got, want := len(pages), 2; got != want {
		t.Fatalf("pages = %d, want %d", got, want)
	}
	img := pages[1].Data[0]["media_url"].(string)
	if !strings.HasPrefix(img, base+"/media/") {
		t.Fatalf("media_url = %q, want under %s", img, base)
	}
	resp, body := get(t, img)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" ||
		resp.Header.Get("Cache-Control") != "public, max-age=86400" || !strings.HasPrefix(body, "<svg") {
		t.Errorf("image: %d %v %.40s", resp.StatusCode, resp.Header, body)
	}
	if _, again := get(t, img); again != body {
		t.Error("image is not deterministic")
	}
	if resp, body := get(t, pages[1].Data[0]["permalink"].(string)); resp.StatusCode != 200 || !strings.Contains(body, "<img") {
		t.Errorf("permalink: %d", resp.StatusCode)
	}
	if resp, _ := get(t, base+"/media/123.svg"); resp.StatusCode != 404 {
		t.Errorf("unknown image: %d, want 404", resp.StatusCode)
	}
	if got, want := sb.Calls("image"), 3; got != want {
		t.Errorf("Calls(image) = %d, want %d", got, want)
	}
}

func TestConcurrentRequests(t *testing.T) {
	sb, srv, _ := newServer(t, Options{})
	tok := sb.IssueToken("17841400000000001")
	sb.InjectFault(Fault{Endpoint: "me", Status: 500, Times: 10})
	var wg sync.WaitGroup
	statuses := make(chan int, 40)
	for range 20 {
		wg.Go(func() {
			resp, _ := get(t, srv.URL+"/v25.0/me?fields=user_id&access_token="+url.QueryEscape(tok))
			statuses <- resp.StatusCode
		})
		wg.Go(func() {
			resp, _ := get(t, srv.URL+"/v25.0/me/media?access_token="+url.QueryEscape(tok))
			statuses <- resp.StatusCode
		})
		wg.Go(func() { sb.Account("17841400000000001").SetFollowers(2000) })
	}
	wg.Wait()
	close(statuses)
	failed := 0
	for s := range statuses {
		if s == 500 {
			failed++
		}
	}
	if got, want := failed, 10; got != want {
		t.Errorf("failed requests = %d, want %d", got, want)
	}
	if got, want := sb.Calls("me")+sb.Calls("media"), 40; got != want {
		t.Errorf("calls = %d, want %d", got, want)
	}
}

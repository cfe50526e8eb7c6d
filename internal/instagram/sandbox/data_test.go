package sandbox

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDefaultData(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	sb := New(Options{Seed: 7, Now: func() time.Time { return now }, BaseURL: "http://x/sb"})
	accts := sb.Accounts()
	if got, want := len(accts), 3; got != want {
		t.Fatalf("accounts = %d, want %d", got, want)
	}
	creator, studio, newbie := accts[0], accts[1], accts[2]
	if newbie.Followers() >= 100 || newbie.PostCount() != 12 {
		t.Errorf("newbie = %s with %d followers, want fewer than 100", newbie.Username, newbie.Followers())
	}
	if creator.UserID != "17841400000000001" || creator.Username != "sandbox.creator" || creator.Followers() != 1240 {
		t.Errorf("creator = %+v", creator)
	}
	if studio.Username != "sandbox.studio" || studio.PostCount() != 40 {
		t.Errorf("studio = %s with %d posts", studio.Username, studio.PostCount())
	}
	if creator.AppScopedID == creator.UserID {
		t.Error("app-scoped id must differ from user_id")
	}

	posts := creator.Posts()
	if got, want := len(posts), 300; got != want {
		t.Fatalf("posts = %d, want %d", got, want)
	}
	types := map[string]int{}
	hidden, tagged, mixedCase, noURL := 0, 0, 0, 0
	for i, p := range posts {
		types[p.MediaType]++
		if p.LikeCount == nil {
			hidden++
		}
		if strings.Contains(p.Caption, "#") {
			tagged++
		}
		if strings.Contains(p.Caption, "#T") || strings.Contains(p.Caption, "#F") || strings.Contains(p.Caption, "#P") {
			mixedCase++
		}
		if p.MediaURL == "" {
			noURL++
		}
		if p.Timestamp.After(now) || p.Timestamp.Before(now.Add(-366*24*time.Hour)) {
			t.Errorf("post %d at %v, outside the last 365 days", i, p.Timestamp)
		}
		if i > 0 && p.Timestamp.After(posts[i-1].Timestamp) {
			t.Errorf("post %d is newer than post %d", i, i-1)
		}
		if !strings.HasPrefix(p.Permalink, "http://x/sb/p/") || (p.MediaURL != "" && !strings.HasPrefix(p.MediaURL, "http://x/sb/media/")) {
			t.Errorf("post %d URLs %q %q not under BaseURL", i, p.Permalink, p.MediaURL)
		}
	}
	if types["IMAGE"] == 0 || types["VIDEO"] == 0 || types["CAROUSEL_ALBUM"] == 0 {
		t.Errorf("media types = %v, want all three", types)
	}
	if hidden < 5 || hidden > 30 {
		t.Errorf("hidden like counts = %d, want about 5%%", hidden)
	}
	if noURL != 1 || posts[2].MediaURL != "" || posts[2].ThumbnailURL == "" {
		t.Errorf("videos without media_url = %d, want exactly the 3rd newest", noURL)
	}
	if tagged < 150 || mixedCase == 0 {
		t.Errorf("tagged captions = %d, mixed-case tags = %d", tagged, mixedCase)
	}
	if recent, old := avgLikes(posts[:60]), avgLikes(posts[240:]); recent <= old*1.3 {
		t.Errorf("likes trend: recent %.1f vs old %.1f, want growth", recent, old)
	}

	again := New(Options{Seed: 7, Now: func() time.Time { return now }, BaseURL: "http://x/sb"})
	if !reflect.DeepEqual(again.Account(creator.UserID).Posts(), posts) {
		t.Error("same seed and clock should give the same posts")
	}
}

func avgLikes(posts []Post) float64 {
	sum, n := 0, 0
	for _, p := range posts {
		if p.LikeCount != nil {
			sum += *p.LikeCount
			n++
		}
	}
	return float64(sum) / float64(n)
}

func TestAccount_Mutations(t *testing.T) {
	sb := New(Options{Accounts: []AccountSpec{{UserID: "1", Posts: 3}}})
	a := sb.Account("1")
	p := a.AddPost(Post{Caption: "new", Timestamp: time.Now().Add(time.Hour)})
	if got := a.Posts()[0]; got.ID != p.ID || got.MediaType != "IMAGE" || got.Permalink == "" {
		t.Errorf("newest = %+v, want the added post %+v", got, p)
	}
	if !a.RemovePost(p.ID) || a.RemovePost(p.ID) || a.PostCount() != 3 {
		t.Errorf("RemovePost: %d posts left", a.PostCount())
	}
}

func BenchmarkGenerate10k(b *testing.B) {
	for b.Loop() {
		New(Options{Accounts: []AccountSpec{{Posts: 10000}}})
	}
}

func TestFaults(t *testing.T) {
	sb, srv, _ := newServer(t, Options{})
	tok := sb.IssueToken("17841400000000001")
	me := srv.URL + "/v25.0/me?fields=user_id&access_token=" + tok
	status := func() int {
		resp, _ := get(t, me)
		return resp.StatusCode
	}
	tests := []struct {
		name   string
		faults []Fault
		want   []int
	}{
		{"TimesAndAfter", []Fault{{Endpoint: "me", Status: 503, After: 1, Times: 2}}, []int{200, 503, 503, 200}},
		{"InOrder", []Fault{{Endpoint: "me", Status: 500, Times: 1}, {Endpoint: "*", Status: 429, Times: 1}}, []int{500, 429, 200}},
		{"OtherEndpoint", []Fault{{Endpoint: "media", Status: 500}}, []int{200, 200}},
		{"UntilCleared", []Fault{{Endpoint: "me", GraphCode: 17}}, []int{400, 400, 400}},
		{"PureDelay", []Fault{{Endpoint: "me", Delay: 10 * time.Millisecond, Times: 1}}, []int{200, 200}},
		{"MalformedWithStatus", []Fault{{Endpoint: "me", Malformed: true, Status: 502, Times: 1}}, []int{502, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb.ClearFaults()
			for _, f := range tt.faults {
				sb.InjectFault(f)
			}
			var got []int
			for range tt.want {
				got = append(got, status())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("statuses = %v, want %v", got, tt.want)
			}
		})
	}
	sb.ClearFaults()

	t.Run("ThrottleHeaders", func(t *testing.T) {
		sb.InjectFault(Fault{Endpoint: "me", Status: 429, GraphCode: 80002, RegainAccess: 90 * time.Second, RetryAfter: 1500 * time.Millisecond, AppUsage: 100, Times: 1})
		resp, m := getJSON(t, me)
		if !hasCode(m, 80002, 0) || resp.StatusCode != 429 {
			t.Errorf("got %d %v", resp.StatusCode, m)
		}
		if got := resp.Header.Get("X-Business-Use-Case-Usage"); !strings.Contains(got, `"estimated_time_to_regain_access":2`) {
			t.Errorf("X-Business-Use-Case-Usage = %q, want 2 minutes", got)
		}
		if got := resp.Header.Get("X-App-Usage"); !strings.Contains(got, `"call_count":100`) {
			t.Errorf("X-App-Usage = %q", got)
		}
		if got, want := resp.Header.Get("Retry-After"), "2"; got != want {
			t.Errorf("Retry-After = %q, want %q", got, want)
		}
	})
	t.Run("DelayHonoursClientCancel", func(t *testing.T) {
		sb.InjectFault(Fault{Endpoint: "me", Delay: time.Hour, Times: 1})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/v25.0/me?access_token="+tok, nil)
		done := make(chan struct{})
		go func() { sb.ServeHTTP(httptest.NewRecorder(), req); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("a delayed request did not end with its context")
		}
	})
	t.Run("ExchangeUsesFlatShape", func(t *testing.T) {
		sb.InjectFault(Fault{Endpoint: "exchange", Status: 500, Times: 1})
		status, m, _ := exchange(t, srv, exchangeValues("x"), false)
		if status != 500 || m["error_type"] != "OAuthException" {
			t.Errorf("got %d %v", status, m)
		}
	})
}

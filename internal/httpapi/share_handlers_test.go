package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// rpShare creates a share link as the user and returns its 201 body.
func (e *rpEnv) share(t *testing.T, u *rpUser, query string, body any) map[string]any {
	t.Helper()
	res := e.do(t, http.MethodPost, "/api/share-links"+query, body, u)
	if res.Status != http.StatusCreated {
		t.Fatalf("create share link: %d %s", res.Status, res.Raw)
	}
	return res.Body
}

func TestShareLinks_Lifecycle(t *testing.T) {
	e := newRPEnv(t, nil)
	u, other := e.user(t), e.user(t)
	acc := e.account(t, u, "creator.one", e.clock.Now().Add(-time.Hour))
	now := e.clock.Now()
	postIDs := e.posts(t, acc,
		rpPost{Caption: "best #travel", Likes: likes(500), Comments: 40, PostedAt: now.Add(-2 * time.Hour)},
		rpPost{Caption: "next #travel", Likes: likes(90), Comments: 3, PostedAt: now.Add(-26 * time.Hour)},
		rpPost{Caption: "older", Likes: likes(10), Comments: 1, PostedAt: now.Add(-20 * 24 * time.Hour)})
	e.account(t, other, "someone.else", now)

	created := e.share(t, &u, "", map[string]any{"period": 30, "tz": "Europe/Berlin", "expires_in_days": 30})
	wantKeys(t, created, "created_at", "expires_at", "id", "period_days", "token", "tz", "url")
	token, _ := created["token"].(string)
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q: %d bytes, %v; want 32 random bytes, base64url", token, len(raw), err)
	}
	if got, want := created["url"], rpPublicURL+"/r/"+token; got != want {
		t.Errorf("url = %v, want %v", got, want)
	}
	if created["period_days"] != 30.0 || created["tz"] != "Europe/Berlin" {
		t.Errorf("period_days, tz = %v, %v", created["period_days"], created["tz"])
	}
	exp := wantRFC3339UTC(t, "expires_at", created["expires_at"])
	if want := now.Add(30 * 24 * time.Hour); !exp.Equal(want) {
		t.Errorf("expires_at = %s, want %s", exp, want)
	}

	t.Run("StoredAsHashOnly", func(t *testing.T) {
		sum := sha256.Sum256(raw)
		var n int
		if err := e.db.QueryRowContext(context.Background(), `SELECT count(*) FROM share_links WHERE token_hash = $1`, sum[:]).Scan(&n); err != nil || n != 1 {
			t.Errorf("rows with the token's SHA-256: %d, %v; want 1", n, err)
		}
		var text string
		if err := e.db.QueryRowContext(context.Background(), `SELECT string_agg(s::text, ' ') FROM share_links s`).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, token) {
			t.Error("share_links holds the token itself")
		}
	})

	t.Run("List", func(t *testing.T) {
		res := e.do(t, http.MethodGet, "/api/share-links", nil, &u)
		list, _ := res.Body["share_links"].([]any)
		if res.Status != http.StatusOK || len(list) != 1 {
			t.Fatalf("list: %d %s", res.Status, res.Raw)
		}
		item := list[0].(map[string]any)
		wantKeys(t, item, "account_id", "created_at", "expires_at", "id", "period_days", "tz")
		if item["id"] != created["id"] || item["account_id"] != acc {
			t.Errorf("item = %v", item)
		}
		if strings.Contains(string(res.Raw), token) {
			t.Error("the list carries the token")
		}
		if res := e.do(t, http.MethodGet, "/api/share-links", nil, &other); string(res.Raw) != `{"share_links":[]}` {
			t.Errorf("another user's list = %s", res.Raw)
		}
	})

	t.Run("PublicReport", func(t *testing.T) {
		res := e.do(t, http.MethodGet, "/api/public/reports/"+token, nil, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("public report: %d %s", res.Status, res.Raw)
		}
		wantKeys(t, res.Body, "followers", "stats", "username")
		if res.Body["username"] != "creator.one" || res.Body["followers"] != 1200.0 {
			t.Errorf("username, followers = %v, %v", res.Body["username"], res.Body["followers"])
		}
		if got, want := res.Header.Get("Cache-Control"), "public, no-cache"; got != want {
			t.Errorf("Cache-Control = %q, want %q", got, want)
		}
		etag := res.Header.Get("ETag")
		again := e.do(t, http.MethodGet, "/api/public/reports/"+token, nil, nil, header("If-None-Match", "W/"+etag))
		if etag == "" || again.Status != http.StatusNotModified || len(again.Raw) != 0 {
			t.Errorf("revalidation with ETag %q: %d %q, want 304 and no body", etag, again.Status, again.Raw)
		}
		if other := e.do(t, http.MethodGet, "/api/public/reports/"+token, nil, nil, header("If-None-Match", `"stale"`)); other.Status != http.StatusOK {
			t.Errorf("another ETag: %d, want 200", other.Status)
		}
		stats, _ := res.Body["stats"].(map[string]any)
		if stats["total_posts"] != 3.0 || stats["period_days"] != 30.0 {
			t.Errorf("stats total_posts, period_days = %v, %v; want 3, 30", stats["total_posts"], stats["period_days"])
		}
		best, _ := stats["best_post"].(map[string]any)
		if best == nil || best["like_count"] != 500.0 || best["ig_post_id"] == "" {
			t.Errorf("best_post = %v", stats["best_post"])
		}
		// The stats body of the owner, but the best post's id.
		own := e.do(t, http.MethodGet, "/api/growth/stats?period=30&tz=Europe/Berlin", nil, &u)
		ownBest := own.Body["best_post"].(map[string]any)
		delete(ownBest, "id")
		if own.Body["total_likes"] != stats["total_likes"] || len(own.Body) != len(stats) || len(ownBest) != len(best) {
			t.Errorf("public stats differ from the owner's beyond the post id:\n%v\n%v", stats, own.Body)
		}
		secrets := append([]string{u.email, u.id, acc, token, created["id"].(string)}, postIDs...)
		for _, s := range secrets {
			if strings.Contains(strings.ToLower(string(res.Raw)), strings.ToLower(s)) {
				t.Errorf("the public report holds %q: %s", s, res.Raw)
			}
		}
		if strings.Contains(string(res.Raw), "@example.test") {
			t.Error("the public report holds an email address")
		}
	})

	t.Run("ErrDeleteOtherUsers", func(t *testing.T) {
		wantError(t, e.do(t, http.MethodDelete, "/api/share-links/"+created["id"].(string), nil, &other), 404, "not_found")
		wantError(t, e.do(t, http.MethodDelete, "/api/share-links/"+uuid.NewString(), nil, &u), 404, "not_found")
		wantError(t, e.do(t, http.MethodDelete, "/api/share-links/not-a-uuid", nil, &u), 404, "not_found")
		if res := e.do(t, http.MethodGet, "/api/public/reports/"+token, nil, nil); res.Status != http.StatusOK {
			t.Errorf("after another user's delete: %d, want 200", res.Status)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		res := e.do(t, http.MethodDelete, "/api/share-links/"+created["id"].(string), nil, &u)
		if res.Status != http.StatusNoContent || len(res.Raw) != 0 {
			t.Fatalf("delete: %d %s, want 204", res.Status, res.Raw)
		}
		pub := e.do(t, http.MethodGet, "/api/public/reports/"+token, nil, nil)
		wantError(t, pub, 404, "not_found")
		if got := pub.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("404 Cache-Control = %q, want no-store", got)
		}
		wantError(t, e.do(t, http.MethodDelete, "/api/share-links/"+created["id"].(string), nil, &u), 404, "not_found")
		if res := e.do(t, http.MethodGet, "/api/share-links", nil, &u); string(res.Raw) != `{"share_links":[]}` {
			t.Errorf("list after delete = %s", res.Raw)
		}
	})

	t.Run("ErrUnknownToken", func(t *testing.T) {
		for _, tok := range []string{base64.RawURLEncoding.EncodeToString(make([]byte, 32)), "short", token + "A",
			strings.Repeat("*", 43), token[:42] + "="} {
			wantError(t, e.do(t, http.MethodGet, "/api/public/reports/"+tok, nil, nil), 404, "not_found")
		}
	})

	t.Run("AccountGoneLinkGone", func(t *testing.T) {
		gone := e.account(t, u, "gone", now)
		l := e.share(t, &u, "?account_id="+gone, map[string]any{"expires_in_days": 5})
		if l["period_days"] != 30.0 || l["tz"] != "UTC" {
			t.Errorf("defaults: period_days %v, tz %v; want 30, UTC", l["period_days"], l["tz"])
		}
		if res := e.do(t, http.MethodDelete, "/api/instagram/disconnect?account_id="+gone, nil, &u); res.Status != 200 {
			t.Fatalf("disconnect: %d", res.Status)
		}
		wantError(t, e.do(t, http.MethodGet, "/api/public/reports/"+l["token"].(string), nil, nil), 404, "not_found")
	})
}

func TestShareLinks_ErrInput(t *testing.T) {
	e := newRPEnv(t, nil)
	u, other, lonely := e.user(t), e.user(t), e.user(t)
	e.account(t, u, "mine", e.clock.Now())
	theirs := e.account(t, other, "theirs", e.clock.Now())
	cases := []struct {
		name   string
		query  string
		body   any
		user   *rpUser
		status int
		code   string
	}{
		{"ExpiryMissing", "", map[string]any{"period": 30}, &u, 400, "invalid_request"},
		{"ExpiryZero", "", map[string]any{"expires_in_days": 0}, &u, 400, "invalid_request"},
		{"ExpiryTooLong", "", map[string]any{"expires_in_days": 366}, &u, 400, "invalid_request"},
		{"ExpiryNotWhole", "", `{"expires_in_days":1.5}`, &u, 400, "invalid_request"},
		{"Period", "", map[string]any{"period": 8, "expires_in_days": 3}, &u, 400, "invalid_period"},
		{"Zone", "", map[string]any{"tz": "Mars/Olympus", "expires_in_days": 3}, &u, 400, "invalid_request"},
		{"UnknownField", "", map[string]any{"expires_in_days": 3, "public": true}, &u, 400, "invalid_request"},
		{"Malformed", "", `{"expires_in_days":`, &u, 400, "invalid_request"},
		{"OtherUsersAccount", "?account_id=" + theirs, map[string]any{"expires_in_days": 3}, &u, 404, "no_instagram_account"},
		{"NoAccount", "", map[string]any{"expires_in_days": 3}, &lonely, 404, "no_instagram_account"},
		{"Unauthorized", "", map[string]any{"expires_in_days": 3}, nil, 401, "unauthorized"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.do(t, http.MethodPost, "/api/share-links"+tc.query, tc.body, tc.user), tc.status, tc.code)
		})
	}
	if got := countRows(t, e.db, "share_links"); got != 0 {
		t.Errorf("%d links stored by refused requests", got)
	}
	t.Run("ListOtherUsersAccount", func(t *testing.T) {
		wantError(t, e.do(t, http.MethodGet, "/api/share-links?account_id="+theirs, nil, &u), 404, "no_instagram_account")
	})
}

func TestShareLinks_Expiry(t *testing.T) {
	e := newRPEnv(t, nil)
	u := e.user(t)
	e.account(t, u, "creator", e.clock.Now())
	l := e.share(t, &u, "", map[string]any{"period": 7, "expires_in_days": 1})
	path := "/api/public/reports/" + l["token"].(string)
	e.clock.Advance(24*time.Hour - time.Second)
	if res := e.do(t, http.MethodGet, path, nil, nil); res.Status != http.StatusOK {
		t.Fatalf("a second before expiry: %d %s", res.Status, res.Raw)
	}
	e.clock.Advance(time.Second)
	wantError(t, e.do(t, http.MethodGet, path, nil, nil), 404, "not_found")
	// Expired links stay listed until deleted.
	if res := e.do(t, http.MethodGet, "/api/share-links", nil, &u); len(res.Body["share_links"].([]any)) != 1 {
		t.Errorf("list after expiry = %s", res.Raw)
	}
}

func TestPublicReport_RateLimit(t *testing.T) {
	e := newRPEnv(t, rpLimits(60))
	u := e.user(t)
	e.account(t, u, "creator", e.clock.Now())
	path := "/api/public/reports/" + e.share(t, &u, "", map[string]any{"expires_in_days": 3})["token"].(string)
	for i := range 60 {
		if res := e.do(t, http.MethodGet, path, nil, nil, remoteAddr("203.0.113.7:4000")); res.Status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i+1, res.Status, res.Raw)
		}
	}
	res := e.do(t, http.MethodGet, path, nil, nil, remoteAddr("203.0.113.7:4001"))
	wantError(t, res, http.StatusTooManyRequests, "rate_limited")
	if res.Header.Get("Retry-After") == "" || res.Header.Get("X-RateLimit-Limit") != "60" {
		t.Errorf("429 headers: Retry-After %q, X-RateLimit-Limit %q", res.Header.Get("Retry-After"), res.Header.Get("X-RateLimit-Limit"))
	}
	// Unknown tokens count too: guessing is limited as much as reading.
	wantError(t, e.do(t, http.MethodGet, "/api/public/reports/nope", nil, nil, remoteAddr("203.0.113.7:4002")), 429, "rate_limited")
	if res := e.do(t, http.MethodGet, path, nil, nil, remoteAddr("198.51.100.9:4000")); res.Status != http.StatusOK {
		t.Errorf("another client: %d, want 200", res.Status)
	}
}

func TestPublicReport_Page(t *testing.T) {
	e := newRPEnv(t, rpLimits(3))
	u := e.user(t)
	e.account(t, u, `a&b"<script>`, e.clock.Now())
	token := e.share(t, &u, "", map[string]any{"period": 14, "expires_in_days": 3})["token"].(string)

	rec := e.raw(t, "/r/"+token, nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	wantTitle := `<meta property="og:title" content="@a&amp;b&#34;&lt;script&gt;&#39;s growth report — last 14 days" />`
	if !strings.Contains(body, wantTitle) || !strings.Contains(body, `<meta property="og:description" content="`) {
		t.Errorf("page lacks the escaped OpenGraph tags:\n%s", body)
	}
	if strings.Contains(body, "<script>") || !strings.Contains(body, `<div id="root"></div>`) {
		t.Errorf("page: %s", body)
	}
	if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer", got)
	}
	if strings.Contains(body, u.email) || strings.Contains(body, token) {
		t.Error("page holds the email or the token")
	}
	rec = e.raw(t, "/r/"+strings.Repeat("A", 43), nil)
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `<div id="root">`) || strings.Contains(rec.Body.String(), "og:title") {
		t.Errorf("unknown token: %d %s, want 404 with the app and no preview", rec.Code, rec.Body)
	}
	// Past the limit the page is served, with no preview and no look-up.
	e.raw(t, "/r/"+token, nil)
	rec = e.raw(t, "/r/"+token, nil)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "og:title") {
		t.Errorf("past the limit: %d %s, want 200 without a preview", rec.Code, rec.Body)
	}
}

package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestInstagramAccounts_List(t *testing.T) {
	e := newRPEnv(t, nil)
	u, other := e.user(t), e.user(t)
	if res := e.do(t, http.MethodGet, "/api/instagram/accounts", nil, &u); res.Status != 200 || string(res.Raw) != `{"accounts":[]}` {
		t.Errorf("no account: %d %s, want {\"accounts\":[]}", res.Status, res.Raw)
	}
	now := e.clock.Now()
	middle := e.account(t, u, "middle", now.Add(-2*time.Hour))
	newest := e.account(t, u, "newest", now.Add(-time.Minute))
	oldest := e.account(t, u, "oldest", now.Add(-72*time.Hour))
	e.account(t, other, "theirs", now)

	res := e.do(t, http.MethodGet, "/api/instagram/accounts", nil, &u)
	wantKeys(t, res.Body, "accounts")
	list, _ := res.Body["accounts"].([]any)
	var got []string
	for _, a := range list {
		m := a.(map[string]any)
		wantKeys(t, m, "created_at", "followers", "id", "ig_user_id", "last_synced_at", "status", "token_expires_at", "username")
		got = append(got, m["id"].(string))
	}
	if want := []string{newest, middle, oldest}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("accounts = %v, want %v (most recently connected first, the user's only)", got, want)
	}
	wantError(t, e.do(t, http.MethodGet, "/api/instagram/accounts", nil, nil), 401, "unauthorized")
}

// TestAccountEndpoints_OtherUsersAccount names another user's account in
// ?account_id= on every endpoint that takes it: each answers 404, and
// nothing of the other account changes.
func TestAccountEndpoints_OtherUsersAccount(t *testing.T) {
	e := newRPEnv(t, nil)
	u, other := e.user(t), e.user(t)
	e.account(t, u, "mine", e.clock.Now())
	theirs := e.account(t, other, "theirs", e.clock.Now())
	e.posts(t, theirs, rpPost{Likes: likes(3), PostedAt: e.clock.Now().Add(-time.Hour)})
	endpoints := []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/api/instagram/posts", nil},
		{http.MethodGet, "/api/instagram/sync", nil},
		{http.MethodPost, "/api/instagram/refresh", nil},
		{http.MethodDelete, "/api/instagram/disconnect", nil},
		{http.MethodGet, "/api/growth/stats", nil},
		{http.MethodGet, "/api/growth/export?format=csv", nil},
		{http.MethodGet, "/api/growth/export?format=json", nil},
		{http.MethodPost, "/api/share-links", map[string]any{"expires_in_days": 3}},
		{http.MethodGet, "/api/share-links", nil},
	}
	for _, ep := range endpoints {
		t.Run(ep.method+" "+ep.path, func(t *testing.T) {
			sep := "?"
			if u, _ := url.Parse(ep.path); u.RawQuery != "" {
				sep = "&"
			}
			wantError(t, e.do(t, ep.method, ep.path+sep+"account_id="+theirs, ep.body, &u), 404, "no_instagram_account")
			wantError(t, e.do(t, ep.method, ep.path+sep+"account_id="+uuid.NewString(), ep.body, &u), 404, "no_instagram_account")
			wantError(t, e.do(t, ep.method, ep.path+sep+"account_id=nope", ep.body, &u), 400, "invalid_request")
		})
	}
	if countRows(t, e.db, "share_links") != 0 || countRows(t, e.db, "jobs") != 0 {
		t.Error("a refused request stored a link or a job")
	}
	if res := e.do(t, http.MethodGet, "/api/instagram/posts?account_id="+theirs, nil, &other); res.Status != 200 {
		t.Errorf("the owner's account after the requests: %d", res.Status)
	}
}

func TestInstagramPosts_CursorPaging(t *testing.T) {
	e := newRPEnv(t, nil)
	u := e.user(t)
	acc := e.account(t, u, "pager", e.clock.Now())
	now := e.clock.Now()
	shared := now.Add(-50 * time.Hour).Add(123456 * time.Microsecond)
	var posts []rpPost
	for i := range 250 {
		at := now.Add(-time.Duration(i) * time.Hour)
		if i >= 40 && i < 100 {
			at = shared // 60 posts share one posting time
		}
		posts = append(posts, rpPost{Caption: "p" + strconv.Itoa(i), Likes: likes(1), PostedAt: at})
	}
	want := map[string]bool{}
	for _, id := range e.posts(t, acc, posts...) {
		want[id] = true
	}
	for _, limit := range []int{1, 7, 50, 200} {
		t.Run("Limit"+strconv.Itoa(limit), func(t *testing.T) {
			seen := map[string]int{}
			var prevAt time.Time
			prevID := ""
			cursor := ""
			pages := 0
			for {
				path := "/api/instagram/posts?limit=" + strconv.Itoa(limit)
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				res := e.do(t, http.MethodGet, path, nil, &u)
				if res.Status != http.StatusOK {
					t.Fatalf("%s: %d %s", path, res.Status, res.Raw)
				}
				wantKeys(t, res.Body, "account", "next_cursor", "posts", "posts_count")
				page := res.Body["posts"].([]any)
				if len(page) > limit {
					t.Fatalf("page of %d posts at limit %d", len(page), limit)
				}
				for _, p := range page {
					m := p.(map[string]any)
					id := m["id"].(string)
					at := wantRFC3339UTC(t, "posted_at", m["posted_at"])
					if prevID != "" && (at.After(prevAt) || at.Equal(prevAt) && id >= prevID) {
						t.Fatalf("not in (posted_at, id) descending order: %s %s after %s %s", at, id, prevAt, prevID)
					}
					prevAt, prevID = at, id
					seen[id]++
				}
				pages++
				next, _ := res.Body["next_cursor"].(string)
				if next == "" {
					if res.Body["next_cursor"] != nil {
						t.Fatalf("next_cursor = %v, want a string or null", res.Body["next_cursor"])
					}
					break
				}
				if len(page) != limit {
					t.Fatalf("a short page (%d of %d) with a next_cursor", len(page), limit)
				}
				cursor = next
				if pages > 300 {
					t.Fatal("no end of pages")
				}
			}
			if len(seen) != len(want) {
				t.Errorf("saw %d distinct posts, want %d", len(seen), len(want))
			}
			for id, n := range seen {
				if n != 1 || !want[id] {
					t.Errorf("post %s seen %d times (one of the account's: %v)", id, n, want[id])
				}
			}
			if wantPages := (250 + limit - 1) / limit; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
		})
	}
	t.Run("BeforeStillWorks", func(t *testing.T) {
		res := e.do(t, http.MethodGet, "/api/instagram/posts?limit=200&before="+url.QueryEscape(shared.Format(time.RFC3339Nano)), nil, &u)
		if got := len(res.Body["posts"].([]any)); res.Status != 200 || got != 150 {
			t.Errorf("before the shared instant: %d, %d posts; want 200, 150", res.Status, got)
		}
	})
	t.Run("ErrMalformedCursor", func(t *testing.T) {
		enc := base64.RawURLEncoding.EncodeToString
		for _, c := range []string{"", "!!!", "bm9wZQ", enc([]byte("123")), enc([]byte("abc." + uuid.NewString())),
			enc([]byte("123.not-a-uuid")), enc([]byte("0123." + uuid.NewString())), enc([]byte("123." + uuid.NewString() + "x")),
			enc([]byte("123.")) + "=", string(make([]byte, 200))} {
			res := e.do(t, http.MethodGet, "/api/instagram/posts?cursor="+url.QueryEscape(c), nil, &u)
			wantError(t, res, 400, "invalid_request")
		}
		wantError(t, e.do(t, http.MethodGet, "/api/instagram/posts?cursor=x&before=2026-01-01T00:00:00Z", nil, &u), 400, "invalid_request")
	})
	t.Run("CursorOfAnotherAccountIsHarmless", func(t *testing.T) {
		other := e.user(t)
		e.account(t, other, "other", now)
		first := e.do(t, http.MethodGet, "/api/instagram/posts?limit=5", nil, &u)
		res := e.do(t, http.MethodGet, "/api/instagram/posts?cursor="+first.Body["next_cursor"].(string), nil, &other)
		if res.Status != 200 || len(res.Body["posts"].([]any)) != 0 {
			t.Errorf("%d %s, want an empty page of the other user's own account", res.Status, res.Raw)
		}
	})
}

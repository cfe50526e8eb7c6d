package httpapi_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

// igAccountKeys are the keys of the contract's account object.
var igAccountKeys = []string{"created_at", "followers", "id", "ig_user_id", "last_synced_at", "status", "token_expires_at", "username"}

// igPostKeys are the keys of the contract's post object.
var igPostKeys = []string{"caption", "comments_count", "fetched_at", "id", "ig_post_id", "insights", "like_count",
	"media_product_type", "media_type", "media_url", "permalink", "posted_at", "thumbnail_url"}

func igSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// igAllPosts walks GET /api/instagram/posts page by page with before and
// returns every post, checking that each page is newest first.
func igAllPosts(t *testing.T, h *igsynctest.Harness, token string, limit int) (posts []map[string]any, count int) {
	t.Helper()
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("no end to the pages")
		}
		res := h.Do(http.MethodGet, "/api/instagram/posts?"+q.Encode(), token, nil)
		if res.Status != http.StatusOK {
			t.Fatalf("posts: %d %s", res.Status, res.Raw)
		}
		if got, want := igSortedKeys(res.Body), []string{"account", "next_cursor", "posts", "posts_count"}; !slices.Equal(got, want) {
			t.Fatalf("posts keys = %v, want %v", got, want)
		}
		count = int(res.Body["posts_count"].(float64))
		items, _ := res.Body["posts"].([]any)
		if len(items) > limit {
			t.Fatalf("page of %d posts, limit %d", len(items), limit)
		}
		if len(items) == 0 {
			return posts, count
		}
		var last string
		for _, it := range items {
			p := it.(map[string]any)
			if last != "" && p["posted_at"].(string) > last {
				t.Fatalf("posts not newest first: %s after %s", p["posted_at"], last)
			}
			last = p["posted_at"].(string)
			posts = append(posts, p)
		}
		q.Set("before", last)
	}
}

// igWantPosts compares the API's posts with the sandbox's, in order.
func igWantPosts(t *testing.T, got []map[string]any, want []sandbox.Post) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d posts, want %d", len(got), len(want))
	}
	ids := map[string]bool{}
	for i, w := range want {
		g := got[i]
		if got, want := igSortedKeys(g), igPostKeys; !slices.Equal(got, want) {
			t.Fatalf("post keys = %v, want %v", got, want)
		}
		id := g["ig_post_id"].(string)
		if ids[id] {
			t.Fatalf("post %s listed twice", id)
		}
		ids[id] = true
		if id != w.ID {
			t.Fatalf("post %d: ig_post_id = %s, want %s", i, id, w.ID)
		}
		if got := g["caption"]; got != w.Caption {
			t.Errorf("post %s: caption = %q, want %q", id, got, w.Caption)
		}
		if got := g["media_type"]; got != w.MediaType {
			t.Errorf("post %s: media_type = %v, want %s", id, got, w.MediaType)
		}
		if got := g["permalink"]; got != w.Permalink {
			t.Errorf("post %s: permalink = %v, want %s", id, got, w.Permalink)
		}
		// Exactly what Instagram sent, null when it sent none: never
		// one URL in place of the other.
		for key, sent := range map[string]string{"media_url": w.MediaURL, "thumbnail_url": w.ThumbnailURL} {
			var want any
			if sent != "" {
				want = sent
			}
			if got := g[key]; got != want {
				t.Errorf("post %s: %s = %v, want %v", id, key, got, want)
			}
		}
		if got := g["media_product_type"]; got != w.MediaProductType {
			t.Errorf("post %s: media_product_type = %v, want %s", id, got, w.MediaProductType)
		}
		switch {
		case w.LikeCount == nil && g["like_count"] != nil:
			t.Errorf("post %s: like_count = %v, want null (hidden)", id, g["like_count"])
		case w.LikeCount != nil && g["like_count"] != float64(*w.LikeCount):
			t.Errorf("post %s: like_count = %v, want %d", id, g["like_count"], *w.LikeCount)
		}
		if got := g["comments_count"]; got != float64(w.CommentsCount) {
			t.Errorf("post %s: comments_count = %v, want %d", id, got, w.CommentsCount)
		}
		if got, want := g["posted_at"], w.Timestamp.UTC().Format(time.RFC3339); got != want {
			t.Errorf("post %s: posted_at = %v, want %s", id, got, want)
		}
	}
}

func TestInstagramFlow_EndToEnd(t *testing.T) {
	const igID = "17841400000000777"
	h := igsynctest.New(t, igsynctest.Options{
		Accounts: []sandbox.AccountSpec{{UserID: igID, Username: "flow.creator", Followers: 4321, Posts: 230}},
	})
	token := h.Register()

	authURL, _ := h.Start(token)
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatalf("authorize url %q: %v", authURL, err)
	}
	for k, want := range map[string]string{"client_id": igsynctest.ClientID, "response_type": "code", "redirect_uri": h.URL + "/auth/instagram/callback"} {
		if got := u.Query().Get(k); got != want {
			t.Errorf("connect url %s = %q, want %q", k, got, want)
		}
	}
	if u.Query().Get("state") == "" || !strings.Contains(u.Query().Get("scope"), "instagram_business_basic") {
		t.Errorf("connect url lacks state or scope: %s", u)
	}

	if got, want := h.Connect(token, igID), igsynctest.Connected; got != want {
		t.Fatalf("callback Location = %q, want %q", got, want)
	}
	st := h.WaitSync(token, "")
	if got, want := igSortedKeys(st), []string{"error", "last_synced_at", "posts_fetched", "state"}; !slices.Equal(got, want) {
		t.Errorf("sync keys = %v, want %v", got, want)
	}
	if st["state"] != "idle" || st["error"] != nil || st["posts_fetched"] != float64(230) || st["last_synced_at"] == nil {
		t.Errorf("sync = %v, want idle, 230 fetched, no error", st)
	}

	posts, count := igAllPosts(t, h, token, 50)
	if count != 230 {
		t.Errorf("posts_count = %d, want 230", count)
	}
	igWantPosts(t, posts, h.Sandbox.Account(igID).Posts())

	// Each post stored once; 230 posts over pages of 50 with every 4th page
	// empty: 5 full pages and 1 empty one.
	if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 230 {
		t.Errorf("instagram_posts rows = %d, want 230", got)
	}
	if got := h.Int(`SELECT count(DISTINCT ig_post_id) FROM instagram_posts`); got != 230 {
		t.Errorf("distinct ig_post_id = %d, want 230", got)
	}
	if got, want := h.Sandbox.Calls(sandbox.EndpointMedia), 6; got != want {
		t.Errorf("media calls = %d, want %d", got, want)
	}

	// The account object: exact keys, no token, the profile read.
	res := h.Do(http.MethodGet, "/api/instagram/posts?limit=1", token, nil)
	acc := res.Body["account"].(map[string]any)
	if got := igSortedKeys(acc); !slices.Equal(got, igAccountKeys) {
		t.Errorf("account keys = %v, want %v", got, igAccountKeys)
	}
	if acc["ig_user_id"] != igID || acc["username"] != "flow.creator" || acc["followers"] != float64(4321) || acc["status"] != "active" {
		t.Errorf("account = %v", acc)
	}
	exp, err := time.Parse(time.RFC3339, acc["token_expires_at"].(string))
	if err != nil || time.Until(exp) < 59*24*time.Hour || time.Until(exp) > 61*24*time.Hour {
		t.Errorf("token_expires_at = %v, want about 60 days ahead", acc["token_expires_at"])
	}
	if !strings.HasSuffix(acc["last_synced_at"].(string), "Z") {
		t.Errorf("last_synced_at = %v, want UTC", acc["last_synced_at"])
	}

	// Hashtags are extracted at ingest.
	var caption, tags string
	if err := h.DB.QueryRow(`SELECT caption, array_to_string(hashtags, ' ') FROM instagram_posts
		WHERE caption LIKE '%#%' ORDER BY posted_at DESC LIMIT 1`).Scan(&caption, &tags); err != nil {
		t.Fatalf("hashtags: %v", err)
	}
	if want := strings.Join(growth.ExtractHashtags(caption), " "); tags != want || tags == "" {
		t.Errorf("hashtags of %q = %q, want %q", caption, tags, want)
	}
	// One observed snapshot a day; the account insights reading may have
	// added derived ones for the days before the connection.
	if got := h.Int(`SELECT count(*) FROM follower_snapshots WHERE NOT derived`); got != 1 {
		t.Errorf("observed follower snapshots = %d, want 1", got)
	}
}

func TestInstagramFlow_Pagination(t *testing.T) {
	const igID = "17841400000000778"
	h := igsynctest.New(t, igsynctest.Options{
		Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: 57}},
	})
	token := h.Register()
	h.MustConnect(token, igID)
	h.WaitSync(token, "")
	want := h.Sandbox.Account(igID).Posts()
	for _, limit := range []int{1, 7, 50, 200} {
		posts, count := igAllPosts(t, h, token, limit)
		if count != 57 {
			t.Errorf("limit %d: posts_count = %d, want 57", limit, count)
		}
		igWantPosts(t, posts, want)
	}
	for _, q := range []string{"limit=0", "limit=201", "limit=x", "before=yesterday"} {
		res := h.Do(http.MethodGet, "/api/instagram/posts?"+q, token, nil)
		if res.Status != http.StatusBadRequest || res.Body["code"] != "invalid_request" {
			t.Errorf("%s: %d %s, want 400 invalid_request", q, res.Status, res.Raw)
		}
	}
}

func TestInstagramFlow_MaxPosts(t *testing.T) {
	const igID = "17841400000000779"
	h := igsynctest.New(t, igsynctest.Options{
		MaxPosts: 100,
		Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: 230}},
	})
	token := h.Register()
	h.MustConnect(token, igID)
	if st := h.WaitSync(token, ""); st["state"] != "idle" || st["posts_fetched"] != float64(100) {
		t.Fatalf("sync = %v", st)
	}
	posts, count := igAllPosts(t, h, token, 200)
	if count != 100 {
		t.Errorf("posts_count = %d, want 100", count)
	}
	igWantPosts(t, posts, h.Sandbox.Account(igID).Posts()[:100])
}

func TestInstagramFlow_Reconnect(t *testing.T) {
	const igID = "17841400000000780"
	h := igsynctest.New(t, igsynctest.Options{
		Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: 12}},
	})
	token := h.Register()
	h.MustConnect(token, igID)
	h.WaitSync(token, "")
	var id1, tok1 string
	if err := h.DB.QueryRow(`SELECT id, access_token FROM instagram_accounts`).Scan(&id1, &tok1); err != nil {
		t.Fatal(err)
	}
	h.Exec(`UPDATE instagram_accounts SET status = 'needs_reauth'`)

	h.MustConnect(token, igID)
	h.WaitSync(token, "")
	var id2, tok2, status string
	if err := h.DB.QueryRow(`SELECT id, access_token, status FROM instagram_accounts`).Scan(&id2, &tok2, &status); err != nil {
		t.Fatal(err)
	}
	if id2 != id1 || tok2 == tok1 || status != "active" {
		t.Errorf("after reconnect: id %s→%s, token changed %v, status %s; want same id, new token, active", id1, id2, tok2 != tok1, status)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_accounts`); got != 1 {
		t.Errorf("accounts = %d, want 1", got)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 12 {
		t.Errorf("posts = %d, want 12", got)
	}
}

func TestInstagramFlow_BadPostSkipped(t *testing.T) {
	const igID = "17841400000000781"
	now := time.Now().UTC().Truncate(time.Second)
	var list []sandbox.Post
	for i := range 10 {
		list = append(list, sandbox.Post{Caption: "post #n" + strconv.Itoa(i), Timestamp: now.Add(-time.Duration(i) * time.Hour)})
	}
	list[3].Override = map[string]any{"timestamp": "yesterday"}
	list[6].Override = map[string]any{"id": nil}
	h := igsynctest.New(t, igsynctest.Options{Accounts: []sandbox.AccountSpec{{UserID: igID, PostsList: list}}})
	token := h.Register()
	h.MustConnect(token, igID)
	if st := h.WaitSync(token, ""); st["state"] != "idle" || st["posts_fetched"] != float64(8) {
		t.Errorf("sync = %v, want idle with 8 posts", st)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 8 {
		t.Errorf("posts stored = %d, want 8", got)
	}
	if got := strings.Count(h.Logs.String(), "skipped a post"); got != 2 {
		t.Errorf("logged %d skipped posts, want 2", got)
	}
}

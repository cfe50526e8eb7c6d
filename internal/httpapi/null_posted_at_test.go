package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestPosts_NullPostedAt stores a post without a posting time, as a row
// written by hand or by an older sync could be, next to two ordinary
// ones. No page answers 500 for it: the post list and the growth report
// leave it out (it belongs to no window and to no place in the order),
// even though its likes would make it the best post.
func TestPosts_NullPostedAt(t *testing.T) {
	t.Parallel()
	e := newGrowthEnv(t)
	userID, token := e.user(t)
	accountID := e.account(t, userID, time.Now().Add(-30*24*time.Hour), 5, 10)
	var nullID string
	if err := e.db.QueryRowContext(context.Background(), `INSERT INTO instagram_posts
		(account_id, ig_post_id, caption, media_type, like_count, comments_count, posted_at, hashtags)
		VALUES ($1, 'no-time', '#lost post', 'IMAGE', 100000, 50, NULL, '{#lost}') RETURNING id`,
		accountID).Scan(&nullID); err != nil {
		t.Fatalf("insert post: %v", err)
	}

	t.Run("Posts", func(t *testing.T) {
		for _, path := range []string{
			"/api/instagram/posts",
			"/api/instagram/posts?limit=1",
			"/api/instagram/posts?before=" + url.QueryEscape(time.Now().UTC().Format(time.RFC3339)),
		} {
			status, body, raw := e.get(t, path, token)
			if status != http.StatusOK {
				t.Fatalf("GET %s: status = %d, want 200 (%s)", path, status, raw)
			}
			posts, _ := body["posts"].([]any)
			if len(posts) == 0 {
				t.Errorf("GET %s: no posts, want the two with a posting time", path)
			}
			for _, p := range posts {
				post, _ := p.(map[string]any)
				if post["id"] == nullID {
					t.Errorf("GET %s: lists the post without posted_at", path)
				}
				wantRFC3339UTC(t, "posted_at", post["posted_at"])
			}
		}
	})

	t.Run("Stats", func(t *testing.T) {
		for _, period := range []string{"7", "30", "90"} {
			path := "/api/growth/stats?period=" + period + "&tz=Europe/Berlin"
			status, body, raw := e.get(t, path, token)
			if status != http.StatusOK {
				t.Fatalf("GET %s: status = %d, want 200 (%s)", path, status, raw)
			}
			if got, want := body["total_posts"], float64(2); got != want {
				t.Errorf("GET %s: total_posts = %v, want %v", path, got, want)
			}
			best, _ := body["best_post"].(map[string]any)
			if best == nil || best["id"] == nullID {
				t.Errorf("GET %s: best_post = %v, want the 10-like post", path, body["best_post"])
			} else if got, want := best["like_count"], float64(10); got != want {
				t.Errorf("GET %s: best_post.like_count = %v, want %v", path, got, want)
			}
			if tags, _ := body["top_hashtags"].([]any); len(tags) != 1 {
				t.Errorf("GET %s: top_hashtags = %v, want only #growth", path, body["top_hashtags"])
			}
		}
	})
}

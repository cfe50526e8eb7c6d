package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// TestAdvice_WindowPosts checks what the recommendations read of a post:
// the window's edges, newest first, exact microseconds, a hidden like
// count as unknown, the caption's characters (not bytes), the hashtags,
// the permalink of videos only, and only the account's own posts.
func TestAdvice_WindowPosts(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	posts := postgres.NewPosts(db)
	store := postgres.NewAdvice(posts)
	acc, other := newAccount(t, db), newAccount(t, db)
	base := time.Date(2026, 10, 1, 12, 0, 0, 123456000, time.UTC)
	likes := int64(42)
	in := []postgres.PostInput{
		{IGPostID: "edge", MediaType: "IMAGE", PostedAt: base, LikeCount: &likes},
		{IGPostID: "photo", MediaType: "IMAGE", Caption: "Café ☕ " + strings.Repeat("é", 130), Permalink: "https://www.instagram.com/p/a/",
			PostedAt: base.Add(time.Hour), LikeCount: &likes, CommentsCount: 3, Hashtags: []string{"#a", "#b"}},
		{IGPostID: "reel", MediaType: "VIDEO", Permalink: "https://www.instagram.com/reel/b/", PostedAt: base.Add(2 * time.Hour)},
		{IGPostID: "late", MediaType: "IMAGE", PostedAt: base.Add(3*time.Hour + time.Microsecond)},
	}
	for _, id := range []string{acc, other} {
		if err := posts.Upsert(ctx, id, in); err != nil {
			t.Fatal(err)
		}
	}
	got, err := store.WindowPosts(ctx, acc, base, base.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d posts, want the photo and the reel (the window is (after, upTo])", len(got))
	}
	reel, photo := got[0], got[1]
	if !reel.PostedAt.Equal(base.Add(2*time.Hour)) || !photo.PostedAt.Equal(base.Add(time.Hour)) {
		t.Errorf("posted_at = %s, %s; want newest first, to the microsecond", reel.PostedAt, photo.PostedAt)
	}
	if reel.MediaType != "VIDEO" || reel.Permalink != "https://www.instagram.com/reel/b/" || reel.Likes != nil || reel.Comments != 0 {
		t.Errorf("reel = %+v", reel)
	}
	if photo.MediaType != "IMAGE" || photo.Permalink != "" || photo.Likes == nil || *photo.Likes != 42 || photo.Comments != 3 ||
		photo.CaptionChars != 7+130 || photo.HashtagCount != 2 || photo.Caption != "" || photo.ID == "" {
		t.Errorf("photo = %+v", photo)
	}
	ps, err := store.PostsByID(ctx, acc, []string{photo.ID, reel.ID})
	if err != nil || len(ps) != 2 {
		t.Fatalf("PostsByID = %d posts, %v", len(ps), err)
	}
	if ps, err := store.PostsByID(ctx, other, []string{photo.ID}); err != nil || len(ps) != 0 {
		t.Errorf("another account's post by id: %d, %v; want none", len(ps), err)
	}
}

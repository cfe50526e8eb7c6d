package postgres_test

import (
	"context"
	"slices"
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
		{IGPostID: "reel2", MediaType: "VIDEO", MediaProductType: "REELS", Permalink: "https://www.instagram.com/p/c/",
			PostedAt: base.Add(150 * time.Minute)},
		{IGPostID: "late", MediaType: "IMAGE", PostedAt: base.Add(3*time.Hour + time.Microsecond)},
	}
	for _, id := range []string{acc, other} {
		if err := posts.Upsert(ctx, id, in); err != nil {
			t.Fatal(err)
		}
	}
	// Two readings: the latest one counts.
	var reel2ID string
	if err := db.QueryRowContext(ctx, `SELECT id FROM instagram_posts WHERE account_id = $1 AND ig_post_id = 'reel2'`, acc).Scan(&reel2ID); err != nil {
		t.Fatal(err)
	}
	i64 := func(v int64) *int64 { return &v }
	skip := 31.5
	for _, r := range []postgres.PostInsights{
		{CapturedAt: base.Add(5 * time.Hour), Views: i64(10), Reach: i64(9), Saved: i64(1)},
		{CapturedAt: base.Add(6 * time.Hour), Views: i64(1200), Reach: i64(950), Shares: i64(0), SkipRate: &skip},
	} {
		if _, err := posts.RecordInsights(ctx, reel2ID, r, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, err := store.WindowPosts(ctx, acc, base, base.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d posts, want the photo and the reels (the window is (after, upTo])", len(got))
	}
	reel2, reel, photo := got[0], got[1], got[2]
	if reel2.MediaProductType != "REELS" || reel2.Permalink != "" || reel2.Reach == nil || *reel2.Reach != 950 ||
		reel2.Views == nil || *reel2.Views != 1200 || reel2.SkipRate == nil || *reel2.SkipRate != 31.5 ||
		reel2.Saved != nil || reel2.Shares == nil || *reel2.Shares != 0 {
		t.Errorf("reel with insights = %+v, want REELS, no permalink (the product type tells), its latest reading", reel2)
	}
	if reel.MediaProductType != "" || reel.Reach != nil || reel.SkipRate != nil {
		t.Errorf("reel without insights = %+v", reel)
	}
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

// TestAdvice_DailyFollowers: the last snapshot (by taken_at, then
// taken_on) of each calendar date of taken_at in the zone asked for.
func TestAdvice_DailyFollowers(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	store := postgres.NewAdvice(postgres.NewPosts(db))
	acc := newAccount(t, db)
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, time.UTC) }
	for _, s := range []struct {
		on        string
		followers int64
		at        time.Time
	}{
		{"2026-11-28", 1000, at(1, 11, 30)},
		{"2026-11-29", 1005, at(2, 9, 0)},
		{"2026-11-30", 1010, at(2, 9, 0)}, // the same instant: the later taken_on wins
		{"2026-12-01", 1030, at(2, 11, 30)},
	} {
		if _, err := db.ExecContext(ctx, `INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
			VALUES ($1, $2::date, $3, $4)`, acc, s.on, s.followers, s.at); err != nil {
			t.Fatal(err)
		}
	}
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	for _, c := range []struct {
		loc  *time.Location
		want []postgres.DailyFollowers
	}{
		{time.UTC, []postgres.DailyFollowers{{Date: "2026-12-01", Followers: 1000}, {Date: "2026-12-02", Followers: 1030}}},
		{zone("Pacific/Pago_Pago"), []postgres.DailyFollowers{{Date: "2026-12-01", Followers: 1010}, {Date: "2026-12-02", Followers: 1030}}},
		{zone("Pacific/Kiritimati"), []postgres.DailyFollowers{{Date: "2026-12-02", Followers: 1010}, {Date: "2026-12-03", Followers: 1030}}},
	} {
		got, err := store.DailyFollowers(ctx, acc, c.loc)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.loc, got, c.want)
		}
	}
	if got, err := store.DailyFollowers(ctx, newAccount(t, db), time.UTC); err != nil || got == nil || len(got) != 0 {
		t.Errorf("no snapshots: %v, %v; want an empty list", got, err)
	}
}

package postgres_test

import (
	"context"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// TestPostTriggers writes posts the ways the server and an operator can,
// and after each write requires instagram_post_hashtags to hold exactly one
// row per (post, distinct tag) of the posts that have a time, with the
// post's current engagement, every account's posts_count to be its number
// of posts, and the account's data_version to have moved.
func TestPostTriggers(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	posts := postgres.NewPosts(db)
	acc, other := newAccount(t, db), newAccount(t, db)
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	likes := func(v int64) *int64 { return &v }

	version := func() int64 {
		t.Helper()
		var v int64
		if err := db.QueryRowContext(ctx, `SELECT data_version FROM instagram_accounts WHERE id = $1`, acc).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	check := func(step string, wantRows int) {
		t.Helper()
		const diff = `
			WITH want AS (
				SELECT DISTINCT p.id, p.account_id, p.posted_at, t.tag,
					COALESCE(p.like_count, 0)::bigint + COALESCE(p.comments_count, 0)::bigint AS engagement
				FROM instagram_posts p CROSS JOIN LATERAL unnest(p.hashtags) AS t(tag)
				WHERE p.posted_at IS NOT NULL
			), got AS (
				SELECT post_id, account_id, posted_at, tag, engagement FROM instagram_post_hashtags
			)
			SELECT (SELECT count(*) FROM (TABLE want EXCEPT TABLE got) a),
				(SELECT count(*) FROM (TABLE got EXCEPT TABLE want) b),
				(SELECT count(*) FROM got)`
		var missing, extra, rows int
		if err := db.QueryRowContext(ctx, diff).Scan(&missing, &extra, &rows); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if missing != 0 || extra != 0 || rows != wantRows {
			t.Errorf("%s: %d rows missing, %d extra, %d in all (want %d)", step, missing, extra, rows, wantRows)
		}
		// posts_count is the number of stored posts of every account.
		var wrong int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM instagram_accounts a
			WHERE a.posts_count <> (SELECT count(*) FROM instagram_posts p WHERE p.account_id = a.id)`).Scan(&wrong); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if wrong != 0 {
			t.Errorf("%s: %d accounts with a wrong posts_count", step, wrong)
		}
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	v0 := version()
	first := []postgres.PostInput{
		{IGPostID: "a", LikeCount: likes(10), CommentsCount: 1, PostedAt: at, Hashtags: []string{"#one", "#two"}},
		{IGPostID: "b", LikeCount: nil, CommentsCount: 2, PostedAt: at.Add(time.Hour), Hashtags: []string{"#two"}},
		{IGPostID: "c", LikeCount: likes(5), CommentsCount: 0, PostedAt: at.Add(2 * time.Hour)},
	}
	if err := posts.Upsert(ctx, acc, first); err != nil {
		t.Fatal(err)
	}
	if err := posts.Upsert(ctx, other, first[:1]); err != nil {
		t.Fatal(err)
	}
	check("first sync", 5)
	v1 := version()
	if v1 <= v0 {
		t.Errorf("data_version %d after a sync, was %d", v1, v0)
	}

	// The same page again: nothing changes but fetched_at.
	if err := posts.Upsert(ctx, acc, first); err != nil {
		t.Fatal(err)
	}
	check("same sync again", 5)

	// New counts, new tags, tags dropped, a tag repeated.
	second := []postgres.PostInput{
		{IGPostID: "a", LikeCount: likes(20), CommentsCount: 1, PostedAt: at, Hashtags: []string{"#one", "#two"}},
		{IGPostID: "b", LikeCount: likes(3), CommentsCount: 2, PostedAt: at.Add(time.Hour)},
		{IGPostID: "c", LikeCount: likes(5), CommentsCount: 0, PostedAt: at.Add(2 * time.Hour), Hashtags: []string{"#three", "#three"}},
	}
	if err := posts.Upsert(ctx, acc, second); err != nil {
		t.Fatal(err)
	}
	check("second sync", 5)
	v2 := version()
	if v2 <= v1 {
		t.Errorf("data_version %d after a second sync, was %d", v2, v1)
	}

	exec(`UPDATE instagram_posts SET posted_at = NULL WHERE account_id = $1 AND ig_post_id = 'a'`, acc)
	check("a post without a time", 3)
	exec(`UPDATE instagram_posts SET posted_at = $2, comments_count = 7 WHERE account_id = $1 AND ig_post_id = 'a'`, acc, at)
	check("its time back", 5)
	exec(`DELETE FROM instagram_posts WHERE account_id = $1 AND ig_post_id = 'c'`, acc)
	check("a post deleted", 4)
	if v := version(); v <= v2 {
		t.Errorf("data_version %d after updates and a delete, was %d", v, v2)
	}
	exec(`DELETE FROM instagram_accounts WHERE id = $1`, acc)
	check("the account deleted", 2)

	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM instagram_post_hashtags WHERE account_id = $1`, other).Scan(&n); err != nil || n != 2 {
		t.Errorf("the other account has %d tag rows (%v), want 2", n, err)
	}
}

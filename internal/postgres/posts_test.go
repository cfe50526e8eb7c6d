package postgres_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// TestPosts_ListOrder checks the post list against a model: newest first,
// posts sharing a posted_at by id descending, the same order with and
// without before, before exclusive, only the account's own posts.
func TestPosts_ListOrder(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	posts := postgres.NewPosts(db)
	acc, other := newAccount(t, db), newAccount(t, db)

	base := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	// Several posts per instant, so that ties fall inside pages and
	// across their edges.
	offsets := []int{0, 0, 0, 0, 1, 2, 2, 2, 3, 3, 5, 8, 8}
	var in []postgres.PostInput
	for i, h := range offsets {
		in = append(in, postgres.PostInput{
			IGPostID:  fmt.Sprintf("p%02d", i),
			MediaType: "IMAGE",
			PostedAt:  base.Add(time.Duration(h) * time.Hour),
		})
	}
	for _, id := range []string{acc, other} {
		if err := posts.Upsert(ctx, id, in); err != nil {
			t.Fatalf("Upsert: %v", err)
		}
	}

	// The model: every post of the account, sorted in Go. UUIDs compare as
	// their canonical lower-case text does.
	all, err := posts.List(ctx, acc, time.Time{}, 200)
	if err != nil || len(all) != len(offsets) {
		t.Fatalf("List all = %d posts, %v; want %d", len(all), err, len(offsets))
	}
	want := slices.Clone(all)
	slices.SortFunc(want, func(a, b postgres.Post) int {
		if c := b.PostedAt.Compare(a.PostedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	ids := func(ps []postgres.Post) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.PostedAt.Format("15:04") + " " + p.ID
		}
		return out
	}
	if !slices.Equal(ids(all), ids(want)) {
		t.Fatalf("order:\n got %v\nwant %v", ids(all), ids(want))
	}

	befores := []time.Time{{}, base.Add(-time.Hour), base.Add(100 * time.Hour), base.Add(time.Microsecond)}
	for _, h := range offsets {
		befores = append(befores, base.Add(time.Duration(h)*time.Hour))
	}
	for _, before := range befores {
		var expect []postgres.Post
		for _, p := range want {
			if before.IsZero() || p.PostedAt.Before(before) {
				expect = append(expect, p)
			}
		}
		for _, limit := range []int{1, 2, 3, 5, 200} {
			got, err := posts.List(ctx, acc, before, limit)
			if err != nil {
				t.Fatalf("List(before %v, limit %d): %v", before, limit, err)
			}
			e := expect[:min(limit, len(expect))]
			if !slices.Equal(ids(got), ids(e)) {
				t.Errorf("List(before %v, limit %d):\n got %v\nwant %v", before, limit, ids(got), ids(e))
			}
		}
	}
}

// TestPosts_ListPlan checks that both list statements are an index scan of
// the account's posts in the ORDER BY's order, with no sort, on an account
// of 1,000 posts among others.
func TestPosts_ListPlan(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	acc := newAccount(t, db)
	for _, id := range []string{acc, newAccount(t, db), newAccount(t, db)} {
		if _, err := db.ExecContext(ctx, `
			INSERT INTO instagram_posts (ig_post_id, account_id, media_type, like_count, comments_count, posted_at)
			SELECT 'p' || g, $1, 'IMAGE', g % 500, g % 60, now() - g * interval '4 hours 17 minutes'
			FROM generate_series(1, 1000) g`, id); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	if _, err := db.ExecContext(ctx, `VACUUM ANALYZE instagram_posts`); err != nil {
		t.Fatalf("analyze: %v", err)
	}

	for name, q := range postgres.ListPostsQueries {
		args := []any{acc, 50}
		switch name {
		case "before":
			args = append(args, time.Now().Add(-30*24*time.Hour))
		case "after":
			args = append(args, time.Now().Add(-30*24*time.Hour), "ffffffff-ffff-ffff-ffff-ffffffffffff")
		}
		var raw []byte
		if err := db.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+q, args...).Scan(&raw); err != nil {
			t.Fatalf("%s: explain: %v", name, err)
		}
		var plans []struct{ Plan planNode }
		if err := json.Unmarshal(raw, &plans); err != nil || len(plans) != 1 {
			t.Fatalf("%s: plan %s: %v", name, raw, err)
		}
		var nodes []string
		var indexScan bool
		var walk func(n planNode)
		walk = func(n planNode) {
			nodes = append(nodes, n.NodeType)
			if n.NodeType == "Index Scan" && n.IndexName == "instagram_posts_account_posted_id_idx" {
				indexScan = true
			}
			for _, c := range n.Plans {
				walk(c)
			}
		}
		walk(plans[0].Plan)
		if !indexScan || slices.Contains(nodes, "Sort") || slices.Contains(nodes, "Incremental Sort") {
			t.Errorf("%s: plan %v, want an Index Scan using instagram_posts_account_posted_id_idx and no sort\n%s", name, nodes, raw)
		}
	}
}

type planNode struct {
	NodeType  string     `json:"Node Type"`
	IndexName string     `json:"Index Name"`
	Plans     []planNode `json:"Plans"`
}

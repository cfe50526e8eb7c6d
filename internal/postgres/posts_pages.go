package postgres

import (
	"context"
	"fmt"
	"time"
)

// listPostsAfterQuery is the page after a cursor: the posts strictly after
// (posted_at, id) in the list's order. The row comparison is the index's
// order, so this too is an index scan with no sort (TestPosts_ListPlan).
var listPostsAfterQuery = `SELECT ` + postColumns + ` FROM instagram_posts p
	WHERE p.account_id = $1 AND p.posted_at IS NOT NULL AND (p.posted_at, p.id) < ($3, $4)
	ORDER BY p.posted_at DESC, p.id DESC LIMIT $2`

// ListAfter returns up to limit posts of the account that come after the
// post (postedAt, id) in the list's order: posted earlier, or at the same
// instant with a smaller id. Posts sharing a posting time are neither
// skipped nor repeated across pages.
func (s *Posts) ListAfter(ctx context.Context, accountID string, postedAt time.Time, id string, limit int) ([]Post, error) {
	st, err := s.stmts.get(ctx, listPostsAfterQuery)
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	rows, err := st.QueryContext(ctx, accountID, limit, postedAt, id)
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	defer rows.Close()
	posts := []Post{}
	for rows.Next() {
		p, err := ScanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("list posts: %w", err)
		}
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	return posts, nil
}

// windowPostsQuery is the growth report's current window, newest first.
var windowPostsQuery = `SELECT ` + postColumns + ` FROM instagram_posts p
	WHERE p.account_id = $1 AND p.posted_at > $2 AND p.posted_at <= $3
	ORDER BY p.posted_at DESC, p.id DESC`

// EachInWindow calls fn with each post of the account posted in (from,
// to], newest first, as the rows arrive: a window of thousands of posts
// is never held in memory. An error of fn stops the scan and is returned.
func (s *Posts) EachInWindow(ctx context.Context, accountID string, from, to time.Time, fn func(Post) error) error {
	rows, err := s.db.QueryContext(ctx, windowPostsQuery, accountID, from, to)
	if err != nil {
		return fmt.Errorf("window posts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := ScanPost(rows)
		if err != nil {
			return fmt.Errorf("window posts: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("window posts: %w", err)
	}
	return nil
}

package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
)

// Post is a row of instagram_posts. It is no wire type: httpapi maps it
// to the JSON it writes.
type Post struct {
	ID            string
	IGPostID      string
	Caption       string
	MediaType     string
	MediaURL      string
	Permalink     string
	LikeCount     *int64
	CommentsCount int64
	PostedAt      time.Time
	FetchedAt     time.Time
}

// PostInput is one post to store, as fetched.
type PostInput struct {
	IGPostID      string
	Caption       string
	MediaType     string
	MediaURL      string
	Permalink     string
	LikeCount     *int64
	CommentsCount int64
	PostedAt      time.Time
	Hashtags      []string
}

// Posts stores Instagram posts.
type Posts struct {
	db    *sql.DB
	stmts *stmtCache
}

// NewPosts returns the posts store.
func NewPosts(db *sql.DB) *Posts { return &Posts{db: db, stmts: &stmtCache{db: db}} }

// PostColumns are the columns scanned by ScanPost, for queries of other
// packages that return posts.
const PostColumns = `id, ig_post_id, COALESCE(caption, ''), COALESCE(media_type, ''), COALESCE(media_url, ''),
	COALESCE(permalink, ''), like_count, COALESCE(comments_count, 0), posted_at, fetched_at`

// ScanPost scans the PostColumns of a row.
func ScanPost(row interface{ Scan(...any) error }) (Post, error) {
	var p Post
	err := row.Scan(&p.ID, &p.IGPostID, &p.Caption, &p.MediaType, &p.MediaURL, &p.Permalink,
		&p.LikeCount, &p.CommentsCount, &p.PostedAt, &p.FetchedAt)
	p.PostedAt, p.FetchedAt = p.PostedAt.UTC(), p.FetchedAt.UTC()
	return p, err
}

// Upsert stores a page of posts in one statement, updating the engagement
// of posts already stored.
func (s *Posts) Upsert(ctx context.Context, accountID string, posts []PostInput) error {
	if len(posts) == 0 {
		return nil
	}
	n := len(posts)
	var (
		ids, captions, types, urls, links, tags = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		likes                                   = make([]sql.NullInt64, n)
		comments                                = make([]int64, n)
		posted                                  = make([]string, n)
	)
	for i, p := range posts {
		ids[i], captions[i], types[i], urls[i], links[i] = p.IGPostID, p.Caption, p.MediaType, p.MediaURL, p.Permalink
		if p.LikeCount != nil {
			likes[i] = sql.NullInt64{Int64: *p.LikeCount, Valid: true}
		}
		comments[i] = p.CommentsCount
		posted[i] = p.PostedAt.UTC().Format(time.RFC3339Nano)
		tags[i] = strings.Join(p.Hashtags, " ")
	}
	const q = `
		INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, media_url, permalink,
			like_count, comments_count, posted_at, hashtags, fetched_at)
		SELECT $1, t.ig_post_id, NULLIF(t.caption, ''), t.media_type, NULLIF(t.media_url, ''), NULLIF(t.permalink, ''),
			t.like_count, t.comments_count, t.posted_at, string_to_array(t.tags, ' '), now()
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::timestamptz[], $10::text[])
			AS t(ig_post_id, caption, media_type, media_url, permalink, like_count, comments_count, posted_at, tags)
		ON CONFLICT (account_id, ig_post_id) DO UPDATE SET
			caption = EXCLUDED.caption,
			media_type = EXCLUDED.media_type,
			media_url = EXCLUDED.media_url,
			permalink = EXCLUDED.permalink,
			like_count = EXCLUDED.like_count,
			comments_count = EXCLUDED.comments_count,
			posted_at = EXCLUDED.posted_at,
			hashtags = EXCLUDED.hashtags,
			fetched_at = EXCLUDED.fetched_at`
	_, err := s.db.ExecContext(ctx, q, accountID, pq.Array(ids), pq.Array(captions), pq.Array(types), pq.Array(urls),
		pq.Array(links), pq.Array(likes), pq.Array(comments), pq.Array(posted), pq.Array(tags))
	if err != nil {
		return fmt.Errorf("upsert posts: %w", err)
	}
	return nil
}

// The post list, newest first. Both ORDER BYs are exactly the order of
// instagram_posts_account_posted_id_idx (account_id, posted_at DESC, id
// DESC), so a page is an index scan that stops after limit rows, with no
// sort; keep them in step (TestPosts_ListPlan checks it). A post without
// a posting time is in no page: it has no place in that order (DESC puts
// NULL first) and no cursor could name it.
const (
	listPostsQuery = `SELECT ` + PostColumns + ` FROM instagram_posts WHERE account_id = $1 AND posted_at IS NOT NULL
		ORDER BY posted_at DESC, id DESC LIMIT $2`
	listPostsBeforeQuery = `SELECT ` + PostColumns + ` FROM instagram_posts WHERE account_id = $1 AND posted_at < $3
		ORDER BY posted_at DESC, id DESC LIMIT $2`
)

// List returns up to limit posts of the account posted before before (all
// when zero), newest first (ties by id, descending). The number of posts
// stored is Account.PostsCount.
func (s *Posts) List(ctx context.Context, accountID string, before time.Time, limit int) ([]Post, error) {
	// Every page runs one of them: prepared once per pool.
	q, args := listPostsQuery, []any{accountID, limit}
	if !before.IsZero() {
		q, args = listPostsBeforeQuery, append(args, before)
	}
	list, err := s.stmts.get(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	rows, err := list.QueryContext(ctx, args...)
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

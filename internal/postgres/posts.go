package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/instagram"
)

// Post is a row of instagram_posts. It is no wire type: httpapi maps it
// to the JSON it writes.
type Post struct {
	ID        string
	IGPostID  string
	Caption   string
	MediaType string
	// MediaProductType is the type that picks the insights metrics: as
	// Instagram sent it, or, when it sent none, REELS for a VIDEO whose
	// permalink contains /reel/ and FEED for everything else
	// (ProductType). The column keeps what was sent, NULL when nothing.
	MediaProductType string
	// MediaURL and ThumbnailURL are exactly what Instagram sent; nil when
	// it sent none.
	MediaURL      *string
	ThumbnailURL  *string
	Permalink     string
	LikeCount     *int64
	CommentsCount int64
	PostedAt      time.Time
	FetchedAt     time.Time
	// Insights is the latest reading that returned a metric; nil before.
	Insights *PostInsights
}

// PostInsights are the lifetime insights of a post at CapturedAt. A nil
// metric was not reported (not offered for the type, not enough viewers,
// not available yet, refused): never 0 for unknown. The watch times
// (milliseconds) and SkipRate (percent) exist for Reels only.
type PostInsights struct {
	Views             *int64
	Reach             *int64
	Saved             *int64
	Shares            *int64
	TotalInteractions *int64
	Follows           *int64
	ProfileVisits     *int64
	Reposts           *int64
	AvgWatchTimeMs    *int64
	TotalWatchTimeMs  *int64
	SkipRate          *float64
	CapturedAt        time.Time
}

// ProductType returns the media product type that picks a stored post's
// insights metrics, by instagram.ProductType's rule: as sent, else REELS
// for a VIDEO whose permalink contains /reel/, else FEED.
func ProductType(sent, mediaType, permalink string) string {
	return instagram.ProductType(instagram.Media{MediaProductType: sent, MediaType: mediaType, Permalink: permalink})
}

// PostInput is one post to store, as fetched. Empty strings are stored as
// NULL.
type PostInput struct {
	IGPostID         string
	Caption          string
	MediaType        string
	MediaProductType string
	MediaURL         string
	ThumbnailURL     string
	Permalink        string
	LikeCount        *int64
	CommentsCount    int64
	PostedAt         time.Time
	Hashtags         []string
}

// Posts stores Instagram posts.
type Posts struct {
	db    *sql.DB
	stmts *stmtCache
}

// NewPosts returns the posts store.
func NewPosts(db *sql.DB) *Posts { return &Posts{db: db, stmts: &stmtCache{db: db}} }

// PostColumnsOf returns the columns of instagram_posts aliased as alias
// that PostScan scans, for queries of other packages that return posts.
func PostColumnsOf(alias string) string {
	a := alias + "."
	return a + `id, ` + a + `ig_post_id, ` + a + `caption, ` + a + `media_type, ` + a + `media_product_type, ` +
		a + `media_url, ` + a + `thumbnail_url, ` + a + `permalink, ` + a + `like_count, ` + a + `comments_count, ` +
		a + `posted_at, ` + a + `fetched_at, ` + a + `insights_captured_at, ` + a + `views, ` + a + `reach, ` +
		a + `saved, ` + a + `shares, ` + a + `total_interactions, ` + a + `follows, ` + a + `profile_visits, ` +
		a + `reposts, ` + a + `avg_watch_time_ms, ` + a + `total_watch_time_ms, ` + a + `skip_rate`
}

// PostScan receives the PostColumnsOf columns of a row, which may all be
// NULL (a LEFT JOIN that found no post).
type PostScan struct {
	id, igPostID, caption, mediaType, productType, mediaURL, thumbURL, permalink sql.NullString
	likes, comments                                                              sql.NullInt64
	postedAt, fetchedAt, capturedAt                                              sql.NullTime
	ins                                                                          PostInsights
}

// Dest returns the scan destinations, in the order of PostColumnsOf.
func (s *PostScan) Dest() []any {
	return []any{&s.id, &s.igPostID, &s.caption, &s.mediaType, &s.productType, &s.mediaURL, &s.thumbURL,
		&s.permalink, &s.likes, &s.comments, &s.postedAt, &s.fetchedAt, &s.capturedAt,
		&s.ins.Views, &s.ins.Reach, &s.ins.Saved, &s.ins.Shares, &s.ins.TotalInteractions, &s.ins.Follows,
		&s.ins.ProfileVisits, &s.ins.Reposts, &s.ins.AvgWatchTimeMs, &s.ins.TotalWatchTimeMs, &s.ins.SkipRate}
}

// Post returns the scanned post, nil when the row had none.
func (s *PostScan) Post() *Post {
	if !s.id.Valid {
		return nil
	}
	p := &Post{
		ID: s.id.String, IGPostID: s.igPostID.String, Caption: s.caption.String, MediaType: s.mediaType.String,
		MediaProductType: ProductType(s.productType.String, s.mediaType.String, s.permalink.String),
		MediaURL:         nullString(s.mediaURL), ThumbnailURL: nullString(s.thumbURL), Permalink: s.permalink.String,
		CommentsCount: s.comments.Int64, PostedAt: s.postedAt.Time.UTC(), FetchedAt: s.fetchedAt.Time.UTC(),
	}
	if s.likes.Valid {
		v := s.likes.Int64
		p.LikeCount = &v
	}
	if s.capturedAt.Valid {
		ins := s.ins
		ins.CapturedAt = s.capturedAt.Time.UTC()
		p.Insights = &ins
	}
	return p
}

func nullString(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}

// ScanPost scans the PostColumnsOf columns of a row that has a post.
func ScanPost(row interface{ Scan(...any) error }) (Post, error) {
	var ps PostScan
	if err := row.Scan(ps.Dest()...); err != nil {
		return Post{}, err
	}
	p := ps.Post()
	if p == nil {
		return Post{}, sql.ErrNoRows
	}
	return *p, nil
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
		products, thumbs                        = make([]string, n), make([]string, n)
		likes                                   = make([]sql.NullInt64, n)
		comments                                = make([]int64, n)
		posted                                  = make([]string, n)
	)
	for i, p := range posts {
		ids[i], captions[i], types[i], urls[i], links[i] = p.IGPostID, p.Caption, p.MediaType, p.MediaURL, p.Permalink
		products[i], thumbs[i] = p.MediaProductType, p.ThumbnailURL
		if p.LikeCount != nil {
			likes[i] = sql.NullInt64{Int64: *p.LikeCount, Valid: true}
		}
		comments[i] = p.CommentsCount
		posted[i] = p.PostedAt.UTC().Format(time.RFC3339Nano)
		tags[i] = strings.Join(p.Hashtags, " ")
	}
	const q = `
		INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, media_url, permalink,
			like_count, comments_count, posted_at, hashtags, fetched_at, media_product_type, thumbnail_url)
		SELECT $1, t.ig_post_id, NULLIF(t.caption, ''), t.media_type, NULLIF(t.media_url, ''), NULLIF(t.permalink, ''),
			t.like_count, t.comments_count, t.posted_at, string_to_array(t.tags, ' '), now(),
			NULLIF(t.product, ''), NULLIF(t.thumb, '')
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::timestamptz[], $10::text[],
				$11::text[], $12::text[])
			AS t(ig_post_id, caption, media_type, media_url, permalink, like_count, comments_count, posted_at, tags, product, thumb)
		ON CONFLICT (account_id, ig_post_id) DO UPDATE SET
			caption = EXCLUDED.caption,
			media_type = EXCLUDED.media_type,
			media_product_type = EXCLUDED.media_product_type,
			media_url = EXCLUDED.media_url,
			thumbnail_url = EXCLUDED.thumbnail_url,
			permalink = EXCLUDED.permalink,
			like_count = EXCLUDED.like_count,
			comments_count = EXCLUDED.comments_count,
			posted_at = EXCLUDED.posted_at,
			hashtags = EXCLUDED.hashtags,
			fetched_at = EXCLUDED.fetched_at`
	_, err := s.db.ExecContext(ctx, q, accountID, pq.Array(ids), pq.Array(captions), pq.Array(types), pq.Array(urls),
		pq.Array(links), pq.Array(likes), pq.Array(comments), pq.Array(posted), pq.Array(tags), pq.Array(products), pq.Array(thumbs))
	if err != nil {
		return fmt.Errorf("upsert posts: %w", err)
	}
	return nil
}

var postColumns = PostColumnsOf("p")

// The post list, newest first. Both ORDER BYs are exactly the order of
// instagram_posts_account_posted_id_idx (account_id, posted_at DESC, id
// DESC), so a page is an index scan that stops after limit rows, with no
// sort; keep them in step (TestPosts_ListPlan checks it). A post without
// a posting time is in no page: it has no place in that order (DESC puts
// NULL first) and no cursor could name it.
var (
	listPostsQuery = `SELECT ` + postColumns + ` FROM instagram_posts p WHERE p.account_id = $1 AND p.posted_at IS NOT NULL
		ORDER BY p.posted_at DESC, p.id DESC LIMIT $2`
	listPostsBeforeQuery = `SELECT ` + postColumns + ` FROM instagram_posts p WHERE p.account_id = $1 AND p.posted_at < $3
		ORDER BY p.posted_at DESC, p.id DESC LIMIT $2`
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

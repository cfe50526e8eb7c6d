package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/advice"
)

// DailyFollowers is the last follower snapshot of one UTC date.
type DailyFollowers struct {
	Date      string // YYYY-MM-DD
	Followers int64
}

// Advice reads what the advice endpoints compute from: the window's posts
// and the daily follower totals.
type Advice struct {
	stmts *stmtCache
}

// NewAdvice returns the advice store on the pool of posts.
func NewAdvice(posts *Posts) *Advice { return &Advice{stmts: posts.stmts} }

const (
	// advicePostsQuery reads the posts of (after, upTo] newest first (ties
	// by id, descending), the order of instagram_posts_account_posted_id_idx,
	// so that no sort is needed. Every column is one the driver scans
	// cheaply: posted_at as Unix microseconds, a hidden like count as -1,
	// the permalink only for videos (the one media type whose format it
	// tells), the caption as its length.
	//
	// The microseconds come from date_part, a float8, rather than from
	// extract, a numeric several times slower to compute; rounded, they are
	// exact until 2106: a float8 of seconds errs by at most 0.24 µs until
	// then, and the product by 0.25 µs more, under the half microsecond.
	advicePostsQuery = `SELECT id, round(date_part('epoch', posted_at) * 1000000)::bigint, COALESCE(media_type, ''),
		CASE WHEN media_type = 'VIDEO' THEN COALESCE(permalink, '') ELSE '' END,
		COALESCE(char_length(caption), 0)::bigint, cardinality(hashtags)::bigint,
		COALESCE(like_count, -1)::bigint, COALESCE(comments_count, 0)::bigint
		FROM instagram_posts WHERE account_id = $1 AND posted_at > $2 AND posted_at <= $3
		ORDER BY posted_at DESC, id DESC`

	postsByIDQuery = `SELECT ` + PostColumns + ` FROM instagram_posts WHERE account_id = $1 AND id = ANY($2::uuid[])`

	// dailyFollowersQuery keeps the last snapshot (by taken_at) of each UTC
	// date of taken_at, oldest date first.
	dailyFollowersQuery = `SELECT to_char(d, 'YYYY-MM-DD'), followers FROM (
		SELECT DISTINCT ON ((taken_at AT TIME ZONE 'UTC')::date) (taken_at AT TIME ZONE 'UTC')::date AS d, followers
		FROM follower_snapshots WHERE account_id = $1
		ORDER BY (taken_at AT TIME ZONE 'UTC')::date, taken_at DESC, taken_on DESC) s
		ORDER BY d`
)

// WindowPosts returns the account's posts with posted_at in (after, upTo]
// as the recommendations read them, newest first (ties by id,
// descending): no media URL and no caption text, only the caption's
// length (CaptionChars) and its number of hashtags; Permalink for videos
// only. The post insights are left unknown.
func (s *Advice) WindowPosts(ctx context.Context, accountID string, after, upTo time.Time) ([]advice.Post, error) {
	st, err := s.stmts.get(ctx, advicePostsQuery)
	if err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	rows, err := st.QueryContext(ctx, accountID, after, upTo)
	if err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	defer rows.Close()
	out := []advice.Post{}
	var (
		known                         []int64 // like counts, allocated in blocks rather than one by one
		at, chars, tags, likes, comms int64
		mediaType, link               sql.RawBytes
	)
	for rows.Next() {
		var p advice.Post
		if err := rows.Scan(&p.ID, &at, &mediaType, &link, &chars, &tags, &likes, &comms); err != nil {
			return nil, fmt.Errorf("advice posts: %w", err)
		}
		p.PostedAt = time.UnixMicro(at).UTC()
		p.MediaType, p.Permalink = mediaTypeName(mediaType), string(link)
		p.CaptionChars, p.HashtagCount, p.Comments = int(chars), int(tags), comms
		if likes >= 0 {
			if len(known) == cap(known) {
				known = make([]int64, 0, 256)
			}
			known = append(known, likes)
			p.Likes = &known[len(known)-1]
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	return out, nil
}

// mediaTypeName returns b as a string, the known media types without an
// allocation.
func mediaTypeName(b []byte) string {
	for _, t := range [...]string{"IMAGE", "VIDEO", "CAROUSEL_ALBUM"} {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}

// PostsByID returns the account's posts among ids, in no particular order;
// ids of other accounts' posts are left out.
func (s *Advice) PostsByID(ctx context.Context, accountID string, ids []string) ([]Post, error) {
	out := []Post{}
	if len(ids) == 0 {
		return out, nil
	}
	st, err := s.stmts.get(ctx, postsByIDQuery)
	if err != nil {
		return nil, fmt.Errorf("posts by id: %w", err)
	}
	rows, err := st.QueryContext(ctx, accountID, pq.StringArray(ids))
	if err != nil {
		return nil, fmt.Errorf("posts by id: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := ScanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("posts by id: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("posts by id: %w", err)
	}
	return out, nil
}

// DailyFollowers returns the account's daily follower totals: the last
// snapshot of each UTC date (of taken_at), oldest first.
func (s *Advice) DailyFollowers(ctx context.Context, accountID string) ([]DailyFollowers, error) {
	st, err := s.stmts.get(ctx, dailyFollowersQuery)
	if err != nil {
		return nil, fmt.Errorf("daily followers: %w", err)
	}
	rows, err := st.QueryContext(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("daily followers: %w", err)
	}
	defer rows.Close()
	out := []DailyFollowers{}
	for rows.Next() {
		var d DailyFollowers
		if err := rows.Scan(&d.Date, &d.Followers); err != nil {
			return nil, fmt.Errorf("daily followers: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("daily followers: %w", err)
	}
	return out, nil
}

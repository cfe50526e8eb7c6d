package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// AdvicePost is what the recommendations read of a post: no media URL and
// no caption text, only the caption's length and its number of hashtags.
type AdvicePost struct {
	ID           string
	PostedAt     time.Time
	MediaType    string
	Permalink    string
	CaptionChars int
	HashtagCount int
	LikeCount    *int64
	Comments     int64
}

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
	// advicePostsQuery reads the posts of (after, upTo] from the
	// (account_id, posted_at DESC) index, oldest first.
	advicePostsQuery = `SELECT id, posted_at, COALESCE(media_type, ''), COALESCE(permalink, ''),
		COALESCE(char_length(caption), 0), cardinality(hashtags), like_count, COALESCE(comments_count, 0)
		FROM instagram_posts WHERE account_id = $1 AND posted_at > $2 AND posted_at <= $3
		ORDER BY posted_at, id`

	postsByIDQuery = `SELECT ` + PostColumns + ` FROM instagram_posts WHERE account_id = $1 AND id = ANY($2::uuid[])`

	// dailyFollowersQuery keeps the last snapshot (by taken_at) of each UTC
	// date of taken_at, oldest date first.
	dailyFollowersQuery = `SELECT to_char(d, 'YYYY-MM-DD'), followers FROM (
		SELECT DISTINCT ON ((taken_at AT TIME ZONE 'UTC')::date) (taken_at AT TIME ZONE 'UTC')::date AS d, followers
		FROM follower_snapshots WHERE account_id = $1
		ORDER BY (taken_at AT TIME ZONE 'UTC')::date, taken_at DESC, taken_on DESC) s
		ORDER BY d`
)

// WindowPosts returns the account's posts with posted_at in (after, upTo],
// oldest first (ties by id).
func (s *Advice) WindowPosts(ctx context.Context, accountID string, after, upTo time.Time) ([]AdvicePost, error) {
	st, err := s.stmts.get(ctx, advicePostsQuery)
	if err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	rows, err := st.QueryContext(ctx, accountID, after, upTo)
	if err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	defer rows.Close()
	out := []AdvicePost{}
	for rows.Next() {
		var p AdvicePost
		if err := rows.Scan(&p.ID, &p.PostedAt, &p.MediaType, &p.Permalink, &p.CaptionChars, &p.HashtagCount,
			&p.LikeCount, &p.Comments); err != nil {
			return nil, fmt.Errorf("advice posts: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	return out, nil
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

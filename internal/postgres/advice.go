package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/advice"
)

// DailyFollowers is the last follower snapshot of one calendar date.
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
	// like the latest insights a metric did not report; the permalink only
	// for videos without a product type (the one case whose format it
	// tells); the caption as its length.
	//
	// The microseconds come from date_part, a float8, rather than from
	// extract, a numeric several times slower to compute; rounded, they are
	// exact until 2106: a float8 of seconds errs by at most 0.24 µs until
	// then, and the product by 0.25 µs more, under the half microsecond.
	advicePostsQuery = `SELECT id, round(date_part('epoch', posted_at) * 1000000)::bigint,
		COALESCE(media_type, ''), COALESCE(media_product_type, ''),
		CASE WHEN media_type = 'VIDEO' AND media_product_type IS NULL THEN COALESCE(permalink, '') ELSE '' END,
		COALESCE(char_length(caption), 0)::bigint, cardinality(hashtags)::bigint,
		COALESCE(like_count, -1)::bigint, COALESCE(comments_count, 0)::bigint,
		COALESCE(saved, -1), COALESCE(shares, -1), COALESCE(reach, -1), COALESCE(views, -1), COALESCE(skip_rate, -1)
		FROM instagram_posts WHERE account_id = $1 AND posted_at > $2 AND posted_at <= $3
		ORDER BY posted_at DESC, id DESC`

	// followerSnapshotsQuery reads the account's snapshots in the order
	// of follower_snapshots_account_taken_idx, an index-only scan: by
	// taken_at, ties by taken_on.
	followerSnapshotsQuery = `SELECT taken_at, followers FROM follower_snapshots
		WHERE account_id = $1 ORDER BY taken_at, taken_on`
)

// postsByIDQuery reads whole posts by id.
var postsByIDQuery = `SELECT ` + PostColumnsOf("p") + ` FROM instagram_posts p WHERE p.account_id = $1 AND p.id = ANY($2::uuid[])`

// WindowPosts returns the account's posts with posted_at in (after, upTo]
// as the recommendations read them, newest first (ties by id,
// descending): no media URL and no caption text, only the caption's
// length (CaptionChars) and its number of hashtags; Permalink only for
// videos without a product type; the latest insights reading's saved,
// shares, reach, views and skip rate, nil where it reported none.
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
		ints                          blocks[int64] // the known counts, allocated in blocks rather than one by one
		skips                         blocks[float64]
		at, chars, tags, likes, comms int64
		saved, shares, reach, views   int64
		skip                          float64
		mediaType, product, link      sql.RawBytes
	)
	for rows.Next() {
		var p advice.Post
		if err := rows.Scan(&p.ID, &at, &mediaType, &product, &link, &chars, &tags, &likes, &comms,
			&saved, &shares, &reach, &views, &skip); err != nil {
			return nil, fmt.Errorf("advice posts: %w", err)
		}
		p.PostedAt = time.UnixMicro(at).UTC()
		p.MediaType, p.MediaProductType, p.Permalink = knownName(mediaType), knownName(product), string(link)
		p.CaptionChars, p.HashtagCount, p.Comments = int(chars), int(tags), comms
		p.Likes, p.Saved, p.Shares, p.Reach, p.Views = ints.known(likes), ints.known(saved), ints.known(shares), ints.known(reach), ints.known(views)
		p.SkipRate = skips.known(skip)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	return out, nil
}

// knownName returns b as a string, the media and product types without
// an allocation.
func knownName(b []byte) string {
	for _, t := range [...]string{"IMAGE", "VIDEO", "CAROUSEL_ALBUM", "FEED", "REELS", "STORY"} {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}

// blocks hands out pointers to values allocated 256 at a time.
type blocks[T int64 | float64] struct{ cur []T }

// known returns a pointer to v, or nil for a negative v (unknown).
func (b *blocks[T]) known(v T) *T {
	if v < 0 {
		return nil
	}
	if len(b.cur) == cap(b.cur) {
		b.cur = make([]T, 0, 256)
	}
	b.cur = append(b.cur, v)
	return &b.cur[len(b.cur)-1]
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

// DailyFollowers returns the account's daily follower totals in loc: the
// last snapshot (by taken_at, then taken_on) of each calendar date there
// of taken_at, oldest date first. The dates are Go's, from the zone
// database every other date of the user's is computed with.
func (s *Advice) DailyFollowers(ctx context.Context, accountID string, loc *time.Location) ([]DailyFollowers, error) {
	st, err := s.stmts.get(ctx, followerSnapshotsQuery)
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
		var (
			at        time.Time
			followers int64
		)
		if err := rows.Scan(&at, &followers); err != nil {
			return nil, fmt.Errorf("daily followers: %w", err)
		}
		d := at.In(loc).Format(time.DateOnly)
		if n := len(out); n > 0 && out[n-1].Date == d {
			out[n-1].Followers = followers // a later snapshot of the same date
			continue
		}
		out = append(out, DailyFollowers{Date: d, Followers: followers})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("daily followers: %w", err)
	}
	return out, nil
}

// OnlineSample is one value of an online_followers reading: the followers
// online in the Pacific wall-clock hour Hour of the Pacific date Date.
type OnlineSample struct {
	Date  string // YYYY-MM-DD
	Hour  int
	Count int64
}

// OnlineReadAt returns when the account's latest online_followers reading
// was read; nil when there is none.
func (s *Advice) OnlineReadAt(ctx context.Context, accountID string) (*time.Time, error) {
	const q = `SELECT max(read_at) FROM account_online_followers WHERE account_id = $1`
	st, err := s.stmts.get(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("online followers: %w", err)
	}
	var at sql.NullTime
	if err := st.QueryRowContext(ctx, accountID).Scan(&at); err != nil {
		return nil, fmt.Errorf("online followers: %w", err)
	}
	if !at.Valid {
		return nil, nil
	}
	t := at.Time.UTC()
	return &t, nil
}

// OnlineFollowers returns the values of the account's online_followers
// reading read at readAt.
func (s *Advice) OnlineFollowers(ctx context.Context, accountID string, readAt time.Time) ([]OnlineSample, error) {
	const q = `SELECT to_char(date, 'YYYY-MM-DD'), hour, count FROM account_online_followers
		WHERE account_id = $1 AND read_at = $2 ORDER BY date, hour`
	rows, err := s.stmts.db.QueryContext(ctx, q, accountID, readAt)
	if err != nil {
		return nil, fmt.Errorf("online followers: %w", err)
	}
	defer rows.Close()
	out := []OnlineSample{}
	for rows.Next() {
		var o OnlineSample
		if err := rows.Scan(&o.Date, &o.Hour, &o.Count); err != nil {
			return nil, fmt.Errorf("online followers: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("online followers: %w", err)
	}
	return out, nil
}

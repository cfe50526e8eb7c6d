package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"
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
	// followerSnapshotsQuery reads the account's snapshots in the order
	// of follower_snapshots_account_taken_idx, an index-only scan: by
	// taken_at, ties by taken_on.
	followerSnapshotsQuery = `SELECT taken_at, followers FROM follower_snapshots
		WHERE account_id = $1 ORDER BY taken_at, taken_on`
)

// postsByIDQuery reads whole posts by id.
var postsByIDQuery = `SELECT ` + PostColumnsOf("p") + ` FROM instagram_posts p WHERE p.account_id = $1 AND p.id = ANY($2::uuid[])`

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

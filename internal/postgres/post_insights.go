package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
)

// Reading is one insights reading of a post, as history: the metrics and
// the like and comment counts of the post at CapturedAt.
type Reading struct {
	PostInsights
	LikeCount     *int64
	CommentsCount *int64
}

// Empty reports whether the reading carries no metric at all.
func (r PostInsights) Empty() bool {
	return r.Views == nil && r.Reach == nil && r.Saved == nil && r.Shares == nil && r.TotalInteractions == nil &&
		r.Follows == nil && r.ProfileVisits == nil && r.Reposts == nil && r.AvgWatchTimeMs == nil &&
		r.TotalWatchTimeMs == nil && r.SkipRate == nil
}

// DuePost is a post whose insights the age ladder wants read.
type DuePost struct {
	ID          string
	IGPostID    string
	ProductType string // ProductType of the post
	PostedAt    time.Time
	DueAt       time.Time
}

// Get returns the post id of the account; another account's post, or an
// id that is not a UUID, is apperr.CodeNotFound.
func (s *Posts) Get(ctx context.Context, accountID, postID string) (Post, error) {
	if !IsUUID(postID) {
		return Post{}, apperr.New(apperr.CodeNotFound, "No such post.")
	}
	q := `SELECT ` + postColumns + ` FROM instagram_posts p WHERE p.account_id = $1 AND p.id = $2`
	p, err := ScanPost(s.db.QueryRowContext(ctx, q, accountID, postID))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, apperr.New(apperr.CodeNotFound, "No such post.")
	}
	if err != nil {
		return Post{}, fmt.Errorf("get post: %w", err)
	}
	return p, nil
}

// History returns every stored reading of the post, oldest first.
func (s *Posts) History(ctx context.Context, postID string) ([]Reading, error) {
	const q = `SELECT captured_at, like_count, comments_count, views, reach, saved, shares, total_interactions,
			follows, profile_visits, reposts, avg_watch_time_ms, total_watch_time_ms, skip_rate
		FROM instagram_post_insights WHERE post_id = $1 ORDER BY captured_at`
	rows, err := s.db.QueryContext(ctx, q, postID)
	if err != nil {
		return nil, fmt.Errorf("post history: %w", err)
	}
	defer rows.Close()
	out := []Reading{}
	for rows.Next() {
		var r Reading
		if err := rows.Scan(&r.CapturedAt, &r.LikeCount, &r.CommentsCount, &r.Views, &r.Reach, &r.Saved, &r.Shares,
			&r.TotalInteractions, &r.Follows, &r.ProfileVisits, &r.Reposts, &r.AvgWatchTimeMs, &r.TotalWatchTimeMs,
			&r.SkipRate); err != nil {
			return nil, fmt.Errorf("post history: %w", err)
		}
		r.CapturedAt = r.CapturedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("post history: %w", err)
	}
	return out, nil
}

// DueForInsights returns up to limit posts of the account whose next
// reading is due at now, the longest due first.
func (s *Posts) DueForInsights(ctx context.Context, accountID string, now time.Time, limit int) ([]DuePost, error) {
	const q = `SELECT p.id, p.ig_post_id, COALESCE(p.media_product_type, ''), COALESCE(p.media_type, ''),
			COALESCE(p.permalink, ''), p.posted_at, d.due_at
		FROM instagram_post_insights_due d JOIN instagram_posts p ON p.id = d.post_id
		WHERE d.account_id = $1 AND d.due_at IS NOT NULL AND d.due_at <= $2 AND p.posted_at IS NOT NULL
		ORDER BY d.due_at, p.posted_at DESC, p.id LIMIT $3`
	rows, err := s.db.QueryContext(ctx, q, accountID, now, limit)
	if err != nil {
		return nil, fmt.Errorf("due posts: %w", err)
	}
	defer rows.Close()
	var out []DuePost
	for rows.Next() {
		var d DuePost
		var sent, mediaType, permalink string
		if err := rows.Scan(&d.ID, &d.IGPostID, &sent, &mediaType, &permalink, &d.PostedAt, &d.DueAt); err != nil {
			return nil, fmt.Errorf("due posts: %w", err)
		}
		d.ProductType = ProductType(sent, mediaType, permalink)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueAccount is an account with a post due for an insights reading.
type DueAccount struct {
	ID string
	// DueAt is when its earliest due post is due.
	DueAt time.Time
}

// AccountsWithDueInsights returns the accounts, active and not parked at
// now, that have a post due for reading at or before by, each with the
// earliest such time, earliest first.
func (s *Posts) AccountsWithDueInsights(ctx context.Context, now, by time.Time) ([]DueAccount, error) {
	// One probe of the (account_id, due_at) index per account.
	const q = `SELECT a.id, d.due_at FROM instagram_accounts a
		CROSS JOIN LATERAL (SELECT min(x.due_at) AS due_at FROM instagram_post_insights_due x
			WHERE x.account_id = a.id AND x.due_at IS NOT NULL) d
		WHERE a.status = 'active' AND (a.insights_parked_until IS NULL OR a.insights_parked_until <= $1)
			AND d.due_at <= $2
		ORDER BY d.due_at, a.id`
	rows, err := s.db.QueryContext(ctx, q, now, by)
	if err != nil {
		return nil, fmt.Errorf("accounts with due insights: %w", err)
	}
	defer rows.Close()
	var out []DueAccount
	for rows.Next() {
		var a DueAccount
		if err := rows.Scan(&a.ID, &a.DueAt); err != nil {
			return nil, fmt.Errorf("accounts with due insights: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// MakeInsightsDue makes every post of the account posted after since due
// for reading at now, whatever the ladder says; it returns how many.
func (s *Posts) MakeInsightsDue(ctx context.Context, accountID string, since, now time.Time) (int64, error) {
	const q = `UPDATE instagram_post_insights_due d SET due_at = $3
		FROM instagram_posts p
		WHERE p.id = d.post_id AND d.account_id = $1 AND p.posted_at > $2
			AND (d.due_at IS NULL OR d.due_at > $3)`
	res, err := s.db.ExecContext(ctx, q, accountID, since, now)
	if err != nil {
		return 0, fmt.Errorf("make insights due: %w", err)
	}
	return res.RowsAffected()
}

// RecordInsights stores a reading of the post taken at r.CapturedAt and
// schedules the next one at next (nil: never again). A reading with a
// metric becomes a history row and the post's latest insights, with the
// post's like and comment counts of now, in one transaction; an empty one
// only reschedules. It reports whether the reading was stored.
func (s *Posts) RecordInsights(ctx context.Context, postID string, r PostInsights, next *time.Time) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("record insights: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op

	const due = `UPDATE instagram_post_insights_due SET due_at = $2 WHERE post_id = $1`
	if _, err := tx.ExecContext(ctx, due, postID, next); err != nil {
		return false, fmt.Errorf("record insights: due: %w", err)
	}
	stored := !r.Empty()
	if stored {
		args := []any{postID, r.CapturedAt, r.Views, r.Reach, r.Saved, r.Shares, r.TotalInteractions, r.Follows,
			r.ProfileVisits, r.Reposts, r.AvgWatchTimeMs, r.TotalWatchTimeMs, r.SkipRate}
		const history = `INSERT INTO instagram_post_insights (post_id, captured_at, like_count, comments_count,
				views, reach, saved, shares, total_interactions, follows, profile_visits, reposts,
				avg_watch_time_ms, total_watch_time_ms, skip_rate)
			SELECT p.id, $2, p.like_count, p.comments_count, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
			FROM instagram_posts p WHERE p.id = $1
			ON CONFLICT (post_id, captured_at) DO NOTHING`
		if _, err := tx.ExecContext(ctx, history, args...); err != nil {
			return false, fmt.Errorf("record insights: history: %w", err)
		}
		const latest = `UPDATE instagram_posts SET insights_captured_at = $2, views = $3, reach = $4, saved = $5,
				shares = $6, total_interactions = $7, follows = $8, profile_visits = $9, reposts = $10,
				avg_watch_time_ms = $11, total_watch_time_ms = $12, skip_rate = $13
			WHERE id = $1 AND (insights_captured_at IS NULL OR insights_captured_at <= $2)`
		if _, err := tx.ExecContext(ctx, latest, args...); err != nil {
			return false, fmt.Errorf("record insights: latest: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("record insights: %w", err)
	}
	return stored, nil
}

// Refusals returns the metrics refused on day for each media product type
// of the account: type → metric → true.
func (s *Posts) Refusals(ctx context.Context, accountID string, day time.Time) (map[string]map[string]bool, error) {
	const q = `SELECT media_product_type, metric FROM instagram_metric_refusals
		WHERE account_id = $1 AND refused_on = $2::date`
	rows, err := s.db.QueryContext(ctx, q, accountID, day.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("metric refusals: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var typ, metric string
		if err := rows.Scan(&typ, &metric); err != nil {
			return nil, fmt.Errorf("metric refusals: %w", err)
		}
		if out[typ] == nil {
			out[typ] = map[string]bool{}
		}
		out[typ][metric] = true
	}
	return out, rows.Err()
}

// RecordRefusal remembers that Instagram refused metric for the media
// product type of the account on day (UTC).
func (s *Posts) RecordRefusal(ctx context.Context, accountID, productType, metric string, day time.Time) error {
	const q = `INSERT INTO instagram_metric_refusals (account_id, media_product_type, metric, refused_on)
		VALUES ($1, $2, $3, $4::date)
		ON CONFLICT (account_id, media_product_type, metric) DO UPDATE SET refused_on = EXCLUDED.refused_on`
	if _, err := s.db.ExecContext(ctx, q, accountID, productType, metric, day.UTC().Format(time.DateOnly)); err != nil {
		return fmt.Errorf("record refusal: %w", err)
	}
	return nil
}

// IsUUID reports whether s is a UUID in its textual form.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

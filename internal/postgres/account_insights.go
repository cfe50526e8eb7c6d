package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Account insight metrics and breakdowns, as Instagram names them and the
// account_demographics table accepts them.
const (
	MetricFollowerDemographics = "follower_demographics"
	MetricEngagedDemographics  = "engaged_audience_demographics"
)

// DemographicBreakdowns are the breakdowns of the demographics, one per
// reading.
var DemographicBreakdowns = [...]string{"age", "gender", "country", "city"}

// InsightDay is the account's figures of one US Pacific date (YYYY-MM-DD).
// A nil field is one the reading did not report.
type InsightDay struct {
	Date   string
	Reach  *int64
	Views  *int64
	Gained *int64
	Lost   *int64
}

// OnlineHour is the number of followers online in one Pacific wall-clock
// hour (0–23) of one US Pacific date (YYYY-MM-DD).
type OnlineHour struct {
	Date  string
	Hour  int
	Count int64
}

// DemographicRow is one row of a demographic breakdown: a key such as
// "25-34", "F" or "US" and its value.
type DemographicRow struct {
	Key   string
	Value int64
}

// AccountInsights stores an account's insights: daily figures, online
// followers and demographics (migrations/0012_account_insights.sql).
type AccountInsights struct {
	db *sql.DB
}

// NewAccountInsights returns the account insights store.
func NewAccountInsights(db *sql.DB) *AccountInsights { return &AccountInsights{db: db} }

// SaveDaily stores the figures of one reading, read at readAt. A figure
// the reading reports replaces the stored one; a nil one leaves what an
// earlier reading stored, so that readings of separate metrics combine and
// a later empty answer does not erase a known figure.
func (s *AccountInsights) SaveDaily(ctx context.Context, accountID string, readAt time.Time, days []InsightDay) error {
	if len(days) == 0 {
		return nil
	}
	type row struct {
		Date   string `json:"date"`
		Reach  *int64 `json:"reach"`
		Views  *int64 `json:"views"`
		Gained *int64 `json:"gained"`
		Lost   *int64 `json:"lost"`
	}
	// One row per date: PostgreSQL refuses to update a row twice in one
	// statement. A later entry of a date merges into the earlier one.
	rows := make([]row, 0, len(days))
	at := make(map[string]int, len(days))
	for _, d := range days {
		i, ok := at[d.Date]
		if !ok {
			at[d.Date] = len(rows)
			rows = append(rows, row{Date: d.Date})
			i = len(rows) - 1
		}
		r := &rows[i]
		r.Reach, r.Views, r.Gained, r.Lost = or(d.Reach, r.Reach), or(d.Views, r.Views), or(d.Gained, r.Gained), or(d.Lost, r.Lost)
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("save account insights: %w", err)
	}
	const q = `
		INSERT INTO account_insights_daily AS d (account_id, date, reach, views, gained, lost, read_at)
		SELECT $1, r.date, r.reach, r.views, r.gained, r.lost, $3
		FROM jsonb_to_recordset($2::jsonb) AS r(date date, reach bigint, views bigint, gained bigint, lost bigint)
		ON CONFLICT (account_id, date) DO UPDATE SET
			reach = COALESCE(EXCLUDED.reach, d.reach),
			views = COALESCE(EXCLUDED.views, d.views),
			gained = COALESCE(EXCLUDED.gained, d.gained),
			lost = COALESCE(EXCLUDED.lost, d.lost),
			read_at = EXCLUDED.read_at`
	if _, err := s.db.ExecContext(ctx, q, accountID, raw, readAt); err != nil {
		return fmt.Errorf("save account insights: %w", err)
	}
	return nil
}

// SaveOnlineFollowers stores one online_followers reading, read at readAt:
// its hours become the latest reading. Days or hours the reading leaves
// out keep what an earlier reading stored, under that reading's time.
func (s *AccountInsights) SaveOnlineFollowers(ctx context.Context, accountID string, readAt time.Time, hours []OnlineHour) error {
	if len(hours) == 0 {
		return nil
	}
	type row struct {
		Date  string `json:"date"`
		Hour  int    `json:"hour"`
		Count int64  `json:"count"`
	}
	rows := make([]row, 0, len(hours))
	at := make(map[row]int, len(hours)) // keyed with Count 0: a date and hour
	for _, h := range hours {
		k := row{Date: h.Date, Hour: h.Hour}
		if i, ok := at[k]; ok {
			rows[i].Count = h.Count
			continue
		}
		at[k] = len(rows)
		rows = append(rows, row(h))
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("save online followers: %w", err)
	}
	const q = `
		INSERT INTO account_online_followers (account_id, date, hour, count, read_at)
		SELECT $1, r.date, r.hour, r.count, $3
		FROM jsonb_to_recordset($2::jsonb) AS r(date date, hour smallint, count bigint)
		ON CONFLICT (account_id, date, hour) DO UPDATE SET count = EXCLUDED.count, read_at = EXCLUDED.read_at`
	if _, err := s.db.ExecContext(ctx, q, accountID, raw, readAt); err != nil {
		return fmt.Errorf("save online followers: %w", err)
	}
	return nil
}

// SaveDemographics stores one reading of a demographic breakdown (metric
// MetricFollowerDemographics or MetricEngagedDemographics, breakdown one of
// DemographicBreakdowns), replacing a reading of the same UTC date. An
// empty reading stores nothing: the latest one with rows stays the latest.
func (s *AccountInsights) SaveDemographics(ctx context.Context, accountID, metric, breakdown, timeframe string,
	readAt time.Time, rows []DemographicRow) error {
	if len(rows) == 0 {
		return nil
	}
	type row struct {
		Key   string `json:"key"`
		Value int64  `json:"value"`
	}
	out := make([]row, 0, len(rows))
	at := make(map[string]int, len(rows))
	for _, r := range rows {
		if i, ok := at[r.Key]; ok {
			out[i].Value = r.Value
			continue
		}
		at[r.Key] = len(out)
		out = append(out, row(r))
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("save demographics: %w", err)
	}
	readOn := readAt.UTC().Format(time.DateOnly)
	return WithTx(ctx, s.db, func(tx *sql.Tx) error {
		const del = `DELETE FROM account_demographics
			WHERE account_id = $1 AND metric = $2 AND breakdown = $3 AND read_on = $4::date`
		if _, err := tx.ExecContext(ctx, del, accountID, metric, breakdown, readOn); err != nil {
			return fmt.Errorf("save demographics: %w", err)
		}
		// A key Instagram sends twice keeps its last value (above).
		const ins = `
			INSERT INTO account_demographics (account_id, metric, breakdown, read_on, key, value, timeframe, read_at)
			SELECT $1, $2, $3, $4::date, r.key, r.value, $6, $7
			FROM jsonb_to_recordset($5::jsonb) AS r(key text, value bigint)`
		if _, err := tx.ExecContext(ctx, ins, accountID, metric, breakdown, readOn, raw, timeframe, readAt); err != nil {
			return fmt.Errorf("save demographics: %w", err)
		}
		return nil
	})
}

// or returns v when it is known, else old.
func or(v, old *int64) *int64 {
	if v != nil {
		return v
	}
	return old
}

// HasDaily reports whether any daily figure of the account is stored.
func (s *AccountInsights) HasDaily(ctx context.Context, accountID string) (bool, error) {
	var ok bool
	const q = `SELECT EXISTS (SELECT 1 FROM account_insights_daily WHERE account_id = $1)`
	if err := s.db.QueryRowContext(ctx, q, accountID).Scan(&ok); err != nil {
		return false, fmt.Errorf("account insights stored: %w", err)
	}
	return ok, nil
}

// DueAccounts returns the active accounts with no job of kind queued or
// running, none finished within age.
func (s *AccountInsights) DueAccounts(ctx context.Context, kind string, age time.Duration) ([]string, error) {
	const q = `SELECT a.id FROM instagram_accounts a
		WHERE a.status = 'active' AND NOT EXISTS (
			SELECT 1 FROM jobs j WHERE j.account_id = a.id AND j.kind = $1
				AND (j.state IN ('queued', 'running') OR j.finished_at > now() - $2 * interval '1 second'))
		ORDER BY a.created_at, a.id LIMIT 10000`
	rows, err := s.db.QueryContext(ctx, q, kind, age.Seconds())
	if err != nil {
		return nil, fmt.Errorf("accounts due for insights: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("accounts due for insights: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// DeriveSnapshots walks the account's follower count back through the net
// change (gained − lost) of each Pacific date before today and stores the
// total at the end of each date as a derived follower snapshot, back to
// the first date whose change is unknown. followers is the count read now,
// taken as the total at the end of yesterday (today's change so far is not
// reported). A date that already has an observed snapshot keeps it. It
// returns how many snapshots it stored.
func (s *AccountInsights) DeriveSnapshots(ctx context.Context, accountID string, followers int64, today time.Time) (int, error) {
	pacific := today.Location()
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, pacific)
	const q = `SELECT date::text, gained, lost FROM account_insights_daily
		WHERE account_id = $1 AND date < $2::date ORDER BY date DESC LIMIT 400`
	rows, err := s.db.QueryContext(ctx, q, accountID, day.Format(time.DateOnly))
	if err != nil {
		return 0, fmt.Errorf("derive snapshots: %w", err)
	}
	defer rows.Close()
	var (
		takenOn, takenAt []string
		totals           []int64
		total            = followers
		want             = day.AddDate(0, 0, -1) // yesterday first, then one date earlier per row
	)
	for rows.Next() {
		var date string
		var gained, lost sql.NullInt64
		if err := rows.Scan(&date, &gained, &lost); err != nil {
			return 0, fmt.Errorf("derive snapshots: %w", err)
		}
		if date != want.Format(time.DateOnly) || !gained.Valid || !lost.Valid || total < 0 {
			break // a gap or an unknown change: nothing before it can be derived
		}
		// The total at the end of date, that is at the Pacific midnight
		// that starts the next date.
		end := want.AddDate(0, 0, 1)
		takenOn = append(takenOn, end.UTC().Format(time.DateOnly))
		takenAt = append(takenAt, end.UTC().Format(time.RFC3339))
		totals = append(totals, total)
		total -= gained.Int64 - lost.Int64
		want = want.AddDate(0, 0, -1)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("derive snapshots: %w", err)
	}
	if len(totals) == 0 {
		return 0, nil
	}
	const ins = `INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at, derived)
		SELECT $1, t.taken_on, t.followers, t.taken_at, true
		FROM unnest($2::date[], $3::bigint[], $4::timestamptz[]) AS t(taken_on, followers, taken_at)
		ON CONFLICT (account_id, taken_on) DO NOTHING`
	res, err := s.db.ExecContext(ctx, ins, accountID, pq.Array(takenOn), pq.Array(totals), pq.Array(takenAt))
	if err != nil {
		return 0, fmt.Errorf("derive snapshots: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

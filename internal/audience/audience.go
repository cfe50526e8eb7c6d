// Package audience computes the audience report of an Instagram account,
// the contract's GET /api/growth/audience: follower growth per US Pacific
// date, when the followers are online (in the user's zone) and who they
// are. It reads only what the account insights jobs stored; Instagram is
// never called while a report is computed.
package audience

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/postgres"
)

// Part statuses of the contract.
const (
	StatusOK                    = "ok"
	StatusInsufficientFollowers = "insufficient_followers"
	StatusUnavailable           = "unavailable"
)

// MinFollowers is the follower count under which Instagram gives no
// follower counts, online hours or demographics.
const MinFollowers = 100

// queryTimeout bounds the report statement.
const queryTimeout = 10 * time.Second

// Report is an account's audience report. Nil pointers are figures that
// are not known.
type Report struct {
	PeriodDays int
	// Followers is the account's follower count, as last read.
	Followers *int64
	// Gained and Lost sum Daily's values, nil when no day has one; Net is
	// Gained − Lost, nil when either is.
	Gained, Lost, Net *int64
	Daily             []Day
	Online            Online
	Demographics      Demographics
	Freshness         Freshness
}

// Day is one US Pacific date with at least one known figure.
type Day struct {
	Date      string // YYYY-MM-DD
	Followers *int64 // the last follower snapshot taken on the date
	Gained    *int64
	Lost      *int64
	Reach     *int64
	Views     *int64
}

// Online is the online_followers part: Heatmap is set only with StatusOK.
type Online struct {
	Status  string
	Heatmap *[7][24]*float64
}

// Demographics is the demographics part: Timeframe, Followers and Engaged
// are set only with StatusOK.
type Demographics struct {
	Status    string
	Timeframe string
	Followers *Breakdowns
	Engaged   *Breakdowns
}

// Breakdowns are the rows of one demographic metric, each list by value
// descending, then key; empty when Instagram gave none.
type Breakdowns struct {
	Age, Gender, Country, City []postgres.DemographicRow
}

// Freshness says when the data was read and when it will be next.
type Freshness struct {
	// PostsSyncedAt is the end of the last post fetch, which also takes a
	// follower snapshot.
	PostsSyncedAt *time.Time
	// InsightsSyncedAt is the latest account insights reading stored.
	InsightsSyncedAt *time.Time
	// NextSyncAt is when the account's next insights reading is due.
	NextSyncAt *time.Time
}

// Service computes audience reports.
type Service struct {
	db      *sql.DB
	pacific *time.Location

	mu   sync.Mutex
	stmt *sql.Stmt
}

// NewService returns the audience service on db. It fails only when the
// zone database has no America/Los_Angeles.
func NewService(db *sql.DB) (*Service, error) {
	pacific, err := time.LoadLocation(Pacific)
	if err != nil {
		return nil, fmt.Errorf("audience: %w", err)
	}
	return &Service{db: db, pacific: pacific}, nil
}

// statement returns the prepared report statement, preparing it on first
// use (planning it costs more than running it); a failed preparation is
// retried by the next call.
func (s *Service) statement(ctx context.Context) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmt != nil {
		return s.stmt, nil
	}
	st, err := s.db.PrepareContext(ctx, audienceQuery)
	if err != nil {
		return nil, fmt.Errorf("audience: prepare: %w", err)
	}
	s.stmt = st
	return st, nil
}

// Report returns the audience report of acc for the period (days) ending
// at now, its heatmap in tz. period must be one the caller validated.
func (s *Service) Report(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now time.Time) (Report, error) {
	if tz == nil {
		tz = time.UTC
	}
	first := now.Add(-time.Duration(period) * 24 * time.Hour).In(s.pacific).Format(time.DateOnly)
	last := now.In(s.pacific).Format(time.DateOnly)
	from, err := pacificMidnight(first, s.pacific)
	if err != nil {
		return Report{}, err
	}
	to, err := pacificMidnight(last, s.pacific)
	if err != nil {
		return Report{}, err
	}
	to = to.AddDate(0, 0, 1)

	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	st, err := s.statement(ctx)
	if err != nil {
		return Report{}, err
	}
	var (
		a                         arrays
		dailyAt, onlineAt, nextAt sql.NullTime
	)
	err = st.QueryRowContext(ctx, acc.ID, first, last, from, to, igsync.KindAccountInsights).Scan(
		&a.off, &a.reach, &a.views, &a.gained, &a.lost, &a.snapAt, &a.snapFollowers,
		&a.onlineDay, &a.onlineHour, &a.onlineCount,
		&a.demoMetric, &a.demoBreakdown, &a.demoTimeframe, &a.demoKey, &a.demoValue, &a.demoAt,
		&dailyAt, &onlineAt, &nextAt)
	if err != nil {
		return Report{}, fmt.Errorf("audience: %w", err)
	}
	rows, err := a.rows(first)
	if err != nil {
		return Report{}, err
	}
	out := Report{PeriodDays: period, Followers: acc.Followers}
	out.Daily = s.daily(rows)
	out.Gained, out.Lost, out.Net = sums(out.Daily)
	insufficient := acc.Followers != nil && *acc.Followers < MinFollowers
	switch {
	case insufficient:
		out.Online.Status = StatusInsufficientFollowers
	case len(rows.online) == 0:
		out.Online.Status = StatusUnavailable
	default:
		out.Online.Status = StatusOK
		if out.Online.Heatmap, err = Heatmap(rows.online, tz, s.pacific); err != nil {
			return Report{}, err
		}
	}
	out.Demographics = demographics(rows.demo, insufficient)

	out.Freshness.PostsSyncedAt = utc(acc.LastSyncedAt)
	latest := func(t sql.NullTime) {
		if t.Valid && (out.Freshness.InsightsSyncedAt == nil || t.Time.After(*out.Freshness.InsightsSyncedAt)) {
			v := t.Time.UTC()
			out.Freshness.InsightsSyncedAt = &v
		}
	}
	latest(dailyAt)
	latest(onlineAt)
	latest(rows.demoAt)
	if nextAt.Valid {
		v := nextAt.Time.UTC()
		out.Freshness.NextSyncAt = &v
	}
	return out, nil
}

// arrays are the statement's columns (audienceQuery).
type arrays struct {
	off, reach, views, gained, lost      pq.Int64Array
	snapAt, snapFollowers                pq.Int64Array
	onlineDay, onlineHour, onlineCount   pq.Int64Array
	demoMetric, demoBreakdown, demoValue pq.Int64Array
	demoTimeframe, demoKey               pq.StringArray
	demoAt                               sql.NullTime
}

// rows are the statement's parts, decoded.
type rows struct {
	days   []postgres.InsightDay
	snaps  []snapshot
	online []Sample
	demo   []demoRow
	demoAt sql.NullTime
}

type snapshot struct {
	takenAt   time.Time
	followers int64
}

type demoRow struct {
	metric, breakdown, timeframe string
	row                          postgres.DemographicRow
}

var (
	demoMetrics = [...]string{postgres.MetricFollowerDemographics, postgres.MetricEngagedDemographics}
	epoch       = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
)

// rows decodes the arrays; first is the window's first date, the origin
// of the day offsets.
func (a arrays) rows(first string) (rows, error) {
	start, err := time.Parse(time.DateOnly, first)
	n := len(a.off)
	switch {
	case err != nil:
		return rows{}, fmt.Errorf("audience: first date %q: %w", first, err)
	case len(a.reach) != n || len(a.views) != n || len(a.gained) != n || len(a.lost) != n,
		len(a.snapFollowers) != len(a.snapAt),
		len(a.onlineHour) != len(a.onlineDay) || len(a.onlineCount) != len(a.onlineDay),
		len(a.demoBreakdown) != len(a.demoMetric) || len(a.demoTimeframe) != len(a.demoMetric) ||
			len(a.demoKey) != len(a.demoMetric) || len(a.demoValue) != len(a.demoMetric):
		return rows{}, fmt.Errorf("audience: parts of unequal lengths")
	}
	known := func(v int64) *int64 {
		if v < 0 {
			return nil
		}
		return &v
	}
	out := rows{days: make([]postgres.InsightDay, n), snaps: make([]snapshot, len(a.snapAt)),
		online: make([]Sample, len(a.onlineDay)), demo: make([]demoRow, len(a.demoMetric)), demoAt: a.demoAt}
	for i, off := range a.off {
		out.days[i] = postgres.InsightDay{Date: start.AddDate(0, 0, int(off)).Format(time.DateOnly),
			Reach: known(a.reach[i]), Views: known(a.views[i]), Gained: known(a.gained[i]), Lost: known(a.lost[i])}
	}
	for i, us := range a.snapAt {
		out.snaps[i] = snapshot{takenAt: time.UnixMicro(us), followers: a.snapFollowers[i]}
	}
	for i, d := range a.onlineDay {
		out.online[i] = Sample{Date: epoch.AddDate(0, 0, int(d)).Format(time.DateOnly), Hour: int(a.onlineHour[i]), Count: a.onlineCount[i]}
	}
	for i, m := range a.demoMetric {
		b := a.demoBreakdown[i]
		if m < 0 || m >= int64(len(demoMetrics)) || b < 0 || b >= int64(len(postgres.DemographicBreakdowns)) {
			return rows{}, fmt.Errorf("audience: demographics metric %d breakdown %d", m, b)
		}
		out.demo[i] = demoRow{metric: demoMetrics[m], breakdown: postgres.DemographicBreakdowns[b], timeframe: a.demoTimeframe[i],
			row: postgres.DemographicRow{Key: a.demoKey[i], Value: a.demoValue[i]}}
	}
	return out, nil
}

// daily merges the daily figures with the last follower snapshot of each
// Pacific date, oldest first.
func (s *Service) daily(r rows) []Day {
	byDate := make(map[string]*Day, len(r.days)+len(r.snaps))
	get := func(date string) *Day {
		d, ok := byDate[date]
		if !ok {
			d = &Day{Date: date}
			byDate[date] = d
		}
		return d
	}
	for _, d := range r.days {
		day := get(d.Date)
		day.Reach, day.Views, day.Gained, day.Lost = d.Reach, d.Views, d.Gained, d.Lost
	}
	// Snapshots come by taken_at: the last of a date wins.
	for _, sn := range r.snaps {
		v := sn.followers
		get(sn.takenAt.In(s.pacific).Format(time.DateOnly)).Followers = &v
	}
	out := make([]Day, 0, len(byDate))
	for _, d := range byDate {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Day) int { return cmp.Compare(a.Date, b.Date) })
	return out
}

// sums returns the window's gained and lost followers and their
// difference.
func sums(days []Day) (gained, lost, net *int64) {
	add := func(total **int64, v *int64) {
		if v == nil {
			return
		}
		if *total == nil {
			*total = new(int64)
		}
		**total += *v
	}
	for _, d := range days {
		add(&gained, d.Gained)
		add(&lost, d.Lost)
	}
	if gained != nil && lost != nil {
		n := *gained - *lost
		net = &n
	}
	return gained, lost, net
}

// demographics sorts the latest readings into the part. The part is ok
// when any breakdown of either metric has rows.
func demographics(rows []demoRow, insufficient bool) Demographics {
	switch {
	case insufficient:
		return Demographics{Status: StatusInsufficientFollowers}
	case len(rows) == 0:
		return Demographics{Status: StatusUnavailable}
	}
	out := Demographics{Status: StatusOK, Followers: newBreakdowns(), Engaged: newBreakdowns()}
	for _, r := range rows {
		b := out.Followers
		if r.metric == postgres.MetricEngagedDemographics {
			b = out.Engaged
		}
		if out.Timeframe == "" || r.timeframe < out.Timeframe {
			out.Timeframe = r.timeframe
		}
		switch r.breakdown {
		case "age":
			b.Age = append(b.Age, r.row)
		case "gender":
			b.Gender = append(b.Gender, r.row)
		case "country":
			b.Country = append(b.Country, r.row)
		case "city":
			b.City = append(b.City, r.row)
		}
	}
	for _, b := range []*Breakdowns{out.Followers, out.Engaged} {
		for _, l := range [][]postgres.DemographicRow{b.Age, b.Gender, b.Country, b.City} {
			slices.SortFunc(l, func(x, y postgres.DemographicRow) int {
				if c := cmp.Compare(y.Value, x.Value); c != 0 {
					return c
				}
				return cmp.Compare(x.Key, y.Key)
			})
		}
	}
	return out
}

func newBreakdowns() *Breakdowns {
	e := func() []postgres.DemographicRow { return []postgres.DemographicRow{} }
	return &Breakdowns{Age: e(), Gender: e(), Country: e(), City: e()}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// Package growth computes the growth report of an Instagram account: the
// contract's GET /api/growth/stats. The numbers are computed by PostgreSQL
// in one statement, from the posts or from their per-day rollup (with the
// zone's days, slots and rankings added up in Go, rollup.go); the package
// adds the pure rules (the message, hashtag extraction) and the types of
// the response.
package growth

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// DefaultPeriod is the report period, in days, when none is asked for.
const DefaultPeriod = 30

// periods are the report periods, in days, that the contract allows, by
// their only accepted spellings ("07", "30.0", "+7" are not).
var periods = map[string]int{"7": 7, "14": 14, "30": 30, "90": 90}

// ParsePeriod reads the period of a request, ?period=: DefaultPeriod when
// it is not given, one of 7, 14, 30 or 90 spelled so, or invalid_period
// (an empty value included).
func ParsePeriod(raw string, given bool) (int, error) {
	return ParsePeriodOr(raw, given, DefaultPeriod)
}

// ParsePeriodOr reads ?period= as ParsePeriod does, with def (one of the
// contract's periods) when it is not given: the recommendations default
// to 90 days.
func ParsePeriodOr(raw string, given bool, def int) (int, error) {
	if !given {
		return def, nil
	}
	if days, ok := periods[raw]; ok {
		return days, nil
	}
	return 0, errInvalidPeriod()
}

// ValidPeriod reports whether days is one of the contract's periods.
func ValidPeriod(days int) bool {
	_, ok := periods[strconv.Itoa(days)]
	return ok
}

func errInvalidPeriod() error {
	return apperr.New(apperr.CodeInvalidPeriod, "period must be one of 7, 14, 30 or 90 (days).")
}

// Stats is the contract's growth report. Where the contract leaves room:
//
//   - posts_per_week is an average: rounded to 2 decimals; avg_* are 0
//     when the window has no posts.
//   - message follows likes_trend as reported (rounded to 1 decimal).
//   - followers_trend compares the account's follower count with the
//     snapshot closest to period_start among those taken up to now (the
//     last at or before the start, or the first after it when strictly
//     closer; same instant: the later taken_on before the start, the
//     earlier after). A snapshot of 0 followers follows trend()'s rule (100,
//     or 0 when the count is still 0); null without a snapshot or without a
//     follower count.
//   - daily runs from the local date of period_start to that of
//     period_end: period_days + 1 entries, one more or less when a DST
//     change inside the window moves local midnight across either end. A
//     window starting exactly at midnight still touches its last date (a
//     post at exactly period_end belongs to it), so it has period_days + 1
//     entries too and the sums always equal the totals.
//   - ties: best_post by the newest, then the greatest id;
//     best_posting_times by more posts, then the earlier weekday and hour;
//     top_hashtags by more posts, then the tag in byte order; media_types
//     by posts descending, then the type in byte order ("" when unknown).
type Stats struct {
	PeriodDays  int       `json:"period_days"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
	Summary
	// Freshness is read from the account row on every request, never
	// kept with a reused report (see report.json).
	Freshness Freshness `json:"freshness"`
}

// Freshness tells when the account's posts and insights were last read
// and when the next scheduled post fetch is due.
type Freshness struct {
	PostsSyncedAt    *time.Time `json:"posts_synced_at"`
	InsightsSyncedAt *time.Time `json:"insights_synced_at"`
	// NextSyncAt is the last post fetch plus the sync interval, not before
	// now; nil before the first fetch or when the service knows no interval.
	NextSyncAt *time.Time `json:"next_sync_at"`
}

// Summary is the report but its window: what stays the same while a
// report is reused (see CacheSize) and its window moves with now.
type Summary struct {
	TotalPosts       int64         `json:"total_posts"`
	TotalLikes       int64         `json:"total_likes"`
	TotalComments    int64         `json:"total_comments"`
	AvgLikes         float64       `json:"avg_likes"`
	AvgComments      float64       `json:"avg_comments"`
	Previous         Totals        `json:"previous"`
	LikesTrend       float64       `json:"likes_trend"`
	CommentsTrend    float64       `json:"comments_trend"`
	PostsThisWeek    int64         `json:"posts_this_week"`
	PostsPerWeek     float64       `json:"posts_per_week"`
	BestPost         *Post         `json:"best_post"`
	Message          string        `json:"message"`
	Followers        *int64        `json:"followers"`
	FollowersTrend   *float64      `json:"followers_trend"`
	EngagementRate   *float64      `json:"engagement_rate"`
	Daily            []Day         `json:"daily"`
	MediaTypes       []MediaType   `json:"media_types"`
	BestPostingTimes []PostingTime `json:"best_posting_times"`
	TopHashtags      []Hashtag     `json:"top_hashtags"`
	// The insights sums are over the window's posts whose insights report
	// the metric (saves: the metric saved); nil when none does. The trends
	// are nil when either window's sum is.
	TotalViews  *int64   `json:"total_views"`
	TotalReach  *int64   `json:"total_reach"`
	TotalSaves  *int64   `json:"total_saves"`
	TotalShares *int64   `json:"total_shares"`
	ViewsTrend  *float64 `json:"views_trend"`
	ReachTrend  *float64 `json:"reach_trend"`
	SavesTrend  *float64 `json:"saves_trend"`
	SharesTrend *float64 `json:"shares_trend"`
	// InsightsCoverage is the share of the window's posts with insights,
	// 2 decimals; nil without posts.
	InsightsCoverage *float64 `json:"insights_coverage"`
	// EngagementRateByReach is the mean of total_interactions / reach × 100
	// over the window's posts with reach > 0 and known total_interactions,
	// 1 decimal; nil when there is none.
	EngagementRateByReach *float64 `json:"engagement_rate_by_reach"`
}

// Totals are the sums of the previous window.
type Totals struct {
	TotalPosts    int64  `json:"total_posts"`
	TotalLikes    int64  `json:"total_likes"`
	TotalComments int64  `json:"total_comments"`
	TotalViews    *int64 `json:"total_views"`
	TotalReach    *int64 `json:"total_reach"`
	TotalSaves    *int64 `json:"total_saves"`
	TotalShares   *int64 `json:"total_shares"`
}

// Day is one calendar date of the window, in the report's time zone.
type Day struct {
	Date     string `json:"date"`
	Posts    int64  `json:"posts"`
	Likes    int64  `json:"likes"`
	Comments int64  `json:"comments"`
	// Views and Reach sum the date's posts that report them; nil when none does.
	Views *int64 `json:"views"`
	Reach *int64 `json:"reach"`
}

// MediaType sums up the current window's posts of one media type.
type MediaType struct {
	MediaType   string  `json:"media_type"`
	Posts       int64   `json:"posts"`
	AvgLikes    float64 `json:"avg_likes"`
	AvgComments float64 `json:"avg_comments"`
}

// PostingTime is a weekday (0 = Sunday) and hour of the report's time zone.
type PostingTime struct {
	Weekday       int     `json:"weekday"`
	Hour          int     `json:"hour"`
	Posts         int64   `json:"posts"`
	AvgEngagement float64 `json:"avg_engagement"`
}

// Hashtag is a tag of the current window's captions.
type Hashtag struct {
	Tag           string  `json:"tag"`
	Posts         int64   `json:"posts"`
	AvgEngagement float64 `json:"avg_engagement"`
}

// Service computes growth reports.
type Service struct {
	db *sql.DB

	mu         sync.Mutex
	stmt       *sql.Stmt // statsQuery
	rollupStmt *sql.Stmt // rollupQuery

	zones sync.Map // IANA name → *time.Location

	cache        *reportCache // nil: every report is computed
	hits, misses atomic.Uint64

	syncEvery time.Duration // 0: next_sync_at unknown

	rollupFrom int64 // posts from which a report reads growth_days (rollup.go)
}

// Option configures a Service.
type Option func(*Service)

// CacheSize makes the service keep up to n recent reports and reuse one
// while nothing it depends on has changed (see cache.go); 0 turns reuse
// off, which is the default.
func CacheSize(n int) Option { return func(s *Service) { s.cache = newReportCache(n) } }

// SyncEvery tells the service how often posts are fetched, for
// freshness.next_sync_at.
func SyncEvery(d time.Duration) Option { return func(s *Service) { s.syncEvery = d } }

// DefaultRollupFrom is the number of stored posts from which an account's
// reports are computed from growth_days: below it a window has about as
// many posts as dates, and reading the posts costs less.
const DefaultRollupFrom = 5000

// RollupFrom makes the service compute the reports of accounts with at
// least n stored posts from growth_days (DefaultRollupFrom unless told);
// 0: every account's.
func RollupFrom(n int64) Option { return func(s *Service) { s.rollupFrom = n } }

// NewService returns the growth service on db.
func NewService(db *sql.DB, opts ...Option) *Service {
	s := &Service{db: db, rollupFrom: DefaultRollupFrom}
	for _, o := range opts {
		o(s)
	}
	return s
}

// CacheCounts returns how many reports were reused and how many computed
// since the service started.
func (s *Service) CacheCounts() (hits, misses uint64) { return s.hits.Load(), s.misses.Load() }

// statement returns the prepared report statement, preparing it on first
// use; a failed preparation is retried by the next call.
func (s *Service) statement(ctx context.Context) (*sql.Stmt, error) {
	return s.prepared(ctx, &s.stmt, statsQuery)
}

// prepared returns *slot, preparing query into it on first use; a failed
// preparation is retried by the next call.
func (s *Service) prepared(ctx context.Context, slot **sql.Stmt, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *slot != nil {
		return *slot, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare growth stats: %w", err)
	}
	*slot = st
	return st, nil
}

// Stats returns the growth report of acc for the period (days) ending at
// now, with daily buckets and posting times in tz.
//
// The windows are current = (now − period, now] and previous =
// (now − 2·period, now − period], on posted_at, with days of 24 hours.
// now is truncated to the microsecond, PostgreSQL's precision. Stats and
// statsQuery document the rules. With a cache (CacheSize), a report may be
// a reused one and share its slices with other callers: treat it as
// read-only.
func (s *Service) Stats(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now time.Time) (Stats, error) {
	r, err := s.report(ctx, acc, period, tz, now)
	return r.stats, err
}

// StatsJSON returns the report of Stats encoded as encoding/json encodes
// Stats. A reused report is not encoded again: only its window is.
func (s *Service) StatsJSON(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now time.Time) ([]byte, error) {
	r, err := s.report(ctx, acc, period, tz, now)
	if err != nil {
		return nil, err
	}
	return r.json()
}

// report is a computed report with the encoding of its Summary, which is
// the same whenever the report is reused; the window and the freshness
// are encoded per request.
type report struct {
	stats   Stats
	summary json.RawMessage
}

func newReport(st Stats) (report, error) {
	b, err := json.Marshal(st.Summary)
	if err != nil {
		return report{}, fmt.Errorf("growth stats: encode: %w", err)
	}
	return report{stats: st, summary: b}, nil
}

// json returns the whole encoding: the fields of the window, those of the
// summary and the freshness, in the order of Stats, written into one
// buffer, as encoding/json would write them (TestReportJSON_EncodesAsStats).
func (r report) json() ([]byte, error) {
	st := r.stats
	out := make([]byte, 0, len(r.summary)+256)
	out = append(out, `{"period_days":`...)
	out = strconv.AppendInt(out, int64(st.PeriodDays), 10)
	var err error
	if out, err = appendTimeField(out, `,"period_start":`, &st.PeriodStart); err != nil {
		return nil, err
	}
	if out, err = appendTimeField(out, `,"period_end":`, &st.PeriodEnd); err != nil {
		return nil, err
	}
	out = append(out, ',')
	out = append(out, r.summary[1:len(r.summary)-1]...) // without its braces
	f := st.Freshness
	for _, field := range []struct {
		key string
		t   *time.Time
	}{
		{`,"freshness":{"posts_synced_at":`, f.PostsSyncedAt},
		{`,"insights_synced_at":`, f.InsightsSyncedAt},
		{`,"next_sync_at":`, f.NextSyncAt},
	} {
		if out, err = appendTimeField(out, field.key, field.t); err != nil {
			return nil, err
		}
	}
	return append(out, "}}"...), nil
}

// appendTimeField appends key and t as encoding/json encodes a time.Time
// (RFC 3339 with nanoseconds, or null for nil).
func appendTimeField(out []byte, key string, t *time.Time) ([]byte, error) {
	out = append(out, key...)
	if t == nil {
		return append(out, "null"...), nil
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("growth stats: encode: year %d outside [0,9999]", y)
	}
	out = append(out, '"')
	out = t.AppendFormat(out, time.RFC3339Nano)
	return append(out, '"'), nil
}

// freshness returns the freshness of acc at now.
func (s *Service) freshness(acc postgres.Account, now time.Time) Freshness {
	f := Freshness{PostsSyncedAt: utcPtr(acc.LastSyncedAt), InsightsSyncedAt: utcPtr(acc.InsightsSyncedAt)}
	if acc.LastSyncedAt != nil && s.syncEvery > 0 {
		next := acc.LastSyncedAt.Add(s.syncEvery).UTC()
		if next.Before(now) {
			next = now
		}
		f.NextSyncAt = &next
	}
	return f
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (s *Service) report(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now time.Time) (report, error) {
	if !ValidPeriod(period) {
		return report{}, errInvalidPeriod()
	}
	if tz == nil {
		tz = time.UTC
	}
	now = now.UTC().Truncate(time.Microsecond)
	span := time.Duration(period) * 24 * time.Hour
	start, prevStart, weekStart := now.Add(-span), now.Add(-2*span), now.Add(-7*24*time.Hour)

	key := reportKey{account: acc.ID, version: acc.DataVersion, followers: -1, period: period, zone: tz.String()}
	if acc.Followers != nil {
		key.followers = *acc.Followers
	}
	if r, ok := s.cache.get(key, now); ok {
		s.hits.Add(1)
		r.stats.PeriodStart, r.stats.PeriodEnd = start, now
		r.stats.Freshness = s.freshness(acc, now)
		return r, nil
	}
	s.misses.Add(1)
	st, h, err := s.compute(ctx, acc, period, tz, now, prevStart, start, weekStart)
	if err != nil {
		return report{}, err
	}
	r, err := newReport(st)
	if err != nil {
		return report{}, err
	}
	s.cache.put(key, r, now, validUntil(now, period, tz, h))
	r.stats.Freshness = s.freshness(acc, now)
	return r, nil
}

// compute computes the report from growth_days for an account with many
// posts when the zone's offsets over the window allow it (rollup.go), else
// post by post. Both give the same report.
func (s *Service) compute(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now, prevStart, start, weekStart time.Time) (Stats, horizon, error) {
	from, offsets := zoneSegments(start, now, tz)
	if size := bucketSize(from, offsets); size > 0 && acc.PostsCount >= s.rollupFrom {
		return s.computeRollup(ctx, acc, period, tz, now, prevStart, start, weekStart, from, offsets, size)
	}
	return s.computePosts(ctx, acc, period, tz, now, prevStart, start, weekStart, from, offsets)
}

// computePosts runs statsQuery, which reads every post of both windows.
func (s *Service) computePosts(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now, prevStart, start, weekStart time.Time,
	from []string, offsets []int64) (Stats, horizon, error) {
	st, err := s.statement(ctx)
	if err != nil {
		return Stats{}, horizon{}, err
	}
	var (
		r     rowScan
		posts postArrays // every post of the window, in local seconds
		tags  strs       // the top hashtags, with their posts and average engagement in hundredths
		tagN  int64s
		tagAv int64s
	)
	dest := r.dest(acc, period, start, now, &tags,
		&posts.at, &posts.mediaType, &posts.likes, &posts.comments, &posts.views, &posts.reach, &tagN, &tagAv)
	err = st.QueryRowContext(ctx, acc.ID, prevStart, start, now, weekStart, pq.Int64Array(offsets), period, acc.Followers,
		pq.StringArray(from)).Scan(dest...)
	if err != nil {
		return Stats{}, r.h, fmt.Errorf("growth stats: %w", err)
	}
	out, sums, err := r.report(tz)
	if err != nil {
		return Stats{}, r.h, err
	}
	if err := sums.addPosts(posts, func(local int64) int64 { return local }, localDay(start, tz), out.Daily); err != nil {
		return Stats{}, r.h, err
	}
	out.MediaTypes, out.BestPostingTimes = sums.mediaTypes(), sums.postingTimes()
	if len(tagN) != len(tags) || len(tagAv) != len(tags) {
		return Stats{}, r.h, fmt.Errorf("growth stats: %d hashtags with %d counts and %d averages", len(tags), len(tagN), len(tagAv))
	}
	out.TopHashtags = make([]Hashtag, len(tags))
	for i, tag := range tags {
		// A correctly rounded quotient of two exact integers: the float64
		// nearest the 2-decimal value, as parsing its decimal text gives.
		out.TopHashtags[i] = Hashtag{Tag: tag, Posts: tagN[i], AvgEngagement: float64(tagAv[i]) / 100}
	}
	out.Message = Message(out.LikesTrend, int(out.TotalPosts), int(out.PostsThisWeek))
	return out, r.h, nil
}

// rowScan is the row both statements return: the summary's fields, the
// best post, one value of the statement's own, the insights totals and
// trends, the report's horizon, then the rest of the statement's own.
type rowScan struct {
	out Stats
	bp  postgres.PostScan
	h   horizon
}

// dest returns the scan targets of the row, own and rest being the
// statement's own values.
func (r *rowScan) dest(acc postgres.Account, period int, start, now time.Time, own any, rest ...any) []any {
	r.out = Stats{PeriodDays: period, PeriodStart: start, PeriodEnd: now, Summary: Summary{Followers: acc.Followers}}
	out, h := &r.out, &r.h
	dest := []any{
		&out.TotalPosts, &out.TotalLikes, &out.TotalComments, &out.AvgLikes, &out.AvgComments,
		&out.Previous.TotalPosts, &out.Previous.TotalLikes, &out.Previous.TotalComments,
		&out.LikesTrend, &out.CommentsTrend, &out.PostsThisWeek, &out.PostsPerWeek,
		&out.FollowersTrend, &out.EngagementRate,
	}
	dest = append(dest, r.bp.Dest()...)
	dest = append(dest, own,
		&out.TotalViews, &out.TotalReach, &out.TotalSaves, &out.TotalShares,
		&out.Previous.TotalViews, &out.Previous.TotalReach, &out.Previous.TotalSaves, &out.Previous.TotalShares,
		&out.ViewsTrend, &out.ReachTrend, &out.SavesTrend, &out.SharesTrend,
		&out.InsightsCoverage, &out.EngagementRateByReach,
		&h.prevFirst, &h.curFirst, &h.weekFirst, &h.next, &h.snapBefore, &h.snapAfter,
	)
	return append(dest, rest...)
}

// report returns the scanned report with its best post and one empty day
// per local date of the window in tz, and the sums its dates, media types,
// slots and tags are added up in.
func (r *rowScan) report(tz *time.Location) (Stats, *windowSums, error) {
	out := r.out
	if p := r.bp.Post(); p != nil {
		best := PostOf(*p)
		out.BestPost = &best
	}
	var err error
	if out.Daily, err = days(out.PeriodStart.In(tz).Format(time.DateOnly), out.PeriodEnd.In(tz).Format(time.DateOnly)); err != nil {
		return Stats{}, nil, err
	}
	return out, &windowSums{media: map[string]*mediaSum{}, tags: map[string]*tagSum{}}, nil
}

// days returns one empty entry per local date from first to last
// (YYYY-MM-DD).
func days(first, last string) ([]Day, error) {
	from, err1 := time.Parse(time.DateOnly, first)
	to, err2 := time.Parse(time.DateOnly, last)
	n := int(to.Sub(from).Hours()/24+0.5) + 1
	if err := errors.Join(err1, err2); err != nil || n < 1 || n > 400 {
		return nil, fmt.Errorf("growth stats: daily %s..%s: %v", first, last, err)
	}
	out := make([]Day, n)
	for i := range out {
		out[i].Date = from.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return out, nil
}

// Package growth computes the growth report of an Instagram account: the
// contract's GET /api/growth/stats. The numbers are computed by PostgreSQL
// in one statement; the package adds the pure rules (the message, hashtag
// extraction) and the types of the response.
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
	if !given {
		return DefaultPeriod, nil
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
}

// Totals are the sums of the previous window.
type Totals struct {
	TotalPosts    int64 `json:"total_posts"`
	TotalLikes    int64 `json:"total_likes"`
	TotalComments int64 `json:"total_comments"`
}

// Post is the report's best post: the contract's post object, with the
// keys of the post list.
type Post struct {
	ID            string    `json:"id"`
	IGPostID      string    `json:"ig_post_id"`
	Caption       string    `json:"caption"`
	MediaType     string    `json:"media_type"`
	MediaURL      string    `json:"media_url"`
	Permalink     string    `json:"permalink"`
	LikeCount     *int64    `json:"like_count"`
	CommentsCount int64     `json:"comments_count"`
	PostedAt      time.Time `json:"posted_at"`
	FetchedAt     time.Time `json:"fetched_at"`
}

// Day is one calendar date of the window, in the report's time zone.
type Day struct {
	Date     string `json:"date"`
	Posts    int64  `json:"posts"`
	Likes    int64  `json:"likes"`
	Comments int64  `json:"comments"`
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

	mu   sync.Mutex
	stmt *sql.Stmt

	zones sync.Map // IANA name → *time.Location

	cache        *reportCache // nil: every report is computed
	hits, misses atomic.Uint64
}

// Option configures a Service.
type Option func(*Service)

// CacheSize makes the service keep up to n recent reports and reuse one
// while nothing it depends on has changed (see cache.go); 0 turns reuse
// off, which is the default.
func CacheSize(n int) Option { return func(s *Service) { s.cache = newReportCache(n) } }

// NewService returns the growth service on db.
func NewService(db *sql.DB, opts ...Option) *Service {
	s := &Service{db: db}
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmt != nil {
		return s.stmt, nil
	}
	st, err := s.db.PrepareContext(ctx, statsQuery)
	if err != nil {
		return nil, fmt.Errorf("prepare growth stats: %w", err)
	}
	s.stmt = st
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
// the same whenever the report is reused.
type report struct {
	stats   Stats
	summary json.RawMessage
}

// window is the encoding of the fields of Stats before its Summary.
type window struct {
	PeriodDays  int       `json:"period_days"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
}

func newReport(st Stats) (report, error) {
	b, err := json.Marshal(st.Summary)
	if err != nil {
		return report{}, fmt.Errorf("growth stats: encode: %w", err)
	}
	return report{stats: st, summary: b}, nil
}

// json returns the whole encoding: the object of the window and the
// object of the summary, made one object, in the order of Stats.
func (r report) json() ([]byte, error) {
	head, err := json.Marshal(window{r.stats.PeriodDays, r.stats.PeriodStart, r.stats.PeriodEnd})
	if err != nil {
		return nil, fmt.Errorf("growth stats: encode: %w", err)
	}
	return mergeObjects(head, r.summary), nil
}

// mergeObjects joins two encoded JSON objects, each with at least one key,
// into one with a's keys first.
func mergeObjects(a, b []byte) []byte {
	out := make([]byte, 0, len(a)+len(b))
	out = append(out, a[:len(a)-1]...) // without its closing brace
	out = append(out, ',')
	return append(out, b[1:]...) // without its opening brace
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
	return r, nil
}

// compute runs the report statement.
func (s *Service) compute(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now, prevStart, start, weekStart time.Time) (Stats, horizon, error) {
	st, err := s.statement(ctx)
	if err != nil {
		return Stats{}, horizon{}, err
	}
	out := Stats{PeriodDays: period, PeriodStart: start, PeriodEnd: now, Summary: Summary{Followers: acc.Followers}}
	var (
		bp                                    nullPost
		offs, dayPosts, dayLikes, dayComments pq.Int64Array
		media, slots, hashes                  []byte
		h                                     horizon
	)
	from, offsets := zoneSegments(start, now, tz)
	startDay := localDay(start, tz)
	err = st.QueryRowContext(ctx, acc.ID, prevStart, start, now, weekStart, pq.Int64Array(offsets), period, acc.Followers,
		pq.StringArray(from), startDay).Scan(
		&out.TotalPosts, &out.TotalLikes, &out.TotalComments, &out.AvgLikes, &out.AvgComments,
		&out.Previous.TotalPosts, &out.Previous.TotalLikes, &out.Previous.TotalComments,
		&out.LikesTrend, &out.CommentsTrend, &out.PostsThisWeek, &out.PostsPerWeek,
		&out.FollowersTrend, &out.EngagementRate,
		&bp.ID, &bp.IGPostID, &bp.Caption, &bp.MediaType, &bp.MediaURL, &bp.Permalink,
		&bp.LikeCount, &bp.CommentsCount, &bp.PostedAt, &bp.FetchedAt,
		&offs, &dayPosts, &dayLikes, &dayComments, &media, &slots, &hashes,
		&h.prevFirst, &h.curFirst, &h.weekFirst, &h.next, &h.snapBefore, &h.snapAfter,
	)
	if err != nil {
		return Stats{}, h, fmt.Errorf("growth stats: %w", err)
	}
	out.BestPost = bp.post()
	first, last := start.In(tz).Format(time.DateOnly), now.In(tz).Format(time.DateOnly)
	if out.Daily, err = days(first, last, offs, dayPosts, dayLikes, dayComments); err != nil {
		return Stats{}, h, err
	}
	out.MediaTypes, out.BestPostingTimes, out.TopHashtags = []MediaType{}, []PostingTime{}, []Hashtag{}
	for _, part := range []struct {
		raw []byte
		dst any
	}{{media, &out.MediaTypes}, {slots, &out.BestPostingTimes}, {hashes, &out.TopHashtags}} {
		if err := json.Unmarshal(part.raw, part.dst); err != nil {
			return Stats{}, h, fmt.Errorf("growth stats: decode: %w", err)
		}
	}
	out.Message = Message(out.LikesTrend, int(out.TotalPosts), int(out.PostsThisWeek))
	return out, h, nil
}

// days returns one entry per local date from first to last (YYYY-MM-DD),
// with the sums of the dates that have posts: offs[i] days after first.
func days(first, last string, offs, posts, likes, comments []int64) ([]Day, error) {
	from, err1 := time.Parse(time.DateOnly, first)
	to, err2 := time.Parse(time.DateOnly, last)
	n := int(to.Sub(from).Hours()/24+0.5) + 1
	if err := errors.Join(err1, err2); err != nil || n < 1 || n > 400 ||
		len(posts) != len(offs) || len(likes) != len(offs) || len(comments) != len(offs) {
		return nil, fmt.Errorf("growth stats: daily %s..%s with %d/%d/%d/%d values: %v", first, last, len(offs), len(posts), len(likes), len(comments), err)
	}
	out := make([]Day, n)
	for i := range out {
		out[i].Date = from.AddDate(0, 0, i).Format(time.DateOnly)
	}
	for i, o := range offs {
		if o < 0 || o >= int64(n) {
			return nil, fmt.Errorf("growth stats: a post on day %d of %d", o, n)
		}
		out[o].Posts, out[o].Likes, out[o].Comments = posts[i], likes[i], comments[i]
	}
	return out, nil
}

// nullPost scans the best post's columns, all NULL when there is none.
type nullPost struct {
	ID, IGPostID, Caption, MediaType, MediaURL, Permalink sql.NullString
	LikeCount, CommentsCount                              sql.NullInt64
	PostedAt, FetchedAt                                   sql.NullTime
}

func (n nullPost) post() *Post {
	if !n.ID.Valid {
		return nil
	}
	p := &Post{
		ID: n.ID.String, IGPostID: n.IGPostID.String, Caption: n.Caption.String, MediaType: n.MediaType.String,
		MediaURL: n.MediaURL.String, Permalink: n.Permalink.String, CommentsCount: n.CommentsCount.Int64,
		PostedAt: n.PostedAt.Time.UTC(), FetchedAt: n.FetchedAt.Time.UTC(),
	}
	if n.LikeCount.Valid {
		v := n.LikeCount.Int64
		p.LikeCount = &v
	}
	return p
}

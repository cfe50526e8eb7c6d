package igsync

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync"
	"time"

	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/postgres"
)

// KindReadInsights reads the insights of an account's due posts.
const KindReadInsights = "read_insights"

// Tuning of the insights reading.
const (
	// InsightsEvery is how often accounts with due posts get a job.
	InsightsEvery = 5 * time.Minute
	// InsightsBatch is how many due posts one query returns.
	InsightsBatch = 25
	// InsightsPerRun bounds the posts one job reads; the rest wait for the
	// next run.
	InsightsPerRun = 100
)

// InsightsReader reads one insights call of a media; *instagram.Client is
// one. Failures match instagram.ErrNotAvailable (code 10 "not enough
// viewers", or no data), instagram.ErrMetricRefused (code 100),
// instagram.ErrThrottled and instagram.ErrReauth.
type InsightsReader interface {
	MediaInsightsCall(ctx context.Context, token, mediaID string, call instagram.MetricCall) (instagram.MediaInsightsResult, error)
}

// UsageBook keeps the usage headers of each account's latest answer, as
// the Instagram client reports them (instagram.Config.OnUsage). It is
// safe for concurrent use.
type UsageBook struct {
	mu   sync.Mutex
	last map[string]instagram.Usage
}

// Observe records u as the latest usage of the account igUserID; an
// answer that named no account ("") counts for every account.
func (b *UsageBook) Observe(igUserID string, u instagram.Usage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.last == nil {
		b.last = map[string]instagram.Usage{}
	}
	b.last[igUserID] = u
}

// Since returns the latest usage seen for igUserID at or after t: the
// account's own, else one that named no account.
func (b *UsageBook) Since(igUserID string, t time.Time) (instagram.Usage, bool) {
	if b == nil {
		return instagram.Usage{}, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, id := range []string{igUserID, ""} {
		if u, ok := b.last[id]; ok && !u.ObservedAt.Before(t) {
			return u, true
		}
	}
	return instagram.Usage{}, false
}

// stored are the metrics a reading keeps (the rest of a plan is not asked).
var stored = map[string]bool{
	instagram.MetricViews: true, instagram.MetricReach: true, instagram.MetricSaved: true,
	instagram.MetricShares: true, instagram.MetricTotalInteractions: true, instagram.MetricFollows: true,
	instagram.MetricProfileVisits: true, instagram.MetricReposts: true, instagram.MetricAvgWatchTime: true,
	instagram.MetricTotalWatchTime: true, instagram.MetricSkipRate: true,
}

// MetricCalls returns the calls that read a post of productType: the
// core call of instagram.InsightsPlan, then each of its optional calls
// that asks for a metric the post keeps (follows, profile_visits, reposts,
// reels_skip_rate), one metric a call, so that a refusal (code 100) loses
// only that metric. The breakdown and crossposting calls are not made:
// nothing of theirs is stored. AD has no calls.
func MetricCalls(productType string) []instagram.MetricCall {
	plan := instagram.InsightsPlan(productType)
	if len(plan.Core.Metrics) == 0 {
		return nil
	}
	calls := []instagram.MetricCall{plan.Core}
	for _, c := range plan.Optional {
		if c.Breakdown == "" && len(c.Metrics) == 1 && stored[c.Metrics[0]] {
			calls = append(calls, c)
		}
	}
	return calls
}

// NextReading returns when the age ladder wants the next reading of a post
// posted at postedAt that was read at readAt: under 48 h old hourly, under
// 7 days every 6 h, under 30 days daily, under 90 days weekly; nil (never
// again) once it is older.
func NextReading(postedAt, readAt time.Time) *time.Time {
	age := readAt.Sub(postedAt)
	var every time.Duration
	switch {
	case age < 48*time.Hour:
		every = time.Hour
	case age < 7*24*time.Hour:
		every = 6 * time.Hour
	case age < 30*24*time.Hour:
		every = 24 * time.Hour
	case age < 90*24*time.Hour:
		every = 7 * 24 * time.Hour
	default:
		return nil
	}
	next := readAt.Add(every)
	return &next
}

// errParked stops a run whose account was parked.
var errParked = errors.New("insights parked")

// insightsRun is one read_insights job.
type insightsRun struct {
	s        *Service
	acc      postgres.Account
	token    string
	refused  map[string]map[string]bool
	day      time.Time
	lastSeen *int // the last usage percent seen
	read     int  // posts read
}

// readInsights is the read_insights job: the account's due posts, the
// longest due first, up to InsightsPerRun, each reading stored (or
// rescheduled) on its own so that a run cut short loses nothing and reads
// nothing twice. A parked account's job ends at once.
func (s *Service) readInsights(ctx context.Context, job postgres.Job) error {
	acc, token, err := s.jobAccount(ctx, job)
	if err != nil {
		return err
	}
	now := s.now()
	if acc.InsightsParkedUntil != nil && acc.InsightsParkedUntil.After(now) {
		return nil // the insights schedule comes back after the parked time
	}
	r := &insightsRun{s: s, acc: acc, token: token, day: now.UTC().Truncate(24 * time.Hour)}
	if r.refused, err = s.posts.Refusals(ctx, acc.ID, r.day); err != nil {
		return err
	}
	for r.read < InsightsPerRun {
		due, err := s.posts.DueForInsights(ctx, acc.ID, s.now(), min(InsightsBatch, InsightsPerRun-r.read))
		if err != nil {
			return err
		}
		if len(due) == 0 {
			break
		}
		for _, p := range due {
			if err := r.post(ctx, p); errors.Is(err, errParked) {
				return nil
			} else if err != nil {
				return err
			}
			r.read++
		}
	}
	return nil
}

// post reads and stores one post's insights.
func (r *insightsRun) post(ctx context.Context, p postgres.DuePost) error {
	s := r.s
	calls := MetricCalls(p.ProductType)
	if len(calls) == 0 {
		// No metric set (AD): nothing to read, ever.
		_, err := s.posts.RecordInsights(ctx, p.ID, postgres.PostInsights{}, nil)
		return err
	}
	at := s.now()
	reading := postgres.PostInsights{CapturedAt: at}
	var stop error
	complete := true
	for i, call := range calls {
		if i > 0 && r.refused[p.ProductType][call.Metrics[0]] {
			continue
		}
		sent := time.Now()
		res, err := s.insights.MediaInsightsCall(ctx, r.token, p.IGPostID, call)
		u, _ := s.usage.Since(r.acc.IGUserID, sent)
		if perr := r.observe(ctx, u, err); perr != nil {
			stop = perr
		}
		var apiErr *instagram.APIError
		switch {
		case err == nil:
			setMetrics(&reading, res)
		case errors.Is(err, instagram.ErrNotAvailable):
			// Not enough viewers, or no data yet: for the whole post when
			// the core call says so.
			if i == 0 {
				return r.store(ctx, p, postgres.PostInsights{CapturedAt: at}, NextReading(p.PostedAt, at))
			}
		case errors.As(err, &apiErr) && apiErr.Code == 100 && apiErr.Subcode == 33:
			// The media is gone or not visible: nothing to read again.
			_, err := s.posts.RecordInsights(ctx, p.ID, postgres.PostInsights{}, nil)
			return err
		case errors.Is(err, instagram.ErrMetricRefused):
			if i == 0 {
				// The core set should not be refused; read again on the ladder.
				s.logger.WarnContext(ctx, "instagram refused the core insights metrics",
					slog.String("account_id", r.acc.ID), slog.String("media_product_type", p.ProductType),
					slog.String("error", err.Error()))
				break
			}
			if err := r.refuse(ctx, p.ProductType, call.Metrics[0]); err != nil {
				return err
			}
		case stop != nil:
			// Throttled: the reading so far is kept below.
		default:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return s.upstreamError(ctx, r.acc, err)
		}
		if stop != nil {
			complete = i == len(calls)-1
			break
		}
	}
	if stop != nil && reading.Empty() {
		return stop // nothing read: the post stays due
	}
	next := NextReading(p.PostedAt, reading.CapturedAt)
	if !complete {
		// Cut short by a park: what was read is stored, and the post is
		// the first read again, whole, once the park ends.
		next = &reading.CapturedAt
	}
	if err := r.store(ctx, p, reading, next); err != nil {
		return err
	}
	return stop
}

// refuse remembers that metric was refused for productType today.
func (r *insightsRun) refuse(ctx context.Context, productType, metric string) error {
	if err := r.s.posts.RecordRefusal(ctx, r.acc.ID, productType, metric, r.day); err != nil {
		return err
	}
	if r.refused[productType] == nil {
		r.refused[productType] = map[string]bool{}
	}
	r.refused[productType][metric] = true
	return nil
}

// store records the reading and the post's next due time.
func (r *insightsRun) store(ctx context.Context, p postgres.DuePost, reading postgres.PostInsights, next *time.Time) error {
	s := r.s
	if _, err := s.posts.RecordInsights(ctx, p.ID, reading, next); err != nil {
		return err
	}
	if reading.Empty() {
		return nil
	}
	return s.accounts.InsightsRead(ctx, r.acc.ID, reading.CapturedAt, r.lastSeen)
}

// observe looks at the usage of an answer and at a throttling error; it
// parks the account and returns errParked when either says so
// (instagram.Usage.ShouldPause: 90 % of any figure, or a time to regain
// access). The wait is Instagram's time to regain access, else a backoff
// doubling from instagram.MinThrottleBackoff, kept on the account row.
func (r *insightsRun) observe(ctx context.Context, u instagram.Usage, err error) error {
	s := r.s
	if !u.ObservedAt.IsZero() {
		pct := u.Max()
		r.lastSeen = &pct
	}
	throttled := errors.Is(err, instagram.ErrThrottled)
	if !throttled && !u.ShouldPause() {
		return nil
	}
	wait := u.RegainAfter()
	var apiErr *instagram.APIError
	if errors.As(err, &apiErr) {
		wait = max(wait, apiErr.RegainAccess, apiErr.RetryAfter)
	}
	backoff := time.Duration(0)
	if wait <= 0 {
		backoff = min(max(instagram.MinThrottleBackoff, 2*r.acc.InsightsBackoff), instagram.MaxThrottleBackoff)
		wait = backoff
	}
	until := s.now().Add(wait)
	if perr := s.accounts.ParkInsights(context.WithoutCancel(ctx), r.acc.ID, until, backoff, r.lastSeen); perr != nil {
		return perr
	}
	r.acc.InsightsParkedUntil, r.acc.InsightsBackoff = &until, backoff
	s.logger.InfoContext(ctx, "insights parked", slog.String("account_id", r.acc.ID),
		slog.Time("until", until), slog.Bool("throttled", throttled))
	return errParked
}

// setMetrics copies the reported metrics into the reading; a metric the
// answer did not report keeps what an earlier call of the reading set.
func setMetrics(r *postgres.PostInsights, res instagram.MediaInsightsResult) {
	for name, dst := range map[string]**int64{
		instagram.MetricViews: &r.Views, instagram.MetricReach: &r.Reach, instagram.MetricSaved: &r.Saved,
		instagram.MetricShares: &r.Shares, instagram.MetricTotalInteractions: &r.TotalInteractions,
		instagram.MetricFollows: &r.Follows, instagram.MetricProfileVisits: &r.ProfileVisits,
		instagram.MetricReposts: &r.Reposts, instagram.MetricAvgWatchTime: &r.AvgWatchTimeMs,
		instagram.MetricTotalWatchTime: &r.TotalWatchTimeMs,
	} {
		if v, ok := res.Counts[name]; ok && v >= 0 {
			*dst = &v
		}
	}
	if v, ok := res.Rates[instagram.MetricSkipRate]; ok && v >= 0 && v <= 100 && !math.IsNaN(v) {
		r.SkipRate = &v
	}
}

// ScheduleInsights enqueues a read_insights job for the account now.
func (s *Service) ScheduleInsights(ctx context.Context, accountID string) (bool, error) {
	if s.insights == nil {
		return false, nil
	}
	created, err := s.jobs.Enqueue(ctx, KindReadInsights, accountID, s.now(), jobAttempts)
	if err == nil && s.notifier != nil {
		s.notifier.Notify()
	}
	return created, err
}

// enqueueDueInsights gives every active, unparked account with a post
// due before the schedule's next look a read_insights job, due when that
// post is: the readings keep to their own times instead of coming due
// together at each look, and the jobs reach the workers as evenly as the
// readings' times are spread.
func (s *Service) enqueueDueInsights(ctx context.Context) error {
	now := s.now()
	due, err := s.posts.AccountsWithDueInsights(ctx, now, now.Add(InsightsEvery))
	if err != nil {
		return err
	}
	ids, runAt := make([]string, len(due)), make([]time.Time, len(due))
	for i, a := range due {
		// A post overdue (its account was parked, or busy) makes the job
		// due now: the queue's age says how long jobs wait, not readings.
		ids[i], runAt[i] = a.ID, later(a.DueAt, now)
	}
	return s.enqueue(ctx, KindReadInsights, ids, runAt)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// EnqueueDueInsights runs the insights schedule now (for tests and
// operators).
func (s *Service) EnqueueDueInsights(ctx context.Context) error { return s.enqueueDueInsights(ctx) }

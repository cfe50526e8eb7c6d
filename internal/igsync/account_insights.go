package igsync

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/worker"
)

// KindAccountInsights is the job that reads an account's insights: daily
// reach, views, new followers and unfollows, the hours its followers are
// online, their demographics, and a follower snapshot from /me.
const KindAccountInsights = "account_insights"

// Tuning of the account insights reading.
const (
	// AccountInsightsEvery is how often the schedule looks for accounts due.
	AccountInsightsEvery = time.Hour
	// AccountInsightsAge makes an account due once its last reading
	// finished this long ago: about daily, whatever the schedule's phase.
	AccountInsightsAge = 20 * time.Hour
	// BackfillDays are read when nothing is stored yet (at connection).
	BackfillDays = 30
	// RereadDays are read again on each daily run: figures settle within
	// 48 hours.
	RereadDays = 3
)

// ScheduleAccountInsights enqueues an account insights reading for the
// account to run now.
func (s *Service) ScheduleAccountInsights(ctx context.Context, accountID string) (bool, error) {
	created, err := s.jobs.Enqueue(ctx, KindAccountInsights, accountID, time.Now(), jobAttempts)
	if err == nil {
		s.notifier.Notify()
	}
	return created, err
}

// enqueueDueAccountInsights gives every active account not read within
// AccountInsightsAge an account insights job.
func (s *Service) enqueueDueAccountInsights(ctx context.Context) error {
	ids, err := s.accountInsights.DueAccounts(ctx, KindAccountInsights, AccountInsightsAge)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, KindAccountInsights, ids, nil)
}

// accountRun is one account_insights job.
type accountRun struct {
	s            *Service
	acc          postgres.Account
	token        string
	since, until time.Time // whole Pacific days, until excluded (today)
	// budget is the account's insights budget, shared with the posts'
	// insights (insights.go): a call at 90 % of any usage figure, or
	// throttled, parks the account's insights work.
	budget *insightsRun
}

// parkedMessage is the job's error while the account's insights wait.
const parkedMessage = "Instagram's budget for this account is spent for now; the insights reading waits for it."

// accountInsights is the account_insights job. It records today's follower
// snapshot, then reads each metric on its own: one that Instagram refuses
// (code 100) or has no figure for loses only itself. Throttling, time-outs
// and server errors end the run, keeping what was stored, and the job is
// retried; the readings are upserts, so a retry repeats nothing wrongly.
func (s *Service) readAccountInsights(ctx context.Context, job postgres.Job) error {
	acc, token, err := s.jobAccount(ctx, job)
	if err != nil {
		return err
	}
	if p := acc.InsightsParkedUntil; p != nil && p.After(s.now()) {
		return worker.Retry(errParked, parkedMessage, p.Sub(s.now()))
	}
	profile, err := s.client.Me(ctx, token)
	if err != nil {
		return s.upstreamError(ctx, acc, err)
	}
	if err := s.accounts.UpdateProfile(ctx, acc.ID, profile.Username, int64(profile.FollowersCount)); err != nil {
		return err
	}
	days := RereadDays
	stored, err := s.accountInsights.HasDaily(ctx, acc.ID)
	if err != nil {
		return err
	}
	if !stored {
		days = BackfillDays
	}
	until := instagram.PacificMidnight(s.now())
	r := &accountRun{s: s, acc: acc, token: token, until: until,
		since:  time.Date(until.Year(), until.Month(), until.Day()-days, 0, 0, 0, 0, instagram.Pacific()),
		budget: &insightsRun{s: s, acc: acc, token: token}}
	for _, step := range []struct {
		metric string
		read   func(ctx context.Context) error
	}{
		{instagram.AccountMetricReach, r.reach},
		{instagram.AccountMetricFollowerCount, r.followerCount},
		{instagram.AccountMetricViews, r.views},
		{instagram.AccountMetricFollowsUnfollows, r.unfollows},
		{instagram.AccountMetricOnlineFollowers, r.online},
		{instagram.AccountMetricFollowerDemographic, r.demographics(instagram.AccountMetricFollowerDemographic)},
		{instagram.AccountMetricEngagedDemographic, r.demographics(instagram.AccountMetricEngagedDemographic)},
	} {
		if err := r.outcome(ctx, step.metric, step.read(ctx)); err != nil {
			return err
		}
	}
	// The days before the account was connected get their follower totals
	// from the daily changes just read (observed snapshots win).
	_, err = s.accountInsights.DeriveSnapshots(ctx, acc.ID, int64(profile.FollowersCount), s.now().In(instagram.Pacific()))
	return err
}

// outcome sorts a metric's failure: nil goes on to the next metric (no
// figure yet, a refusal, or another error of the metric's own), an error
// ends the run, classified for the job queue.
func (r *accountRun) outcome(ctx context.Context, metric string, err error) error {
	if !endsRun(ctx, err) {
		if err != nil && !errors.Is(err, instagram.ErrNotAvailable) {
			r.s.logger.WarnContext(ctx, "instagram refused an account insights metric",
				slog.String("account_id", r.acc.ID), slog.String("metric", metric), slog.String("error", err.Error()))
		}
		return nil
	}
	if errors.Is(err, errParked) {
		wait := time.Duration(0)
		if p := r.budget.acc.InsightsParkedUntil; p != nil {
			wait = p.Sub(r.s.now())
		}
		return worker.Retry(err, parkedMessage, wait)
	}
	var apiErr *instagram.APIError
	if ctx.Err() == nil && (errors.As(err, &apiErr) || errors.Is(err, instagram.ErrTimeout) || errors.Is(err, instagram.ErrMalformedResponse)) {
		return r.s.upstreamError(ctx, r.acc, err)
	}
	return err // a storage failure, or the run's end
}

// call runs one client call and shows its answer's usage, or its
// throttling error, to the budget: a park ends the run with errParked.
func (r *accountRun) call(ctx context.Context, fn func() error) error {
	sent := time.Now()
	err := fn()
	u, _ := r.s.usage.Since(r.acc.IGUserID, sent)
	if perr := r.budget.observe(ctx, u, err); perr != nil {
		return perr
	}
	return err
}

// endsRun reports whether err stops the whole reading: throttling, server
// errors, time-outs, an invalid token, storage failures. No figure yet
// (ErrNotAvailable), a refusal (code 100) and other errors Instagram
// answered for one call concern that metric only.
func endsRun(ctx context.Context, err error) bool {
	var apiErr *instagram.APIError
	switch {
	case err == nil, errors.Is(err, instagram.ErrNotAvailable):
		return false
	case ctx.Err() != nil:
		return true
	case errors.Is(err, instagram.ErrMetricRefused):
		return false
	case errors.As(err, &apiErr):
		return apiErr.TokenInvalid() || apiErr.Temporary()
	}
	return true
}

func (r *accountRun) reach(ctx context.Context) error {
	var vals []instagram.DailyValue
	err := r.call(ctx, func() (err error) {
		vals, err = r.s.client.AccountReach(ctx, r.token, r.acc.IGUserID, r.since, r.until)
		return err
	})
	if err != nil {
		return err
	}
	days := make([]postgres.InsightDay, len(vals))
	for i, v := range vals {
		days[i] = postgres.InsightDay{Date: v.Date, Reach: &v.Value}
	}
	return r.s.accountInsights.SaveDaily(ctx, r.acc.ID, r.s.now(), days)
}

func (r *accountRun) followerCount(ctx context.Context) error {
	var vals []instagram.DailyValue
	err := r.call(ctx, func() (err error) {
		vals, err = r.s.client.AccountFollowerCount(ctx, r.token, r.acc.IGUserID, r.since, r.until)
		return err
	})
	if err != nil {
		return err
	}
	days := make([]postgres.InsightDay, len(vals))
	for i, v := range vals {
		days[i] = postgres.InsightDay{Date: v.Date, Gained: &v.Value}
	}
	return r.s.accountInsights.SaveDaily(ctx, r.acc.ID, r.s.now(), days)
}

// perDay reads a total_value metric one Pacific day at a time and stores
// what set returns of each day. A day without a figure is skipped; any
// other failure ends the metric (a refusal holds for every day), keeping
// the days read.
func (r *accountRun) perDay(ctx context.Context, read func(ctx context.Context, day instagram.Span, d *postgres.InsightDay) error) error {
	var days []postgres.InsightDay
	var stop error
	for _, sp := range instagram.PacificDays(r.since, r.until) {
		d := postgres.InsightDay{Date: sp.Since.In(instagram.Pacific()).Format(time.DateOnly)}
		err := read(ctx, sp, &d)
		if errors.Is(err, instagram.ErrNotAvailable) {
			continue
		}
		if err != nil {
			stop = err
			break
		}
		days = append(days, d)
	}
	if err := r.s.accountInsights.SaveDaily(ctx, r.acc.ID, r.s.now(), days); err != nil {
		return err
	}
	return stop
}

func (r *accountRun) views(ctx context.Context) error {
	return r.perDay(ctx, func(ctx context.Context, sp instagram.Span, d *postgres.InsightDay) error {
		return r.call(ctx, func() (err error) {
			d.Views, err = r.s.client.AccountViews(ctx, r.token, r.acc.IGUserID, sp.Since, sp.Until)
			return err
		})
	})
}

// unfollows stores the unfollows of follows_and_unfollows as the day's
// lost followers; its follows are not used, gained comes from
// follower_count.
func (r *accountRun) unfollows(ctx context.Context) error {
	return r.perDay(ctx, func(ctx context.Context, sp instagram.Span, d *postgres.InsightDay) error {
		var fc instagram.FollowChanges
		err := r.call(ctx, func() (err error) {
			fc, err = r.s.client.AccountFollowsAndUnfollows(ctx, r.token, r.acc.IGUserID, sp.Since, sp.Until)
			return err
		})
		if err == nil && fc.Unfollows == nil {
			return instagram.ErrNotAvailable
		}
		d.Lost = fc.Unfollows
		return err
	})
}

func (r *accountRun) online(ctx context.Context) error {
	var days []instagram.OnlineFollowersDay
	err := r.call(ctx, func() (err error) {
		days, err = r.s.client.OnlineFollowers(ctx, r.token, r.acc.IGUserID)
		return err
	})
	if err != nil {
		return err
	}
	var hours []postgres.OnlineHour
	for _, d := range days {
		for h, n := range d.Hours {
			hours = append(hours, postgres.OnlineHour{Date: d.Date, Hour: h, Count: n})
		}
	}
	return r.s.accountInsights.SaveOnlineFollowers(ctx, r.acc.ID, r.s.now(), hours)
}

// demographics reads the four breakdowns of metric (this_month), each on
// its own; a breakdown without rows or refused loses only itself.
func (r *accountRun) demographics(metric string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		for _, b := range instagram.DemographicBreakdowns {
			var rows []instagram.DemographicRow
			err := r.call(ctx, func() (err error) {
				rows, err = r.s.client.Demographics(ctx, r.token, r.acc.IGUserID, metric, b, instagram.TimeframeThisMonth)
				return err
			})
			if endsRun(ctx, err) {
				return err
			}
			if err != nil {
				r.outcome(ctx, metric+" by "+b, err) //nolint:errcheck // only logs: endsRun said it goes on
				continue
			}
			out := make([]postgres.DemographicRow, len(rows))
			for i, row := range rows {
				out[i] = postgres.DemographicRow{Key: row.Key, Value: row.Value}
			}
			if err := r.s.accountInsights.SaveDemographics(ctx, r.acc.ID, metric, b, instagram.TimeframeThisMonth, r.s.now(), out); err != nil {
				return err
			}
		}
		return nil
	}
}

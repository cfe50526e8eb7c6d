// Package guidance answers "what to do next": the recommendations, the
// follower forecast and the goals of an account. It reads storage
// (internal/postgres) and hands the numbers to the pure computation of
// internal/advice; it keeps recent results and reuses one while nothing
// it depends on has moved (see cache.go and validUntil).
package guidance

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"creatorgrowth/internal/advice"
	"creatorgrowth/internal/postgres"
)

// OnlineFollowers gives the followers-online heatmap of an account
// (weekday 0 = Sunday, hours in tz, nil cells without a sample). Its
// readings do not advance the account's data_version, so each has a
// version of its own, part of the recommendations' cache key; *Online is
// the one of the stored account insights.
type OnlineFollowers interface {
	// Version names the account's current reading; 0 when there is none.
	Version(ctx context.Context, acc postgres.Account) (int64, error)
	// Heatmap returns the heatmap of the reading version names, nil for 0.
	Heatmap(ctx context.Context, acc postgres.Account, version int64, tz *time.Location) (*[7][24]*float64, error)
}

// Deps is what a Service reads from.
type Deps struct {
	Advice *postgres.Advice
	// Online is the followers-online heatmap; nil: the best times come
	// from the posts alone.
	Online OnlineFollowers
	// CacheSize is the number of recent results kept of each kind; 0 keeps
	// none (every answer is computed).
	CacheSize int
}

// Service computes recommendations and forecasts.
type Service struct {
	advice *postgres.Advice
	online OnlineFollowers

	recs         *lru[recKey, Recommendations]
	forecasts    *lru[forecastKey, advice.ForecastResult]
	hits, misses atomic.Uint64
}

// New returns the service on its stores.
func New(d Deps) *Service {
	return &Service{
		advice:    d.Advice,
		online:    d.Online,
		recs:      newLRU[recKey, Recommendations](d.CacheSize),
		forecasts: newLRU[forecastKey, advice.ForecastResult](d.CacheSize),
	}
}

// CacheCounts returns how many results (recommendations and forecasts)
// were reused and how many computed since the service started.
func (s *Service) CacheCounts() (reused, computed uint64) { return s.hits.Load(), s.misses.Load() }

// Recommendations is the advice of an account with the posts its outliers
// name. Winners and Laggards are the posts of Outliers.Winners and
// Outliers.Laggards, in their order. A reused result is shared: treat it
// as read-only.
type Recommendations struct {
	advice.Recommendations
	Winners, Laggards []postgres.Post
}

// recKey names a recommendations result up to time.
type recKey struct {
	account string
	version int64
	online  int64 // the heatmap's version
	period  int
	zone    string
}

// Recommendations returns the recommendations of acc over the period
// (days) ending at now, weekdays and hours in tz (nil: UTC).
//
// A result is reused for the same account, data_version, followers-online
// reading, period and zone until validUntil: the first instant a post of the window turns 24 hours
// old, leaves the window or crosses a cadence week's edge, and at most
// maxReuse.
func (s *Service) Recommendations(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now time.Time) (Recommendations, error) {
	if tz == nil {
		tz = time.UTC
	}
	now = now.UTC().Truncate(time.Microsecond)
	key := recKey{account: acc.ID, version: acc.DataVersion, period: period, zone: tz.String()}
	if s.online != nil {
		v, err := s.online.Version(ctx, acc)
		if err != nil {
			return Recommendations{}, fmt.Errorf("recommendations: online followers: %w", err)
		}
		key.online = v
	}
	if r, ok := s.recs.get(key, now); ok {
		s.hits.Add(1)
		return r, nil
	}
	s.misses.Add(1)
	span := time.Duration(period) * 24 * time.Hour
	posts, err := s.advice.WindowPosts(ctx, acc.ID, now.Add(-span), now)
	if err != nil {
		return Recommendations{}, err
	}
	// The post insights (saved, shares, reach, views, skip rate) are
	// unknown until they are stored.
	in := advice.RecommendInput{Posts: posts, Now: now, Location: tz, PeriodDays: period}
	if s.online != nil {
		if in.OnlineFollowers, err = s.online.Heatmap(ctx, acc, key.online, tz); err != nil {
			return Recommendations{}, fmt.Errorf("recommendations: online followers: %w", err)
		}
	}
	out := Recommendations{Recommendations: advice.Recommend(in)}
	if out.Winners, out.Laggards, err = s.outlierPosts(ctx, acc.ID, out.Outliers); err != nil {
		return Recommendations{}, err
	}
	s.recs.put(key, out, now, validUntil(now, period, posts))
	return out, nil
}

// outlierPosts reads the posts the outliers name, in their order. A post
// deleted meanwhile is left out (its deletion advanced the data version,
// so the next request computes afresh).
func (s *Service) outlierPosts(ctx context.Context, accountID string, o advice.Outliers) ([]postgres.Post, []postgres.Post, error) {
	ids := make([]string, 0, len(o.Winners)+len(o.Laggards))
	for _, r := range o.Winners {
		ids = append(ids, r.ID)
	}
	for _, r := range o.Laggards {
		ids = append(ids, r.ID)
	}
	posts, err := s.advice.PostsByID(ctx, accountID, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("recommendations: %w", err)
	}
	byID := make(map[string]postgres.Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	pick := func(refs []advice.PostRef) []postgres.Post {
		out := make([]postgres.Post, 0, len(refs))
		for _, r := range refs {
			if p, ok := byID[r.ID]; ok {
				out = append(out, p)
			}
		}
		return out
	}
	return pick(o.Winners), pick(o.Laggards), nil
}

// validUntil returns the first instant after now at which recommendations
// of the period computed at now from the window's posts may differ, at
// most now + maxReuse. Recommend reads the clock only through each post's
// age: a post is considered from 24 hours old, leaves the window when
// it is period days old, and its cadence week (7-day steps back from
// now − 24 h) changes every 7 days. Weekdays and hours are each post's own
// and do not move. Posts after now are not in the window; they could
// matter only 24 hours after they are published, beyond maxReuse.
func validUntil(now time.Time, period int, posts []advice.Post) time.Time {
	const week = 7 * 24 * time.Hour
	span := time.Duration(period) * 24 * time.Hour
	until := now.Add(maxReuse)
	earlier := func(t time.Time) {
		if t.After(now) && t.Before(until) {
			until = t
		}
	}
	for i := range posts {
		t := posts[i].PostedAt
		age := now.Sub(t)
		if age < advice.MinAge {
			earlier(t.Add(advice.MinAge))
			continue
		}
		earlier(t.Add(span))
		wk := (age - advice.MinAge) / week
		earlier(t.Add(advice.MinAge + (wk+1)*week))
	}
	return until
}

// forecastKey names a forecast. A forecast reads no clock: it holds while
// the account's snapshots (its data_version) hold.
type forecastKey struct {
	account string
	version int64
	horizon int
}

// Forecast returns the follower forecast of acc for horizon days after
// its last history date; an out-of-range horizon is advice.ErrHorizon.
func (s *Service) Forecast(ctx context.Context, acc postgres.Account, horizon int, now time.Time) (advice.ForecastResult, error) {
	key := forecastKey{account: acc.ID, version: acc.DataVersion, horizon: horizon}
	if f, ok := s.forecasts.get(key, now); ok {
		s.hits.Add(1)
		return f, nil
	}
	s.misses.Add(1)
	daily, err := s.Daily(ctx, acc.ID, time.UTC)
	if err != nil {
		return advice.ForecastResult{}, err
	}
	f, err := advice.Forecast(daily, horizon)
	if err != nil {
		return advice.ForecastResult{}, err
	}
	s.forecasts.put(key, f, now, now.Add(maxReuse))
	return f, nil
}

// Daily returns the account's daily follower totals (the last snapshot
// of each calendar date in loc: UTC for the forecast, the user's zone for
// goals), oldest first.
func (s *Service) Daily(ctx context.Context, accountID string, loc *time.Location) ([]advice.DailyValue, error) {
	rows, err := s.advice.DailyFollowers(ctx, accountID, loc)
	if err != nil {
		return nil, err
	}
	out := make([]advice.DailyValue, len(rows))
	for i, r := range rows {
		d, err := advice.ParseDate(r.Date)
		if err != nil {
			return nil, fmt.Errorf("daily followers: %w", err)
		}
		out[i] = advice.DailyValue{Date: d, Value: r.Followers}
	}
	return out, nil
}

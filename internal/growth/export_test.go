package growth

import (
	"context"
	"time"

	"creatorgrowth/internal/postgres"
)

// StatsFromPosts computes the report post by post (statsQuery), whatever
// the zone, without reuse: what the report was before growth_days.
func (s *Service) StatsFromPosts(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now time.Time) (Stats, error) {
	now = now.UTC().Truncate(time.Microsecond)
	span := time.Duration(period) * 24 * time.Hour
	start := now.Add(-span)
	from, offsets := zoneSegments(start, now, tz)
	st, _, err := s.computePosts(ctx, acc, period, tz, now, now.Add(-2*span), start, now.Add(-7*24*time.Hour), from, offsets)
	return st, err
}

// BucketSize is bucketSize for the window (start, end] of tz.
func BucketSize(start, end time.Time, tz *time.Location) int64 {
	return bucketSize(zoneSegments(start, end, tz))
}

package advice

import (
	"math"
	"time"
)

// zoneCache converts instants to weekday and hour in a zone, remembering
// the spans of the zone's offsets it has met: for 100,000 posts a few
// spans stand for 100,000 time.In calls.
type zoneCache struct {
	loc   *time.Location
	spans [4]zoneSpan
	n     int // spans in use
	next  int // the span to replace when all are in use
}

// zoneSpan is a half-open span of Unix seconds with one UTC offset.
type zoneSpan struct {
	start, end int64
	offset     int64
}

// local returns the weekday (0 = Sunday) and hour of t in the zone.
func (z *zoneCache) local(t time.Time) (int, int) {
	u := t.Unix()
	for i := range z.n {
		if s := z.spans[i]; u >= s.start && u < s.end {
			return civil(u + s.offset)
		}
	}
	lt := t.In(z.loc)
	_, off := lt.Zone()
	s := zoneSpan{start: math.MinInt64, end: math.MaxInt64, offset: int64(off)}
	if from, to := lt.ZoneBounds(); !from.IsZero() || !to.IsZero() {
		if !from.IsZero() {
			s.start = from.Unix()
		}
		if !to.IsZero() {
			s.end = to.Unix()
		}
	}
	if z.n < len(z.spans) {
		z.spans[z.n] = s
		z.n++
	} else {
		z.spans[z.next] = s
		z.next = (z.next + 1) % len(z.spans)
	}
	return int(lt.Weekday()), lt.Hour()
}

// civil returns the weekday and hour of local seconds since the epoch.
func civil(l int64) (int, int) {
	days := l / 86400
	sec := l % 86400
	if sec < 0 {
		days--
		sec += 86400
	}
	wd := (days + 4) % 7 // 1970-01-01 was a Thursday
	if wd < 0 {
		wd += 7
	}
	return int(wd), int(sec / 3600)
}

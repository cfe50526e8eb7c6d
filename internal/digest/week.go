package digest

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Week is an ISO 8601 week: its ISO year and number (1 to 52 or 53).
type Week struct {
	Year, Number int
}

var weekPattern = regexp.MustCompile(`^([0-9]{4})-W([0-9]{2})$`)

// ParseWeek reads "2026-W49". A week its year does not have (W00, W54,
// W53 of a 52-week year) is an error.
func ParseWeek(s string) (Week, error) {
	m := weekPattern.FindStringSubmatch(s)
	if m == nil {
		return Week{}, fmt.Errorf("week %q is not like 2026-W49", s)
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	if y < 1 || n < 1 || n > WeeksIn(y) {
		return Week{}, fmt.Errorf("%d has no week %d", y, n)
	}
	return Week{Year: y, Number: n}, nil
}

// WeeksIn is the number of ISO weeks of year: 52 or 53. December 28 is
// always in the year's last week.
func WeeksIn(year int) int {
	_, n := time.Date(year, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return n
}

// WeekOf is the ISO week of t in t's location.
func WeekOf(t time.Time) Week {
	y, n := t.ISOWeek()
	return Week{Year: y, Number: n}
}

// String writes the week as "2026-W49".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Number) }

// Monday is the week's Monday at hour:00 in loc. January 4 is always in
// week 1.
func (w Week) Monday(loc *time.Location, hour int) time.Time {
	jan4 := time.Date(w.Year, time.January, 4, 12, 0, 0, 0, time.UTC)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	d := jan4.AddDate(0, 0, -offset+7*(w.Number-1))
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, loc)
}

// SendHour is the local hour on Monday from which a week's digest goes.
const SendHour = 8

// CatchUp is how long after Monday 08:00 local time a week's digest may
// still go out when no server ran at 08:00. A user who turns the digest
// on later in the week waits for the next Monday.
const CatchUp = 24 * time.Hour

// Due returns the week whose digest a user in loc is due at now: the
// user's current ISO week, from its Monday 08:00 local time until
// CatchUp later. ok is false outside that window.
func Due(now time.Time, loc *time.Location) (w Week, ok bool) {
	w = WeekOf(now.In(loc))
	from := w.Monday(loc, SendHour)
	return w, !now.Before(from) && now.Before(from.Add(CatchUp))
}

// Started reports whether the week has begun somewhere on Earth at now:
// its Monday 00:00 at UTC+14, the earliest zone.
func (w Week) Started(now time.Time) bool {
	return !now.Before(w.Monday(time.UTC, 0).Add(-14 * time.Hour))
}

package growth

import (
	"testing"
	"time"
)

// TestNextDate checks, every 7 minutes of 2026 in zones with DST changes
// (some at local midnight) and odd offsets, that the local date is the
// same from t up to nextDate(t) and that nextDate is never more than a
// day away.
func TestNextDate(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
		"Asia/Kolkata", "America/Havana", "Asia/Beirut", "America/Santiago", "Pacific/Chatham"} {
		tz, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for at := from; at.Year() == 2026; at = at.Add(7*time.Minute + 13*time.Second) {
			next := nextDate(at, tz)
			if !next.After(at) || next.Sub(at) > 25*time.Hour {
				t.Fatalf("%s: nextDate(%s) = %s", zone, at, next)
			}
			y, m, d := at.In(tz).Date()
			for _, probe := range []time.Time{next.Add(-time.Nanosecond), at.Add(next.Sub(at) / 2)} {
				if py, pm, pd := probe.In(tz).Date(); py != y || pm != m || pd != d {
					t.Fatalf("%s: the date changes at %s, before nextDate(%s) = %s", zone, probe.In(tz), at.In(tz), next.In(tz))
				}
			}
		}
	}
}

// TestValidUntil checks the events a report ends at, each on its own.
func TestValidUntil(t *testing.T) {
	now := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		now  time.Time
		tz   *time.Location
		h    horizon
		want time.Time
	}{
		{"nothing: the cap", now, time.UTC, horizon{}, now.Add(maxReuse)},
		{"a post enters", now, time.UTC, horizon{next: at(3 * time.Minute)}, now.Add(3 * time.Minute)},
		{"the oldest current post leaves", now, time.UTC, horizon{curFirst: at(-7*day + time.Minute)}, now.Add(time.Minute)},
		{"a previous post leaves", now, time.UTC, horizon{prevFirst: at(-14*day + 2*time.Minute)}, now.Add(2 * time.Minute)},
		{"a post leaves the last 7 days", now, time.UTC, horizon{weekFirst: at(-7*day + 4*time.Minute)}, now.Add(4 * time.Minute)},
		{"local midnight", time.Date(2026, 6, 10, 18, 25, 0, 0, time.UTC), kolkata, horizon{}, time.Date(2026, 6, 10, 18, 30, 0, 0, time.UTC)},
		{"a snapshot after now", now, time.UTC, horizon{snapAfter: at(5 * time.Minute)}, now.Add(5 * time.Minute)},
		{"the start passes the snapshot after it", now, time.UTC, horizon{snapAfter: at(-7*day + 6*time.Minute)}, now.Add(6 * time.Minute)},
		{"the start passes the midpoint", now, time.UTC, horizon{snapBefore: at(-7*day - 2*time.Minute), snapAfter: at(-7*day + 8*time.Minute)}, now.Add(3 * time.Minute)},
		// Past the midpoint the snapshot after is chosen: the report holds
		// until the start reaches it.
		{"the start past the midpoint", now, time.UTC, horizon{snapBefore: at(-7*day - 8*time.Minute), snapAfter: at(-7*day + 2*time.Minute)}, now.Add(2 * time.Minute)},
		// Exactly at the midpoint the one before wins a tie; an instant
		// later the one after: the report holds for no time at all.
		{"the start on the midpoint", now, time.UTC, horizon{snapBefore: at(-7*day - 5*time.Minute), snapAfter: at(-7*day + 5*time.Minute)}, now},
		{"no snapshot before the start", now, time.UTC, horizon{snapAfter: at(-7*day + 7*time.Minute)}, now.Add(7 * time.Minute)},
	} {
		if got := validUntil(tc.now, 7, tc.tz, tc.h); !got.Equal(tc.want) {
			t.Errorf("%s: validUntil = %s, want %s", tc.name, got, tc.want)
		}
	}
}

package digest_test

import (
	"testing"
	"time"

	"creatorgrowth/internal/digest"
)

func TestParseWeek(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2026-W49", true},
		{"2026-W01", true},
		{"2026-W53", true},  // 2026 starts on a Thursday: 53 weeks
		{"2025-W53", false}, // 2025 has 52
		{"2026-W54", false},
		{"2026-W00", false},
		{"2026-49", false},
		{"2026-w49", false},
		{"26-W49", false},
		{"2026-W4", false},
		{"", false},
		{"2026-W49 ", false},
	} {
		w, err := digest.ParseWeek(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseWeek(%q) = %v, %v; want ok %v", tc.in, w, err, tc.ok)
		}
		if err == nil && w.String() != tc.in {
			t.Errorf("ParseWeek(%q).String() = %q", tc.in, w.String())
		}
	}
}

func TestWeek_Monday(t *testing.T) {
	for _, tc := range []struct {
		week string
		want string // the Monday's date
	}{
		{"2026-W01", "2025-12-29"},
		{"2026-W49", "2026-11-30"},
		{"2026-W53", "2026-12-28"},
		{"2027-W01", "2027-01-04"},
		{"2020-W53", "2020-12-28"},
		{"2021-W01", "2021-01-04"},
	} {
		w, err := digest.ParseWeek(tc.week)
		if err != nil {
			t.Fatal(err)
		}
		m := w.Monday(time.UTC, 8)
		if got := m.Format("2006-01-02 15:04"); got != tc.want+" 08:00" {
			t.Errorf("%s Monday = %s, want %s 08:00", tc.week, got, tc.want)
		}
		if m.Weekday() != time.Monday || digest.WeekOf(m) != w {
			t.Errorf("%s: %s is not that week's Monday", tc.week, m)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The digest of a week is due from its Monday 08:00 in the user's zone,
// at the edges of the zones and of the year.
func TestDue_ZoneEdges(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		zone string
		now  string
		week string
		due  bool
	}{
		{"UTC", "2026-12-07T07:59:59Z", "2026-W50", false},
		{"UTC", "2026-12-07T08:00:00Z", "2026-W50", true},
		{"UTC", "2026-12-08T07:59:59Z", "2026-W50", true}, // catching up for a day
		{"UTC", "2026-12-08T08:00:00Z", "2026-W50", false},
		{"UTC", "2026-12-13T23:59:59Z", "2026-W50", false},
		// UTC+14: Monday 08:00 there is Sunday 18:00 UTC.
		{"Pacific/Kiritimati", "2026-12-06T17:59:00Z", "2026-W50", false},
		{"Pacific/Kiritimati", "2026-12-06T18:00:00Z", "2026-W50", true},
		// UTC-11: Monday 08:00 there is Monday 19:00 UTC; at 10:30 UTC it
		// is still Sunday there, in week 49, whose window has passed.
		{"Pacific/Pago_Pago", "2026-12-07T10:30:00Z", "2026-W49", false},
		{"Pacific/Pago_Pago", "2026-12-07T11:00:00Z", "2026-W50", false},
		{"Pacific/Pago_Pago", "2026-12-07T18:59:00Z", "2026-W50", false},
		{"Pacific/Pago_Pago", "2026-12-07T19:00:00Z", "2026-W50", true},
		// India's half-hour offset: 08:00 IST is 02:30 UTC.
		{"Asia/Kolkata", "2026-12-07T02:29:00Z", "2026-W50", false},
		{"Asia/Kolkata", "2026-12-07T02:30:00Z", "2026-W50", true},
		// Summer time: Berlin is UTC+2 on 2026-03-30, the Monday after
		// the change.
		{"Europe/Berlin", "2026-03-30T05:59:00Z", "2026-W14", false},
		{"Europe/Berlin", "2026-03-30T06:00:00Z", "2026-W14", true},
		// The year's edge: 2026 has a week 53, whose Monday is Dec 28.
		{"America/New_York", "2026-12-28T12:59:00Z", "2026-W53", false},
		{"America/New_York", "2026-12-28T13:00:00Z", "2026-W53", true},
		{"America/New_York", "2027-01-04T13:00:00Z", "2027-W01", true},
	} {
		w, due := digest.Due(utc(tc.now), mustZone(t, tc.zone))
		if tc.due && (w.String() != tc.week || !due) {
			t.Errorf("%s at %s: due %s %v, want %s due", tc.zone, tc.now, w, due, tc.week)
		}
		if !tc.due && due && w.String() == tc.week {
			t.Errorf("%s at %s: %s due, want not yet", tc.zone, tc.now, w)
		}
	}
}

func TestWeek_Started(t *testing.T) {
	w, _ := digest.ParseWeek("2026-W50") // Monday 2026-12-07
	for _, tc := range []struct {
		now  string
		want bool
	}{
		{"2026-12-06T09:59:59Z", false}, // Monday 00:00 at UTC+14 is Sunday 10:00 UTC
		{"2026-12-06T10:00:00Z", true},
		{"2026-12-20T00:00:00Z", true},
	} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		if got := w.Started(now); got != tc.want {
			t.Errorf("2026-W50 started at %s = %v, want %v", tc.now, got, tc.want)
		}
	}
}

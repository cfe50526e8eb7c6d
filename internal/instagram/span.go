package instagram

import (
	"time"
)

// MaxInsightsSpan is the longest since–until window account insights accept
// (2,592,000 s); a longer one fails with code 100.
const MaxInsightsSpan = 30 * 24 * time.Hour

// pacific is the zone of Instagram's account-insights days and online_followers
// hours. The embedded tzdata package is not needed: the zone is in every tzdata
// the binary runs with, and UTC-8 without DST is the fallback.
var pacific = loadPacific()

func loadPacific() *time.Location {
	if loc, err := time.LoadLocation("America/Los_Angeles"); err == nil {
		return loc
	}
	return time.FixedZone("PST", -8*60*60)
}

// Pacific returns America/Los_Angeles, the zone of account-insights days.
func Pacific() *time.Location { return pacific }

// Span is a window [Since, Until) of account insights.
type Span struct {
	Since, Until time.Time
}

// SplitSpan cuts [since, until) into consecutive spans of at most
// MaxInsightsSpan each, in order; empty when until is not after since.
func SplitSpan(since, until time.Time) []Span {
	var out []Span
	for since.Before(until) {
		end := since.Add(MaxInsightsSpan)
		if end.After(until) {
			end = until
		}
		out = append(out, Span{Since: since, Until: end})
		since = end
	}
	return out
}

// PacificMidnight returns the start (00:00 America/Los_Angeles) of the Pacific
// date of t.
func PacificMidnight(t time.Time) time.Time {
	p := t.In(pacific)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, pacific)
}

// PacificDays returns one Span per Pacific date from the date of since to the
// date before until's (whole days, each from a Pacific midnight to the next;
// 23 or 25 hours long on DST changes). Use it for daily total_value readings
// (views, follows_and_unfollows), one call per day.
func PacificDays(since, until time.Time) []Span {
	var out []Span
	end := PacificMidnight(until)
	for d := PacificMidnight(since); d.Before(end); {
		next := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, pacific)
		out = append(out, Span{Since: d, Until: next})
		d = next
	}
	return out
}

// pacificDate is the Pacific date (YYYY-MM-DD) a value with end_time covers:
// the date that ends at end_time.
func pacificDate(end time.Time) string {
	return end.In(pacific).Add(-time.Second).Format(time.DateOnly)
}

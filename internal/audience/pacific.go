package audience

import (
	"fmt"
	"time"
)

// Pacific is the zone of Instagram's account days and online hours.
const Pacific = "America/Los_Angeles"

// PacificDate returns the US Pacific date (YYYY-MM-DD) that a value of
// Instagram's ending at endTime covers: the date that ends there.
func PacificDate(endTime time.Time, pacific *time.Location) string {
	return endTime.Add(-time.Nanosecond).In(pacific).Format(time.DateOnly)
}

// pacificHour returns the instant of the wall-clock hour h:00 of date in
// pacific. On the date clocks spring forward, an hour that does not exist
// (2:00) is read at the offset in force before the change, so 2:00 PST
// is 3:00 PDT; on the date they fall back, an hour that happens twice
// (1:00) is its first instance (PDT).
func pacificHour(date time.Time, h int, pacific *time.Location) time.Time {
	y, m, d := date.Date()
	t := time.Date(y, m, d, h, 0, 0, 0, pacific)
	if t.Hour() == h {
		return t
	}
	// Go resolves a missing wall-clock time to the offset after the gap
	// (2:00 reads as 1:00 PST); t's offset is then the one before it.
	_, offset := t.Zone()
	return time.Date(y, m, d, h, 0, 0, 0, time.UTC).Add(-time.Duration(offset) * time.Second)
}

// pacificMidnight returns the start of date in pacific. Midnight is never
// skipped or repeated there (the clocks change at 2:00).
func pacificMidnight(date string, pacific *time.Location) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return time.Time{}, fmt.Errorf("audience: date %q: %w", date, err)
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, pacific), nil
}

// Sample is one online_followers value: the followers online in the
// Pacific wall-clock hour Hour (0–23) of the Pacific date Date.
type Sample struct {
	Date  string // YYYY-MM-DD
	Hour  int
	Count int64
}

// Heatmap returns the 7 × 24 grid of the samples in tz: row weekday
// (0 = Sunday), column hour, each cell the mean of the counts whose
// Pacific hour falls in it, rounded to 1 decimal (half up),
// nil when none does. A sample with a bad date or hour is an error.
func Heatmap(samples []Sample, tz, pacific *time.Location) (*[7][24]*float64, error) {
	var sum, n [7][24]int64
	for _, s := range samples {
		d, err := time.Parse(time.DateOnly, s.Date)
		if err != nil || s.Hour < 0 || s.Hour > 23 || s.Count < 0 {
			return nil, fmt.Errorf("audience: online followers sample %q hour %d count %d: %v", s.Date, s.Hour, s.Count, err)
		}
		local := pacificHour(d, s.Hour, pacific).In(tz)
		w, h := int(local.Weekday()), local.Hour()
		sum[w][h] += s.Count
		n[w][h]++
	}
	var out [7][24]*float64
	for w := range out {
		for h := range out[w] {
			if n[w][h] > 0 {
				// Counts are not negative: tenths rounded half up, exactly.
				tenths := (20*sum[w][h] + n[w][h]) / (2 * n[w][h])
				v := float64(tenths) / 10
				out[w][h] = &v
			}
		}
	}
	return &out, nil
}

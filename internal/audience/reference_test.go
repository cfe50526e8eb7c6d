package audience_test

import (
	"math/big"
	"time"
)

// This file computes audience figures the slow, obvious way, to check the
// service against: dates by walking the calendar, Pacific hours by
// searching every UTC hour for the wall clock, means with exact
// fractions.

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var pacific = mustZone("America/Los_Angeles")

// refPacificHour finds the instant whose wall clock in Los Angeles reads
// date h:00 by trying every whole UTC hour around the date; when the hour
// does not exist (spring forward), the first instant after it is taken
// (h:00 at the old offset); when it exists twice, the first.
func refPacificHour(date string, h int) time.Time {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	want := d.Add(time.Duration(h) * time.Hour) // the wall clock, as UTC fields
	var after time.Time
	for t := d.Add(-24 * time.Hour); t.Before(d.Add(48 * time.Hour)); t = t.Add(time.Hour) {
		l := t.In(pacific)
		wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
		if wall.Equal(want) {
			return t
		}
		if after.IsZero() && wall.After(want) {
			after = t
		}
	}
	return after
}

// refDates returns the Pacific dates from first to last, inclusive.
func refDates(first, last string) []string {
	a, _ := time.Parse(time.DateOnly, first)
	b, _ := time.Parse(time.DateOnly, last)
	var out []string
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// refMean is the mean of counts rounded half up to 1 decimal, from exact
// fractions.
func refMean(counts []int64) float64 {
	sum := new(big.Rat)
	for _, c := range counts {
		sum.Add(sum, new(big.Rat).SetInt64(c))
	}
	mean := new(big.Rat).Quo(sum, new(big.Rat).SetInt64(int64(len(counts))))
	tenths := new(big.Rat).Mul(mean, big.NewRat(10, 1))
	tenths.Add(tenths, big.NewRat(1, 2))
	q := new(big.Int).Quo(tenths.Num(), tenths.Denom()) // floor, as it is positive
	f, _ := new(big.Rat).SetFrac(q, big.NewInt(10)).Float64()
	return f
}

// refSample is a stored online_followers row.
type refSample struct {
	date  string
	hour  int
	count int64
}

// refHeatmap is the grid of the samples in tz.
func refHeatmap(samples []refSample, tz *time.Location) [7][24]*float64 {
	var cells [7][24][]int64
	for _, s := range samples {
		l := refPacificHour(s.date, s.hour).In(tz)
		cells[l.Weekday()][l.Hour()] = append(cells[l.Weekday()][l.Hour()], s.count)
	}
	var out [7][24]*float64
	for w := range cells {
		for h := range cells[w] {
			if len(cells[w][h]) > 0 {
				v := refMean(cells[w][h])
				out[w][h] = &v
			}
		}
	}
	return out
}

// refDay is the reference's daily entry.
type refDay struct {
	Date                                 string
	Followers, Gained, Lost, Reach, View *int64
}

// refSnapshot is a stored follower snapshot.
type refSnapshot struct {
	takenAt   time.Time
	followers int64
}

// refFigures are a stored daily row.
type refFigures struct {
	reach, views, gained, lost *int64
}

// refDaily builds the daily entries of the window of period days ending
// at now from the stored rows: every Pacific date of the window, in
// order, with what is known of it, dates without anything left out.
func refDaily(rows map[string]refFigures, snaps []refSnapshot, period int, now time.Time) []refDay {
	first := now.Add(-time.Duration(period) * 24 * time.Hour).In(pacific).Format(time.DateOnly)
	last := now.In(pacific).Format(time.DateOnly)
	var out []refDay
	for _, date := range refDates(first, last) {
		d := refDay{Date: date}
		var lastAt time.Time
		for _, s := range snaps {
			if s.takenAt.In(pacific).Format(time.DateOnly) == date && !s.takenAt.Before(lastAt) {
				v := s.followers
				d.Followers, lastAt = &v, s.takenAt
			}
		}
		f := rows[date]
		d.Reach, d.View, d.Gained, d.Lost = f.reach, f.views, f.gained, f.lost
		if d.Followers != nil || d.Reach != nil || d.View != nil || d.Gained != nil || d.Lost != nil {
			out = append(out, d)
		}
	}
	return out
}

// refSum adds up the known values, nil when none is.
func refSum(vs []*int64) *int64 {
	var total *int64
	for _, v := range vs {
		if v != nil {
			if total == nil {
				total = new(int64)
			}
			*total += *v
		}
	}
	return total
}

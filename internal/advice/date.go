package advice

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("advice: parse date: %w", err)
	}
	return DateOf(t), nil
}

// String writes the date as YYYY-MM-DD.
func (d Date) String() string {
	return d.midnight().Format(time.DateOnly)
}

// MarshalText writes the date as YYYY-MM-DD (so JSON gets "2026-12-02").
func (d Date) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText reads a date written YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(d.midnight().AddDate(0, 0, n))
}

// DaysSince returns the number of days from e to d: positive when d is later.
func (d Date) DaysSince(e Date) int {
	return int(d.dayNumber() - e.dayNumber())
}

// midnight is the date's start in UTC, where every day has 24 hours.
func (d Date) midnight() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// dayNumber counts days since 1970-01-01.
func (d Date) dayNumber() int64 {
	return d.midnight().Unix() / 86400
}

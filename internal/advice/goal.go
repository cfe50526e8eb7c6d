package advice

import "math"

// SlopeDays is the number of dates, up to today, whose totals give a
// goal's current_per_day.
const SlopeDays = 28

// GoalInput is what a goal's figures are computed from. Dates are calendar
// dates in the user's time zone.
type GoalInput struct {
	Target   int64        // the goal's target value
	Deadline Date         // the goal's deadline
	Start    int64        // the value when the goal was created
	Current  int64        // the value now
	Today    Date         // today in the user's time zone
	Daily    []DailyValue // daily totals, any order; a date given twice keeps its later entry
}

// GoalFigures are the computed fields of the contract's goal object.
type GoalFigures struct {
	Progress       float64  `json:"progress"`
	RequiredPerDay float64  `json:"required_per_day"`
	CurrentPerDay  *float64 `json:"current_per_day"`
	ETA            *Date    `json:"eta"`
	OnTrack        *bool    `json:"on_track"`
}

// maxETA is the last date an ETA may be; a later one is reported as nil.
var maxETA = Date{Year: 9999, Month: 12, Day: 31}

// Goal computes a goal's figures by the contract's formulas:
//
//   - progress = (current − start) / (target − start), 2 decimals, not
//     clamped (below 0 after a loss, above 1 past the target); when
//     target = start it is 1 if current ≥ target, else 0.
//   - required_per_day = (target − current) / (days from today to the
//     deadline), 1 decimal; a deadline today or past counts as 1 day.
//   - current_per_day = the least-squares slope, per day, of the daily
//     totals dated from today − 27 to today (28 dates), 1 decimal; nil
//     under 2 such dates.
//   - eta = today + ⌈(target − current) / current_per_day⌉ days, with
//     current_per_day as reported (1 decimal); nil when it is nil or not
//     above 0, or when the date would pass 9999-12-31.
//   - on_track = current_per_day ≥ required_per_day, both as reported;
//     nil when current_per_day is nil.
//
// A reached target (current ≥ target) is done, not late: required_per_day
// is 0, eta is today and on_track is true, whatever the slope (the
// contract's rules assume a target above the current value).
func Goal(in GoalInput) GoalFigures {
	var f GoalFigures
	if in.Target == in.Start {
		if in.Current >= in.Target {
			f.Progress = 1
		}
	} else {
		f.Progress = round(float64(in.Current-in.Start)/float64(in.Target-in.Start), 2)
	}
	f.CurrentPerDay = recentSlope(in.Daily, in.Today)

	if in.Current >= in.Target {
		today, yes := in.Today, true
		f.ETA, f.OnTrack = &today, &yes
		return f
	}
	remaining := float64(in.Target - in.Current)
	days := max(in.Deadline.DaysSince(in.Today), 1)
	f.RequiredPerDay = round(remaining/float64(days), 1)
	if f.CurrentPerDay == nil {
		return f
	}
	cpd := *f.CurrentPerDay
	onTrack := cpd >= f.RequiredPerDay
	f.OnTrack = &onTrack
	if cpd > 0 {
		n := math.Ceil(remaining / cpd)
		if n <= float64(maxETA.DaysSince(in.Today)) {
			eta := in.Today.AddDays(int(n))
			f.ETA = &eta
		}
	}
	return f
}

// recentSlope is the least-squares slope of the totals dated within the
// SlopeDays dates ending today, 1 decimal; nil under 2 dates.
func recentSlope(daily []DailyValue, today Date) *float64 {
	byDate := make(map[int]float64, SlopeDays)
	for _, d := range daily {
		if age := today.DaysSince(d.Date); age >= 0 && age < SlopeDays {
			byDate[-age] = float64(d.Value)
		}
	}
	if len(byDate) < 2 {
		return nil
	}
	var sx, sy float64
	for x, y := range byDate {
		sx += float64(x)
		sy += y
	}
	n := float64(len(byDate))
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for x, y := range byDate {
		dx := float64(x) - mx
		sxy += dx * (y - my)
		sxx += dx * dx
	}
	s := round(sxy/sxx, 1)
	return &s
}

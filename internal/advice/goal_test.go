package advice

import (
	"encoding/json"
	"testing"
)

func ptrF(v float64) *float64 { return &v }
func ptrD(d Date) *Date       { return &d }
func ptrB(b bool) *bool       { return &b }

// linear is one total a day ending today, growing by step.
func linear(today Date, days int, last, step int64) []DailyValue {
	h := make([]DailyValue, days)
	for i := range h {
		h[i] = DailyValue{Date: today.AddDays(i - days + 1), Value: last - step*int64(days-1-i)}
	}
	return h
}

func TestGoal(t *testing.T) {
	today := Date{2026, 12, 1}
	cases := []struct {
		name string
		in   GoalInput
		want GoalFigures
	}{
		{
			// progress (1234 − 1000) / (10000 − 1000) = 0.026 → 0.03;
			// required (10000 − 1234) / 90 days = 97.4; slope 28;
			// eta today + ⌈8766 / 28⌉ = 314 days.
			name: "on the way, behind",
			in:   GoalInput{Target: 10000, Deadline: Date{2027, 3, 1}, Start: 1000, Current: 1234, Today: today, Daily: linear(today, 28, 1234, 28)},
			want: GoalFigures{Progress: 0.03, RequiredPerDay: 97.4, CurrentPerDay: ptrF(28), ETA: ptrD(today.AddDays(314)), OnTrack: ptrB(false)},
		},
		{
			// required 100 / 10 = 10.0; slope 10 → on track; eta ⌈100/10⌉ = 10.
			name: "exactly on track",
			in:   GoalInput{Target: 1100, Deadline: today.AddDays(10), Start: 900, Current: 1000, Today: today, Daily: linear(today, 5, 1000, 10)},
			want: GoalFigures{Progress: 0.5, RequiredPerDay: 10, CurrentPerDay: ptrF(10), ETA: ptrD(today.AddDays(10)), OnTrack: ptrB(true)},
		},
		{
			name: "one date: no slope",
			in:   GoalInput{Target: 2000, Deadline: today.AddDays(3), Start: 1000, Current: 1000, Today: today, Daily: linear(today, 1, 1000, 0)},
			want: GoalFigures{Progress: 0, RequiredPerDay: 333.3},
		},
		{
			name: "losing followers: no eta",
			in:   GoalInput{Target: 2000, Deadline: today.AddDays(100), Start: 1000, Current: 900, Today: today, Daily: linear(today, 10, 900, -3)},
			want: GoalFigures{Progress: -0.1, RequiredPerDay: 11, CurrentPerDay: ptrF(-3), OnTrack: ptrB(false)},
		},
		{
			name: "flat: slope 0, no eta",
			in:   GoalInput{Target: 2000, Deadline: today.AddDays(100), Start: 1000, Current: 1500, Today: today, Daily: linear(today, 28, 1500, 0)},
			want: GoalFigures{Progress: 0.5, RequiredPerDay: 5, CurrentPerDay: ptrF(0), OnTrack: ptrB(false)},
		},
		{
			// Only the 28 dates from today − 27 count: older growth of 100 a
			// day and a date after today are left out; the slope is 2.
			name: "28-day window",
			in: GoalInput{Target: 5000, Deadline: today.AddDays(30), Start: 0, Current: 1000, Today: today,
				Daily: append(append(linear(today.AddDays(-28), 30, 900, 100), linear(today, 28, 1000, 2)...), DailyValue{today.AddDays(1), 99999})},
			want: GoalFigures{Progress: 0.2, RequiredPerDay: 133.3, CurrentPerDay: ptrF(2), ETA: ptrD(today.AddDays(2000)), OnTrack: ptrB(false)},
		},
		{
			// Two dates, gappy: (1060 − 1000) / 20 days = 3.
			name: "two dates far apart",
			in: GoalInput{Target: 1090, Deadline: today.AddDays(5), Start: 1000, Current: 1060, Today: today,
				Daily: []DailyValue{{today.AddDays(-20), 1000}, {today, 1060}}},
			want: GoalFigures{Progress: 0.67, RequiredPerDay: 6, CurrentPerDay: ptrF(3), ETA: ptrD(today.AddDays(10)), OnTrack: ptrB(false)},
		},
		{
			// The eta uses the reported 1-decimal slope: 0.04 → 0.0 → none.
			name: "slope rounds to 0",
			in: GoalInput{Target: 2000, Deadline: today.AddDays(50), Start: 1000, Current: 1001, Today: today,
				Daily: []DailyValue{{today.AddDays(-25), 1000}, {today, 1001}}},
			want: GoalFigures{Progress: 0, RequiredPerDay: 20, CurrentPerDay: ptrF(0), OnTrack: ptrB(false)},
		},
		{
			name: "reached: done today",
			in:   GoalInput{Target: 1000, Deadline: today.AddDays(50), Start: 800, Current: 1100, Today: today, Daily: linear(today, 10, 1100, -5)},
			want: GoalFigures{Progress: 1.5, RequiredPerDay: 0, CurrentPerDay: ptrF(-5), ETA: ptrD(today), OnTrack: ptrB(true)},
		},
		{
			name: "reached exactly, no history",
			in:   GoalInput{Target: 1000, Deadline: today.AddDays(50), Start: 800, Current: 1000, Today: today},
			want: GoalFigures{Progress: 1, ETA: ptrD(today), OnTrack: ptrB(true)},
		},
		{
			name: "target equals start, not reached",
			in:   GoalInput{Target: 1000, Deadline: today.AddDays(4), Start: 1000, Current: 990, Today: today},
			want: GoalFigures{Progress: 0, RequiredPerDay: 2.5},
		},
		{
			// Deadline today or past counts as one day left.
			name: "deadline passed",
			in:   GoalInput{Target: 1000, Deadline: today.AddDays(-3), Start: 500, Current: 900, Today: today, Daily: linear(today, 3, 900, 1)},
			want: GoalFigures{Progress: 0.8, RequiredPerDay: 100, CurrentPerDay: ptrF(1), ETA: ptrD(today.AddDays(100)), OnTrack: ptrB(false)},
		},
		{
			name: "eta beyond year 9999",
			in: GoalInput{Target: 1 << 60, Deadline: today.AddDays(10), Start: 0, Current: 10, Today: today,
				Daily: []DailyValue{{today.AddDays(-10), 9}, {today, 10}}},
			want: GoalFigures{Progress: 0, RequiredPerDay: float64(int64(1<<60)-10) / 10, CurrentPerDay: ptrF(0.1), OnTrack: ptrB(false)},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Goal(c.in)
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(c.want)
			if string(gj) != string(wj) {
				t.Errorf("Goal = %s\n want %s", gj, wj)
			}
		})
	}
}

func TestGoal_JSON(t *testing.T) {
	today := Date{2026, 12, 1}
	got, _ := json.Marshal(Goal(GoalInput{Target: 1100, Deadline: today.AddDays(10), Start: 900, Current: 1000, Today: today, Daily: linear(today, 5, 1000, 10)}))
	want := `{"progress":0.5,"required_per_day":10,"current_per_day":10,"eta":"2026-12-11","on_track":true}`
	if string(got) != want {
		t.Errorf("json = %s, want %s", got, want)
	}
	got, _ = json.Marshal(Goal(GoalInput{Target: 1100, Deadline: today.AddDays(10), Start: 900, Current: 1000, Today: today}))
	want = `{"progress":0.5,"required_per_day":10,"current_per_day":null,"eta":null,"on_track":null}`
	if string(got) != want {
		t.Errorf("json = %s, want %s", got, want)
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2024-02-28")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(366).DaysSince(d); got != 366 {
		t.Errorf("DaysSince = %d", got)
	}
	if got := (Date{1969, 12, 31}).DaysSince(Date{1970, 1, 1}); got != -1 {
		t.Errorf("DaysSince across the epoch = %d", got)
	}
	var u Date
	if err := json.Unmarshal([]byte(`"2027-03-01"`), &u); err != nil || u != (Date{2027, 3, 1}) {
		t.Errorf("unmarshal = %v, %v", u, err)
	}
	if _, err := ParseDate("2027-02-30"); err == nil {
		t.Error("2027-02-30 parsed")
	}
}

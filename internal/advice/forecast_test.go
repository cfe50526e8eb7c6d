package advice

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// series is a daily history from start, one value a day.
func series(start Date, values ...int64) []DailyValue {
	h := make([]DailyValue, len(values))
	for i, v := range values {
		h[i] = DailyValue{Date: start.AddDays(i), Value: v}
	}
	return h
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestHolt_HandComputed(t *testing.T) {
	y := []float64{10, 12, 13, 15, 16}
	p := holtParams{alpha: 0.5, beta: 0.3, phi: 0.9}

	// Start at day 1: l = 12, b = 12 − 10 = 2.
	// Day 2: forecast 12 + 0.9·2 = 13.8, error 13 − 13.8 = −0.8.
	l2 := 0.5*13 + 0.5*(12+0.9*2)      // 13.4
	b2 := 0.3*(l2-12) + 0.7*0.9*2      // 1.68
	e3 := 15 - (l2 + 0.9*b2)           // 15 − 14.912
	l3 := 0.5*15 + 0.5*(l2+0.9*b2)     // 14.956
	b3 := 0.3*(l3-l2) + 0.7*0.9*b2     // 1.5252
	e4 := 16 - (l3 + 0.9*b3)           // 16 − 16.32868
	l4 := 0.5*16 + 0.5*(l3+0.9*b3)     // 16.16434
	b4 := 0.3*(l4-l3) + 0.7*0.9*b3     // 1.323378
	wantSSE := 0.8*0.8 + e3*e3 + e4*e4 // 0.64 + 0.007744 + 0.1080305…

	if got := holtSSE(y, p); !near(got, wantSSE, 1e-12) {
		t.Errorf("sse = %v, want %v", got, wantSSE)
	}
	if !near(l2, 13.4, 1e-12) || !near(b3, 1.5252, 1e-12) || !near(l4, 16.16434, 1e-12) || !near(b4, 1.323378, 1e-12) {
		t.Fatalf("hand arithmetic off: l2=%v b3=%v l4=%v b4=%v", l2, b3, l4, b4)
	}
	l, b := holtState(y, p)
	if !near(l, l4, 1e-12) || !near(b, b4, 1e-12) {
		t.Errorf("state = %v, %v, want %v, %v", l, b, l4, b4)
	}

	// Points with σ = 2: h = 1 is l + 0.9·b ± z·2; h = 2 is l + (0.9 + 0.81)·b
	// ± z·2·√(1 + c₁²) with c₁ = 0.5·(1 + 0.3·0.9) = 0.635; h = 3 adds
	// c₂ = 0.5·(1 + 0.3·(0.9 + 0.81)) = 0.7565.
	last := Date{2026, 11, 30}
	pts := project(last, l, b, p, 2, 3)
	v1, v2, v3 := l4+0.9*b4, l4+1.71*b4, l4+2.439*b4
	h1, h2, h3 := z80*2, z80*2*math.Sqrt(1+0.635*0.635), z80*2*math.Sqrt(1+0.635*0.635+0.7565*0.7565)
	want := []ForecastPoint{
		{Date{2026, 12, 1}, round(v1, 1), round(v1, 1) - math.Ceil(h1*10)/10, round(v1, 1) + math.Ceil(h1*10)/10},
		{Date{2026, 12, 2}, round(v2, 1), round(v2, 1) - math.Ceil(h2*10)/10, round(v2, 1) + math.Ceil(h2*10)/10},
		{Date{2026, 12, 3}, round(v3, 1), round(v3, 1) - math.Ceil(h3*10)/10, round(v3, 1) + math.Ceil(h3*10)/10},
	}
	// 17.355..., 18.427..., 19.392...; half-widths 2.57→2.6, 3.04→3.1, 3.60→3.7.
	for i := range want {
		g, w := pts[i], want[i]
		if g.Date != w.Date || !near(g.Value, w.Value, 1e-9) || !near(g.Low, w.Low, 1e-9) || !near(g.High, w.High, 1e-9) {
			t.Errorf("point %d = %+v, want %+v", i+1, g, w)
		}
	}
	if pts[0].Value != 17.4 || pts[0].Low != 14.8 || pts[0].High != 20 {
		t.Errorf("point 1 = %+v, want 17.4 [14.8, 20]", pts[0])
	}
}

func TestForecast_HandComputedLinear(t *testing.T) {
	// 100, 103, …, 139 over 14 days: φ = 1 fits with no error at the first
	// grid point (α = 0.1, β = 0.01), l = 139, b = 3, σ = the 0.5 floor.
	h := make([]DailyValue, 14)
	for i := range h {
		h[i] = DailyValue{Date: Date{2026, 11, 1}.AddDays(i), Value: int64(100 + 3*i)}
	}
	p, sse, m := fitHolt(func() []float64 {
		y, _ := dailySeries(h)
		return y
	}())
	if p != (holtParams{0.1, 0.01, 1}) || sse > 1e-18 || m != 12 {
		t.Fatalf("fit = %+v sse %v m %d, want {0.1 0.01 1}, 0, 12", p, sse, m)
	}
	res, err := Forecast(h, 7)
	if err != nil {
		t.Fatal(err)
	}
	// h = 1: 142 ± 1.2816·0.5 = 0.64 → 0.7. h = 2: c₁ = 0.1·(1 + 0.01) = 0.101,
	// half = 0.6408·√1.010201 = 0.6441 → 0.7. h = 7: Σ c_j² for j = 1…6 with
	// c_j = 0.1·(1 + 0.01·j) is 0.0637 → half = 0.6408·√1.0637 = 0.661 → 0.7.
	want := ForecastPoint{Date{2026, 11, 15}, 142, 141.3, 142.7}
	if res.Points[0] != want {
		t.Errorf("point 1 = %+v, want %+v", res.Points[0], want)
	}
	if got := res.Points[6]; got.Value != 160 || got.Low != 159.3 || got.High != 160.7 || got.Date != (Date{2026, 11, 21}) {
		t.Errorf("point 7 = %+v, want 2026-11-21 160 [159.3, 160.7]", got)
	}
	if res.Status != StatusOK || res.HistoryDays != 14 || len(res.Points) != 7 {
		t.Errorf("result = %+v", res)
	}
}

func TestForecast_LinearContinued(t *testing.T) {
	cases := []struct {
		name     string
		days     int
		start    int64
		step     int64
		gapEvery int // leave out every gapEvery-th date (0: none)
		horizon  int
	}{
		{"growing", 14, 1000, 25, 0, 90},
		{"slow", 60, 50, 1, 0, 90},
		{"shrinking", 30, 100000, -120, 0, 30},
		{"large", 400, 3_000_000, 4_000, 0, 90},
		{"gappy", 40, 500, 7, 3, 60},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h []DailyValue
			first := Date{2026, 1, 1}
			for i := range c.days {
				if c.gapEvery > 0 && i%c.gapEvery == 1 {
					continue
				}
				h = append(h, DailyValue{first.AddDays(i), c.start + c.step*int64(i)})
			}
			res, err := Forecast(h, c.horizon)
			if err != nil || res.Status != StatusOK || len(res.Points) != c.horizon {
				t.Fatalf("Forecast = %+v, %v", res, err)
			}
			for k, p := range res.Points {
				day := c.days - 1 + k + 1
				want := float64(c.start + c.step*int64(day))
				if math.Abs(p.Value-want) > 0.01*math.Abs(want) {
					t.Errorf("h=%d: %v, want %v within 1%%", k+1, p.Value, want)
				}
				if p.Date != first.AddDays(day) {
					t.Errorf("h=%d: date %v, want %v", k+1, p.Date, first.AddDays(day))
				}
			}
		})
	}
}

// checkIntervals requires low ≤ value ≤ high, finite numbers and widths
// that never decrease.
func checkIntervals(t *testing.T, pts []ForecastPoint) {
	t.Helper()
	prev := -1.0
	for i, p := range pts {
		for _, x := range []float64{p.Value, p.Low, p.High} {
			if !finite(x) {
				t.Fatalf("point %d not finite: %+v", i+1, p)
			}
		}
		if !(p.Low <= p.Value && p.Value <= p.High) {
			t.Errorf("point %d: low ≤ value ≤ high fails: %+v", i+1, p)
		}
		w := p.High - p.Low
		if w < prev-1e-9 {
			t.Errorf("point %d: width %v narrower than %v before", i+1, w, prev)
		}
		prev = w
	}
}

func TestForecast_Flat(t *testing.T) {
	res, err := Forecast(series(Date{2026, 10, 1}, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500), 90)
	if err != nil || res.Status != StatusOK {
		t.Fatalf("Forecast = %+v, %v", res, err)
	}
	checkIntervals(t, res.Points)
	for _, p := range res.Points {
		if p.Value != 500 {
			t.Fatalf("flat history continued at %v, want 500", p.Value)
		}
	}
	// The 0.5 floor gives a half-width of 0.64 → 0.7 at h = 1.
	if first := res.Points[0]; first.Low != 499.3 || first.High != 500.7 {
		t.Errorf("first point = %+v, want [499.3, 500.7]", first)
	}
}

func TestForecast_NoisyProperty(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 77))
		n := 14 + rng.IntN(700)
		v := float64(rng.IntN(100000))
		drift := rng.NormFloat64() * 20
		noise := math.Abs(rng.NormFloat64()) * 50
		var h []DailyValue
		for i := range n {
			v += drift + rng.NormFloat64()*noise
			if rng.IntN(5) == 0 && i > 0 && i < n-1 {
				continue // a missing date
			}
			h = append(h, DailyValue{Date{2025, 1, 1}.AddDays(i), int64(v)})
		}
		rng.Shuffle(len(h), func(i, j int) { h[i], h[j] = h[j], h[i] })
		horizon := MinHorizon + rng.IntN(MaxHorizon-MinHorizon+1)
		res, err := Forecast(h, horizon)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) < MinForecastDays {
			if res.Status != StatusInsufficientData {
				t.Errorf("seed %d: %d dates gave %s", seed, len(h), res.Status)
			}
			continue
		}
		if res.Status != StatusOK || res.HistoryDays != len(h) || len(res.Points) != horizon {
			t.Fatalf("seed %d: %+v", seed, res)
		}
		checkIntervals(t, res.Points)
		b, err := json.Marshal(res)
		if err != nil || strings.Contains(string(b), "NaN") {
			t.Fatalf("seed %d: json %v", seed, err)
		}
	}
}

func TestForecast_InsufficientData(t *testing.T) {
	values := make([]int64, 14)
	for i := range values {
		values[i] = int64(10 * i)
	}
	cases := []struct {
		name    string
		history []DailyValue
		status  string
		days    int
	}{
		{"none", nil, StatusInsufficientData, 0},
		{"13 dates", series(Date{2026, 1, 1}, values[:13]...), StatusInsufficientData, 13},
		{"14 dates", series(Date{2026, 1, 1}, values...), StatusOK, 14},
		{"13 dates over 20 days", append(series(Date{2026, 1, 1}, values[:6]...), series(Date{2026, 1, 14}, values[:7]...)...), StatusInsufficientData, 13},
		{"14 entries, 13 dates", append(series(Date{2026, 1, 1}, values[:13]...), DailyValue{Date{2026, 1, 13}, 5}), StatusInsufficientData, 13},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Forecast(c.history, 30)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != c.status || res.HistoryDays != c.days {
				t.Errorf("status %s, history_days %d; want %s, %d", res.Status, res.HistoryDays, c.status, c.days)
			}
			if c.status == StatusInsufficientData && (res.Points == nil || len(res.Points) != 0) {
				t.Errorf("points = %#v, want empty", res.Points)
			}
		})
	}
}

func TestForecast_Horizon(t *testing.T) {
	h := series(Date{2026, 1, 1}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14)
	for _, c := range []struct {
		horizon int
		ok      bool
	}{{6, false}, {7, true}, {90, true}, {91, false}, {0, false}} {
		res, err := Forecast(h, c.horizon)
		if c.ok != (err == nil) || !c.ok && !errors.Is(err, ErrHorizon) {
			t.Errorf("horizon %d: err %v", c.horizon, err)
		}
		if c.ok && len(res.Points) != c.horizon {
			t.Errorf("horizon %d: %d points", c.horizon, len(res.Points))
		}
	}
}

func TestForecast_DuplicateDateKeepsLater(t *testing.T) {
	h := series(Date{2026, 1, 1}, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26)
	h = append(h, DailyValue{Date{2026, 1, 14}, 9999}) // later entry for the last date
	h = append(h, DailyValue{Date{2026, 1, 14}, 28})
	res, err := Forecast(h, 7)
	if err != nil {
		t.Fatal(err)
	}
	// The series is 0, 2, …, 24, 28 on the last date.
	if res.HistoryDays != 14 || res.Points[0].Value < 28 || res.Points[0].Value > 32 {
		t.Errorf("history_days %d, first point %+v", res.HistoryDays, res.Points[0])
	}
}

func TestForecast_LongGap(t *testing.T) {
	// 13 dates in 2001 and one today, 25 years later: interpolated, fitted
	// on the last 730 days only, continued along the line.
	h := series(Date{2001, 1, 1}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	last := Date{2026, 1, 1}
	span := last.DaysSince(Date{2001, 1, 13})
	h = append(h, DailyValue{last, int64(12 + span)})
	res, err := Forecast(h, 7)
	if err != nil || res.Status != StatusOK || res.HistoryDays != 14 {
		t.Fatalf("Forecast = %+v, %v", res, err)
	}
	if p := res.Points[0]; p.Date != last.AddDays(1) || math.Abs(p.Value-float64(13+span)) > 0.01*float64(13+span) {
		t.Errorf("first point %+v, want %v on %v", p, 13+span, last.AddDays(1))
	}
	checkIntervals(t, res.Points)
}

func TestForecast_JSON(t *testing.T) {
	res, err := Forecast(series(Date{2026, 12, 1}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	got := string(b)
	want := `{"metric":"followers","method":"damped_holt","status":"ok","history_days":14,"points":[{"date":"2026-12-15","value":15,"low":14.3,"high":15.7},`
	if !strings.HasPrefix(got, want) {
		t.Errorf("json = %s\nwant prefix %s", got, want)
	}
	ins, _ := Forecast(nil, 7)
	b, _ = json.Marshal(ins)
	if string(b) != `{"metric":"followers","method":"damped_holt","status":"insufficient_data","history_days":0,"points":[]}` {
		t.Errorf("insufficient json = %s", b)
	}
}

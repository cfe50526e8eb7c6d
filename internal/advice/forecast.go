package advice

import (
	"errors"
	"math"
	"slices"
)

// Statuses of a forecast and of recommendations.
const (
	StatusOK               = "ok"
	StatusInsufficientData = "insufficient_data"
)

// Forecast horizons the contract allows, in days.
const (
	MinHorizon = 7
	MaxHorizon = 90
)

// MinForecastDays is the fewest history dates a forecast is made from.
const MinForecastDays = 14

// MaxFitDays is the most days, up to the last history date, the model is
// fitted on: older days say little about the next three months.
const MaxFitDays = 730

// ErrHorizon is returned for a horizon outside MinHorizon..MaxHorizon.
var ErrHorizon = errors.New("advice: horizon must be 7 to 90 days")

// DailyValue is the total of one calendar date (the last follower snapshot
// of that date).
type DailyValue struct {
	Date  Date
	Value int64
}

// ForecastPoint is the forecast of one date with its 80 % interval.
type ForecastPoint struct {
	Date  Date    `json:"date"`
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// ForecastResult is the contract's forecast body for metric followers.
type ForecastResult struct {
	Metric      string          `json:"metric"`
	Method      string          `json:"method"`
	Status      string          `json:"status"`
	HistoryDays int             `json:"history_days"`
	Points      []ForecastPoint `json:"points"`
}

// holtParams are the smoothing weights of level (alpha) and trend (beta)
// and the damping phi.
type holtParams struct{ alpha, beta, phi float64 }

// The fitted grid. phi = 1 (no damping) is in it, so a history that grows
// by the same amount every day is fitted with no error and continued.
var (
	alphaGrid = [...]float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	betaGrid  = [...]float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9}
	phiGrid   = [...]float64{1, 0.98, 0.95, 0.9, 0.85, 0.8}
)

// z80 is the standard normal quantile 0.9: ±z80·σ holds 80 %.
const z80 = 1.2815515655446004

// sigmaFloor is the least residual standard deviation, in followers:
// half a follower, the rounding of integer counts, so that a perfectly
// flat history still gets an interval that widens with the horizon.
const sigmaFloor = 0.5

// Forecast continues daily follower totals for horizon days after the last
// history date with damped Holt smoothing (additive damped trend).
//
// The history may come in any order; a date given twice keeps its later
// entry. history_days counts the distinct dates. Missing dates between the
// first and the last are filled by linear interpolation of their
// neighbours, because the model steps one day at a time; filled dates are
// fitted like observed ones. The fit uses the last MaxFitDays (730) days
// of that daily series. Under 14 dates the status is insufficient_data
// with no points.
//
// Model: level l and trend b start at the second day (l = y₁, b = y₁ − y₀);
// each next day t updates
//
//	l_t = α·y_t + (1−α)·(l_{t−1} + φ·b_{t−1})
//	b_t = β·(l_t − l_{t−1}) + (1−β)·φ·b_{t−1}
//
// and the h-day forecast is l_T + (φ + φ² + … + φ^h)·b_T. α ∈ {0.1 … 1},
// β ∈ {0.01 … 0.9} and φ ∈ {1, 0.98, 0.95, 0.9, 0.85, 0.8} are chosen
// together by the least sum of squared one-step errors (days 2 … T; ties,
// within floating-point noise, go to the earlier grid point, φ = 1 first). σ² is that sum over its count,
// at least 0.5². The 80 % interval is value ± 1.2816·σ·√v_h with the
// damped-trend variance factor v_h = 1 + Σ_{j=1}^{h−1} c_j²,
// c_j = α·(1 + β·(φ + … + φ^j)), which never decreases with h. Values are
// rounded to 1 decimal and the half-width up to the next 0.1, so the
// rounded interval never narrows either.
func Forecast(history []DailyValue, horizon int) (ForecastResult, error) {
	res := ForecastResult{Metric: "followers", Method: "damped_holt", Status: StatusInsufficientData, Points: []ForecastPoint{}}
	if horizon < MinHorizon || horizon > MaxHorizon {
		return res, ErrHorizon
	}
	days, first := dailySeries(history)
	res.HistoryDays = countObserved(history)
	if res.HistoryDays < MinForecastDays {
		return res, nil
	}
	last := first.AddDays(len(days) - 1)
	if len(days) > MaxFitDays {
		days = days[len(days)-MaxFitDays:]
	}
	p, sse, m := fitHolt(days)
	l, b := holtState(days, p)
	sigma := math.Max(sigmaFloor, math.Sqrt(sse/float64(m)))

	res.Status = StatusOK
	res.Points = project(last, l, b, p, sigma, horizon)
	return res, nil
}

// project continues level l and trend b for horizon days after last.
func project(last Date, l, b float64, p holtParams, sigma float64, horizon int) []ForecastPoint {
	points := make([]ForecastPoint, horizon)
	var damp, sumC2 float64 // φ + … + φ^h and Σ c_j² for j < h
	phiPow := 1.0
	for h := 1; h <= horizon; h++ {
		phiPow *= p.phi
		damp += phiPow
		if h > 1 {
			// c_{h−1} uses φ + … + φ^{h−1}, the damp of the previous step.
			c := p.alpha * (1 + p.beta*(damp-phiPow))
			sumC2 += c * c
		}
		value := l + damp*b
		half := z80 * sigma * math.Sqrt(1+sumC2)
		vt := math.Round(value * 10)
		ht := math.Ceil(half*10 - 1e-9)
		points[h-1] = ForecastPoint{
			Date:  last.AddDays(h),
			Value: round(vt/10, 1),
			Low:   round((vt-ht)/10, 1),
			High:  round((vt+ht)/10, 1),
		}
	}
	return points
}

// countObserved counts the distinct dates of history.
func countObserved(history []DailyValue) int {
	seen := make(map[Date]struct{}, len(history))
	for _, d := range history {
		seen[d.Date] = struct{}{}
	}
	return len(seen)
}

// dailySeries returns one value per day from the first history date to
// the last, gaps filled linearly, and the first date.
func dailySeries(history []DailyValue) ([]float64, Date) {
	if len(history) == 0 {
		return nil, Date{}
	}
	h := slices.Clone(history)
	slices.SortStableFunc(h, func(a, b DailyValue) int { return a.Date.DaysSince(b.Date) })
	first := h[0].Date
	n := h[len(h)-1].Date.DaysSince(first) + 1
	y := make([]float64, n)
	known := make([]bool, n)
	for _, d := range h { // stable order: a date's later entry wins
		i := d.Date.DaysSince(first)
		y[i], known[i] = float64(d.Value), true
	}
	prev := 0
	for i := 1; i < n; i++ {
		if !known[i] {
			continue
		}
		for j := prev + 1; j < i; j++ {
			w := float64(j-prev) / float64(i-prev)
			y[j] = y[prev] + w*(y[i]-y[prev])
		}
		prev = i
	}
	return y, first
}

// fitHolt picks the grid parameters with the least sum of squared
// one-step errors and returns them with that sum and its count.
// A point must beat the best so far by more than floating-point noise
// (1e-12 of the series' mean square, times 1 + 1e-9 of the best sum), so
// that exact fits tie and go to the earlier grid point.
func fitHolt(y []float64) (holtParams, float64, int) {
	var sq float64
	for _, v := range y {
		sq += v * v
	}
	noise := 1e-12 * sq
	best, bestSSE := holtParams{}, math.Inf(1)
	for _, phi := range phiGrid {
		for _, alpha := range alphaGrid {
			for _, beta := range betaGrid {
				p := holtParams{alpha, beta, phi}
				if s := holtSSE(y, p); s < bestSSE-noise-1e-9*bestSSE || math.IsInf(bestSSE, 1) {
					best, bestSSE = p, s
				}
			}
		}
	}
	return best, bestSSE, len(y) - 2
}

// holtSSE is the sum of squared one-step errors of days 2 … T−1.
func holtSSE(y []float64, p holtParams) float64 {
	l, b := y[1], y[1]-y[0]
	var sse float64
	for t := 2; t < len(y); t++ {
		e := y[t] - (l + p.phi*b)
		sse += e * e
		l, b = holtStep(l, b, y[t], p)
	}
	return sse
}

// holtState is the level and trend after the last day.
func holtState(y []float64, p holtParams) (float64, float64) {
	l, b := y[1], y[1]-y[0]
	for t := 2; t < len(y); t++ {
		l, b = holtStep(l, b, y[t], p)
	}
	return l, b
}

// holtStep updates level and trend with the observation yt.
func holtStep(l, b, yt float64, p holtParams) (float64, float64) {
	nl := p.alpha*yt + (1-p.alpha)*(l+p.phi*b)
	nb := p.beta*(nl-l) + (1-p.beta)*p.phi*b
	return nl, nb
}

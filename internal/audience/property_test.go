package audience_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"creatorgrowth/internal/audience"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// history is a random account history, stored through the store as the
// jobs store it, and what the reference keeps of it.
type history struct {
	followers *int64
	now       time.Time

	daily  map[string]refFigures
	snaps  []refSnapshot
	online map[[2]any]onlineCell // (date, hour) → the stored count and its reading
	demo   map[demoKey][]postgres.DemographicRow
	// lastRead is the latest reading stored, of any kind.
	lastRead *time.Time
}

type onlineCell struct {
	count  int64
	readAt time.Time
}

type demoKey struct {
	metric, breakdown, readOn string
}

var propertyZones = []string{"UTC", "America/Los_Angeles", "America/New_York", "Europe/Berlin", "Asia/Tokyo",
	"Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"}

// randomHistory draws a history around a random now of 2026–2027 and
// stores it for a new account.
func randomHistory(t *testing.T, rng *rand.Rand, env *propertyEnv) (history, postgres.Account) {
	t.Helper()
	ctx := context.Background()
	h := history{
		now:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(730 * 24 * time.Hour)))),
		daily:  map[string]refFigures{},
		online: map[[2]any]onlineCell{},
		demo:   map[demoKey][]postgres.DemographicRow{},
	}
	h.now = h.now.Truncate(time.Second)
	switch p := rng.IntN(10); {
	case p == 0:
	case p < 3:
		h.followers = i64(rng.Int64N(100))
	default:
		h.followers = i64(100 + rng.Int64N(100_000))
	}
	acc := createAccount(t, env.db, h.followers)
	readAt := h.now.Add(-time.Duration(rng.IntN(72)) * time.Hour)
	nextRead := func() time.Time {
		readAt = readAt.Add(time.Duration(1+rng.IntN(3600)) * time.Second)
		r := readAt
		h.lastRead = &r
		return r
	}
	maybe := func(p float64) *int64 {
		if rng.Float64() < p {
			return i64(rng.Int64N(5000))
		}
		return nil
	}
	pacificToday := h.now.In(pacific)
	dateOf := func(back int) string {
		return time.Date(pacificToday.Year(), pacificToday.Month(), pacificToday.Day()-back, 12, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}

	// Daily figures of up to 100 days back, in 1–3 readings that combine.
	for range 1 + rng.IntN(3) {
		var days []postgres.InsightDay
		for back := -1; back < 100; back++ {
			if rng.Float64() < 0.5 {
				continue
			}
			d := postgres.InsightDay{Date: dateOf(back), Reach: maybe(0.6), Views: maybe(0.6), Gained: maybe(0.5), Lost: maybe(0.5)}
			days = append(days, d)
		}
		if len(days) == 0 {
			continue
		}
		if err := env.st.SaveDaily(ctx, acc.ID, nextRead(), days); err != nil {
			t.Fatal(err)
		}
		for _, d := range days {
			f := h.daily[d.Date]
			f.reach, f.views, f.gained, f.lost = or(d.Reach, f.reach), or(d.Views, f.views), or(d.Gained, f.gained), or(d.Lost, f.lost)
			h.daily[d.Date] = f
		}
	}

	// Snapshots: at most one per UTC date, at any time of it.
	day0 := h.now.UTC().Truncate(24 * time.Hour)
	for back := -1; back < 100; back++ {
		if rng.Float64() < 0.4 {
			at := day0.AddDate(0, 0, -back).Add(time.Duration(rng.Int64N(int64(24 * time.Hour)))).Truncate(time.Microsecond)
			h.snaps = append(h.snaps, refSnapshot{at, rng.Int64N(1_000_000)})
		}
	}
	insertSnapshots(t, env.db, acc.ID, h.snaps)

	// Online followers: 0–3 readings of about 30 days, hours missing.
	for range rng.IntN(4) {
		var hours []postgres.OnlineHour
		start := rng.IntN(10)
		for back := start; back < start+30; back++ {
			if rng.Float64() < 0.2 {
				continue // an empty day
			}
			for hr := range 24 {
				if rng.Float64() < 0.8 {
					hours = append(hours, postgres.OnlineHour{Date: dateOf(back), Hour: hr, Count: rng.Int64N(2000)})
				}
			}
		}
		if len(hours) == 0 {
			continue
		}
		at := nextRead()
		if err := env.st.SaveOnlineFollowers(ctx, acc.ID, at, hours); err != nil {
			t.Fatal(err)
		}
		for _, o := range hours {
			h.online[[2]any{o.Date, o.Hour}] = onlineCell{o.Count, at}
		}
	}

	// Demographics: 0–2 readings per metric and breakdown, some on the
	// same day (replacing), keys from a small pool so that values tie.
	keys := []string{"13-17", "18-24", "25-34", "35-44", "F", "M", "US", "GR", "Athens", "Zürich"}
	for _, metric := range []string{postgres.MetricFollowerDemographics, postgres.MetricEngagedDemographics} {
		for _, b := range postgres.DemographicBreakdowns {
			for range rng.IntN(3) {
				var rows []postgres.DemographicRow
				for range rng.IntN(6) {
					rows = append(rows, postgres.DemographicRow{Key: keys[rng.IntN(len(keys))], Value: rng.Int64N(5)})
				}
				if len(rows) == 0 {
					continue
				}
				at := nextRead()
				if err := env.st.SaveDemographics(ctx, acc.ID, metric, b, "this_month", at, rows); err != nil {
					t.Fatal(err)
				}
				// The stored reading: one row per key, the last value.
				var kept []postgres.DemographicRow
				for _, r := range rows {
					if i := slices.IndexFunc(kept, func(k postgres.DemographicRow) bool { return k.Key == r.Key }); i >= 0 {
						kept[i].Value = r.Value
					} else {
						kept = append(kept, r)
					}
				}
				h.demo[demoKey{metric, b, at.UTC().Format(time.DateOnly)}] = kept
			}
		}
	}
	return h, acc
}

func or(v, old *int64) *int64 {
	if v != nil {
		return v
	}
	return old
}

type propertyEnv struct {
	db  *sql.DB
	st  *postgres.AccountInsights
	svc *audience.Service
}

// reference is the report the reference computes for the history.
type reference struct {
	daily             []refDay
	gained, lost, net *int64
	onlineStatus      string
	heatmap           [7][24]*float64
	demoStatus        string
	demo              map[string][]postgres.DemographicRow // "metric/breakdown" → rows
}

func (h history) reference(period int, tz *time.Location) reference {
	var r reference
	r.daily = refDaily(h.daily, h.snaps, period, h.now)
	var gained, lost []*int64
	for _, d := range r.daily {
		gained, lost = append(gained, d.Gained), append(lost, d.Lost)
	}
	r.gained, r.lost = refSum(gained), refSum(lost)
	if r.gained != nil && r.lost != nil {
		r.net = i64(*r.gained - *r.lost)
	}
	insufficient := h.followers != nil && *h.followers < 100

	var latest time.Time
	for _, c := range h.online {
		if c.readAt.After(latest) {
			latest = c.readAt
		}
	}
	var samples []refSample
	for k, c := range h.online {
		if c.readAt.Equal(latest) {
			samples = append(samples, refSample{k[0].(string), k[1].(int), c.count})
		}
	}
	switch {
	case insufficient:
		r.onlineStatus = audience.StatusInsufficientFollowers
	case len(samples) == 0:
		r.onlineStatus = audience.StatusUnavailable
	default:
		r.onlineStatus = audience.StatusOK
		r.heatmap = refHeatmap(samples, tz)
	}

	r.demo = map[string][]postgres.DemographicRow{}
	latestOn := map[string]string{}
	for k := range h.demo {
		mb := k.metric + "/" + k.breakdown
		if k.readOn > latestOn[mb] {
			latestOn[mb] = k.readOn
		}
	}
	for k, rows := range h.demo {
		mb := k.metric + "/" + k.breakdown
		if k.readOn == latestOn[mb] {
			sorted := slices.Clone(rows)
			sort.Slice(sorted, func(i, j int) bool {
				if sorted[i].Value != sorted[j].Value {
					return sorted[i].Value > sorted[j].Value
				}
				return sorted[i].Key < sorted[j].Key
			})
			r.demo[mb] = sorted
		}
	}
	switch {
	case insufficient:
		r.demoStatus = audience.StatusInsufficientFollowers
	case len(r.demo) == 0:
		r.demoStatus = audience.StatusUnavailable
	default:
		r.demoStatus = audience.StatusOK
	}
	return r
}

// TestProperty_ReportMatchesReference draws random histories (fixed
// seeds) and compares every part of the report, for each period and a
// random zone, with the reference.
func TestProperty_ReportMatchesReference(t *testing.T) {
	db := testdb.New(t)
	env := &propertyEnv{db: db, st: postgres.NewAccountInsights(db), svc: newService(t, db)}
	rng := seededRand(t, 20261201)
	ctx := context.Background()
	for i := range 40 {
		h, acc := randomHistory(t, rng, env)
		tz := mustZone(propertyZones[rng.IntN(len(propertyZones))])
		for _, period := range []int{7, 14, 30, 90} {
			t.Run(fmt.Sprintf("%d/%d/%s", i, period, tz), func(t *testing.T) {
				got, err := env.svc.Report(ctx, acc, period, tz, h.now)
				if err != nil {
					t.Fatal(err)
				}
				want := h.reference(period, tz)
				wantDaily(t, got.Daily, want.daily)
				if g, w := ptr(got.Gained)+" "+ptr(got.Lost)+" "+ptr(got.Net), ptr(want.gained)+" "+ptr(want.lost)+" "+ptr(want.net); g != w {
					t.Errorf("gained, lost, net = %s, want %s", g, w)
				}
				if got.Online.Status != want.onlineStatus {
					t.Errorf("online status = %s, want %s", got.Online.Status, want.onlineStatus)
				} else if want.onlineStatus == audience.StatusOK {
					wantHeatmap(t, got.Online.Heatmap, want.heatmap)
				} else if got.Online.Heatmap != nil {
					t.Error("a heatmap without ok")
				}
				if got.Demographics.Status != want.demoStatus {
					t.Errorf("demographics status = %s, want %s", got.Demographics.Status, want.demoStatus)
				} else if want.demoStatus == audience.StatusOK {
					d := got.Demographics
					for _, m := range []struct {
						metric string
						b      *audience.Breakdowns
					}{{postgres.MetricFollowerDemographics, d.Followers}, {postgres.MetricEngagedDemographics, d.Engaged}} {
						lists := map[string][]postgres.DemographicRow{"age": m.b.Age, "gender": m.b.Gender, "country": m.b.Country, "city": m.b.City}
						for b, l := range lists {
							w := want.demo[m.metric+"/"+b]
							if fmt.Sprint(l) != fmt.Sprint(w) || l == nil {
								t.Errorf("%s/%s = %v, want %v", m.metric, b, l, w)
							}
						}
					}
				}
				if h.lastRead == nil {
					if got.Freshness.InsightsSyncedAt != nil {
						t.Errorf("insights_synced_at = %v, want null", got.Freshness.InsightsSyncedAt)
					}
				} else if got.Freshness.InsightsSyncedAt == nil || !got.Freshness.InsightsSyncedAt.Equal(*h.lastRead) {
					t.Errorf("insights_synced_at = %v, want %v", got.Freshness.InsightsSyncedAt, *h.lastRead)
				}
			})
		}
	}
}

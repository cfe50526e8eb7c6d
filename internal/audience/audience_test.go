package audience_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"creatorgrowth/internal/audience"
	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

func TestPacificDate(t *testing.T) {
	for _, c := range []struct{ end, want string }{
		{"2026-07-09T07:00:00Z", "2026-07-08"}, // summer: midnight PDT
		{"2026-01-10T08:00:00Z", "2026-01-09"}, // winter: midnight PST
		{"2026-03-09T07:00:00Z", "2026-03-08"}, // the 23-hour spring-forward date
		{"2026-11-02T08:00:00Z", "2026-11-01"}, // the 25-hour fall-back date
	} {
		end, err := time.Parse(time.RFC3339, c.end)
		if err != nil {
			t.Fatal(err)
		}
		if got := audience.PacificDate(end, pacific); got != c.want {
			t.Errorf("PacificDate(%s) = %s, want %s", c.end, got, c.want)
		}
	}
}

// cellOf returns the one cell a single sample lands in.
func cellOf(t *testing.T, s audience.Sample, tz *time.Location) (int, int) {
	t.Helper()
	h, err := audience.Heatmap([]audience.Sample{s}, tz, pacific)
	if err != nil {
		t.Fatal(err)
	}
	w, hr, n := -1, -1, 0
	for i := range h {
		for j := range h[i] {
			if h[i][j] != nil {
				w, hr = i, j
				n++
				if got := *h[i][j]; got != float64(s.Count) {
					t.Errorf("%v: cell = %v, want %d", s, got, s.Count)
				}
			}
		}
	}
	if n != 1 {
		t.Fatalf("%v: %d cells set, want 1", s, n)
	}
	return w, hr
}

func TestHeatmap_PacificHours(t *testing.T) {
	tokyo := mustZone("Asia/Tokyo")
	for _, c := range []struct {
		date         string
		hour         int
		tz           *time.Location
		wantW, wantH int
	}{
		{"2026-07-08", 0, time.UTC, 3, 7},  // Wednesday 00:00 PDT = 07:00 UTC
		{"2026-07-08", 0, tokyo, 3, 16},    // = 16:00 in Tokyo
		{"2026-07-08", 23, tokyo, 4, 15},   // 23:00 PDT Wednesday = Thursday 15:00 in Tokyo
		{"2026-01-14", 0, time.UTC, 3, 8},  // winter: 00:00 PST = 08:00 UTC
		{"2026-03-08", 1, time.UTC, 0, 9},  // spring forward: 01:00 PST
		{"2026-03-08", 2, time.UTC, 0, 10}, // 02:00 does not exist: read as PST, = 03:00 PDT
		{"2026-03-08", 3, time.UTC, 0, 10}, // 03:00 PDT
		{"2026-11-01", 0, time.UTC, 0, 7},  // fall back: 00:00 PDT
		{"2026-11-01", 1, time.UTC, 0, 8},  // 01:00 twice: the first, PDT
		{"2026-11-01", 2, time.UTC, 0, 10}, // 02:00 PST
		{"2026-11-01", 23, time.UTC, 1, 7}, // 23:00 PST Sunday = Monday 07:00 UTC
	} {
		w, h := cellOf(t, audience.Sample{Date: c.date, Hour: c.hour, Count: 7}, c.tz)
		if w != c.wantW || h != c.wantH {
			t.Errorf("%s %02d:00 Pacific in %s: cell [%d][%d], want [%d][%d]", c.date, c.hour, c.tz, w, h, c.wantW, c.wantH)
		}
	}
}

// TestHeatmap_EveryHourOf2026 places every Pacific hour of two years in
// zones on both sides of UTC, with and without daylight saving, and
// compares with the reference's search.
func TestHeatmap_EveryHourOf2026(t *testing.T) {
	zones := []*time.Location{time.UTC, mustZone("Europe/Berlin"), mustZone("America/New_York"),
		mustZone("Asia/Kolkata"), mustZone("Australia/Lord_Howe"), pacific}
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		date := d.Format(time.DateOnly)
		for h := range 24 {
			at := refPacificHour(date, h)
			for _, tz := range zones {
				var samples [1]audience.Sample
				samples[0] = audience.Sample{Date: date, Hour: h, Count: 1}
				grid, err := audience.Heatmap(samples[:], tz, pacific)
				if err != nil {
					t.Fatal(err)
				}
				l := at.In(tz)
				if grid[l.Weekday()][l.Hour()] == nil {
					t.Fatalf("%s %02d:00 Pacific in %s: not in cell [%d][%d]", date, h, tz, l.Weekday(), l.Hour())
				}
			}
		}
	}
}

func TestHeatmap_BadSample(t *testing.T) {
	for _, s := range []audience.Sample{{Date: "2026-13-01", Hour: 1}, {Date: "2026-01-01", Hour: 24}, {Date: "2026-01-01", Hour: -1},
		{Date: "2026-01-01", Hour: 3, Count: -1}} {
		if _, err := audience.Heatmap([]audience.Sample{s}, time.UTC, pacific); err == nil {
			t.Errorf("Heatmap(%v): no error", s)
		}
	}
}

// scenario is a stored history with its expected report, written out by
// hand.
type scenario struct {
	db   *sql.DB
	acc  postgres.Account
	now  time.Time
	jobs time.Time // the queued insights job
	// read times
	dailyAt, onlineAt, demoAt time.Time
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// newScenario stores, for an account of 2,500 followers: daily figures
// around the Pacific DST change of 2026-11-01, snapshots on both sides of
// Pacific midnights, two online_followers readings and two demographic
// readings.
func newScenario(t *testing.T) scenario {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	acc := createAccount(t, db, i64(2500))
	sc := scenario{db: db, now: at("2026-11-16T12:00:00Z"), jobs: at("2026-11-17T09:00:00Z"),
		dailyAt: at("2026-11-16T09:00:00Z"), onlineAt: at("2026-11-16T09:05:00Z"), demoAt: at("2026-11-16T09:10:00Z")}
	st := postgres.NewAccountInsights(db)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SaveDaily(ctx, acc.ID, sc.dailyAt.Add(-time.Hour), []postgres.InsightDay{
		{Date: "2026-08-20", Reach: i64(7)},   // in the 90-day window only
		{Date: "2026-10-16", Reach: i64(999)}, // the day before the 30-day window
		{Date: "2026-10-17", Views: i64(5), Lost: i64(4)},
		{Date: "2026-10-27", Reach: i64(100), Views: i64(200), Gained: i64(5)},
		{Date: "2026-10-28"}, // a row without a figure
		{Date: "2026-10-30", Reach: i64(50), Gained: i64(3)},
	}))
	// A second reading adds the unfollows of 10-27 and 11-01 and keeps
	// what the first one read.
	must(st.SaveDaily(ctx, acc.ID, sc.dailyAt, []postgres.InsightDay{
		{Date: "2026-10-27", Lost: i64(1)},
		{Date: "2026-11-01", Views: i64(70), Lost: i64(2)},
		{Date: "2026-11-01", Gained: i64(0)}, // merged into the entry before
	}))
	insertSnapshots(t, db, acc.ID, []refSnapshot{
		{at("2026-10-17T06:30:00Z"), 900},  // 10-16 23:30 PDT: before the window
		{at("2026-10-27T08:00:00Z"), 990},  // 10-27 01:00 PDT
		{at("2026-10-28T06:00:00Z"), 1000}, // 10-27 23:00 PDT: the last of 10-27
		{at("2026-10-29T06:59:00Z"), 1010}, // 10-28 23:59 PDT
		{at("2026-11-02T07:59:00Z"), 1020}, // 11-01 23:59 PST
		{at("2026-11-03T07:00:00Z"), 1030}, // 11-02 23:00 PST
	})
	must(st.SaveOnlineFollowers(ctx, acc.ID, sc.onlineAt.Add(-24*time.Hour), []postgres.OnlineHour{
		{Date: "2026-10-20", Hour: 5, Count: 10}, // only in the older reading
		{Date: "2026-10-31", Hour: 0, Count: 999},
	}))
	must(st.SaveOnlineFollowers(ctx, acc.ID, sc.onlineAt, []postgres.OnlineHour{
		{Date: "2026-10-31", Hour: 0, Count: 100}, // Saturday 00:00 PDT
		{Date: "2026-10-31", Hour: 1, Count: 50},
		{Date: "2026-11-01", Hour: 0, Count: 200}, // Sunday, the fall-back date
		{Date: "2026-11-01", Hour: 1, Count: 60},
		{Date: "2026-11-01", Hour: 2, Count: 40},
		{Date: "2026-11-07", Hour: 0, Count: 301}, // Saturday 00:00 PST
		{Date: "2026-11-14", Hour: 0, Count: 1},
	}))
	for _, r := range []struct {
		metric, breakdown string
		at                time.Time
		rows              []postgres.DemographicRow
	}{
		{postgres.MetricFollowerDemographics, "age", sc.demoAt.Add(-48 * time.Hour), []postgres.DemographicRow{{Key: "25-34", Value: 10}, {Key: "65+", Value: 3}}},
		{postgres.MetricFollowerDemographics, "age", sc.demoAt, []postgres.DemographicRow{{Key: "35-44", Value: 100}, {Key: "25-34", Value: 420}, {Key: "18-24", Value: 420}}},
		{postgres.MetricFollowerDemographics, "gender", sc.demoAt, []postgres.DemographicRow{{Key: "M", Value: 200}, {Key: "U", Value: 5}, {Key: "F", Value: 300}}},
		{postgres.MetricFollowerDemographics, "country", sc.demoAt.Add(-time.Hour), []postgres.DemographicRow{{Key: "US", Value: 30}, {Key: "GR", Value: 70}}},
		{postgres.MetricEngagedDemographics, "age", sc.demoAt, []postgres.DemographicRow{{Key: "25-34", Value: 7}}},
	} {
		must(st.SaveDemographics(ctx, acc.ID, r.metric, r.breakdown, "this_month", r.at, r.rows))
	}
	_, err := db.ExecContext(ctx, `UPDATE instagram_accounts SET last_synced_at = $2 WHERE id = $1`, acc.ID, at("2026-11-16T08:00:00Z"))
	must(err)
	_, err = postgres.NewJobs(db).Enqueue(ctx, igsync.KindAccountInsights, acc.ID, sc.jobs, 5)
	must(err)
	sc.acc, err = postgres.NewAccounts(db).ByID(ctx, acc.ID)
	must(err)
	return sc
}

func TestService_Report(t *testing.T) {
	sc := newScenario(t)
	svc := newService(t, sc.db)
	ctx := context.Background()
	r, err := svc.Report(ctx, sc.acc, 30, time.UTC, sc.now)
	if err != nil {
		t.Fatal(err)
	}
	if r.PeriodDays != 30 || ptr(r.Followers) != "2500" {
		t.Errorf("period_days, followers = %d, %s, want 30, 2500", r.PeriodDays, ptr(r.Followers))
	}
	wantDaily(t, r.Daily, []refDay{
		{Date: "2026-10-17", View: i64(5), Lost: i64(4)},
		{Date: "2026-10-27", Followers: i64(1000), Gained: i64(5), Lost: i64(1), Reach: i64(100), View: i64(200)},
		{Date: "2026-10-28", Followers: i64(1010)},
		{Date: "2026-10-30", Gained: i64(3), Reach: i64(50)},
		{Date: "2026-11-01", Followers: i64(1020), Gained: i64(0), Lost: i64(2), View: i64(70)},
		{Date: "2026-11-02", Followers: i64(1030)},
	})
	if got, want := ptr(r.Gained)+" "+ptr(r.Lost)+" "+ptr(r.Net), "8 7 1"; got != want {
		t.Errorf("gained, lost, net = %s, want %s", got, want)
	}

	t.Run("Periods", func(t *testing.T) {
		for _, c := range []struct {
			period            int
			first, last       string
			n                 int
			gained, lost, net string
		}{
			{7, "", "", 0, "null", "null", "null"},
			{14, "2026-11-02", "2026-11-02", 1, "null", "null", "null"},
			{30, "2026-10-17", "2026-11-02", 6, "8", "7", "1"},
			{90, "2026-08-20", "2026-11-02", 8, "8", "7", "1"},
		} {
			r, err := svc.Report(ctx, sc.acc, c.period, time.UTC, sc.now)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Daily) != c.n || c.n > 0 && (r.Daily[0].Date != c.first || r.Daily[c.n-1].Date != c.last) {
				t.Errorf("period %d: daily %s, want %d entries %s..%s", c.period, dayString(r.Daily), c.n, c.first, c.last)
			}
			if got, want := ptr(r.Gained)+" "+ptr(r.Lost)+" "+ptr(r.Net), c.gained+" "+c.lost+" "+c.net; got != want {
				t.Errorf("period %d: gained, lost, net = %s, want %s", c.period, got, want)
			}
			if r.Online.Status != audience.StatusOK || r.Demographics.Status != audience.StatusOK {
				t.Errorf("period %d: statuses %s, %s, want ok", c.period, r.Online.Status, r.Demographics.Status)
			}
		}
	})

	t.Run("Heatmap", func(t *testing.T) {
		type cell struct {
			w, h int
			v    float64
		}
		for _, c := range []struct {
			zone  string
			cells []cell
		}{
			{"UTC", []cell{{6, 7, 100}, {6, 8, 117.3}, {0, 7, 200}, {0, 8, 60}, {0, 10, 40}}},
			// East of UTC, no daylight saving.
			{"Asia/Tokyo", []cell{{6, 16, 100}, {6, 17, 117.3}, {0, 16, 200}, {0, 17, 60}, {0, 19, 40}}},
			// West of UTC, falling back at 06:00 UTC on 11-01, an hour
			// before Los Angeles: 10-31 is EDT, 11-07 and 11-14 are EST.
			{"America/New_York", []cell{{6, 3, 134}, {6, 4, 50}, {0, 2, 200}, {0, 3, 60}, {0, 5, 40}}},
		} {
			r, err := svc.Report(ctx, sc.acc, 7, mustZone(c.zone), sc.now)
			if err != nil {
				t.Fatal(err)
			}
			var want [7][24]*float64
			for _, x := range c.cells {
				v := x.v
				want[x.w][x.h] = &v
			}
			t.Run(c.zone, func(t *testing.T) { wantHeatmap(t, r.Online.Heatmap, want) })
		}
	})

	t.Run("Demographics", func(t *testing.T) {
		d := r.Demographics
		if d.Status != audience.StatusOK || d.Timeframe != "this_month" || d.Followers == nil || d.Engaged == nil {
			t.Fatalf("demographics = %+v", d)
		}
		for _, c := range []struct {
			name string
			got  []postgres.DemographicRow
			want string
		}{
			{"followers.age", d.Followers.Age, "[{18-24 420} {25-34 420} {35-44 100}]"},
			{"followers.gender", d.Followers.Gender, "[{F 300} {M 200} {U 5}]"},
			{"followers.country", d.Followers.Country, "[{GR 70} {US 30}]"},
			{"followers.city", d.Followers.City, "[]"},
			{"engaged.age", d.Engaged.Age, "[{25-34 7}]"},
			{"engaged.gender", d.Engaged.Gender, "[]"},
			{"engaged.country", d.Engaged.Country, "[]"},
			{"engaged.city", d.Engaged.City, "[]"},
		} {
			if got := fmt.Sprint(c.got); got != c.want || c.got == nil {
				t.Errorf("%s = %s, want %s", c.name, got, c.want)
			}
		}
	})

	t.Run("Freshness", func(t *testing.T) {
		f := r.Freshness
		for _, c := range []struct {
			name string
			got  *time.Time
			want time.Time
		}{
			{"posts_synced_at", f.PostsSyncedAt, at("2026-11-16T08:00:00Z")},
			{"insights_synced_at", f.InsightsSyncedAt, sc.demoAt},
			{"next_sync_at", f.NextSyncAt, sc.jobs},
		} {
			if c.got == nil || !c.got.Equal(c.want) || c.got.Location() != time.UTC {
				t.Errorf("%s = %v, want %v in UTC", c.name, c.got, c.want)
			}
		}
	})
}

func TestService_ReportStatuses(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	svc := newService(t, db)
	st := postgres.NewAccountInsights(db)
	now := at("2026-11-16T12:00:00Z")
	store := func(t *testing.T, acc postgres.Account) {
		t.Helper()
		if err := st.SaveDaily(ctx, acc.ID, now, []postgres.InsightDay{{Date: "2026-11-15", Reach: i64(40), Views: i64(90)}}); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveOnlineFollowers(ctx, acc.ID, now, []postgres.OnlineHour{{Date: "2026-11-15", Hour: 3, Count: 9}}); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveDemographics(ctx, acc.ID, postgres.MetricFollowerDemographics, "age", "this_month", now,
			[]postgres.DemographicRow{{Key: "18-24", Value: 9}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name      string
		followers *int64
		stored    bool
		want      string
	}{
		{"Under100", i64(99), true, audience.StatusInsufficientFollowers},
		{"Under100NothingRead", i64(12), false, audience.StatusInsufficientFollowers},
		{"Exactly100", i64(100), true, audience.StatusOK},
		{"NotReadYet", i64(5000), false, audience.StatusUnavailable},
		{"FollowersUnknown", nil, false, audience.StatusUnavailable},
		{"FollowersUnknownRead", nil, true, audience.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			acc := createAccount(t, db, c.followers)
			if c.stored {
				store(t, acc)
			}
			r, err := svc.Report(ctx, acc, 30, time.UTC, now)
			if err != nil {
				t.Fatal(err)
			}
			if r.Online.Status != c.want || r.Demographics.Status != c.want {
				t.Errorf("statuses = %s, %s, want %s", r.Online.Status, r.Demographics.Status, c.want)
			}
			ok := c.want == audience.StatusOK
			if (r.Online.Heatmap != nil) != ok || (r.Demographics.Followers != nil) != ok || (r.Demographics.Engaged != nil) != ok ||
				(r.Demographics.Timeframe != "") != ok {
				t.Errorf("data present = %v, want %v: %+v", r.Online.Heatmap != nil, ok, r.Demographics)
			}
			// The daily figures do not depend on the follower count.
			if c.stored && (len(r.Daily) != 1 || ptr(r.Daily[0].Reach) != "40" || ptr(r.Daily[0].Gained) != "null") {
				t.Errorf("daily = %+v", r.Daily)
			}
			if !c.stored && (len(r.Daily) != 0 || r.Gained != nil || r.Lost != nil || r.Net != nil ||
				r.Freshness.InsightsSyncedAt != nil || r.Freshness.NextSyncAt != nil || r.Freshness.PostsSyncedAt != nil) {
				t.Errorf("nothing stored: %+v", r)
			}
		})
	}
}

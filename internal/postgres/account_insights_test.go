package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

func n64(v int64) *int64 { return &v }

func show(v *int64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// TestAccountInsights_SaveDaily checks that readings of separate metrics
// combine, that a missing figure never erases a known one, and that a
// date sent twice in one reading is one row.
func TestAccountInsights_SaveDaily(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st := postgres.NewAccountInsights(db)
	acc := newAccount(t, db)
	t1 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	steps := [][]postgres.InsightDay{
		{{Date: "2026-11-01", Reach: n64(10), Views: n64(20)}, {Date: "2026-10-31", Gained: n64(3)}},
		{{Date: "2026-11-01", Gained: n64(4)}, {Date: "2026-11-01", Lost: n64(1)}, {Date: "2026-11-01", Reach: n64(11)}},
		{{Date: "2026-11-01"}, {Date: "2026-10-30"}},
	}
	for i, days := range steps {
		if err := st.SaveDaily(ctx, acc, t1.Add(time.Duration(i)*time.Hour), days); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := st.SaveDaily(ctx, acc, t1, nil); err != nil {
		t.Fatalf("empty reading: %v", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT to_char(date, 'YYYY-MM-DD'), reach, views, gained, lost, read_at
		FROM account_insights_daily WHERE account_id = $1 ORDER BY date`, acc)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var (
			date                       string
			reach, views, gained, lost *int64
			readAt                     time.Time
		)
		if err := rows.Scan(&date, &reach, &views, &gained, &lost, &readAt); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s %s %s", date, show(reach), show(views), show(gained), show(lost), readAt.UTC().Format("15:04")))
	}
	want := []string{
		"2026-10-30 null null null null 11:00",
		"2026-10-31 null null 3 null 09:00",
		"2026-11-01 11 20 4 1 11:00",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows =\n%v\nwant\n%v", got, want)
	}
}

// TestAccountInsights_SaveOnlineFollowers checks that a reading takes
// over the hours it reports and leaves the others under their reading.
func TestAccountInsights_SaveOnlineFollowers(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st := postgres.NewAccountInsights(db)
	acc := newAccount(t, db)
	t1 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SaveOnlineFollowers(ctx, acc, t1, []postgres.OnlineHour{{Date: "2026-10-30", Hour: 0, Count: 5}, {Date: "2026-10-31", Hour: 23, Count: 6}}))
	must(st.SaveOnlineFollowers(ctx, acc, t1.Add(time.Hour), []postgres.OnlineHour{
		{Date: "2026-10-31", Hour: 23, Count: 7}, {Date: "2026-10-31", Hour: 23, Count: 8}, {Date: "2026-11-01", Hour: 0, Count: 0}}))
	got := queryStrings(t, db, `SELECT to_char(date, 'YYYY-MM-DD') || ' ' || hour || ' ' || count || ' ' || to_char(read_at AT TIME ZONE 'UTC', 'HH24:MI')
		FROM account_online_followers WHERE account_id = $1 ORDER BY date, hour`, acc)
	want := []string{"2026-10-30 0 5 09:00", "2026-10-31 23 8 10:00", "2026-11-01 0 0 10:00"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
	for _, bad := range []postgres.OnlineHour{{Date: "2026-11-01", Hour: 24}, {Date: "2026-11-01", Hour: 1, Count: -1}} {
		if err := st.SaveOnlineFollowers(ctx, acc, t1, []postgres.OnlineHour{bad}); err == nil {
			t.Errorf("SaveOnlineFollowers(%v): no error", bad)
		}
	}
}

// TestAccountInsights_SaveDemographics checks that a reading replaces one
// of the same day and keeps the earlier days, that an empty reading
// stores nothing, and that only the known metrics and breakdowns go in.
func TestAccountInsights_SaveDemographics(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st := postgres.NewAccountInsights(db)
	acc := newAccount(t, db)
	d1 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	d2 := d1.AddDate(0, 0, 1)
	m := postgres.MetricFollowerDemographics
	for _, r := range []struct {
		at   time.Time
		rows []postgres.DemographicRow
	}{
		{d1, []postgres.DemographicRow{{Key: "US", Value: 1}}},
		{d2, []postgres.DemographicRow{{Key: "US", Value: 2}, {Key: "GR", Value: 3}}},
		{d2.Add(time.Hour), []postgres.DemographicRow{{Key: "US", Value: 4}, {Key: "US", Value: 5}}},
		{d2.Add(2 * time.Hour), nil},
	} {
		if err := st.SaveDemographics(ctx, acc, m, "country", "this_month", r.at, r.rows); err != nil {
			t.Fatal(err)
		}
	}
	got := queryStrings(t, db, `SELECT to_char(read_on, 'YYYY-MM-DD') || ' ' || key || ' ' || value || ' ' || timeframe
		FROM account_demographics WHERE account_id = $1 ORDER BY read_on, key`, acc)
	want := []string{"2026-11-01 US 1 this_month", "2026-11-02 US 5 this_month"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
	for _, c := range [][2]string{{"reached_audience_demographics", "age"}, {m, "age,gender"}} {
		if err := st.SaveDemographics(ctx, acc, c[0], c[1], "this_month", d1, []postgres.DemographicRow{{Key: "x", Value: 1}}); err == nil {
			t.Errorf("SaveDemographics(%s, %s): no error", c[0], c[1])
		}
	}
}

// TestAccountInsights_JobKindAndCascade checks that the queue takes the
// account_insights kind and that disconnecting deletes the insights.
func TestAccountInsights_JobKindAndCascade(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	acc := newAccount(t, db)
	jobs := postgres.NewJobs(db)
	if _, err := jobs.Enqueue(ctx, "account_insights", acc, time.Now(), 3); err != nil {
		t.Errorf("Enqueue(account_insights): %v", err)
	}
	st := postgres.NewAccountInsights(db)
	now := time.Now()
	if err := errors.Join(
		st.SaveDaily(ctx, acc, now, []postgres.InsightDay{{Date: "2026-11-01", Reach: n64(1)}}),
		st.SaveOnlineFollowers(ctx, acc, now, []postgres.OnlineHour{{Date: "2026-11-01", Hour: 1, Count: 1}}),
		st.SaveDemographics(ctx, acc, postgres.MetricEngagedDemographics, "city", "this_month", now, []postgres.DemographicRow{{Key: "Athens", Value: 1}}),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM instagram_accounts WHERE id = $1`, acc); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"account_insights_daily", "account_online_followers", "account_demographics"} {
		if got := queryStrings(t, db, `SELECT count(*)::text FROM `+table+` WHERE account_id = $1`, acc); fmt.Sprint(got) != "[0]" {
			t.Errorf("%s after disconnect: %v rows", table, got)
		}
	}
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

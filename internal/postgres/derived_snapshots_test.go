package postgres_test

import (
	"context"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// TestAccountInsights_DeriveSnapshots walks a count of 1,000 back through
// the daily changes: each date's total is the next date's minus its change,
// an observed snapshot is kept, and the walk stops at the first date whose
// change is unknown or missing.
func TestAccountInsights_DeriveSnapshots(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st := postgres.NewAccountInsights(db)
	acc := newAccount(t, db)
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	// Today is 2026-11-05 in Pacific time (winter: midnight is 08:00 UTC).
	now := time.Date(2026, 11, 5, 10, 0, 0, 0, pacific)
	days := []postgres.InsightDay{
		{Date: "2026-11-04", Gained: n64(10), Lost: n64(2)}, // end of 11-04: 1,000
		{Date: "2026-11-03", Gained: n64(5), Lost: n64(5)},  // end of 11-03: 992
		{Date: "2026-11-02", Gained: n64(7), Lost: n64(0)},  // end of 11-02: 992, observed below
		{Date: "2026-11-01", Gained: n64(1)},                // unknown unfollows: the walk stops
		{Date: "2026-10-31", Gained: n64(1), Lost: n64(1)},
	}
	if err := st.SaveDaily(ctx, acc, now, days); err != nil {
		t.Fatal(err)
	}
	// An observed snapshot on the UTC date where the end of 11-02 falls.
	if _, err := db.ExecContext(ctx, `INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
		VALUES ($1, '2026-11-03', 990, '2026-11-03T20:00:00Z')`, acc); err != nil {
		t.Fatal(err)
	}
	n, err := st.DeriveSnapshots(ctx, acc, 1000, now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("stored %d derived snapshots, want 2", n)
	}
	rows, err := db.QueryContext(ctx, `SELECT taken_on::text, followers, taken_at, derived FROM follower_snapshots
		WHERE account_id = $1 ORDER BY taken_on`, acc)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type snap struct {
		on        string
		followers int64
		at        time.Time
		derived   bool
	}
	var got []snap
	for rows.Next() {
		var s snap
		if err := rows.Scan(&s.on, &s.followers, &s.at, &s.derived); err != nil {
			t.Fatal(err)
		}
		s.at = s.at.UTC()
		got = append(got, s)
	}
	want := []snap{
		{"2026-11-03", 990, time.Date(2026, 11, 3, 20, 0, 0, 0, time.UTC), false},
		{"2026-11-04", 992, time.Date(2026, 11, 4, 8, 0, 0, 0, time.UTC), true},
		{"2026-11-05", 1000, time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC), true},
	}
	if len(got) != len(want) {
		t.Fatalf("snapshots = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("snapshot %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// Again: nothing new, nothing changed.
	if n, err := st.DeriveSnapshots(ctx, acc, 1005, now); err != nil || n != 0 {
		t.Errorf("second walk stored %d (%v), want 0", n, err)
	}
}

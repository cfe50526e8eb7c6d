package audience_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"creatorgrowth/internal/audience"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// createAccount inserts a user and an Instagram account with the given
// follower count and returns the account as the accounts store reads it.
func createAccount(t testing.TB, db *sql.DB, followers *int64) postgres.Account {
	t.Helper()
	return testdb.NewAccount(t, db, followers)
}

// insertSnapshots stores follower snapshots, taken_on the UTC date of
// taken_at as the post fetch records them.
func insertSnapshots(t testing.TB, db *sql.DB, accountID string, snaps []refSnapshot) {
	t.Helper()
	type row struct {
		TakenOn   string    `json:"taken_on"`
		TakenAt   time.Time `json:"taken_at"`
		Followers int64     `json:"followers"`
	}
	rows := make([]row, len(snaps))
	for i, s := range snaps {
		rows[i] = row{s.takenAt.UTC().Format(time.DateOnly), s.takenAt, s.followers}
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	const q = `
		INSERT INTO follower_snapshots (account_id, taken_on, taken_at, followers)
		SELECT $1, r.taken_on, r.taken_at, r.followers
		FROM jsonb_to_recordset($2::jsonb) AS r(taken_on date, taken_at timestamptz, followers bigint)`
	if _, err := db.ExecContext(context.Background(), q, accountID, raw); err != nil {
		t.Fatalf("insert snapshots: %v", err)
	}
}

func newService(t testing.TB, db *sql.DB) *audience.Service {
	t.Helper()
	s, err := audience.NewService(db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func i64(v int64) *int64 { return &v }

func ptr(v *int64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatInt(*v, 10)
}

func fptr(v *float64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// wantDaily compares the report's daily entries with the reference's.
func wantDaily(t *testing.T, got []audience.Day, want []refDay) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("daily has %d entries, want %d:\n got %s\nwant %s", len(got), len(want), dayString(got), refDayString(want))
		return
	}
	for i := range got {
		g, w := got[i], want[i]
		gs := fmt.Sprintf("%s f=%s g=%s l=%s r=%s v=%s", g.Date, ptr(g.Followers), ptr(g.Gained), ptr(g.Lost), ptr(g.Reach), ptr(g.Views))
		ws := fmt.Sprintf("%s f=%s g=%s l=%s r=%s v=%s", w.Date, ptr(w.Followers), ptr(w.Gained), ptr(w.Lost), ptr(w.Reach), ptr(w.View))
		if gs != ws {
			t.Errorf("daily[%d] = %s, want %s", i, gs, ws)
		}
	}
}

func dayString(ds []audience.Day) string {
	s := ""
	for _, d := range ds {
		s += d.Date + " "
	}
	return s
}

func refDayString(ds []refDay) string {
	s := ""
	for _, d := range ds {
		s += d.Date + " "
	}
	return s
}

// wantHeatmap compares a heatmap with the reference's, cell by cell.
func wantHeatmap(t *testing.T, got *[7][24]*float64, want [7][24]*float64) {
	t.Helper()
	if got == nil {
		t.Error("heatmap = nil, want a grid")
		return
	}
	bad := 0
	for w := range want {
		for h := range want[w] {
			if g, x := fptr(got[w][h]), fptr(want[w][h]); g != x {
				if bad < 5 {
					t.Errorf("heatmap[%d][%d] = %s, want %s", w, h, g, x)
				}
				bad++
			}
		}
	}
	if bad > 5 {
		t.Errorf("... %d cells differ", bad)
	}
}

// seededRand returns the random source of a property test: a fixed seed,
// or AUDIENCE_SEED to try another; the seed is logged.
func seededRand(t *testing.T, seed uint64) *rand.Rand {
	t.Helper()
	if s := os.Getenv("AUDIENCE_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("AUDIENCE_SEED: %v", err)
		}
		seed = v
	}
	t.Logf("seed %d (rerun with AUDIENCE_SEED=%d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// Job kinds of these tests; the packages that run jobs declare their own.
const (
	kindFetch   = "fetch_posts"
	kindRefresh = "refresh_token"
)

// newAccount inserts a user with one Instagram account and returns its id.
func newAccount(t *testing.T, db *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	var user, acc string
	tag := fmt.Sprint(time.Now().UnixNano())
	if err := db.QueryRowContext(ctx, `INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`, "j"+tag+"@example.com").Scan(&user); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, access_token) VALUES ($1, $2, 'v1:x') RETURNING id`, user, tag).Scan(&acc); err != nil {
		t.Fatal(err)
	}
	return acc
}

type jobState struct {
	State    string
	Attempts int
	LockedBy sql.NullString
	RunAt    time.Time
	Error    sql.NullString
}

func readJob(t *testing.T, db *sql.DB, id string) jobState {
	t.Helper()
	var j jobState
	if err := db.QueryRow(`SELECT state, attempts, locked_by, run_at, last_error FROM jobs WHERE id = $1`, id).
		Scan(&j.State, &j.Attempts, &j.LockedBy, &j.RunAt, &j.Error); err != nil {
		t.Fatal(err)
	}
	return j
}

func TestJobs_Enqueue(t *testing.T) {
	ctx := context.Background()
	t.Run("OneJobUnderConcurrentEnqueues", func(t *testing.T) {
		db := testdb.New(t)
		jobs, acc := postgres.NewJobs(db), newAccount(t, db)
		var wg sync.WaitGroup
		created := make(chan bool, 20)
		for range 20 {
			wg.Go(func() {
				ok, err := jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5)
				if err != nil {
					t.Error(err)
				}
				created <- ok
			})
		}
		wg.Wait()
		close(created)
		n := 0
		for ok := range created {
			if ok {
				n++
			}
		}
		var rows int
		if err := db.QueryRow(`SELECT count(*) FROM jobs`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if n != 1 || rows != 1 {
			t.Errorf("created %d, rows %d; want 1 and 1", n, rows)
		}
	})
	t.Run("MovesAQueuedJobEarlier", func(t *testing.T) {
		db := testdb.New(t)
		jobs, acc := postgres.NewJobs(db), newAccount(t, db)
		later := time.Now().Add(time.Hour)
		if _, err := jobs.Enqueue(ctx, kindFetch, acc, later, 5); err != nil {
			t.Fatal(err)
		}
		if created, err := jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5); err != nil || created {
			t.Fatalf("second enqueue: created %v, err %v", created, err)
		}
		j, ok, err := jobs.Claim(ctx, "w", time.Minute)
		if err != nil || !ok || j.AccountID != acc {
			t.Fatalf("claim: %v %v %v, want the job moved to now", j, ok, err)
		}
	})
	t.Run("NoSecondJobWhileOneRuns", func(t *testing.T) {
		db := testdb.New(t)
		jobs, acc := postgres.NewJobs(db), newAccount(t, db)
		jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5) //nolint:errcheck
		if _, ok, err := jobs.Claim(ctx, "w", time.Minute); !ok || err != nil {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if created, err := jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5); err != nil || created {
			t.Errorf("enqueue while running: created %v, err %v", created, err)
		}
		if created, err := jobs.Enqueue(ctx, kindRefresh, acc, time.Now(), 5); err != nil || !created {
			t.Errorf("enqueue of another kind: created %v, err %v", created, err)
		}
	})
	t.Run("GoneAccount", func(t *testing.T) {
		db := testdb.New(t)
		jobs := postgres.NewJobs(db)
		created, err := jobs.Enqueue(ctx, kindFetch, "00000000-0000-0000-0000-000000000001", time.Now(), 5)
		if err != nil || created {
			t.Errorf("enqueue for a missing account: created %v, err %v", created, err)
		}
	})
}

func TestJobs_EnqueueMany(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	jobs := postgres.NewJobs(db)
	fresh, queued, running := newAccount(t, db), newAccount(t, db), newAccount(t, db)
	gone := "6f1c1b1e-0000-4000-8000-000000000000"
	now := time.Now().UTC().Truncate(time.Microsecond)
	if _, err := jobs.Enqueue(ctx, kindFetch, queued, now.Add(time.Hour), 5); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.Enqueue(ctx, kindFetch, running, now, 5); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := jobs.Claim(ctx, "w", time.Minute); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	runAt := func(acc string) time.Time {
		t.Helper()
		var at time.Time
		if err := db.QueryRow(`SELECT run_at FROM jobs WHERE account_id = $1 AND state IN ('queued', 'running')`, acc).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	runningAt := runAt(running)

	n, err := jobs.EnqueueMany(ctx, kindFetch,
		[]string{fresh, fresh, queued, running, gone},
		[]time.Time{now.Add(2 * time.Minute), now.Add(time.Minute), now, now, now}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("created %d, want 1 (the fresh account's)", n)
	}
	if got := runAt(fresh); !got.Equal(now.Add(time.Minute)) {
		t.Errorf("fresh account's job at %s, want the earlier of its two times, %s", got, now.Add(time.Minute))
	}
	if got := runAt(queued); !got.Equal(now) {
		t.Errorf("queued job at %s, want it moved earlier to %s", got, now)
	}
	if got := runAt(running); !got.Equal(runningAt) {
		t.Errorf("running job's run_at %s changed to %s", runningAt, got)
	}
	var total int
	if err := db.QueryRow(`SELECT count(*) FROM jobs`).Scan(&total); err != nil || total != 3 {
		t.Errorf("%d jobs (%v), want 3: none for the account that is gone", total, err)
	}
	if n, err := jobs.EnqueueMany(ctx, kindFetch, nil, nil, 5); err != nil || n != 0 {
		t.Errorf("no accounts: %d, %v", n, err)
	}
	if _, err := jobs.EnqueueMany(ctx, kindFetch, []string{fresh}, nil, 5); err == nil {
		t.Error("mismatched lengths: no error")
	}
}

func TestJobs_Claim(t *testing.T) {
	ctx := context.Background()
	t.Run("NotBeforeRunAt", func(t *testing.T) {
		db := testdb.New(t)
		jobs, acc := postgres.NewJobs(db), newAccount(t, db)
		jobs.Enqueue(ctx, kindFetch, acc, time.Now().Add(time.Minute), 5) //nolint:errcheck
		if _, ok, err := jobs.Claim(ctx, "w", time.Minute); ok || err != nil {
			t.Errorf("claimed a future job: %v %v", ok, err)
		}
	})
	t.Run("ExpiredLease", func(t *testing.T) {
		db := testdb.New(t)
		jobs, acc := postgres.NewJobs(db), newAccount(t, db)
		jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5) //nolint:errcheck
		first, ok, err := jobs.Claim(ctx, "dead", time.Minute)
		if !ok || err != nil {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if _, ok, _ := jobs.Claim(ctx, "other", time.Minute); ok {
			t.Fatal("claimed a job under a live lease")
		}
		if _, err := db.Exec(`UPDATE jobs SET locked_until = now() - interval '1 second'`); err != nil {
			t.Fatal(err)
		}
		second, ok, err := jobs.Claim(ctx, "other", time.Minute)
		if !ok || err != nil || second.ID != first.ID || second.Attempts != 2 {
			t.Fatalf("take over: %+v %v %v, want the same job, attempt 2", second, ok, err)
		}
		// The dead worker's late book-keeping does not touch the job.
		if err := jobs.Finish(ctx, first.ID, "dead"); err != nil {
			t.Fatal(err)
		}
		if j := readJob(t, db, first.ID); j.State != postgres.JobRunning || j.LockedBy.String != "other" {
			t.Errorf("after the dead worker's Finish: %+v", j)
		}
	})
	t.Run("Release", func(t *testing.T) {
		db := testdb.New(t)
		jobs, acc := postgres.NewJobs(db), newAccount(t, db)
		jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5) //nolint:errcheck
		j, _, err := jobs.Claim(ctx, "w", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := jobs.Release(ctx, j.ID, "w"); err != nil {
			t.Fatal(err)
		}
		if got := readJob(t, db, j.ID); got.State != postgres.JobQueued || got.Attempts != 0 || got.LockedBy.Valid {
			t.Errorf("after Release: %+v, want queued, attempts 0, unlocked", got)
		}
	})
	t.Run("RetryThenFail", func(t *testing.T) {
		db := testdb.New(t)
		jobs, acc := postgres.NewJobs(db), newAccount(t, db)
		jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 2) //nolint:errcheck
		for attempt := 1; attempt <= 2; attempt++ {
			j, ok, err := jobs.Claim(ctx, "w", time.Minute)
			if !ok || err != nil {
				t.Fatalf("attempt %d: claim %v %v", attempt, ok, err)
			}
			if err := jobs.Retry(ctx, j.ID, "w", "try again", time.Now()); err != nil {
				t.Fatal(err)
			}
			want := postgres.JobQueued
			if attempt == 2 {
				want = postgres.JobFailed
			}
			if got := readJob(t, db, j.ID); got.State != want || got.Error.String != "try again" {
				t.Errorf("attempt %d: %+v, want %s with the error", attempt, got, want)
			}
		}
	})
}

// Claimers racing over accounts that each have two jobs due start at most
// one job per account, however their snapshots interleave.
func TestJobs_ClaimOnePerAccountUnderRace(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	jobs := postgres.NewJobs(db)
	const accounts = 40
	for i := 0; i < accounts; i++ {
		acc := newAccount(t, db)
		for _, k := range []string{kindFetch, kindRefresh} {
			if _, err := jobs.Enqueue(ctx, k, acc, time.Now().Add(-time.Minute), 3); err != nil {
				t.Fatal(err)
			}
		}
	}

	var (
		mu      sync.Mutex
		started = map[string]int{}
		wg      sync.WaitGroup
	)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				j, ok, err := jobs.Claim(ctx, fmt.Sprint("w", w), time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				started[j.AccountID]++
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()

	for acc, n := range started {
		if n != 1 {
			t.Errorf("account %s: %d jobs started, want 1", acc, n)
		}
	}
	// Every account got its one job, even those whose first claim lost.
	var idle int
	if err := db.QueryRowContext(ctx, `
		SELECT count(DISTINCT account_id) FROM jobs j
		WHERE NOT EXISTS (SELECT 1 FROM jobs r WHERE r.account_id = j.account_id AND r.state = 'running')`).Scan(&idle); err != nil {
		t.Fatal(err)
	}
	if len(started) != accounts || idle != 0 {
		t.Errorf("%d accounts started, %d left idle; want %d and 0", len(started), idle, accounts)
	}
}

package worker_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/worker"
)

// Job kinds of these tests; the packages that run jobs declare their own.
const (
	kindFetch = "fetch_posts"
)

var discard = slog.New(slog.DiscardHandler)

func fastOptions() worker.Options {
	return worker.Options{Workers: 3, PollInterval: 20 * time.Millisecond, BaseBackoff: 10 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond, Lease: 2 * time.Second}
}

// newAccounts inserts a user with n Instagram accounts and returns their ids.
func newAccounts(t *testing.T, db *sql.DB, n int) []string {
	t.Helper()
	ctx := context.Background()
	var user string
	err := db.QueryRowContext(ctx, `INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`,
		fmt.Sprintf("w%d@example.com", time.Now().UnixNano())).Scan(&user)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		err := db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, access_token)
			VALUES ($1, $2, 'v1:x') RETURNING id`, user, fmt.Sprintf("ig-%d-%d", time.Now().UnixNano(), i)).Scan(&ids[i])
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func start(t *testing.T, db *sql.DB, handlers map[string]worker.Handler) *worker.Pool {
	t.Helper()
	p := worker.New(postgres.NewJobs(db), handlers, discard, fastOptions())
	p.Start(context.Background())
	t.Cleanup(p.Stop)
	return p
}

type jobRow struct {
	State    string
	Attempts int
	LockedBy sql.NullString
	Error    sql.NullString
}

func jobOf(t *testing.T, db *sql.DB, accountID string) jobRow {
	t.Helper()
	var j jobRow
	err := db.QueryRowContext(context.Background(), `SELECT state, attempts, locked_by, last_error FROM jobs
		WHERE account_id = $1 ORDER BY created_at DESC LIMIT 1`, accountID).Scan(&j.State, &j.Attempts, &j.LockedBy, &j.Error)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func countState(t *testing.T, db *sql.DB, state string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM jobs WHERE state = $1`, state).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPool_TwoPoolsRunEachJobOnce(t *testing.T) {
	db := testdb.New(t)
	const n = 40
	ids := newAccounts(t, db, n)
	var mu sync.Mutex
	runs := map[string]int{}
	handlers := map[string]worker.Handler{kindFetch: func(ctx context.Context, job postgres.Job) error {
		mu.Lock()
		runs[job.AccountID]++
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		return nil
	}}
	jobs := postgres.NewJobs(db)
	for _, id := range ids {
		if _, err := jobs.Enqueue(context.Background(), kindFetch, id, time.Now(), 5); err != nil {
			t.Fatal(err)
		}
	}
	a, b := start(t, db, handlers), start(t, db, handlers)
	waitFor(t, "all jobs done", func() bool { return countState(t, db, postgres.JobDone) == n })
	a.Stop()
	b.Stop()
	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		if runs[id] != 1 {
			t.Errorf("job of account %s ran %d times, want 1", id, runs[id])
		}
	}
}

func TestPool_TakesOverAnExpiredLease(t *testing.T) {
	db := testdb.New(t)
	acc := newAccounts(t, db, 1)[0]
	if _, err := db.Exec(`INSERT INTO jobs (kind, account_id, state, attempts, locked_by, locked_until, run_at)
		VALUES ('fetch_posts', $1, 'running', 1, 'dead', now() - interval '1 minute', now() - interval '5 minutes')`, acc); err != nil {
		t.Fatal(err)
	}
	var ran atomic.Int32
	start(t, db, map[string]worker.Handler{kindFetch: func(context.Context, postgres.Job) error {
		ran.Add(1)
		return nil
	}})
	waitFor(t, "the job to be done", func() bool { return jobOf(t, db, acc).State == postgres.JobDone })
	j := jobOf(t, db, acc)
	if ran.Load() != 1 || j.Attempts != 2 || j.LockedBy.Valid {
		t.Errorf("ran %d times, job %+v; want once, attempts 2, unlocked", ran.Load(), j)
	}
}

func TestPool_LeaveALiveLeaseAlone(t *testing.T) {
	db := testdb.New(t)
	acc := newAccounts(t, db, 1)[0]
	if _, err := db.Exec(`INSERT INTO jobs (kind, account_id, state, attempts, locked_by, locked_until)
		VALUES ('fetch_posts', $1, 'running', 1, 'alive', now() + interval '1 minute')`, acc); err != nil {
		t.Fatal(err)
	}
	var ran atomic.Int32
	start(t, db, map[string]worker.Handler{kindFetch: func(context.Context, postgres.Job) error {
		ran.Add(1)
		return nil
	}})
	time.Sleep(200 * time.Millisecond)
	if j := jobOf(t, db, acc); ran.Load() != 0 || j.State != postgres.JobRunning || j.LockedBy.String != "alive" {
		t.Errorf("ran %d times, job %+v; want a leased job untouched", ran.Load(), j)
	}
}

func TestPool_StopReleasesTheRunningJob(t *testing.T) {
	db := testdb.New(t)
	acc := newAccounts(t, db, 1)[0]
	if _, err := postgres.NewJobs(db).Enqueue(context.Background(), kindFetch, acc, time.Now(), 5); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	p := start(t, db, map[string]worker.Handler{kindFetch: func(ctx context.Context, _ postgres.Job) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}})
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the job never started")
	}
	p.Stop()
	if j := jobOf(t, db, acc); j.State != postgres.JobQueued || j.Attempts != 0 || j.LockedBy.Valid || j.Error.Valid {
		t.Fatalf("after Stop: job %+v; want queued, attempts 0, unlocked, no error", j)
	}
	var ran atomic.Int32
	start(t, db, map[string]worker.Handler{kindFetch: func(context.Context, postgres.Job) error {
		ran.Add(1)
		return nil
	}})
	waitFor(t, "the released job to be done", func() bool { return jobOf(t, db, acc).State == postgres.JobDone })
	if ran.Load() != 1 {
		t.Errorf("ran %d times on the new pool, want 1", ran.Load())
	}
}

func TestPool_Failures(t *testing.T) {
	tests := []struct {
		name         string
		err          error
		wantAttempts int
		wantError    string
	}{
		{"ErrRetriedUntilSpent", errors.New("boom"), 3, "The job failed; it will be retried."},
		{"ErrRetryMessage", worker.Retry(errors.New("slow"), "Instagram is slow.", 0), 3, "Instagram is slow."},
		{"ErrPermanent", worker.Permanent(errors.New("gone"), "Reconnect."), 1, "Reconnect."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testdb.New(t)
			acc := newAccounts(t, db, 1)[0]
			if _, err := postgres.NewJobs(db).Enqueue(context.Background(), kindFetch, acc, time.Now(), 3); err != nil {
				t.Fatal(err)
			}
			var ran atomic.Int32
			start(t, db, map[string]worker.Handler{kindFetch: func(context.Context, postgres.Job) error {
				ran.Add(1)
				return tt.err
			}})
			waitFor(t, "the job to fail", func() bool { return jobOf(t, db, acc).State == postgres.JobFailed })
			j := jobOf(t, db, acc)
			if got, want := j.Attempts, tt.wantAttempts; got != want || int(ran.Load()) != want {
				t.Errorf("attempts = %d, runs = %d, want %d", got, ran.Load(), want)
			}
			if got, want := j.Error.String, tt.wantError; got != want {
				t.Errorf("last_error = %q, want %q", got, want)
			}
		})
	}
}

func TestPool_PanickingJobFailsAlone(t *testing.T) {
	db := testdb.New(t)
	ids := newAccounts(t, db, 2)
	jobs := postgres.NewJobs(db)
	for _, id := range ids {
		if _, err := jobs.Enqueue(context.Background(), kindFetch, id, time.Now(), 3); err != nil {
			t.Fatal(err)
		}
	}
	start(t, db, map[string]worker.Handler{kindFetch: func(_ context.Context, job postgres.Job) error {
		if job.AccountID == ids[0] {
			var m map[string]int
			//lint:ignore SA5000 the panic is the point: a bug in a handler
			m["boom"]++
		}
		return nil
	}})
	waitFor(t, "both jobs to end", func() bool {
		return jobOf(t, db, ids[0]).State == postgres.JobFailed && jobOf(t, db, ids[1]).State == postgres.JobDone
	})
	if j := jobOf(t, db, ids[0]); j.Attempts != 1 || j.Error.String != "The job failed unexpectedly." {
		t.Errorf("panicking job: %+v", j)
	}
}

func TestPool_RetryWithinCapsTheBackoff(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		min, max time.Duration
	}{
		// The pool's first retry: BaseBackoff, jittered over its upper half.
		{"PoolBackoff", errors.New("boom"), 30 * time.Minute, time.Hour},
		{"RetryAfter", worker.Retry(errors.New("slow"), "Slow.", 90*time.Minute), 90 * time.Minute, 90 * time.Minute},
		{"Within", worker.RetryWithin(errors.New("down"), "Down.", 2*time.Second), time.Second, 2 * time.Second},
		{"WithinAboveTheBackoff", worker.RetryWithin(errors.New("down"), "Down.", 3*time.Hour), 30 * time.Minute, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testdb.New(t)
			acc := newAccounts(t, db, 1)[0]
			// One attempt: the job fails at once, and its run_at keeps the wait the pool chose.
			if _, err := postgres.NewJobs(db).Enqueue(context.Background(), kindFetch, acc, time.Now(), 1); err != nil {
				t.Fatal(err)
			}
			opts := fastOptions()
			opts.BaseBackoff, opts.MaxBackoff = time.Hour, 2*time.Hour
			p := worker.New(postgres.NewJobs(db), map[string]worker.Handler{kindFetch: func(context.Context, postgres.Job) error {
				return tt.err
			}}, discard, opts)
			p.Start(context.Background())
			t.Cleanup(p.Stop)
			waitFor(t, "the job to fail", func() bool { return jobOf(t, db, acc).State == postgres.JobFailed })
			var secs float64
			if err := db.QueryRow(`SELECT EXTRACT(EPOCH FROM run_at - updated_at) FROM jobs WHERE account_id = $1`, acc).Scan(&secs); err != nil {
				t.Fatal(err)
			}
			// run_at is taken just before the update that sets updated_at: allow a little for that.
			got := time.Duration(secs * float64(time.Second))
			if got < tt.min-time.Second || got > tt.max {
				t.Errorf("retry in %s, want %s to %s", got, tt.min, tt.max)
			}
		})
	}
}

package worker_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/worker"
)

// TestDefaultLease_TakeoverWithinContract: a job whose server died is taken
// over once its lease runs out and a worker polls; with the defaults that
// is inside the contract's 30 s.
func TestDefaultLease_TakeoverWithinContract(t *testing.T) {
	if got := worker.DefaultLease + time.Second; got > 30*time.Second {
		t.Fatalf("default lease %s + a poll = %s, over the contract's 30 s", worker.DefaultLease, got)
	}
}

// TestPool_TakesOverADeadWorkersJob: a claim left behind by a worker that
// died (it never releases, finishes or renews) is run by another pool as
// soon as the lease runs out, exactly once.
func TestPool_TakesOverADeadWorkersJob(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	jobs := postgres.NewJobs(db)
	acc := newAccounts(t, db, 1)[0]
	if _, err := jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5); err != nil {
		t.Fatal(err)
	}
	const lease = time.Second
	dead, ok, err := jobs.Claim(ctx, "dead-server/0", lease)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	claimed := time.Now()

	var runs atomic.Int32
	ran := make(chan time.Time, 4)
	opts := fastOptions()
	opts.Lease = lease
	p := worker.New(jobs, map[string]worker.Handler{kindFetch: func(ctx context.Context, j postgres.Job) error {
		if j.ID != dead.ID {
			t.Errorf("ran job %s, want %s", j.ID, dead.ID)
		}
		runs.Add(1)
		ran <- time.Now()
		return nil
	}}, discard, opts)
	p.Start(ctx)
	defer p.Stop()

	select {
	case at := <-ran:
		if d := at.Sub(claimed); d < lease {
			t.Errorf("taken over after %s, before the lease of %s ran out", d, lease)
		} else if d > lease+2*time.Second {
			t.Errorf("taken over after %s; want soon after the lease of %s", d, lease)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the dead worker's job was never taken over")
	}
	waitFor(t, "the job done", func() bool { j, _, _ := jobs.Latest(ctx, kindFetch, acc); return j.State == postgres.JobDone })
	time.Sleep(3 * lease) // a second run would show up here
	if n := runs.Load(); n != 1 {
		t.Fatalf("job ran %d times, want 1", n)
	}
	if j, _, _ := jobs.Latest(ctx, kindFetch, acc); j.Attempts != 2 {
		t.Errorf("attempts = %d, want 2 (the dead claim and the takeover)", j.Attempts)
	}
}

// TestPool_LostLeaseStopsTheRun: when a run's lease is taken by another
// worker (this one stalled past it), the heartbeat notices, the run's
// context is cancelled and the row is left to its new owner.
func TestPool_LostLeaseStopsTheRun(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	jobs := postgres.NewJobs(db)
	acc := newAccounts(t, db, 1)[0]
	if _, err := jobs.Enqueue(ctx, kindFetch, acc, time.Now(), 5); err != nil {
		t.Fatal(err)
	}
	started, cancelled := make(chan string, 1), make(chan struct{})
	opts := fastOptions()
	opts.Lease = 600 * time.Millisecond
	p := worker.New(jobs, map[string]worker.Handler{kindFetch: func(ctx context.Context, j postgres.Job) error {
		started <- j.ID
		<-ctx.Done()
		close(cancelled)
		return ctx.Err()
	}}, discard, opts)
	p.Start(ctx)
	defer p.Stop()

	id := <-started
	if _, err := db.ExecContext(ctx, `UPDATE jobs SET locked_by = 'thief/0' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the run went on after its lease was lost")
	}
	time.Sleep(100 * time.Millisecond)
	var state, by string
	if err := db.QueryRowContext(ctx, `SELECT state, locked_by FROM jobs WHERE id = $1`, id).Scan(&state, &by); err != nil {
		t.Fatal(err)
	}
	if state != postgres.JobRunning || by != "thief/0" {
		t.Fatalf("row = %s by %s; want it left running under its new owner", state, by)
	}
}

// TestPool_FairAcrossAccounts: with one account's long backfill running
// and many accounts due at once, the other accounts' jobs are not held
// behind it, and no account ever has two jobs running at once.
func TestPool_FairAcrossAccounts(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	jobs := postgres.NewJobs(db)
	accs := newAccounts(t, db, 200)
	kinds := []string{kindFetch, "refresh_token", "post_insights", "account_insights"}
	base := time.Now().Add(-time.Minute)
	// The backfilling account's jobs are the oldest due: FIFO alone would
	// give it every worker.
	for i, k := range kinds {
		if _, err := jobs.Enqueue(ctx, k, accs[0], base.Add(time.Duration(i)*time.Millisecond), 5); err != nil {
			t.Fatal(err)
		}
	}
	total := len(kinds)
	for i, a := range accs[1:] {
		for j, k := range kinds[:2] {
			if _, err := jobs.Enqueue(ctx, k, a, base.Add(time.Second+time.Duration(2*i+j)*time.Millisecond), 5); err != nil {
				t.Fatal(err)
			}
			total++
		}
	}

	var (
		mu       sync.Mutex
		running  = map[string]int{}
		overlaps int
		others   atomic.Int32 // other accounts' jobs done while the backfill ran
		done     atomic.Int32
	)
	backfill := make(chan struct{})
	handler := func(ctx context.Context, j postgres.Job) error {
		mu.Lock()
		running[j.AccountID]++
		if running[j.AccountID] > 1 {
			overlaps++
		}
		mu.Unlock()
		defer func() {
			mu.Lock()
			running[j.AccountID]--
			mu.Unlock()
			done.Add(1)
		}()
		if j.AccountID == accs[0] {
			select { // a long backfill
			case <-backfill:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		}
		others.Add(1)
		return nil
	}
	handlers := map[string]worker.Handler{}
	for _, k := range kinds {
		handlers[k] = handler
	}
	opts := fastOptions()
	opts.Workers = 4
	p := worker.New(jobs, handlers, discard, opts)
	p.Start(ctx)
	defer p.Stop()

	want := int32(2 * (len(accs) - 1))
	waitFor(t, "every other account's jobs done while the backfill runs", func() bool { return others.Load() == want })
	close(backfill)
	waitFor(t, "every job done", func() bool { return done.Load() == int32(total) })
	if overlaps != 0 {
		t.Errorf("an account had two jobs running at once %d times", overlaps)
	}
	// The pool records a run's end just after its handler returns.
	waitFor(t, "every job row done", func() bool {
		var left int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE state <> 'done'`).Scan(&left)
		return err == nil && left == 0
	})
}

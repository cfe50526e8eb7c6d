package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Job states. The kinds are declared by the packages that run them.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// ErrLeaseLost is returned by Extend when the job is no longer held by the
// worker: its lease ran out and another worker took it, or it ended.
var ErrLeaseLost = errors.New("job lease lost")

// Job is a row of jobs.
type Job struct {
	ID           string
	Kind         string
	AccountID    string
	State        string
	Attempts     int
	MaxAttempts  int
	RunAt        time.Time
	LastError    string
	PostsFetched int
	// Payload is what a job without an account carries (a send_mail job:
	// its sealed message); empty once consumed.
	Payload    string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// Jobs is the durable job queue.
type Jobs struct{ db *sql.DB }

// NewJobs returns the job queue store.
func NewJobs(db *sql.DB) *Jobs { return &Jobs{db: db} }

const jobColumns = `id, kind, COALESCE(account_id::text, ''), state, attempts, max_attempts, run_at, COALESCE(last_error, ''),
	posts_fetched, COALESCE(payload, ''), created_at, updated_at, finished_at`

func scanJob(row interface{ Scan(...any) error }) (Job, error) {
	var j Job
	err := row.Scan(&j.ID, &j.Kind, &j.AccountID, &j.State, &j.Attempts, &j.MaxAttempts, &j.RunAt, &j.LastError,
		&j.PostsFetched, &j.Payload, &j.CreatedAt, &j.UpdatedAt, &j.FinishedAt)
	return j, err
}

// Enqueue schedules a job of kind for the account at runAt, unless one is
// already queued or running; a queued one is moved earlier when runAt is.
// It reports whether a new job was created.
func (s *Jobs) Enqueue(ctx context.Context, kind, accountID string, runAt time.Time, maxAttempts int) (bool, error) {
	const q = `
		INSERT INTO jobs (kind, account_id, run_at, max_attempts) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, account_id) WHERE state IN ('queued', 'running') DO UPDATE
			SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at), updated_at = now()
			WHERE jobs.state = 'queued'
		RETURNING (xmax = 0)`
	var created bool
	err := s.db.QueryRowContext(ctx, q, kind, accountID, runAt, maxAttempts).Scan(&created)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // one is running already
	}
	if IsForeignKeyViolation(err) {
		return false, nil // the account was disconnected meanwhile
	}
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return created, nil
}

// EnqueueMany is Enqueue for many accounts in one statement: account i
// gets a job of kind at runAt[i] (the earliest when it is named twice); an
// account's queued job keeps the earliest run_at, a running one is left
// alone and an account gone meanwhile gets none. It returns how many jobs
// it created.
func (s *Jobs) EnqueueMany(ctx context.Context, kind string, accountIDs []string, runAt []time.Time, maxAttempts int) (int, error) {
	if len(accountIDs) != len(runAt) {
		return 0, fmt.Errorf("enqueue %s: %d accounts and %d times", kind, len(accountIDs), len(runAt))
	}
	if len(accountIDs) == 0 {
		return 0, nil
	}
	at := make([]string, len(runAt))
	for i, t := range runAt {
		at[i] = t.UTC().Format(time.RFC3339Nano)
	}
	const q = `
		WITH ins AS (
			INSERT INTO jobs (kind, account_id, run_at, max_attempts)
			SELECT DISTINCT ON (u.id) $1, u.id, u.run_at, $4
			FROM unnest($2::uuid[], $3::timestamptz[]) AS u(id, run_at)
			JOIN instagram_accounts a ON a.id = u.id
			ORDER BY u.id, u.run_at
			ON CONFLICT (kind, account_id) WHERE state IN ('queued', 'running') DO UPDATE
				SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at), updated_at = now()
				WHERE jobs.state = 'queued'
			RETURNING (xmax = 0) AS created)
		SELECT count(*) FILTER (WHERE created) FROM ins`
	for try := 1; ; try++ {
		var n int
		err := s.db.QueryRowContext(ctx, q, kind, pq.StringArray(accountIDs), pq.StringArray(at), maxAttempts).Scan(&n)
		if IsForeignKeyViolation(err) && try < 2 {
			continue // an account was disconnected after the statement's snapshot
		}
		if err != nil {
			return 0, fmt.Errorf("enqueue %s: %w", kind, err)
		}
		return n, nil
	}
}

// EnqueuePayload schedules a job of kind that belongs to no account and
// carries payload, under the given id (so that the payload can be sealed
// for its row before the insert). A non-empty key makes the job unique
// for as long as its row lives: a second one with the same kind and key
// is dropped. It reports whether the job was created.
func (s *Jobs) EnqueuePayload(ctx context.Context, id, kind, key, payload string, runAt time.Time, maxAttempts int) (bool, error) {
	return enqueuePayload(ctx, s.db, id, kind, key, payload, runAt, maxAttempts)
}

// EnqueuePayloadTx is EnqueuePayload inside tx: the job exists only if
// tx commits, together with whatever else tx writes.
func (s *Jobs) EnqueuePayloadTx(ctx context.Context, tx *sql.Tx, id, kind, key, payload string, runAt time.Time, maxAttempts int) (bool, error) {
	return enqueuePayload(ctx, tx, id, kind, key, payload, runAt, maxAttempts)
}

// rowQueryer is a *sql.DB or a *sql.Tx.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func enqueuePayload(ctx context.Context, db rowQueryer, id, kind, key, payload string, runAt time.Time, maxAttempts int) (bool, error) {
	const q = `
		INSERT INTO jobs (id, kind, dedupe_key, payload, run_at, max_attempts) VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6)
		ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
		RETURNING true`
	var created bool
	err := db.QueryRowContext(ctx, q, id, kind, key, payload, runAt, maxAttempts).Scan(&created)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // one with this key exists
	}
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return created, nil
}

// ConsumePayload drops the payload of a running job once its work is
// done, before the pool finishes it: a later run of the same job (its
// worker died before Finish) finds the payload gone and knows the work
// was done. It reports whether this call dropped it.
func (s *Jobs) ConsumePayload(ctx context.Context, id string) (bool, error) {
	const q = `UPDATE jobs SET payload = NULL, updated_at = now()
		WHERE id = $1 AND state = 'running' AND payload IS NOT NULL`
	res, err := s.db.ExecContext(ctx, q, id)
	if err != nil {
		return false, fmt.Errorf("consume payload: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("consume payload: %w", err)
	}
	return n == 1, nil
}

// Claim takes up to one due job for worker, leasing it until lease from
// now. Rows locked by other claimers are skipped, so replicas never take the
// same job. Jobs whose lease ran out (their worker died) are due again.
func (s *Jobs) Claim(ctx context.Context, worker string, lease time.Duration) (Job, bool, error) {
	// Fair across accounts: a job waits while another job of its account
	// is running, so one account's long backfill occupies one worker at
	// most and each account's Instagram budget is spent by one job at a
	// time; jobs of no account (mail) never wait. A running job whose
	// lease ran out is itself due, and goes before its account's others.
	// Among the rest, the longest due goes first.
	//
	// Two claimers can both see an account idle; the unique index on
	// running jobs per account (migration 0017) lets one of them win and
	// the other, refused, looks again with a fresh snapshot.
	const q = `
		UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1,
			locked_until = now() + $2 * interval '1 second', updated_at = now()
		WHERE id = (
			SELECT j.id FROM jobs j
			WHERE ((j.state = 'queued' AND j.run_at <= now())
			    OR (j.state = 'running' AND j.locked_until < now()))
			  AND NOT EXISTS (
				SELECT 1 FROM jobs r
				WHERE r.account_id = j.account_id AND r.id <> j.id AND r.state = 'running')
			ORDER BY j.run_at
			FOR UPDATE OF j SKIP LOCKED
			LIMIT 1)
		RETURNING ` + jobColumns
	const tries = 5
	for try := 1; ; try++ {
		j, err := scanJob(s.db.QueryRowContext(ctx, q, worker, lease.Seconds()))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return Job{}, false, nil
		case IsUniqueViolation(err) && try < tries:
			continue // another claimer started a job of this account first
		case IsUniqueViolation(err):
			return Job{}, false, nil // contended; the next poll looks again
		case err != nil:
			return Job{}, false, fmt.Errorf("claim job: %w", err)
		}
		return j, true, nil
	}
}

// Extend renews the lease of a running job held by worker.
func (s *Jobs) Extend(ctx context.Context, id, worker string, lease time.Duration) error {
	const q = `UPDATE jobs SET locked_until = now() + $3 * interval '1 second'
		WHERE id = $1 AND locked_by = $2 AND state = 'running'`
	res, err := s.db.ExecContext(ctx, q, id, worker, lease.Seconds())
	if err != nil {
		return fmt.Errorf("extend lease: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Progress records how many posts a running fetch has stored.
func (s *Jobs) Progress(ctx context.Context, id string, postsFetched int) error {
	const q = `UPDATE jobs SET posts_fetched = $2, updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, postsFetched); err != nil {
		return fmt.Errorf("job progress: %w", err)
	}
	return nil
}

// Finish marks a job done.
func (s *Jobs) Finish(ctx context.Context, id, worker string) error {
	const q = `UPDATE jobs SET state = 'done', last_error = NULL, locked_by = NULL, locked_until = NULL,
		finished_at = now(), updated_at = now() WHERE id = $1 AND locked_by = $2`
	if _, err := s.db.ExecContext(ctx, q, id, worker); err != nil {
		return fmt.Errorf("finish job: %w", err)
	}
	return nil
}

// Retry puts a job back in the queue to run at runAt, keeping msg as its
// last error, or fails it for good when its attempts are spent.
func (s *Jobs) Retry(ctx context.Context, id, worker, msg string, runAt time.Time) error {
	const q = `UPDATE jobs SET
			state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
			finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
			run_at = $3, last_error = $4, locked_by = NULL, locked_until = NULL, updated_at = now()
		WHERE id = $1 AND locked_by = $2`
	if _, err := s.db.ExecContext(ctx, q, id, worker, runAt, msg); err != nil {
		return fmt.Errorf("retry job: %w", err)
	}
	return nil
}

// Fail marks a job failed for good.
func (s *Jobs) Fail(ctx context.Context, id, worker, msg string) error {
	const q = `UPDATE jobs SET state = 'failed', last_error = $3, locked_by = NULL, locked_until = NULL,
		finished_at = now(), updated_at = now() WHERE id = $1 AND locked_by = $2`
	if _, err := s.db.ExecContext(ctx, q, id, worker, msg); err != nil {
		return fmt.Errorf("fail job: %w", err)
	}
	return nil
}

// Release hands a running job back to the queue untouched (its attempt not
// counted), as a worker does when the server shuts down.
func (s *Jobs) Release(ctx context.Context, id, worker string) error {
	const q = `UPDATE jobs SET state = 'queued', attempts = GREATEST(attempts - 1, 0), locked_by = NULL,
		locked_until = NULL, run_at = now(), updated_at = now() WHERE id = $1 AND locked_by = $2 AND state = 'running'`
	if _, err := s.db.ExecContext(ctx, q, id, worker); err != nil {
		return fmt.Errorf("release job: %w", err)
	}
	return nil
}

// Latest returns the most recent job of kind for the account.
func (s *Jobs) Latest(ctx context.Context, kind, accountID string) (Job, bool, error) {
	const q = `SELECT ` + jobColumns + ` FROM jobs WHERE account_id = $1 AND kind = $2
		ORDER BY created_at DESC, id DESC LIMIT 1`
	j, err := scanJob(s.db.QueryRowContext(ctx, q, accountID, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, false, nil
	}
	if err != nil {
		return Job{}, false, fmt.Errorf("latest job: %w", err)
	}
	return j, true, nil
}

// Prune deletes finished jobs older than age.
func (s *Jobs) Prune(ctx context.Context, age time.Duration) error {
	const q = `DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < now() - $1 * interval '1 second'`
	if _, err := s.db.ExecContext(ctx, q, age.Seconds()); err != nil {
		return fmt.Errorf("prune jobs: %w", err)
	}
	return nil
}

// QueueCount is the number of jobs of one kind in one state.
type QueueCount struct {
	Kind, State string
	N           int
}

// QueueStats is the state of the queue, for metrics.
type QueueStats struct {
	// Depth counts the queued and running jobs by kind and state.
	Depth []QueueCount
	// OldestDue is how long the longest-waiting due job has been due
	// (zero when none is): the queue's lag.
	OldestDue time.Duration
}

// QueueStats counts the queue by kind and state and measures its lag.
func (s *Jobs) QueueStats(ctx context.Context) (QueueStats, error) {
	const q = `SELECT kind, state, count(*),
			COALESCE(extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'queued' AND run_at <= now())), 0)
		FROM jobs WHERE state IN ('queued', 'running') GROUP BY kind, state ORDER BY kind, state`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return QueueStats{}, fmt.Errorf("queue stats: %w", err)
	}
	defer rows.Close()
	var st QueueStats
	for rows.Next() {
		var c QueueCount
		var lag float64
		if err := rows.Scan(&c.Kind, &c.State, &c.N, &lag); err != nil {
			return QueueStats{}, fmt.Errorf("queue stats: %w", err)
		}
		st.Depth = append(st.Depth, c)
		st.OldestDue = max(st.OldestDue, time.Duration(lag*float64(time.Second)))
	}
	if err := rows.Err(); err != nil {
		return QueueStats{}, fmt.Errorf("queue stats: %w", err)
	}
	return st, nil
}

// ClaimSchedule advances the named schedule by every and reports whether
// this caller won it: of all replicas polling, one runs each occurrence.
func ClaimSchedule(ctx context.Context, db *sql.DB, name string, every time.Duration) (bool, error) {
	if _, err := db.ExecContext(ctx, `INSERT INTO schedules (name, next_run_at) VALUES ($1, now()) ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return false, fmt.Errorf("schedule %s: %w", name, err)
	}
	const q = `UPDATE schedules SET next_run_at = now() + $2 * interval '1 second'
		WHERE name = $1 AND next_run_at <= now()`
	res, err := db.ExecContext(ctx, q, name, every.Seconds())
	if err != nil {
		return false, fmt.Errorf("schedule %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("schedule %s: %w", name, err)
	}
	return n == 1, nil
}

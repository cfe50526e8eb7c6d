// Package worker runs the durable jobs of the jobs table with a pool of
// goroutines, and the periodic schedules that enqueue them. Jobs are
// claimed with FOR UPDATE SKIP LOCKED, so any number of replicas can run
// pools on one database and each job runs once at a time.
package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"creatorgrowth/internal/postgres"
)

// Handler runs one job. A nil error finishes it; an error is retried with
// the pool's backoff unless it is Permanent, or after the wait that Retry
// names.
type Handler func(ctx context.Context, job postgres.Job) error

// permanentError is a failure that retrying will not fix.
type permanentError struct {
	err error
	msg string
}

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying; msg is what the user sees.
func Permanent(err error, msg string) error { return &permanentError{err: err, msg: msg} }

// retryError is a failure to retry no sooner than after, and, when
// within is set, with the pool's backoff capped at within.
type retryError struct {
	err    error
	msg    string
	after  time.Duration
	within time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// Retry marks err as temporary: retry no sooner than after (zero: the
// pool's backoff); msg is what the user sees meanwhile.
func Retry(err error, msg string, after time.Duration) error {
	return &retryError{err: err, msg: msg, after: after}
}

// RetryWithin marks err as temporary: retry after the pool's backoff, but
// with its growth capped at within, so that the next try is never more
// than within away (a mail whose link expires must not sit out most of
// its life after the server is back); msg is what the user sees meanwhile.
func RetryWithin(err error, msg string, within time.Duration) error {
	return &retryError{err: err, msg: msg, within: within}
}

// DefaultLease is how long a claim holds without a heartbeat.
const DefaultLease = 20 * time.Second

// Options tune a Pool.
type Options struct {
	Workers      int           // goroutines running jobs; default 2
	PollInterval time.Duration // how often idle workers look for due jobs; default 1 s
	Lease        time.Duration // how long a claim holds unless renewed (every Lease/3 while the job runs); default 20 s
	BaseBackoff  time.Duration // first retry delay; default 30 s
	MaxBackoff   time.Duration // longest retry delay; default 30 min
	JobTimeout   time.Duration // deadline of one run; default 10 min
	// Wake, when set, wakes an idle worker whenever it is notified, for a
	// job just enqueued by this process; without it the pool polls only.
	Wake *Wake
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Lease <= 0 {
		// A job whose server died is taken over once its lease runs out:
		// within 20 s plus a poll, inside the contract's 30 s.
		o.Lease = DefaultLease
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = 30 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Minute
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = 10 * time.Minute
	}
}

// Pool runs jobs until Stop.
type Pool struct {
	jobs     *postgres.Jobs
	handlers map[string]Handler
	logger   *slog.Logger
	opts     Options
	id       string

	wake   chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// OnOutcome, when set before Start, is told how each run ended
	// ("done", "retry", "failed", "released", "lost"), for metrics.
	OnOutcome func(kind, outcome string)
}

// New returns a pool running the given handlers by job kind.
func New(jobs *postgres.Jobs, handlers map[string]Handler, logger *slog.Logger, opts Options) *Pool {
	opts.defaults()
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails
	p := &Pool{
		jobs:     jobs,
		handlers: handlers,
		logger:   logger,
		opts:     opts,
		id:       fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b)),
		wake:     make(chan struct{}, 1),
	}
	if opts.Wake != nil {
		opts.Wake.add(p.wake)
	}
	return p
}

// Wake tells the pools built with it (Options.Wake) that a job was just
// enqueued by this process. It exists before any pool, so that the code
// that enqueues jobs (and declares the handlers a pool runs) can be given
// it at construction. The zero value is ready to use.
type Wake struct {
	mu    sync.Mutex
	pools []chan struct{}
}

// Notify wakes an idle worker of every pool built with w.
func (w *Wake) Notify() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.pools {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

func (w *Wake) add(c chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pools = append(w.pools, c)
}

// Start launches the workers. They run until Stop or ctx ends.
func (p *Pool) Start(ctx context.Context) {
	ctx, p.cancel = context.WithCancel(ctx)
	for i := range p.opts.Workers {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.loop(ctx, fmt.Sprintf("%s/%d", p.id, i))
		}()
	}
}

// Stop ends the workers and waits for them. A job that is running is
// cancelled and handed back to the queue, so that it runs again at once
// on the next start or on another replica.
func (p *Pool) Stop() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}

func (p *Pool) loop(ctx context.Context, worker string) {
	ticker := time.NewTicker(p.opts.PollInterval)
	defer ticker.Stop()
	for {
		// Drain every due job before sleeping.
		for ctx.Err() == nil && p.runOne(ctx, worker) {
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-p.wake:
		}
	}
}

// runOne claims and runs one job; it reports whether there was one.
func (p *Pool) runOne(ctx context.Context, worker string) bool {
	// The claim is not cancelled by Stop: a cancelled query may still
	// commit on the server, and the job would then sit under the lease of a
	// worker that never heard of it. A job won while stopping goes back.
	claimCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	job, ok, err := p.jobs.Claim(claimCtx, worker, p.opts.Lease)
	if err != nil {
		if ctx.Err() == nil {
			p.logger.Warn("claim job", slog.String("error", err.Error()))
		}
		return false
	}
	if !ok {
		return false
	}
	if ctx.Err() != nil {
		if err := p.jobs.Release(claimCtx, job.ID, worker); err != nil {
			p.logger.Error("release job", slog.String("job", job.ID), slog.String("error", err.Error()))
		}
		p.outcome(job.Kind, "released")
		return false
	}
	p.run(ctx, worker, job)
	return true
}

func (p *Pool) run(ctx context.Context, worker string, job postgres.Job) {
	log := p.logger.With(slog.Group("job", slog.String("id", job.ID), slog.String("kind", job.Kind),
		slog.String("account_id", job.AccountID), slog.Int("attempt", job.Attempts)))
	// Book-keeping outlives a cancelled run, bounded on its own.
	bk := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	}

	h, ok := p.handlers[job.Kind]
	if !ok {
		c, cancel := bk()
		defer cancel()
		p.jobs.Fail(c, job.ID, worker, "unknown job kind") //nolint:errcheck
		return
	}

	runCtx, cancelRun := context.WithTimeout(ctx, p.opts.JobTimeout)
	defer cancelRun()
	lost := make(chan struct{})
	stopBeat := p.heartbeat(runCtx, job.ID, worker, func() { close(lost); cancelRun() })
	start := time.Now()
	err := safeRun(h, runCtx, job)
	stopBeat()
	select {
	case <-lost:
		// Another worker holds the job now; whatever this run did, the
		// job's row is no longer ours to finish or retry.
		log.Warn("job lease lost; the run was stopped", slog.Float64("took_ms", float64(time.Since(start).Microseconds())/1000))
		p.outcome(job.Kind, "lost")
		return
	default:
	}

	c, cancel := bk()
	defer cancel()
	var (
		perm  *permanentError
		retry *retryError
	)
	switch {
	case err == nil:
		if err := p.jobs.Finish(c, job.ID, worker); err != nil {
			log.Error("finish job", slog.String("error", err.Error()))
		}
		log.Info("job done", slog.Float64("took_ms", float64(time.Since(start).Microseconds())/1000))
		p.outcome(job.Kind, "done")
	case ctx.Err() != nil:
		// Shutting down: hand the job back untouched.
		if err := p.jobs.Release(c, job.ID, worker); err != nil {
			log.Error("release job", slog.String("error", err.Error()))
		}
		log.Info("job released for shutdown")
		p.outcome(job.Kind, "released")
	case errors.As(err, &perm):
		if err := p.jobs.Fail(c, job.ID, worker, perm.msg); err != nil {
			log.Error("fail job", slog.String("error", err.Error()))
		}
		log.Warn("job failed", slog.String("error", err.Error()))
		p.outcome(job.Kind, "failed")
	default:
		msg, ceiling := "The job failed; it will be retried.", p.opts.MaxBackoff
		isRetry := errors.As(err, &retry)
		if isRetry {
			msg = retry.msg
			if retry.within > 0 {
				ceiling = min(ceiling, retry.within)
			}
		}
		wait := p.backoff(job.Attempts, ceiling)
		if isRetry {
			wait = max(wait, retry.after)
		}
		if job.Attempts >= job.MaxAttempts {
			log.Warn("job failed after its last attempt", slog.String("error", err.Error()))
			p.outcome(job.Kind, "failed")
		} else {
			log.Warn("job will be retried", slog.String("error", err.Error()), slog.Duration("in", wait))
			p.outcome(job.Kind, "retry")
		}
		if err := p.jobs.Retry(c, job.ID, worker, msg, time.Now().Add(wait)); err != nil {
			log.Error("retry job", slog.String("error", err.Error()))
		}
	}
}

// safeRun runs h, turning a panic into a permanent failure: one broken job
// must not take the server, and every other job, down with it.
func safeRun(h Handler, ctx context.Context, job postgres.Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = Permanent(fmt.Errorf("job panicked: %v\n%s", v, debug.Stack()), "The job failed unexpectedly.")
		}
	}()
	return h(ctx, job)
}

func (p *Pool) outcome(kind, outcome string) {
	if p.OnOutcome != nil {
		p.OnOutcome(kind, outcome)
	}
}

// heartbeat renews the job's lease while it runs; the returned function
// stops it and waits for it. When the lease turns out to be lost (it ran
// out and another worker claimed the job), onLost is called once and the
// heartbeat ends: two runs of one job never overlap for longer than a
// heartbeat interval.
func (p *Pool) heartbeat(ctx context.Context, id, worker string, onLost func()) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(p.opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c, cancel := context.WithTimeout(ctx, 5*time.Second)
				err := p.jobs.Extend(c, id, worker, p.opts.Lease)
				cancel()
				switch {
				case errors.Is(err, postgres.ErrLeaseLost):
					onLost()
					return
				case err != nil && ctx.Err() == nil:
					p.logger.Warn("extend lease", slog.String("job", id), slog.String("error", err.Error()))
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// backoff is exponential in the attempt, capped at ceiling, and jittered
// over its upper half.
func (p *Pool) backoff(attempt int, ceiling time.Duration) time.Duration {
	d := p.opts.BaseBackoff << min(max(attempt-1, 0), 16)
	if d <= 0 || d > ceiling {
		d = ceiling
	}
	return d/2 + time.Duration(mrand.Int64N(int64(d/2)+1))
}

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lib/pq"
)

// pg runs scripts/pg.sh stop|start on the drill cluster.
func (h *harness) pg(ctx context.Context, verb string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	args := []string{verb, h.pgName}
	if verb == "start" {
		args = append(args, strconv.Itoa(h.pgPort))
	}
	out, err := exec.CommandContext(ctx, h.pgScript, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg.sh %s: %w: %s", verb, err, out)
	}
	return nil
}

// signupLoad sends waitlist signups from n clients until ctx ends and
// remembers the emails that got a 2xx.
type signupLoad struct {
	mu       sync.Mutex
	acked    []string
	statuses map[int]int
	errs     int
}

func (l *signupLoad) run(ctx context.Context, h *harness, n int, tag string) {
	l.statuses = map[int]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ctx.Err() == nil; k++ {
				email := fmt.Sprintf("%s-%d-%d@example.com", tag, i, k)
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				st, _, _, err := h.do(rctx, http.MethodPost, "/api/waitlist/signup", "",
					map[string]string{"email": email}, map[string]string{"X-Forwarded-For": forwardedIP(i, k/100)})
				cancel()
				l.mu.Lock()
				if err != nil {
					l.errs++
				} else {
					l.statuses[st]++
					if st >= 200 && st < 300 {
						l.acked = append(l.acked, email)
					}
				}
				l.mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
}

func statusList(m map[int]int) string {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		name := strconv.Itoa(k)
		if k == 0 {
			name = "conn-error"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, m[k]))
	}
	return strings.Join(parts, " ")
}

// drillDatabase: PostgreSQL stopped and restarted while /health is polled
// and waitlist signups keep coming.
func (h *harness) drillDatabase(ctx context.Context) (string, error) {
	dbURL, err := h.database(ctx, "a")
	if err != nil {
		return "", err
	}
	srv, err := h.startServer(ctx, "a", h.serverEnv(dbURL, nil))
	if err != nil {
		return "", err
	}
	defer srv.signal(syscall.SIGTERM) //nolint:errcheck

	loadCtx, stopLoad := context.WithCancel(ctx)
	probe := &healthProbe{}
	load := &signupLoad{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); probe.run(loadCtx, h, 20*time.Millisecond) }()
	go func() { defer wg.Done(); load.run(loadCtx, h, 6, fmt.Sprintf("fault-a-%d", time.Now().Unix())) }()
	stopAll := func() { stopLoad(); wg.Wait() }

	time.Sleep(2 * time.Second)
	stopAt := time.Now()
	if err := h.pg(ctx, "stop"); err != nil {
		stopAll()
		return "", err
	}
	stopped := time.Since(stopAt)
	var down healthSample
	err = waitFor(ctx, 10*time.Second, 20*time.Millisecond, func() (bool, error) {
		var ok bool
		down, ok = probe.first(stopAt, http.StatusServiceUnavailable)
		return ok, nil
	})
	if err != nil {
		h.pg(ctx, "start") //nolint:errcheck
		stopAll()
		return "", fmt.Errorf("/health never answered 503 after PostgreSQL stopped: %w", err)
	}
	time.Sleep(5 * time.Second) // an outage of some seconds under load
	startAt := time.Now()
	if err := h.pg(ctx, "start"); err != nil {
		stopAll()
		return "", err
	}
	ready := time.Now()
	var up healthSample
	err = waitFor(ctx, 30*time.Second, 20*time.Millisecond, func() (bool, error) {
		var ok bool
		up, ok = probe.first(ready, http.StatusOK)
		return ok, nil
	})
	if err != nil {
		stopAll()
		return "", fmt.Errorf("/health did not recover after PostgreSQL restarted: %w", err)
	}
	time.Sleep(3 * time.Second)
	stopAll()

	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var present, total int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE email = ANY($1)), count(*) FROM waitlist`,
		pq.Array(load.acked)).Scan(&present, &total); err != nil {
		return "", err
	}
	out := fmt.Sprintf("pg stop took %s; /health 503 %s after the stop began (body %s); "+
		"pg start took %s; /health 200 again %s after PostgreSQL was ready (%s after start began); "+
		"health samples %s; waitlist answers %s, connection errors %d; %d signups got 2xx, %d of them in the table (%d missing), %d rows in all",
		secs(stopped), secs(down.at.Sub(stopAt)), down.body, secs(ready.Sub(startAt)), secs(up.at.Sub(ready)),
		secs(up.at.Sub(startAt)), statusList(probe.counts()), statusList(load.statuses), load.errs,
		len(load.acked), present, len(load.acked)-present, total)
	switch {
	case down.body != `{"status":"degraded","database":"unreachable"}`:
		return out, errors.New("unexpected 503 body")
	case present != len(load.acked):
		return out, errors.New("acknowledged signups are missing")
	case load.statuses[http.StatusInternalServerError] > 0:
		return out, errors.New("signups answered 500 during the outage")
	}
	return out, nil
}

// drillKill: the server is SIGKILLed in the middle of a 10,000-post sync and
// restarted; the job must finish after its lease runs out, without
// duplicate posts.
func (h *harness) drillKill(ctx context.Context) (string, error) {
	if err := h.startFake(ctx); err != nil {
		return "", err
	}
	// About 270 media pages (50 posts each, every 4th page empty): hold each
	// a little so that the sync lasts long enough to be interrupted.
	if err := h.fakeControl(ctx, "slow?delay=40ms"); err != nil {
		return "", err
	}
	dbURL, err := h.database(ctx, "b")
	if err != nil {
		return "", err
	}
	const lease = 10 * time.Second
	env := h.serverEnv(dbURL, merge(h.fakeEnv(), map[string]string{"JOB_LEASE": lease.String()}))
	srv, err := h.startServer(ctx, "b", env)
	if err != nil {
		return "", err
	}
	token, err := h.register(ctx, fmt.Sprintf("fault-b-%d@example.com", time.Now().UnixNano()))
	if err != nil {
		srv.kill()
		return "", err
	}
	if err := h.connect(ctx, token, "17841400000010000"); err != nil {
		srv.kill()
		return "", err
	}
	var st syncStatus
	err = waitFor(ctx, 90*time.Second, 50*time.Millisecond, func() (bool, error) {
		var err error
		st, err = h.syncStatus(ctx, token)
		return err == nil && st.State == "running" && st.PostsFetched >= 2500, err
	})
	if err != nil {
		srv.kill()
		return "", fmt.Errorf("the sync never got going: %w (last %+v)", err, st)
	}
	srv.kill() // SIGKILL
	killedAt, killedFetched := time.Now(), st.PostsFetched

	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var atKill int
	var jobState string
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM instagram_posts), (SELECT state FROM jobs WHERE kind = 'fetch_posts' ORDER BY created_at DESC LIMIT 1)`).
		Scan(&atKill, &jobState); err != nil {
		return "", err
	}
	if err := h.fakeControl(ctx, "up"); err != nil { // full speed after the restart
		return "", err
	}
	restartAt := time.Now()
	srv, err = h.startServer(ctx, "b", env)
	if err != nil {
		return "", err
	}
	defer srv.signal(syscall.SIGTERM) //nolint:errcheck
	var state string
	var attempts int
	err = waitFor(ctx, 2*time.Minute, 100*time.Millisecond, func() (bool, error) {
		err := db.QueryRowContext(ctx, `SELECT state, attempts FROM jobs WHERE kind = 'fetch_posts' ORDER BY created_at DESC LIMIT 1`).
			Scan(&state, &attempts)
		return state == "done" || state == "failed", err
	})
	doneAt := time.Now()
	var total, distinct, jobs int
	if qerr := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT (account_id, ig_post_id)), (SELECT count(*) FROM jobs WHERE kind = 'fetch_posts') FROM instagram_posts`).
		Scan(&total, &distinct, &jobs); qerr != nil {
		return "", qerr
	}
	st, _ = h.syncStatus(ctx, token)
	out := fmt.Sprintf("killed at posts_fetched=%d (%d rows stored, job %s); restarted; job %s after %s from the restart "+
		"(%s from the kill, lease %s, attempt %d, %d job row(s)); posts %d, distinct ig_post_id %d, duplicates %d; GET /api/instagram/sync state %q",
		killedFetched, atKill, jobState, state, secs(doneAt.Sub(restartAt)), secs(doneAt.Sub(killedAt)), lease, attempts, jobs,
		total, distinct, total-distinct, st.State)
	switch {
	case err != nil:
		return out, fmt.Errorf("the job did not finish: %w", err)
	case state != "done":
		return out, errors.New("the job failed")
	case total != distinct:
		return out, errors.New("duplicate posts")
	case total != 10000:
		return out, fmt.Errorf("%d posts stored, want 10000", total)
	}
	return out, nil
}

// drillInstagramDown: Instagram answers 503 to everything for a minute;
// the sync job retries, then shows failed; /health stays 200; after
// Instagram is back a refresh succeeds.
func (h *harness) drillInstagramDown(ctx context.Context) (string, error) {
	if err := h.startFake(ctx); err != nil {
		return "", err
	}
	dbURL, err := h.database(ctx, "c")
	if err != nil {
		return "", err
	}
	env := h.serverEnv(dbURL, merge(h.fakeEnv(), map[string]string{"JOB_BACKOFF": "1s"}))
	srv, err := h.startServer(ctx, "c", env)
	if err != nil {
		return "", err
	}
	defer srv.signal(syscall.SIGTERM) //nolint:errcheck
	token, err := h.register(ctx, fmt.Sprintf("fault-c-%d@example.com", time.Now().UnixNano()))
	if err != nil {
		return "", err
	}
	if err := h.connect(ctx, token, "17841400000000040"); err != nil {
		return "", err
	}
	idle := func() (bool, error) {
		st, err := h.syncStatus(ctx, token)
		return err == nil && st.State == "idle" && st.LastSyncedAt != nil, err
	}
	if err := waitFor(ctx, 30*time.Second, 100*time.Millisecond, idle); err != nil {
		return "", fmt.Errorf("first sync: %w", err)
	}

	probeCtx, stopProbe := context.WithCancel(ctx)
	probe := &healthProbe{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); probe.run(probeCtx, h, 50*time.Millisecond) }()
	defer func() { stopProbe(); wg.Wait() }()

	if err := h.fakeControl(ctx, "down"); err != nil {
		return "", err
	}
	downAt := time.Now()
	if st, raw, _, err := h.do(ctx, http.MethodPost, "/api/instagram/refresh", token, nil, nil); err != nil || st != http.StatusAccepted {
		return "", fmt.Errorf("refresh: %d %s %v", st, raw, err)
	}
	seen := map[string]bool{}
	var last syncStatus
	err = waitFor(ctx, 60*time.Second, 100*time.Millisecond, func() (bool, error) {
		st, err := h.syncStatus(ctx, token)
		if err != nil {
			return false, err
		}
		seen[st.State] = true
		last = st
		return st.State == "failed", nil
	})
	failedAfter := time.Since(downAt)
	if err != nil {
		h.fakeControl(ctx, "up") //nolint:errcheck
		return fmt.Sprintf("states seen %v, last %+v", keys(seen), last), fmt.Errorf("the job never showed failed: %w", err)
	}
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var attempts int
	if err := db.QueryRowContext(ctx, `SELECT attempts FROM jobs WHERE kind = 'fetch_posts' ORDER BY created_at DESC LIMIT 1`).Scan(&attempts); err != nil {
		return "", err
	}
	// Instagram stays down for a whole minute; the server keeps serving.
	if rest := time.Minute - time.Since(downAt); rest > 0 {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(rest):
		}
	}
	if err := h.fakeControl(ctx, "up"); err != nil {
		return "", err
	}
	upAt := time.Now()
	if st, raw, _, err := h.do(ctx, http.MethodPost, "/api/instagram/refresh", token, nil, nil); err != nil || st != http.StatusAccepted {
		return "", fmt.Errorf("refresh after recovery: %d %s %v", st, raw, err)
	}
	recErr := waitFor(ctx, 30*time.Second, 100*time.Millisecond, idle)
	recovered := time.Since(upAt)
	counts := probe.counts()
	msg := ""
	if last.Error != nil {
		msg = *last.Error
	}
	out := fmt.Sprintf("sync states seen %v; failed after %s and %d attempts, user sees error %q; "+
		"Instagram down %s in all; /health samples during the outage %s; after Instagram came back a refresh synced in %s",
		keys(seen), secs(failedAfter), attempts, msg, secs(upAt.Sub(downAt)), statusList(counts), secs(recovered))
	switch {
	case recErr != nil:
		return out, fmt.Errorf("no recovery: %w", recErr)
	case len(counts) != 1 || counts[http.StatusOK] == 0:
		return out, errors.New("/health was not 200 throughout")
	}
	return out, nil
}

// drillSigterm: SIGTERM while clients keep sending requests. Requests the
// server had received must finish (no 5xx, no dropped connection); the
// exit code must be 0.
func (h *harness) drillSigterm(ctx context.Context) (string, error) {
	dbURL, err := h.database(ctx, "d")
	if err != nil {
		return "", err
	}
	srv, err := h.startServer(ctx, "d", h.serverEnv(dbURL, nil))
	if err != nil {
		return "", err
	}
	email := fmt.Sprintf("fault-d-%d@example.com", time.Now().UnixNano())
	token, err := h.register(ctx, email)
	if err != nil {
		srv.kill()
		return "", err
	}

	type result struct {
		id         string
		start, end time.Time
		status     int
		err        error
	}
	var (
		mu      sync.Mutex
		results []result
		sigAt   time.Time
		sigMu   sync.Mutex
	)
	signalled := func() time.Time { sigMu.Lock(); defer sigMu.Unlock(); return sigAt }
	loadCtx, stopLoad := context.WithTimeout(ctx, 30*time.Second)
	defer stopLoad()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; loadCtx.Err() == nil; k++ {
				// Clients stop a moment after the signal: later requests
				// meet a closed port, which is what a stopped server does.
				if s := signalled(); !s.IsZero() && time.Since(s) > 500*time.Millisecond {
					return
				}
				id := fmt.Sprintf("faultd-%02d-%06d", i, k)
				var req *http.Request
				switch (i + k) % 3 {
				case 0: // slow: bcrypt
					req, _ = http.NewRequestWithContext(loadCtx, http.MethodPost, h.base()+"/api/auth/login",
						strings.NewReader(`{"email":"`+email+`","password":"fault-drill-password"}`))
					req.Header.Set("X-Forwarded-For", forwardedIP(i, k))
				case 1:
					req, _ = http.NewRequestWithContext(loadCtx, http.MethodGet, h.base()+"/api/user/me", nil)
					req.Header.Set("Authorization", "Bearer "+token)
				default:
					req, _ = http.NewRequestWithContext(loadCtx, http.MethodPost, h.base()+"/api/waitlist/signup",
						strings.NewReader(`{"email":"`+id+`@example.com"}`))
					req.Header.Set("X-Forwarded-For", forwardedIP(i, 1000+k/100))
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Request-ID", id)
				r := result{id: id, start: time.Now()}
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					r.status = resp.StatusCode
				}
				r.end, r.err = time.Now(), err
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(2 * time.Second)
	sigMu.Lock()
	sigAt = time.Now()
	sigMu.Unlock()
	code, took, sigErr := srv.signal(syscall.SIGTERM)
	wg.Wait()

	logText, _ := os.ReadFile(srv.log)
	var before, ok, fivexx, errsReceived, errsUnreceived, after int
	var firstErr string
	for _, r := range results {
		if r.start.After(sigAt) {
			after++
			continue
		}
		before++
		switch {
		case r.err != nil:
			// Did the server ever see it? Its access log names every
			// request id it answered.
			if strings.Contains(string(logText), `"request_id":"`+r.id+`"`) {
				errsReceived++
				if firstErr == "" {
					firstErr = r.err.Error()
				}
			} else {
				errsUnreceived++
			}
		case r.status >= 500:
			fivexx++
		default:
			ok++
		}
	}
	inflight := 0
	for _, r := range results {
		if r.start.Before(sigAt) && r.end.After(sigAt) && r.err == nil {
			inflight++
		}
	}
	out := fmt.Sprintf("%d requests started before SIGTERM: %d answered (<500), %d 5xx, %d connection errors on requests the server had received, "+
		"%d connection errors on requests it never received; %d were in flight at the signal and completed; %d started after; exit code %d after %s",
		before, ok, fivexx, errsReceived, errsUnreceived, inflight, after, code, secs(took))
	switch {
	case sigErr != nil:
		return out, sigErr
	case code != 0:
		return out, fmt.Errorf("exit code %d", code)
	case fivexx > 0 || errsReceived > 0:
		return out, fmt.Errorf("in-flight requests failed (first: %s)", firstErr)
	case inflight == 0:
		return out, errors.New("no request was in flight at the signal; the drill proved nothing")
	}
	return out, nil
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// onPort runs f with the harness talking to the server on port.
func (h *harness) onPort(port int, f func()) {
	old := h.serverPort
	h.serverPort = port
	defer func() { h.serverPort = old }()
	f()
}

// drillReplicas: two replicas on one database; the one running a
// 10,000-post backfill is SIGKILLed; the other must take the job over
// within 30 s (the 20 s lease, renewed by a heartbeat while the job ran,
// plus a poll) and finish it, and every job of the account must run to
// done once, with no duplicate posts.
func (h *harness) drillReplicas(ctx context.Context) (string, error) {
	if err := h.startFake(ctx); err != nil {
		return "", err
	}
	if err := h.fakeControl(ctx, "slow?delay=40ms"); err != nil {
		return "", err
	}
	dbURL, err := h.database(ctx, "e")
	if err != nil {
		return "", err
	}
	ports := [2]int{h.serverPort, h.serverPort + 1}
	var srvs [2]*server
	for i, port := range ports {
		env := h.serverEnv(dbURL, merge(h.fakeEnv(), map[string]string{
			"PORT": strconv.Itoa(port), "PUBLIC_URL": "http://127.0.0.1:" + strconv.Itoa(port),
		}))
		h.onPort(port, func() { srvs[i], err = h.startServer(ctx, fmt.Sprintf("e%c", 'a'+i), env) })
		if err != nil {
			for _, s := range srvs {
				if s != nil {
					s.kill()
				}
			}
			return "", err
		}
	}
	alive := [2]bool{true, true}
	defer func() {
		for i, s := range srvs {
			if alive[i] {
				s.signal(syscall.SIGTERM) //nolint:errcheck
			}
		}
	}()
	token, err := h.register(ctx, fmt.Sprintf("fault-e-%d@example.com", time.Now().UnixNano()))
	if err != nil {
		return "", err
	}
	if err := h.connect(ctx, token, "17841400000010000"); err != nil {
		return "", err
	}
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return "", err
	}
	defer db.Close()

	// Wait until the backfill is well under way and see who runs it.
	var jobID, holder string
	var fetched, attempts int
	err = waitFor(ctx, 90*time.Second, 50*time.Millisecond, func() (bool, error) {
		var by sql.NullString
		err := db.QueryRowContext(ctx, `SELECT id, COALESCE(locked_by, ''), posts_fetched, attempts FROM jobs
			WHERE kind = 'fetch_posts' AND state = 'running' ORDER BY created_at LIMIT 1`).Scan(&jobID, &by, &fetched, &attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		holder = by.String
		return err == nil && fetched >= 2500, err
	})
	if err != nil {
		return "", fmt.Errorf("the backfill never got going: %w", err)
	}
	victim := -1
	for i, s := range srvs {
		if strings.Contains(holder, "-"+strconv.Itoa(s.cmd.Process.Pid)+"-") {
			victim = i
		}
	}
	if victim < 0 {
		return "", fmt.Errorf("the job's holder %q is neither replica", holder)
	}
	survivor := 1 - victim
	srvs[victim].kill() // SIGKILL
	alive[victim] = false
	killedAt := time.Now()
	survivorPID := "-" + strconv.Itoa(srvs[survivor].cmd.Process.Pid) + "-"

	// Follow the job: who holds it, in which attempt, until it is done.
	holders := []string{holder + "#" + strconv.Itoa(attempts)}
	var takenOver time.Duration
	var state string
	err = waitFor(ctx, 2*time.Minute, 100*time.Millisecond, func() (bool, error) {
		var by sql.NullString
		var n int
		if err := db.QueryRowContext(ctx, `SELECT state, locked_by, attempts FROM jobs WHERE id = $1`, jobID).Scan(&state, &by, &n); err != nil {
			return false, err
		}
		if by.Valid {
			if h := by.String + "#" + strconv.Itoa(n); holders[len(holders)-1] != h {
				holders = append(holders, h)
			}
			if takenOver == 0 && strings.Contains(by.String, survivorPID) {
				takenOver = time.Since(killedAt)
			}
		}
		return state == "done" || state == "failed", nil
	})
	finished := time.Since(killedAt)
	if err != nil {
		return "", fmt.Errorf("the job did not finish on the other replica: %w (state %s, holders %v)", err, state, holders)
	}
	// Then every job of the account must end, each once.
	var pending int
	werr := waitFor(ctx, 90*time.Second, 200*time.Millisecond, func() (bool, error) {
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')`).Scan(&pending)
		return pending == 0, err
	})
	rows, err := db.QueryContext(ctx, `SELECT id, kind, state, attempts FROM jobs ORDER BY created_at`)
	if err != nil {
		return "", err
	}
	var jobs []string
	var rerun []string
	fetchRows := 0
	for rows.Next() {
		var id, kind, st string
		var n int
		if err := rows.Scan(&id, &kind, &st, &n); err != nil {
			rows.Close()
			return "", err
		}
		jobs = append(jobs, fmt.Sprintf("%s %s×%d", kind, st, n))
		if kind == "fetch_posts" {
			fetchRows++
		}
		if st != "done" || (id == jobID && n != attempts+1) || (id != jobID && n != 1) {
			rerun = append(rerun, fmt.Sprintf("%s %s attempts %d", kind, st, n))
		}
	}
	rows.Close()
	var total, distinct int
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT (account_id, ig_post_id)) FROM instagram_posts`).Scan(&total, &distinct); err != nil {
		return "", err
	}
	var st syncStatus
	h.onPort(ports[survivor], func() { st, _ = h.syncStatus(ctx, token) })
	out := fmt.Sprintf("replica %c (holding the backfill at posts_fetched=%d, attempt %d) SIGKILLed; replica %c took it over %s after the kill "+
		"and finished it %s after (%s); holders %d: %s; %d fetch_posts row(s); jobs: %s; posts %d, distinct %d, duplicates %d; GET /api/instagram/sync on %c: %q",
		'A'+victim, fetched, attempts, 'A'+survivor, secs(takenOver), secs(finished), state, len(holders), strings.Join(shortHolders(holders), " → "),
		fetchRows, strings.Join(jobs, ", "), total, distinct, total-distinct, 'A'+survivor, st.State)
	switch {
	case state != "done":
		return out, errors.New("the backfill failed")
	case takenOver == 0 || takenOver > 30*time.Second:
		return out, errors.New("not taken over by the other replica within 30 s")
	case werr != nil:
		return out, fmt.Errorf("%d job(s) still pending: %w", pending, werr)
	case len(rerun) > 0:
		return out, fmt.Errorf("jobs not done exactly once: %s", strings.Join(rerun, ", "))
	case fetchRows != 1:
		return out, errors.New("more than one fetch_posts job")
	case total != distinct:
		return out, errors.New("duplicate posts")
	case total != 10000:
		return out, fmt.Errorf("%d posts stored, want 10000", total)
	}
	return out, nil
}

// shortHolders names each holder by its pid and attempt ("pid 123 #1").
func shortHolders(hs []string) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		by, attempt, _ := strings.Cut(h, "#")
		parts := strings.Split(by, "-")
		pid := by
		if len(parts) >= 3 {
			pid = parts[len(parts)-2]
		}
		out[i] = "pid " + pid + " attempt " + attempt
	}
	return out
}

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

// killedJob is a job replica A held when it was killed.
type killedJob struct {
	id, kind            string
	takenOver, finished time.Time
	state               string
	attempts            int
	attemptsAtKill      int
	holders             []string
	extra               string // what was checked of its effect
}

// kindCount is what one job kind did in the window.
type kindCount struct {
	kind                    string
	enqueued                int // created in the window
	done, failed, left      int
	retried                 int // done after more than one attempt, outside the kill
	retriedWithError        int
	perMinute               float64
	attemptsMax             int
	lastErrors              map[string]int
	doneAttempts1, doneMore int
}

// report is everything the drill measured.
type report struct {
	o                     options
	seed                  seedResult
	sizeSeeded, sizeAfter int64
	pids                  [2]int
	rssIdle, rssPeak      [2]int64
	idle, busy            loadResult
	lags                  []float64
	claimDelays           []time.Duration
	t0, tEnd, killedAt    time.Time
	killed                []killedJob
	sameAttempt, moved    []string
	kinds                 []kindCount
	readings              int
	readingsTwice         int
	load                  string
	armed                 time.Duration
	restartedAt           time.Time
}

// collect reads the outcome from the jobs and posts tables.
func (r *report) collect(ctx context.Context, db *sql.DB, log *runLog) error {
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		r.load = strings.Join(strings.Fields(string(raw))[:3], " ")
	}
	killed := map[string]bool{}
	for _, k := range r.killed {
		killed[k.id] = true
	}
	rows, err := db.QueryContext(ctx, `SELECT id, kind, state, attempts, COALESCE(last_error, ''), created_at, finished_at FROM jobs WHERE kind <> 'send_mail'`)
	if err != nil {
		return err
	}
	byKind := map[string]*kindCount{}
	minutes := r.tEnd.Sub(r.t0).Minutes()
	for rows.Next() {
		var id, kind, state, lastErr string
		var attempts int
		var fin sql.NullTime
		var created time.Time
		if err := rows.Scan(&id, &kind, &state, &attempts, &lastErr, &created, &fin); err != nil {
			rows.Close()
			return err
		}
		k := byKind[kind]
		if k == nil {
			k = &kindCount{kind: kind, lastErrors: map[string]int{}}
			byKind[kind] = k
		}
		k.attemptsMax = max(k.attemptsMax, attempts)
		if !created.Before(r.t0) && !created.After(r.tEnd) {
			k.enqueued++
		}
		inWindow := fin.Valid && !fin.Time.Before(r.t0) && !fin.Time.After(r.tEnd)
		switch {
		case state == "done" && inWindow:
			k.done++
			if attempts == 1 {
				k.doneAttempts1++
			} else {
				k.doneMore++
			}
			if attempts > 1 && !killed[id] {
				k.retried++
				if lastErr != "" || len(log.holderOf(id)) > 1 {
					k.retriedWithError++
				}
			}
		case state == "failed" && inWindow:
			k.failed++
			k.lastErrors[firstWords(lastErr)]++
		case state == "queued" || state == "running":
			k.left++
			if lastErr != "" {
				k.lastErrors[firstWords(lastErr)]++
			}
		}
	}
	rows.Close()
	for _, k := range byKind {
		k.perMinute = float64(k.done) / minutes
		r.kinds = append(r.kinds, *k)
	}
	sort.Slice(r.kinds, func(i, j int) bool { return r.kinds[i].kind < r.kinds[j].kind })

	if err := db.QueryRowContext(ctx, `SELECT count(*), count(*) - count(DISTINCT post_id) FROM instagram_post_insights WHERE captured_at BETWEEN $1 AND $2`,
		r.t0, r.tEnd).Scan(&r.readings, &r.readingsTwice); err != nil {
		return err
	}
	for i := range r.killed {
		k := &r.killed[i]
		k.holders = log.holderOf(k.id)
		var account sql.NullString
		if err := db.QueryRowContext(ctx, `SELECT attempts, state, account_id::text FROM jobs WHERE id = $1`, k.id).Scan(&k.attempts, &k.state, &account); err != nil {
			return err
		}
		if !account.Valid {
			continue
		}
		switch k.kind {
		case "fetch_posts":
			var n, distinct int
			if err := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT ig_post_id) FROM instagram_posts WHERE account_id = $1`, account.String).Scan(&n, &distinct); err != nil {
				return err
			}
			k.extra = fmt.Sprintf("account has %d posts (%d distinct; seeded %d)", n, distinct, r.o.posts)
		case "read_insights":
			var n, twice int
			if err := db.QueryRowContext(ctx, `SELECT count(*), count(*) - count(DISTINCT i.post_id) FROM instagram_post_insights i
				JOIN instagram_posts p ON p.id = i.post_id WHERE p.account_id = $1 AND i.captured_at >= $2`, account.String, r.t0).Scan(&n, &twice); err != nil {
				return err
			}
			k.extra = fmt.Sprintf("%d readings stored, %d post(s) read twice", n, twice)
		}
	}
	return db.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&r.sizeAfter)
}

func firstWords(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// verdict fails the run when a killed job was not finished on the other
// replica within 30 s, or a job ran twice.
func (r *report) verdict() error {
	var bad []string
	for _, k := range r.killed {
		switch {
		case k.finished.IsZero():
			bad = append(bad, fmt.Sprintf("job %s (%s) did not finish", k.id, k.kind))
		case k.takenOver.Sub(r.killedAt) > 30*time.Second:
			bad = append(bad, fmt.Sprintf("job %s taken over after %s", k.id, k.takenOver.Sub(r.killedAt).Round(time.Second)))
		case k.attempts != k.attemptsAtKill+1:
			bad = append(bad, fmt.Sprintf("job %s: attempt %d at the kill, %d at the end (want one more)", k.id, k.attemptsAtKill, k.attempts))
		}
	}
	if len(r.sameAttempt) > 0 {
		bad = append(bad, fmt.Sprintf("%d job(s) ran on two workers in one attempt", len(r.sameAttempt)))
	}
	if r.readingsTwice > 0 {
		bad = append(bad, fmt.Sprintf("%d post(s) read twice in the window", r.readingsTwice))
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

func (r *report) String() string {
	var b strings.Builder
	o := r.o
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	minutes := r.tEnd.Sub(r.t0).Minutes()
	p("## Scale drill (`make scale`)")
	p("")
	p("%d accounts × %d posts on one PostgreSQL, two replicas (JOB_WORKERS=%d each), fakeig with %s latency and %s per account "+
		"(%d posts each), its window compressed like the schedules; time compressed ×%g: each account's sync, post insights "+
		"(%d jobs of %d posts) and account insights come due at its own phase of a %s cycle (6 h real; account insights "+
		"%s for 20 h), the schedules look every period/%g (at most once a minute); window %.1f min from the arming; "+
		"JOB_BACKOFF=1s (×30); %d dashboard clients pausing %s between requests. Machine: %d cores, load average %s at the end.",
		o.accounts, o.posts, o.workers, o.latency, o.rateLimit, o.fakePosts, o.compress, readingsPerCycle, o.fakePosts/readingsPerCycle,
		cycle(6*time.Hour, o.compress).Round(time.Second), cycle(20*time.Hour, o.compress).Round(time.Second), o.compress,
		minutes, o.clients, o.think, runtime.NumCPU(), r.load)
	p("")
	p("| figure | value |")
	p("|---|---|")
	p("| seed | %.0f s (%s); %s |", r.seed.total.Seconds(), seedSteps(r.seed), r.seed.check)
	p("| arming (due times spread over the cycle) | %.1f s |", r.armed.Seconds())
	p("| PostgreSQL size | %d MiB seeded, %d MiB after: %.1f KiB per account (%.2f KiB per post) |",
		r.sizeSeeded>>20, r.sizeAfter>>20, float64(r.sizeAfter)/1024/float64(o.accounts), float64(r.sizeAfter)/1024/float64(o.accounts*o.posts))
	for _, k := range r.kinds {
		p("| %s | %d enqueued in the window, %d done (%.1f/min; %d in one attempt, %d after retries), %d failed, %d left queued or running |",
			k.kind, k.enqueued, k.done, k.perMinute, k.doneAttempts1, k.doneMore, k.failed, k.left)
	}
	p("| post insights readings | %d (%.0f/min), %d post(s) read twice |", r.readings, float64(r.readings)/minutes, r.readingsTwice)
	sort.Float64s(r.lags)
	p("| queue lag (job_queue_oldest_due_seconds, %d samples) | p50 %.0f s, p99 %.0f s (target p99 ≤ 60 s) |", len(r.lags), quantile(r.lags, 0.5), quantile(r.lags, 0.99))
	p("| claim delay (first seen running − run_at, %d jobs) | p50 %s, p99 %s |", len(r.claimDelays),
		r.claimDelays50(), percentile(r.claimDelays, 0.99).Round(time.Second))
	ia, ba := r.idle.all(), r.busy.all()
	p("| dashboard API, idle | %d requests: p50 %s, p99 %s (%s) |", len(ia), ms(percentile(ia, 0.5)), ms(percentile(ia, 0.99)), statuses(r.idle))
	p("| dashboard API, during the work | %d requests: p50 %s, p99 %s (%s) |", len(ba), ms(percentile(ba, 0.5)), ms(percentile(ba, 0.99)), statuses(r.busy))
	if ip := percentile(ia, 0.99); ip > 0 {
		p("| dashboard p99 during the work ÷ idle | %.2f (target ≤ 2) |", float64(percentile(ba, 0.99))/float64(ip))
	}
	for _, route := range dashboardRoutes {
		il, bl := r.idle.lat[route], r.busy.lat[route]
		p("| %s idle / busy | p50 %s / %s, p99 %s / %s |", route, ms(percentile(il, 0.5)), ms(percentile(bl, 0.5)), ms(percentile(il, 0.99)), ms(percentile(bl, 0.99)))
	}
	for i, name := range []string{"A (peak over its two processes)", "B"} {
		p("| replica %s memory (VmRSS) | %.0f MiB idle, %.0f MiB peak |", name, float64(r.rssIdle[i])/1024, float64(r.rssPeak[i])/1024)
	}
	p("| replica A SIGKILLed | %.0f s after the arming, holding %d running job(s); started again %.0f s after the kill |",
		r.killedAt.Sub(r.t0).Seconds(), len(r.killed), r.restartedAt.Sub(r.killedAt).Seconds())
	for _, k := range r.killed {
		took := "not taken over"
		if !k.takenOver.IsZero() {
			took = fmt.Sprintf("taken over by B %.1f s after the kill", k.takenOver.Sub(r.killedAt).Seconds())
		}
		fin := "not finished"
		if !k.finished.IsZero() {
			fin = fmt.Sprintf("%s %.1f s after the kill", k.state, k.finished.Sub(r.killedAt).Seconds())
		}
		p("| killed job %s… (%s) | %s, %s, attempt %d at the kill, %d at the end, %d holder(s) seen; %s |", k.id[:8], k.kind, took, fin, k.attemptsAtKill, k.attempts, len(k.holders), k.extra)
	}
	p("| run log (running jobs sampled every 250 ms) | %d job(s) on two workers in one attempt; %d job(s) retried on another worker (after an error) |",
		len(r.sameAttempt), len(r.moved))
	for _, k := range r.kinds {
		for e, n := range k.lastErrors {
			p("| %s last error | %d × %q |", k.kind, n, e)
		}
	}
	return b.String()
}

func (r *report) claimDelays50() time.Duration {
	return percentile(r.claimDelays, 0.5).Round(time.Second)
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(max(int(float64(len(sorted))*q+0.999999)-1, 0), len(sorted)-1)
	return sorted[i]
}

func seedSteps(s seedResult) string {
	parts := make([]string, 0, len(s.steps))
	for _, st := range s.steps {
		if st.rows == 0 {
			parts = append(parts, fmt.Sprintf("%s %.1f s", st.name, st.took.Seconds()))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d rows %.1f s", st.name, st.rows, st.took.Seconds()))
	}
	return strings.Join(parts, "; ")
}

func statuses(l loadResult) string {
	keys := make([]int, 0, len(l.statuses))
	for k := range l.statuses {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", k, l.statuses[k]))
	}
	if l.neterr > 0 {
		parts = append(parts, fmt.Sprintf("connection errors×%d", l.neterr))
	}
	return strings.Join(parts, " ")
}

// seedString is the report of a -seed-only run.
func (r *report) seedString() string {
	var b strings.Builder
	mode := "session_replication_role = replica, derived tables built set-based per batch"
	if !r.seed.bulk {
		mode = "every insert trigger on (but insights-due)"
	}
	fmt.Fprintf(&b, "seed of %d accounts × %d posts (%s; unknown insert triggers that fired: %s): %.0f s (%s); %s; %d MiB\n",
		r.o.accounts, r.o.posts, mode, strings.Join(r.seed.enabled, ", "), r.seed.total.Seconds(), seedSteps(r.seed), r.seed.check, r.sizeSeeded>>20)
	return b.String()
}

// Command scale is the scale drill of scripts/scale.sh (make scale): two
// bin/server replicas on one PostgreSQL database and bin/fakeig as
// Instagram, on loopback. It seeds -accounts accounts of -posts posts each
// on the server side, spreads the accounts' syncs and insights readings
// over their cycles as a running system has them, compressed -compress
// times (schedule.go), lets the real schedules and workers run while a
// mixed dashboard load is measured, SIGKILLs one replica in the middle and
// checks that its jobs finish on the other within 30 s, each once. It
// prints a table and writes it to -out.
//
// The secrets come from the environment (JWT_SECRET, TOKEN_ENCRYPTION_KEY,
// METRICS_TOKEN). Every wait is bounded; the whole run by -limit.
package main

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/lib/pq"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/migrations"
)

// options are the command's flags.
type options struct {
	serverBin, fakeigBin string
	adminURL, logDir     string
	out                  string
	ports                [2]int
	fakePort             int
	accounts, posts      int
	fakePosts            int
	latency, rateLimit   string
	idle, work           time.Duration
	killAfter            time.Duration
	clients, maxRequests int
	think                time.Duration
	limit                time.Duration
	compress             float64
	workers              int
	bulk, seedOnly       bool
}

func main() {
	var o options
	flag.StringVar(&o.serverBin, "server", "bin/server", "server binary")
	flag.StringVar(&o.fakeigBin, "fakeig", "bin/fakeig", "fake Instagram binary")
	flag.StringVar(&o.adminURL, "admin-url", "", "PostgreSQL URL of the drill's cluster (pg.sh start prints it)")
	flag.StringVar(&o.logDir, "log-dir", ".data/scale-logs", "where the replicas' and the fake's logs go")
	flag.StringVar(&o.out, "out", ".data/scale-report.md", "where the report goes")
	flag.IntVar(&o.ports[0], "port-a", 18095, "replica A's port")
	flag.IntVar(&o.ports[1], "port-b", 18096, "replica B's port")
	flag.IntVar(&o.fakePort, "fake-port", 18195, "fake Instagram's port")
	flag.IntVar(&o.accounts, "accounts", 10000, "accounts (and users) to seed")
	flag.IntVar(&o.posts, "posts", 1000, "posts per account")
	flag.IntVar(&o.fakePosts, "fake-posts", 60, "posts per account on the fake Instagram (the newest of the seeded ones)")
	flag.StringVar(&o.latency, "latency", "50ms", "the fake's latency per Graph call")
	flag.StringVar(&o.rateLimit, "rate-limit", "200/h", "the fake's call budget per account")
	flag.DurationVar(&o.idle, "idle", 20*time.Second, "dashboard load on the idle replicas")
	flag.DurationVar(&o.work, "work", 4*time.Minute, "background work measured, from the first job")
	flag.DurationVar(&o.killAfter, "kill-after", 90*time.Second, "when replica A is SIGKILLed, from the first job")
	flag.IntVar(&o.clients, "clients", 8, "concurrent dashboard clients")
	flag.IntVar(&o.maxRequests, "max-requests", 400000, "requests per load phase at most")
	flag.DurationVar(&o.think, "think", 10*time.Millisecond, "each dashboard client's pause between requests")
	flag.DurationVar(&o.limit, "limit", 12*time.Minute, "the whole run at most")
	flag.Float64Var(&o.compress, "compress", 0, "time compression: a 6-hour cycle runs in 6h/compress (0: autoCompress)")
	flag.IntVar(&o.workers, "workers", 16, "JOB_WORKERS of each replica")
	flag.BoolVar(&o.bulk, "bulk", true, "build the posts' derived tables set-based rather than by the insert triggers")
	flag.BoolVar(&o.seedOnly, "seed-only", false, "seed, check, report the seed and stop")
	flag.Parse()
	if o.compress == 0 {
		o.compress = autoCompress(o.accounts)
	}
	if o.compress < 1 || o.compress > 360 {
		fmt.Fprintln(os.Stderr, "scale: -compress must be from 1 to 360")
		os.Exit(2)
	}
	if o.adminURL == "" {
		fmt.Fprintln(os.Stderr, "scale: -admin-url is required")
		os.Exit(2)
	}
	secrets := map[string]string{}
	for _, k := range []string{"JWT_SECRET", "TOKEN_ENCRYPTION_KEY", "METRICS_TOKEN"} {
		if secrets[k] = os.Getenv(k); secrets[k] == "" {
			fmt.Fprintln(os.Stderr, "scale:", k, "must be set")
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.limit)
	defer cancel()
	d := &drill{o: o, secrets: secrets}
	err := d.run(ctx)
	d.stopAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// drill is one run.
type drill struct {
	o       options
	secrets map[string]string
	db      *sql.DB
	dbURL   string
	fake    *proc
	servers [2]*proc
	mu      sync.Mutex
	alive   [2]bool
}

// proc is a started binary.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func start(name string, args, env []string, logPath string) (*proc, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(name, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); f.Close(); close(p.done) }() //nolint:errcheck // the state is read from cmd
	return p, nil
}

// stop sends sig and waits up to 30 s, then kills.
func (p *proc) stop(sig syscall.Signal) {
	if p == nil {
		return
	}
	p.cmd.Process.Signal(sig) //nolint:errcheck
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill() //nolint:errcheck
		<-p.done
	}
}

func (d *drill) stopAll() {
	for _, s := range d.servers {
		s.stop(syscall.SIGTERM)
	}
	d.fake.stop(syscall.SIGTERM)
	if d.db != nil {
		d.db.Close()
	}
}

func (d *drill) base(i int) string { return "http://127.0.0.1:" + strconv.Itoa(d.o.ports[i]) }

// liveBases are the replicas that were not killed.
func (d *drill) liveBases() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for i, a := range d.alive {
		if a {
			out = append(out, d.base(i))
		}
	}
	return out
}

func (d *drill) serverEnv(port int) []string {
	fake := "http://127.0.0.1:" + strconv.Itoa(d.o.fakePort)
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"APP_ENV=test", "PORT=" + strconv.Itoa(port), "DATABASE_URL=" + d.dbURL,
		"PUBLIC_URL=http://127.0.0.1:" + strconv.Itoa(port), "FRONTEND_URL=http://127.0.0.1:" + strconv.Itoa(port),
		"TRUSTED_PROXIES=127.0.0.1", "LOG_LEVEL=warn",
		// Retries come after 1 s instead of 30 s: time compressed.
		"JOB_BACKOFF=1s", "JOB_WORKERS=" + strconv.Itoa(d.o.workers),
		"INSTAGRAM_CLIENT_ID=fakeig-client", "INSTAGRAM_CLIENT_SECRET=fakeig-secret",
		"INSTAGRAM_REDIRECT_URI=http://127.0.0.1:" + strconv.Itoa(port) + "/auth/instagram/callback",
		"INSTAGRAM_AUTH_URL=" + fake + "/oauth/authorize", "INSTAGRAM_API_URL=" + fake, "INSTAGRAM_GRAPH_URL=" + fake,
	}
	for k, v := range d.secrets {
		env = append(env, k+"="+v)
	}
	return env
}

func (d *drill) startServer(ctx context.Context, i int) error {
	p, err := start(d.o.serverBin, nil, d.serverEnv(d.o.ports[i]), filepath.Join(d.o.logDir, fmt.Sprintf("server-%c.log", 'a'+i)))
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.servers[i] = p
	d.mu.Unlock()
	err = wait(ctx, 30*time.Second, func() bool {
		resp, err := http.Get(d.base(i) + "/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if err != nil {
		return fmt.Errorf("replica %c not healthy: %w", 'A'+i, err)
	}
	d.mu.Lock()
	d.alive[i] = true
	d.mu.Unlock()
	return nil
}

// wait polls cond every 100 ms until it holds, ctx ends or limit passes.
func wait(ctx context.Context, limit time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %s", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// database creates the drill's database and returns its URL.
func (d *drill) database(ctx context.Context) error {
	adb, err := sql.Open("postgres", d.o.adminURL)
	if err != nil {
		return err
	}
	defer adb.Close()
	name := fmt.Sprintf("scale_%d", time.Now().Unix())
	if _, err := adb.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return err
	}
	u, err := url.Parse(d.o.adminURL)
	if err != nil {
		return err
	}
	u.Path = "/" + name
	d.dbURL = u.String()
	d.db, err = sql.Open("postgres", d.dbURL)
	return err
}

func say(format string, args ...any) {
	fmt.Printf("%s  %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// autoCompress is the compression two replicas of 8 workers kept up with
// on the 2-core machine of docs/performance.md: about 250 jobs a minute,
// where each account brings some 7.3 jobs per 6-hour cycle (a sync, six
// post insights jobs, a third of an account insights job), so 12,500/N
// (×1.25 for 10,000 accounts, ×12.5 for 1,000), and never slower than
// real time.
func autoCompress(accounts int) float64 {
	return min(max(12500/float64(max(accounts, 1)), 1), 360)
}

// schedules are the periodic tasks the drill holds back, then runs on its
// compressed clock.
var schedules = []string{"sync_accounts", "refresh_tokens", "account_insights", "read_insights"}

// fakeRate is the fake's budget per account, its window compressed.
func (o options) fakeRate() (string, error) {
	n, w, ok := strings.Cut(o.rateLimit, "/")
	if !ok {
		return "", fmt.Errorf("-rate-limit %q: want calls/window", o.rateLimit)
	}
	switch w {
	case "s", "m", "h":
		w = "1" + w
	}
	win, err := time.ParseDuration(w)
	if err != nil {
		return "", fmt.Errorf("-rate-limit %q: %w", o.rateLimit, err)
	}
	return n + "/" + cycle(win, o.compress).Round(time.Millisecond).String(), nil
}

func (d *drill) run(ctx context.Context) error {
	o := d.o
	if err := os.MkdirAll(o.logDir, 0o755); err != nil {
		return err
	}
	if err := d.database(ctx); err != nil {
		return err
	}
	if _, err := postgres.Migrate(ctx, d.db, migrations.FS); err != nil {
		return err
	}
	tokensPath := filepath.Join(o.logDir, "fakeig-tokens")
	os.Remove(tokensPath) //nolint:errcheck
	fakeStart := time.Now()
	rate, err := o.fakeRate()
	if err != nil {
		return err
	}
	d.fake, err = start(o.fakeigBin, []string{"-port", strconv.Itoa(o.fakePort), "-accounts", strconv.Itoa(o.accounts),
		"-account-posts", strconv.Itoa(o.fakePosts), "-tokens", tokensPath, "-latency", o.latency, "-rate-limit", rate,
		"-posts", "100"}, []string{"PATH=" + os.Getenv("PATH")}, filepath.Join(o.logDir, "fakeig.log"))
	if err != nil {
		return err
	}
	if err := wait(ctx, 3*time.Minute, func() bool { _, err := os.Stat(tokensPath); return err == nil }); err != nil {
		return fmt.Errorf("fakeig wrote no tokens: %w", err)
	}
	say("fakeig: %d accounts of %d posts in %.1f s", o.accounts, o.fakePosts, time.Since(fakeStart).Seconds())

	key, err := base64.StdEncoding.DecodeString(d.secrets["TOKEN_ENCRYPTION_KEY"])
	if err != nil {
		return err
	}
	sd, err := seed(ctx, d.db, key, tokensPath, o.accounts, o.posts, o.fakePosts, o.bulk, func(s string) { say("%s", s) })
	if err != nil {
		return err
	}
	var sizeSeeded int64
	if err := d.db.QueryRowContext(ctx, `SELECT pg_database_size(current_database())`).Scan(&sizeSeeded); err != nil {
		return err
	}
	say("seeded in %.0f s; database %d MiB", sd.total.Seconds(), sizeSeeded>>20)
	if o.seedOnly {
		text := (&report{o: d.o, seed: sd, sizeSeeded: sizeSeeded}).seedString()
		fmt.Println(text)
		return os.WriteFile(o.out, []byte(text), 0o644)
	}
	// A slow seed shortens the window rather than overrunning the limit:
	// the idle phase, the wait for the scheduler and some slack come first.
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) - o.idle - 75*time.Second - 90*time.Second; left < o.work {
			if left < time.Minute {
				return fmt.Errorf("the seed left %s: too little for the window; seed fewer accounts", left.Round(time.Second))
			}
			d.o.work = left.Round(time.Second)
			d.o.killAfter = min(o.killAfter, d.o.work/2)
			say("window shortened to %s to stay within -limit (kill after %s)", d.o.work, d.o.killAfter)
		}
	}
	// Hold every schedule back until the idle figures are taken.
	for _, s := range schedules {
		if _, err := d.db.ExecContext(ctx, `INSERT INTO schedules (name, next_run_at) VALUES ($1, now() + interval '1 day')
			ON CONFLICT (name) DO UPDATE SET next_run_at = EXCLUDED.next_run_at`, s); err != nil {
			return err
		}
	}
	for i := range d.servers {
		if err := d.startServer(ctx, i); err != nil {
			return err
		}
	}
	tokens, err := sessions(ctx, d.db, []byte(d.secrets["JWT_SECRET"]), 500)
	if err != nil {
		return err
	}
	r := &report{o: d.o, seed: sd, sizeSeeded: sizeSeeded, pids: [2]int{d.servers[0].cmd.Process.Pid, d.servers[1].cmd.Process.Pid}}

	say("idle: dashboard load for %s on both replicas", o.idle)
	ictx, icancel := context.WithTimeout(ctx, o.idle)
	r.idle = dashboardLoad(ictx, d.liveBases, tokens, o.clients, o.maxRequests, o.think)
	icancel()
	for i := range r.rssIdle {
		r.rssIdle[i] = rssKiB(r.pids[i])
	}
	return d.busy(ctx, r, tokens)
}

// busy makes the schedules due, measures the background work under the
// dashboard load, kills replica A in the middle and writes the report.
func (d *drill) busy(ctx context.Context, r *report, tokens []string) error {
	o := d.o
	log := newRunLog()
	sctx, scancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); log.run(sctx, d.db, 250*time.Millisecond) }()
	var lags []float64
	var lagMu sync.Mutex
	go func() {
		defer wg.Done()
		for sctx.Err() == nil {
			for i, b := range d.liveBases() {
				if i > 0 {
					break // the gauge is the queue's, the same on every replica
				}
				if v, ok := queueLag(sctx, b, d.secrets["METRICS_TOKEN"]); ok {
					lagMu.Lock()
					lags = append(lags, v)
					lagMu.Unlock()
				}
			}
			for i := range r.rssPeak {
				d.mu.Lock()
				alive := d.alive[i]
				if alive {
					r.rssPeak[i] = max(r.rssPeak[i], rssKiB(d.servers[i].cmd.Process.Pid))
				}
				d.mu.Unlock()
			}
			select {
			case <-sctx.Done():
			case <-time.After(2 * time.Second):
			}
		}
	}()
	armed, err := arm(ctx, d.db, o.compress)
	if err != nil {
		scancel()
		wg.Wait()
		return err
	}
	r.armed = armed
	t0 := time.Now()
	wg.Add(1)
	go func() { defer wg.Done(); clock(sctx, d.db, o.compress) }()
	say("armed in %.1f s: a 6-hour cycle in %s (×%g); schedules on the compressed clock", armed.Seconds(),
		cycle(6*time.Hour, o.compress).Round(time.Second), o.compress)
	r.t0 = t0
	var load loadResult
	lctx, lcancel := context.WithCancel(ctx)
	go func() {
		defer wg.Done()
		load = dashboardLoad(lctx, d.liveBases, tokens, o.clients, o.maxRequests, o.think)
	}()

	select {
	case <-ctx.Done():
	case <-time.After(time.Until(t0.Add(o.killAfter))):
	}
	if err := d.kill(ctx, r, log); err != nil {
		lcancel()
		scancel()
		wg.Wait()
		return err
	}
	// As an orchestrator would, start A again once its jobs are B's.
	if err := d.startServer(ctx, 0); err != nil {
		lcancel()
		scancel()
		wg.Wait()
		return err
	}
	r.restartedAt = time.Now()
	say("replica A restarted (pid %d)", d.servers[0].cmd.Process.Pid)
	select {
	case <-ctx.Done():
	case <-time.After(time.Until(t0.Add(o.work))):
	}
	r.tEnd = time.Now()
	lcancel()
	scancel()
	wg.Wait()
	r.busy, r.lags = load, lags
	r.claimDelays = log.delays()
	r.sameAttempt, r.moved = log.doubled(r.pids[0])
	for i := range d.servers {
		d.mu.Lock()
		d.alive[i] = false
		d.mu.Unlock()
		d.servers[i].stop(syscall.SIGTERM)
		d.servers[i] = nil
	}
	if err := r.collect(ctx, d.db, log); err != nil {
		return err
	}
	text := r.String()
	fmt.Println(text)
	if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
		return err
	}
	return r.verdict()
}

// kill SIGKILLs replica A as soon as it holds a running job (until a
// minute before the window ends: with capacity to spare the jobs come in
// bursts at the schedules' compressed looks, minutes apart when F is small)
// and follows the jobs it held until each is taken over by B and
// finished, for at most 60 s.
func (d *drill) kill(ctx context.Context, r *report, log *runLog) error {
	mark := "%-" + strconv.Itoa(r.pids[0]) + "-%"
	held := func() ([]killedJob, error) {
		rows, err := d.db.QueryContext(ctx, `SELECT id, kind, attempts FROM jobs WHERE state = 'running' AND locked_by LIKE $1`, mark)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []killedJob
		for rows.Next() {
			var k killedJob
			if err := rows.Scan(&k.id, &k.kind, &k.attemptsAtKill); err != nil {
				return nil, err
			}
			out = append(out, k)
		}
		return out, rows.Err()
	}
	var err error
	waitErr := wait(ctx, max(time.Until(r.t0.Add(d.o.work-time.Minute)), time.Second), func() bool {
		r.killed, err = held()
		return err != nil || len(r.killed) > 0
	})
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.alive[0] = false
	d.mu.Unlock()
	d.servers[0].stop(syscall.SIGKILL)
	r.killedAt = time.Now()
	if waitErr != nil || len(r.killed) == 0 {
		return errors.New("replica A held no running job until a minute before the window's end")
	}
	// A job finished by A between the look and the kill was not A's to lose.
	kept := r.killed[:0]
	for _, k := range r.killed {
		var fin sql.NullTime
		if err := d.db.QueryRowContext(ctx, `SELECT finished_at FROM jobs WHERE id = $1`, k.id).Scan(&fin); err != nil {
			return err
		}
		if fin.Valid && fin.Time.Before(r.killedAt) {
			continue
		}
		kept = append(kept, k)
	}
	r.killed = kept
	say("replica A (pid %d) SIGKILLed holding %d running job(s)", r.pids[0], len(r.killed))
	if len(r.killed) == 0 {
		return errors.New("the jobs replica A held finished before the kill")
	}
	pending := len(r.killed)
	err = wait(ctx, 60*time.Second, func() bool {
		for i := range r.killed {
			k := &r.killed[i]
			if !k.finished.IsZero() {
				continue
			}
			var state string
			var by sql.NullString
			var fin sql.NullTime
			if d.db.QueryRowContext(ctx, `SELECT state, locked_by, finished_at FROM jobs WHERE id = $1`, k.id).Scan(&state, &by, &fin) != nil {
				continue
			}
			if k.takenOver.IsZero() && ((state == "running" && by.Valid && !contains(by.String, r.pids[0])) || fin.Valid) {
				k.takenOver = time.Now()
			}
			if fin.Valid {
				k.finished, k.state = fin.Time, state
				pending--
			}
		}
		return pending == 0
	})
	if err != nil {
		say("killed jobs: %d not finished within 60 s", pending)
	}
	return nil
}

// contains reports whether a worker id ("host-pid-random") is pid's.
func contains(workerID string, pid int) bool {
	return strings.Contains(workerID, "-"+strconv.Itoa(pid)+"-")
}

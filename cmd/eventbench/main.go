// Command eventbench measures the live updates (GET /api/events): the
// memory and idle CPU of one server holding many open streams, and the
// fan-out latency of an event raised on another replica.
//
//	eventbench -admin-url postgres://postgres@127.0.0.1:54330/postgres -streams 1000 -idle 30s
//
// It creates a fresh database on the admin URL's cluster (dropped at the
// end), and runs replica A, the one measured, as a child process
// (eventbench -serve), so that the clients' memory is not counted in it.
// The parent is replica B and the clients: it seeds users and accounts,
// opens the streams on A, reads A's RSS and CPU time from /proc and its
// Go heap and stacks (runtime.MemStats) before and after, then raises
// sync events through B's job store (as B's worker does) and times each
// until every stream of its user has it.
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/events"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/migrations"
)

const jwtSecret = "eventbench-jwt-secret-0123456789abcdef-01"

func main() {
	var (
		serve    = flag.String("serve", "", "run replica A on this database URL (internal)")
		adminURL = flag.String("admin-url", os.Getenv("TEST_DATABASE_URL"), "PostgreSQL URL of a database that may create databases")
		streams  = flag.Int("streams", 1000, "streams to open on replica A")
		perUser  = flag.Int("per-user", 5, "streams per user (the per-user cap)")
		idle     = flag.Duration("idle", 30*time.Second, "how long to measure the idle CPU")
		rounds   = flag.Int("rounds", 5, "rounds of events, one per user each")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if *serve != "" {
		err = runServer(ctx, *serve)
	} else {
		err = run(ctx, *adminURL, *streams, *perUser, *idle, *rounds)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "eventbench:", err)
		os.Exit(1)
	}
}

func assemble(dbURL string, db *sql.DB) (*app.App, error) {
	env := map[string]string{"APP_ENV": "development", "DATABASE_URL": dbURL, "JWT_SECRET": jwtSecret}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	var w io.Writer = io.Discard
	if os.Getenv("EVENTBENCH_LOG") != "" {
		w = os.Stderr
	}
	logger := slog.New(slog.NewJSONHandler(w, nil))
	return app.New(cfg, db, logger, app.Options{
		Hasher: auth.NewHasher(auth.BcryptCost, 1),
		Events: events.Options{MaxPerUser: 5},
	})
}

// serverStats is what replica A reports on "stats".
type serverStats struct {
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Goroutines int    `json:"goroutines"`
	Streams    int    `json:"streams"`
}

// runServer is replica A: the router and the hub's listener on a
// loopback port, printed first; then one JSON line of serverStats per
// "stats" line read.
func runServer(ctx context.Context, dbURL string) error {
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := assemble(dbURL, db)
	if err != nil {
		return err
	}
	a.Events.Start(ctx)
	defer a.Stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 60 * time.Second}
	srv.RegisterOnShutdown(a.CloseStreams)
	go srv.Serve(ln) //nolint:errcheck // ends with Shutdown below
	for !a.Events.Listening() {
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Println(ln.Addr().String())
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() != "stats" {
			continue
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		out, _ := json.Marshal(serverStats{HeapInuse: m.HeapInuse, StackInuse: m.StackInuse,
			Goroutines: runtime.NumGoroutine(), Streams: a.Events.Open()})
		fmt.Println(string(out))
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// child is replica A seen from the parent.
type child struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Scanner
	addr string
}

func (c *child) stats() (serverStats, error) {
	var s serverStats
	if _, err := io.WriteString(c.in, "stats\n"); err != nil {
		return s, err
	}
	if !c.out.Scan() {
		return s, fmt.Errorf("replica A ended: %v", c.out.Err())
	}
	return s, json.Unmarshal(c.out.Bytes(), &s)
}

// proc reads the child's resident set (VmRSS, bytes) and CPU time.
func (c *child) proc() (rss int64, cpu time.Duration, err error) {
	pid := c.cmd.Process.Pid
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			rss = kb << 10
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	// Fields after the parenthesised command: utime and stime are the
	// 12th and 13th (1-based fields 14 and 15), in clock ticks (100/s).
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+2:])
	f := strings.Fields(rest)
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return rss, time.Duration(ut+st) * 10 * time.Millisecond, nil
}

func run(ctx context.Context, adminURL string, nStreams, perUser int, idle time.Duration, rounds int) error {
	if adminURL == "" {
		return fmt.Errorf("-admin-url (or TEST_DATABASE_URL) is required")
	}
	dbURL, drop, err := freshDatabase(ctx, adminURL)
	if err != nil {
		return err
	}
	defer drop()
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := postgres.Migrate(ctx, db, migrations.FS); err != nil {
		return err
	}
	users := (nStreams + perUser - 1) / perUser
	seeded, err := seed(ctx, db, users)
	if err != nil {
		return err
	}

	// Replica B: this process, its own listener included.
	b, err := assemble(dbURL, db)
	if err != nil {
		return err
	}
	b.Events.Start(ctx)
	defer b.Stop()

	a, err := startChild(ctx, dbURL)
	if err != nil {
		return err
	}
	defer func() {
		a.in.Close()
		a.cmd.Wait() //nolint:errcheck // the child's exit is not measured
	}()
	before, err := a.stats()
	if err != nil {
		return err
	}
	rssBefore, _, err := a.proc()
	if err != nil {
		return err
	}

	// The streams: perUser per user, each read by one goroutine that
	// reports the sync events it gets.
	type arrival struct {
		user string
		at   time.Time
	}
	arrivals := make(chan arrival, nStreams*2)
	tr := &http.Transport{MaxIdleConnsPerHost: nStreams, MaxConnsPerHost: 0}
	client := &http.Client{Transport: tr}
	var wg sync.WaitGroup
	streamCtx, cancelStreams := context.WithCancel(ctx)
	defer func() { cancelStreams(); wg.Wait() }()
	opened := make(chan error, nStreams)
	for i := range nStreams {
		u := seeded[i/perUser]
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(streamCtx, http.MethodGet, "http://"+a.addr+"/api/events", nil)
			req.Header.Set("Authorization", "Bearer "+u.token)
			res, err := client.Do(req)
			if err != nil {
				opened <- err
				return
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				opened <- fmt.Errorf("stream: status %d", res.StatusCode)
				return
			}
			opened <- nil
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: sync") {
					arrivals <- arrival{user: u.id, at: time.Now()}
				}
			}
			if streamCtx.Err() == nil {
				fmt.Fprintf(os.Stderr, "a stream ended early: %v\n", sc.Err())
			}
		}()
	}
	for range nStreams {
		if err := <-opened; err != nil {
			return err
		}
	}
	for {
		s, err := a.stats()
		if err != nil {
			return err
		}
		if s.Streams == nStreams {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	after, err := a.stats()
	if err != nil {
		return err
	}
	rssAfter, cpu0, err := a.proc()
	if err != nil {
		return err
	}
	fmt.Printf("streams open on replica A: %d (%d users × %d)\n", after.Streams, users, perUser)
	fmt.Printf("replica A before: RSS %.1f MiB, heap in use %.1f MiB, stacks %.1f MiB, %d goroutines\n",
		mib(rssBefore), mib(int64(before.HeapInuse)), mib(int64(before.StackInuse)), before.Goroutines)
	fmt.Printf("replica A after:  RSS %.1f MiB, heap in use %.1f MiB, stacks %.1f MiB, %d goroutines\n",
		mib(rssAfter), mib(int64(after.HeapInuse)), mib(int64(after.StackInuse)), after.Goroutines)
	n := float64(nStreams)
	fmt.Printf("per stream: RSS %.1f KiB, heap+stacks %.1f KiB, %.1f goroutines\n",
		float64(rssAfter-rssBefore)/1024/n,
		(float64(after.HeapInuse+after.StackInuse)-float64(before.HeapInuse+before.StackInuse))/1024/n,
		float64(after.Goroutines-before.Goroutines)/n)

	select {
	case <-time.After(idle):
	case <-ctx.Done():
		return ctx.Err()
	}
	_, cpu1, err := a.proc()
	if err != nil {
		return err
	}
	fmt.Printf("idle CPU of replica A over %s with %d streams: %s (%.2f %% of one core)\n",
		idle, nStreams, cpu1-cpu0, 100*float64(cpu1-cpu0)/float64(idle))

	// Fan-out: each round raises one sync event per user through B's job
	// store and waits until all of that user's streams have it.
	jobs := b.Jobs
	var lat []time.Duration
	for r := range rounds {
		sent := map[string]time.Time{}
		got := map[string]int{}
		for _, u := range seeded {
			t0 := time.Now()
			if err := jobs.Progress(ctx, u.jobID, r+1); err != nil {
				return err
			}
			sent[u.id] = t0
		}
		deadline := time.After(10 * time.Second)
		for want := len(seeded) * perUser; want > 0; want-- {
			select {
			case ar := <-arrivals:
				lat = append(lat, ar.at.Sub(sent[ar.user]))
				got[ar.user]++
			case <-deadline:
				return fmt.Errorf("round %d: %d events missing after 10 s", r, want)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("fan-out B → A: %d deliveries (%d rounds × %d events × %d streams): p50 %s, p90 %s, p99 %s, max %s\n",
		len(lat), rounds, len(seeded), perUser, q(0.50).Round(10*time.Microsecond), q(0.90).Round(10*time.Microsecond),
		q(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	return nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func startChild(ctx context.Context, dbURL string) (*child, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-serve", dbURL)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	if !c.out.Scan() {
		return nil, fmt.Errorf("replica A did not start")
	}
	c.addr = c.out.Text()
	return c, nil
}

type seededUser struct {
	id, token, jobID string
}

// seed makes users, each with one account and one running fetch_posts
// job whose progress the rounds advance.
func seed(ctx context.Context, db *sql.DB, n int) ([]seededUser, error) {
	tokens := auth.NewTokens([]byte(jwtSecret))
	out := make([]seededUser, 0, n)
	for i := range n {
		email := fmt.Sprintf("events%04d@example.com", i)
		var u seededUser
		if err := db.QueryRowContext(ctx, `INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`, email).Scan(&u.id); err != nil {
			return nil, err
		}
		var acc string
		if err := db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token)
			VALUES ($1, $2, $3, 'sealed') RETURNING id`, u.id, fmt.Sprintf("ig%04d", i), fmt.Sprintf("creator%04d", i)).Scan(&acc); err != nil {
			return nil, err
		}
		if err := db.QueryRowContext(ctx, `INSERT INTO jobs (kind, account_id, state, locked_by, locked_until)
			VALUES ('fetch_posts', $1, 'running', 'eventbench', now() + interval '1 hour') RETURNING id`, acc).Scan(&u.jobID); err != nil {
			return nil, err
		}
		sess, err := postgres.NewSessions(db).Create(ctx, u.id, auth.TokenTTL)
		if err != nil {
			return nil, err
		}
		tok, err := tokens.Issue(u.id, email, sess.ID)
		if err != nil {
			return nil, err
		}
		u.token = tok
		out = append(out, u)
	}
	return out, nil
}

// freshDatabase creates a database on adminURL's cluster and returns its
// URL and a function that drops it.
func freshDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("eventbench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(c, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)+` WITH (FORCE)`) //nolint:errcheck // best effort
		admin.Close()
	}
	return u.String(), drop, nil
}

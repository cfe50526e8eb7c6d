// Command benchstats measures GET /api/growth/stats: it seeds a benchmark
// database once (1,000 accounts × 1,000 posts and one account with 100,000
// posts over three years), then drives the real router on a loopback
// listener with real JWTs from many concurrent clients, and runs the same
// report straight through the growth service, and prints a table.
//
//	benchstats -admin-url postgres://...:54330/postgres -db bench_stats
//
// scripts/bench-stats.sh starts the test cluster and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/postgres"
)

type options struct {
	adminURL string
	dbName   string
	duration time.Duration
	clients  int
	bigRuns  int
	cpuProf  string
	only     string
}

func main() {
	// The server's runtime setting, as cmd/server makes it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(app.DefaultGCPercent)
	}
	var o options
	flag.StringVar(&o.adminURL, "admin-url", os.Getenv("TEST_DATABASE_URL"), "PostgreSQL URL of a database on the cluster to create the benchmark database from")
	flag.StringVar(&o.dbName, "db", "bench_stats", "name of the benchmark database (created and seeded when missing)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each concurrent run")
	flag.IntVar(&o.clients, "clients", 32, "concurrent clients")
	flag.IntVar(&o.bigRuns, "big-runs", 60, "sequential requests for the 100,000-post account")
	flag.StringVar(&o.cpuProf, "cpuprofile", "", "write a CPU profile of the runs (server and clients) to this file")
	flag.StringVar(&o.only, "only", "", "run only the measurements whose name contains this (the ratios need all of them)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchstats:", err)
		os.Exit(1)
	}
}

// periods and zones of the typical requests, drawn at random.
var (
	benchPeriods = []int{7, 14, 30, 90}
	benchZones   = []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"}
)

func run(ctx context.Context, o options, out io.Writer) error {
	if o.adminURL == "" {
		return errors.New("-admin-url (or TEST_DATABASE_URL) is required")
	}
	u, err := url.Parse(o.adminURL)
	if err != nil {
		return fmt.Errorf("admin URL: %w", err)
	}
	u.Path = "/" + o.dbName
	dbURL := u.String()
	if err := ensureDatabase(ctx, o.adminURL, dbURL); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	logf := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	if err := ensureSeed(ctx, db, logf); err != nil {
		return err
	}
	typical, big, err := loadAccounts(ctx, db)
	if err != nil {
		return err
	}

	// The server as cmd/server wires it, on a loopback listener. Two
	// servers on one database: one computes every report, the other
	// reuses reports as cmd/server does (STATS_CACHE_SIZE's default).
	secret := "benchstats-jwt-secret-0123456789abcdef"
	assemble := func(cacheSize string) (*app.App, error) {
		env := map[string]string{"APP_ENV": "development", "DATABASE_URL": dbURL, "JWT_SECRET": secret}
		if cacheSize != "" {
			env["STATS_CACHE_SIZE"] = cacheSize
		}
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			return nil, err
		}
		logger := slog.New(slog.NewJSONHandler(io.Discard, nil)) // formatted as in production, then dropped
		return app.New(cfg, db, logger, app.Options{Hasher: auth.NewHasher(auth.BcryptCost, 2)})
	}
	plain, err := assemble("0")
	if err != nil {
		return err
	}
	reusing, err := assemble("")
	if err != nil {
		return err
	}
	tokens, svc, cached := plain.Tokens, plain.Growth, reusing.Growth
	// Both keep the session reads, as cmd/server does once its listeners
	// are up.
	for _, a := range []*app.App{plain, reusing} {
		a.Sessions.Start(ctx)
		defer a.Sessions.Stop()
	}
	for deadline := time.Now().Add(10 * time.Second); !plain.Sessions.Live() || !reusing.Sessions.Live(); {
		if time.Now().After(deadline) {
			return errors.New("the session caches' listeners did not connect")
		}
		time.Sleep(10 * time.Millisecond)
	}
	serve := func(h http.Handler) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)                                                      //nolint:errcheck // ends with Shutdown
		context.AfterFunc(ctx, func() { srv.Shutdown(context.Background()) }) //nolint:errcheck
		return "http://" + ln.Addr().String(), nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	base, err := serve(plain.Handler)
	if err != nil {
		return err
	}
	cachedBase, err := serve(reusing.Handler)
	if err != nil {
		return err
	}

	tokenOf := map[string]string{}
	sessions := postgres.NewSessions(db)
	for _, a := range append(slices.Clone(typical), big) {
		sess, err := sessions.Create(ctx, a.UserID, auth.TokenTTL)
		if err != nil {
			return err
		}
		if tokenOf[a.UserID], err = tokens.Issue(a.UserID, a.Email, sess.ID); err != nil {
			return err
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}, Timeout: 30 * time.Second}
	accountsOf := postgres.NewAccounts(db)
	accs := make([]postgres.Account, len(typical))
	for i, a := range typical {
		if accs[i], err = accountsOf.ByID(ctx, a.ID); err != nil {
			return err
		}
	}
	bigAcc, err := accountsOf.ByID(ctx, big.ID)
	if err != nil {
		return err
	}
	zones := make([]*time.Location, len(benchZones))
	for i, z := range benchZones {
		if zones[i], err = svc.Location(z); err != nil {
			return err
		}
	}

	// A typical request: a random account, in its owner's zone (account i
	// lives in zone i mod 5), for a random period: 4,000 distinct reports.
	draw := func(rng *rand.Rand) (int, int) {
		return rng.IntN(len(typical)), benchPeriods[rng.IntN(len(benchPeriods))]
	}
	httpTypical := func(base string) func(*rand.Rand) error {
		return func(rng *rand.Rand) error {
			i, period := draw(rng)
			path := fmt.Sprintf("/api/growth/stats?period=%d&tz=%s", period, benchZones[i%len(benchZones)])
			return get(ctx, client, base+path, tokenOf[typical[i].UserID])
		}
	}
	sqlTypical := func(rng *rand.Rand) error {
		i, period := draw(rng)
		_, err := svc.Stats(ctx, accs[i], period, zones[i%len(zones)], time.Now())
		return err
	}
	// The same report after its user's GET /api/user/me (untimed), as a
	// dashboard asks for it: the session read comes from the server's
	// copy, and only the report is computed.
	httpTypicalSession := func(base string) func(*rand.Rand) error {
		return func(rng *rand.Rand) error {
			i, period := draw(rng)
			token := tokenOf[typical[i].UserID]
			if err := get(ctx, client, base+"/api/user/me", token); err != nil {
				return err
			}
			path := fmt.Sprintf("/api/growth/stats?period=%d&tz=%s", period, benchZones[i%len(benchZones)])
			start := time.Now()
			err := get(ctx, client, base+path, token)
			timed(rng, time.Since(start))
			return err
		}
	}
	httpBig := func(base string) func(*rand.Rand) error {
		return func(*rand.Rand) error {
			return get(ctx, client, base+"/api/growth/stats?period=90&tz=Europe/Berlin", tokenOf[big.UserID])
		}
	}
	sqlBig := func(*rand.Rand) error {
		_, err := svc.Stats(ctx, bigAcc, 90, zones[1], time.Now())
		return err
	}

	logf("warming up...")
	if _, err := measure(ctx, o.clients, 2*time.Second, 0, httpTypical(base)); err != nil {
		return err
	}
	// Every typical report once, so that the reusing server starts where a
	// running one would be: each dashboard seen before.
	var warm []func(*rand.Rand) error
	for i := range typical {
		for _, p := range benchPeriods {
			path := fmt.Sprintf("%s/api/growth/stats?period=%d&tz=%s", cachedBase, p, benchZones[i%len(benchZones)])
			token := tokenOf[typical[i].UserID]
			warm = append(warm, func(*rand.Rand) error { return get(ctx, client, path, token) })
		}
	}
	var next sync.Mutex
	if _, err := measure(ctx, o.clients, 0, len(warm), func(*rand.Rand) error {
		next.Lock()
		fn := warm[len(warm)-1]
		warm = warm[:len(warm)-1]
		next.Unlock()
		return fn(nil)
	}); err != nil {
		return err
	}
	if o.cpuProf != "" {
		f, err := os.Create(o.cpuProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	logf("running: %d clients × %s per run, %d sequential requests for the big account", o.clients, o.duration, o.bigRuns)
	results := []struct {
		name string
		r    result
	}{}
	for _, m := range []struct {
		name     string
		clients  int
		duration time.Duration
		n        int
		fn       func(*rand.Rand) error
	}{
		{"HTTP, typical, computed", o.clients, o.duration, 0, httpTypical(base)},
		{"service, typical", o.clients, o.duration, 0, sqlTypical},
		{"HTTP, typical, reused", o.clients, o.duration, 0, httpTypical(cachedBase)},
		{"HTTP, typical, computed, 1 cl.", 1, o.duration / 2, 0, httpTypical(base)},
		{"HTTP, same, session kept, 1 cl.", 1, o.duration / 2, 0, httpTypicalSession(base)},
		{"service, typical, 1 client", 1, o.duration / 2, 0, sqlTypical},
		{"HTTP, typical, reused, 1 client", 1, o.duration / 2, 0, httpTypical(cachedBase)},
		{"HTTP, 100k posts, computed", 1, 0, o.bigRuns, httpBig(base)},
		{"service, 100k posts", 1, 0, o.bigRuns, sqlBig},
		{"HTTP, 100k posts, reused", 1, 0, o.bigRuns, httpBig(cachedBase)},
	} {
		if !strings.Contains(m.name, o.only) {
			continue
		}
		meter := startCPU(ctx, db)
		r, err := measure(ctx, m.clients, m.duration, m.n, m.fn)
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if self, pg, ok := meter.stop(ctx); ok && r.n > 0 {
			r.goCPU, r.pgCPU = self/time.Duration(r.n), pg/time.Duration(r.n)
		}
		results = append(results, struct {
			name string
			r    result
		}{m.name, r})
	}

	fmt.Fprintf(out, "\n%-32s %8s %9s %9s %9s %9s %10s %10s\n", "growth stats", "clients", "requests", "req/s", "p50 ms", "p99 ms", "Go CPU ms", "PG CPU ms")
	for _, x := range results {
		fmt.Fprintf(out, "%-32s %8d %9d %9.0f %9.2f %9.2f %10.3f %10.3f\n", x.name, x.r.clients, x.r.n, x.r.rate,
			ms(x.r.p50), ms(x.r.p99), msf(x.r.goCPU), msf(x.r.pgCPU))
	}
	if c := results[0].r.goCPU + results[0].r.pgCPU; c > 0 && len(results) == 10 {
		fmt.Fprintf(out, "\nCPU per typical HTTP request: %.3f ms (Go server and clients %.3f, PostgreSQL %.3f): at most %.0f req/s on %d idle cores\n",
			msf(c), msf(results[0].r.goCPU), msf(results[0].r.pgCPU), float64(runtime.NumCPU())*float64(time.Second)/float64(c), runtime.NumCPU())
	}
	if l, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(out, "load average at the end: %s", l)
	}
	sh, sm, _ := reusing.Sessions.Counts()
	fmt.Fprintf(out, "reusing server: %d session reads reused, %d read from the database\n", sh, sm)
	if len(results) < 9 {
		return nil
	}
	ratio := func(a, b result) float64 { return float64(a.p50) / float64(b.p50) }
	r := func(i int) result { return results[i].r }
	fmt.Fprintf(out, "\nendpoint/service p50, computed: %.2f× at %d clients, %.2f× with 1 client, %.2f× for the 100k-post account\n",
		ratio(r(0), r(1)), o.clients, ratio(r(3), r(4)), ratio(r(6), r(7)))
	fmt.Fprintf(out, "endpoint/service p50, reused:   %.2f× at %d clients, %.2f× with 1 client, %.2f× for the 100k-post account\n",
		ratio(r(2), r(1)), o.clients, ratio(r(5), r(4)), ratio(r(8), r(7)))
	hits, misses := cached.CacheCounts()
	fmt.Fprintf(out, "reusing server: %d reports reused, %d computed (warm-up included)\n", hits, misses)
	fmt.Fprintf(out, "targets: typical p99 ≤ 20 ms and ≥ 1,500 req/s at 32 clients; 100k-post p50 ≤ 30 ms; endpoint p50 ≤ 1.5× service\n")
	return nil
}

// get requests url with the token and requires a 200.
func get(ctx context.Context, c *http.Client, url, token string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return nil
}

// result is one measured run.
type result struct {
	clients  int
	n        int
	rate     float64
	p50, p99 time.Duration
	// cpu is the CPU time per request of this process (server, clients)
	// and of the PostgreSQL backends; 0 when unknown.
	goCPU, pgCPU time.Duration
}

// measure calls fn from clients goroutines for d, or n times in all when
// n > 0, and returns the latency percentiles and the rate.
func measure(ctx context.Context, clients int, d time.Duration, n int, fn func(*rand.Rand) error) (result, error) {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		firstErr  error
		wg        sync.WaitGroup
		remaining = n
	)
	deadline := time.Now().Add(d)
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 42))
			var mine []time.Duration
			defer func() {
				mu.Lock()
				latencies = append(latencies, mine...)
				mu.Unlock()
			}()
			for ctx.Err() == nil {
				if n > 0 {
					mu.Lock()
					if remaining == 0 {
						mu.Unlock()
						return
					}
					remaining--
					mu.Unlock()
				} else if time.Now().After(deadline) {
					return
				}
				t := time.Now()
				if err := fn(rng); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				d := time.Since(t)
				if own, ok := ownLatency.LoadAndDelete(rng); ok {
					d = own.(time.Duration) // fn timed the part it measures
				}
				mine = append(mine, d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return result{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return result{}, err
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	return result{clients: clients, n: len(latencies), rate: float64(len(latencies)) / elapsed.Seconds(), p50: pct(0.50), p99: pct(0.99)}, nil
}

// ownLatency holds, by a client's generator, the latency a measured
// function timed itself (timed); measure records it instead of the call's.
var ownLatency sync.Map

// timed records d as the latency of the running call of the client whose
// generator is rng.
func timed(rng *rand.Rand, d time.Duration) { ownLatency.Store(rng, d) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

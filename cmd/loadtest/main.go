// Command loadtest seeds a database and drives a running server with a
// bounded mix of requests from many concurrent clients, then prints
// throughput, latency percentiles per route, error counts and the server's
// peak memory. It only ever targets loopback addresses.
//
//	loadtest -url http://127.0.0.1:18090 -db postgres://... -server-pid 1234
//
// JWT_SECRET must hold the server's secret: the seeded users' tokens are
// minted with it. scripts/loadtest.sh starts everything and runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type options struct {
	url        string
	db         string
	serverPID  int
	duration   time.Duration
	clients    int
	logins     int
	warm       bool
	burst      time.Duration
	burstConns int
	users      int
	posts      int
	waitlist   int
	seed       bool
	out        string
	only       string
	bareGin    string
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:18090", "server base URL (loopback only)")
	flag.StringVar(&o.db, "db", os.Getenv("DATABASE_URL"), "PostgreSQL URL of the server's database (for seeding and checks)")
	flag.IntVar(&o.serverPID, "server-pid", 0, "server process id, for its peak RSS (VmHWM)")
	flag.DurationVar(&o.duration, "duration", 45*time.Second, "length of the mixed run (at most 5m)")
	flag.IntVar(&o.clients, "clients", 32, "concurrent clients of the mixed run")
	flag.BoolVar(&o.warm, "warm", true, "ask for every stats report once before the mix, as a running server would have been")
	flag.IntVar(&o.logins, "login-clients", 2, "clients of the mixed run that only log in (0: logins are drawn from the mix like any route)")
	flag.DurationVar(&o.burst, "burst", 10*time.Second, "length of the /health-only burst (0: none; at most 1m)")
	flag.IntVar(&o.burstConns, "burst-clients", 64, "concurrent clients of the burst")
	flag.IntVar(&o.users, "users", 32, "users (each with one Instagram account) to seed")
	flag.IntVar(&o.posts, "posts", 1000, "posts per seeded account")
	flag.IntVar(&o.waitlist, "waitlist", 50, "waitlist rows to seed")
	flag.BoolVar(&o.seed, "seed", true, "seed the database first")
	flag.StringVar(&o.out, "out", "", "also write the report (markdown) to this file")
	flag.StringVar(&o.only, "only", "", "run only the routes whose name contains this text (e.g. stats), for diagnosis")
	flag.StringVar(&o.bareGin, "bare-gin", "", "only serve a bare Gin /health on this loopback address until stopped (the yardstick of scripts/loadtest-health.sh)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.bareGin != "" {
		if err := serveBareGin(ctx, o.bareGin); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, stdout io.Writer) error {
	if err := loopbackOnly(o.url); err != nil {
		return err
	}
	if o.duration <= 0 || o.duration > 5*time.Minute || o.burst < 0 || o.burst > time.Minute {
		return errors.New("-duration must be in (0, 5m] and -burst in [0, 1m]")
	}
	if o.clients < 1 || o.clients > 512 || o.logins < 0 || o.logins >= o.clients || o.burstConns < 1 || o.burstConns > 512 {
		return errors.New("-clients and -burst-clients must be in [1, 512], -login-clients in [0, clients)")
	}
	secret := os.Getenv("JWT_SECRET")
	if secret == "" {
		return errors.New("JWT_SECRET must be the server's JWT secret")
	}
	if o.db == "" {
		return errors.New("-db (or DATABASE_URL) is required")
	}

	var fx fixture
	var err error
	if o.seed {
		start := time.Now()
		fx, err = seed(ctx, o.db, []byte(secret), o.users, o.posts, o.waitlist)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		fmt.Fprintf(stdout, "seeded %d users, %d accounts x %d posts, %d waitlist rows in %s\n",
			len(fx.users), len(fx.users), o.posts, o.waitlist, time.Since(start).Round(time.Millisecond))
	} else if fx, err = loadFixture(ctx, o.db, []byte(secret)); err != nil {
		return fmt.Errorf("load fixture: %w", err)
	}

	rep := report{Clients: o.clients, LoginClients: o.logins, Duration: o.duration, BurstClients: o.burstConns}
	if o.burst > 0 {
		fmt.Fprintf(stdout, "burst: GET /health, %d clients, %s\n", o.burstConns, o.burst)
		rep.Burst = burst(ctx, o.url, o.burstConns, o.burst)
	}
	if o.warm {
		t0 := time.Now()
		n, err := warm(ctx, o.url, fx)
		if err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		fmt.Fprintf(stdout, "warm-up: %d stats reports in %s\n", n, time.Since(t0).Round(time.Millisecond))
		rep.Warmed = n
	}
	fmt.Fprintf(stdout, "mix: %d clients (%d of them logging in), %s\n", o.clients, o.logins, o.duration)
	rep.Mix = mix(ctx, o.url, fx, o.clients, o.logins, o.duration, o.only)
	if o.serverPID > 0 {
		rep.PeakRSS, rep.RSS = procMemory(o.serverPID)
	}
	rep.WaitlistMissing, err = checkWaitlist(ctx, o.db, rep.Mix.signedUp)
	if err != nil {
		return fmt.Errorf("check waitlist: %w", err)
	}
	text := rep.markdown()
	fmt.Fprint(stdout, text)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
			return err
		}
	}
	if rep.failed() {
		return errors.New("the run had server errors, connection errors or lost signups")
	}
	return nil
}

// loopbackOnly refuses any target that is not a loopback address.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("bad -url %q", raw)
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	return fmt.Errorf("refusing to load %s: only loopback addresses may be targeted", u.Hostname())
}

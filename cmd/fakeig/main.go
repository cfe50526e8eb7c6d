// Command fakeig serves the Instagram sandbox on a loopback port, as an
// external Instagram for fault drills (scripts/faults.sh) and scale drills:
// the server is pointed at it with INSTAGRAM_AUTH_URL, INSTAGRAM_API_URL and
// INSTAGRAM_GRAPH_URL. Every sandbox route works, insights included
// (/v25.0/{media-id}/insights, /v25.0/me/insights). Flags emulate Instagram's
// pace:
//
//	-latency 50ms        every Graph answer (me, media, insights) waits this long
//	-rate-limit 200/h    each account's call budget; over it, code 80002 with
//	                     X-Business-Use-Case-Usage at 100 % and the minutes to regain
//	-insights-delay 1h   posts younger than this have no insights yet
//	-live-followers      followers_count follows the daily follower ledger
//	-accounts N          N more accounts (ScaleAccountID(1..N)), -account-posts posts each,
//	                     for scale drills; -tokens FILE writes "ig_user_id token" per line
//
// The drill tells it to fail or slow down through its control endpoints:
//
//	POST /_control/down          every Graph and OAuth endpoint answers 503
//	POST /_control/up            clears every fault
//	POST /_control/slow?delay=D  holds each /me/media page for D
//	POST /_control/throttle?account=ID&code=80002&usage=100&regain=10m[&times=N]
//	                             throttles one account's calls (all accounts without account=)
//	POST /_control/refuse?metric=M  refuses insights calls naming M with code 100
//	GET  /_control/calls         how many requests each endpoint received
//
// It listens on 127.0.0.1 only.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

// The drill's accounts.
const (
	BigAccountID   = "17841400000010000"
	SmallAccountID = "17841400000000040"
	// TinyAccountID has under 100 followers: no follower_count,
	// online_followers or demographics.
	TinyAccountID = "17841400000000041"
)

// settings are the command's flags.
type settings struct {
	port                       int
	clientID, secret, redirect string
	posts                      int
	latency, insightsDelay     time.Duration
	rateLimit                  int
	rateWindow                 time.Duration
	liveFollowers              bool
	// accounts more accounts of accountPosts posts each; their tokens go
	// to tokensFile.
	accounts, accountPosts int
	tokensFile             string
}

// ScaleAccountID is the professional id of the n-th extra account
// (-accounts): 1784150 and n in ten digits, as the scale drill seeds them.
func ScaleAccountID(n int) string { return fmt.Sprintf("1784150%010d", n) }

func main() {
	var s settings
	var rate string
	flag.IntVar(&s.port, "port", 18190, "loopback port to listen on")
	flag.StringVar(&s.clientID, "client-id", "fakeig-client", "app id the fake accepts")
	flag.StringVar(&s.secret, "client-secret", "fakeig-secret", "app secret the fake accepts")
	flag.StringVar(&s.redirect, "redirect-uri", "", "the only redirect_uri accepted (empty: any)")
	flag.IntVar(&s.posts, "posts", 10000, "posts of the big account")
	flag.DurationVar(&s.latency, "latency", 0, "delay of every Graph answer, e.g. 50ms")
	flag.StringVar(&rate, "rate-limit", "", "per-account call budget, e.g. 200/h or 4800/24h (empty: none)")
	flag.DurationVar(&s.insightsDelay, "insights-delay", time.Hour, "age before a post has insights")
	flag.BoolVar(&s.liveFollowers, "live-followers", true, "followers_count follows the follower ledger over time")
	flag.IntVar(&s.accounts, "accounts", 0, "extra accounts for a scale drill (ids ScaleAccountID(1..N))")
	flag.IntVar(&s.accountPosts, "account-posts", 60, "posts of each extra account")
	flag.StringVar(&s.tokensFile, "tokens", "", "file to write each extra account's token to (\"ig_user_id token\" lines)")
	flag.Parse()
	var err error
	if s.rateLimit, s.rateWindow, err = parseRate(rate); err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, s); err != nil {
		log.Fatal(err)
	}
}

// parseRate reads "N/window" ("200/h", "4800/24h", "10/30s"); "" is no limit.
func parseRate(v string) (int, time.Duration, error) {
	if v == "" {
		return 0, 0, nil
	}
	n, w, ok := strings.Cut(v, "/")
	calls, err := strconv.Atoi(n)
	if !ok || err != nil || calls <= 0 {
		return 0, 0, fmt.Errorf("rate-limit %q: want calls/window, e.g. 200/h", v)
	}
	switch w {
	case "s", "m", "h":
		w = "1" + w
	}
	window, err := time.ParseDuration(w)
	if err != nil || window <= 0 {
		return 0, 0, fmt.Errorf("rate-limit %q: bad window %q", v, w)
	}
	return calls, window, nil
}

// newSandbox builds the drill's sandbox from the settings.
func newSandbox(s settings) *sandbox.Sandbox {
	opts := sandbox.Options{
		BaseURL: "http://127.0.0.1:" + strconv.Itoa(s.port), ClientID: s.clientID, ClientSecret: s.secret, Seed: 11,
		Latency: s.latency, RateLimit: s.rateLimit, RateWindow: s.rateWindow,
		InsightsDelay: s.insightsDelay, LiveFollowers: s.liveFollowers,
		Accounts: []sandbox.AccountSpec{
			{UserID: BigAccountID, Username: "fake.bigcreator", Name: "Big Creator", Followers: 48210, Follows: 210,
				Posts: s.posts, Span: 3 * 365 * 24 * time.Hour},
			{UserID: SmallAccountID, Username: "fake.smallcreator", Name: "Small Creator", Followers: 310, Follows: 88, Posts: 40},
			{UserID: TinyAccountID, Username: "fake.tinycreator", Name: "Tiny Creator", Followers: 42, Follows: 120, Posts: 8},
		},
	}
	if s.insightsDelay <= 0 {
		opts.InsightsDelay = -1
	}
	if s.redirect != "" {
		opts.RedirectURIs = []string{s.redirect}
	}
	return sandbox.New(opts)
}

// handler serves the sandbox and the control endpoints.
func handler(sb *sandbox.Sandbox) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", sb)
	mux.HandleFunc("POST /_control/down", func(w http.ResponseWriter, _ *http.Request) {
		sb.ClearFaults()
		sb.InjectFault(sandbox.Fault{Endpoint: "*", Status: http.StatusServiceUnavailable})
		fmt.Fprintln(w, "down")
	})
	mux.HandleFunc("POST /_control/up", func(w http.ResponseWriter, _ *http.Request) {
		sb.ClearFaults()
		fmt.Fprintln(w, "up")
	})
	mux.HandleFunc("POST /_control/slow", func(w http.ResponseWriter, r *http.Request) {
		d, err := time.ParseDuration(r.URL.Query().Get("delay"))
		if err != nil || d < 0 || d > 10*time.Second {
			http.Error(w, "delay must be a duration up to 10s", http.StatusBadRequest)
			return
		}
		sb.ClearFaults()
		sb.InjectFault(sandbox.Fault{Endpoint: sandbox.EndpointMedia, Delay: d})
		fmt.Fprintln(w, "slow", d)
	})
	mux.HandleFunc("POST /_control/throttle", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		code, _ := strconv.Atoi(q.Get("code"))
		usage, _ := strconv.Atoi(cmp.Or(q.Get("usage"), "100"))
		times, _ := strconv.Atoi(q.Get("times"))
		regain, err := time.ParseDuration(cmp.Or(q.Get("regain"), "0s"))
		if err != nil || regain < 0 || times < 0 || usage < 0 {
			http.Error(w, "regain must be a duration; usage and times non-negative", http.StatusBadRequest)
			return
		}
		f := sandbox.FaultThrottled(code, usage, regain)
		f.Account, f.Times = q.Get("account"), times
		sb.InjectFault(f)
		fmt.Fprintln(w, "throttle", f.Account, f.GraphCode, regain)
	})
	mux.HandleFunc("POST /_control/refuse", func(w http.ResponseWriter, r *http.Request) {
		metric := r.URL.Query().Get("metric")
		if metric == "" {
			http.Error(w, "metric is required", http.StatusBadRequest)
			return
		}
		sb.InjectFault(sandbox.FaultMetricRefused(metric))
		fmt.Fprintln(w, "refuse", metric)
	})
	mux.HandleFunc("GET /_control/calls", func(w http.ResponseWriter, _ *http.Request) {
		calls := map[string]int{}
		for _, e := range []string{sandbox.EndpointExchange, sandbox.EndpointLongLived, sandbox.EndpointRefresh,
			sandbox.EndpointMe, sandbox.EndpointMedia, sandbox.EndpointMediaInsights, sandbox.EndpointAccountInsights} {
			calls[e] = sb.Calls(e)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(calls) //nolint:errcheck
	})
	return mux
}

// addScaleAccounts creates the extra accounts and writes their tokens.
func addScaleAccounts(sb *sandbox.Sandbox, s settings) error {
	if s.accounts <= 0 {
		return nil
	}
	var b strings.Builder
	for n := 1; n <= s.accounts; n++ {
		id := ScaleAccountID(n)
		sb.AddAccount(sandbox.AccountSpec{UserID: id, Username: fmt.Sprintf("scale.creator%d", n),
			Followers: 500 + n%5000, Follows: 150, Posts: s.accountPosts, Span: 60 * 24 * time.Hour})
		fmt.Fprintf(&b, "%s %s\n", id, sb.IssueToken(id))
	}
	if s.tokensFile == "" {
		return nil
	}
	tmp := s.tokensFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.tokensFile)
}

func run(ctx context.Context, s settings) error {
	sb := newSandbox(s)
	if err := addScaleAccounts(sb, s); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler(sb), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Printf("fakeig: serving the Instagram sandbox on 127.0.0.1:%d (%d posts on %s, latency %s, rate limit %d per %s)",
		s.port, s.posts, BigAccountID, s.latency, s.rateLimit, s.rateWindow)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Command fakeig serves the Instagram sandbox on a loopback port, as an
// external Instagram for fault drills (scripts/faults.sh): the server is
// pointed at it with INSTAGRAM_AUTH_URL, INSTAGRAM_API_URL and
// INSTAGRAM_GRAPH_URL, and the drill tells it to fail or slow down through
// its control endpoints:
//
//	POST /_control/down          every Graph and OAuth endpoint answers 503
//	POST /_control/up            clears every fault
//	POST /_control/slow?delay=D  holds each /me/media page for D
//	GET  /_control/calls         how many requests each endpoint received
//
// It listens on 127.0.0.1 only.
package main

import (
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
	"syscall"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

// The drill's accounts.
const (
	BigAccountID   = "17841400000010000"
	SmallAccountID = "17841400000000040"
)

func main() {
	port := flag.Int("port", 18190, "loopback port to listen on")
	clientID := flag.String("client-id", "fakeig-client", "app id the fake accepts")
	secret := flag.String("client-secret", "fakeig-secret", "app secret the fake accepts")
	redirect := flag.String("redirect-uri", "", "the only redirect_uri accepted (empty: any)")
	posts := flag.Int("posts", 10000, "posts of the big account")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *port, *clientID, *secret, *redirect, *posts); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, port int, clientID, secret, redirect string, posts int) error {
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	opts := sandbox.Options{
		BaseURL: base, ClientID: clientID, ClientSecret: secret, Seed: 11,
		Accounts: []sandbox.AccountSpec{
			{UserID: BigAccountID, Username: "fake.bigcreator", Name: "Big Creator", Followers: 48210, Follows: 210,
				Posts: posts, Span: 3 * 365 * 24 * time.Hour},
			{UserID: SmallAccountID, Username: "fake.smallcreator", Name: "Small Creator", Followers: 310, Follows: 88, Posts: 40},
		},
	}
	if redirect != "" {
		opts.RedirectURIs = []string{redirect}
	}
	sb := sandbox.New(opts)

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
	mux.HandleFunc("GET /_control/calls", func(w http.ResponseWriter, _ *http.Request) {
		calls := map[string]int{}
		for _, e := range []string{sandbox.EndpointExchange, sandbox.EndpointLongLived, sandbox.EndpointRefresh,
			sandbox.EndpointMe, sandbox.EndpointMedia} {
			calls[e] = sb.Calls(e)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(calls) //nolint:errcheck
	})

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Printf("fakeig: serving the Instagram sandbox on %s (%d posts on %s)", base, posts, BigAccountID)
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

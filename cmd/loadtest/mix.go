package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Routes of the mix, in report order, with their share of requests.
var routes = []struct {
	name   string
	weight int
}{
	{"GET /health", 15},
	{"POST /api/auth/login", 3},
	{"GET /api/growth/stats", 40},
	{"GET /api/instagram/posts", 32},
	{"POST /api/waitlist/signup", 10},
}

var (
	periods = []string{"7", "14", "30", "90"}
	zones   = []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Los_Angeles"}
	limits  = []string{"20", "50", "100"}
)

// Per-IP budgets the mix stays within when it rotates forwarded addresses:
// the login limit is 5 a minute, the waitlist one 120.
const (
	loginsPerIP   = 5
	signupsPerIP  = 100
	requestTimout = 10 * time.Second
)

// routeStats are the outcomes of one route.
type routeStats struct {
	lat                                 []time.Duration
	ok, client, limited, server, neterr int
	firstErr                            string
}

func (r *routeStats) add(d time.Duration, status int, err error) {
	r.lat = append(r.lat, d)
	switch {
	case err != nil:
		r.neterr++
		if r.firstErr == "" {
			r.firstErr = err.Error()
		}
	case status >= 500:
		r.server++
	case status == http.StatusTooManyRequests:
		r.limited++
	case status >= 400:
		r.client++
	default:
		r.ok++
	}
}

func (r *routeStats) merge(o *routeStats) {
	r.lat = append(r.lat, o.lat...)
	r.ok += o.ok
	r.client += o.client
	r.limited += o.limited
	r.server += o.server
	r.neterr += o.neterr
	if r.firstErr == "" {
		r.firstErr = o.firstErr
	}
}

// runResult is the outcome of a run: stats per route and the wall time.
type runResult struct {
	routes   map[string]*routeStats
	elapsed  time.Duration
	signedUp []string // emails that got a 2xx from the waitlist
}

func newTransport(conns int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns * 2
	t.MaxIdleConnsPerHost = conns * 2
	t.DisableCompression = true
	return t
}

// send runs one request and drains its answer, so the connection is reused.
func send(ctx context.Context, c *http.Client, method, u string, body []byte, hdr map[string]string) (int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// forwardedIP is the address client i claims in X-Forwarded-For for its
// slot-th address; the server trusts 127.0.0.1 as a proxy.
func forwardedIP(client, slot int) string {
	return fmt.Sprintf("10.%d.%d.%d", 1+client%250, (slot>>8)&255, slot&255)
}

const loginRoute = "POST /api/auth/login"

// mix runs n clients until d has passed: the first loginClients of them
// only log in, one login after another; the others draw each request from
// the weighted mix of the other routes. (With loginClients 0 every client
// draws from the whole mix, logins included; a login is tens of
// milliseconds of bcrypt by design, so then most clients end up queued on
// logins and the run measures little else.)
func mix(ctx context.Context, base string, fx fixture, n, loginClients int, d time.Duration, only string) runResult {
	tr := newTransport(n)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	selected := func(name string) bool { return only == "" || strings.Contains(name, only) }
	weight := func(name string, w int) int {
		if !selected(name) || (name == loginRoute && loginClients > 0) {
			return 0
		}
		return w
	}
	total := 0
	for _, r := range routes {
		total += weight(r.name, r.weight)
	}
	runID := strconv.FormatInt(time.Now().UnixNano()%1e10, 36)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()

	type clientOut struct {
		stats    map[string]*routeStats
		signedUp []string
	}
	outs := make([]clientOut, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			user := fx.users[i%len(fx.users)]
			auth := map[string]string{"Authorization": "Bearer " + user.Token, "X-Forwarded-For": forwardedIP(i, 0)}
			st := map[string]*routeStats{}
			for _, r := range routes {
				st[r.name] = &routeStats{}
			}
			var logins, signups int
			var signed []string
			loginOnly := i < loginClients && selected(loginRoute)
			if !loginOnly && total == 0 {
				return
			}
			for ctx.Err() == nil {
				pick, name := 0, loginRoute
				if !loginOnly {
					pick, name = rng.IntN(total), ""
				}
				for _, r := range routes {
					if name != "" {
						break
					}
					if w := weight(r.name, r.weight); pick < w {
						name = r.name
						break
					} else {
						pick -= w
					}
				}
				var (
					method = http.MethodGet
					u      string
					body   []byte
					hdr    = auth
					email  string
				)
				switch name {
				case "GET /health":
					u = base + "/health"
					hdr = map[string]string{"X-Forwarded-For": forwardedIP(i, 0)}
				case loginRoute:
					method, u = http.MethodPost, base+"/api/auth/login"
					body, _ = json.Marshal(map[string]string{"email": user.Email, "password": loadPassword})
					hdr = map[string]string{"X-Forwarded-For": forwardedIP(i, 1+logins/loginsPerIP)}
					logins++
				case "GET /api/growth/stats":
					q := url.Values{"period": {periods[rng.IntN(len(periods))]}, "tz": {zones[rng.IntN(len(zones))]}}
					u = base + "/api/growth/stats?" + q.Encode()
				case "GET /api/instagram/posts":
					q := url.Values{"limit": {limits[rng.IntN(len(limits))]}}
					if rng.IntN(2) == 0 {
						before := time.Now().Add(-time.Duration(rng.IntN(170*24)) * time.Hour).UTC()
						q.Set("before", before.Format(time.RFC3339))
					}
					u = base + "/api/instagram/posts?" + q.Encode()
				case "POST /api/waitlist/signup":
					method, u = http.MethodPost, base+"/api/waitlist/signup"
					email = fmt.Sprintf("lt-%s-%d-%d@example.com", runID, i, signups)
					body, _ = json.Marshal(map[string]string{"email": email})
					hdr = map[string]string{"X-Forwarded-For": forwardedIP(i, 4096+signups/signupsPerIP)}
					signups++
				}
				t0 := time.Now()
				status, err := send(ctx, hc, method, u, body, hdr)
				if ctx.Err() != nil {
					break // cut off by the end of the run: not an outcome
				}
				st[name].add(time.Since(t0), status, err)
				if email != "" && err == nil && status >= 200 && status < 300 {
					signed = append(signed, email)
				}
			}
			outs[i] = clientOut{stats: st, signedUp: signed}
		}()
	}
	wg.Wait()
	res := runResult{routes: map[string]*routeStats{}, elapsed: time.Since(start)}
	for _, r := range routes {
		res.routes[r.name] = &routeStats{}
	}
	for _, o := range outs {
		for k, v := range o.stats {
			res.routes[k].merge(v)
		}
		res.signedUp = append(res.signedUp, o.signedUp...)
	}
	return res
}

// burst sends GET /health from n clients as fast as they can for d.
func burst(ctx context.Context, base string, n int, d time.Duration) runResult {
	tr := newTransport(n)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	outs := make([]*routeStats, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &routeStats{lat: make([]time.Duration, 0, 1<<16)}
			for ctx.Err() == nil {
				t0 := time.Now()
				status, err := send(ctx, hc, http.MethodGet, base+"/health", nil, nil)
				if ctx.Err() != nil {
					break
				}
				st.add(time.Since(t0), status, err)
			}
			outs[i] = st
		}()
	}
	wg.Wait()
	all := &routeStats{}
	for _, o := range outs {
		all.merge(o)
	}
	return runResult{routes: map[string]*routeStats{"GET /health": all}, elapsed: time.Since(start)}
}

// procMemory returns the peak (VmHWM) and current (VmRSS) resident size of
// the process, in bytes.
func procMemory(pid int) (peak, cur int64) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmHWM":
			peak = kb << 10
		case "VmRSS":
			cur = kb << 10
		}
	}
	return peak, cur
}

// warm asks for every stats report the mix can ask for (each user × period
// × zone) once, from 8 clients, so that the mix measures a server that has
// been running rather than its first minute. It returns the number of
// reports and the first failure.
func warm(ctx context.Context, base string, fx fixture) (int, error) {
	type job struct{ token, query string }
	var jobs []job
	for _, u := range fx.users {
		for _, p := range periods {
			for _, z := range zones {
				jobs = append(jobs, job{u.Token, url.Values{"period": {p}, "tz": {z}}.Encode()})
			}
		}
	}
	tr := newTransport(8)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	next := make(chan job)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				status, err := send(ctx, hc, http.MethodGet, base+"/api/growth/stats?"+j.query, nil,
					map[string]string{"Authorization": "Bearer " + j.token})
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("GET /api/growth/stats?%s: status %d", j.query, status)
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return len(jobs), err
	default:
		return len(jobs), nil
	}
}

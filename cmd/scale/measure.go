package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// dashboardRoutes are the mixed dashboard load: what a creator's
// dashboard asks for when it opens.
var dashboardRoutes = []string{"GET /api/growth/stats", "GET /api/instagram/posts", "GET /api/growth/audience"}

// loadResult is the latency of each route, and the answers by status.
type loadResult struct {
	lat      map[string][]time.Duration
	statuses map[int]int
	neterr   int
}

func (r loadResult) all() []time.Duration {
	var out []time.Duration
	for _, l := range r.lat {
		out = append(out, l...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// dashboardLoad sends the mix from clients concurrent clients, each as a
// random seeded user pausing think between requests, to the live bases
// (read at every request, so that a killed replica stops getting
// requests), until ctx ends or max requests were sent in all.
func dashboardLoad(ctx context.Context, bases func() []string, tokens []string, clients, maxRequests int, think time.Duration) loadResult {
	res := loadResult{lat: map[string][]time.Duration{}, statuses: map[int]int{}}
	var mu sync.Mutex
	var sent int
	var wg sync.WaitGroup
	hc := &http.Client{Timeout: 10 * time.Second}
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for ctx.Err() == nil {
				mu.Lock()
				if sent >= maxRequests {
					mu.Unlock()
					return
				}
				sent++
				mu.Unlock()
				bs := bases()
				base := bs[rng.IntN(len(bs))]
				route := dashboardRoutes[rng.IntN(len(dashboardRoutes))]
				var u string
				switch route {
				case "GET /api/growth/stats":
					u = base + "/api/growth/stats?" + url.Values{"period": {[]string{"7", "30", "90"}[rng.IntN(3)]}, "tz": {"Europe/Berlin"}}.Encode()
				case "GET /api/instagram/posts":
					u = base + "/api/instagram/posts?limit=20"
				default:
					u = base + "/api/growth/audience"
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
				req.Header.Set("Authorization", "Bearer "+tokens[rng.IntN(len(tokens))])
				t := time.Now()
				resp, err := hc.Do(req)
				d := time.Since(t)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				if err != nil {
					res.neterr++
				} else {
					io.Copy(io.Discard, resp.Body) //nolint:errcheck
					resp.Body.Close()
					res.statuses[resp.StatusCode]++
					res.lat[route] = append(res.lat[route], d)
				}
				mu.Unlock()
				select {
				case <-ctx.Done():
				case <-time.After(think):
				}
			}
		}()
	}
	wg.Wait()
	for k := range res.lat {
		sort.Slice(res.lat[k], func(i, j int) bool { return res.lat[k][i] < res.lat[k][j] })
	}
	return res
}

// percentile returns the q-th quantile of sorted durations.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// rssKiB reads VmRSS of pid from /proc.
func rssKiB(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// queueLag reads job_queue_oldest_due_seconds from a replica's /metrics.
func queueLag(ctx context.Context, base, token string) (float64, bool) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "job_queue_oldest_due_seconds "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f, err == nil
		}
	}
	return 0, false
}

// runLog samples the running jobs: who held each job in which attempt
// ("worker#attempt"), in order, when it was first seen running and how
// long it had been due then.
type runLog struct {
	mu      sync.Mutex
	holders map[string][]string // job id → distinct successive "worker#attempt"
	first   map[string]time.Time
	delay   map[string]time.Duration // first seen running − run_at
	kind    map[string]string
	samples int
}

func newRunLog() *runLog {
	return &runLog{holders: map[string][]string{}, first: map[string]time.Time{},
		delay: map[string]time.Duration{}, kind: map[string]string{}}
}

// run samples every interval until ctx ends.
func (l *runLog) run(ctx context.Context, db *sql.DB, interval time.Duration) {
	const q = `SELECT id, kind, locked_by || '#' || attempts, run_at, now() FROM jobs WHERE state = 'running' AND locked_by IS NOT NULL`
	for ctx.Err() == nil {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		rows, err := db.QueryContext(qctx, q)
		if err == nil {
			l.mu.Lock()
			l.samples++
			for rows.Next() {
				var id, kind, by string
				var runAt, now time.Time
				if rows.Scan(&id, &kind, &by, &runAt, &now) != nil {
					continue
				}
				hs := l.holders[id]
				if len(hs) == 0 || hs[len(hs)-1] != by {
					l.holders[id] = append(hs, by)
				}
				if _, ok := l.first[id]; !ok {
					l.first[id], l.kind[id], l.delay[id] = now, kind, now.Sub(runAt)
				}
			}
			rows.Close()
			l.mu.Unlock()
		}
		cancel()
		select {
		case <-ctx.Done():
		case <-time.After(interval):
		}
	}
}

// delays returns the claim delays seen, sorted.
func (l *runLog) delays() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]time.Duration, 0, len(l.delay))
	for _, d := range l.delay {
		out = append(out, max(d, 0))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// holderOf returns the job's holders in order.
func (l *runLog) holderOf(id string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.holders[id]...)
}

// doubled returns the jobs seen in one attempt under two workers (a run
// that another worker took while it was still alive), and the jobs that
// ran under more than one worker without the killed one (pid) among them.
func (l *runLog) doubled(killedPID int) (sameAttempt, moved []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	mark := "-" + strconv.Itoa(killedPID) + "-"
	for id, hs := range l.holders {
		seen := map[string]string{}
		killed := false
		for _, h := range hs {
			by, attempt, _ := strings.Cut(h, "#")
			if w, ok := seen[attempt]; ok && w != by {
				sameAttempt = append(sameAttempt, id)
			}
			seen[attempt] = by
			killed = killed || strings.Contains(by, mark)
		}
		if len(hs) > 1 && !killed {
			moved = append(moved, id)
		}
	}
	sort.Strings(sameAttempt)
	sort.Strings(moved)
	return sameAttempt, moved
}

package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// report is the whole outcome, printed as markdown.
type report struct {
	Clients, LoginClients, BurstClients int
	Warmed                              int // stats reports asked for before the mix
	Duration                            time.Duration
	Burst, Mix                          runResult
	PeakRSS, RSS                        int64
	WaitlistMissing                     int
}

// percentile returns the q-th quantile of sorted durations.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func (r report) failed() bool {
	for _, s := range r.Mix.routes {
		if s.server > 0 || s.neterr > 0 {
			return true
		}
	}
	if b, ok := r.Burst.routes["GET /health"]; ok && (b.server > 0 || b.neterr > 0) {
		return true
	}
	return r.WaitlistMissing > 0
}

func (r report) markdown() string {
	var b strings.Builder
	if h, ok := r.Burst.routes["GET /health"]; ok {
		slices.Sort(h.lat)
		n := len(h.lat)
		fmt.Fprintf(&b, "\n/health burst: %d clients, %.1f s: %d requests, %.0f req/s, p50 %s ms, p99 %s ms, non-2xx %d, connection errors %d\n",
			r.BurstClients, r.Burst.elapsed.Seconds(), n, float64(n)/r.Burst.elapsed.Seconds(),
			ms(percentile(h.lat, .50)), ms(percentile(h.lat, .99)), n-h.ok-h.neterr, h.neterr)
	}
	fmt.Fprintf(&b, "\nMixed run: %d clients (%d of them only logging in), %.1f s, after a warm-up of %d stats reports\n\n",
		r.Clients, r.LoginClients, r.Mix.elapsed.Seconds(), r.Warmed)
	b.WriteString("| route | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | 2xx | 4xx | 429 | 5xx | conn errors |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var all routeStats
	var firstErrs []string
	for _, rt := range routes {
		s := r.Mix.routes[rt.name]
		all.merge(&routeStats{lat: s.lat, ok: s.ok, client: s.client, limited: s.limited, server: s.server, neterr: s.neterr})
		slices.Sort(s.lat)
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %s | %d | %d | %d | %d | %d |\n", rt.name, len(s.lat),
			float64(len(s.lat))/r.Mix.elapsed.Seconds(), ms(percentile(s.lat, .5)), ms(percentile(s.lat, .9)),
			ms(percentile(s.lat, .99)), ms(percentile(s.lat, 1)), s.ok, s.client, s.limited, s.server, s.neterr)
		if s.firstErr != "" {
			firstErrs = append(firstErrs, rt.name+": "+s.firstErr)
		}
	}
	slices.Sort(all.lat)
	fmt.Fprintf(&b, "| **all** | %d | %.0f | %s | %s | %s | %s | %d | %d | %d | %d | %d |\n", len(all.lat),
		float64(len(all.lat))/r.Mix.elapsed.Seconds(), ms(percentile(all.lat, .5)), ms(percentile(all.lat, .9)),
		ms(percentile(all.lat, .99)), ms(percentile(all.lat, 1)), all.ok, all.client, all.limited, all.server, all.neterr)
	fmt.Fprintf(&b, "\nWaitlist: %d signups answered 2xx, %d of them missing from the table.\n", len(r.Mix.signedUp), r.WaitlistMissing)
	if r.PeakRSS > 0 {
		fmt.Fprintf(&b, "Server memory: peak RSS (VmHWM) %.1f MiB, RSS at the end %.1f MiB.\n",
			float64(r.PeakRSS)/(1<<20), float64(r.RSS)/(1<<20))
	}
	for _, e := range firstErrs {
		fmt.Fprintf(&b, "first connection error, %s\n", e)
	}
	return b.String()
}

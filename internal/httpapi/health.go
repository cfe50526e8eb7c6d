package httpapi

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// healthRoute is the route of GET and HEAD /health.
const healthRoute = "/health"

// The two answers of /health, encoded once: the handler is polled by
// uptime monitors and load balancers, often, and writes only these.
const (
	healthOKBody       = `{"status":"ok","database":"ok"}`
	healthDegradedBody = `{"status":"degraded","database":"unreachable"}`
)

// healthTimeout bounds how long /health waits for the database, and
// healthCacheTTL lets a burst of polls share one ping. Together they make
// the contract's second: a database that stops answering is reported
// 503 at most healthCacheTTL + healthTimeout (950 ms) after its last
// answer, however it fails (a refused or reset connection is reported at
// the first ping after it, which is at most healthCacheTTL later).
const (
	healthTimeout  = 750 * time.Millisecond
	healthCacheTTL = 200 * time.Millisecond
)

// dbProbe pings the database at most once per healthCacheTTL and never
// makes a caller wait longer than healthTimeout, even when the database
// hangs without closing connections.
//
// It pings on a connection of its own, kept between pings: through the
// shared pool, a ping queues behind every busy request when the pool is
// saturated, and a loaded but healthy database read as unreachable (the
// load test saw /health answer 503 after waiting 900 ms for a connection).
type dbProbe struct {
	db *sql.DB
	// conn is the probe's connection; only the one running ping uses it.
	conn *sql.Conn

	// last is the latest ping's result, read without a lock by every
	// caller while it is fresh.
	last atomic.Pointer[probeResult]

	mu       sync.Mutex
	inflight chan struct{} // closed when the running ping ends
	started  time.Time     // when the running ping began
}

type probeResult struct {
	at time.Time
	ok bool
}

// healthy reports whether the database answered a ping in the last
// healthCacheTTL, pinging when it has not; it returns false when ctx ends
// or healthTimeout passes before the ping does, and at once while a ping
// has been hanging for longer than that.
func (p *dbProbe) healthy(ctx context.Context) bool {
	if r := p.last.Load(); r != nil && time.Since(r.at) < healthCacheTTL {
		return r.ok
	}
	p.mu.Lock()
	if r := p.last.Load(); r != nil && time.Since(r.at) < healthCacheTTL {
		p.mu.Unlock()
		return r.ok
	}
	wait := p.inflight
	if wait == nil {
		wait = make(chan struct{})
		p.inflight = wait
		p.started = time.Now()
		go p.ping(wait)
	}
	left := healthTimeout - time.Since(p.started)
	p.mu.Unlock()
	if left <= 0 {
		return false
	}

	timer := time.NewTimer(left)
	defer timer.Stop()
	select {
	case <-wait:
		return p.last.Load().ok
	case <-ctx.Done():
		return false
	case <-timer.C:
		return false
	}
}

// ping runs one bounded ping; it owns no state beyond its result and ends
// within healthTimeout plus the driver's own cancel handling.
func (p *dbProbe) ping(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	err := p.pingConn(ctx)
	p.mu.Lock()
	p.last.Store(&probeResult{at: time.Now(), ok: err == nil})
	p.inflight = nil
	p.mu.Unlock()
	close(done)
}

// pingConn pings on the probe's connection, taking one from the pool when
// it has none; a failed connection is dropped, so that the next ping
// starts afresh (after a database restart, for one).
func (p *dbProbe) pingConn(ctx context.Context) error {
	if p.conn == nil {
		c, err := p.db.Conn(ctx)
		if err != nil {
			return err
		}
		p.conn = c
	}
	if err := p.conn.PingContext(ctx); err != nil {
		p.conn.Close() //nolint:errcheck // it is broken either way
		p.conn = nil
		return err
	}
	return nil
}

// healthHeaders are the headers of both answers of /health.
var healthHeaders = newPresetHeaders("Content-Type", "application/json; charset=utf-8", "Cache-Control", "no-store")

// health answers within about a second whatever the database does. It
// writes its pre-encoded answers itself: c.JSON would encode the same
// bytes by reflection on every poll.
func (a *api) health(c *gin.Context) {
	healthHeaders.apply(c.Writer.Header())
	if !a.probe.healthy(c.Request.Context()) {
		c.Status(http.StatusServiceUnavailable)
		c.Writer.WriteString(healthDegradedBody) //nolint:errcheck // the client went away
		return
	}
	c.Status(http.StatusOK)
	c.Writer.WriteString(healthOKBody) //nolint:errcheck // the client went away
}

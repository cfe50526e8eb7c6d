package httpapi

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

type healthJSON struct {
	Status   string `json:"status"`
	Database string `json:"database"`
}

// healthTimeout bounds how long /health waits for the database.
const healthTimeout = 900 * time.Millisecond

// healthCacheTTL lets a burst of polls share one database ping.
const healthCacheTTL = 250 * time.Millisecond

// dbProbe pings the database at most once per healthCacheTTL and never
// makes a caller wait longer than its own deadline, even when the database
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

	mu       sync.Mutex
	checked  time.Time
	ok       bool
	inflight chan struct{} // closed when the running ping ends
}

func (p *dbProbe) healthy(ctx context.Context) bool {
	p.mu.Lock()
	if time.Since(p.checked) < healthCacheTTL {
		ok := p.ok
		p.mu.Unlock()
		return ok
	}
	wait := p.inflight
	if wait == nil {
		wait = make(chan struct{})
		p.inflight = wait
		go p.ping(wait)
	}
	p.mu.Unlock()

	select {
	case <-wait:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.ok
	case <-ctx.Done():
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
	p.ok = err == nil
	p.checked = time.Now()
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

// health answers within about a second whatever the database does.
func (a *api) health(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), healthTimeout)
	defer cancel()
	c.Header("Cache-Control", "no-store")
	if !a.probe.healthy(ctx) {
		c.JSON(http.StatusServiceUnavailable, healthJSON{Status: "degraded", Database: "unreachable"})
		return
	}
	c.JSON(http.StatusOK, healthJSON{Status: "ok", Database: "ok"})
}

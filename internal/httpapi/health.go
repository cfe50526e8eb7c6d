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
type dbProbe struct {
	db *sql.DB

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
	err := p.db.PingContext(ctx)
	p.mu.Lock()
	p.ok = err == nil
	p.checked = time.Now()
	p.inflight = nil
	p.mu.Unlock()
	close(done)
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

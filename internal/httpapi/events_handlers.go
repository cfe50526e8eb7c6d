package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/events"
)

// eventsWriteWait bounds one write of an event stream. The server's
// WriteTimeout would end a stream after a minute; each write moves the
// connection's deadline instead, so a stream lives while its client
// reads and dies soon after it stops.
const eventsWriteWait = 10 * time.Second

// eventsRetryMillis is the reconnect delay the stream asks of EventSource.
const eventsRetryMillis = 3000

// events serves GET /api/events: the signed-in user's live updates as
// Server-Sent Events, a comment line at least every heartbeat.
func (a *api) events(c *gin.Context) {
	s, err := a.hub.Subscribe(c.GetString(ctxUserID))
	switch {
	case errors.Is(err, events.ErrTooManyStreams):
		c.Header("Retry-After", "30")
		writeError(c, a.logger, apperr.Errorf(apperr.CodeRateLimited,
			"At most %d live-update streams may be open at once; close one first.", a.hub.MaxPerUser()))
		return
	case err != nil:
		writeError(c, a.logger, apperr.New(apperr.CodeUnavailable, "The server is shutting down; reconnect in a moment."))
		return
	}
	defer s.Close()

	w := c.Writer
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	w.WriteHeader(http.StatusOK)

	send := func(chunk string) bool {
		// Not every writer has a deadline (a test's recorder); writing
		// goes on without one.
		_ = rc.SetWriteDeadline(time.Now().Add(eventsWriteWait))
		if _, err := w.WriteString(chunk); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: " + strconv.Itoa(eventsRetryMillis) + "\n: connected\n\n") {
		return
	}
	ctx := c.Request.Context()
	beat := a.hub.Heartbeat()
	last := time.Now()
	for {
		wait := max(time.Until(last.Add(beat)), 0)
		name, data, ok, done := s.Next(ctx, wait)
		switch {
		case done:
			return
		case ok:
			if !send("event: " + name + "\ndata: " + string(data) + "\n\n") {
				return
			}
		default:
			if !send(": ping\n\n") {
				return
			}
		}
		last = time.Now()
	}
}

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

// eventsRoute is the path of the live-update stream.
const eventsRoute = "/api/events"

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
	// The server's ReadTimeout and WriteTimeout would end a stream after a
	// minute or less. The request is read: its read deadline goes. The
	// write deadline moves at each write to the next heartbeat plus the
	// hub's WriteWait, so a stream lives while its client reads and dies
	// soon after it stops.
	_ = rc.SetReadDeadline(time.Time{})
	beat, writeWait := a.hub.Heartbeat(), a.hub.WriteWait()

	send := func(chunk string) bool {
		// Not every writer has a deadline (a test's recorder); writing
		// goes on without one.
		// The deadline covers the wait until the next write too: one
		// passing while the stream is idle would close the connection.
		_ = rc.SetWriteDeadline(time.Now().Add(beat + writeWait))
		if _, err := w.WriteString(chunk); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: " + strconv.Itoa(eventsRetryMillis) + "\n: connected\n\n") {
		return
	}
	ctx := c.Request.Context()
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

// Package events carries the live updates of GET /api/events: the
// database announces every sync state change and every change of an
// account's data on the PostgreSQL channel "events" (triggers of
// migrations/0014_digests.sql, so every writer on every replica is
// covered), each server holds one LISTEN connection (lib/pq's Listener)
// and a Hub hands each notification to the streams of the user it names.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
)

// Channel is the PostgreSQL notification channel of the events.
const Channel = "events"

// Defaults of Options.
const (
	DefaultMaxPerUser   = 5
	DefaultHeartbeat    = 15 * time.Second
	DefaultWriteWait    = 10 * time.Second
	DefaultMinReconnect = 500 * time.Millisecond
	DefaultMaxReconnect = 15 * time.Second
	// streamBuffer is how many frames a stream holds for a slow client
	// before it is ended (its client reconnects and reloads).
	streamBuffer = 32
	// pingEvery is how often an idle listener checks its connection.
	pingEvery = 30 * time.Second
)

// ErrTooManyStreams is Subscribe's answer to a user at the cap.
var ErrTooManyStreams = errors.New("events: too many open streams for this user")

// ErrClosed is Subscribe's answer once the hub is shutting down.
var ErrClosed = errors.New("events: the hub is closed")

// Options tune a Hub; zero fields take the defaults.
type Options struct {
	// MaxPerUser caps one user's open streams on this server.
	MaxPerUser int
	// Heartbeat is the longest a stream stays silent: a comment line is
	// sent after that long without an event.
	Heartbeat time.Duration
	// WriteWait bounds one write to a stream's client: a client that
	// reads nothing for Heartbeat plus WriteWait loses its stream.
	WriteWait time.Duration
	// MinReconnect and MaxReconnect bound the listener's backoff when
	// its connection to PostgreSQL is lost.
	MinReconnect, MaxReconnect time.Duration
	// OnStreams is told the number of open streams whenever it changes
	// (a gauge).
	OnStreams func(open int)
	// Logger defaults to discarding.
	Logger *slog.Logger
}

// Event is one notification as the database sends it.
type Event struct {
	Type         string `json:"type"` // "sync" or "stats"
	UserID       string `json:"user_id"`
	AccountID    string `json:"account_id"`
	State        string `json:"state,omitempty"`
	PostsFetched *int   `json:"posts_fetched,omitempty"`
}

// frame is the event as a stream sends it: its name and its data.
type frame struct {
	name string
	data []byte
}

// syncData and statsData are the contract's event bodies.
type syncData struct {
	AccountID    string `json:"account_id"`
	State        string `json:"state"`
	PostsFetched int    `json:"posts_fetched"`
}

type statsData struct {
	AccountID string `json:"account_id"`
}

func (e Event) frame() (frame, bool) {
	var (
		data []byte
		err  error
	)
	switch e.Type {
	case "sync":
		n := 0
		if e.PostsFetched != nil {
			n = *e.PostsFetched
		}
		data, err = json.Marshal(syncData{AccountID: e.AccountID, State: e.State, PostsFetched: n})
	case "stats":
		data, err = json.Marshal(statsData{AccountID: e.AccountID})
	default:
		return frame{}, false
	}
	return frame{name: e.Type, data: data}, err == nil
}

// Hub fans the notifications of its listener out to the open streams of
// this server. Start connects the listener; Close ends every stream;
// Stop does both and stops the listener.
type Hub struct {
	dsn    string
	o      Options
	logger *slog.Logger

	mu      sync.Mutex
	streams map[string]map[*Stream]struct{}
	open    int
	closed  bool

	listener  *pq.Listener
	listening atomic.Bool
	cancel    context.CancelFunc
	wg        sync.WaitGroup
}

// NewHub returns a hub that will listen through a connection to dsn.
func NewHub(dsn string, o Options) *Hub {
	if o.MaxPerUser <= 0 {
		o.MaxPerUser = DefaultMaxPerUser
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = DefaultHeartbeat
	}
	if o.WriteWait <= 0 {
		o.WriteWait = DefaultWriteWait
	}
	if o.MinReconnect <= 0 {
		o.MinReconnect = DefaultMinReconnect
	}
	if o.MaxReconnect < o.MinReconnect {
		o.MaxReconnect = max(DefaultMaxReconnect, o.MinReconnect)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{dsn: dsn, o: o, logger: o.Logger, streams: map[string]map[*Stream]struct{}{}}
}

// Heartbeat is the longest a stream of this hub stays silent.
func (h *Hub) Heartbeat() time.Duration { return h.o.Heartbeat }

// WriteWait bounds one write to a stream's client.
func (h *Hub) WriteWait() time.Duration { return h.o.WriteWait }

// MaxPerUser is the cap on one user's open streams on this server.
func (h *Hub) MaxPerUser() int { return h.o.MaxPerUser }

// Listening reports whether the listener is connected (a readiness
// check; events notified while it is not are lost).
func (h *Hub) Listening() bool { return h.listening.Load() }

// Start opens the listener connection and dispatches its notifications
// until Stop. A database that cannot be reached is retried with backoff;
// Start does not wait for it.
func (h *Hub) Start(ctx context.Context) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.listener != nil || h.closed {
		return
	}
	h.listener = pq.NewListener(h.dsn, h.o.MinReconnect, h.o.MaxReconnect, h.onListenerEvent)
	ctx, h.cancel = context.WithCancel(ctx)
	l := h.listener
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		h.run(ctx, l)
	}()
}

func (h *Hub) onListenerEvent(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventConnected:
		h.listening.Store(true)
		h.logger.Info("events: listening")
	case pq.ListenerEventDisconnected:
		h.listening.Store(false)
		h.logger.Warn("events: listener lost its connection", slog.String("error", errText(err)))
	case pq.ListenerEventReconnected:
		h.listening.Store(true)
		h.logger.Info("events: listener reconnected")
	case pq.ListenerEventConnectionAttemptFailed:
		h.logger.Warn("events: listener cannot connect", slog.String("error", errText(err)))
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// run listens on Channel and dispatches until ctx ends. Listen returns
// at once while the connection is down; the listener subscribes again
// whenever it reconnects.
func (h *Hub) run(ctx context.Context, l *pq.Listener) {
	if err := l.Listen(Channel); err != nil && !errors.Is(err, pq.ErrChannelAlreadyOpen) {
		h.logger.Warn("events: listen", slog.String("error", err.Error()))
	}
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-l.Notify:
			if n == nil {
				// The connection was lost and is back: what was notified
				// meanwhile is gone. End the streams; their clients
				// reconnect and reload what they show.
				h.endAll()
				continue
			}
			h.dispatch(n.Extra)
		case <-ping.C:
			l.Ping() //nolint:errcheck // a failed ping makes the listener reconnect
		}
	}
}

// dispatch hands one notification to its user's streams.
func (h *Hub) dispatch(payload string) {
	var ev Event
	if err := json.Unmarshal([]byte(payload), &ev); err != nil || ev.UserID == "" {
		h.logger.Warn("events: unreadable notification")
		return
	}
	f, ok := ev.frame()
	if !ok {
		return
	}
	h.mu.Lock()
	var slow []*Stream
	for s := range h.streams[ev.UserID] {
		select {
		case s.frames <- f:
		default:
			slow = append(slow, s)
		}
	}
	h.mu.Unlock()
	for _, s := range slow {
		s.end()
	}
}

// Subscribe opens a stream for userID; ErrTooManyStreams when the user
// has MaxPerUser open on this server, ErrClosed when shutting down.
func (h *Hub) Subscribe(userID string) (*Stream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	set := h.streams[userID]
	if len(set) >= h.o.MaxPerUser {
		return nil, ErrTooManyStreams
	}
	if set == nil {
		set = map[*Stream]struct{}{}
		h.streams[userID] = set
	}
	s := &Stream{hub: h, user: userID, frames: make(chan frame, streamBuffer), done: make(chan struct{})}
	set[s] = struct{}{}
	h.open++
	h.report(h.open)
	return s, nil
}

func (h *Hub) report(open int) {
	if h.o.OnStreams != nil {
		h.o.OnStreams(open)
	}
}

// remove forgets s; it is called once per stream.
func (h *Hub) remove(s *Stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.streams[s.user]
	if _, ok := set[s]; !ok {
		return
	}
	delete(set, s)
	if len(set) == 0 {
		delete(h.streams, s.user)
	}
	h.open--
	h.report(h.open)
}

// Open is the number of open streams.
func (h *Hub) Open() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.open
}

// endAll ends every open stream, leaving the hub open.
func (h *Hub) endAll() {
	h.mu.Lock()
	var all []*Stream
	for _, set := range h.streams {
		for s := range set {
			all = append(all, s)
		}
	}
	h.mu.Unlock()
	for _, s := range all {
		s.end()
	}
}

// Close ends every open stream and refuses new ones, so that an
// http.Server's Shutdown is not held up by them. Register it with
// http.Server.RegisterOnShutdown.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.endAll()
}

// Stop closes the hub and stops its listener, waiting for its goroutine.
func (h *Hub) Stop() {
	h.Close()
	h.mu.Lock()
	cancel, l := h.cancel, h.listener
	h.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	h.wg.Wait()
	if l != nil {
		l.Close() //nolint:errcheck // already closed is fine
	}
}

// Stream is one client's subscription. The handler reads Frames until
// Done, and calls Close when the client goes.
type Stream struct {
	hub    *Hub
	user   string
	frames chan frame
	done   chan struct{}
	once   sync.Once
}

// Next waits for the stream's next event, for at most wait. It returns
// the event's name and data; ok is false when the wait ran out, and done
// is true once the stream has ended (hub closed, client too slow,
// listener reconnected) or ctx ended.
func (s *Stream) Next(ctx context.Context, wait time.Duration) (name string, data []byte, ok, done bool) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case f := <-s.frames:
		return f.name, f.data, true, false
	case <-s.done:
		return "", nil, false, true
	case <-ctx.Done():
		return "", nil, false, true
	case <-t.C:
		return "", nil, false, false
	}
}

// end ends the stream and forgets it.
func (s *Stream) end() {
	s.once.Do(func() {
		close(s.done)
		s.hub.remove(s)
	})
}

// Close ends the stream; it is safe to call more than once.
func (s *Stream) Close() { s.end() }

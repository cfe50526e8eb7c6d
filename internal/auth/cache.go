package auth

import (
	"context"
	"errors"
	"hash/maphash"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/postgres"
)

// Every authenticated request reads its session, its user and the account
// it acts on (postgres.Sessions.Read). A SessionCache keeps those answers
// on this server for a short while, so that a dashboard's requests read
// the database once per TTL instead of once each. The database announces
// every change that could make a copy wrong on the channel
// SessionCacheChannel (triggers of migrations/0020_session_cache.sql, so
// every writer on every replica is covered), and the cache's listener
// drops that user's copies; the server that made the change drops them
// itself before it answers (Forget).
//
// The copies are used only while the listener is connected and
// listening: before it is, after it loses its connection, and until it
// is back, every request reads the database, and whatever was kept is
// dropped. The TTL bounds a copy's age however notifications fare.

// SessionCacheChannel is the PostgreSQL notification channel whose
// payloads are the ids of the users whose copies are dropped.
const SessionCacheChannel = "session_cache"

// Defaults of SessionCacheOptions.
const (
	DefaultSessionCacheSize = 10000
	DefaultSessionCacheTTL  = time.Second
	// sessionCachePing is how often the listener checks its connection.
	sessionCachePing = 5 * time.Second
	// cacheStripes is the number of user generations (see SessionCache.gens).
	cacheStripes = 64
)

// SessionCacheOptions tune a SessionCache; zero fields take the defaults.
type SessionCacheOptions struct {
	// Size caps the number of copies; a full cache evicts one at random.
	Size int
	// TTL is the longest a copy is used.
	TTL time.Duration
	// MinReconnect and MaxReconnect bound the listener's backoff.
	MinReconnect, MaxReconnect time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger defaults to discarding.
	Logger *slog.Logger
}

// sessionKey names one answer: the token's session and user, and the
// account id the request named ("" for the latest).
type sessionKey struct {
	session, user, account string
}

// userCopies are the keys of one user's copies and the accounts in them.
type userCopies struct {
	keys     map[sessionKey]struct{}
	accounts map[string]struct{}
}

type sessionEntry struct {
	read    postgres.SessionRead
	expires time.Time // the earlier of the session's expiry and now + TTL
}

// SessionCache is the per-server cache of session reads. The zero value
// is not usable; a nil *SessionCache caches nothing.
type SessionCache struct {
	dsn    string
	o      SessionCacheOptions
	seed   maphash.Seed
	logger *slog.Logger

	mu        sync.RWMutex
	items     map[sessionKey]sessionEntry
	byUser    map[string]*userCopies
	byAccount map[string]string // account id → its user's id, for the copies kept
	// gens count the drops of the users of each stripe, and epoch the
	// drops of everything: a read that started before a drop of its user
	// is not kept, since it may predate the change that caused the drop.
	gens  [cacheStripes]uint64
	epoch uint64

	live atomic.Bool
	// connected (the listener's connection is up) and listened (the
	// channel was listened to once; a reconnection listens again before
	// it says so) decide live together, under stateMu.
	stateMu   sync.Mutex
	connected bool
	listened  bool
	hits      atomic.Uint64
	misses    atomic.Uint64
	drops     atomic.Uint64

	startMu  sync.Mutex
	listener *pq.Listener
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// NewSessionCache returns a cache that will listen through a connection
// to dsn once started; until then it keeps nothing.
func NewSessionCache(dsn string, o SessionCacheOptions) *SessionCache {
	if o.Size <= 0 {
		o.Size = DefaultSessionCacheSize
	}
	if o.TTL <= 0 {
		o.TTL = DefaultSessionCacheTTL
	}
	if o.MinReconnect <= 0 {
		o.MinReconnect = 500 * time.Millisecond
	}
	if o.MaxReconnect < o.MinReconnect {
		o.MaxReconnect = max(15*time.Second, o.MinReconnect)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &SessionCache{
		dsn: dsn, o: o, seed: maphash.MakeSeed(), logger: logger,
		items: map[sessionKey]sessionEntry{}, byUser: map[string]*userCopies{}, byAccount: map[string]string{},
	}
}

// Live reports whether the listener is listening, and so whether copies
// are used.
func (c *SessionCache) Live() bool { return c != nil && c.live.Load() }

// Counts returns how many reads were answered from a copy (hits), from
// the database (misses, bypasses included), and how many drops were made.
func (c *SessionCache) Counts() (hits, misses, drops uint64) {
	if c == nil {
		return 0, 0, 0
	}
	return c.hits.Load(), c.misses.Load(), c.drops.Load()
}

// Len is the number of copies kept.
func (c *SessionCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

func (c *SessionCache) stripe(user string) int {
	return int(maphash.String(c.seed, user) % cacheStripes)
}

// fill is what a read that missed needs to keep its answer: the
// generations it started at.
type fill struct {
	epoch, gen uint64
	stripe     int
}

// get returns the kept answer of key, if it is live and young enough;
// otherwise it returns the fill that lets put keep the answer read next.
func (c *SessionCache) get(key sessionKey) (postgres.SessionRead, fill, bool) {
	if c == nil {
		return postgres.SessionRead{}, fill{}, false
	}
	s := c.stripe(key.user)
	c.mu.RLock()
	e, ok := c.items[key]
	f := fill{epoch: c.epoch, gen: c.gens[s], stripe: s}
	c.mu.RUnlock()
	if ok && c.live.Load() && c.o.Now().Before(e.expires) {
		c.hits.Add(1)
		return e.read, f, true
	}
	c.misses.Add(1)
	return postgres.SessionRead{}, f, false
}

// put keeps r as the answer of key, unless the listener is not
// listening or the user's copies were dropped since f was taken.
func (c *SessionCache) put(key sessionKey, r postgres.SessionRead, f fill) {
	if c == nil || !c.live.Load() {
		return
	}
	expires := c.o.Now().Add(c.o.TTL)
	if r.ExpiresAt.Before(expires) {
		expires = r.ExpiresAt
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != f.epoch || c.gens[f.stripe] != f.gen {
		return
	}
	if _, ok := c.items[key]; !ok && len(c.items) >= c.o.Size {
		for k := range c.items { // an arbitrary one: map order is random
			c.remove(k)
			break
		}
	}
	c.items[key] = sessionEntry{read: r, expires: expires}
	u := c.byUser[key.user]
	if u == nil {
		u = &userCopies{keys: map[sessionKey]struct{}{}, accounts: map[string]struct{}{}}
		c.byUser[key.user] = u
	}
	u.keys[key] = struct{}{}
	if r.HasAccount {
		u.accounts[r.Account.ID] = struct{}{}
		c.byAccount[r.Account.ID] = key.user
	}
}

// remove forgets one copy; c.mu is held.
func (c *SessionCache) remove(k sessionKey) {
	delete(c.items, k)
	if u := c.byUser[k.user]; u != nil {
		delete(u.keys, k)
		if len(u.keys) == 0 {
			c.dropUser(k.user)
		}
	}
}

// dropUser forgets every copy of the user; c.mu is held.
func (c *SessionCache) dropUser(userID string) {
	u := c.byUser[userID]
	if u == nil {
		return
	}
	for k := range u.keys {
		delete(c.items, k)
	}
	for a := range u.accounts {
		delete(c.byAccount, a)
	}
	delete(c.byUser, userID)
}

// Forget drops every copy of the user's reads, and keeps none of the
// reads under way. A change to the user's sessions, row or accounts
// calls it once committed.
func (c *SessionCache) Forget(userID string) {
	if c == nil {
		return
	}
	s := c.stripe(userID)
	c.mu.Lock()
	c.gens[s]++
	c.dropUser(userID)
	c.mu.Unlock()
	c.drops.Add(1)
}

// ForgetAccount is Forget of the user whose copies hold the account, if
// any does: a background change to the account (a job's) calls it once
// committed. A read under way of the account's user may still be kept;
// the database's notification drops it.
func (c *SessionCache) ForgetAccount(accountID string) {
	if c == nil || accountID == "" {
		return
	}
	c.mu.RLock()
	userID, ok := c.byAccount[accountID]
	c.mu.RUnlock()
	if ok {
		c.Forget(userID)
	}
}

// forgetAll drops every copy and keeps none of the reads under way.
func (c *SessionCache) forgetAll() {
	c.mu.Lock()
	c.epoch++
	clear(c.items)
	clear(c.byUser)
	clear(c.byAccount)
	c.mu.Unlock()
	c.drops.Add(1)
}

// setLive turns the use of copies on or off; either way everything kept
// is dropped, and no read under way is kept.
func (c *SessionCache) setLive(live bool) {
	c.live.Store(live)
	c.forgetAll()
}

// Start opens the listener connection and drops copies on its
// notifications until Stop. A database that cannot be reached is retried
// with backoff; Start does not wait for it, and copies are not used
// meanwhile.
func (c *SessionCache) Start(ctx context.Context) {
	if c == nil {
		return
	}
	c.startMu.Lock()
	defer c.startMu.Unlock()
	if c.listener != nil {
		return
	}
	c.listener = pq.NewListener(c.dsn, c.o.MinReconnect, c.o.MaxReconnect, c.onListenerEvent)
	ctx, c.cancel = context.WithCancel(ctx)
	l := c.listener
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.run(ctx, l)
	}()
}

// onListenerEvent stops the use of copies as soon as the connection is
// lost, and starts it once the connection is up and the channel listened
// to, whichever comes last.
func (c *SessionCache) onListenerEvent(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventConnected, pq.ListenerEventReconnected:
		c.setState(func() { c.connected = true })
	case pq.ListenerEventDisconnected, pq.ListenerEventConnectionAttemptFailed:
		if c.live.Load() {
			c.logger.Warn("session cache: listener lost its connection; reading every session from the database",
				slog.String("error", errText(err)))
		}
		c.setState(func() { c.connected = false })
	}
}

// setState applies change to the listener's state and turns the copies
// on or off to match it.
func (c *SessionCache) setState(change func()) {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	change()
	c.setLive(c.connected && c.listened)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// run listens on SessionCacheChannel and drops copies until ctx ends.
// Listen returns once the channel is listened to (or the listener is
// closed); a reconnection listens again before its event, and the nil
// notification that follows it drops everything once more.
func (c *SessionCache) run(ctx context.Context, l *pq.Listener) {
	if err := l.Listen(SessionCacheChannel); err != nil && !errors.Is(err, pq.ErrChannelAlreadyOpen) {
		if ctx.Err() == nil {
			c.logger.Warn("session cache: listen", slog.String("error", err.Error()))
		}
		return
	}
	c.setState(func() { c.listened = true })
	c.logger.Info("session cache: listening")
	ping := time.NewTicker(sessionCachePing)
	defer ping.Stop()
	defer c.setState(func() { c.listened = false })
	for {
		select {
		case <-ctx.Done():
			return
		case n, ok := <-l.Notify:
			switch {
			case !ok:
				return
			case n == nil:
				// Reconnected: what was notified meanwhile is lost.
				c.setState(func() {})
				c.logger.Info("session cache: listener reconnected")
			default:
				c.Forget(n.Extra)
			}
		case <-ping.C:
			l.Ping() //nolint:errcheck // a failed ping makes the listener reconnect
		}
	}
}

// Stop stops the listener and waits for its goroutine; copies are not
// used afterwards. It is safe to call more than once.
func (c *SessionCache) Stop() {
	if c == nil {
		return
	}
	c.startMu.Lock()
	cancel, l := c.cancel, c.listener
	c.startMu.Unlock()
	if cancel != nil {
		cancel()
	}
	if l != nil {
		l.Close() //nolint:errcheck // already closed is fine
	}
	c.wg.Wait()
	c.setState(func() { c.connected = false })
}

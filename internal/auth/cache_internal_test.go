package auth

import (
	"fmt"
	"testing"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/postgres"
)

// liveCache is a cache whose listener is taken as listening, on a clock
// the test moves.
func liveCache(size int) (*SessionCache, *time.Time) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := NewSessionCache("postgres://unused", SessionCacheOptions{Size: size, TTL: time.Second, Now: func() time.Time { return now }})
	c.live.Store(true)
	return c, &now
}

func readOf(user string, expires time.Time) postgres.SessionRead {
	return postgres.SessionRead{User: postgres.User{ID: user}, ExpiresAt: expires}
}

func TestSessionCache_GetPut(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, now := liveCache(10)
		k := sessionKey{session: "s1", user: "u1"}
		_, f, ok := c.get(k)
		if ok {
			t.Fatal("hit in an empty cache")
		}
		c.put(k, readOf("u1", now.Add(time.Hour)), f)
		if r, _, ok := c.get(k); !ok || r.User.ID != "u1" {
			t.Fatalf("get = %v, %v; want the kept read", r.User.ID, ok)
		}
		if _, _, ok := c.get(sessionKey{session: "s1", user: "u1", account: "a1"}); ok {
			t.Error("another account id read the copy of the latest account")
		}
	})
	t.Run("Forget", func(t *testing.T) {
		c, now := liveCache(10)
		k, other := sessionKey{session: "s1", user: "u1"}, sessionKey{session: "s2", user: "u2"}
		for _, key := range []sessionKey{k, other} {
			_, f, _ := c.get(key)
			c.put(key, readOf(key.user, now.Add(time.Hour)), f)
		}
		c.Forget("u1")
		if _, _, ok := c.get(k); ok {
			t.Error("a forgotten user's copy is still used")
		}
		if _, _, ok := c.get(other); !ok {
			t.Error("another user's copy was dropped")
		}
	})
	t.Run("ForgetAccount", func(t *testing.T) {
		c, now := liveCache(10)
		k := sessionKey{session: "s1", user: "u1", account: "a1"}
		_, f, _ := c.get(k)
		r := readOf("u1", now.Add(time.Hour))
		r.Account, r.HasAccount = postgres.Account{ID: "a1", UserID: "u1"}, true
		c.put(k, r, f)
		c.ForgetAccount("a2")
		if _, _, ok := c.get(k); !ok {
			t.Fatal("another account's change dropped the copy")
		}
		c.ForgetAccount("a1")
		if _, _, ok := c.get(k); ok || len(c.byAccount) != 0 {
			t.Errorf("after the account's change: hit %v, %d accounts indexed; want neither", ok, len(c.byAccount))
		}
	})
	t.Run("ReadUnderWayWhenForgotten", func(t *testing.T) {
		c, now := liveCache(10)
		k := sessionKey{session: "s1", user: "u1"}
		_, f, _ := c.get(k) // the read starts, then the change commits
		c.Forget("u1")
		c.put(k, readOf("u1", now.Add(time.Hour)), f)
		if _, _, ok := c.get(k); ok {
			t.Error("a read that started before the drop was kept")
		}
		c.forgetAll()
		_, f, _ = c.get(k)
		c.forgetAll()
		c.put(k, readOf("u1", now.Add(time.Hour)), f)
		if _, _, ok := c.get(k); ok {
			t.Error("a read that started before a drop of everything was kept")
		}
	})
	t.Run("TTL", func(t *testing.T) {
		c, now := liveCache(10)
		k := sessionKey{session: "s1", user: "u1"}
		_, f, _ := c.get(k)
		c.put(k, readOf("u1", now.Add(time.Hour)), f)
		*now = now.Add(999 * time.Millisecond)
		if _, _, ok := c.get(k); !ok {
			t.Error("a copy younger than the TTL was not used")
		}
		*now = now.Add(time.Millisecond)
		if _, _, ok := c.get(k); ok {
			t.Error("a copy as old as the TTL was used")
		}
	})
	t.Run("SessionExpiry", func(t *testing.T) {
		c, now := liveCache(10)
		k := sessionKey{session: "s1", user: "u1"}
		_, f, _ := c.get(k)
		c.put(k, readOf("u1", now.Add(100*time.Millisecond)), f)
		*now = now.Add(100 * time.Millisecond)
		if _, _, ok := c.get(k); ok {
			t.Error("a copy of an expired session was used")
		}
	})
	t.Run("NotListening", func(t *testing.T) {
		c, now := liveCache(10)
		k := sessionKey{session: "s1", user: "u1"}
		_, f, _ := c.get(k)
		c.put(k, readOf("u1", now.Add(time.Hour)), f)
		c.setLive(false)
		if _, _, ok := c.get(k); ok || c.Len() != 0 {
			t.Errorf("not listening: hit %v, %d kept; want no hit, none kept", ok, c.Len())
		}
		_, f, _ = c.get(k)
		c.put(k, readOf("u1", now.Add(time.Hour)), f)
		if c.Len() != 0 {
			t.Error("a read was kept while not listening")
		}
		c.setLive(true)
		c.put(k, readOf("u1", now.Add(time.Hour)), f)
		if c.Len() != 0 {
			t.Error("a read that started while not listening was kept")
		}
	})
	t.Run("Bounded", func(t *testing.T) {
		c, now := liveCache(3)
		for i := range 10 {
			k := sessionKey{session: fmt.Sprint("s", i), user: fmt.Sprint("u", i%4)}
			_, f, _ := c.get(k)
			c.put(k, readOf(k.user, now.Add(time.Hour)), f)
		}
		if got, want := c.Len(), 3; got != want {
			t.Errorf("Len = %d, want %d", got, want)
		}
		indexed := 0
		for _, u := range c.byUser {
			indexed += len(u.keys)
		}
		if got, want := indexed, 3; got != want {
			t.Errorf("copies indexed by user = %d, want %d", got, want)
		}
	})
	t.Run("Nil", func(t *testing.T) {
		var c *SessionCache
		k := sessionKey{session: "s1", user: "u1"}
		_, f, ok := c.get(k)
		c.put(k, postgres.SessionRead{}, f)
		c.Forget("u1")
		if ok || c.Live() || c.Len() != 0 {
			t.Error("a nil cache kept something")
		}
	})
}

// TestSessionCache_State: copies are used only while the connection is up
// and the channel has been listened to, whichever happened last.
func TestSessionCache_State(t *testing.T) {
	c := NewSessionCache("postgres://unused", SessionCacheOptions{})
	steps := []struct {
		name string
		do   func()
		live bool
	}{
		{"connected", func() { c.onListenerEvent(pq.ListenerEventConnected, nil) }, false},
		{"listened", func() { c.setState(func() { c.listened = true }) }, true},
		{"disconnected", func() { c.onListenerEvent(pq.ListenerEventDisconnected, nil) }, false},
		{"attempt failed", func() { c.onListenerEvent(pq.ListenerEventConnectionAttemptFailed, nil) }, false},
		{"reconnected", func() { c.onListenerEvent(pq.ListenerEventReconnected, nil) }, true},
		{"stopped listening", func() { c.setState(func() { c.listened = false }) }, false},
	}
	for _, s := range steps {
		k := sessionKey{session: "s1", user: "u1"}
		_, f, _ := c.get(k)
		c.put(k, readOf("u1", time.Now().Add(time.Hour)), f)
		s.do()
		if got := c.Live(); got != s.live {
			t.Errorf("after %s: live = %v, want %v", s.name, got, s.live)
		}
		if got := c.Len(); got != 0 {
			t.Errorf("after %s: %d copies kept, want every change of state to drop them", s.name, got)
		}
	}
}

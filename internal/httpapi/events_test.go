package httpapi_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/events"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// sseEvent is one thing read from a stream: an event (name and data) or
// a comment line.
type sseEvent struct {
	Name, Data, Comment string
}

// sseClient reads one open stream.
type sseClient struct {
	res    *http.Response
	events chan sseEvent
	ended  chan struct{}
}

// eventsServer is one replica: the real router (app.New) on db behind a
// real HTTP server, its listener started.
func eventsServer(t *testing.T, db *sql.DB, dbURL string, eo events.Options) (*testAPI, string) {
	t.Helper()
	a := newTestAPI(t, withDB(db), withEnv("DATABASE_URL", dbURL), withLimits(highLimits()), withEventOptions(eo))
	srv := httptest.NewServer(a.h)
	t.Cleanup(srv.Close)
	a.app.Events.Start(context.Background())
	t.Cleanup(a.app.Stop) // runs before srv.Close: the streams end first
	waitListening(t, a)
	return a, srv.URL
}

func waitListening(t *testing.T, a *testAPI) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !a.app.Events.Listening(); {
		if time.Now().After(deadline) {
			t.Fatal("the events listener did not connect")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// openStream opens GET /api/events with token and reads it in the
// background until it ends.
func openStream(t *testing.T, base, token string) *sseClient {
	t.Helper()
	res, err := tryStream(t, base, token)
	if err != nil {
		t.Fatalf("open stream: %v", err)
	}
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Fatalf("open stream: status %d, body %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type = %q, want text/event-stream", ct)
	}
	c := &sseClient{res: res, events: make(chan sseEvent, 256), ended: make(chan struct{})}
	go func() {
		defer close(c.ended)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Name != "" {
					c.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				c.events <- sseEvent{Comment: strings.TrimSpace(line[1:])}
			case strings.HasPrefix(line, "event: "):
				ev.Name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				ev.Data = line[len("data: "):]
			}
		}
	}()
	t.Cleanup(c.close)
	return c
}

func tryStream(t *testing.T, base, token string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/api/events", nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "text/event-stream")
	return http.DefaultClient.Do(req)
}

func (c *sseClient) close() { c.res.Body.Close() }

// next returns the next event named name within d, skipping comments and
// other events; it fails the test when none comes.
func (c *sseClient) next(t *testing.T, name string, d time.Duration) map[string]any {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev := <-c.events:
			if ev.Name != name {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(ev.Data), &m); err != nil {
				t.Fatalf("event %s data %q: %v", name, ev.Data, err)
			}
			return m
		case <-c.ended:
			t.Fatalf("stream ended while waiting for %q", name)
		case <-deadline:
			t.Fatalf("no %q event within %v", name, d)
		}
	}
}

// linkAccount gives the user an Instagram account row and returns its id.
func linkAccount(t *testing.T, db *sql.DB, userID, igUserID string) string {
	t.Helper()
	acc, err := postgres.NewAccounts(db).Link(context.Background(), postgres.LinkInput{
		UserID: userID, IGUserID: igUserID, Username: "creator_" + igUserID, AccessToken: "sealed-elsewhere",
		TokenExpiresAt: time.Now().Add(50 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatalf("link account: %v", err)
	}
	return acc.ID
}

func wantSync(t *testing.T, got map[string]any, accountID, state string, fetched float64) {
	t.Helper()
	wantKeys(t, got, "account_id", "posts_fetched", "state")
	if got["account_id"] != accountID || got["state"] != state || got["posts_fetched"] != fetched {
		t.Errorf("sync event = %v, want account %s state %s posts_fetched %v", got, accountID, state, fetched)
	}
}

func TestEvents_SyncAndStats(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a, base := eventsServer(t, db, url, events.Options{})
	token, user := a.register(t, "live@example.com", "correct horse battery")
	otherToken, other := a.register(t, "other@example.com", "correct horse battery")
	acc := linkAccount(t, db, user["id"].(string), "1001")
	otherAcc := linkAccount(t, db, other["id"].(string), "1002")

	c := openStream(t, base, token)
	oc := openStream(t, base, otherToken)
	waitStreams(t, a, 2)
	ctx := context.Background()
	jobs := postgres.NewJobs(db)

	if _, err := jobs.Enqueue(ctx, "fetch_posts", acc, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "queued", 0)
	job, ok, err := jobs.Claim(ctx, "w1", time.Minute)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "running", 0)
	if err := jobs.Progress(ctx, job.ID, 25); err != nil {
		t.Fatal(err)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "running", 25)
	if _, err := db.ExecContext(ctx, `INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, like_count, comments_count, posted_at)
		VALUES ($1, 'p1', 'hello', 'IMAGE', 3, 1, now())`, acc); err != nil {
		t.Fatal(err)
	}
	st := c.next(t, "stats", 2*time.Second)
	wantKeys(t, st, "account_id")
	if st["account_id"] != acc {
		t.Errorf("stats event = %v, want account %s", st, acc)
	}
	if err := jobs.Finish(ctx, job.ID, "w1"); err != nil {
		t.Fatal(err)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "idle", 25)

	// The other user hears of their own account only.
	if _, err := jobs.Enqueue(ctx, "fetch_posts", otherAcc, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	got := oc.next(t, "sync", 2*time.Second)
	if got["account_id"] != otherAcc {
		t.Fatalf("other user's first event is about %v, want only their account %s", got["account_id"], otherAcc)
	}
	select {
	case ev := <-c.events:
		if ev.Name != "" {
			t.Errorf("user got an event of another user's account: %+v", ev)
		}
	case <-time.After(300 * time.Millisecond):
	}
}

func waitStreams(t *testing.T, a *testAPI, n int) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); a.app.Events.Open() != n; {
		if time.Now().After(deadline) {
			t.Fatalf("open streams = %d, want %d", a.app.Events.Open(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEvents_AcrossReplicas(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a, baseA := eventsServer(t, db, url, events.Options{})
	b, baseB := eventsServer(t, db, url, events.Options{})
	token, user := a.register(t, "replicas@example.com", "correct horse battery")
	acc := linkAccount(t, db, user["id"].(string), "2001")

	c := openStream(t, baseB, token)
	waitStreams(t, b, 1)

	start := time.Now()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, baseA+"/api/instagram/refresh", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("refresh on replica A: %d", res.StatusCode)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "queued", 0)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("event took %v to reach the other replica", d)
	}
}

func TestEvents_Heartbeat(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a, base := eventsServer(t, db, url, events.Options{Heartbeat: 150 * time.Millisecond})
	token, _ := a.register(t, "beat@example.com", "correct horse battery")
	c := openStream(t, base, token)
	start := time.Now()
	pings := 0
	for pings < 3 {
		select {
		case ev := <-c.events:
			if ev.Comment == "ping" {
				pings++
			}
		case <-time.After(time.Second):
			t.Fatalf("only %d pings after %v with a 150 ms heartbeat", pings, time.Since(start))
		}
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("3 pings within %v: the heartbeat runs faster than asked", d)
	}
}

func TestEvents_PerUserCap(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a, base := eventsServer(t, db, url, events.Options{MaxPerUser: 2})
	token, _ := a.register(t, "cap@example.com", "correct horse battery")
	otherToken, _ := a.register(t, "cap2@example.com", "correct horse battery")
	first := openStream(t, base, token)
	openStream(t, base, token)
	waitStreams(t, a, 2)

	res, err := tryStream(t, base, token)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var m map[string]any
	if res.StatusCode != http.StatusTooManyRequests || json.Unmarshal(body, &m) != nil || m["code"] != "rate_limited" {
		t.Fatalf("third stream: %d %s, want 429 rate_limited", res.StatusCode, body)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The cap is per user: another user still gets a stream.
	openStream(t, base, otherToken)
	waitStreams(t, a, 3)

	if got := openStreamsGauge(t, a); got != 3 {
		t.Errorf("event_streams_open = %v, want 3", got)
	}

	first.close()
	waitStreams(t, a, 2)
	if got := openStreamsGauge(t, a); got != 2 {
		t.Errorf("event_streams_open = %v after a close, want 2", got)
	}
	openStream(t, base, token)
	waitStreams(t, a, 3)
}

// openStreamsGauge reads event_streams_open from the app's metrics.
func openStreamsGauge(t *testing.T, a *testAPI) float64 {
	t.Helper()
	families, err := a.mx.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == "event_streams_open" {
			return f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatal("no event_streams_open metric")
	return 0
}

func TestEvents_Unauthenticated(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	_, base := eventsServer(t, db, url, events.Options{})
	res, err := tryStream(t, base, "")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", res.StatusCode)
	}
}

// A stream outlives the server's ReadTimeout and WriteTimeout, idle
// longer than either between heartbeats, and Shutdown ends it at once
// instead of waiting for it.
func TestEvents_WriteTimeoutAndShutdown(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a := newTestAPI(t, withDB(db), withEnv("DATABASE_URL", url), withEventOptions(events.Options{
		Heartbeat: 700 * time.Millisecond, WriteWait: 100 * time.Millisecond,
	}))
	a.app.Events.Start(context.Background())
	t.Cleanup(a.app.Stop)
	waitListening(t, a)
	srv := &http.Server{Handler: a.h, WriteTimeout: 300 * time.Millisecond, ReadTimeout: 300 * time.Millisecond, ReadHeaderTimeout: time.Second}
	srv.RegisterOnShutdown(a.app.CloseStreams)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()

	token, user := a.register(t, "shutdown@example.com", "correct horse battery")
	acc := linkAccount(t, db, user["id"].(string), "5001")
	c := openStream(t, base, token)
	// Two heartbeats, each longer than both timeouts and the write wait.
	time.Sleep(1600 * time.Millisecond)
	pings := 0
	for drained := false; !drained; {
		select {
		case ev := <-c.events:
			if ev.Comment == "ping" {
				pings++
			}
		default:
			drained = true
		}
	}
	select {
	case <-c.ended:
		t.Fatal("the stream ended at the server's timeouts")
	default:
	}
	if pings < 2 {
		t.Errorf("%d pings in 1.6 s at a 700 ms heartbeat", pings)
	}
	if _, err := postgres.NewJobs(db).Enqueue(context.Background(), "fetch_posts", acc, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "queued", 0)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with a stream open: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("shutdown took %v", d)
	}
	select {
	case <-c.ended:
	case <-time.After(time.Second):
		t.Fatal("the stream is still open after shutdown")
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("serve: %v", err)
	}
}

// When the listener's connection is lost, the hub reconnects; streams
// open meanwhile end (their clients reconnect and reload), and the
// streams opened after it get events again.
func TestEvents_ListenerReconnects(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a, base := eventsServer(t, db, url, events.Options{MinReconnect: 50 * time.Millisecond, MaxReconnect: 200 * time.Millisecond})
	token, user := a.register(t, "reconnect@example.com", "correct horse battery")
	acc := linkAccount(t, db, user["id"].(string), "3001")
	c := openStream(t, base, token)
	waitStreams(t, a, 1)
	ctx := context.Background()
	var killed int
	for deadline := time.Now().Add(3 * time.Second); killed == 0; {
		if err := db.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'`).Scan(&killed); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("no listener connection to terminate")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-c.ended:
	case <-time.After(3 * time.Second):
		t.Fatal("the stream did not end when the listener lost its connection")
	}
	c2 := openStream(t, base, token)
	waitStreams(t, a, 1)
	if _, err := postgres.NewJobs(db).Enqueue(ctx, "fetch_posts", acc, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	wantSync(t, c2.next(t, "sync", 3*time.Second), acc, "queued", 0)
}

// Events still arrive after heartbeats.
func TestEvents_AfterHeartbeats(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a, base := eventsServer(t, db, url, events.Options{Heartbeat: 100 * time.Millisecond})
	token, user := a.register(t, "after@example.com", "correct horse battery")
	acc := linkAccount(t, db, user["id"].(string), "4001")
	c := openStream(t, base, token)
	time.Sleep(500 * time.Millisecond)
	if _, err := postgres.NewJobs(db).Enqueue(context.Background(), "fetch_posts", acc, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "queued", 0)
}

// A stream is not bounded by the 15 s deadline of ordinary requests.
func TestEvents_OutlivesRequestDeadline(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	a, base := eventsServer(t, db, url, events.Options{Heartbeat: 4 * time.Second})
	token, user := a.register(t, "long@example.com", "correct horse battery")
	acc := linkAccount(t, db, user["id"].(string), "6001")
	c := openStream(t, base, token)
	time.Sleep(16 * time.Second)
	if _, err := postgres.NewJobs(db).Enqueue(context.Background(), "fetch_posts", acc, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	wantSync(t, c.next(t, "sync", 2*time.Second), acc, "queued", 0)
}

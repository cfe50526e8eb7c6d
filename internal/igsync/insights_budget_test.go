package igsync_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/postgres"
)

func recentPosts(n int) []sandbox.Post {
	now := time.Now().UTC()
	out := make([]sandbox.Post, n)
	for i := range out {
		out[i] = sandbox.Post{Caption: "p", Timestamp: now.Add(-time.Duration(i+1) * time.Hour)}
	}
	return out
}

func (e *insightsEnv) parkedUntil(t testing.TB) (time.Time, time.Duration) {
	t.Helper()
	acc, err := postgres.NewAccounts(e.h.DB).ByID(context.Background(), e.account)
	if err != nil {
		t.Fatal(err)
	}
	if acc.InsightsParkedUntil == nil {
		return time.Time{}, acc.InsightsBackoff
	}
	return *acc.InsightsParkedUntil, acc.InsightsBackoff
}

func TestReadInsights_Throttled(t *testing.T) {
	t.Run("RegainTimeHonoured", func(t *testing.T) {
		fake := &igsynctest.FakeInsights{ThrottleNext: 1, RegainIn: 30 * time.Minute}
		e := newInsightsEnv(t, fake, recentPosts(3))
		start := e.clock.now()
		if err := e.run(t, igsync.KindReadInsights); err != nil {
			t.Fatalf("a throttled run is not a failure: %v", err)
		}
		if got := len(fake.Calls()); got != 1 {
			t.Fatalf("%d calls, want 1: the first answer throttles and the run stops", got)
		}
		until, _ := e.parkedUntil(t)
		if want := start.Add(30 * time.Minute); !until.Equal(want) {
			t.Errorf("parked until %v, want %v", until, want)
		}
		// Parked, even for a new service on the same database (a restart
		// or another replica): no call, and no job from the schedule.
		e.clock.advance(10 * time.Minute)
		restarted := igsync.New(igsync.Deps{Accounts: postgres.NewAccounts(e.h.DB), Posts: postgres.NewPosts(e.h.DB),
			Jobs: postgres.NewJobs(e.h.DB), Logger: e.h.Logger, Insights: fake, Usage: fake.Usage, Now: e.clock.now})
		if err := restarted.EnqueueDueInsights(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := e.h.Int(`SELECT count(*) FROM jobs WHERE kind = 'read_insights' AND state = 'queued'`); got != 0 {
			t.Errorf("%d insights jobs queued for a parked account", got)
		}
		if err := e.run(t, igsync.KindReadInsights); err != nil {
			t.Fatal(err)
		}
		if got := len(fake.Calls()); got != 1 {
			t.Errorf("%d calls while parked, want none after the first", got-1)
		}
		// Post fetches go on.
		if err := e.run(t, igsync.KindFetchPosts); err != nil {
			t.Errorf("fetch while insights are parked: %v", err)
		}
		// After the parked time: everything is read.
		e.clock.advance(21 * time.Minute)
		if err := restarted.EnqueueDueInsights(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := e.h.Int(`SELECT count(*) FROM jobs WHERE kind = 'read_insights' AND state = 'queued'`); got != 1 {
			t.Errorf("%d insights jobs queued after the parked time, want 1", got)
		}
		if err := e.run(t, igsync.KindReadInsights); err != nil {
			t.Fatal(err)
		}
		if got, want := len(fake.Calls()), 1+3*4; got != want {
			t.Errorf("%d calls in all, want %d", got, want)
		}
		if got := e.h.Int(`SELECT count(*) FROM instagram_posts WHERE account_id = $1 AND insights_captured_at IS NOT NULL`, e.account); got != 3 {
			t.Errorf("%d posts read, want 3", got)
		}
	})

	t.Run("NoTimeNamedBacksOffDoubling", func(t *testing.T) {
		fake := &igsynctest.FakeInsights{ThrottleNext: 3}
		e := newInsightsEnv(t, fake, recentPosts(2))
		for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
			at := e.clock.now()
			if err := e.run(t, igsync.KindReadInsights); err != nil {
				t.Fatal(err)
			}
			until, backoff := e.parkedUntil(t)
			if backoff != want || !until.Equal(at.Add(want)) {
				t.Errorf("throttle %d: parked %v (backoff %v), want %v", i+1, until.Sub(at), backoff, want)
			}
			if got := len(fake.Calls()); got != i+1 {
				t.Errorf("throttle %d: %d calls, want %d", i+1, got, i+1)
			}
			e.clock.set(until)
		}
		if err := e.run(t, igsync.KindReadInsights); err != nil {
			t.Fatal(err)
		}
		if _, backoff := e.parkedUntil(t); backoff != 0 {
			t.Errorf("backoff %v after a good answer, want reset", backoff)
		}
	})

	t.Run("UsageAt90Percent", func(t *testing.T) {
		// 20 calls an hour: the 18th answer reports 90 %.
		fake := &igsynctest.FakeInsights{CallsPerHour: 20}
		e := newInsightsEnv(t, fake, recentPosts(10))
		e.clock.set(e.clock.now().Truncate(time.Hour).Add(time.Hour + time.Second))
		e.h.Exec(`UPDATE instagram_post_insights_due SET due_at = $1`, e.clock.now())
		if err := e.run(t, igsync.KindReadInsights); err != nil {
			t.Fatal(err)
		}
		if got := len(fake.Calls()); got != 18 {
			t.Errorf("%d calls, want 18: parked at 90 %% of the budget", got)
		}
		if until, _ := e.parkedUntil(t); !until.After(e.clock.now()) {
			t.Errorf("parked until %v, want after now", until)
		}
		// 4 posts of 4 calls read whole, the 5th with the core and one more.
		if got := e.h.Int(`SELECT count(*) FROM instagram_posts WHERE account_id = $1 AND insights_captured_at IS NOT NULL`, e.account); got != 5 {
			t.Errorf("%d posts with a reading, want 5", got)
		}
		if got := e.h.Int(`SELECT insights_usage_pct FROM instagram_accounts WHERE id = $1`, e.account); got != 90 {
			t.Errorf("usage stored %d %%, want 90", got)
		}
	})
}

// TestReadInsights_RestartMidBackfill cuts a backfill in the middle of a
// post's calls (the server stops), then runs the job again: every post is
// read, each exactly once but the one cut short, whose reading was not
// stored and is made again.
func TestReadInsights_RestartMidBackfill(t *testing.T) {
	fake := &igsynctest.FakeInsights{}
	e := newInsightsEnv(t, fake, recentPosts(30))
	ctx, cancel := context.WithCancel(context.Background())
	fake.OnCall = func(n int) {
		if n == 4*11+2 { // the 12th post's second call
			cancel()
		}
	}
	if err := e.runCtx(t, ctx, igsync.KindReadInsights); !errors.Is(err, context.Canceled) {
		t.Fatalf("cut run: %v, want context.Canceled", err)
	}
	if got := e.h.Int(`SELECT count(*) FROM instagram_posts WHERE account_id = $1 AND insights_captured_at IS NOT NULL`, e.account); got != 11 {
		t.Errorf("%d posts stored before the cut, want 11", got)
	}
	fake.OnCall = nil
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	twice := 0
	for _, p := range e.posts {
		s := e.stored(t, p.ID)
		if !s.captured.Valid || s.history != 1 {
			t.Errorf("post %s: captured %v, %d readings, want 1", p.ID, s.captured, s.history)
		}
		switch fake.CallsFor(p.ID, "views") {
		case 1:
		case 2:
			twice++
		default:
			t.Errorf("post %s: core asked %d times", p.ID, fake.CallsFor(p.ID, "views"))
		}
	}
	if twice != 1 {
		t.Errorf("%d posts read twice, want only the one cut short", twice)
	}
	if got, want := len(fake.Calls()), 30*4+2; got != want {
		t.Errorf("%d calls in all, want %d", got, want)
	}
}

// TestRefresh_RereadsLastWeek: a refresh makes the last 7 days' posts due
// whatever the ladder says, and only those.
func TestRefresh_RereadsLastWeek(t *testing.T) {
	now := time.Now().UTC()
	posts := []sandbox.Post{
		{Caption: "day", Timestamp: now.Add(-30 * time.Hour)},
		{Caption: "week", Timestamp: now.Add(-6 * 24 * time.Hour)},
		{Caption: "month", Timestamp: now.Add(-20 * 24 * time.Hour)},
	}
	fake := &igsynctest.FakeInsights{}
	e := newInsightsEnv(t, fake, posts)
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(time.Minute)
	if res := e.h.Do(http.MethodPost, "/api/instagram/refresh", e.token, nil); res.Status != http.StatusAccepted {
		t.Fatalf("refresh: %d %s", res.Status, res.Raw)
	}
	if err := e.run(t, igsync.KindFetchPosts); err != nil {
		t.Fatal(err)
	}
	e.clock.set(time.Now().UTC().Add(time.Second))
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	for _, p := range e.posts {
		want := map[string]int{"day": 2, "week": 2, "month": 1}[p.Caption]
		if got := e.stored(t, p.ID).history; got != want {
			t.Errorf("%s: %d readings after a refresh, want %d", p.Caption, got, want)
		}
	}
}

func TestNextReading(t *testing.T) {
	posted := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		age, want time.Duration // want 0: never again
	}{
		{0, time.Hour}, {47 * time.Hour, time.Hour}, {48 * time.Hour, 6 * time.Hour},
		{7*24*time.Hour - time.Second, 6 * time.Hour}, {7 * 24 * time.Hour, 24 * time.Hour},
		{30 * 24 * time.Hour, 7 * 24 * time.Hour}, {90*24*time.Hour - time.Second, 7 * 24 * time.Hour},
		{90 * 24 * time.Hour, 0}, {700 * 24 * time.Hour, 0},
	} {
		read := posted.Add(c.age)
		got := igsync.NextReading(posted, read)
		switch {
		case c.want == 0 && got != nil:
			t.Errorf("age %v: next %v, want none", c.age, got)
		case c.want != 0 && (got == nil || got.Sub(read) != c.want):
			t.Errorf("age %v: next %v, want %v later", c.age, got, c.want)
		}
	}
}

package igsync_test

import (
	"context"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

// BenchmarkSync10kPosts runs one fetch job that pages 10,000 posts from the
// sandbox (over HTTP) into an empty posts table.
func BenchmarkSync10kPosts(b *testing.B) {
	const igID, n = "17841400000010000", 10_000
	h := igsynctest.New(b, igsynctest.Options{
		NoPool: true, MaxPosts: n, EmptyPageEvery: -1,
		Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: n}},
	})
	h.MustConnect(h.Register(), igID)
	fetch := h.Service.Handlers()[igsync.KindFetchPosts]
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		h.Exec(`DELETE FROM instagram_posts`)
		h.Exec(`DELETE FROM jobs`)
		var accountID string
		if err := h.DB.QueryRow(`SELECT id FROM instagram_accounts`).Scan(&accountID); err != nil {
			b.Fatal(err)
		}
		if _, err := h.Jobs.Enqueue(ctx, igsync.KindFetchPosts, accountID, time.Now(), 1); err != nil {
			b.Fatal(err)
		}
		job, ok, err := h.Jobs.Claim(ctx, "bench", time.Minute)
		if err != nil || !ok {
			b.Fatalf("claim: %v %v", ok, err)
		}
		b.StartTimer()
		if err := fetch(ctx, job); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != n {
			b.Fatalf("stored %d posts, want %d", got, n)
		}
		b.StartTimer()
	}
}

// BenchmarkInsightsLadder computes, from NextReading alone, the insights
// readings per day of an account of 1,000 posts, one a day, once the
// oldest is past the ladder: every post read from its posting on, over
// the 7 days after the newest post. It reports readings and calls per day
// (a FEED reading is 4 calls, a REELS reading 5, before refusals).
func BenchmarkInsightsLadder(b *testing.B) {
	var perDay float64
	for b.Loop() {
		start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		from, to := start, start.Add(7*24*time.Hour)
		readings := 0
		for i := range 1000 {
			posted := start.Add(-time.Duration(i) * 24 * time.Hour)
			for at := &posted; at != nil && at.Before(to); at = igsync.NextReading(posted, *at) {
				if !at.Before(from) {
					readings++
				}
			}
			// Posts of the coming week are read from their posting.
			if i > 0 && i < 7 {
				posted := start.Add(time.Duration(i) * 24 * time.Hour)
				for at := &posted; at != nil && at.Before(to); at = igsync.NextReading(posted, *at) {
					readings++
				}
			}
		}
		perDay = float64(readings) / 7
	}
	b.ReportMetric(perDay, "readings/day")
	b.ReportMetric(perDay*4, "FEED-calls/day")
	b.ReportMetric(perDay*5, "REELS-calls/day")
}

// BenchmarkInsightsBackfill1000 runs the first insights backfill of an
// account of 1,000 posts (one a day, the sandbox's mix of feed posts and
// reels) against FakeInsights at Instagram's documented budget of 200
// calls an hour, on a virtual clock: the job runs when the schedule would
// (every InsightsEvery, or when the parked time ends). It reports the
// virtual hours until every post has a reading and the calls made.
func BenchmarkInsightsBackfill1000(b *testing.B) {
	for range b.N {
		b.StopTimer()
		fake := &igsynctest.FakeInsights{CallsPerHour: 200, Refuse: map[string][]string{"REELS": {"reels_skip_rate"}}}
		e := newInsightsEnvSpec(b, fake, sandbox.AccountSpec{UserID: insightsIG, Posts: 1000, Span: 1000 * 24 * time.Hour})
		b.StartTimer()
		start := e.clock.now()
		runs := 0
		// Done when every post has a reading and none is due: a reading cut
		// short by a park is due again at once.
		pending := func() bool {
			return e.h.Int(`SELECT count(*) FROM instagram_posts WHERE insights_captured_at IS NULL`) > 0 ||
				e.h.Int(`SELECT count(*) FROM instagram_post_insights_due WHERE due_at <= $1`, e.clock.now()) > 0
		}
		for pending() {
			if runs++; runs > 10_000 {
				b.Fatal("the backfill does not end")
			}
			if err := e.run(b, igsync.KindReadInsights); err != nil {
				b.Fatal(err)
			}
			if until, _ := e.parkedUntil(b); until.After(e.clock.now()) {
				e.clock.set(until)
			} else {
				e.clock.advance(igsync.InsightsEvery)
			}
		}
		b.StopTimer()
		hours := e.clock.now().Sub(start).Hours()
		b.ReportMetric(hours, "virtual-hours")
		b.ReportMetric(float64(len(fake.Calls())), "calls")
		b.ReportMetric(float64(runs), "runs")
		b.ReportMetric(float64(e.h.Int(`SELECT count(*) FROM instagram_posts`)), "posts")
		b.ReportMetric(float64(e.h.Int(`SELECT count(*) FROM instagram_posts WHERE media_product_type = 'REELS'`)), "reels")
	}
}

// BenchmarkReadInsightsJob runs one read_insights job of ten due posts of
// an account of 1,000 stored posts against FakeInsights (in process, no
// latency, no budget): what a job costs the server and PostgreSQL beyond
// Instagram's answers. Each iteration makes ten other posts due.
func BenchmarkReadInsightsJob(b *testing.B) {
	fake := &igsynctest.FakeInsights{}
	e := newInsightsEnvSpec(b, fake, sandbox.AccountSpec{UserID: insightsIG, Posts: 1000, Span: 1000 * 24 * time.Hour})
	e.h.Exec(`UPDATE instagram_post_insights_due SET due_at = now() + interval '1 year'`)
	i := 0
	for b.Loop() {
		b.StopTimer()
		e.h.Exec(`UPDATE instagram_post_insights_due SET due_at = now() - interval '1 minute'
			WHERE post_id IN (SELECT id FROM instagram_posts ORDER BY posted_at DESC OFFSET $1 LIMIT 10)`, (i*10)%1000)
		i++
		e.clock.set(time.Now().UTC())
		b.StartTimer()
		if err := e.run(b, igsync.KindReadInsights); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if n := e.h.Int(`SELECT count(*) FROM instagram_post_insights_due WHERE due_at <= now()`); n != 0 {
		b.Fatalf("%d posts left due", n)
	}
}

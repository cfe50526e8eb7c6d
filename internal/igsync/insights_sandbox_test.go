package igsync_test

import (
	"context"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

// TestReadInsights_Sandbox reads insights through the real Instagram
// client from the sandbox: every metric of each type, a metric the sandbox
// refuses (asked once per type a day), and a throttling answer with a
// time to regain access that parks the account, across a restart of the
// job.
func TestReadInsights_Sandbox(t *testing.T) {
	const ig = "17841400000000888"
	now := time.Now().UTC()
	var posts []sandbox.Post
	for i := range 6 {
		p := sandbox.Post{Caption: "feed", MediaType: "IMAGE", Timestamp: now.Add(-time.Duration(3+i) * 24 * time.Hour)}
		if i%2 == 1 {
			p.Caption, p.MediaType, p.MediaProductType = "reel", "VIDEO", "REELS"
		}
		posts = append(posts, p)
	}
	h := igsynctest.New(t, igsynctest.Options{NoPool: true, EmptyPageEvery: -1,
		Accounts: []sandbox.AccountSpec{{UserID: ig, PostsList: posts}}})
	e := &insightsEnv{h: h, token: h.Register()}
	h.MustConnect(e.token, ig)
	if err := h.DB.QueryRow(`SELECT id FROM instagram_accounts WHERE ig_user_id = $1`, ig).Scan(&e.account); err != nil {
		t.Fatal(err)
	}
	if err := e.run(t, igsync.KindFetchPosts); err != nil {
		t.Fatal(err)
	}
	h.RefuseMetric(ig, "reposts")
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatalf("read insights: %v", err)
	}
	e.posts = h.Sandbox.Account(ig).Posts()
	for _, p := range e.posts {
		s := e.stored(t, p.ID)
		if !s.captured.Valid || !s.views.Valid || !s.reach.Valid || !s.saved.Valid || s.reposts.Valid {
			t.Errorf("%s %s: captured %v views %v reach %v saved %v reposts %v", p.Caption, p.ID, s.captured, s.views, s.reach, s.saved, s.reposts)
		}
		if reel := p.MediaProductType == "REELS"; reel != s.avgWatch.Valid || reel != s.totalWatch.Valid {
			t.Errorf("%s: watch times %v %v, want reels only", p.Caption, s.avgWatch, s.totalWatch)
		}
	}
	if got := h.MetricCalls(sandbox.EndpointMediaInsights, "reposts"); got != 2 {
		t.Errorf("reposts asked %d times, want once per type (FEED, REELS)", got)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_metric_refusals WHERE account_id = $1 AND metric = 'reposts'`, e.account); got != 2 {
		t.Errorf("%d refusals of reposts stored, want 2", got)
	}

	// Throttled with 10 minutes to regain access: one call, then parked.
	h.ClearFaults()
	h.Throttle(ig, sandbox.EndpointInsights, 0, 95, 10*time.Minute, 1)
	h.Exec(`UPDATE instagram_post_insights_due SET due_at = now() - interval '1 second'`)
	before := h.InsightsCalls(ig)
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	if got := h.InsightsCalls(ig) - before; got != 1 {
		t.Errorf("%d insights calls after the throttle, want 1", got)
	}
	until, _ := e.parkedUntil(t)
	if d := time.Until(until); d < 9*time.Minute || d > 11*time.Minute {
		t.Errorf("parked for %v, want about 10 minutes", d)
	}
	// The usage header of the answer reached the account (OnUsage).
	if got := h.Int(`SELECT COALESCE(insights_usage_pct, -1) FROM instagram_accounts WHERE id = $1`, e.account); got != 95 {
		t.Errorf("usage stored %d %%, want the answer's 95", got)
	}
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	if got := h.InsightsCalls(ig) - before; got != 1 {
		t.Errorf("%d insights calls while parked, want none after the first", got-1)
	}
	if err := h.Service.EnqueueDueInsights(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.Int(`SELECT count(*) FROM jobs WHERE kind = 'read_insights' AND state = 'queued'`); got != 0 {
		t.Errorf("%d insights jobs queued for the parked account", got)
	}
}

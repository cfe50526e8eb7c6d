package igsync_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/instagram/sandbox"
)

// insightsLog records the account insights requests the sandbox serves.
type insightsLog struct {
	mu   sync.Mutex
	reqs []url.Values
}

func (l *insightsLog) observe(r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/insights") || strings.Count(r.URL.Path, "/") != 3 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r.URL.Query())
}

// metric returns the recorded requests for metric.
func (l *insightsLog) metric(m string) []url.Values {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []url.Values
	for _, q := range l.reqs {
		if q.Get("metric") == m {
			out = append(out, q)
		}
	}
	return out
}

func (l *insightsLog) all() []url.Values {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]url.Values(nil), l.reqs...)
}

const (
	bigIG   = "17841400000077001"
	smallIG = "17841400000077002"
)

// connectForInsights connects the sandbox account igID and waits for its
// backfill to finish.
func connectForInsights(t *testing.T, o igsynctest.Options, igID string, faults ...sandbox.Fault) (*igsynctest.Harness, *insightsLog, string) {
	t.Helper()
	log := &insightsLog{}
	o.SandboxRequest = log.observe
	if o.Accounts == nil {
		o.Accounts = []sandbox.AccountSpec{
			{UserID: bigIG, Username: "big.creator", Followers: 2500, Posts: 40},
			{UserID: smallIG, Username: "small.creator", Followers: 60, Posts: 10},
		}
	}
	h := igsynctest.New(t, o)
	for _, f := range faults {
		h.Sandbox.InjectFault(f)
	}
	token := h.Register()
	h.MustConnect(token, igID)
	h.Eventually("the account insights backfill", func() bool {
		return h.Int(`SELECT count(*) FROM jobs WHERE kind = $1 AND state IN ('done', 'failed')`, igsync.KindAccountInsights) == 1
	})
	if st := h.Int(`SELECT count(*) FROM jobs WHERE kind = $1 AND state = 'done'`, igsync.KindAccountInsights); st != 1 {
		t.Fatalf("the account insights job failed: %s", h.AllText())
	}
	return h, log, token
}

// backfillDates are the 30 Pacific dates before today.
func backfillDates() []string {
	today := instagram.PacificMidnight(time.Now())
	var out []string
	for i := 30; i >= 1; i-- {
		out = append(out, time.Date(today.Year(), today.Month(), today.Day()-i, 0, 0, 0, 0, instagram.Pacific()).Format(time.DateOnly))
	}
	return out
}

// wantSpans checks that no account insights request spanned more than
// 30 days between since and until.
func wantSpans(t *testing.T, log *insightsLog) {
	t.Helper()
	n := 0
	for _, q := range log.all() {
		if q.Get("since") == "" {
			continue
		}
		since, err1 := strconv.ParseInt(q.Get("since"), 10, 64)
		until, err2 := strconv.ParseInt(q.Get("until"), 10, 64)
		if err1 != nil || err2 != nil || until <= since || until-since > 2_592_000 {
			t.Errorf("%s: since %s until %s: not a span of at most 30 days", q.Get("metric"), q.Get("since"), q.Get("until"))
		}
		n++
	}
	if n == 0 {
		t.Error("no account insights request with since and until")
	}
}

func TestAccountInsights_Backfill(t *testing.T) {
	h, log, token := connectForInsights(t, igsynctest.Options{}, bigIG)
	wantSpans(t, log)
	dates := backfillDates()
	for _, c := range []struct {
		column string
		want   int
	}{{"reach", 30}, {"views", 30}, {"gained", 30}, {"lost", 30}} {
		if got := h.Int(`SELECT count(*) FROM account_insights_daily WHERE `+c.column+` IS NOT NULL
			AND date BETWEEN $1::date AND $2::date`, dates[0], dates[29]); got != c.want {
			t.Errorf("days with %s = %d, want %d", c.column, got, c.want)
		}
	}
	if got := h.Int(`SELECT count(*) FROM account_insights_daily`); got != 30 {
		t.Errorf("daily rows = %d, want 30 (%s..%s)", got, dates[0], dates[29])
	}
	// views and follows_and_unfollows are daily totals: one call per day.
	if got := len(log.metric(instagram.AccountMetricViews)); got != 30 {
		t.Errorf("views calls = %d, want 30", got)
	}
	if got := h.Int(`SELECT count(*) FROM account_online_followers`); got == 0 {
		t.Error("no online followers stored")
	}
	if got := h.Int(`SELECT count(DISTINCT breakdown) FROM account_demographics WHERE metric = 'follower_demographics'`); got != 4 {
		t.Errorf("follower demographic breakdowns = %d, want 4", got)
	}
	if got := h.Int(`SELECT count(*) FROM follower_snapshots WHERE taken_at > now() - interval '1 hour'`); got != 1 {
		t.Errorf("snapshots taken now = %d, want 1", got)
	}

	// The endpoint reads what the job stored.
	res := h.Do(http.MethodGet, "/api/growth/audience?period=30&tz=Europe/Berlin", token, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("audience: %d %s", res.Status, res.Raw)
	}
	for _, part := range []string{"online_followers", "demographics"} {
		if st := res.Body[part].(map[string]any)["status"]; st != "ok" {
			t.Errorf("%s status = %v, want ok", part, st)
		}
	}
	daily := res.Body["daily"].([]any)
	var reach int
	for _, d := range daily {
		if d.(map[string]any)["reach"] != nil {
			reach++
		}
	}
	if reach != 30 {
		t.Errorf("daily entries with reach = %d, want 30: %s", reach, res.Raw)
	}
	if got, want := res.Body["followers_gained"], float64(h.Int(`SELECT sum(gained)::int FROM account_insights_daily`)); got != want {
		t.Errorf("followers_gained = %v, want %v", got, want)
	}

	// The next run reads the last days again, not the whole month.
	before := len(log.all())
	var accountID string
	if err := h.DB.QueryRow(`SELECT id FROM instagram_accounts WHERE ig_user_id = $1`, bigIG).Scan(&accountID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Service.ScheduleAccountInsights(context.Background(), accountID); err != nil {
		t.Fatal(err)
	}
	h.Eventually("the daily reading", func() bool {
		return h.Int(`SELECT count(*) FROM jobs WHERE kind = $1 AND state = 'done'`, igsync.KindAccountInsights) == 2
	})
	if got := len(log.metric(instagram.AccountMetricViews)) - 30; got != igsync.RereadDays {
		t.Errorf("views calls of the daily run = %d, want %d", got, igsync.RereadDays)
	}
	if len(log.all()) <= before {
		t.Error("the daily run called nothing")
	}
	wantSpans(t, log)
}

func TestAccountInsights_Under100Followers(t *testing.T) {
	h, _, token := connectForInsights(t, igsynctest.Options{}, smallIG)
	if got := h.Int(`SELECT count(*) FROM account_insights_daily WHERE reach IS NOT NULL`); got != 30 {
		t.Errorf("days with reach = %d, want 30", got)
	}
	for _, q := range []string{
		`SELECT count(*) FROM account_insights_daily WHERE gained IS NOT NULL`,
		`SELECT count(*) FROM account_online_followers`,
		`SELECT count(*) FROM account_demographics WHERE metric = 'follower_demographics'`,
	} {
		if got := h.Int(q); got != 0 {
			t.Errorf("%s = %d, want 0: Instagram gives nothing under 100 followers", q, got)
		}
	}
	res := h.Do(http.MethodGet, "/api/growth/audience?period=7", token, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("audience: %d %s", res.Status, res.Raw)
	}
	for _, part := range []string{"online_followers", "demographics"} {
		if st := res.Body[part].(map[string]any)["status"]; st != "insufficient_followers" {
			t.Errorf("%s status = %v, want insufficient_followers", part, st)
		}
	}
	if res.Body["followers_gained"] != nil || res.Body["net_followers"] != nil {
		t.Errorf("gained, net = %v, %v, want null", res.Body["followers_gained"], res.Body["net_followers"])
	}
}

// TestAccountInsights_RefusedMetric checks that a metric Instagram refuses
// loses only itself, and is not asked again for every day.
func TestAccountInsights_RefusedMetric(t *testing.T) {
	f := sandbox.FaultMetricRefused(instagram.AccountMetricViews)
	f.Endpoint = "account_insights"
	h, log, _ := connectForInsights(t, igsynctest.Options{}, bigIG, f)
	if got := h.Int(`SELECT count(*) FROM account_insights_daily WHERE views IS NOT NULL`); got != 0 {
		t.Errorf("days with views = %d, want 0", got)
	}
	for _, col := range []string{"reach", "gained", "lost"} {
		if got := h.Int(`SELECT count(*) FROM account_insights_daily WHERE ` + col + ` IS NOT NULL`); got != 30 {
			t.Errorf("days with %s = %d, want 30", col, got)
		}
	}
	if got := h.Int(`SELECT count(*) FROM account_online_followers`); got == 0 {
		t.Error("online followers lost with views")
	}
	if got := len(log.metric(instagram.AccountMetricViews)); got != 1 {
		t.Errorf("views asked %d times, want once", got)
	}
}

// connectParked connects igID and waits until its account insights work
// is parked, with the job queued to run again when the park ends.
func connectParked(t *testing.T, o igsynctest.Options, igID string, faults ...sandbox.Fault) (*igsynctest.Harness, *insightsLog) {
	t.Helper()
	log := &insightsLog{}
	o.SandboxRequest = log.observe
	o.Accounts = []sandbox.AccountSpec{{UserID: igID, Username: "big.creator", Followers: 2500, Posts: 40}}
	h := igsynctest.New(t, o)
	for _, f := range faults {
		h.Sandbox.InjectFault(f)
	}
	h.MustConnect(h.Register(), igID)
	h.Eventually("the account parked and its reading queued again", func() bool {
		return h.Int(`SELECT count(*) FROM instagram_accounts WHERE insights_parked_until > now()`) == 1 &&
			h.Int(`SELECT count(*) FROM jobs WHERE kind = $1 AND state = 'queued' AND attempts = 1
				AND run_at > now() + interval '30 seconds'`, igsync.KindAccountInsights) == 1
	})
	return h, log
}

// resume ends the park and lets the queued reading run now.
func resume(t *testing.T, h *igsynctest.Harness) {
	t.Helper()
	h.Sandbox.ClearFaults()
	h.Exec(`UPDATE instagram_accounts SET insights_parked_until = now() - interval '1 second'`)
	h.Exec(`UPDATE jobs SET run_at = now() WHERE kind = $1 AND state = 'queued'`, igsync.KindAccountInsights)
	h.Eventually("the reading after the park", func() bool {
		return h.Int(`SELECT count(*) FROM jobs WHERE kind = $1 AND state = 'done'`, igsync.KindAccountInsights) == 1
	})
}

// TestAccountInsights_Throttled checks that a throttling answer parks the
// account's insights (the budget shared with the posts' insights), calls
// nothing more, and that the reading completes once the park ends.
func TestAccountInsights_Throttled(t *testing.T) {
	f := sandbox.FaultThrottled(80002, 100, 0)
	f.Endpoint, f.Metric = "account_insights", instagram.AccountMetricOnlineFollowers
	h, log := connectParked(t, igsynctest.Options{}, bigIG, f)
	if got := len(log.metric(instagram.AccountMetricOnlineFollowers)); got != 1 {
		t.Errorf("online_followers asked %d times while throttled, want 1", got)
	}
	for _, m := range []string{instagram.AccountMetricFollowerDemographic, instagram.AccountMetricEngagedDemographic} {
		if got := len(log.metric(m)); got != 0 {
			t.Errorf("%s asked %d times after the throttle, want 0", m, got)
		}
	}
	// What was read before the throttle is kept.
	if got := h.Int(`SELECT count(*) FROM account_insights_daily WHERE reach IS NOT NULL`); got != 30 {
		t.Errorf("days with reach = %d, want 30", got)
	}
	resume(t, h)
	if got := h.Int(`SELECT count(*) FROM account_online_followers`); got == 0 {
		t.Error("no online followers after the park")
	}
	if got := h.Int(`SELECT count(DISTINCT breakdown) FROM account_demographics WHERE metric = 'follower_demographics'`); got != 4 {
		t.Errorf("follower demographic breakdowns after the park = %d, want 4", got)
	}
}

// TestAccountInsights_UsageParks checks that at 90 % of the account's
// budget the reading stops before Instagram throttles it.
func TestAccountInsights_UsageParks(t *testing.T) {
	const budget = 40 // calls an hour; the backfill needs about 70
	h, log := connectParked(t, igsynctest.Options{Sandbox: func(o *sandbox.Options) { o.RateLimit = budget }}, bigIG)
	if got := len(log.all()); got >= budget {
		t.Errorf("%d insights calls, want fewer than the budget of %d (parked at 90 %%)", got, budget)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_accounts WHERE insights_usage_pct >= 90`); got != 1 {
		t.Errorf("accounts with their usage recorded at 90 %% or more = %d, want 1", got)
	}
}

// TestAccountInsights_Schedule checks the daily schedule: an account read
// recently is not due, one read a day ago is.
func TestAccountInsights_Schedule(t *testing.T) {
	h, _, _ := connectForInsights(t, igsynctest.Options{}, bigIG)
	var run func(context.Context) error
	for _, sc := range h.Service.Schedules() {
		if sc.Name == "account_insights" {
			run = sc.Run
		}
	}
	if run == nil {
		t.Fatal("no account_insights schedule")
	}
	count := func() int { return h.Int(`SELECT count(*) FROM jobs WHERE kind = $1`, igsync.KindAccountInsights) }
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 1 {
		t.Errorf("jobs after a run just after the backfill = %d, want 1", got)
	}
	h.Exec(`UPDATE jobs SET finished_at = now() - interval '21 hours' WHERE kind = $1`, igsync.KindAccountInsights)
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 2 {
		t.Errorf("jobs after a run a day later = %d, want 2", got)
	}
}

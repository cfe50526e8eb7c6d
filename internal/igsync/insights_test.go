package igsync_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/postgres"
)

// clock is a settable clock for the ladder and the budget.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// insightsEnv is a harness with a fake insights API on a settable clock,
// one connected account and its posts fetched (no pool: jobs are run by
// hand).
type insightsEnv struct {
	h       *igsynctest.Harness
	fake    *igsynctest.FakeInsights
	clock   *clock
	token   string
	account string
	posts   []sandbox.Post
}

const insightsIG = "17841400000000777"

func newInsightsEnv(t testing.TB, fake *igsynctest.FakeInsights, posts []sandbox.Post) *insightsEnv {
	t.Helper()
	return newInsightsEnvSpec(t, fake, sandbox.AccountSpec{UserID: insightsIG, PostsList: posts})
}

// newInsightsEnvSpec is newInsightsEnv for the sandbox account spec.
func newInsightsEnvSpec(t testing.TB, fake *igsynctest.FakeInsights, spec sandbox.AccountSpec) *insightsEnv {
	t.Helper()
	c := &clock{t: time.Now().UTC()}
	fake.Now, fake.Usage = c.now, &igsync.UsageBook{}
	h := igsynctest.New(t, igsynctest.Options{
		NoPool: true, EmptyPageEvery: -1, Insights: fake, InsightsNow: c.now, Usage: fake.Usage,
		Accounts: []sandbox.AccountSpec{spec},
	})
	e := &insightsEnv{h: h, fake: fake, clock: c, token: h.Register()}
	h.MustConnect(e.token, insightsIG)
	e.posts = h.Sandbox.Account(insightsIG).Posts()
	if fake.Types == nil {
		fake.Types = map[string]string{}
	}
	for _, p := range e.posts {
		if _, ok := fake.Types[p.ID]; !ok {
			fake.Types[p.ID] = p.MediaProductType
		}
	}
	if err := h.DB.QueryRow(`SELECT id FROM instagram_accounts WHERE ig_user_id = $1`, insightsIG).Scan(&e.account); err != nil {
		t.Fatal(err)
	}
	if err := e.run(t, igsync.KindFetchPosts); err != nil {
		t.Fatalf("fetch: %v", err)
	}
	// New posts are due at the database's now(): the clock starts after it.
	c.set(time.Now().UTC().Add(time.Second).Truncate(time.Microsecond))
	return e
}

// run claims the queued job of kind (enqueued now when none is) and runs
// its handler once, as a worker would.
func (e *insightsEnv) run(t testing.TB, kind string) error {
	t.Helper()
	return e.runCtx(t, context.Background(), kind)
}

func (e *insightsEnv) runCtx(t testing.TB, ctx context.Context, kind string) error {
	t.Helper()
	if _, err := e.h.Jobs.Enqueue(context.Background(), kind, e.account, time.Now(), 5); err != nil {
		t.Fatal(err)
	}
	e.h.Exec(`UPDATE jobs SET run_at = now() WHERE kind = $1 AND state = 'queued'`, kind)
	var job postgres.Job
	for {
		j, ok, err := e.h.Jobs.Claim(context.Background(), "test", time.Minute)
		if err != nil || !ok {
			t.Fatalf("claim %s: %v %v", kind, ok, err)
		}
		if j.Kind == kind {
			job = j
			break
		}
		e.h.Exec(`UPDATE jobs SET state = 'done' WHERE id = $1`, j.ID) // another kind: not this test's
	}
	err := e.h.Service.Handlers()[kind](ctx, job)
	e.h.Exec(`UPDATE jobs SET state = 'done', locked_by = NULL WHERE id = $1`, job.ID)
	return err
}

// stored reads the latest insights columns of the post with ig id.
type storedInsights struct {
	captured                                         sql.NullTime
	views, reach, saved, shares, ti, follows, visits sql.NullInt64
	reposts, avgWatch, totalWatch                    sql.NullInt64
	skip                                             sql.NullFloat64
	product, thumb, mediaURL                         sql.NullString
	history                                          int
	due                                              sql.NullTime
}

func (e *insightsEnv) stored(t testing.TB, igID string) storedInsights {
	t.Helper()
	var s storedInsights
	err := e.h.DB.QueryRow(`SELECT p.insights_captured_at, p.views, p.reach, p.saved, p.shares, p.total_interactions,
			p.follows, p.profile_visits, p.reposts, p.avg_watch_time_ms, p.total_watch_time_ms, p.skip_rate,
			p.media_product_type, p.thumbnail_url, p.media_url,
			(SELECT count(*) FROM instagram_post_insights h WHERE h.post_id = p.id), d.due_at
		FROM instagram_posts p JOIN instagram_post_insights_due d ON d.post_id = p.id
		WHERE p.ig_post_id = $1`, igID).Scan(&s.captured, &s.views, &s.reach, &s.saved, &s.shares, &s.ti,
		&s.follows, &s.visits, &s.reposts, &s.avgWatch, &s.totalWatch, &s.skip, &s.product, &s.thumb, &s.mediaURL,
		&s.history, &s.due)
	if err != nil {
		t.Fatalf("stored %s: %v", igID, err)
	}
	return s
}

func wantMetric(t *testing.T, post, name string, got sql.NullInt64, want bool) {
	t.Helper()
	switch {
	case want && (!got.Valid || float64(got.Int64) != igsynctest.FakeValue(post, igsyncName(name))):
		t.Errorf("post %s: %s = %v, want %v", post, name, got, igsynctest.FakeValue(post, igsyncName(name)))
	case !want && got.Valid:
		t.Errorf("post %s: %s = %d, want NULL", post, name, got.Int64)
	}
}

// igsyncName is the Instagram metric behind a column.
func igsyncName(column string) string {
	switch column {
	case "avg_watch_time_ms":
		return "ig_reels_avg_watch_time"
	case "total_watch_time_ms":
		return "ig_reels_video_view_total_time"
	}
	return column
}

func TestReadInsights_MetricsPerType(t *testing.T) {
	now := time.Now().UTC()
	posts := []sandbox.Post{
		{Caption: "image", MediaType: "IMAGE", Timestamp: now.Add(-3 * time.Hour)},
		{Caption: "carousel", MediaType: "CAROUSEL_ALBUM", Timestamp: now.Add(-4 * 24 * time.Hour)},
		{Caption: "reel", MediaType: "VIDEO", MediaProductType: "REELS", Timestamp: now.Add(-10 * 24 * time.Hour)},
		// No media_product_type sent: a reel by its permalink.
		{Caption: "reel by link", MediaType: "VIDEO", Permalink: "/reel/Cx1/", Timestamp: now.Add(-40 * 24 * time.Hour),
			Override: map[string]any{"media_product_type": nil}},
		// A feed video, sent without product type: FEED.
		{Caption: "feed video", MediaType: "VIDEO", Timestamp: now.Add(-200 * 24 * time.Hour),
			Override: map[string]any{"media_product_type": nil}},
	}
	fake := &igsynctest.FakeInsights{}
	e := newInsightsEnv(t, fake, posts)
	byCaption := map[string]sandbox.Post{}
	for _, p := range e.posts {
		byCaption[p.Caption] = p
	}
	// What the fake is told of the types is what Instagram knows.
	fake.Types[byCaption["reel by link"].ID] = "REELS"
	fake.Types[byCaption["feed video"].ID] = "FEED"

	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatalf("read insights: %v", err)
	}
	feed := []string{"views", "reach", "saved", "shares", "total_interactions", "follows", "profile_visits", "reposts"}
	for caption, c := range map[string]struct {
		reels   bool
		product string // stored as sent
		calls   int
		due     time.Duration // from the reading; 0: never again
	}{
		"image":        {false, "FEED", 4, time.Hour},
		"carousel":     {false, "FEED", 4, 6 * time.Hour},
		"reel":         {true, "REELS", 5, 24 * time.Hour},
		"reel by link": {true, "", 5, 7 * 24 * time.Hour},
		"feed video":   {false, "", 4, 0},
	} {
		p := byCaption[caption]
		s := e.stored(t, p.ID)
		if !s.captured.Valid || s.history != 1 {
			t.Errorf("%s: captured %v, %d history rows, want a reading and 1 row", caption, s.captured, s.history)
		}
		for i, v := range []sql.NullInt64{s.views, s.reach, s.saved, s.shares, s.ti, s.follows, s.visits, s.reposts} {
			wantMetric(t, p.ID, feed[i], v, true)
		}
		wantMetric(t, p.ID, "avg_watch_time_ms", s.avgWatch, c.reels)
		wantMetric(t, p.ID, "total_watch_time_ms", s.totalWatch, c.reels)
		if c.reels != s.skip.Valid || (c.reels && s.skip.Float64 != igsynctest.FakeValue(p.ID, "reels_skip_rate")) {
			t.Errorf("%s: skip_rate = %v, want reels only", caption, s.skip)
		}
		if got := s.product.String; got != c.product {
			t.Errorf("%s: media_product_type stored %q, want %q as sent", caption, got, c.product)
		}
		if got := fake.CallsFor(p.ID, ""); got != c.calls {
			t.Errorf("%s: %d calls, want %d (core + each optional alone)", caption, got, c.calls)
		}
		switch {
		case c.due == 0 && s.due.Valid:
			t.Errorf("%s: next reading %v, want none (older than 90 days, read once)", caption, s.due.Time)
		case c.due != 0 && (!s.due.Valid || !s.due.Time.Equal(s.captured.Time.Add(c.due))):
			t.Errorf("%s: next reading %v, want %v after the reading", caption, s.due, c.due)
		}
	}
	// URLs as sent: the videos have a thumbnail and no media_url.
	if s := e.stored(t, byCaption["reel"].ID); s.mediaURL.Valid || !s.thumb.Valid {
		t.Errorf("reel: media_url %v, thumbnail_url %v, want NULL and the thumbnail", s.mediaURL, s.thumb)
	}
	if s := e.stored(t, byCaption["image"].ID); !s.mediaURL.Valid || s.thumb.Valid {
		t.Errorf("image: media_url %v, thumbnail_url %v, want the URL and NULL", s.mediaURL, s.thumb)
	}

	// The posts endpoint: the fallback type, and the insights object.
	res := e.h.Do(http.MethodGet, "/api/instagram/posts", e.token, nil)
	for _, raw := range res.Body["posts"].([]any) {
		p := raw.(map[string]any)
		want := map[string]string{"reel": "REELS", "reel by link": "REELS", "feed video": "FEED", "image": "FEED", "carousel": "FEED"}[p["caption"].(string)]
		if p["media_product_type"] != want {
			t.Errorf("%s: media_product_type = %v, want %s", p["caption"], p["media_product_type"], want)
		}
		ins, _ := p["insights"].(map[string]any)
		if ins == nil || ins["views"] == nil || ins["captured_at"] == nil {
			t.Errorf("%s: insights = %v", p["caption"], p["insights"])
		}
	}

	// Nothing is due yet: a second run reads nothing.
	before := len(fake.Calls())
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	if got := len(fake.Calls()); got != before {
		t.Errorf("a run with nothing due made %d calls", got-before)
	}
	// An hour later only the youngest post is due.
	e.clock.advance(time.Hour + time.Second)
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	if got, want := len(fake.Calls())-before, 4; got != want {
		t.Errorf("an hour later: %d calls, want %d (the 3-hour-old post only):\n%s", got, want, fake)
	}
	if s := e.stored(t, byCaption["image"].ID); s.history != 2 {
		t.Errorf("image: %d readings, want 2", s.history)
	}
}

func TestReadInsights_Refusals(t *testing.T) {
	now := time.Now().UTC()
	var posts []sandbox.Post
	for i := range 3 {
		posts = append(posts, sandbox.Post{Caption: "feed", MediaType: "IMAGE", Timestamp: now.Add(-time.Duration(i+1) * time.Hour)})
		posts = append(posts, sandbox.Post{Caption: "reel", MediaType: "VIDEO", MediaProductType: "REELS",
			Timestamp: now.Add(-time.Duration(i+1)*time.Hour - time.Minute)})
	}
	fake := &igsynctest.FakeInsights{Refuse: map[string][]string{"FEED": {"follows"}, "REELS": {"profile_visits", "reels_skip_rate"}}}
	e := newInsightsEnv(t, fake, posts)
	day := e.clock.now()
	// Keep the walk inside one UTC day, then cross into the next.
	e.clock.set(time.Date(day.Year(), day.Month(), day.Day(), 1, 0, 0, 0, time.UTC))
	e.h.Exec(`UPDATE instagram_post_insights_due SET due_at = $1`, e.clock.now())

	count := func(typ, metric string) int {
		n := 0
		for _, p := range e.posts {
			if p.MediaProductType == typ {
				n += fake.CallsFor(p.ID, metric)
			}
		}
		return n
	}
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		typ, metric string
		want        int
	}{
		{"FEED", "follows", 1}, {"FEED", "profile_visits", 3}, {"FEED", "reposts", 3},
		{"REELS", "follows", 3}, {"REELS", "profile_visits", 1}, {"REELS", "reels_skip_rate", 1},
		{"REELS", "views", 3},
	} {
		if got := count(c.typ, c.metric); got != c.want {
			t.Errorf("%s %s: asked %d times, want %d", c.typ, c.metric, got, c.want)
		}
	}
	if got := e.h.Int(`SELECT count(*) FROM instagram_metric_refusals WHERE account_id = $1 AND refused_on = $2::date`,
		e.account, e.clock.now().Format(time.DateOnly)); got != 3 {
		t.Errorf("%d refusals stored, want 3", got)
	}
	for _, p := range e.posts {
		s := e.stored(t, p.ID)
		if p.MediaProductType == "FEED" && (s.follows.Valid || !s.visits.Valid || !s.views.Valid) {
			t.Errorf("feed %s: follows %v, profile_visits %v, views %v: a refusal loses only its metric", p.ID, s.follows, s.visits, s.views)
		}
		if p.MediaProductType == "REELS" && (s.visits.Valid || s.skip.Valid || !s.follows.Valid || !s.avgWatch.Valid) {
			t.Errorf("reel %s: profile_visits %v, skip_rate %v, follows %v", p.ID, s.visits, s.skip, s.follows)
		}
	}

	// Later the same day: the refused metrics are not asked again.
	e.clock.advance(2 * time.Hour)
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	if got := count("FEED", "follows"); got != 1 {
		t.Errorf("same day: feed follows asked %d times in all, want 1", got)
	}
	if got := count("FEED", "views"); got != 6 {
		t.Errorf("same day: feed core asked %d times, want 6 (two readings of 3 posts)", got)
	}
	// A new day: asked once more.
	e.clock.advance(24 * time.Hour)
	e.h.Exec(`UPDATE instagram_post_insights_due SET due_at = $1`, e.clock.now())
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	if got := count("FEED", "follows"); got != 2 {
		t.Errorf("next day: feed follows asked %d times in all, want 2", got)
	}
}

func TestReadInsights_NotAvailable(t *testing.T) {
	now := time.Now().UTC()
	posts := []sandbox.Post{
		{Caption: "ok", Timestamp: now.Add(-time.Hour)},
		{Caption: "few viewers", Timestamp: now.Add(-2 * time.Hour)},
		{Caption: "empty", Timestamp: now.Add(-3 * time.Hour)},
	}
	fake := &igsynctest.FakeInsights{Suppressed: map[string]bool{}, Empty: map[string]bool{}}
	e := newInsightsEnv(t, fake, posts)
	ids := map[string]string{}
	for _, p := range e.posts {
		ids[p.Caption] = p.ID
	}
	fake.Suppressed[ids["few viewers"]] = true
	fake.Empty[ids["empty"]] = true
	version := func() int { return e.h.Int(`SELECT data_version FROM instagram_accounts WHERE id = $1`, e.account) }

	v0 := version()
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatalf("#10 and empty answers are not failures: %v", err)
	}
	if version() == v0 {
		t.Error("a stored reading did not advance data_version")
	}
	for caption, wantCalls := range map[string]int{"ok": 4, "few viewers": 1, "empty": 1} {
		s := e.stored(t, ids[caption])
		if got := fake.CallsFor(ids[caption], ""); got != wantCalls {
			t.Errorf("%s: %d calls, want %d", caption, got, wantCalls)
		}
		if caption != "ok" && (s.captured.Valid || s.history != 0 || s.views.Valid) {
			t.Errorf("%s: captured %v, %d history rows: want nothing stored (not 0)", caption, s.captured, s.history)
		}
		if !s.due.Valid || !s.due.Time.After(e.clock.now()) {
			t.Errorf("%s: next reading %v, want one on the ladder", caption, s.due)
		}
	}
	res := e.h.Do(http.MethodGet, "/api/instagram/posts", e.token, nil)
	for _, raw := range res.Body["posts"].([]any) {
		p := raw.(map[string]any)
		if (p["insights"] == nil) != (p["caption"] != "ok") {
			t.Errorf("%s: insights = %v", p["caption"], p["insights"])
		}
	}

	// The read post becomes #10 and empty later: its latest reading stays,
	// and nothing new advances data_version.
	fake.Suppressed[ids["ok"]] = true
	before := e.stored(t, ids["ok"])
	e.clock.advance(time.Hour + time.Second)
	v1 := version()
	if err := e.run(t, igsync.KindReadInsights); err != nil {
		t.Fatal(err)
	}
	after := e.stored(t, ids["ok"])
	if !after.captured.Time.Equal(before.captured.Time) || after.views != before.views || after.history != 1 {
		t.Errorf("after #10: captured %v → %v, views %v → %v, %d rows: want the latest kept", before.captured.Time,
			after.captured.Time, before.views, after.views, after.history)
	}
	if version() != v1 {
		t.Error("readings that stored nothing advanced data_version")
	}
}

// TestEnqueueDueInsights_AtTheReadingsTime: the insights schedule gives an
// account a job due when its earliest post comes due before the next look,
// none when that is later, and a job due now for an overdue post.
func TestEnqueueDueInsights_AtTheReadingsTime(t *testing.T) {
	t.Parallel()
	e := newInsightsEnvSpec(t, &igsynctest.FakeInsights{}, sandbox.AccountSpec{UserID: insightsIG, Posts: 3})
	now := e.clock.now()
	runAt := func(dueIn time.Duration) (time.Time, bool) {
		t.Helper()
		e.h.Exec(`DELETE FROM jobs WHERE kind = $1`, igsync.KindReadInsights)
		e.h.Exec(`UPDATE instagram_post_insights_due SET due_at = $1::timestamptz + interval '30 days'`, now)
		e.h.Exec(`UPDATE instagram_post_insights_due SET due_at = $1
			WHERE post_id = (SELECT id FROM instagram_posts ORDER BY posted_at LIMIT 1)`, now.Add(dueIn))
		if err := e.h.Service.EnqueueDueInsights(context.Background()); err != nil {
			t.Fatal(err)
		}
		var at time.Time
		err := e.h.DB.QueryRow(`SELECT run_at FROM jobs WHERE kind = $1 AND state = 'queued'`, igsync.KindReadInsights).Scan(&at)
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, false
		} else if err != nil {
			t.Fatal(err)
		}
		return at, true
	}
	for _, tc := range []struct {
		dueIn time.Duration
		want  time.Duration // the job's run_at after now; -1: no job
	}{
		{2 * time.Minute, 2 * time.Minute},
		{igsync.InsightsEvery, igsync.InsightsEvery},
		{igsync.InsightsEvery + time.Second, -1},
		{0, 0},
		{-time.Hour, 0},
	} {
		at, ok := runAt(tc.dueIn)
		switch {
		case tc.want < 0 && ok:
			t.Errorf("due in %s: a job at %s, want none before the next look", tc.dueIn, at.Sub(now))
		case tc.want >= 0 && !ok:
			t.Errorf("due in %s: no job, want one", tc.dueIn)
		case tc.want >= 0 && !at.Equal(now.Add(tc.want)):
			t.Errorf("due in %s: job at now%+v, want now%+v", tc.dueIn, at.Sub(now), tc.want)
		}
	}
}

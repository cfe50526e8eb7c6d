package instagram

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

// spanRecorder records the since/until of every insights request.
type spanRecorder struct {
	next  http.RoundTripper
	mu    sync.Mutex
	spans []time.Duration
}

func (s *spanRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	if q.Has("since") {
		a, _ := strconv.ParseInt(q.Get("since"), 10, 64)
		b, _ := strconv.ParseInt(q.Get("until"), 10, 64)
		s.mu.Lock()
		s.spans = append(s.spans, time.Duration(b-a)*time.Second)
		s.mu.Unlock()
	}
	return s.next.RoundTrip(r)
}

func TestSplitSpan(t *testing.T) {
	base := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	if got := SplitSpan(base, base); len(got) != 0 {
		t.Errorf("empty window: %v", got)
	}
	if got := SplitSpan(base, base.Add(-time.Hour)); len(got) != 0 {
		t.Errorf("reversed window: %v", got)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		since := base.Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))
		until := since.Add(time.Duration(rng.Int64N(int64(200*24*time.Hour))) + time.Second)
		spans := SplitSpan(since, until)
		if !spans[0].Since.Equal(since) || !spans[len(spans)-1].Until.Equal(until) {
			t.Fatalf("spans %v do not cover [%v, %v)", spans, since, until)
		}
		for i, sp := range spans {
			if d := sp.Until.Sub(sp.Since); d <= 0 || d > MaxInsightsSpan {
				t.Fatalf("span %d lasts %v", i, d)
			}
			if i > 0 && !sp.Since.Equal(spans[i-1].Until) {
				t.Fatalf("gap between spans %d and %d", i-1, i)
			}
		}
		if want := int((until.Sub(since) + MaxInsightsSpan - 1) / MaxInsightsSpan); len(spans) != want {
			t.Fatalf("%d spans for %v, want %d", len(spans), until.Sub(since), want)
		}
	}
}

func TestPacificDays(t *testing.T) {
	// 2026-03-08 is the spring-forward day in Los Angeles: 23 hours long.
	since := time.Date(2026, 3, 6, 20, 0, 0, 0, time.UTC)
	until := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	days := PacificDays(since, until)
	if len(days) != 4 {
		t.Fatalf("days = %v", days)
	}
	for _, d := range days {
		if p := d.Since.In(Pacific()); p.Hour() != 0 || p.Minute() != 0 {
			t.Errorf("day starts at %v Pacific", p)
		}
	}
	if got := days[2].Until.Sub(days[2].Since); got != 23*time.Hour {
		t.Errorf("March 8 lasts %v, want 23h", got)
	}
	if got, want := pacificDate(time.Date(2026, 7, 9, 7, 0, 0, 0, time.UTC)), "2026-07-08"; got != want {
		t.Errorf("pacificDate(summer end_time) = %s, want %s", got, want)
	}
	if got, want := pacificDate(time.Date(2026, 1, 9, 8, 0, 0, 0, time.UTC)), "2026-01-08"; got != want {
		t.Errorf("pacificDate(winter end_time) = %s, want %s", got, want)
	}
}

func accountEnv(t *testing.T, opts sandbox.Options) (*env, *spanRecorder) {
	t.Helper()
	rec := &spanRecorder{next: http.DefaultTransport}
	e := newEnvOpts(t, opts, nil, func(c *Config) { c.HTTPClient = &http.Client{Transport: rec, Timeout: 5 * time.Second} })
	return e, rec
}

const (
	creatorID = "17841400000000001" // 1,240 followers
	newbieID  = "17841400000000003" // 64 followers
)

func TestAccountReach_SpansAndDays(t *testing.T) {
	e, rec := accountEnv(t, sandbox.Options{})
	tok := e.longToken(t, creatorID)
	now := e.clock.Now()
	until := PacificMidnight(now)
	since := until.AddDate(0, 0, -95)
	got, err := e.client.AccountReach(context.Background(), tok, creatorID, since, until)
	if err != nil {
		t.Fatalf("AccountReach: %v", err)
	}
	if len(rec.spans) != 4 {
		t.Errorf("%d requests for 95 days, want 4", len(rec.spans))
	}
	for _, d := range rec.spans {
		if d > MaxInsightsSpan {
			t.Errorf("a request spans %v", d)
		}
	}
	// Instagram keeps 90 days: the oldest days are missing, the rest are consecutive.
	if len(got) < 88 || len(got) > 90 {
		t.Errorf("%d days, want about 90", len(got))
	}
	for i := 1; i < len(got); i++ {
		prev, _ := time.Parse(time.DateOnly, got[i-1].Date)
		cur, _ := time.Parse(time.DateOnly, got[i].Date)
		if cur.Sub(prev) != 24*time.Hour {
			t.Fatalf("days %s and %s are not consecutive", got[i-1].Date, got[i].Date)
		}
	}
	last := got[len(got)-1]
	if want := PacificMidnight(now).AddDate(0, 0, -1).Format(time.DateOnly); last.Date != want {
		t.Errorf("last day %s, want yesterday %s", last.Date, want)
	}
	if last.EndTime.UTC().Hour() != 8 {
		t.Errorf("winter end_time %v, want 08:00 UTC", last.EndTime)
	}

	// A total over more than 30 days is refused before any call.
	n := len(rec.spans)
	if _, _, err := e.client.AccountTotal(context.Background(), tok, creatorID, "reach", "", since, until); !errors.Is(err, ErrSpanTooLong) {
		t.Errorf("AccountTotal over 95 days: %v, want ErrSpanTooLong", err)
	}
	if len(rec.spans) != n {
		t.Error("AccountTotal over 95 days called Instagram")
	}
	// Daily reach is not additive: the span's total is below the days' sum.
	window := PacificDays(until.AddDate(0, 0, -7), until)
	total, _, err := e.client.AccountTotal(context.Background(), tok, creatorID, "reach", "", window[0].Since, window[len(window)-1].Until)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, d := range got[len(got)-7:] {
		sum += d.Value
	}
	if *total >= sum {
		t.Errorf("7-day reach %d not below the sum of days %d", *total, sum)
	}
}

func TestAccount_SpanTooLongError(t *testing.T) {
	e, _ := accountEnv(t, sandbox.Options{})
	tok := e.longToken(t, creatorID)
	// The sandbox refuses a window over 30 days as Instagram does.
	req := e.srv.URL + "/v25.0/me/insights?metric=reach&period=day&since=1700000000&until=" + strconv.Itoa(1700000000+2592001) + "&access_token=" + tok
	resp, err := http.Get(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("status %d", resp.StatusCode)
	}
	// And the fault gives the same answer to a client request.
	e.sb.InjectFault(withTimes(sandbox.FaultSpanTooLong(), 1))
	_, err = e.client.AccountReach(context.Background(), tok, creatorID, e.clock.Now().Add(-72*time.Hour), e.clock.Now())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 100 || apiErr.Message != sandbox.MsgSpanTooLong {
		t.Errorf("err = %v", err)
	}
}

func TestAccount_FollowerLedger(t *testing.T) {
	e, _ := accountEnv(t, sandbox.Options{LiveFollowers: true})
	tok := e.longToken(t, creatorID)
	ctx := context.Background()
	before, err := e.client.Me(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * 24 * time.Hour)
	tok = e.longToken(t, creatorID)
	after, err := e.client.Me(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	days := PacificDays(PacificMidnight(now).AddDate(0, 0, -10), PacificMidnight(now))
	gained, err := e.client.AccountFollowerCount(ctx, tok, creatorID, days[0].Since, days[len(days)-1].Until)
	if err != nil {
		t.Fatalf("AccountFollowerCount: %v", err)
	}
	if len(gained) != len(days) {
		t.Fatalf("%d follower_count values for %d days", len(gained), len(days))
	}
	var net int64
	for i, d := range days {
		fc, err := e.client.AccountFollowsAndUnfollows(ctx, tok, creatorID, d.Since, d.Until)
		if err != nil {
			t.Fatalf("day %d: %v", i, err)
		}
		if *fc.Follows != gained[i].Value {
			t.Errorf("%s: follows %d, follower_count %d", gained[i].Date, *fc.Follows, gained[i].Value)
		}
		net += *fc.Follows - *fc.Unfollows
		views, err := e.client.AccountViews(ctx, tok, creatorID, d.Since, d.Until)
		if err != nil || *views <= 0 {
			t.Errorf("views of %s: %v, %v", gained[i].Date, views, err)
		}
	}
	// The account was created on the first of the 10 Pacific days (March 1,
	// which holds the DST change of March 8 later on): followers_count moved by
	// exactly the ledger of those days, each counted once it ended.
	if got := int64(after.FollowersCount - before.FollowersCount); got != net {
		t.Errorf("followers_count moved by %d, the ledger by %d", got, net)
	}
	if net <= 0 {
		t.Errorf("net followers over 10 days = %d, want growth", net)
	}
	// The daily helpers give the same days, one call each.
	views, err := e.client.AccountDailyViews(ctx, tok, creatorID, days[0].Since, days[len(days)-1].Until)
	if err != nil || len(views) != len(days) {
		t.Fatalf("AccountDailyViews: %d days, %v", len(views), err)
	}
	follows, err := e.client.AccountDailyFollows(ctx, tok, creatorID, days[0].Since, days[len(days)-1].Until)
	if err != nil || len(follows) != len(days) {
		t.Fatalf("AccountDailyFollows: %d days, %v", len(follows), err)
	}
	var net2 int64
	for i := range days {
		if views[i].Date != gained[i].Date || follows[i].Date != gained[i].Date || !views[i].EndTime.Equal(gained[i].EndTime) {
			t.Errorf("day %d: views %s (%v), follows %s, follower_count %s (%v)", i, views[i].Date, views[i].EndTime,
				follows[i].Date, gained[i].Date, gained[i].EndTime)
		}
		net2 += *follows[i].Follows - *follows[i].Unfollows
	}
	if net2 != net {
		t.Errorf("AccountDailyFollows net %d, per-day calls %d", net2, net)
	}
	// follower_count beyond the last 30 days is refused.
	_, err = e.client.AccountFollowerCount(ctx, tok, creatorID, now.AddDate(0, 0, -45), now.AddDate(0, 0, -20))
	if !errors.Is(err, ErrMetricRefused) {
		t.Errorf("45 days back: %v", err)
	}
}

func TestOnlineFollowers(t *testing.T) {
	e, _ := accountEnv(t, sandbox.Options{})
	tok := e.longToken(t, creatorID)
	days, err := e.client.OnlineFollowers(context.Background(), tok, creatorID)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 7 {
		t.Fatalf("%d days, want 7", len(days))
	}
	if len(days[6].Hours) != 0 {
		t.Errorf("today has %d hours, want none yet", len(days[6].Hours))
	}
	if _, ok := days[0].Hours[3]; ok || len(days[0].Hours) != 23 {
		t.Errorf("oldest day has %d hours (hour 3 present: %v), want 23 without hour 3", len(days[0].Hours), ok)
	}
	for _, d := range days[1:6] {
		if len(d.Hours) != 24 {
			t.Errorf("%s: %d hours", d.Date, len(d.Hours))
		}
		if p := d.EndTime.In(Pacific()); p.Hour() != 0 {
			t.Errorf("end_time %v is not Pacific midnight", d.EndTime)
		}
		peak, low := 0, 0
		for h, v := range d.Hours {
			if v > d.Hours[peak] {
				peak = h
			}
			if v < d.Hours[low] {
				low = h
			}
		}
		if peak < 15 || d.Hours[peak] <= d.Hours[low] {
			t.Errorf("%s: peak at %d Pacific (%d vs %d)", d.Date, peak, d.Hours[peak], d.Hours[low])
		}
	}
}

func TestDemographics(t *testing.T) {
	e, _ := accountEnv(t, sandbox.Options{})
	tok := e.longToken(t, creatorID)
	ctx := context.Background()
	for _, metric := range []string{AccountMetricFollowerDemographic, AccountMetricEngagedDemographic} {
		for _, b := range DemographicBreakdowns {
			rows, err := e.client.Demographics(ctx, tok, creatorID, metric, b, TimeframeThisMonth)
			if err != nil {
				t.Fatalf("%s by %s: %v", metric, b, err)
			}
			if len(rows) == 0 || len(rows) > 45 {
				t.Errorf("%s by %s: %d rows", metric, b, len(rows))
			}
			var sum int64
			for i, r := range rows {
				sum += r.Value
				if i > 0 && (r.Value > rows[i-1].Value || r.Value == rows[i-1].Value && r.Key < rows[i-1].Key) {
					t.Errorf("%s by %s: rows not sorted at %d", metric, b, i)
				}
			}
			if metric == AccountMetricFollowerDemographic && b != BreakdownCountry && b != BreakdownCity &&
				(sum < 1200 || sum > 1280) {
				t.Errorf("%s by %s sums to %d, want about 1,240 followers", metric, b, sum)
			}
		}
	}
	rows, _ := e.client.Demographics(ctx, tok, creatorID, AccountMetricFollowerDemographic, BreakdownCountry, TimeframeThisMonth)
	if len(rows) != 45 {
		t.Errorf("countries: %d rows, want the top 45", len(rows))
	}
	rows, _ = e.client.Demographics(ctx, tok, creatorID, AccountMetricFollowerDemographic, BreakdownAge, TimeframeThisMonth)
	if rows[0].Key != "25-34" {
		t.Errorf("largest age bucket %q", rows[0].Key)
	}
	if _, err := e.client.Demographics(ctx, tok, creatorID, AccountMetricFollowerDemographic, BreakdownAge, "last_30_days"); !errors.Is(err, ErrMetricRefused) {
		t.Errorf("unsupported timeframe: %v", err)
	}
}

func TestAccount_UnderHundredFollowers(t *testing.T) {
	e, _ := accountEnv(t, sandbox.Options{})
	tok := e.longToken(t, newbieID)
	ctx := context.Background()
	now := e.clock.Now()
	until := PacificMidnight(now)
	since := until.AddDate(0, 0, -7)
	if _, err := e.client.AccountFollowerCount(ctx, tok, newbieID, since, until); !errors.Is(err, ErrNotAvailable) {
		t.Errorf("follower_count: %v, want ErrNotAvailable", err)
	}
	if _, err := e.client.OnlineFollowers(ctx, tok, newbieID); !errors.Is(err, ErrNotAvailable) {
		t.Errorf("online_followers: %v, want ErrNotAvailable", err)
	}
	for _, m := range []string{AccountMetricFollowerDemographic, AccountMetricEngagedDemographic} {
		if _, err := e.client.Demographics(ctx, tok, newbieID, m, BreakdownAge, TimeframeThisMonth); !errors.Is(err, ErrNotAvailable) {
			t.Errorf("%s: %v, want ErrNotAvailable", m, err)
		}
	}
	// Reach and views still work.
	if r, err := e.client.AccountReach(ctx, tok, newbieID, since, until); err != nil || len(r) != 7 {
		t.Errorf("reach: %d days, %v", len(r), err)
	}
	if v, err := e.client.AccountViews(ctx, tok, newbieID, since, until); err != nil || *v <= 0 {
		t.Errorf("views: %v, %v", v, err)
	}
}

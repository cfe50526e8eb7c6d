package instagram

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

func TestReadUsage(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name     string
		app, buc string
		ok       bool
		want     map[string]Usage // by business id, ObservedAt left out
		max      int
	}{
		{name: "PerBusiness", buc: `{"17841400000000001":[{"type":"instagram","call_count":91,"total_cputime":12,"total_time":30,"estimated_time_to_regain_access":0}],` +
			`"17841400000000002":[{"type":"instagram","call_count":"100","total_cputime":5,"total_time":101,"estimated_time_to_regain_access":"14"}]}`,
			ok: true, max: 101, want: map[string]Usage{
				"17841400000000001": {BusinessCallCount: 91, BusinessTotalCPUTime: 12, BusinessTotalTime: 30},
				"17841400000000002": {BusinessCallCount: 100, BusinessTotalCPUTime: 5, BusinessTotalTime: 101, RegainAccess: 14 * time.Minute},
			}},
		{name: "SeveralEntriesTakeTheMax", buc: `{"1":[{"type":"pages","call_count":10},{"type":"instagram","call_count":40,"estimated_time_to_regain_access":3}]}`,
			ok: true, max: 40, want: map[string]Usage{"1": {BusinessCallCount: 40, RegainAccess: 3 * time.Minute}}},
		{name: "AppOnly", app: `{"call_count":28,"total_time":25,"total_cputime":9}`, ok: true, max: 28},
		{name: "AppMergedIntoEachBusiness", app: `{"call_count":50}`, buc: `{"7":[{"call_count":5}]}`, ok: true, max: 50,
			want: map[string]Usage{"7": {AppCallCount: 50, BusinessCallCount: 5}}},
		{name: "Malformed", app: `{"call_count":`, buc: `[1,2]`, ok: false},
		{name: "WrongTypes", buc: `{"1":[{"call_count":"many","total_time":null,"estimated_time_to_regain_access":-5,"total_cputime":{"a":1}}]}`,
			ok: true, want: map[string]Usage{"1": {}}},
		{name: "HugeRegain", buc: `{"1":[{"estimated_time_to_regain_access":1e300}]}`, ok: true,
			want: map[string]Usage{"1": {RegainAccess: maxUsageFigure * time.Minute}}},
		{name: "None", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.app != "" {
				h.Set("X-App-Usage", tt.app)
			}
			if tt.buc != "" {
				h.Set("X-Business-Use-Case-Usage", tt.buc)
			}
			r := readUsage(h, now)
			if r.ok != tt.ok {
				t.Fatalf("ok = %v, want %v", r.ok, tt.ok)
			}
			if got := r.merged.Max(); got != tt.max {
				t.Errorf("Max = %d, want %d", got, tt.max)
			}
			if got, want := r.merged.ShouldPause(), tt.max >= 90 || r.merged.RegainAccess > 0; got != want {
				t.Errorf("ShouldPause = %v, want %v", got, want)
			}
			if len(r.byBusiness) != len(tt.want) {
				t.Fatalf("byBusiness = %+v, want %+v", r.byBusiness, tt.want)
			}
			for id, want := range tt.want {
				got := r.byBusiness[id]
				got.ObservedAt = time.Time{}
				if got != want {
					t.Errorf("%s = %+v, want %+v", id, got, want)
				}
			}
		})
	}
}

func FuzzReadUsage(f *testing.F) {
	for _, s := range []string{`{"1":[{"call_count":91,"estimated_time_to_regain_access":3}]}`, `{"call_count":28}`,
		`{"1":[{"call_count":"9e99"}]}`, `{"1":null}`, `{"1":[null]}`, `[]`, ``, `{`} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, app, buc string) {
		h := http.Header{}
		h.Set("X-App-Usage", app)
		h.Set("X-Business-Use-Case-Usage", buc)
		r := readUsage(h, time.Now())
		for _, u := range append([]Usage{r.merged}, mapValues(r.byBusiness)...) {
			if u.Max() < 0 || u.RegainAfter() < 0 || u.Max() > maxUsageFigure {
				t.Fatalf("usage %+v out of range for %q / %q", u, app, buc)
			}
		}
	})
}

func mapValues(m map[string]Usage) []Usage {
	out := make([]Usage, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// usageLog collects OnUsage reports.
type usageLog struct {
	mu   sync.Mutex
	byID map[string][]Usage
}

func (l *usageLog) add(id string, u Usage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byID == nil {
		l.byID = map[string][]Usage{}
	}
	l.byID[id] = append(l.byID[id], u)
}

func (l *usageLog) count(id string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.byID[id])
}

func (l *usageLog) last(id string) Usage {
	l.mu.Lock()
	defer l.mu.Unlock()
	us := l.byID[id]
	return us[len(us)-1]
}

func TestClient_OnUsageEveryAnswer(t *testing.T) {
	log := &usageLog{}
	e, tok := insightsEnv(t, func(c *Config) { c.OnUsage = log.add })
	ctx := context.Background()
	n := log.count(insightsAccount)
	if _, err := e.client.Me(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := e.collect(t, tok, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.MediaInsights(ctx, tok, "18000000000000001", []string{"views"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.OnlineFollowers(ctx, tok, ""); err != nil {
		t.Fatal(err)
	}
	if got := log.count(insightsAccount) - n; got < 4 {
		t.Errorf("OnUsage told %d times for 4+ answers", got)
	}
	// A throttled answer reports its usage too, and the error carries the regain time.
	e.sb.InjectFault(sandbox.Fault{Endpoint: sandbox.EndpointAccountInsights, Account: insightsAccount, GraphCode: 80002,
		AppUsage: 120, RegainAccess: 9 * time.Minute, Times: 1})
	_, err := e.client.OnlineFollowers(ctx, tok, insightsAccount)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !apiErr.Throttled() || apiErr.RegainAccess != 9*time.Minute {
		t.Fatalf("err = %v", err)
	}
	u := log.last(insightsAccount)
	if u.Max() != 120 || u.RegainAfter() != 9*time.Minute || !u.Exceeded() {
		t.Errorf("usage = %+v, want 120 %% and 9 minutes", u)
	}
}

func TestClient_RateLimitedSandbox(t *testing.T) {
	log := &usageLog{}
	e := newEnvOpts(t, sandbox.Options{RateLimit: 10, RateWindow: time.Hour}, nil, func(c *Config) { c.OnUsage = log.add })
	tok := e.longToken(t, creatorID)
	ctx := context.Background()
	var err error
	calls := 0
	for ; calls < 20; calls++ {
		if _, err = e.client.Me(ctx, tok); err != nil {
			break
		}
		e.clock.Advance(time.Minute)
	}
	if calls != 10 || !errors.Is(err, ErrThrottled) {
		t.Fatalf("throttled after %d calls with %v, want after 10 with ErrThrottled", calls, err)
	}
	if u := log.last(creatorID); u.BusinessCallCount < 100 || u.RegainAfter() < 50*time.Minute {
		t.Errorf("usage at the limit = %+v", u)
	}
	if w := ThrottleWait(err, 1); w < 50*time.Minute || w > time.Hour {
		t.Errorf("ThrottleWait = %v", w)
	}
	e.clock.Advance(ThrottleWait(err, 1))
	if _, err := e.client.Me(ctx, tok); err != nil {
		t.Errorf("after waiting: %v", err)
	}
	// One call left the window and this one took its place: the budget is full again.
	if u := log.last(creatorID); u.BusinessCallCount != 100 || u.RegainAfter() != 0 {
		t.Errorf("usage after one call left the window = %+v", u)
	}
}

package instagram

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

func TestClient_Retries(t *testing.T) {
	tests := []struct {
		name        string
		fault       sandbox.Fault
		wantErr     bool
		wantCalls   int
		check       func(t *testing.T, e *APIError)
		wantRetryAt time.Duration
	}{
		{name: "500TwiceThenOK", fault: sandbox.Fault{Status: 500, Times: 2}, wantCalls: 3},
		{name: "429Code4", fault: sandbox.Fault{Status: 429, GraphCode: 4, Times: 1}, wantCalls: 2},
		{name: "Code613On400", fault: sandbox.Fault{GraphCode: 613, Times: 2}, wantCalls: 3},
		{name: "Code80002", fault: sandbox.Fault{GraphCode: 80002, Times: 1}, wantCalls: 2},
		{name: "Persistent503", fault: sandbox.Fault{Status: 503}, wantErr: true, wantCalls: 4,
			check: func(t *testing.T, e *APIError) {
				if !e.Temporary() || e.HTTPStatus != 503 {
					t.Errorf("err = %+v, want temporary 503", e)
				}
			}},
		{name: "Code190NotRetried", fault: sandbox.Fault{GraphCode: 190, Subcode: 463}, wantErr: true, wantCalls: 1,
			check: func(t *testing.T, e *APIError) {
				if !e.TokenInvalid() || e.Temporary() {
					t.Errorf("err = %+v, want TokenInvalid, not Temporary", e)
				}
			}},
		{name: "Code100NotRetried", fault: sandbox.Fault{GraphCode: 100}, wantErr: true, wantCalls: 1},
		{name: "RegainAccessBeyondMaxBackoff", wantErr: true, wantCalls: 1,
			fault: sandbox.Fault{Status: 400, GraphCode: 80002, RegainAccess: 5 * time.Minute, AppUsage: 100},
			check: func(t *testing.T, e *APIError) {
				if got, want := e.RetryAfter, 5*time.Minute; got != want || !e.Throttled() {
					t.Errorf("RetryAfter = %v, want %v (throttled)", got, want)
				}
			}},
		{name: "RetryAfterBeyondMaxBackoff", wantErr: true, wantCalls: 1,
			fault: sandbox.Fault{Status: 429, RetryAfter: 2 * time.Second},
			check: func(t *testing.T, e *APIError) {
				if got, want := e.RetryAfter, 2*time.Second; got != want {
					t.Errorf("RetryAfter = %v, want %v", got, want)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			tok := e.longToken(t, "17841400000000001")
			tt.fault.Endpoint = "me"
			e.sb.InjectFault(tt.fault)
			_, err := e.client.Me(context.Background(), tok)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got, want := e.sb.Calls("me"), tt.wantCalls; got != want {
				t.Errorf("me calls = %d, want %d", got, want)
			}
			if tt.check != nil {
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want *APIError", err)
				}
				tt.check(t, apiErr)
			}
		})
	}
}

func TestClient_Timeouts(t *testing.T) {
	t.Run("RetriedThenTimeout", func(t *testing.T) {
		e := newEnv(t, nil, func(c *Config) { c.HTTPClient = &http.Client{Timeout: 50 * time.Millisecond} })
		tok := e.longToken(t, "17841400000000001")
		e.sb.InjectFault(sandbox.Fault{Endpoint: "me", Delay: time.Second})
		_, err := e.client.Me(context.Background(), tok)
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if got, want := e.sb.Calls("me"), 4; got != want {
			t.Errorf("me calls = %d, want %d", got, want)
		}
	})
	t.Run("SlowOnceThenOK", func(t *testing.T) {
		e := newEnv(t, nil, func(c *Config) { c.RequestTimeout = 50 * time.Millisecond })
		tok := e.longToken(t, "17841400000000001")
		e.sb.InjectFault(sandbox.Fault{Endpoint: "media", Delay: time.Second, Times: 1, After: 1})
		items, _, _, err := e.collect(t, tok, 0)
		if err != nil {
			t.Fatalf("Media: %v", err)
		}
		if got, want := len(items), 300; got != want {
			t.Errorf("items = %d, want %d", got, want)
		}
	})
}

func TestClient_Malformed(t *testing.T) {
	for _, endpoint := range []string{"me", "media", "long_lived"} {
		t.Run(endpoint, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			tok := e.longToken(t, "17841400000000001")
			before := e.sb.Calls(endpoint)
			e.sb.InjectFault(sandbox.Fault{Endpoint: endpoint, Malformed: true})
			var err error
			switch endpoint {
			case "me":
				_, err = e.client.Me(context.Background(), tok)
			case "media":
				_, _, _, err = e.collect(t, tok, 0)
			default:
				_, err = e.client.ExchangeLongLived(context.Background(), tok)
			}
			if !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("err = %v, want ErrMalformedResponse", err)
			}
			if got, want := e.sb.Calls(endpoint)-before, 1; got != want {
				t.Errorf("%s calls = %d, want %d", endpoint, got, want)
			}
		})
	}
}

func TestClient_Backoff(t *testing.T) {
	c := NewClient(Config{BaseBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	for attempt := range 40 {
		ceiling := min(50*time.Millisecond, 10*time.Millisecond<<min(attempt, 20))
		for range 20 {
			if d := c.backoff(attempt); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want in [0, %v]", attempt, d, ceiling)
			}
		}
	}
}

func TestParseUsage(t *testing.T) {
	h := http.Header{}
	h.Set("X-App-Usage", `{"call_count":28,"total_time":25,"total_cputime":101}`)
	h.Set("X-Business-Use-Case-Usage", `{"1784":[{"type":"instagram","call_count":7,"total_cputime":3,"total_time":9,"estimated_time_to_regain_access":0}],`+
		`"99":[{"type":"instagram","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":12}]}`)
	now := time.Now()
	got, ok := parseUsage(h, now)
	want := Usage{AppCallCount: 28, AppTotalTime: 25, AppTotalCPUTime: 101, BusinessCallCount: 100,
		BusinessTotalTime: 9, BusinessTotalCPUTime: 3, RegainAccess: 12 * time.Minute, ObservedAt: now}
	if !ok || got != want {
		t.Errorf("parseUsage = %+v, %v; want %+v", got, ok, want)
	}
	if !got.Exceeded() || got.Max() != 101 {
		t.Errorf("Exceeded = %v, Max = %d; want true, 101", got.Exceeded(), got.Max())
	}
	if _, ok := parseUsage(http.Header{}, now); ok {
		t.Error("parseUsage of no headers: ok = true")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"7", 7 * time.Second}, {"-3", 0}, {"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

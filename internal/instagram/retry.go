package instagram

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Usage is the rate-limit state Instagram reported in its usage headers. Values
// are percentages of the budget; 100 or more means the app is throttled.
type Usage struct {
	// AppCallCount, AppTotalTime and AppTotalCPUTime come from X-App-Usage.
	AppCallCount, AppTotalTime, AppTotalCPUTime int
	// BusinessCallCount, BusinessTotalTime and BusinessTotalCPUTime are the maxima
	// over the entries of X-Business-Use-Case-Usage.
	BusinessCallCount, BusinessTotalTime, BusinessTotalCPUTime int
	// RegainAccess is the largest estimated_time_to_regain_access (sent in minutes).
	RegainAccess time.Duration
	// ObservedAt is when the headers were read.
	ObservedAt time.Time
}

// Max returns the highest percentage in u.
func (u Usage) Max() int {
	return max(u.AppCallCount, u.AppTotalTime, u.AppTotalCPUTime,
		u.BusinessCallCount, u.BusinessTotalTime, u.BusinessTotalCPUTime)
}

// Exceeded reports whether any budget is used up or Instagram asked us to wait.
func (u Usage) Exceeded() bool { return u.Max() >= 100 || u.RegainAccess > 0 }

// UsagePausePercent is the share of any budget figure at which an account's
// insights work should pause instead of calling again (the contract's 90 %).
const UsagePausePercent = 90

// ShouldPause reports whether an account's insights work should wait before
// its next call: any figure at UsagePausePercent or more, or a regain time sent.
// Wait RegainAfter when it is above 0, otherwise BackoffAfter.
func (u Usage) ShouldPause() bool { return u.Max() >= UsagePausePercent || u.RegainAccess > 0 }

// RegainAfter returns how long Instagram asked the caller to wait before the next
// call (estimated_time_to_regain_access); zero when it did not ask.
func (u Usage) RegainAfter() time.Duration { return u.RegainAccess }

// usageReading is one parse of a response's usage headers: the merged figures and,
// per business object id of X-Business-Use-Case-Usage, that id's figures.
type usageReading struct {
	merged     Usage
	byBusiness map[string]Usage
	ok         bool
}

// parseUsage reads X-App-Usage and X-Business-Use-Case-Usage. ok is false when
// neither header is present or parseable.
func parseUsage(h http.Header, now time.Time) (u Usage, ok bool) {
	r := readUsage(h, now)
	return r.merged, r.ok
}

// readUsage parses the usage headers tolerantly: numbers may be JSON numbers or
// numeric strings, unknown keys are ignored, and a malformed header is skipped.
func readUsage(h http.Header, now time.Time) usageReading {
	var r usageReading
	var app Usage
	if v := h.Get("X-App-Usage"); v != "" {
		var c map[string]json.RawMessage
		if json.Unmarshal([]byte(v), &c) == nil {
			app.AppCallCount, app.AppTotalTime, app.AppTotalCPUTime = usageNum(c["call_count"]), usageNum(c["total_time"]), usageNum(c["total_cputime"])
			r.ok = true
		}
	}
	r.merged = app
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" {
		var m map[string][]map[string]json.RawMessage
		if json.Unmarshal([]byte(v), &m) == nil {
			r.byBusiness = make(map[string]Usage, len(m))
			for id, entries := range m {
				u := app
				for _, c := range entries {
					u.BusinessCallCount = max(u.BusinessCallCount, usageNum(c["call_count"]))
					u.BusinessTotalTime = max(u.BusinessTotalTime, usageNum(c["total_time"]))
					u.BusinessTotalCPUTime = max(u.BusinessTotalCPUTime, usageNum(c["total_cputime"]))
					u.RegainAccess = max(u.RegainAccess, time.Duration(usageNum(c["estimated_time_to_regain_access"]))*time.Minute)
				}
				u.ObservedAt = now
				r.byBusiness[id] = u
				r.merged.BusinessCallCount = max(r.merged.BusinessCallCount, u.BusinessCallCount)
				r.merged.BusinessTotalTime = max(r.merged.BusinessTotalTime, u.BusinessTotalTime)
				r.merged.BusinessTotalCPUTime = max(r.merged.BusinessTotalCPUTime, u.BusinessTotalCPUTime)
				r.merged.RegainAccess = max(r.merged.RegainAccess, u.RegainAccess)
			}
			r.ok = true
		}
	}
	r.merged.ObservedAt = now
	return r
}

// maxUsageFigure bounds a parsed percentage or minute count, so that a hostile
// header cannot overflow a Duration.
const maxUsageFigure = 1 << 20

// usageNum reads a usage figure sent as a number or a numeric string; anything
// else, negative or not finite is 0.
func usageNum(raw json.RawMessage) int {
	if len(raw) == 0 {
		return 0
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0
		}
		if f, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return 0
		}
	}
	if !(f > 0) {
		return 0
	}
	return int(min(f, maxUsageFigure))
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return max(0, time.Duration(secs)*time.Second)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now))
	}
	return 0
}

// retryPolicy says which failures a request may be retried on.
type retryPolicy int

const (
	// retryIdempotent: GET requests; retried on 429, 5xx, throttling codes, network
	// errors and time-outs.
	retryIdempotent retryPolicy = iota
	// retryUnsent: the code exchange. A code is single-use, and under RFC 6749
	// §4.1.2 presenting it twice may revoke the token the first attempt already
	// obtained. So it is retried only when Instagram certainly did not process it:
	// the connection was never made (dial or DNS failure), or the server answered
	// 429/5xx. A time-out or a connection dropped after the request was sent is
	// returned at once; the user simply authorises again.
	retryUnsent
	// retryNotThrottled: insights GETs; like retryIdempotent, except that a
	// throttling answer is returned at once, so that the caller parks the
	// account instead of spending more of its budget.
	retryNotThrottled
)

// retryDecision computes whether to retry after a failed attempt and how long to wait.
// attempt counts from 0. It may set RetryAfter on an *APIError.
func (c *Client) retryDecision(ctx context.Context, policy retryPolicy, err error, attempt int) (bool, time.Duration) {
	if ctx.Err() != nil || attempt >= c.cfg.MaxRetries {
		return false, 0
	}
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr):
		if !apiErr.Temporary() || (policy == retryNotThrottled && apiErr.Throttled()) {
			return false, 0
		}
		if apiErr.RetryAfter > c.cfg.MaxBackoff {
			return false, 0 // the job layer reschedules; RetryAfter tells it when
		}
		return true, max(apiErr.RetryAfter, c.backoff(attempt))
	case errors.Is(err, ErrMalformedResponse):
		return false, 0
	case policy == retryUnsent:
		return notSent(err), c.backoff(attempt)
	default:
		return true, c.backoff(attempt) // network error or time-out
	}
}

// backoff returns a full-jitter exponential delay: uniform in [0, min(Max, Base·2^attempt)].
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.cfg.MaxBackoff
	if attempt < 30 {
		if d := c.cfg.BaseBackoff << attempt; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// notSent reports whether a transport error happened before the request left us.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

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

type usageCounters struct {
	CallCount                   float64 `json:"call_count"`
	TotalTime                   float64 `json:"total_time"`
	TotalCPUTime                float64 `json:"total_cputime"`
	EstimatedTimeToRegainAccess float64 `json:"estimated_time_to_regain_access"`
}

// parseUsage reads X-App-Usage and X-Business-Use-Case-Usage. ok is false when
// neither header is present or parseable.
func parseUsage(h http.Header, now time.Time) (u Usage, ok bool) {
	if v := h.Get("X-App-Usage"); v != "" {
		var c usageCounters
		if json.Unmarshal([]byte(v), &c) == nil {
			u.AppCallCount, u.AppTotalTime, u.AppTotalCPUTime = int(c.CallCount), int(c.TotalTime), int(c.TotalCPUTime)
			ok = true
		}
	}
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" {
		var m map[string][]usageCounters
		if json.Unmarshal([]byte(v), &m) == nil {
			for _, entries := range m {
				for _, c := range entries {
					u.BusinessCallCount = max(u.BusinessCallCount, int(c.CallCount))
					u.BusinessTotalTime = max(u.BusinessTotalTime, int(c.TotalTime))
					u.BusinessTotalCPUTime = max(u.BusinessTotalCPUTime, int(c.TotalCPUTime))
					u.RegainAccess = max(u.RegainAccess, time.Duration(c.EstimatedTimeToRegainAccess*float64(time.Minute)))
				}
			}
			ok = true
		}
	}
	u.ObservedAt = now
	return u, ok
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
		if !apiErr.Temporary() {
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

package sandbox

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Without a RateLimit the usage headers report a share that grows with the
// account's calls of the last hour but never reaches the 90 % at which careful
// clients pause: defaultUsageCalls calls read as 1 %, capped at defaultUsageCap.
const (
	defaultUsageCalls = 40
	defaultUsageCap   = 60
)

// spend records one Graph call of userID against its budget. Over the budget
// it answers code 80002 with the usage headers (call_count ≥ 100 and the minutes
// until the oldest call leaves the window) and returns false.
func (s *Sandbox) spend(w http.ResponseWriter, userID string) bool {
	now := s.opts.Now()
	s.mu.Lock()
	calls := s.pruneLocked(userID, now)
	limit := s.opts.RateLimit
	if limit > 0 && len(calls) >= limit {
		regain := calls[0].Add(s.opts.RateWindow).Sub(now)
		pct := len(calls) * 100 / limit
		s.mu.Unlock()
		minutes := max(1, int((regain+time.Minute-1)/time.Minute))
		writeUsage(w.Header(), pct, userID, minutes)
		s.graphError(w, http.StatusBadRequest, 80002, 0, "IGApiException", faultMessage(80002, 0))
		return false
	}
	s.budget[userID] = append(calls, now)
	s.mu.Unlock()
	return true
}

// pruneLocked drops userID's calls older than the window and returns the rest.
func (s *Sandbox) pruneLocked(userID string, now time.Time) []time.Time {
	calls := s.budget[userID]
	cut := 0
	for cut < len(calls) && !calls[cut].After(now.Add(-s.opts.RateWindow)) {
		cut++
	}
	if cut > 0 {
		calls = append(calls[:0:0], calls[cut:]...)
		s.budget[userID] = calls
	}
	return calls
}

// usagePercent is the share of userID's budget used in the current window.
func (s *Sandbox) usagePercent(userID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.pruneLocked(userID, s.opts.Now()))
	if s.opts.RateLimit > 0 {
		return n * 100 / s.opts.RateLimit
	}
	return min(defaultUsageCap, n/defaultUsageCalls)
}

// setUsageHeaders sets X-App-Usage and X-Business-Use-Case-Usage for userID's
// budget (keyed by the app id when there is no account).
func (s *Sandbox) setUsageHeaders(w http.ResponseWriter, userID string) {
	writeUsage(w.Header(), s.usagePercent(userID), cmp.Or(userID, s.opts.ClientID), 0)
}

func writeUsage(h http.Header, pct int, objectID string, regainMinutes int) {
	h.Set("X-App-Usage", fmt.Sprintf(`{"call_count":%d,"total_time":%d,"total_cputime":%d}`, pct, pct/2, pct/2))
	buc, _ := json.Marshal(map[string][]map[string]any{objectID: {{
		"type": "instagram", "call_count": pct, "total_cputime": pct / 2, "total_time": pct / 2,
		"estimated_time_to_regain_access": regainMinutes,
	}}})
	h.Set("X-Business-Use-Case-Usage", string(buc))
}

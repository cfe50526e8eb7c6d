package sandbox

import (
	"net/http"
	"strings"
	"time"
)

// MetricCalls returns how many requests to endpoint (EndpointMediaInsights or
// EndpointAccountInsights) named metric, faulted ones included.
func (s *Sandbox) MetricCalls(endpoint, metric string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.metricN[endpoint+"/"+metric]
}

// AccountCalls returns how many requests with a token of igUserID reached
// endpoint ("" or "*": every endpoint), faulted ones included.
func (s *Sandbox) AccountCalls(igUserID, endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if endpoint == "" || endpoint == "*" {
		n := 0
		for k, v := range s.acctN {
			if strings.HasPrefix(k, igUserID+"/") {
				n += v
			}
		}
		return n
	}
	return s.acctN[igUserID+"/"+canonical(endpoint)]
}

// tokenUser returns the account of the request's token, or "" (no lookup error
// is written: the handler does that).
func (s *Sandbox) tokenUser(r *http.Request) string {
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		tok = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	if tok == "" {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[tok]; ok {
		return t.userID
	}
	return ""
}

// metricList is the request's metric= list.
func metricList(r *http.Request) []string {
	v := r.URL.Query().Get("metric")
	if v == "" {
		return nil
	}
	var out []string
	for _, m := range strings.Split(v, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// hold waits d, and reports false when the client went away meanwhile.
func (s *Sandbox) hold(w http.ResponseWriter, r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-t.C:
		return true
	}
}

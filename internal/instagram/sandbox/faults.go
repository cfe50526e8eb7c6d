package sandbox

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Fault makes matching requests fail or slow down. Faults are queued by
// InjectFault and consulted in order: a request is affected by the first queued
// fault whose Endpoint matches it.
type Fault struct {
	// Endpoint is "exchange", "long_lived" (or "access_token"), "refresh", "me",
	// "media", "media_insights", "account_insights", "insights" (both insights
	// endpoints) or "*" for all of them.
	Endpoint string
	// Metric, when set, limits the fault to requests whose metric= list holds it.
	Metric string
	// Account, when set, limits the fault to requests with a token of that
	// account (its professional id).
	Account string
	// Empty answers 200 {"data":[]}: an insights reading with nothing in it.
	Empty bool
	// Status is the HTTP status to answer (default 400 when GraphCode is set, 200
	// when Malformed is set).
	Status int
	// GraphCode and Subcode are the error code and subcode in the body, e.g. 190/463,
	// 4, 17, 613 or 80002. With only a Status, 5xx answers code 2 and 429 code 4.
	GraphCode, Subcode int
	// Message overrides the error message.
	Message string
	// Delay holds the request before answering (or before serving it normally when
	// nothing else is set), returning early when the client goes away.
	Delay time.Duration
	// Malformed answers the truncated body `{"data":[`.
	Malformed bool
	// Times is how many matching requests the fault hits (0: until ClearFaults).
	Times int
	// After lets the first After matching requests through, e.g. 2 fails page 3.
	After int
	// RetryAfter sets a Retry-After header (whole seconds, rounded up).
	RetryAfter time.Duration
	// RegainAccess sets estimated_time_to_regain_access in
	// X-Business-Use-Case-Usage (whole minutes, rounded up).
	RegainAccess time.Duration
	// AppUsage sets the usage percentages of X-App-Usage and of the account's
	// X-Business-Use-Case-Usage entry (e.g. 100 for a throttled account).
	AppUsage int
}

// Messages of Instagram's insights errors (instagram-api-notes.md §7.4).
const (
	MsgNotEnoughViewers = "(#10) Not enough viewers for the media to show insights"
	MsgSpanTooLong      = "(#100) There cannot be more than 30 days (2592000 s) between since and until"
	MsgFollowerWindow   = "(#100) (follower_count) metric only supports querying data for the last 30 days excluding the current day"
)

// FaultMetricRefused refuses every insights call that names metric with code
// 100, as Instagram does for a metric a media type does not offer.
func FaultMetricRefused(metric string) Fault {
	return Fault{Endpoint: EndpointInsights, Metric: metric, GraphCode: 100,
		Message: "(#100) The Media Insights API does not support the " + metric + " metric for this media product type."}
}

// FaultNotEnoughViewers answers media insights calls with error #10.
func FaultNotEnoughViewers() Fault {
	return Fault{Endpoint: EndpointMediaInsights, GraphCode: 10, Message: MsgNotEnoughViewers}
}

// FaultEmptyData answers insights calls (both endpoints) with {"data":[]}.
func FaultEmptyData() Fault { return Fault{Endpoint: EndpointInsights, Empty: true} }

// FaultThrottled answers with a throttling code (4, 17, 32, 613 or 80002; 0 means
// 80002), HTTP 400, the usage headers at usagePercent and regain as
// estimated_time_to_regain_access (0: none sent).
func FaultThrottled(code, usagePercent int, regain time.Duration) Fault {
	return Fault{Endpoint: "*", GraphCode: cmp.Or(code, 80002), AppUsage: usagePercent, RegainAccess: regain}
}

// FaultSpanTooLong answers account insights calls with the 30-day error.
func FaultSpanTooLong() Fault {
	return Fault{Endpoint: EndpointAccountInsights, GraphCode: 100, Message: MsgSpanTooLong}
}

type faultState struct {
	Fault
	seen, hits int
}

// InjectFault queues f.
func (s *Sandbox) InjectFault(f Fault) {
	f.Endpoint = canonical(cmp.Or(f.Endpoint, "*"))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{Fault: f})
}

// ClearFaults removes every queued fault.
func (s *Sandbox) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// faultRequest is what a fault is matched against.
type faultRequest struct {
	endpoint, user string
	metrics        []string
}

func (f *faultState) matches(req faultRequest) bool {
	switch {
	case f.Endpoint == EndpointInsights:
		if req.endpoint != EndpointMediaInsights && req.endpoint != EndpointAccountInsights {
			return false
		}
	case f.Endpoint != "*" && f.Endpoint != req.endpoint:
		return false
	}
	if f.Account != "" && f.Account != req.user {
		return false
	}
	return f.Metric == "" || slices.Contains(req.metrics, f.Metric)
}

// nextFault picks the fault for a request, consuming it as needed.
func (s *Sandbox) nextFault(req faultRequest) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !f.matches(req) {
			continue
		}
		f.seen++
		if f.seen <= f.After {
			return Fault{}, false
		}
		f.hits++
		if f.Times > 0 && f.hits >= f.Times {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// applyFault answers r according to the next matching fault and reports whether
// it did; false means the request is to be served normally.
func (s *Sandbox) applyFault(w http.ResponseWriter, r *http.Request, req faultRequest) bool {
	endpoint := req.endpoint
	f, ok := s.nextFault(req)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			return true
		case <-t.C:
		}
	}
	h := w.Header()
	if f.RetryAfter > 0 {
		h.Set("Retry-After", fmt.Sprint(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
	if f.RegainAccess > 0 || f.AppUsage > 0 {
		minutes := int((f.RegainAccess + time.Minute - 1) / time.Minute)
		writeUsage(h, f.AppUsage, cmp.Or(req.user, s.opts.ClientID), minutes)
	}
	switch {
	case f.Empty:
		writeJSON(w, cmp.Or(f.Status, http.StatusOK), []byte(`{"data":[]}`))
	case f.Malformed:
		writeJSON(w, cmp.Or(f.Status, http.StatusOK), []byte(`{"data":[`))
	case f.GraphCode != 0 || f.Status != 0:
		s.writeFaultError(w, endpoint, f)
	default:
		return false // a pure delay: serve normally
	}
	return true
}

func (s *Sandbox) writeFaultError(w http.ResponseWriter, endpoint string, f Fault) {
	status, code := f.Status, f.GraphCode
	switch {
	case status == 0:
		status = http.StatusBadRequest
	case code == 0 && status == http.StatusTooManyRequests:
		code = 4
	case code == 0 && status >= 500:
		code = 2
	case code == 0:
		code = 1
	}
	msg := cmp.Or(f.Message, faultMessage(code, f.Subcode))
	if endpoint == EndpointExchange {
		oauthError(w, status, code, msg)
		return
	}
	s.graphError(w, status, code, f.Subcode, "IGApiException", msg)
}

func faultMessage(code, subcode int) string {
	switch {
	case code == 190 && subcode == 463:
		return "Error validating access token: Session has expired."
	case code == 190 && subcode == 467:
		return "Invalid OAuth access token - Cannot parse access token"
	case code == 190:
		return "Invalid OAuth 2.0 Access Token"
	case code == 2:
		return "An unexpected error has occurred. Please retry your request later."
	case code == 4:
		return "Application request limit reached"
	case code == 17:
		return "User request limit reached"
	case code == 32:
		return "Page request limit reached"
	case code == 613:
		return "Calls to this api have exceeded the rate limit."
	case code == 80002:
		return "There have been too many calls to this Instagram account. Wait a bit and try again."
	case code == 100:
		return "Invalid parameter"
	case code == 10:
		return MsgNotEnoughViewers
	}
	return "An unknown error has occurred."
}

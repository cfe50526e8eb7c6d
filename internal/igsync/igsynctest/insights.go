package igsynctest

import (
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

// RefuseMetric makes every insights call naming metric fail with code 100 (as
// for a metric the media type does not offer), for igUserID only when it is
// not empty, until ClearFaults.
func (h *Harness) RefuseMetric(igUserID, metric string) {
	f := sandbox.FaultMetricRefused(metric)
	f.Account = igUserID
	h.Sandbox.InjectFault(f)
}

// InsightsNotAvailable makes the next times media insights calls (0: all,
// until ClearFaults) of igUserID ("" for any account) answer error #10.
func (h *Harness) InsightsNotAvailable(igUserID string, times int) {
	f := sandbox.FaultNotEnoughViewers()
	f.Account, f.Times = igUserID, times
	h.Sandbox.InjectFault(f)
}

// InsightsEmpty makes the next times insights calls (both endpoints; 0: all)
// of igUserID ("" for any account) answer {"data":[]}.
func (h *Harness) InsightsEmpty(igUserID string, times int) {
	f := sandbox.FaultEmptyData()
	f.Account, f.Times = igUserID, times
	h.Sandbox.InjectFault(f)
}

// Throttle makes the next times calls of igUserID to endpoint (a sandbox
// Endpoint constant, sandbox.EndpointInsights for both insights endpoints, or
// "*") answer the throttling code (0: 80002) with X-Business-Use-Case-Usage at
// usagePercent and estimated_time_to_regain_access regain (0: none).
func (h *Harness) Throttle(igUserID, endpoint string, code, usagePercent int, regain time.Duration, times int) {
	f := sandbox.FaultThrottled(code, usagePercent, regain)
	f.Endpoint, f.Account, f.Times = endpoint, igUserID, times
	h.Sandbox.InjectFault(f)
}

// ClearFaults removes every injected fault.
func (h *Harness) ClearFaults() { h.Sandbox.ClearFaults() }

// MetricCalls is how many insights requests to endpoint
// (sandbox.EndpointMediaInsights or sandbox.EndpointAccountInsights) named
// metric, faulted ones included.
func (h *Harness) MetricCalls(endpoint, metric string) int {
	return h.Sandbox.MetricCalls(endpoint, metric)
}

// InsightsCalls is how many insights requests (media and account) were made
// with igUserID's tokens, e.g. to prove that a parked account was left alone.
func (h *Harness) InsightsCalls(igUserID string) int {
	return h.Sandbox.AccountCalls(igUserID, sandbox.EndpointMediaInsights) +
		h.Sandbox.AccountCalls(igUserID, sandbox.EndpointAccountInsights)
}

// AccountCalls is how many requests with igUserID's tokens reached endpoint
// ("" or "*": all).
func (h *Harness) AccountCalls(igUserID, endpoint string) int {
	return h.Sandbox.AccountCalls(igUserID, endpoint)
}

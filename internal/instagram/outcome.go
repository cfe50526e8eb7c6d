package instagram

import (
	"context"
	"errors"
)

// Outcomes reported to Config.OnCall.
const (
	OutcomeOK           = "ok"            // a 2xx answer
	OutcomeThrottled    = "throttled"     // HTTP 429 or a throttling code
	OutcomeTokenInvalid = "token_invalid" // error 190: the user must authorise again
	OutcomeServerError  = "server_error"  // HTTP 5xx
	OutcomeClientError  = "client_error"  // any other error answer
	OutcomeTimeout      = "timeout"       // the attempt's deadline passed
	OutcomeCanceled     = "canceled"      // the caller gave up
	OutcomeNetworkError = "network_error" // no answer: DNS, connection, TLS...
	OutcomeNotAvailable = "not_available" // insights code 10: no figures yet
	OutcomeRefused      = "refused"       // insights code 100: metric refused
)

// Outcome classifies the result of one request to Instagram in a few
// stable words, for metrics.
func Outcome(err error) string {
	var apiErr *APIError
	switch {
	case err == nil:
		return OutcomeOK
	case errors.As(err, &apiErr):
		switch {
		case apiErr.Throttled():
			return OutcomeThrottled
		case apiErr.TokenInvalid():
			return OutcomeTokenInvalid
		case apiErr.HTTPStatus >= 500:
			return OutcomeServerError
		case apiErr.NotAvailable():
			return OutcomeNotAvailable
		case apiErr.MetricRefused():
			return OutcomeRefused
		}
		return OutcomeClientError
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return OutcomeTimeout
	case errors.Is(err, context.Canceled):
		return OutcomeCanceled
	}
	return OutcomeNetworkError
}

package instagram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestOutcome(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"OK", nil, OutcomeOK},
		{"Throttled429", &APIError{HTTPStatus: http.StatusTooManyRequests}, OutcomeThrottled},
		{"ThrottledCode", fmt.Errorf("wrapped: %w", &APIError{HTTPStatus: 400, Code: 4}), OutcomeThrottled},
		{"TokenInvalid", &APIError{HTTPStatus: 400, Code: 190, Subcode: 463}, OutcomeTokenInvalid},
		{"ServerError", &APIError{HTTPStatus: 502}, OutcomeServerError},
		{"ClientError", &APIError{HTTPStatus: 400, Code: 100}, OutcomeClientError},
		{"Timeout", errors.Join(ErrTimeout, errors.New("dial")), OutcomeTimeout},
		{"Deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), OutcomeTimeout},
		{"Canceled", fmt.Errorf("x: %w", context.Canceled), OutcomeCanceled},
		{"Network", errors.New("connection refused"), OutcomeNetworkError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Outcome(tt.err); got != tt.want {
				t.Errorf("Outcome(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

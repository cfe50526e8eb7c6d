package postgres_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"creatorgrowth/internal/postgres"
)

func TestIsUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"refused", fmt.Errorf("add to waitlist: %w", refused), true},
		{"bad connection", fmt.Errorf("q: %w", driver.ErrBadConn), true},
		{"shutting down", &pq.Error{Code: "57P03", Message: "the database system is shutting down"}, true},
		{"admin shutdown", fmt.Errorf("q: %w", &pq.Error{Code: "57P01"}), true},
		{"connection failure", &pq.Error{Code: "08006"}, true},
		{"too many connections", &pq.Error{Code: "53300"}, true},
		{"unique violation", &pq.Error{Code: "23505"}, false},
		{"syntax error", &pq.Error{Code: "42601"}, false},
		{"query canceled", &pq.Error{Code: "57014"}, false},
		{"other", errors.New("boom"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := postgres.IsUnavailable(tt.err), tt.want; got != want {
				t.Errorf("IsUnavailable(%v) = %v, want %v", tt.err, got, want)
			}
		})
	}
}

func TestIsQueryCanceled(t *testing.T) {
	canceled := &pq.Error{Code: "57014", Message: "canceling statement due to user request"}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"query canceled", canceled, true},
		{"wrapped", fmt.Errorf("get user: %w", canceled), true},
		{"admin shutdown", &pq.Error{Code: "57P01"}, false},
		{"context canceled", context.Canceled, false},
	} {
		if got := postgres.IsQueryCanceled(tt.err); got != tt.want {
			t.Errorf("%s: IsQueryCanceled(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

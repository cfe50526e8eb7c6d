package waitlist_test

import (
	"context"
	"fmt"
	"testing"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/waitlist"
)

func TestService_Signup(t *testing.T) {
	ctx := context.Background()
	s := waitlist.NewService(postgres.NewWaitlist(testdb.New(t)))
	t.Run("OK", func(t *testing.T) {
		for i, tc := range []struct {
			email string
			want  bool
		}{{" Fan@Example.com ", true}, {"fan@example.com", false}, {"FAN@EXAMPLE.COM", false}} {
			got, err := s.Signup(ctx, tc.email)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Signup #%d (%q) created = %v, want %v", i+1, tc.email, got, tc.want)
			}
		}
	})
	t.Run("ErrInvalidEmail", func(t *testing.T) {
		if _, err := s.Signup(ctx, "a@b.co'; DROP TABLE waitlist;--"); !apperr.Is(err, apperr.CodeInvalidEmail) {
			t.Errorf("Signup = %v, want invalid_email", err)
		}
	})
}

func TestService_List(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	s := waitlist.NewService(postgres.NewWaitlist(db))

	t.Run("Empty", func(t *testing.T) {
		p, err := s.List(ctx, 1, 50)
		if err != nil {
			t.Fatal(err)
		}
		if p.Entries == nil || len(p.Entries) != 0 || p.Total != 0 || p.TotalPages != 0 {
			t.Errorf("List = %+v, want an empty page", p)
		}
	})

	for i := range 7 {
		if _, err := s.Signup(ctx, fmt.Sprintf("u%d@b.co", i)); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("OK", func(t *testing.T) {
		for _, tc := range []struct{ page, limit, entries, totalPages int }{
			{1, 3, 3, 3},
			{3, 3, 1, 3},
			{4, 3, 0, 3},
			{1, 7, 7, 1},
			{1, 6, 6, 2},
			{1, 1, 1, 7},
			{2, 200, 0, 1},
		} {
			p, err := s.List(ctx, tc.page, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Entries) != tc.entries || p.TotalPages != tc.totalPages || p.Total != 7 || p.Page != tc.page || p.Limit != tc.limit {
				t.Errorf("List(%d, %d) = %d entries, page %d, limit %d, total %d, %d pages; want %d entries, total 7, %d pages",
					tc.page, tc.limit, len(p.Entries), p.Page, p.Limit, p.Total, p.TotalPages, tc.entries, tc.totalPages)
			}
		}
	})

	t.Run("ErrInvalidRequest", func(t *testing.T) {
		for _, tc := range []struct{ page, limit int }{
			{0, 50}, {-1, 50}, {1, 0}, {1, -5}, {1, 201}, {1 << 40, 200}, {int(^uint(0) >> 1), 1},
		} {
			if _, err := s.List(ctx, tc.page, tc.limit); !apperr.Is(err, apperr.CodeInvalidRequest) {
				t.Errorf("List(%d, %d) = %v, want invalid_request", tc.page, tc.limit, err)
			}
		}
	})
}

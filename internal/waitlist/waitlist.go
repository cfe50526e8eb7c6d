// Package waitlist signs people up for the pre-launch list and lists them
// for admins.
package waitlist

import (
	"context"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/postgres"
)

// Page limits of the admin list.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is one page of the admin list.
type Page struct {
	Entries    []postgres.WaitlistEntry
	Page       int
	Limit      int
	Total      int
	TotalPages int
}

// Service is the waitlist.
type Service struct{ store *postgres.Waitlist }

// NewService returns the waitlist service.
func NewService(store *postgres.Waitlist) *Service { return &Service{store: store} }

// Signup adds email to the list and reports whether it was new.
func (s *Service) Signup(ctx context.Context, email string) (bool, error) {
	email, err := auth.NormalizeEmail(email)
	if err != nil {
		return false, err
	}
	return s.store.Add(ctx, email)
}

// List returns page number page (from 1) of limit entries, newest first.
func (s *Service) List(ctx context.Context, page, limit int) (Page, error) {
	if page < 1 {
		return Page{}, apperr.New(apperr.CodeInvalidRequest, "page must be 1 or more.")
	}
	if limit < 1 || limit > MaxLimit {
		return Page{}, apperr.Errorf(apperr.CodeInvalidRequest, "limit must be between 1 and %d.", MaxLimit)
	}
	const maxOffset = 1 << 30
	if (page - 1) > maxOffset/limit {
		return Page{}, apperr.New(apperr.CodeInvalidRequest, "page is out of range.")
	}
	entries, total, err := s.store.Page(ctx, limit, (page-1)*limit)
	if err != nil {
		return Page{}, err
	}
	return Page{Entries: entries, Page: page, Limit: limit, Total: total, TotalPages: (total + limit - 1) / limit}, nil
}

// Each streams every entry, newest first.
func (s *Service) Each(ctx context.Context, fn func(postgres.WaitlistEntry) error) error {
	return s.store.Each(ctx, fn)
}

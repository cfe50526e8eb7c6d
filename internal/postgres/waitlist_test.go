package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

func TestWaitlist_Add(t *testing.T) {
	ctx := context.Background()
	store := postgres.NewWaitlist(testdb.New(t))

	t.Run("OK", func(t *testing.T) {
		for i, want := range []bool{true, false, false} {
			got, err := store.Add(ctx, "a@b.co")
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("Add #%d created = %v, want %v", i+1, got, want)
			}
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		const n = 20
		var created sync.WaitGroup
		results := make([]bool, n)
		for i := range n {
			created.Go(func() {
				ok, err := store.Add(ctx, "race@b.co")
				if err != nil {
					t.Error(err)
				}
				results[i] = ok
			})
		}
		created.Wait()
		if got, want := len(slices.DeleteFunc(results, func(b bool) bool { return !b })), 1; got != want {
			t.Errorf("Add reported created %d times, want %d", got, want)
		}
	})
}

func TestWaitlist_Page(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	store := postgres.NewWaitlist(db)
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var newestFirst []string
	for i := range 5 {
		email := fmt.Sprintf("u%d@b.co", i)
		if _, err := db.ExecContext(ctx, `INSERT INTO waitlist (email, created_at) VALUES ($1, $2)`, email, base.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
		newestFirst = append([]string{email}, newestFirst...)
	}

	for _, tc := range []struct {
		limit, offset int
		want          []string
	}{
		{2, 0, newestFirst[0:2]},
		{2, 2, newestFirst[2:4]},
		{2, 4, newestFirst[4:5]},
		{2, 6, nil},
		{10, 0, newestFirst},
	} {
		t.Run(fmt.Sprintf("Limit%dOffset%d", tc.limit, tc.offset), func(t *testing.T) {
			entries, total, err := store.Page(ctx, tc.limit, tc.offset)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := total, 5; got != want {
				t.Errorf("total = %d, want %d", got, want)
			}
			if entries == nil {
				t.Errorf("entries = nil, want an empty list")
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Email)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("emails = %v, want %v", got, tc.want)
			}
		})
	}

	t.Run("Each", func(t *testing.T) {
		var got []string
		if err := store.Each(ctx, func(e postgres.WaitlistEntry) error { got = append(got, e.Email); return nil }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, newestFirst) {
			t.Errorf("Each = %v, want %v", got, newestFirst)
		}
	})

	t.Run("ErrEachStops", func(t *testing.T) {
		stop := fmt.Errorf("stop")
		calls := 0
		err := store.Each(ctx, func(postgres.WaitlistEntry) error { calls++; return stop })
		if err != stop || calls != 1 {
			t.Errorf("Each = %v after %d calls, want stop after 1", err, calls)
		}
	})
}

package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestBcryptCost(t *testing.T) {
	if got, want := BcryptCost, 10; got < want {
		t.Errorf("BcryptCost = %d, want at least %d", got, want)
	}
	// The dummy hash that unknown emails are compared with costs as much as
	// a real one.
	h := NewHasher(BcryptCost, 1)
	if got, want := h.cost, BcryptCost; got != want {
		t.Errorf("hasher cost = %d, want %d", got, want)
	}
	if got, err := bcrypt.Cost(h.dummy); err != nil || got != BcryptCost {
		t.Errorf("dummy hash cost = %d (%v), want %d: unknown emails would answer faster", got, err, BcryptCost)
	}
}

func TestHasher_Compare(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(bcrypt.MinCost, 2)
	hash, err := h.Hash(ctx, "password-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := h.Compare(ctx, hash, "password-1"); err != nil {
			t.Errorf("Compare = %v, want nil", err)
		}
	})
	for _, tc := range []struct{ name, hash, password string }{
		{"ErrWrongPassword", hash, "password-2"},
		{"ErrEmptyPassword", hash, ""},
		{"ErrUnknownUser", "", "password-1"},
		// The dummy's own password must not log anyone in.
		{"ErrDummyPassword", "", "timing-equaliser-password"},
		{"ErrLongPassword", hash, "password-1" + strings.Repeat("x", 80)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := h.Compare(ctx, tc.hash, tc.password); !errors.Is(err, ErrMismatch) {
				t.Errorf("Compare = %v, want ErrMismatch", err)
			}
		})
	}
	t.Run("ErrPasswordTooLong", func(t *testing.T) {
		if _, err := h.Hash(ctx, strings.Repeat("x", 73)); err == nil {
			t.Errorf("Hash of 73 bytes = nil error, want one")
		}
	})
}

// TestHasher_Concurrency checks that no more than the configured number of
// hashes run at once, and that a caller waiting for a slot gives up with
// its context.
func TestHasher_Concurrency(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		const limit = 3
		h := NewHasher(bcrypt.MinCost, limit)
		for range limit {
			h.slots <- struct{}{} // every slot busy
		}
		var done atomic.Int32
		var wg sync.WaitGroup
		for range 2 * limit {
			wg.Go(func() {
				if _, err := h.Hash(context.Background(), "password-1"); err != nil {
					t.Error(err)
				}
				if err := h.Compare(context.Background(), "", "password-1"); !errors.Is(err, ErrMismatch) {
					t.Error(err)
				}
				done.Add(1)
			})
		}
		time.Sleep(100 * time.Millisecond)
		if got, want := done.Load(), int32(0); got != want {
			t.Errorf("%d callers hashed while every slot was busy, want %d", got, want)
		}
		for range limit {
			<-h.slots
		}
		wg.Wait()
		if got, want := done.Load(), int32(2*limit); got != want {
			t.Errorf("finished = %d, want %d", got, want)
		}
		if got, want := len(h.slots), 0; got != want {
			t.Errorf("slots held after all hashes = %d, want %d", got, want)
		}
	})

	t.Run("ErrContextWhileQueued", func(t *testing.T) {
		h := NewHasher(bcrypt.MinCost, 2)
		h.slots <- struct{}{} // two hashes in progress
		h.slots <- struct{}{}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := h.Hash(ctx, "password-1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Hash with every slot taken = %v, want DeadlineExceeded", err)
		}
		if err := h.Compare(ctx, "", "password-1"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Compare with every slot taken = %v, want DeadlineExceeded", err)
		}
		<-h.slots // one finishes: the next caller gets its turn
		if _, err := h.Hash(context.Background(), "password-1"); err != nil {
			t.Errorf("Hash with a free slot = %v", err)
		}
	})
}

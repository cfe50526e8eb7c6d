// Package auth hashes passwords, issues and verifies JWTs, and signs the
// OAuth state.
package auth

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// BcryptCost is the work factor of new password hashes.
const BcryptCost = 10

// ErrMismatch is returned by Hasher.Compare for a wrong password.
var ErrMismatch = errors.New("auth: password mismatch")

// Hasher hashes and checks passwords with bcrypt, running at most a fixed
// number of them at once so that a login storm queues instead of starving
// every other request of CPU.
type Hasher struct {
	cost  int
	slots chan struct{}
	dummy []byte
}

// NewHasher returns a Hasher with the given cost that runs at most
// concurrency hashes at once.
func NewHasher(cost, concurrency int) *Hasher {
	if concurrency < 1 {
		concurrency = 1
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("timing-equaliser-password"), cost)
	if err != nil {
		panic(fmt.Sprintf("auth: bcrypt cost %d: %v", cost, err)) // only for an invalid cost, a programming error
	}
	return &Hasher{cost: cost, slots: make(chan struct{}, concurrency), dummy: dummy}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the bcrypt hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(b), nil
}

// Compare checks password against hash and returns ErrMismatch when they
// differ. An empty hash (an unknown user) is compared against a dummy hash
// so that the answer takes as long as for a known one.
func (h *Hasher) Compare(ctx context.Context, hash, password string) error {
	if err := h.acquire(ctx); err != nil {
		return err
	}
	defer h.release()
	target := []byte(hash)
	if hash == "" {
		target = h.dummy
	}
	err := bcrypt.CompareHashAndPassword(target, []byte(password))
	switch {
	case hash == "":
		return ErrMismatch
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return ErrMismatch
	case err != nil:
		return fmt.Errorf("compare password: %w", err)
	}
	return nil
}

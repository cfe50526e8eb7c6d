package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

func newTestService(t *testing.T, concurrency int) (*Service, *Hasher) {
	t.Helper()
	h := NewHasher(bcrypt.MinCost, concurrency)
	db := testdb.New(t)
	return NewService(Deps{
		Users: postgres.NewUsers(db), Sessions: postgres.NewSessions(db), UserTokens: postgres.NewUserTokens(db),
		Hasher: h, Tokens: NewTokens(testSecret),
	}), h
}

func TestService_Register(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s, _ := newTestService(t, 2)
		sess, err := s.Register(ctx, " Mixed.Case@Example.com ", "password-1")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := sess.User.Email, "mixed.case@example.com"; got != want {
			t.Errorf("Email = %q, want %q", got, want)
		}
		if sess.User.PasswordHash == "password-1" || bcrypt.CompareHashAndPassword([]byte(sess.User.PasswordHash), []byte("password-1")) != nil {
			t.Errorf("PasswordHash = %q, want the bcrypt hash of the password", sess.User.PasswordHash)
		}
		if _, err := NewTokens(testSecret).Parse(sess.Token); err != nil {
			t.Errorf("token: %v", err)
		}
	})

	t.Run("ErrEmailTaken", func(t *testing.T) {
		s, _ := newTestService(t, 2)
		if _, err := s.Register(ctx, "a@b.co", "password-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Register(ctx, "A@B.CO", "password-2"); !apperr.Is(err, apperr.CodeEmailTaken) {
			t.Errorf("Register = %v, want email_taken", err)
		}
	})

	t.Run("ErrWeakPassword", func(t *testing.T) {
		s, _ := newTestService(t, 2)
		for _, pw := range []string{"", "short", strings.Repeat("é", 37)} {
			if _, err := s.Register(ctx, "a@b.co", pw); !apperr.Is(err, apperr.CodeWeakPassword) {
				t.Errorf("Register(%d bytes) = %v, want weak_password", len(pw), err)
			}
		}
	})
}

func TestService_Login(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestService(t, 2)
	if _, err := s.Register(ctx, "known@example.com", "password-1"); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		sess, err := s.Login(ctx, "KNOWN@example.com ", "password-1")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := sess.User.Email, "known@example.com"; got != want {
			t.Errorf("Email = %q, want %q", got, want)
		}
	})
	for _, tc := range []struct{ name, email, password string }{
		{"ErrWrongPassword", "known@example.com", "password-2"},
		{"ErrUnknownEmail", "unknown@example.com", "password-1"},
		{"ErrInvalidEmail", "not an email", "password-1"},
		{"ErrLongPassword", "known@example.com", "password-1" + strings.Repeat("x", 10000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Login(ctx, tc.email, tc.password); !apperr.Is(err, apperr.CodeInvalidCredentials) {
				t.Errorf("Login = %v, want invalid_credentials", err)
			}
		})
	}
}

// TestService_Login_SameWork checks that every login, an unknown email
// included, runs a bcrypt comparison, the expensive step, so that an
// unknown email cannot be told from a wrong password by the time the
// answer takes. It holds the hasher's only slot: a login that reaches
// bcrypt waits for it, one that skipped bcrypt would answer at once.
func TestService_Login_SameWork(t *testing.T) {
	ctx := context.Background()
	s, h := newTestService(t, 1)
	if _, err := s.Register(ctx, "known@example.com", "password-1"); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, email, password string
		wantOK                bool
	}{
		{"KnownEmailRightPassword", "known@example.com", "password-1", true},
		{"KnownEmailWrongPassword", "known@example.com", "password-2", false},
		{"UnknownEmail", "unknown@example.com", "password-1", false},
		{"InvalidEmail", "not an email", "password-1", false},
		{"EmptyEmail", "", "password-1", false},
		{"EmptyPassword", "unknown@example.com", "", false},
		{"LongPassword", "unknown@example.com", strings.Repeat("p", 10000), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.slots <- struct{}{} // the one slot is busy
			result := make(chan error, 1)
			go func() {
				_, err := s.Login(ctx, tc.email, tc.password)
				result <- err
			}()
			select {
			case err := <-result:
				<-h.slots
				t.Fatalf("Login answered (%v) while bcrypt was busy: it skipped the comparison", err)
			case <-time.After(200 * time.Millisecond):
			}
			<-h.slots // bcrypt is free: the login goes on
			err := <-result
			switch {
			case tc.wantOK && err != nil:
				t.Errorf("Login = %v, want a session", err)
			case !tc.wantOK && !apperr.Is(err, apperr.CodeInvalidCredentials):
				t.Errorf("Login = %v, want invalid_credentials", err)
			}
		})
	}
}

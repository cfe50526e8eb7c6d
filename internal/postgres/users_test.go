package postgres_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

func TestUsers(t *testing.T) {
	ctx := context.Background()
	users := postgres.NewUsers(testdb.New(t))
	created, err := users.Create(ctx, "a@b.co", "$2a$04$hash")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}

	t.Run("OK", func(t *testing.T) {
		if _, err := uuid.Parse(created.ID); err != nil {
			t.Errorf("ID = %q, want a UUID", created.ID)
		}
		if created.CreatedAt.IsZero() {
			t.Errorf("CreatedAt is zero")
		}
		for name, get := range map[string]func() (postgres.User, error){
			"ByEmail": func() (postgres.User, error) { return users.ByEmail(ctx, "a@b.co") },
			"ByID":    func() (postgres.User, error) { return users.ByID(ctx, created.ID) },
		} {
			got, err := get()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got.ID != created.ID || got.Email != "a@b.co" || got.PasswordHash != "$2a$04$hash" || !got.CreatedAt.Equal(created.CreatedAt) {
				t.Errorf("%s = %+v, want %+v", name, got, created)
			}
		}
	})

	t.Run("Timezone", func(t *testing.T) {
		if tz, err := users.Timezone(ctx, created.ID); err != nil || tz != "UTC" {
			t.Errorf("Timezone = %q, %v; want the default UTC", tz, err)
		}
		zone := "Pacific/Kiritimati"
		if _, err := users.UpdateSettings(ctx, created.ID, postgres.Settings{Timezone: &zone}); err != nil {
			t.Fatal(err)
		}
		if tz, err := users.Timezone(ctx, created.ID); err != nil || tz != zone {
			t.Errorf("Timezone = %q, %v; want %s", tz, err, zone)
		}
		if _, err := users.Timezone(ctx, uuid.NewString()); !apperr.Is(err, apperr.CodeNotFound) {
			t.Errorf("Timezone of no user = %v, want not_found", err)
		}
	})

	t.Run("ErrEmailTaken", func(t *testing.T) {
		if _, err := users.Create(ctx, "a@b.co", "other"); !apperr.Is(err, apperr.CodeEmailTaken) {
			t.Errorf("Create = %v, want email_taken", err)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := users.ByEmail(ctx, "nobody@b.co"); !apperr.Is(err, apperr.CodeNotFound) {
			t.Errorf("ByEmail = %v, want not_found", err)
		}
		if _, err := users.ByID(ctx, uuid.NewString()); !apperr.Is(err, apperr.CodeNotFound) {
			t.Errorf("ByID = %v, want not_found", err)
		}
	})
}

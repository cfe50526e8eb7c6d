package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

func TestJobs_EnqueuePayload(t *testing.T) {
	db := testdb.New(t)
	jobs := postgres.NewJobs(db)
	ctx := context.Background()

	id := uuid.NewString()
	created, err := jobs.EnqueuePayload(ctx, id, "send_mail", "k1", "sealed-1", time.Now(), 7)
	if err != nil || !created {
		t.Fatalf("EnqueuePayload = %v, %v; want created", created, err)
	}
	t.Run("ErrDuplicateKey", func(t *testing.T) {
		created, err := jobs.EnqueuePayload(ctx, uuid.NewString(), "send_mail", "k1", "sealed-2", time.Now(), 7)
		if err != nil || created {
			t.Fatalf("second EnqueuePayload = %v, %v; want dropped", created, err)
		}
	})
	t.Run("OKNoKey", func(t *testing.T) {
		for range 2 {
			created, err := jobs.EnqueuePayload(ctx, uuid.NewString(), "send_mail", "", "sealed-x", time.Now(), 7)
			if err != nil || !created {
				t.Fatalf("EnqueuePayload without key = %v, %v; want created", created, err)
			}
		}
	})
	t.Run("ErrEmptyKind", func(t *testing.T) {
		if _, err := jobs.EnqueuePayload(ctx, uuid.NewString(), "", "", "p", time.Now(), 7); err == nil {
			t.Fatal("EnqueuePayload accepted a job without a kind")
		}
	})

	// Claim the oldest, the one with key k1 (ordered by run_at).
	job, ok, err := jobs.Claim(ctx, "w1", time.Minute)
	if err != nil || !ok {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	if job.ID != id || job.Payload != "sealed-1" || job.AccountID != "" || job.MaxAttempts != 7 {
		t.Fatalf("claimed %+v, want id %s with payload sealed-1, no account, 7 attempts", job, id)
	}

	t.Run("ConsumePayload", func(t *testing.T) {
		dropped, err := jobs.ConsumePayload(ctx, id)
		if err != nil || !dropped {
			t.Fatalf("ConsumePayload = %v, %v; want dropped", dropped, err)
		}
		dropped, err = jobs.ConsumePayload(ctx, id)
		if err != nil || dropped {
			t.Fatalf("second ConsumePayload = %v, %v; want nothing to drop", dropped, err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE id = $1 AND payload IS NULL`, id).Scan(&n); err != nil || n != 1 {
			t.Fatalf("payload still there (n=%d, err=%v)", n, err)
		}
	})

	t.Run("ErrDuplicateKeyAfterDone", func(t *testing.T) {
		if err := jobs.Finish(ctx, id, "w1"); err != nil {
			t.Fatal(err)
		}
		created, err := jobs.EnqueuePayload(ctx, uuid.NewString(), "send_mail", "k1", "sealed-3", time.Now(), 7)
		if err != nil || created {
			t.Fatalf("EnqueuePayload after done = %v, %v; want dropped while the row lives", created, err)
		}
	})
}

package postgres_test

import (
	"context"
	"testing"
	"time"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// TestAccounts_DeleteSurvivesADeadlock: a sync that holds the account's
// posts and then touches the account row (as the data_version triggers do)
// while a disconnect cascades from the account row to the posts is a lock
// cycle; PostgreSQL ends the disconnect, which is run again and succeeds
// instead of answering 500.
func TestAccounts_DeleteSurvivesADeadlock(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	acc := newAccount(t, db)
	var user string
	if err := db.QueryRowContext(ctx, `SELECT user_id FROM instagram_accounts WHERE id = $1`, acc).Scan(&user); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO instagram_posts (account_id, ig_post_id, posted_at) VALUES ($1, 'p1', now())`, acc); err != nil {
		t.Fatal(err)
	}

	sync, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sync.Rollback() //nolint:errcheck
	if _, err := sync.ExecContext(ctx, `SELECT id FROM instagram_posts WHERE account_id = $1 FOR UPDATE`, acc); err != nil {
		t.Fatal(err)
	}

	deleted := make(chan error, 1)
	go func() { deleted <- postgres.NewAccounts(db).Delete(ctx, user, acc) }()

	// The disconnect holds the account row and waits for the posts.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM instagram_accounts%'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the disconnect never waited for the sync's posts")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The sync now wants the account row: a cycle.
	if _, err := sync.ExecContext(ctx, `UPDATE instagram_accounts SET updated_at = now() WHERE id = $1`, acc); err != nil {
		t.Logf("the sync was ended instead: %v", err)
		sync.Rollback() //nolint:errcheck
	} else if err := sync.Commit(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-deleted:
		if err != nil {
			t.Fatalf("disconnect: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("disconnect never returned")
	}
	var left int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM instagram_accounts WHERE id = $1`, acc).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatal("the account is still there")
	}
}

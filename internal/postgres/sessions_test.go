package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// UserAndAccount reads, with the session, exactly the account ForUser
// would return, and refuses what User refuses.
func TestSessions_UserAndAccount(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	sessions, accounts := postgres.NewSessions(db), postgres.NewAccounts(db)
	followers := int64(1200)
	first := testdb.NewAccount(t, db, &followers)
	// A second, newer account of the same user, and another user's.
	var second string
	if err := db.QueryRowContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, access_token, created_at)
		VALUES ($1, 'second', 'ciphertext', now() + interval '1 minute') RETURNING id`, first.UserID).Scan(&second); err != nil {
		t.Fatal(err)
	}
	other := testdb.NewAccount(t, db, nil)
	sess, err := sessions.Create(ctx, first.UserID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, accountID string
		wantOK          bool
	}{
		{"latest", "", true},
		{"named", first.ID, true},
		{"another user's", other.ID, false},
		{"unknown", "00000000-0000-4000-8000-000000000000", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, acc, ok, err := sessions.UserAndAccount(ctx, sess.ID, first.UserID, tc.accountID)
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != first.UserID {
				t.Errorf("user %s, want %s", u.ID, first.UserID)
			}
			want, wantErr := accounts.ForUser(ctx, first.UserID, tc.accountID)
			if ok != tc.wantOK || ok != (wantErr == nil) {
				t.Fatalf("ok %v, want %v (ForUser: %v)", ok, tc.wantOK, wantErr)
			}
			if ok && !reflect.DeepEqual(acc, want) {
				t.Errorf("account\n got %+v\nwant %+v", acc, want)
			}
		})
	}

	// A user without an account still has a session.
	lone := testdb.NewAccount(t, db, nil)
	if _, err := db.ExecContext(ctx, `DELETE FROM instagram_accounts WHERE id = $1`, lone.ID); err != nil {
		t.Fatal(err)
	}
	ls, err := sessions.Create(ctx, lone.UserID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if u, _, ok, err := sessions.UserAndAccount(ctx, ls.ID, lone.UserID, ""); err != nil || ok || u.ID != lone.UserID {
		t.Errorf("user without account: user %q ok %v err %v", u.ID, ok, err)
	}

	// Refused: another user's id in the claims, an expired or ended session.
	if _, _, _, err := sessions.UserAndAccount(ctx, sess.ID, other.UserID, ""); !apperr.Is(err, apperr.CodeUnauthorized) {
		t.Errorf("session of another user: %v", err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, ls.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := sessions.UserAndAccount(ctx, ls.ID, lone.UserID, ""); !apperr.Is(err, apperr.CodeUnauthorized) {
		t.Errorf("expired session: %v", err)
	}
	if err := sessions.Delete(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := sessions.UserAndAccount(ctx, sess.ID, first.UserID, first.ID); !apperr.Is(err, apperr.CodeUnauthorized) {
		t.Errorf("ended session: %v", err)
	}
}

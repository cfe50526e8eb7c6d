package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
	"creatorgrowth/internal/testdb"
)

var (
	oldKey = bytes.Repeat([]byte{1}, 32)
	newKey = bytes.Repeat([]byte{2}, 32)
)

// seedAccounts links n accounts to one user, their tokens sealed by box,
// and returns the accounts' tokens in clear by ig_user_id.
func seedAccounts(t *testing.T, db *sql.DB, box *secretbox.Box, n int) map[string]string {
	t.Helper()
	ctx := context.Background()
	var userID string
	if err := db.QueryRowContext(ctx, `INSERT INTO users (email, password) VALUES ('rekey@example.com', 'x') RETURNING id`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	plain := map[string]string{}
	for i := range n {
		ig := fmt.Sprintf("178414000000%05d", i)
		tok := fmt.Sprintf("IGQVJ-token-%d", i)
		sealed, err := box.Seal(tok, ig)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO instagram_accounts (user_id, ig_user_id, access_token) VALUES ($1, $2, $3)`, userID, ig, sealed); err != nil {
			t.Fatal(err)
		}
		plain[ig] = tok
	}
	return plain
}

func stored(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT ig_user_id, access_token FROM instagram_accounts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var ig, tok string
		if err := rows.Scan(&ig, &tok); err != nil {
			t.Fatal(err)
		}
		out[ig] = tok
	}
	return out
}

func TestRekey(t *testing.T) {
	db := testdb.New(t)
	before, _ := secretbox.New(oldKey)
	plain := seedAccounts(t, db, before, 7)
	rotated, _ := secretbox.NewKeys(newKey, oldKey)
	accounts := postgres.NewAccounts(db)

	res, err := rekey(context.Background(), accounts, rotated, 3) // three batches
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res, (result{Rekeyed: 7}); got != want {
		t.Errorf("first run = %+v, want %+v", got, want)
	}
	only, _ := secretbox.New(newKey)
	for ig, c := range stored(t, db) {
		if !strings.HasPrefix(c, "v2:"+secretbox.KeyID(newKey)+":") {
			t.Errorf("%s: %q is not under the new key", ig, c)
		}
		// The old key can go: the new one alone opens every token.
		if got, err := only.Open(c, ig); err != nil || got != plain[ig] {
			t.Errorf("%s: Open = %q, %v; want %q", ig, got, err, plain[ig])
		}
	}

	// Idempotent: a second run changes nothing.
	snapshot := stored(t, db)
	res, err = rekey(context.Background(), accounts, rotated, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res, (result{Current: 7}); got != want {
		t.Errorf("second run = %+v, want %+v", got, want)
	}
	for ig, c := range stored(t, db) {
		if c != snapshot[ig] {
			t.Errorf("%s: rewritten by the second run", ig)
		}
	}
}

func TestRekey_Unreadable(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	stranger, _ := secretbox.New(bytes.Repeat([]byte{3}, 32))
	seedAccounts(t, db, stranger, 2)
	env := map[string]string{
		"APP_ENV": "test", "DATABASE_URL": url, "JWT_SECRET": "rekey-test-secret",
		"TOKEN_ENCRYPTION_KEY": base64.StdEncoding.EncodeToString(newKey) + "," + base64.StdEncoding.EncodeToString(oldKey),
	}
	var out bytes.Buffer
	err := run(context.Background(), func(k string) string { return env[k] }, &out, 10)
	if err == nil || !strings.Contains(err.Error(), "2 tokens open with none of the keys") {
		t.Errorf("run = %v, want an error naming 2 unreadable tokens", err)
	}
	if got, want := out.String(), "tokens: re-encrypted 0, already current 0, changed meanwhile 0, unreadable 2\n"+
		"queued mail: re-encrypted 0, already current 0, sent meanwhile 0, unreadable 0\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

func TestRekey_QueuedMail(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	before, _ := secretbox.New(oldKey)
	rotated, _ := secretbox.NewKeys(newKey, oldKey)
	jobs := postgres.NewJobs(db)
	const id = "6f1c1a52-3a43-4c55-9a53-1f0e8e4f3c11"
	sealed, err := before.Seal(`{"to":"a@example.com","subject":"s","text":"t"}`, mail.PayloadAAD(id))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.EnqueuePayload(ctx, id, mail.KindSendMail, "k1", sealed, time.Now().Add(time.Hour), 3); err != nil {
		t.Fatal(err)
	}
	res, err := rekeyMail(ctx, jobs, rotated, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res, (result{Rekeyed: 1}); got != want {
		t.Errorf("first run = %+v, want %+v", got, want)
	}
	var payload string
	if err := db.QueryRowContext(ctx, `SELECT payload FROM jobs WHERE id = $1`, id).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	only, _ := secretbox.New(newKey)
	if got, err := only.Open(payload, mail.PayloadAAD(id)); err != nil || !strings.Contains(got, "a@example.com") {
		t.Errorf("payload under the new key: %q, %v", got, err)
	}
	if res, _ := rekeyMail(ctx, jobs, rotated, 10); res != (result{Current: 1}) {
		t.Errorf("second run = %+v, want one current", res)
	}
}

package httpapi_test

import (
	"context"
	"database/sql"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/postgres"
)

func TestChangePassword(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t, withLimits(highLimits()))
	token, user := api.register(t, "change@example.com", "old-password-1")
	res := api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "change@example.com", "password": "old-password-1"})
	other := res.Body["token"].(string)

	t.Run("ErrWrongCurrent", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/user/password", map[string]string{"current_password": "not-it-at-all", "new_password": "new-password-1"}, bearer(token))
		wantError(t, res, http.StatusUnauthorized, "invalid_credentials")
	})
	t.Run("ErrWeakNew", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/user/password", map[string]string{"current_password": "old-password-1", "new_password": "short"}, bearer(token))
		wantError(t, res, http.StatusBadRequest, "weak_password")
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/user/password", `{"current_password":"old-password-1","new_password":"new-password-1","email":"x@y.z"}`, bearer(token))
		wantError(t, res, http.StatusBadRequest, "invalid_request")
	})
	t.Run("OK", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/user/password", map[string]string{"current_password": "old-password-1", "new_password": "new-password-1"}, bearer(token))
		if res.Status != http.StatusOK {
			t.Fatalf("status = %d (%s)", res.Status, res.Raw)
		}
		wantKeys(t, res.Body, "token", "token_type", "expires_in", "user")
		fresh, _ := res.Body["token"].(string)
		if ck := sessionCookieOf(res); ck == nil || ck.Value != fresh {
			t.Errorf("cookie = %v, want the new session's token", ck)
		}
		if got := res.Body["user"].(map[string]any)["id"]; got != user["id"] {
			t.Errorf("user id = %v, want %v", got, user["id"])
		}
		// Every earlier session ended, the asking one included.
		for _, tok := range []string{token, other} {
			wantError(t, api.do(t, http.MethodGet, "/api/user/me", nil, bearer(tok)), http.StatusUnauthorized, "unauthorized")
		}
		if got := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(fresh)).Status; got != http.StatusOK {
			t.Errorf("new session: %d, want 200", got)
		}
		wantError(t, api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "change@example.com", "password": "old-password-1"}), http.StatusUnauthorized, "invalid_credentials")
		if got := api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": "change@example.com", "password": "new-password-1"}).Status; got != http.StatusOK {
			t.Errorf("login with the new password: %d", got)
		}
	})
}

func TestUpdateMe(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	token, _ := api.register(t, "settings@example.com", "password-1")
	for _, tc := range []struct {
		name     string
		body     any
		tz       string
		digest   bool
		errCode  string
		errField string
	}{
		{name: "Timezone", body: map[string]any{"timezone": "Europe/Berlin"}, tz: "Europe/Berlin", digest: true},
		{name: "Digest", body: map[string]any{"weekly_digest": false}, tz: "Europe/Berlin", digest: false},
		{name: "Both", body: map[string]any{"timezone": "America/New_York", "weekly_digest": true}, tz: "America/New_York", digest: true},
		{name: "Nothing", body: map[string]any{}, tz: "America/New_York", digest: true},
		{name: "ErrUnknownZone", body: map[string]any{"timezone": "Mars/Olympus"}, errCode: "invalid_request"},
		{name: "ErrLocalZone", body: map[string]any{"timezone": "Local"}, errCode: "invalid_request"},
		{name: "ErrPathZone", body: map[string]any{"timezone": "../../etc/passwd"}, errCode: "invalid_request"},
		{name: "ErrEmptyZone", body: map[string]any{"timezone": ""}, errCode: "invalid_request"},
		{name: "ErrUnknownField", body: map[string]any{"email": "new@example.com"}, errCode: "invalid_request"},
		{name: "ErrDigestType", body: `{"weekly_digest":"yes"}`, errCode: "invalid_request"},
		{name: "ErrNull", body: `null`, errCode: "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := api.do(t, http.MethodPatch, "/api/user/me", tc.body, bearer(token))
			if tc.errCode != "" {
				wantError(t, res, http.StatusBadRequest, tc.errCode)
				return
			}
			if res.Status != http.StatusOK {
				t.Fatalf("status = %d (%s)", res.Status, res.Raw)
			}
			wantKeys(t, res.Body, userKeys...)
			me := api.do(t, http.MethodGet, "/api/user/me", nil, bearer(token)).Body
			for _, got := range []map[string]any{res.Body, me} {
				if got["timezone"] != tc.tz || got["weekly_digest"] != tc.digest {
					t.Errorf("user = %v, want timezone %s, weekly_digest %v", got, tc.tz, tc.digest)
				}
			}
		})
	}
	wantError(t, api.do(t, http.MethodPatch, "/api/user/me", map[string]any{"weekly_digest": true}), http.StatusUnauthorized, "unauthorized")
}

// userRows counts, in every table of the public schema with a user_id,
// account_id or post_id column, the rows that belong to the user, to one
// of accounts or to one of posts, and returns the tables with any.
func userRows(t *testing.T, db *sql.DB, userID string, accounts, posts []string) (left map[string]int, checked []string) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name IN ('user_id', 'account_id', 'post_id') ORDER BY table_name, column_name`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	left = map[string]int{}
	for _, c := range cols {
		ids := map[string][]string{"user_id": {userID}, "account_id": accounts, "post_id": posts}[c.column]
		var n int
		// The names come from the catalogue, not from input.
		q := `SELECT count(*) FROM ` + c.table + ` WHERE ` + c.column + `::text = ANY($1)`
		if err := db.QueryRowContext(ctx, q, pq.Array(ids)).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n > 0 {
			left[c.table+"."+c.column] = n
		}
		checked = append(checked, c.table+"."+c.column)
	}
	return left, checked
}

func TestDeleteMe(t *testing.T) {
	const igID = "17841400000000971"
	h := igsynctest.New(t, igsynctest.Options{Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: 40, Followers: 900}}})
	token := h.Register()
	h.MustConnect(token, igID)
	if st := h.WaitSync(token, ""); st["posts_fetched"] != float64(40) {
		t.Fatalf("sync = %v", st)
	}
	userID := igUserID(t, h, token)
	email := h.Do(http.MethodGet, "/api/user/me", token, nil).Body["email"].(string)
	second := h.Do(http.MethodPost, "/api/auth/login", "", map[string]string{"email": email, "password": "correct horse battery"}).Body["token"].(string)
	// Pending links and a started connection belong to the user too.
	tokens := postgres.NewUserTokens(h.DB)
	for _, p := range []string{postgres.PurposeVerifyEmail, postgres.PurposePasswordReset} {
		if _, err := tokens.Issue(context.Background(), userID, p, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	h.Start(token)
	accounts := ids(t, h.DB, `SELECT id::text FROM instagram_accounts WHERE user_id = $1`, userID)
	posts := ids(t, h.DB, `SELECT p.id::text FROM instagram_posts p JOIN instagram_accounts a ON a.id = p.account_id WHERE a.user_id = $1`, userID)
	before, checked := userRows(t, h.DB, userID, accounts, posts)
	for _, want := range []string{"sessions.user_id", "user_tokens.user_id", "oauth_states.user_id", "instagram_accounts.user_id",
		"instagram_posts.account_id", "follower_snapshots.account_id", "jobs.account_id", "instagram_post_hashtags.post_id"} {
		if !slices.Contains(checked, want) || before[want] == 0 {
			t.Errorf("%s: checked %v, %d rows before deletion; want it checked, with rows", want, slices.Contains(checked, want), before[want])
		}
	}
	if len(accounts) != 1 || len(posts) != 40 || before["sessions.user_id"] != 2 || before["jobs.account_id"] == 0 {
		t.Fatalf("before deletion: accounts %d, posts %d, rows %v", len(accounts), len(posts), before)
	}

	t.Run("ErrWrongPassword", func(t *testing.T) {
		res := h.Do(http.MethodDelete, "/api/user/me", token, map[string]string{"password": "not the password"})
		if res.Status != http.StatusUnauthorized || res.Body["code"] != "invalid_credentials" {
			t.Errorf("status = %d %s, want 401 invalid_credentials", res.Status, res.Raw)
		}
		if n := h.Int(`SELECT count(*) FROM users WHERE id = $1`, userID); n != 1 {
			t.Errorf("users = %d, want 1", n)
		}
	})
	t.Run("ErrNoBody", func(t *testing.T) {
		if res := h.Do(http.MethodDelete, "/api/user/me", token, nil); res.Status != http.StatusBadRequest {
			t.Errorf("status = %d, want 400", res.Status)
		}
	})
	t.Run("OK", func(t *testing.T) {
		res := h.Do(http.MethodDelete, "/api/user/me", token, map[string]string{"password": "correct horse battery"})
		if res.Status != http.StatusNoContent {
			t.Fatalf("status = %d (%s)", res.Status, res.Raw)
		}
		left, _ := userRows(t, h.DB, userID, accounts, posts)
		if len(left) != 0 {
			t.Errorf("rows of the deleted user left: %v", left)
		}
		if n := h.Int(`SELECT count(*) FROM users WHERE id = $1 OR email = $2`, userID, email); n != 0 {
			t.Errorf("users = %d, want 0", n)
		}
		// No encrypted Instagram token is kept anywhere.
		if n := h.Int(`SELECT count(*) FROM instagram_accounts WHERE ig_user_id = $1`, igID); n != 0 {
			t.Errorf("instagram_accounts rows for the account = %d, want 0", n)
		}
		for _, tok := range []string{token, second} {
			if res := h.Do(http.MethodGet, "/api/user/me", tok, nil); res.Status != http.StatusUnauthorized {
				t.Errorf("a session of the deleted user: %d, want 401", res.Status)
			}
			if res := h.Do(http.MethodGet, "/api/growth/stats", tok, nil); res.Status != http.StatusUnauthorized {
				t.Errorf("stats for the deleted user: %d, want 401", res.Status)
			}
		}
		// The email can register again, and the Instagram account be linked anew.
		again := h.Do(http.MethodPost, "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"})
		if again.Status != http.StatusCreated {
			t.Fatalf("register again: %d %s", again.Status, again.Raw)
		}
		h.MustConnect(again.Body["token"].(string), igID)
	})
}

func ids(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

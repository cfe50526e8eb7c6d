package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

const (
	igAliceAccount = "17841400000000301"
	igBobAccount   = "17841400000000302"
	igAliceSecond  = "17841400000000303"
)

func igIsolationHarness(t *testing.T) *igsynctest.Harness {
	return igsynctest.New(t, igsynctest.Options{Accounts: []sandbox.AccountSpec{
		{UserID: igAliceAccount, Username: "alice", Posts: 30},
		{UserID: igBobAccount, Username: "bob", Posts: 10},
		{UserID: igAliceSecond, Username: "alice.two", Posts: 5},
	}})
}

// igAccountID returns the id of the user's current account.
func igAccountID(t *testing.T, h *igsynctest.Harness, token, query string) string {
	t.Helper()
	res := h.Do(http.MethodGet, "/api/instagram/posts?limit=200"+strings.Replace(query, "?", "&", 1), token, nil)
	acc, _ := res.Body["account"].(map[string]any)
	id, _ := acc["id"].(string)
	if id == "" {
		t.Fatalf("posts: %d %s", res.Status, res.Raw)
	}
	return id
}

// igEndpoints are the account endpoints; each acts on ?account_id=.
var igEndpoints = []struct{ method, path string }{
	{http.MethodGet, "/api/instagram/posts"},
	{http.MethodGet, "/api/instagram/sync"},
	{http.MethodPost, "/api/instagram/refresh"},
	{http.MethodDelete, "/api/instagram/disconnect"},
	{http.MethodGet, "/api/growth/stats"},
	{http.MethodGet, "/api/growth/audience"},
}

// igWantNoAccount checks that every account endpoint answers 404
// no_instagram_account to the user for query.
func igWantNoAccount(t *testing.T, h *igsynctest.Harness, token, query string) {
	t.Helper()
	for _, e := range igEndpoints {
		res := h.Do(e.method, e.path+query, token, nil)
		if res.Status != http.StatusNotFound || res.Body["code"] != "no_instagram_account" {
			t.Errorf("%s %s%s: %d %s, want 404 no_instagram_account", e.method, e.path, query, res.Status, res.Raw)
		}
	}
}

func TestInstagramIsolation(t *testing.T) {
	h := igIsolationHarness(t)
	alice, bob := h.Register(), h.Register()
	h.MustConnect(alice, igAliceAccount)
	h.WaitSync(alice, "")
	aliceAcc := igAccountID(t, h, alice, "")

	t.Run("WithoutAnAccount", func(t *testing.T) {
		igWantNoAccount(t, h, bob, "")
		igWantNoAccount(t, h, bob, "?account_id="+aliceAcc)
	})
	h.MustConnect(bob, igBobAccount)
	h.WaitSync(bob, "")
	bobAcc := igAccountID(t, h, bob, "")

	t.Run("NamingAnotherUsersAccount", func(t *testing.T) {
		igWantNoAccount(t, h, bob, "?account_id="+aliceAcc)
		igWantNoAccount(t, h, bob, "?account_id="+strings.ToUpper(aliceAcc))
		if got := h.Int(`SELECT count(*) FROM instagram_posts WHERE account_id = $1`, aliceAcc); got != 30 {
			t.Errorf("alice's posts = %d after bob's requests, want 30", got)
		}
		if got := h.Int(`SELECT count(*) FROM jobs WHERE account_id = $1 AND kind = 'fetch_posts' AND state = 'queued'`, aliceAcc); got != 0 {
			t.Errorf("bob scheduled %d fetches for alice's account", got)
		}
	})
	t.Run("OwnPostsOnly", func(t *testing.T) {
		posts, count := igAllPosts(t, h, bob, 200)
		if count != 10 || len(posts) != 10 {
			t.Errorf("bob sees %d posts (posts_count %d), want 10", len(posts), count)
		}
		igWantPosts(t, posts, h.Sandbox.Account(igBobAccount).Posts())
	})
	t.Run("ErrMalformedAccountID", func(t *testing.T) {
		for _, e := range igEndpoints[:4] {
			res := h.Do(e.method, e.path+"?account_id=not-a-uuid", bob, nil)
			if res.Status != http.StatusBadRequest || res.Body["code"] != "invalid_request" {
				t.Errorf("%s %s: %d %s, want 400 invalid_request", e.method, e.path, res.Status, res.Raw)
			}
		}
	})
	t.Run("SeveralAccounts", func(t *testing.T) {
		h.MustConnect(alice, igAliceSecond)
		h.WaitSync(alice, "")
		if got := igAccountID(t, h, alice, ""); got == aliceAcc {
			t.Error("the default account is not the most recently connected one")
		}
		if got := igAccountID(t, h, alice, "?account_id="+aliceAcc); got != aliceAcc {
			t.Errorf("account_id selects %s, want %s", got, aliceAcc)
		}
		if _, count := igAllPosts(t, h, alice, 200); count != 5 {
			t.Errorf("posts_count of the newest account = %d, want 5", count)
		}
	})
	t.Run("DisconnectCascades", func(t *testing.T) {
		res := h.Do(http.MethodDelete, "/api/instagram/disconnect?account_id="+bobAcc, bob, nil)
		if res.Status != http.StatusOK || string(res.Raw) != `{"message":"Instagram account disconnected"}` {
			t.Fatalf("disconnect: %d %s", res.Status, res.Raw)
		}
		for _, table := range []string{"instagram_accounts WHERE id", "instagram_posts WHERE account_id", "follower_snapshots WHERE account_id", "jobs WHERE account_id"} {
			if got := h.Int(`SELECT count(*) FROM `+table+` = $1`, bobAcc); got != 0 {
				t.Errorf("%s: %d rows left", table, got)
			}
		}
		igWantNoAccount(t, h, bob, "")
		if got := h.Int(`SELECT count(*) FROM instagram_posts WHERE account_id = $1`, aliceAcc); got != 30 {
			t.Errorf("alice's posts = %d, want 30", got)
		}
	})
}

// igWantAbsent fails when any secret occurs in text.
func igWantAbsent(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if len(s) >= 8 && strings.Contains(text, s) {
			t.Errorf("%s holds the secret %.10s…", where, s)
		}
	}
}

func TestInstagramSecrets_NeverStoredLoggedOrSent(t *testing.T) {
	clock := &igClock{}
	h := igsynctest.New(t, igsynctest.Options{Now: clock.Now, Accounts: []sandbox.AccountSpec{
		{UserID: igAliceAccount, Posts: 120}, {UserID: igBobAccount, Posts: 3},
	}})
	// Failures make the client log its requests and retries.
	h.Sandbox.InjectFault(sandbox.Fault{Endpoint: sandbox.EndpointExchange, Status: 500, Times: 1})
	h.Sandbox.InjectFault(sandbox.Fault{Endpoint: sandbox.EndpointMedia, Status: 500, After: 1, Times: 4})
	alice, bob := h.Register(), h.Register()
	h.MustConnect(alice, igAliceAccount)
	h.WaitSync(alice, "")
	h.Do(http.MethodPost, "/api/instagram/refresh", alice, nil)
	h.WaitSync(alice, "")
	h.Do(http.MethodGet, "/api/instagram/posts?limit=200", alice, nil)

	// A token refresh, and an account whose token is revoked.
	clock.Advance(25 * time.Hour)
	h.Exec(`UPDATE instagram_accounts SET token_expires_at = now() + interval '2 days', token_issued_at = now() - interval '50 days'`)
	if err := h.Service.EnqueueDueRefreshes(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.Eventually("the refresh", func() bool {
		return h.Int(`SELECT count(*) FROM jobs WHERE kind = 'refresh_token' AND state = 'done'`) == 1
	})
	h.MustConnect(bob, igBobAccount)
	h.WaitSync(bob, "")
	h.Sandbox.RevokeAll(igBobAccount)
	h.Do(http.MethodPost, "/api/instagram/refresh", bob, nil)
	if st := h.WaitSync(bob, ""); st["state"] != "failed" {
		t.Errorf("bob's sync = %v, want failed", st)
	}
	// A replayed callback carries a spent code.
	g := h.Authorize(alice, igAliceAccount)
	h.Callback(g.CallbackURL, g.Cookie)
	h.Callback(igWithQuery(t, g.CallbackURL, "state", g.State+"x"), nil)

	issued := h.Issued()
	if len(issued) < 7 { // 3 codes, and short, long and refreshed tokens
		t.Fatalf("recorded %d secrets, want at least 7", len(issued))
	}
	igWantAbsent(t, "the database", h.AllText(), issued)
	igWantAbsent(t, "an API response", h.Bodies(), issued)
	logs := h.Logs.String()
	igWantAbsent(t, "the logs", logs, append(issued, igsynctest.ClientSecret))
	if !strings.Contains(logs, "instagram request failed, retrying") || !strings.Contains(logs, "access_token=REDACTED") {
		t.Error("the logs lack the client's redacted retry lines; the check above proves little")
	}
	if !strings.Contains(h.AllText(), "instagram_accounts.access_token=v2:") {
		t.Error("no sealed token in instagram_accounts.access_token")
	}
}

package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

// igStartURL asks GET /api/instagram/connect for the start address.
func igStartURL(t *testing.T, h *igsynctest.Harness, token string) string {
	t.Helper()
	res := h.Do(http.MethodGet, "/api/instagram/connect", token, nil)
	u, _ := res.Body["url"].(string)
	if res.Status != http.StatusOK || u == "" {
		t.Fatalf("connect: %d %s", res.Status, res.Raw)
	}
	return u
}

// igOpen requests target as a browser navigation would, with the cookies
// given, and returns the status and the Location.
func igOpen(t *testing.T, h *igsynctest.Harness, target string, cookies ...*http.Cookie) (int, string, []*http.Cookie) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location"), resp.Cookies()
}

func TestInstagramStart(t *testing.T) {
	const igID = "17841400000000951"
	h := igsynctest.New(t, igsynctest.Options{Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: 3}}})
	invalid := igsynctest.Failed("invalid_state")

	t.Run("OK", func(t *testing.T) {
		token := h.Register()
		start := igStartURL(t, h, token)
		u, err := url.Parse(start)
		if err != nil || u.Scheme+"://"+u.Host != h.URL || u.Path != "/auth/instagram/start" || len(u.Query().Get("ticket")) < 43 {
			t.Fatalf("connect url = %q, want %s/auth/instagram/start?ticket=<32 random bytes>", start, h.URL)
		}
		status, loc, cookies := igOpen(t, h, start)
		if status != http.StatusFound || !strings.HasPrefix(loc, h.SBServer.URL+"/oauth/authorize?") {
			t.Fatalf("start: %d Location %q, want 302 to the authorize page", status, loc)
		}
		var binding *http.Cookie
		for _, c := range cookies {
			if c.Name == "cgt_oauth_state" {
				binding = c
			}
		}
		if binding == nil || !binding.HttpOnly || binding.SameSite != http.SameSiteLaxMode || binding.Path != "/auth/instagram" || binding.MaxAge != 600 {
			t.Fatalf("binding cookie = %+v, want HttpOnly, SameSite=Lax, Path=/auth/instagram, 10 minutes", binding)
		}
		// The ticket is spent: a second visit gets no flow.
		if status, loc, _ := igOpen(t, h, start); status != http.StatusFound || loc != invalid {
			t.Errorf("second visit: %d %q, want %q", status, loc, invalid)
		}
		// The ticket is stored only as its hash.
		ticket := u.Query().Get("ticket")
		if n := h.Int(`SELECT count(*) FROM user_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8')) AND used_at IS NOT NULL`, ticket); n != 1 {
			t.Errorf("rows with the ticket's hash, used = %d, want 1", n)
		}
		if strings.Contains(h.AllText(), ticket) {
			t.Error("the database holds the ticket itself")
		}
	})

	t.Run("ErrMadeUpTicket", func(t *testing.T) {
		for _, q := range []string{"", "?ticket=", "?ticket=AAAA", "?ticket=" + strings.Repeat("x", 43)} {
			if status, loc, cookies := igOpen(t, h, h.URL+"/auth/instagram/start"+q); status != http.StatusFound || loc != invalid || len(cookies) != 0 {
				t.Errorf("start%s: %d %q %v, want %q and no cookie", q, status, loc, cookies, invalid)
			}
		}
	})

	t.Run("ErrTicketOfAnotherUser", func(t *testing.T) {
		// An attacker plants their ticket in the victim's signed-in browser,
		// to link the victim's Instagram account to the attacker's user.
		attacker, victim := h.Register(), h.Register()
		start := igStartURL(t, h, attacker)
		session := &http.Cookie{Name: "session", Value: victim}
		if status, loc, cookies := igOpen(t, h, start, session); status != http.StatusFound || loc != invalid || len(cookies) != 0 {
			t.Errorf("start in the victim's browser: %d %q %v, want %q and no cookie", status, loc, cookies, invalid)
		}
		if !strings.Contains(h.Logs.String(), "security: oauth start refused") {
			t.Error("the refused start is not logged as a security event")
		}
	})
}

// TestInstagramCallback_BindingAttacks are the login-CSRF and
// account-linking attacks on the OAuth flow. Each was accepted when the
// binding cookie was optional.
func TestInstagramCallback_BindingAttacks(t *testing.T) {
	const (
		victimIG   = "17841400000000961"
		attackerIG = "17841400000000962"
	)
	h := igsynctest.New(t, igsynctest.Options{
		Accounts: []sandbox.AccountSpec{{UserID: victimIG, Posts: 3}, {UserID: attackerIG, Posts: 3}},
	})
	invalid := igsynctest.Failed("invalid_state")
	linked := func() int { return h.Int(`SELECT count(*) FROM instagram_accounts`) }

	t.Run("ErrVictimConsentsToAttackersFlow", func(t *testing.T) {
		// The attacker starts a flow in their own browser and sends the
		// victim the authorize link; the victim consents with their own
		// Instagram account and their browser, without the attacker's
		// binding cookie, comes back with the attacker's state.
		attacker := h.Register()
		g := h.Authorize(attacker, victimIG)
		exchanges := h.Sandbox.Calls(sandbox.EndpointExchange)
		if got := h.Callback(g.CallbackURL, nil); got != invalid {
			t.Errorf("Location = %q, want %q", got, invalid)
		}
		if got := h.Sandbox.Calls(sandbox.EndpointExchange); got != exchanges {
			t.Errorf("code exchanges = %d, want %d: a refused callback's code was exchanged", got, exchanges)
		}
		if n := linked(); n != 0 {
			t.Errorf("linked accounts = %d, want 0", n)
		}
		// The code is still good for the browser that started the flow,
		// since it was never spent.
		if got := h.Callback(g.CallbackURL, g.Cookie); got != igsynctest.Connected {
			t.Errorf("the attacker's own callback: Location = %q, want %q", got, igsynctest.Connected)
		}
		h.Do(http.MethodDelete, "/api/instagram/disconnect", attacker, nil)
	})

	t.Run("ErrAttackersCodeInVictimsBrowser", func(t *testing.T) {
		// Login CSRF: the victim, in the middle of their own flow, is sent
		// to the callback with the attacker's code and state, so that the
		// victim's dashboard would show the attacker's account.
		attacker, victim := h.Register(), h.Register()
		evil := h.Authorize(attacker, attackerIG)
		mine := h.Authorize(victim, victimIG)
		exchanges := h.Sandbox.Calls(sandbox.EndpointExchange)
		if got := h.Callback(evil.CallbackURL, mine.Cookie); got != invalid {
			t.Errorf("Location = %q, want %q", got, invalid)
		}
		if got := h.Sandbox.Calls(sandbox.EndpointExchange); got != exchanges {
			t.Errorf("code exchanges = %d, want %d", got, exchanges)
		}
		if n := linked(); n != 0 {
			t.Errorf("linked accounts = %d, want 0", n)
		}
		// The refusal is a security event with the user, the reason and
		// the client, and neither the code nor the state.
		logs := h.Logs.String()
		var line string
		for _, l := range strings.Split(logs, "\n") {
			if strings.Contains(l, "security: oauth state refused") && strings.Contains(l, "binding cookie of another flow") {
				line = l
			}
		}
		if line == "" {
			t.Fatalf("no security event for the refused state in the log")
		}
		for _, want := range []string{`"user_id":"` + igUserID(t, h, attacker) + `"`, `"reason":"invalid_state"`, `"client_ip":"127.0.0.1"`} {
			if !strings.Contains(line, want) {
				t.Errorf("security event %s lacks %s", line, want)
			}
		}
		for _, secret := range []string{evil.Code, evil.State, mine.Cookie.Value} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log holds a code, state or nonce")
			}
		}
	})
}

package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

// igWithQuery returns raw with the query parameter key set to value.
func igWithQuery(t *testing.T, raw, key, value string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// igExpiredState signs a state for userID as the server does, expired.
func igExpiredState(t *testing.T, userID string) string {
	t.Helper()
	now := time.Now()
	claims := jwt.MapClaims{
		"uid": userID, "jti": "expired-nonce-0123456789", "aud": []string{"instagram-oauth-state"},
		"iat": now.Add(-20 * time.Minute).Unix(), "exp": now.Add(-10 * time.Minute).Unix(),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(igsynctest.JWTSecret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func igUserID(t *testing.T, h *igsynctest.Harness, token string) string {
	t.Helper()
	res := h.Do(http.MethodGet, "/api/user/me", token, nil)
	id, _ := res.Body["id"].(string)
	if id == "" {
		t.Fatalf("me: %d %s", res.Status, res.Raw)
	}
	return id
}

func TestInstagramCallback_Reasons(t *testing.T) {
	const igID = "17841400000000901"
	h := igsynctest.New(t, igsynctest.Options{
		Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: 3}, {UserID: "17841400000000902", Posts: 3}},
	})
	invalid := igsynctest.Failed("invalid_state")

	t.Run("ErrTamperedState", func(t *testing.T) {
		token := h.Register()
		g := h.Authorize(token, igID)
		tampered := g.State[:len(g.State)-4] + strings.Map(func(r rune) rune {
			if r == 'A' {
				return 'B'
			}
			return 'A'
		}, g.State[len(g.State)-4:])
		if got := h.Callback(igWithQuery(t, g.CallbackURL, "state", tampered), g.Cookie); got != invalid {
			t.Errorf("Location = %q, want %q", got, invalid)
		}
	})
	t.Run("ErrExpiredState", func(t *testing.T) {
		token := h.Register()
		g := h.Authorize(token, igID)
		expired := igExpiredState(t, igUserID(t, h, token))
		if got := h.Callback(igWithQuery(t, g.CallbackURL, "state", expired), nil); got != invalid {
			t.Errorf("Location = %q, want %q", got, invalid)
		}
	})
	t.Run("ErrNoState", func(t *testing.T) {
		if got := h.Callback(h.URL+"/auth/instagram/callback?code=AQxyz", nil); got != invalid {
			t.Errorf("Location = %q, want %q", got, invalid)
		}
	})
	t.Run("ErrReplayed", func(t *testing.T) {
		token := h.Register()
		g := h.Authorize(token, igID)
		if got := h.Callback(g.CallbackURL, g.Cookie); got != igsynctest.Connected {
			t.Fatalf("first callback: Location = %q", got)
		}
		if got := h.Callback(g.CallbackURL, g.Cookie); got != invalid {
			t.Errorf("replayed callback: Location = %q, want %q", got, invalid)
		}
		if got := h.Callback(g.CallbackURL, nil); got != invalid {
			t.Errorf("replayed callback without cookie: Location = %q, want %q", got, invalid)
		}
		h.Do(http.MethodDelete, "/api/instagram/disconnect", token, nil)
	})
	t.Run("ErrStateOfAnotherUser", func(t *testing.T) {
		tokenA, tokenB := h.Register(), h.Register()
		a := h.Authorize(tokenA, igID)
		b := h.Authorize(tokenB, igID)
		// A's browser arrives with B's state (a forged link).
		if got := h.Callback(b.CallbackURL, a.Cookie); got != invalid {
			t.Errorf("Location = %q, want %q", got, invalid)
		}
		for _, tok := range []string{tokenA, tokenB} {
			if res := h.Do(http.MethodGet, "/api/instagram/sync", tok, nil); res.Status != http.StatusNotFound {
				t.Errorf("sync after a refused callback: %d %s, want 404", res.Status, res.Raw)
			}
		}
	})
	t.Run("ErrDenied", func(t *testing.T) {
		token := h.Register()
		g := h.Authorize(token, "")
		if !strings.Contains(g.CallbackURL, "error=access_denied") {
			t.Fatalf("sandbox redirect = %q, want error=access_denied", g.CallbackURL)
		}
		if got, want := h.Callback(g.CallbackURL, g.Cookie), igsynctest.Failed("denied"); got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
	})
	t.Run("ErrBadCode", func(t *testing.T) {
		token := h.Register()
		g := h.Authorize(token, igID)
		bad := igWithQuery(t, g.CallbackURL, "code", "AQnot-a-code-that-was-issued")
		if got, want := h.Callback(bad, g.Cookie), igsynctest.Failed("exchange_failed"); got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
	})
	t.Run("ErrAlreadyLinked", func(t *testing.T) {
		const other = "17841400000000902"
		tokenA, tokenB := h.Register(), h.Register()
		h.MustConnect(tokenA, other)
		if got, want := h.Connect(tokenB, other), igsynctest.Failed("already_linked"); got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
		res := h.Do(http.MethodGet, "/api/instagram/posts", tokenA, nil)
		if acc, _ := res.Body["account"].(map[string]any); res.Status != http.StatusOK || acc["ig_user_id"] != other {
			t.Errorf("first user's posts: %d %s, want the account kept", res.Status, res.Raw)
		}
		if res := h.Do(http.MethodGet, "/api/instagram/posts", tokenB, nil); res.Status != http.StatusNotFound || res.Body["code"] != "no_instagram_account" {
			t.Errorf("second user's posts: %d %s, want 404 no_instagram_account", res.Status, res.Raw)
		}
		if got := h.Int(`SELECT count(*) FROM instagram_accounts WHERE ig_user_id = $1`, other); got != 1 {
			t.Errorf("rows for the account = %d, want 1", got)
		}
	})
}

func TestInstagramCallback_WrappedTokenResponse(t *testing.T) {
	const igID = "17841400000000903"
	h := igsynctest.New(t, igsynctest.Options{Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: 5}}})
	h.Sandbox.SetWrappedTokenResponse(true)
	token := h.Register()
	h.MustConnect(token, igID)
	if st := h.WaitSync(token, ""); st["state"] != "idle" || st["posts_fetched"] != float64(5) {
		t.Errorf("sync = %v", st)
	}
}

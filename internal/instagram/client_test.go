package instagram

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

func TestClient_AuthorizeURL(t *testing.T) {
	c := NewClient(Config{ClientID: "990602627938098", RedirectURI: "https://my.example/cb"})
	u, err := url.Parse(c.AuthorizeURL("xyz"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Scheme+"://"+u.Host+u.Path, DefaultAuthURL; got != want {
		t.Errorf("base = %q, want %q", got, want)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"client_id": "990602627938098", "redirect_uri": "https://my.example/cb", "response_type": "code",
		"scope": "instagram_business_basic,instagram_business_manage_insights", "state": "xyz",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestClient_FullFlow(t *testing.T) {
	for _, wrapped := range []bool{false, true} {
		name := "Flat"
		if wrapped {
			name = "Wrapped"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			e.sb.SetWrappedTokenResponse(wrapped)
			acct := e.sb.Account("17841400000000001")
			ctx := context.Background()

			short, err := e.client.ExchangeCode(ctx, e.authorize(t, acct.UserID))
			if err != nil {
				t.Fatalf("ExchangeCode: %v", err)
			}
			// The app-scoped id is above 2^53 and not representable as a float64.
			if got, want := short.UserID, acct.AppScopedID; got != want {
				t.Errorf("UserID = %q, want %q", got, want)
			}
			if !slices.Contains(short.Permissions, "instagram_business_basic") {
				t.Errorf("Permissions = %v, want instagram_business_basic", short.Permissions)
			}

			long, err := e.client.ExchangeLongLived(ctx, short.AccessToken)
			if err != nil {
				t.Fatalf("ExchangeLongLived: %v", err)
			}
			if got, want := long.ExpiresIn, 5183944*time.Second; got != want {
				t.Errorf("ExpiresIn = %v, want %v", got, want)
			}
			if long.AccessToken == short.AccessToken || long.AccessToken == "" {
				t.Errorf("long-lived token %q should be new", long.AccessToken)
			}

			p, err := e.client.Me(ctx, long.AccessToken)
			if err != nil {
				t.Fatalf("Me: %v", err)
			}
			if got, want := p.UserID, acct.UserID; got != want {
				t.Errorf("Profile.UserID = %q, want %q", got, want)
			}
			if p.ID == p.UserID || p.ID == "" {
				t.Errorf("Profile.ID = %q should be the app-scoped id, not %q", p.ID, p.UserID)
			}
			if got, want := p.FollowersCount, acct.Followers(); got != want {
				t.Errorf("FollowersCount = %d, want %d", got, want)
			}
			if got, want := p.MediaCount, 300; got != want {
				t.Errorf("MediaCount = %d, want %d", got, want)
			}
			if got, want := p.Username, "sandbox.creator"; got != want {
				t.Errorf("Username = %q, want %q", got, want)
			}

			items, skipped, _, err := e.collect(t, long.AccessToken, 0)
			if err != nil {
				t.Fatalf("Media: %v", err)
			}
			if len(skipped) != 0 {
				t.Errorf("skipped %v", skipped)
			}
			assertSamePosts(t, items, acct.Posts())
			if _, ok := e.client.LastUsage(); !ok {
				t.Error("LastUsage: no usage headers seen")
			}
		})
	}
}

// assertSamePosts compares what the client delivered with the sandbox's data.
func assertSamePosts(t *testing.T, got []Media, want []sandbox.Post) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d posts, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		switch {
		case g.ID != w.ID, g.Caption != w.Caption, g.MediaType != w.MediaType, g.Permalink != w.Permalink,
			g.MediaURL != w.MediaURL, g.ThumbnailURL != w.ThumbnailURL, g.MediaProductType != w.MediaProductType, g.CommentsCount != w.CommentsCount, !g.Timestamp.Equal(w.Timestamp):
			t.Fatalf("post %d = %+v, want %+v", i, g, w)
		case (g.LikeCount == nil) != (w.LikeCount == nil), g.LikeCount != nil && *g.LikeCount != *w.LikeCount:
			t.Fatalf("post %d like count = %v, want %v", i, g.LikeCount, w.LikeCount)
		}
	}
}

func TestClient_ExchangeCode(t *testing.T) {
	t.Run("ErrCodeReuse", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		ctx := context.Background()
		code := e.authorize(t, "17841400000000001")
		if _, err := e.client.ExchangeCode(ctx, code); err != nil {
			t.Fatalf("first exchange: %v", err)
		}
		_, err := e.client.ExchangeCode(ctx, code)
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("second exchange: err = %v, want *APIError", err)
		}
		if got, want := apiErr.Message, "Matching code was not found or was already used"; got != want {
			t.Errorf("Message = %q, want %q", got, want)
		}
		if apiErr.Code != 400 || apiErr.HTTPStatus != 400 || apiErr.Type != "OAuthException" {
			t.Errorf("err = %+v, want code 400, HTTP 400, OAuthException", apiErr)
		}
		if got, want := e.sb.Calls("exchange"), 2; got != want {
			t.Errorf("exchange calls = %d, want %d (no retry on 400)", got, want)
		}
	})
	t.Run("RetriedOn503", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		e.sb.InjectFault(sandbox.Fault{Endpoint: "exchange", Status: 503, Times: 1})
		if _, err := e.client.ExchangeCode(context.Background(), e.authorize(t, "17841400000000001")); err != nil {
			t.Fatalf("ExchangeCode: %v", err)
		}
		if got, want := e.sb.Calls("exchange"), 2; got != want {
			t.Errorf("exchange calls = %d, want %d", got, want)
		}
	})
	t.Run("TimeoutNotRetried", func(t *testing.T) {
		e := newEnv(t, nil, func(c *Config) { c.RequestTimeout = 50 * time.Millisecond })
		e.sb.InjectFault(sandbox.Fault{Endpoint: "exchange", Delay: time.Second})
		_, err := e.client.ExchangeCode(context.Background(), e.authorize(t, "17841400000000001"))
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if got, want := e.sb.Calls("exchange"), 1; got != want {
			t.Errorf("exchange calls = %d, want %d (a sent code is never resent)", got, want)
		}
	})
	t.Run("RetriedWhenNotConnected", func(t *testing.T) {
		e := newEnv(t, nil, func(c *Config) { c.APIURL = "http://127.0.0.1:1" })
		_, err := e.client.ExchangeCode(context.Background(), "abc#_")
		if err == nil || !notSent(err) {
			t.Fatalf("err = %v, want a dial error", err)
		}
		if got, want := strings.Count(e.logs.String(), "retrying"), 3; got != want {
			t.Errorf("retries logged = %d, want %d", got, want)
		}
	})
	t.Run("ErrEmptyCode", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		if _, err := e.client.ExchangeCode(context.Background(), "#_"); err == nil {
			t.Fatal("want an error for an empty code")
		}
		if got := e.sb.Calls("exchange"); got != 0 {
			t.Errorf("exchange calls = %d, want 0", got)
		}
	})
}

func TestClient_RefreshToken(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	tok := e.longToken(t, "17841400000000001")

	_, err := e.client.RefreshToken(ctx, tok)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 100 || apiErr.TokenInvalid() || apiErr.Temporary() {
		t.Fatalf("refresh of a fresh token: err = %v, want code 100, not retryable", err)
	}
	if got, want := e.sb.Calls("refresh"), 1; got != want {
		t.Errorf("refresh calls = %d, want %d", got, want)
	}

	e.clock.Advance(25 * time.Hour)
	newTok, err := e.client.RefreshToken(ctx, tok)
	if err != nil {
		t.Fatalf("refresh after 25 h: %v", err)
	}
	if newTok.AccessToken == "" || newTok.AccessToken == tok {
		t.Errorf("refreshed token %q should be new", newTok.AccessToken)
	}
	if got, want := newTok.ExpiresIn, 5183944*time.Second; got != want {
		t.Errorf("ExpiresIn = %v, want %v", got, want)
	}
	if _, err := e.client.Me(ctx, newTok.AccessToken); err != nil {
		t.Errorf("Me with refreshed token: %v", err)
	}

	e.clock.Advance(61 * 24 * time.Hour)
	_, err = e.client.RefreshToken(ctx, tok)
	if !errors.As(err, &apiErr) || !apiErr.TokenInvalid() || apiErr.Subcode != 463 {
		t.Errorf("refresh of an expired token: err = %v, want 190/463", err)
	}
}

func TestClient_TokenInvalid(t *testing.T) {
	tests := []struct {
		name        string
		spoil       func(e *env, tok string) string
		wantSubcode int
	}{
		{"Expired", func(e *env, tok string) string { e.sb.ExpireToken(tok); return tok }, 463},
		{"Revoked", func(e *env, tok string) string { e.sb.RevokeAll("17841400000000001"); return tok }, 467},
		{"Unknown", func(*env, string) string { return "IGAAnot-a-token" }, 467},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil, nil)
			tok := e.longToken(t, "17841400000000001")
			tok = tt.spoil(e, tok)
			_, err := e.client.Me(context.Background(), tok)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if !apiErr.TokenInvalid() || apiErr.Subcode != tt.wantSubcode || apiErr.HTTPStatus != 400 {
				t.Errorf("err = %+v, want 190/%d on HTTP 400", apiErr, tt.wantSubcode)
			}
			if got, want := e.sb.Calls("me"), 1; got != want {
				t.Errorf("me calls = %d, want %d (no retry)", got, want)
			}
		})
	}
}

func TestClient_ContextCancelled(t *testing.T) {
	e := newEnv(t, nil, func(c *Config) { c.BaseBackoff, c.MaxBackoff = time.Hour, time.Hour })
	tok := e.longToken(t, "17841400000000001")
	e.sb.InjectFault(sandbox.Fault{Endpoint: "me", Status: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.client.Me(ctx, tok)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Me returned after %v; the backoff must honour ctx", d)
	}
}

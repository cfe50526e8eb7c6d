package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

// igFaultAccount is the account of the fault tests: 120 posts are three
// pages of 50 (and an empty one, with EmptyPageEvery 4).
const igFaultAccount = "17841400000000601"

func igFaultHarness(t *testing.T, o igsynctest.Options) *igsynctest.Harness {
	o.Accounts = []sandbox.AccountSpec{{UserID: igFaultAccount, Posts: 120}}
	return igsynctest.New(t, o)
}

// igAccountStatus returns the status of the user's account object.
func igAccountStatus(t *testing.T, h *igsynctest.Harness, token string) string {
	t.Helper()
	res := h.Do(http.MethodGet, "/api/instagram/posts?limit=1", token, nil)
	acc, _ := res.Body["account"].(map[string]any)
	st, _ := acc["status"].(string)
	return st
}

func TestInstagramSync_TransientFaultsClearUp(t *testing.T) {
	tests := []struct {
		name  string
		fault sandbox.Fault
	}{
		{"Err500", sandbox.Fault{Status: 500}},
		{"Err503OnAPage", sandbox.Fault{Status: 503, After: 2}},
		{"Err429Code4", sandbox.Fault{Status: 429, GraphCode: 4}},
		{"Err613", sandbox.Fault{Status: 400, GraphCode: 613}},
		{"Err80002", sandbox.Fault{Status: 429, GraphCode: 80002}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := igFaultHarness(t, igsynctest.Options{})
			token := h.Register()
			// Five failures in a row outlast the client's three tries: the job
			// itself is retried.
			f := tt.fault
			f.Endpoint, f.Times = sandbox.EndpointMedia, 5
			h.Sandbox.InjectFault(f)
			h.MustConnect(token, igFaultAccount)
			st := h.WaitSync(token, "")
			if st["state"] != "idle" || st["error"] != nil || st["posts_fetched"] != float64(120) {
				t.Errorf("sync = %v, want idle with 120 posts", st)
			}
			if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 120 {
				t.Errorf("posts stored = %d, want 120", got)
			}
			if got := h.Int(`SELECT attempts FROM jobs WHERE kind = 'fetch_posts'`); got < 2 {
				t.Errorf("job attempts = %d, want the job retried", got)
			}
			if got := igAccountStatus(t, h, token); got != "active" {
				t.Errorf("account status = %q, want active", got)
			}
		})
	}
}

func TestInstagramSync_InvalidTokenNeedsReauth(t *testing.T) {
	for _, sub := range []int{463, 467} {
		t.Run(fmt.Sprintf("Err190_%d", sub), func(t *testing.T) {
			h := igFaultHarness(t, igsynctest.Options{})
			token := h.Register()
			h.Sandbox.InjectFault(sandbox.Fault{Endpoint: sandbox.EndpointMedia, GraphCode: 190, Subcode: sub})
			h.MustConnect(token, igFaultAccount)
			st := h.WaitSync(token, "")
			msg, _ := st["error"].(string)
			if st["state"] != "failed" || !strings.Contains(msg, "reconnect") {
				t.Errorf("sync = %v, want failed asking to reconnect", st)
			}
			if got := igAccountStatus(t, h, token); got != "needs_reauth" {
				t.Errorf("account status = %q, want needs_reauth", got)
			}
			if got := h.Int(`SELECT attempts FROM jobs WHERE kind = 'fetch_posts'`); got != 1 {
				t.Errorf("attempts = %d, want 1 (not retried)", got)
			}
			// A new fetch fails at once, and reconnecting heals the account.
			h.Do(http.MethodPost, "/api/instagram/refresh", token, nil)
			if st := h.WaitSync(token, ""); st["state"] != "failed" {
				t.Errorf("sync after refresh = %v, want failed", st)
			}
			h.Sandbox.ClearFaults()
			h.MustConnect(token, igFaultAccount)
			if st := h.WaitSync(token, ""); st["state"] != "idle" || igAccountStatus(t, h, token) != "active" {
				t.Errorf("after reconnecting: sync %v, status %s", st, igAccountStatus(t, h, token))
			}
		})
	}
}

func TestInstagramSync_BrokenAnswersFailVisibly(t *testing.T) {
	tests := []struct {
		name  string
		fault sandbox.Fault
		want  string
	}{
		{"ErrMalformed", sandbox.Fault{Malformed: true}, "could not be read"},
		{"ErrTimeout", sandbox.Fault{Delay: 5 * time.Second}, "did not answer in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := igFaultHarness(t, igsynctest.Options{ClientTimeout: 150 * time.Millisecond})
			token := h.Register()
			f := tt.fault
			f.Endpoint = sandbox.EndpointMedia
			h.Sandbox.InjectFault(f)
			h.MustConnect(token, igFaultAccount)

			sawError := false
			h.Eventually("the job to fail", func() bool {
				res := h.Do(http.MethodGet, "/api/instagram/sync", token, nil)
				if msg, _ := res.Body["error"].(string); strings.Contains(msg, tt.want) {
					sawError = true
				}
				// The server keeps answering while the sync struggles.
				if hr := h.Do(http.MethodGet, "/health", "", nil); hr.Status != http.StatusOK {
					t.Fatalf("health: %d %s", hr.Status, hr.Raw)
				}
				if me := h.Do(http.MethodGet, "/api/user/me", token, nil); me.Status != http.StatusOK {
					t.Fatalf("me: %d %s", me.Status, me.Raw)
				}
				return res.Body["state"] == "failed"
			})
			if !sawError {
				t.Errorf("no sync error mentioning %q", tt.want)
			}
			if got := h.Int(`SELECT attempts FROM jobs WHERE kind = 'fetch_posts'`); got != 5 {
				t.Errorf("attempts = %d, want 5", got)
			}
			if got := igAccountStatus(t, h, token); got != "active" {
				t.Errorf("account status = %q, want active (the token is fine)", got)
			}
		})
	}
}

// igClock is a sandbox clock that tests move forward.
type igClock struct{ offset atomic.Int64 }

func (c *igClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *igClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }
func igRefreshJobs(h *igsynctest.Harness) int {
	return h.Int(`SELECT count(*) FROM jobs WHERE kind = 'refresh_token'`)
}

func TestInstagramRefresh_Tokens(t *testing.T) {
	clock := &igClock{}
	h := igFaultHarness(t, igsynctest.Options{Now: clock.Now})
	token := h.Register()
	h.MustConnect(token, igFaultAccount)
	h.WaitSync(token, "")
	ctx := context.Background()
	var before string
	if err := h.DB.QueryRow(`SELECT access_token FROM instagram_accounts`).Scan(&before); err != nil {
		t.Fatal(err)
	}

	t.Run("YoungTokenNotEnqueued", func(t *testing.T) {
		h.Exec(`UPDATE instagram_accounts SET token_expires_at = now() + interval '3 days', token_issued_at = now() - interval '1 hour'`)
		if err := h.Service.EnqueueDueRefreshes(ctx); err != nil {
			t.Fatal(err)
		}
		if got := igRefreshJobs(h); got != 0 {
			t.Errorf("refresh jobs = %d, want 0", got)
		}
	})
	t.Run("FarExpiryNotEnqueued", func(t *testing.T) {
		h.Exec(`UPDATE instagram_accounts SET token_expires_at = now() + interval '30 days', token_issued_at = now() - interval '30 days'`)
		if err := h.Service.EnqueueDueRefreshes(ctx); err != nil {
			t.Fatal(err)
		}
		if got := igRefreshJobs(h); got != 0 {
			t.Errorf("refresh jobs = %d, want 0", got)
		}
	})
	t.Run("DueTokenRefreshed", func(t *testing.T) {
		clock.Advance(25 * time.Hour) // Instagram refreshes tokens a day old
		h.Exec(`UPDATE instagram_accounts SET token_expires_at = now() + interval '3 days', token_issued_at = now() - interval '30 days'`)
		if err := h.Service.EnqueueDueRefreshes(ctx); err != nil {
			t.Fatal(err)
		}
		h.Eventually("the refresh", func() bool {
			return h.Int(`SELECT count(*) FROM jobs WHERE kind = 'refresh_token' AND state IN ('done', 'failed')`) == 1
		})
		var after, status string
		var expires, issued time.Time
		if err := h.DB.QueryRow(`SELECT access_token, token_expires_at, token_issued_at, status FROM instagram_accounts`).
			Scan(&after, &expires, &issued, &status); err != nil {
			t.Fatal(err)
		}
		if after == before || status != "active" {
			t.Errorf("token changed %v, status %s; want a new token, active", after != before, status)
		}
		if d := time.Until(expires); d < 59*24*time.Hour || d > 61*24*time.Hour {
			t.Errorf("token_expires_at in %s, want about 60 days", d)
		}
		if d := time.Since(issued); d > time.Minute || d < -time.Minute {
			t.Errorf("token_issued_at %s ago, want now", d)
		}
		// The new token works.
		h.Do(http.MethodPost, "/api/instagram/refresh", token, nil)
		if st := h.WaitSync(token, ""); st["state"] != "idle" {
			t.Errorf("sync with the refreshed token = %v", st)
		}
	})
	t.Run("RevokedTokenNeedsReauth", func(t *testing.T) {
		// The refresh before left insights readings behind; with the token
		// revoked, one of them could meet the 190 first and leave the
		// refresh nothing to fail. Let them end first.
		h.Eventually("the insights readings to end", func() bool {
			return h.Int(`SELECT count(*) FROM jobs WHERE state = 'running' OR (state = 'queued' AND run_at <= now())`) == 0
		})
		h.Exec(`DELETE FROM jobs`)
		h.Sandbox.RevokeAll(igFaultAccount)
		h.Exec(`UPDATE instagram_accounts SET token_expires_at = now() + interval '3 days', token_issued_at = now() - interval '30 days'`)
		if err := h.Service.EnqueueDueRefreshes(ctx); err != nil {
			t.Fatal(err)
		}
		h.Eventually("the refresh to fail", func() bool {
			return h.Int(`SELECT count(*) FROM jobs WHERE kind = 'refresh_token' AND state = 'failed'`) == 1
		})
		if got := igAccountStatus(t, h, token); got != "needs_reauth" {
			t.Errorf("status = %q, want needs_reauth", got)
		}
		// Accounts that need reauthorising are not refreshed again.
		h.Exec(`DELETE FROM jobs`)
		if err := h.Service.EnqueueDueRefreshes(ctx); err != nil {
			t.Fatal(err)
		}
		if got := igRefreshJobs(h); got != 0 {
			t.Errorf("refresh jobs = %d, want 0", got)
		}
	})
}

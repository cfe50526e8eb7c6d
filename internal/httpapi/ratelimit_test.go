package httpapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"

	"creatorgrowth/internal/httpapi"
)

func login(t *testing.T, api *testAPI, password string, opts ...reqOpt) response {
	t.Helper()
	return api.do(t, http.MethodPost, "/api/auth/login",
		map[string]string{"email": "limited@example.com", "password": password}, opts...)
}

// wantRateLimited checks a 429 and its headers.
func wantRateLimited(t *testing.T, res response, limit int) {
	t.Helper()
	wantError(t, res, http.StatusTooManyRequests, "rate_limited")
	retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || retry < 1 {
		t.Errorf("Retry-After = %q, want a positive number of seconds", res.Header.Get("Retry-After"))
	}
	if got, want := res.Header.Get("X-RateLimit-Limit"), strconv.Itoa(limit); got != want {
		t.Errorf("X-RateLimit-Limit = %q, want %q", got, want)
	}
	if got, want := res.Header.Get("X-RateLimit-Remaining"), "0"; got != want {
		t.Errorf("X-RateLimit-Remaining = %q, want %q", got, want)
	}
	reset, err := strconv.ParseInt(res.Header.Get("X-RateLimit-Reset"), 10, 64)
	if now := time.Now().Unix(); err != nil || reset < now || reset > now+3600 {
		t.Errorf("X-RateLimit-Reset = %q, want a Unix time in the coming hour", res.Header.Get("X-RateLimit-Reset"))
	}
}

func TestLogin_RateLimit(t *testing.T) {
	t.Parallel()
	db := newTestAPI(t).db
	t.Run("OK", func(t *testing.T) {
		api := newTestAPI(t, withDB(db))
		api.register(t, "limited@example.com", "password-1")
		client := remoteAddr("203.0.113.7:40000")
		for i := range 5 {
			res := login(t, api, "wrong-password", client)
			wantError(t, res, http.StatusUnauthorized, "invalid_credentials")
			if got, want := res.Header.Get("X-RateLimit-Limit"), "5"; got != want {
				t.Errorf("attempt %d: X-RateLimit-Limit = %q, want %q", i+1, got, want)
			}
			if got, want := res.Header.Get("X-RateLimit-Remaining"), strconv.Itoa(4-i); got != want {
				t.Errorf("attempt %d: X-RateLimit-Remaining = %q, want %q", i+1, got, want)
			}
		}
		// The 6th attempt is refused, even with the right password.
		wantRateLimited(t, login(t, api, "password-1", client), 5)
		wantRateLimited(t, login(t, api, "password-1", remoteAddr("203.0.113.7:40001")), 5)

		// Another client is not affected.
		if got, want := login(t, api, "password-1", remoteAddr("203.0.113.8:40000")).Status, http.StatusOK; got != want {
			t.Errorf("another IP: status %d, want %d", got, want)
		}
	})

	t.Run("SpoofedForwardedFor", func(t *testing.T) {
		api := newTestAPI(t, withDB(db))
		client := remoteAddr("203.0.113.7:40000")
		for i := range 6 {
			spoof := fmt.Sprintf("198.51.100.%d", i+1)
			res := login(t, api, "wrong-password", client, header("X-Forwarded-For", spoof), header("X-Real-IP", spoof))
			if i < 5 && res.Status != http.StatusUnauthorized {
				t.Errorf("attempt %d: status %d, want 401", i+1, res.Status)
			}
			if i == 5 {
				wantRateLimited(t, res, 5)
			}
		}
	})

	t.Run("TrustedProxy", func(t *testing.T) {
		api := newTestAPI(t, withDB(db), withEnv("TRUSTED_PROXIES", "10.0.0.1"))
		proxy := remoteAddr("10.0.0.1:50000")
		first := header("X-Forwarded-For", "198.51.100.1")
		for range 5 {
			if got, want := login(t, api, "wrong-password", proxy, first).Status, http.StatusUnauthorized; got != want {
				t.Fatalf("status %d, want %d", got, want)
			}
		}
		wantRateLimited(t, login(t, api, "wrong-password", proxy, first), 5)

		// Behind the trusted proxy, each forwarded client has its own count.
		second := header("X-Forwarded-For", "198.51.100.2")
		if got, want := login(t, api, "wrong-password", proxy, second).Status, http.StatusUnauthorized; got != want {
			t.Errorf("second forwarded client: status %d, want %d", got, want)
		}
		// A peer that is not the proxy cannot borrow the header.
		other := remoteAddr("10.0.0.2:50000")
		for range 5 {
			login(t, api, "wrong-password", other, second)
		}
		wantRateLimited(t, login(t, api, "wrong-password", other, header("X-Forwarded-For", "198.51.100.3")), 5)
	})
}

func TestWaitlistSignup_RateLimit(t *testing.T) {
	t.Parallel()
	limits := highLimits()
	limits.Waitlist = limiter.Rate{Period: time.Minute, Limit: 2}
	api := newTestAPI(t, withLimits(limits))
	client := remoteAddr("203.0.113.9:1234")
	for i := range 2 {
		res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": fmt.Sprintf("w%d@example.com", i)}, client)
		if got, want := res.Status, http.StatusCreated; got != want {
			t.Fatalf("signup %d: status %d, want %d", i, got, want)
		}
	}
	res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "w9@example.com"}, client)
	wantRateLimited(t, res, 2)
	if got, want := countRows(t, api.db, "waitlist"), 2; got != want {
		t.Errorf("rows = %d, want %d", got, want)
	}
}

func TestAdminWaitlist_RateLimit(t *testing.T) {
	t.Parallel()
	limits := highLimits()
	limits.AdminFailed = limiter.Rate{Period: 15 * time.Minute, Limit: 3}
	db := newTestAPI(t).db

	t.Run("OK", func(t *testing.T) {
		// Successes are not counted.
		api := newTestAPI(t, withDB(db), withLimits(limits))
		for i := range 10 {
			if got, want := adminGet(t, api, "").Status, http.StatusOK; got != want {
				t.Fatalf("request %d: status %d, want %d", i+1, got, want)
			}
		}
	})

	t.Run("ErrTooManyFailures", func(t *testing.T) {
		api := newTestAPI(t, withDB(db), withLimits(limits))
		client := remoteAddr("203.0.113.10:1234")
		for i := range 3 {
			res := api.do(t, http.MethodGet, "/api/admin/waitlist?password=guess"+strconv.Itoa(i), nil, client)
			wantError(t, res, http.StatusUnauthorized, "unauthorized")
		}
		// Locked out: even the right password, in either place, is refused.
		wantRateLimited(t, adminGet(t, api, "", client), 3)
		wantRateLimited(t, api.do(t, http.MethodGet, "/api/admin/waitlist?password="+testAdminPassword, nil, client), 3)
		wantRateLimited(t, api.do(t, http.MethodGet, "/api/admin/waitlist", nil, client, header("X-Admin-Password", "wrong")), 3)

		if got, want := adminGet(t, api, "", remoteAddr("203.0.113.11:1234")).Status, http.StatusOK; got != want {
			t.Errorf("another IP: status %d, want %d", got, want)
		}
	})
}

func TestHealth_NotRateLimited(t *testing.T) {
	t.Parallel()
	one := limiter.Rate{Period: time.Hour, Limit: 1}
	api := newTestAPI(t, withLimits(httpapi.Limits{Login: one, Waitlist: one, AdminFailed: one}))
	for i := range 20 {
		res := api.do(t, http.MethodGet, "/health", nil)
		if got, want := res.Status, http.StatusOK; got != want {
			t.Fatalf("request %d: status %d, want %d", i+1, got, want)
		}
		if res.Header.Get("X-RateLimit-Limit") != "" {
			t.Fatalf("request %d: /health carries rate-limit headers", i+1)
		}
	}
}

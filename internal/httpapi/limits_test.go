package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/ulule/limiter/v3"

	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/smtptest"
)

func TestRegister_RateLimit(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t) // the contract's limits: 10 an hour per client
	register := func(i int, addr string) response {
		return api.do(t, http.MethodPost, "/api/auth/register",
			map[string]string{"email": fmt.Sprintf("r%d@example.com", i), "password": "password-1"}, remoteAddr(addr))
	}
	for i := range 10 {
		if res := register(i, "203.0.113.20:1000"); res.Status != http.StatusCreated {
			t.Fatalf("register %d: %d %s", i+1, res.Status, res.Raw)
		}
	}
	wantRateLimited(t, register(10, "203.0.113.20:1001"), 10)
	if got := register(11, "203.0.113.21:1000").Status; got != http.StatusCreated {
		t.Errorf("another client: %d, want 201", got)
	}

	t.Run("IPv6PerSlash64", func(t *testing.T) {
		// Ten addresses of one /64 are one client.
		for i := range 10 {
			if res := register(100+i, fmt.Sprintf("[2001:db8:1:2::%x]:1000", i+1)); res.Status != http.StatusCreated {
				t.Fatalf("register %d: %d %s", i+1, res.Status, res.Raw)
			}
		}
		wantRateLimited(t, register(110, "[2001:db8:1:2:ffff:ffff:ffff:ffff]:1000"), 10)
		if got := register(111, "[2001:db8:1:3::1]:1000").Status; got != http.StatusCreated {
			t.Errorf("the next /64: %d, want 201", got)
		}
	})
}

func TestLogin_FailuresPerAddress(t *testing.T) {
	t.Parallel()
	limits := highLimits()
	limits.LoginFailures = limiter.Rate{Period: 15 * time.Minute, Limit: 10}
	api := newTestAPI(t, withLimits(limits))
	api.register(t, "target@example.com", "right-password")
	api.register(t, "bystander@example.com", "right-password")
	login := func(email, password, addr string) response {
		return api.do(t, http.MethodPost, "/api/auth/login", map[string]string{"email": email, "password": password}, remoteAddr(addr))
	}

	// Successes do not count.
	for i := range 15 {
		if got := login("target@example.com", "right-password", "198.51.100.1:1").Status; got != http.StatusOK {
			t.Fatalf("login %d: %d, want 200", i+1, got)
		}
	}
	// Ten failures, each from another address.
	for i := range 10 {
		wantError(t, login("Target@Example.com", "wrong-password", fmt.Sprintf("198.51.100.%d:1", 10+i)), http.StatusUnauthorized, "invalid_credentials")
	}
	// Now even the right password, from a new address, is refused.
	wantRateLimited(t, login("target@example.com", "right-password", "198.51.100.99:1"), 10)
	if got := login("bystander@example.com", "right-password", "198.51.100.99:1").Status; got != http.StatusOK {
		t.Errorf("another address: %d, want 200", got)
	}

	t.Run("PasswordChecksOfASession", func(t *testing.T) {
		token, _ := api.register(t, "session-guess@example.com", "right-password")
		for range 10 {
			wantError(t, api.do(t, http.MethodPost, "/api/user/password",
				map[string]string{"current_password": "guess-1234", "new_password": "whatever-123"}, bearer(token)), http.StatusUnauthorized, "invalid_credentials")
		}
		wantRateLimited(t, api.do(t, http.MethodDelete, "/api/user/me", map[string]string{"password": "right-password"}, bearer(token)), 10)
		wantRateLimited(t, login("session-guess@example.com", "right-password", "198.51.100.77:1"), 10)
	})
}

func TestPasswordReset_RateLimit(t *testing.T) {
	t.Parallel()
	limits := highLimits()
	limits.PasswordReset = limiter.Rate{Period: time.Hour, Limit: 5}
	api := newTestAPI(t, withLimits(limits), withEnv("SMTP_URL", smtptest.New(t).URL()))
	ask := func(email, addr string) response {
		return api.do(t, http.MethodPost, "/api/auth/password-reset", map[string]string{"email": email}, remoteAddr(addr))
	}
	t.Run("PerClient", func(t *testing.T) {
		for i := range 5 {
			if got := ask(fmt.Sprintf("p%d@example.com", i), "203.0.113.30:1").Status; got != http.StatusAccepted {
				t.Fatalf("request %d: %d", i+1, got)
			}
		}
		wantRateLimited(t, ask("p9@example.com", "203.0.113.30:1"), 5)
	})
	t.Run("PerAddress", func(t *testing.T) {
		for i := range 5 {
			if got := ask("victim@example.com", fmt.Sprintf("203.0.113.%d:1", 40+i)).Status; got != http.StatusAccepted {
				t.Fatalf("request %d: %d", i+1, got)
			}
		}
		wantRateLimited(t, ask("VICTIM@example.com", "203.0.113.50:1"), 5)
		if got := ask("someone@example.com", "203.0.113.50:1").Status; got != http.StatusAccepted {
			t.Errorf("another address: %d, want 202", got)
		}
	})
}

// TestAdminWaitlist_ParallelFailures sends 20 wrong admin passwords at
// once: each failure is counted before its comparison, so no more than
// the limit's number are compared (answered 401); the rest are 429.
func TestAdminWaitlist_ParallelFailures(t *testing.T) {
	t.Parallel()
	limits := highLimits()
	limits.AdminFailed = limiter.Rate{Period: 15 * time.Minute, Limit: 10}
	api := newTestAPI(t, withLimits(limits))
	const n = 20
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i] = api.do(t, http.MethodGet, "/api/admin/waitlist", nil,
				header("X-Admin-Password", fmt.Sprintf("guess-%d", i)), remoteAddr("203.0.113.60:1")).Status
		})
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusUnauthorized] > 10 || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != n {
		t.Errorf("answers = %v, want at most 10 comparisons (401) and the rest 429", count)
	}
	wantRateLimited(t, adminGet(t, api, "", remoteAddr("203.0.113.60:1")), 10)
}

// TestLimiterStoreDown runs the limits on a real Redis protocol server
// and stops it: logins and admin checks are refused with 503, logged and
// counted, rather than allowed without limit.
func TestLimiterStoreDown(t *testing.T) {
	t.Parallel()
	srv := miniredis.RunT(t)
	store, closeStore, err := httpapi.NewLimiterStore("redis://" + srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeStore() }) //nolint:errcheck // a test
	api := newTestAPI(t, withLimiterStore(store))
	api.register(t, "redis@example.com", "right-password")
	creds := map[string]string{"email": "redis@example.com", "password": "right-password"}
	if got := api.do(t, http.MethodPost, "/api/auth/login", creds).Status; got != http.StatusOK {
		t.Fatalf("login with the store up: %d", got)
	}

	srv.Close()
	for range 3 {
		wantError(t, api.do(t, http.MethodPost, "/api/auth/login", creds), http.StatusServiceUnavailable, "unavailable")
		wantError(t, adminGet(t, api, ""), http.StatusServiceUnavailable, "unavailable")
	}
	for _, limit := range []string{"login", "admin"} {
		if got := counterValue(t, api.mx.Gatherer(), "ratelimit_store_errors_total", "limit", limit); got == 0 {
			t.Errorf("ratelimit_store_errors_total{limit=%q} = 0, want the failures counted", limit)
		}
	}
	if !strings.Contains(api.logs.String(), "rate limit store failed: request refused") {
		t.Error("the refusals are not logged")
	}
	// Limits that guard no password let requests through meanwhile.
	res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "fan@example.com"})
	if res.Status != http.StatusCreated {
		t.Errorf("waitlist with the store down: %d, want 201", res.Status)
	}
}

// counterValue reads a counter of the metrics with one label set to value.
func counterValue(t *testing.T, g prometheus.Gatherer, name, label, value string) float64 {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

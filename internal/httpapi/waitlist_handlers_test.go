package httpapi_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestWaitlistSignup(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	t.Run("OK", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": " Fan@Example.com "})
		if got, want := res.Status, http.StatusCreated; got != want {
			t.Fatalf("status = %d, want %d (body %s)", got, want, res.Raw)
		}
		wantKeys(t, res.Body, "message")
		if got, want := res.Body["message"], "Signed up successfully"; got != want {
			t.Errorf("message = %v, want %v", got, want)
		}

		// The same address, spelt differently, is already there.
		res = api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "FAN@example.COM"})
		if got, want := res.Status, http.StatusOK; got != want {
			t.Fatalf("second signup: status = %d, want %d (body %s)", got, want, res.Raw)
		}
		wantKeys(t, res.Body, "message")
		if got, want := res.Body["message"], "Already on the waitlist"; got != want {
			t.Errorf("message = %v, want %v", got, want)
		}

		var email string
		if err := api.db.QueryRow(`SELECT email FROM waitlist`).Scan(&email); err != nil {
			t.Fatal(err)
		}
		if got, want := email, "fan@example.com"; got != want {
			t.Errorf("stored email = %q, want %q", got, want)
		}
	})

	t.Run("ErrInvalidEmail", func(t *testing.T) {
		res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "nope"})
		wantError(t, res, http.StatusBadRequest, "invalid_email")
	})
}

func TestWaitlistSignup_Concurrent(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)
	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "same@example.com"})
			statuses[i] = res.Status
		})
	}
	wg.Wait()

	created := 0
	for i, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("response %d: status %d, want 200 or 201", i, s)
		}
	}
	if got, want := created, 1; got != want {
		t.Errorf("201 answers = %d, want %d", got, want)
	}
	if got, want := countRows(t, api.db, "waitlist"), 1; got != want {
		t.Errorf("rows = %d, want %d", got, want)
	}
}

// seedWaitlist signs up n addresses, oldest first, one second apart, and
// returns them newest first.
func seedWaitlist(t *testing.T, api *testAPI, n int) []string {
	t.Helper()
	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	emails := make([]string, n)
	for i := range n {
		email := fmt.Sprintf("fan%02d@example.com", i)
		if res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": email}); res.Status != http.StatusCreated {
			t.Fatalf("signup %s: status %d", email, res.Status)
		}
		if _, err := api.db.Exec(`UPDATE waitlist SET created_at = $1 WHERE email = $2`, base.Add(time.Duration(i)*time.Second), email); err != nil {
			t.Fatal(err)
		}
		emails[n-1-i] = email
	}
	return emails
}

func adminGet(t *testing.T, api *testAPI, query string, opts ...reqOpt) response {
	t.Helper()
	return api.do(t, http.MethodGet, "/api/admin/waitlist"+query, nil,
		append([]reqOpt{header("X-Admin-Password", testAdminPassword)}, opts...)...)
}

// TestAdminWaitlist runs its steps in order on one database: first on an
// empty list, then on seven entries, then with an eighth for the CSV.
func TestAdminWaitlist(t *testing.T) {
	t.Parallel()
	api := newTestAPI(t)

	t.Run("Empty", func(t *testing.T) {
		res := adminGet(t, api, "")
		if got, want := res.Status, http.StatusOK; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		wantKeys(t, res.Body, "entries", "page", "limit", "total", "total_pages")
		for k, want := range map[string]float64{"page": 1, "limit": 50, "total": 0, "total_pages": 0} {
			if got := res.Body[k]; got != want {
				t.Errorf("%s = %v, want %v", k, got, want)
			}
		}
		if got, ok := res.Body["entries"].([]any); !ok || len(got) != 0 {
			t.Errorf("entries = %v, want []", res.Body["entries"])
		}
		if got, want := res.Header.Get("Cache-Control"), "no-store"; got != want {
			t.Errorf("Cache-Control = %q, want %q", got, want)
		}
	})

	t.Run("LimitBounds", func(t *testing.T) {
		for _, q := range []string{"?limit=1", "?limit=200", "?page=1000000", "?format=json"} {
			if res := adminGet(t, api, q); res.Status != http.StatusOK {
				t.Errorf("%s: status %d, want 200 (body %s)", q, res.Status, res.Raw)
			}
		}
	})

	t.Run("PasswordQueryParameter", func(t *testing.T) {
		res := api.do(t, http.MethodGet, "/api/admin/waitlist?password="+url.QueryEscape(testAdminPassword), nil)
		if got, want := res.Status, http.StatusOK; got != want {
			t.Errorf("status = %d, want %d (body %s)", got, want, res.Raw)
		}
	})

	for _, tc := range []struct {
		name, query string
	}{
		{"ErrLimitZero", "?limit=0"},
		{"ErrLimit201", "?limit=201"},
		{"ErrLimitNegative", "?limit=-1"},
		{"ErrLimitText", "?limit=x"},
		{"ErrLimitEmpty", "?limit="},
		{"ErrLimitFraction", "?limit=2.5"},
		{"ErrLimitHuge", "?limit=99999999999999999999"},
		{"ErrPageZero", "?page=0"},
		{"ErrPageNegative", "?page=-3"},
		{"ErrPageText", "?page=one"},
		{"ErrPageHuge", "?page=9223372036854775807"},
		{"ErrFormat", "?format=xml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, adminGet(t, api, tc.query), http.StatusBadRequest, "invalid_request")
		})
	}

	t.Run("ErrWrongPassword", func(t *testing.T) {
		for name, opts := range map[string][]reqOpt{
			"Header":        {header("X-Admin-Password", "wrong")},
			"Prefix":        {header("X-Admin-Password", testAdminPassword[:len(testAdminPassword)-1])},
			"Longer":        {header("X-Admin-Password", testAdminPassword+"x")},
			"Query":         nil,
			"None":          nil,
			"WrongCase":     {header("X-Admin-Password", strings.ToUpper(testAdminPassword))},
			"BearerInstead": {header("Authorization", "Bearer "+testAdminPassword)},
		} {
			path := "/api/admin/waitlist"
			if name == "Query" {
				path += "?password=wrong"
			}
			// Each from its own address: this is not the rate limit's test.
			opts = append(opts, remoteAddr("198.51.100."+strconv.Itoa(len(name))+":1"))
			t.Run(name, func(t *testing.T) {
				wantError(t, api.do(t, http.MethodGet, path, nil, opts...), http.StatusUnauthorized, "unauthorized")
			})
		}
	})

	t.Run("ErrNotConfigured", func(t *testing.T) {
		api := newTestAPI(t, withDB(api.db), withEnv("ADMIN_PASSWORD", ""))
		for _, opts := range [][]reqOpt{nil, {header("X-Admin-Password", testAdminPassword)}, {header("X-Admin-Password", "")}} {
			wantError(t, api.do(t, http.MethodGet, "/api/admin/waitlist", nil, opts...), http.StatusServiceUnavailable, "unavailable")
		}
	})

	newest := seedWaitlist(t, api, 7)
	t.Run("Pages", func(t *testing.T) {
		for _, tc := range []struct {
			page       int
			wantEmails []string
		}{
			{1, newest[0:3]},
			{2, newest[3:6]},
			{3, newest[6:7]},
			{4, nil},
		} {
			t.Run(fmt.Sprintf("Page%d", tc.page), func(t *testing.T) {
				res := adminGet(t, api, fmt.Sprintf("?page=%d&limit=3", tc.page))
				if got, want := res.Status, http.StatusOK; got != want {
					t.Fatalf("status = %d, want %d (body %s)", got, want, res.Raw)
				}
				wantKeys(t, res.Body, "entries", "page", "limit", "total", "total_pages")
				for k, want := range map[string]float64{"page": float64(tc.page), "limit": 3, "total": 7, "total_pages": 3} {
					if got := res.Body[k]; got != want {
						t.Errorf("%s = %v, want %v", k, got, want)
					}
				}
				entries, ok := res.Body["entries"].([]any)
				if !ok {
					t.Fatalf("entries = %v, want a list (never null)", res.Body["entries"])
				}
				var got []string
				for _, e := range entries {
					m, _ := e.(map[string]any)
					wantKeys(t, m, "id", "email", "created_at")
					if _, err := uuid.Parse(fmt.Sprint(m["id"])); err != nil {
						t.Errorf("id = %v, want a UUID", m["id"])
					}
					wantRFC3339UTC(t, "created_at", m["created_at"])
					got = append(got, fmt.Sprint(m["email"]))
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.wantEmails) {
					t.Errorf("emails = %v, want %v", got, tc.wantEmails)
				}
			})
		}
	})

	t.Run("CSV", func(t *testing.T) {
		// A spreadsheet must not read an address as a formula.
		if res := api.do(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "=1+2@example.com"}); res.Status != http.StatusCreated {
			t.Fatalf("signup: status %d (body %s)", res.Status, res.Raw)
		}
		res := adminGet(t, api, "?format=csv")
		if got, want := res.Status, http.StatusOK; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
			t.Errorf("Content-Type = %q, want text/csv", got)
		}
		rows, err := csv.NewReader(strings.NewReader(string(res.Raw))).ReadAll()
		if err != nil {
			t.Fatalf("parse CSV: %v\n%s", err, res.Raw)
		}
		if got, want := len(rows), 1+1+len(newest); got != want {
			t.Fatalf("rows = %d, want %d:\n%s", got, want, res.Raw)
		}
		if got, want := strings.Join(rows[0], ","), "id,email,created_at"; got != want {
			t.Errorf("header = %q, want %q", got, want)
		}
		if got, want := rows[1][1], "'=1+2@example.com"; got != want {
			t.Errorf("newest email = %q, want %q", got, want)
		}
		for i, email := range newest {
			row := rows[i+2]
			if got, want := row[1], email; got != want {
				t.Errorf("row %d email = %q, want %q", i+2, got, want)
			}
			if _, err := uuid.Parse(row[0]); err != nil {
				t.Errorf("row %d id = %q, want a UUID", i+2, row[0])
			}
			if _, err := time.Parse(time.RFC3339, row[2]); err != nil || !strings.HasSuffix(row[2], "Z") {
				t.Errorf("row %d created_at = %q, want RFC 3339 UTC", i+2, row[2])
			}
		}
	})
}

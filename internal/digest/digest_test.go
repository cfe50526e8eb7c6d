package digest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/digest"
	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/smtptest"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/testlog"
	"creatorgrowth/internal/worker"
)

const (
	adminPassword = "admin-Pa55word-for-digests"
	jwtSecret     = "digest-test-jwt-secret-0123456789abcdef"
	encryptionKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	publicURL     = "http://app.example.test"
)

// clock is a settable clock shared by the servers of a test.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock { c := &clock{}; c.set(t); return c }
func (c *clock) set(t time.Time)  { c.ns.Store(t.UnixNano()) }
func (c *clock) now() time.Time   { return time.Unix(0, c.ns.Load()).UTC() }

// server is one replica built by app.New on db.
type server struct {
	app  *app.App
	h    http.Handler
	logs *testlog.Buffer
}

func newServer(t *testing.T, db *sql.DB, smtpURL string, c *clock) *server {
	t.Helper()
	env := map[string]string{
		"APP_ENV": "test", "DATABASE_URL": "postgres://unused", "JWT_SECRET": jwtSecret,
		"TOKEN_ENCRYPTION_KEY": encryptionKey, "PUBLIC_URL": publicURL, "ADMIN_PASSWORD": adminPassword,
		"SMTP_URL": smtpURL, "MAIL_FROM": "Creator Growth Tool <digest@example.test>",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	logs := &testlog.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(cfg, db, logger, app.Options{
		Hasher: auth.NewHasher(bcrypt.MinCost, 4),
		Now:    c.now,
		Pool:   worker.Options{PollInterval: 50 * time.Millisecond, BaseBackoff: 100 * time.Millisecond},
	})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	return &server{app: a, h: a.Handler, logs: logs}
}

// startPool runs the server's workers until the test ends (or stop).
func (s *server) startPool(t *testing.T) (stop func()) {
	t.Helper()
	s.app.Pool.Start(context.Background())
	var once sync.Once
	stop = func() { once.Do(s.app.Pool.Stop) }
	t.Cleanup(stop)
	return stop
}

func (s *server) do(t *testing.T, method, target, contentType string, body []byte, hdr map[string]string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), method, target, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	var m map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
	}
	return rec.Code, m
}

// user makes a user with settings and, unless noAccount, one account
// with posts of the 7 days before now.
func user(t *testing.T, db *sql.DB, email, tz string, verified, weekly bool, now time.Time, withAccount bool) string {
	t.Helper()
	ctx := context.Background()
	var id string
	var verifiedAt *time.Time
	if verified {
		verifiedAt = &now
	}
	if err := db.QueryRowContext(ctx, `INSERT INTO users (email, password, email_verified_at, timezone, weekly_digest)
		VALUES ($1, 'x', $2, $3, $4) RETURNING id`, email, verifiedAt, tz, weekly).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if !withAccount {
		return id
	}
	acc, err := postgres.NewAccounts(db).Link(ctx, postgres.LinkInput{
		UserID: id, IGUserID: "ig-" + email, Username: "creator_" + strings.Split(email, "@")[0], AccessToken: "sealed",
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, likes := range []int{10, 40, 25} {
		if _, err := db.ExecContext(ctx, `INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, permalink, like_count, comments_count, posted_at)
			VALUES ($1, $2, $3, 'IMAGE', $4, $5, 2, $6)`, acc.ID, email+string(rune('a'+i)), "Post number "+string(rune('A'+i)),
			"https://www.instagram.com/p/"+string(rune('a'+i))+"/", likes, now.Add(-time.Duration(24*(i+1))*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// recordInsights gives the posts of the user's account with 40 and 25
// likes their insights; the third post has none.
func recordInsights(t *testing.T, db *sql.DB, userID string, now time.Time) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT p.id, p.like_count FROM instagram_posts p
		JOIN instagram_accounts a ON a.id = p.account_id WHERE a.user_id = $1`, userID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]string{}
	for rows.Next() {
		var id string
		var likes int64
		if err := rows.Scan(&id, &likes); err != nil {
			t.Fatal(err)
		}
		ids[likes] = id
	}
	rows.Close()
	posts := postgres.NewPosts(db)
	for likes, m := range map[int64][2]int64{40: {300, 200}, 25: {100, 80}} {
		views, reach := m[0], m[1]
		if _, err := posts.RecordInsights(ctx, ids[likes], postgres.PostInsights{Views: &views, Reach: &reach, CapturedAt: now.Add(-time.Hour)}, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func countDigests(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM digests_sent`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Monday 2026-12-07 09:00 UTC: week 50 is due in UTC, not yet in Los Angeles.
var monday = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func TestDigest_ExactlyOnceAcrossReplicasAndRestarts(t *testing.T) {
	db := testdb.New(t)
	smtp := smtptest.New(t)
	c := newClock(monday)
	a, b := newServer(t, db, smtp.URL(), c), newServer(t, db, smtp.URL(), c)

	due := user(t, db, "due@example.com", "UTC", true, true, monday, true)
	recordInsights(t, db, due, monday)
	user(t, db, "later@example.com", "America/Los_Angeles", true, true, monday, true)
	user(t, db, "unverified@example.com", "UTC", false, true, monday, true)
	user(t, db, "optedout@example.com", "UTC", true, false, monday, true)
	user(t, db, "noaccount@example.com", "UTC", true, true, monday, false)

	// Both replicas look for due digests at once, then both run workers.
	ctx := context.Background()
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, s := range []*server{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.app.Digest.QueueDue(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != 1 {
		t.Errorf("replicas queued %v digest jobs, want 1 in all", counts)
	}
	// A second job for the same user and week (as a replica with a lost
	// dedupe row would make) must not send a second mail.
	if _, err := postgres.NewJobs(db).EnqueuePayload(ctx, "00000000-0000-4000-8000-000000000001", digest.KindWeeklyDigest,
		"stray", `{"user_id":"`+due+`","week":"2026-W50"}`, monday, 3); err != nil {
		t.Fatal(err)
	}
	stopA, stopB := a.startPool(t), b.startPool(t)
	smtp.WaitFor(t, 1, 10*time.Second)
	time.Sleep(700 * time.Millisecond) // time for a duplicate to show
	msgs := smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want exactly 1", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != "due@example.com" {
		t.Errorf("digest to %v, want due@example.com", m.To)
	}
	if !strings.Contains(m.Get("Subject"), "2026-W50") {
		t.Errorf("subject %q does not name the week", m.Get("Subject"))
	}
	for _, want := range []string{"@creator_due", "Posts      3", "Likes      75", "Views      400", "Reach      280",
		"Post number B", "https://www.instagram.com/p/b/"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, "creator_due") {
		t.Error("HTML part lacks the account's username")
	}
	lu := m.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<"+publicURL+"/api/email/unsubscribe?token=") || !strings.HasSuffix(lu, ">") {
		t.Errorf("List-Unsubscribe = %q", lu)
	}
	if got := m.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	if strings.Contains(lu, due) {
		t.Error("the unsubscribe token shows the user's id")
	}
	if n := countDigests(t, db); n != 1 {
		t.Errorf("digests_sent has %d rows, want 1", n)
	}

	// A restart: new servers on the same database send nothing more this
	// week, by schedule or by the admin endpoint.
	stopA()
	stopB()
	r := newServer(t, db, smtp.URL(), c)
	r.startPool(t)
	if n, err := r.app.Digest.QueueDue(ctx); err != nil || n != 0 {
		t.Errorf("after a restart QueueDue = %d, %v; want 0", n, err)
	}
	status, body := r.do(t, http.MethodPost, "/api/admin/digests", "application/json", []byte(`{"week":"2026-W50"}`),
		map[string]string{"X-Admin-Password": adminPassword})
	// Los Angeles has not reached 08:00 but the admin sends now: one.
	if status != http.StatusAccepted || body["queued"] != float64(1) {
		t.Errorf("admin digests = %d %v, want 202 queued 1", status, body)
	}
	later := smtp.WaitFor(t, 2, 10*time.Second)[1]
	// An account without insights: views and reach are unknown, not 0.
	if !strings.Contains(later.Text, "Views      not reported") || !strings.Contains(later.Text, "Reach      not reported") {
		t.Errorf("digest without insights:\n%s", later.Text)
	}
	c.set(monday.Add(9 * time.Hour)) // 09:00 in Los Angeles
	if n, err := r.app.Digest.QueueDue(ctx); err != nil || n != 0 {
		t.Errorf("QueueDue once everyone had it = %d, %v; want 0", n, err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d mails, want 2", n)
	}
	if n := countDigests(t, db); n != 2 {
		t.Errorf("digests_sent has %d rows, want 2", n)
	}
}

func TestDigest_LocalMondayMorning(t *testing.T) {
	db := testdb.New(t)
	smtp := smtptest.New(t)
	// Sunday 18:30 UTC: Monday 08:30 at UTC+14, Sunday evening elsewhere.
	c := newClock(time.Date(2026, 12, 6, 18, 30, 0, 0, time.UTC))
	s := newServer(t, db, smtp.URL(), c)
	user(t, db, "kiritimati@example.com", "Pacific/Kiritimati", true, true, c.now(), true)
	user(t, db, "berlin@example.com", "Europe/Berlin", true, true, c.now(), true)
	user(t, db, "bogus@example.com", "Not/AZone", true, true, c.now(), true) // read as UTC
	ctx := context.Background()
	for _, step := range []struct {
		at   time.Time
		want int
	}{
		{c.now(), 1}, // Kiritimati
		{time.Date(2026, 12, 7, 6, 59, 0, 0, time.UTC), 0},
		{time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC), 1}, // 08:00 in Berlin
		{time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC), 1}, // 08:00 UTC
		{time.Date(2026, 12, 8, 8, 0, 0, 0, time.UTC), 0},
	} {
		c.set(step.at)
		n, err := s.app.Digest.QueueDue(ctx)
		if err != nil || n != step.want {
			t.Errorf("at %s QueueDue = %d, %v; want %d", step.at.Format(time.RFC3339), n, err, step.want)
		}
	}
	s.startPool(t)
	smtp.WaitFor(t, 3, 10*time.Second)
}

// unsubscribeToken is the token of the digest mail's List-Unsubscribe.
func unsubscribeToken(t *testing.T, m smtptest.Message) string {
	t.Helper()
	raw := strings.Trim(m.Get(mail.HeaderListUnsubscribe), "<>")
	u, err := url.Parse(raw)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("List-Unsubscribe %q has no token", raw)
	}
	return u.Query().Get("token")
}

func weeklyDigest(t *testing.T, db *sql.DB, id string) bool {
	t.Helper()
	var on bool
	if err := db.QueryRowContext(context.Background(), `SELECT weekly_digest FROM users WHERE id = $1`, id).Scan(&on); err != nil {
		t.Fatal(err)
	}
	return on
}

func TestUnsubscribe_BothForms(t *testing.T) {
	db := testdb.New(t)
	smtp := smtptest.New(t)
	c := newClock(monday)
	s := newServer(t, db, smtp.URL(), c)
	one := user(t, db, "one@example.com", "UTC", true, true, monday, true)
	two := user(t, db, "two@example.com", "UTC", true, true, monday, true)
	if n, err := s.app.Digest.QueueDue(context.Background()); err != nil || n != 2 {
		t.Fatalf("QueueDue = %d, %v", n, err)
	}
	s.startPool(t)
	tokens := map[string]string{}
	for _, m := range smtp.WaitFor(t, 2, 10*time.Second) {
		tokens[m.To[0]] = unsubscribeToken(t, m)
	}

	// The page's JSON form.
	body, _ := json.Marshal(map[string]string{"token": tokens["one@example.com"]})
	status, res := s.do(t, http.MethodPost, "/api/email/unsubscribe", "application/json", body, nil)
	if status != http.StatusOK || res["weekly_digest"] != false {
		t.Fatalf("unsubscribe = %d %v", status, res)
	}
	if weeklyDigest(t, db, one) || !weeklyDigest(t, db, two) {
		t.Error("the JSON unsubscribe did not turn off exactly its user's digest")
	}
	// Again: still 200.
	if status, _ := s.do(t, http.MethodPost, "/api/email/unsubscribe", "application/json", body, nil); status != http.StatusOK {
		t.Errorf("second unsubscribe = %d", status)
	}

	// A mail client's RFC 8058 one-click POST to the List-Unsubscribe URL.
	target := "/api/email/unsubscribe?token=" + url.QueryEscape(tokens["two@example.com"])
	if status, res := s.do(t, http.MethodPost, target, "application/x-www-form-urlencoded", []byte("List-Unsubscribe=Other"), nil); status != http.StatusBadRequest || res["code"] != "invalid_request" {
		t.Errorf("one-click without One-Click = %d %v", status, res)
	}
	if !weeklyDigest(t, db, two) {
		t.Fatal("a refused one-click turned the digest off")
	}
	if status, res := s.do(t, http.MethodPost, target, "application/x-www-form-urlencoded", []byte("List-Unsubscribe=One-Click"), nil); status != http.StatusOK {
		t.Fatalf("one-click = %d %v", status, res)
	}
	if weeklyDigest(t, db, two) {
		t.Error("the one-click unsubscribe left the digest on")
	}

	for _, bad := range []string{`{"token":"nope"}`, `{"token":""}`, `{}`, `{"token":"` + strings.Repeat("a", 300) + `"}`} {
		status, res := s.do(t, http.MethodPost, "/api/email/unsubscribe", "application/json", []byte(bad), nil)
		if status != http.StatusBadRequest || res["code"] != "invalid_token" {
			t.Errorf("unsubscribe %s = %d %v, want 400 invalid_token", bad, status, res)
		}
	}
	if status, res := s.do(t, http.MethodPost, "/api/email/unsubscribe", "application/json", []byte(`[1]`), nil); status != http.StatusBadRequest || res["code"] != "invalid_request" {
		t.Errorf("unsubscribe with an array = %d %v", status, res)
	}
	if status, res := s.do(t, http.MethodPost, "/api/email/unsubscribe?token=nope", "application/x-www-form-urlencoded", []byte("List-Unsubscribe=One-Click"), nil); status != http.StatusBadRequest || res["code"] != "invalid_token" {
		t.Errorf("one-click with a bad token = %d %v", status, res)
	}
	// Unsubscribed users get no digest next week.
	c.set(monday.Add(7 * 24 * time.Hour))
	if n, err := s.app.Digest.QueueDue(context.Background()); err != nil || n != 0 {
		t.Errorf("QueueDue after both unsubscribed = %d, %v", n, err)
	}
}

func TestAdminDigests_Validation(t *testing.T) {
	db := testdb.New(t)
	smtp := smtptest.New(t)
	s := newServer(t, db, smtp.URL(), newClock(monday))
	admin := map[string]string{"X-Admin-Password": adminPassword}
	post := func(body string, hdr map[string]string) (int, map[string]any) {
		return s.do(t, http.MethodPost, "/api/admin/digests", "application/json", []byte(body), hdr)
	}
	if status, res := post(`{"week":"2026-W49"}`, nil); status != http.StatusUnauthorized || res["code"] != "unauthorized" {
		t.Errorf("without the password = %d %v", status, res)
	}
	if status, _ := post(`{"week":"2026-W49"}`, map[string]string{"X-Admin-Password": "wrong"}); status != http.StatusUnauthorized {
		t.Errorf("with a wrong password = %d", status)
	}
	for _, body := range []string{
		`{"week":"2026-W54"}`, `{"week":"2026-W00"}`, `{"week":"2025-W53"}`,
		`{"week":"2026-W51"}`, // next week: the future
		`{"week":"2027-W01"}`, `{"week":"2026-49"}`, `{"week":""}`, `{}`, `{"week":49}`, `{"week":"2026-W49","x":1}`, `not json`,
	} {
		if status, res := post(body, admin); status != http.StatusBadRequest || res["code"] != "invalid_request" {
			t.Errorf("%s = %d %v, want 400 invalid_request", body, status, res)
		}
	}
	user(t, db, "a@example.com", "UTC", true, true, monday, true)
	user(t, db, "b@example.com", "Asia/Tokyo", true, true, monday, true)
	for _, week := range []string{"2026-W49", "2026-W50"} { // last week, and this week
		status, res := post(`{"week":"`+week+`"}`, admin)
		if status != http.StatusAccepted || res["queued"] != float64(2) {
			t.Errorf("%s = %d %v, want 202 queued 2", week, status, res)
		}
	}
	if status, res := post(`{"week":"2026-W50"}`, admin); status != http.StatusAccepted || res["queued"] != float64(0) {
		t.Errorf("the same week again = %d %v, want 202 queued 0", status, res)
	}
	s.startPool(t)
	msgs := smtp.WaitFor(t, 4, 10*time.Second)
	weeks := map[string]int{}
	for _, m := range msgs {
		for _, w := range []string{"2026-W49", "2026-W50"} {
			if strings.Contains(m.Get("Subject"), w) {
				weeks[w]++
			}
		}
	}
	if weeks["2026-W49"] != 2 || weeks["2026-W50"] != 2 {
		t.Errorf("mails by week %v, want 2 of each", weeks)
	}

	// Without SMTP_URL the endpoint says so.
	noMail := newServer(t, db, "", newClock(monday))
	if status, res := noMail.do(t, http.MethodPost, "/api/admin/digests", "application/json", []byte(`{"week":"2026-W50"}`), admin); status != http.StatusServiceUnavailable || res["code"] != "unavailable" {
		t.Errorf("without mail = %d %v, want 503 unavailable", status, res)
	}
}

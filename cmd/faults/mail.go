package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"creatorgrowth/internal/mail"
)

// The subjects of the account mails (internal/mail's templates).
const (
	subjectVerify = "Confirm your email address"
	subjectReset  = "Reset your password"
)

// mailpitName is the drill's own Mailpit instance for scripts/mailpit.sh.
const mailpitName = "faults"

func (h *harness) smtpURL() string    { return "smtp://127.0.0.1:" + strconv.Itoa(h.smtpPort) }
func (h *harness) mailpitURL() string { return "http://127.0.0.1:" + strconv.Itoa(h.mailHTTPPort) }

// mailpit runs scripts/mailpit.sh start|stop on the drill's instance, its
// messages kept in store so that they outlive a restart.
func (h *harness) mailpit(ctx context.Context, verb, store string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.mailpitScript, verb, mailpitName)
	cmd.Env = append(os.Environ(),
		"MAILPIT_SMTP_PORT="+strconv.Itoa(h.smtpPort), "MAILPIT_HTTP_PORT="+strconv.Itoa(h.mailHTTPPort),
		"MAILPIT_DATABASE="+store)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("mailpit.sh %s: %w: %s", verb, err, out)
	}
	return nil
}

// inboxMail is one message as Mailpit's GET /api/v1/messages lists it.
type inboxMail struct {
	ID        string `json:"ID"`
	MessageID string `json:"MessageID"`
	Subject   string `json:"Subject"`
	To        []struct {
		Address string `json:"Address"`
	} `json:"To"`
}

func (m inboxMail) to() string {
	if len(m.To) != 1 {
		return fmt.Sprintf("(%d recipients)", len(m.To))
	}
	return strings.ToLower(m.To[0].Address)
}

// inbox lists every message Mailpit holds. Its total and its list are
// read apart, so a message arriving in between makes them disagree for a
// moment: the list is read again until they agree.
func (h *harness) inbox(ctx context.Context) ([]inboxMail, error) {
	var out struct {
		Total    int         `json:"total"`
		Messages []inboxMail `json:"messages"`
	}
	for range 20 {
		if err := h.mailpitJSON(ctx, "/api/v1/messages?limit=1000", &out); err != nil {
			return nil, err
		}
		if out.Total == len(out.Messages) {
			return out.Messages, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("mailpit lists %d of %d messages", len(out.Messages), out.Total)
}

func (h *harness) mailpitJSON(ctx context.Context, path string, into any) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.mailpitURL()+path, nil)
	resp, err := h.http.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit %s: status %d", path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

// mailCounts counts the inbox's messages with subject per recipient.
func mailCounts(msgs []inboxMail, subject string) map[string]int {
	out := map[string]int{}
	for _, m := range msgs {
		if m.Subject == subject {
			out[m.to()]++
		}
	}
	return out
}

// eachOnce reports whether counts holds exactly one message for every
// address, and nothing else.
func eachOnce(counts map[string]int, addrs []string) bool {
	if len(counts) != len(addrs) {
		return false
	}
	for _, a := range addrs {
		if counts[a] != 1 {
			return false
		}
	}
	return true
}

var resetLinkRE = regexp.MustCompile(`/reset-password\?token=([A-Za-z0-9_-]+)`)

// resetJobs are the send_mail jobs of the password-reset mails.
type resetJobs struct {
	n, done, queued, failed  int
	minAttempts, maxAttempts int
	attempts                 int
	lastError                string
	lastFinished             time.Time
}

func readResetJobs(ctx context.Context, db *sql.DB) (resetJobs, error) {
	var r resetJobs
	var last sql.NullTime
	var lastErr sql.NullString
	err := db.QueryRowContext(ctx, `SELECT count(*),
			count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state IN ('queued', 'running')),
			count(*) FILTER (WHERE state = 'failed'),
			COALESCE(min(attempts), 0), COALESCE(max(attempts), 0), COALESCE(sum(attempts), 0),
			max(last_error), max(finished_at)
		FROM jobs WHERE kind = 'send_mail' AND dedupe_key LIKE 'user:%:password_reset:%'`).
		Scan(&r.n, &r.done, &r.queued, &r.failed, &r.minAttempts, &r.maxAttempts, &r.attempts, &lastErr, &last)
	r.lastError, r.lastFinished = lastErr.String, last.Time
	return r, err
}

// drillSMTPDown: the SMTP server (Mailpit) is down for h.smtpOutage while
// ten users ask for a password reset. The requests are answered at once;
// the outbox keeps the mails and retries them; once Mailpit is back every
// mail arrives within the outbox's retry cap, none twice, and every link
// sets a new password.
func (h *harness) drillSMTPDown(ctx context.Context) (string, error) {
	const users = 10
	store := filepath.Join(h.logDir, "mailpit-f.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(store + suffix) //nolint:errcheck // absent is fine
	}
	if err := h.mailpit(ctx, "start", store); err != nil {
		return "", err
	}
	defer h.mailpit(context.WithoutCancel(ctx), "stop", store) //nolint:errcheck // best effort; faults.sh stops it as well
	dbURL, err := h.database(ctx, "f")
	if err != nil {
		return "", err
	}
	// The pool's production backoff: the drill measures what a deployment gets.
	srv, err := h.startServer(ctx, "f", h.serverEnv(dbURL, map[string]string{"SMTP_URL": h.smtpURL()}))
	if err != nil {
		return "", err
	}
	defer srv.signal(syscall.SIGTERM) //nolint:errcheck

	tag := fmt.Sprintf("fault-f-%d", time.Now().Unix())
	emails := make([]string, users)
	for i := range emails {
		emails[i] = fmt.Sprintf("%s-%02d@example.com", tag, i)
		if _, err := h.registerFrom(ctx, emails[i], forwardedIP(30, i)); err != nil {
			return "", err
		}
	}
	// Registration mails a verification link: the path works before the outage.
	var msgs []inboxMail
	if err := waitFor(ctx, 30*time.Second, 200*time.Millisecond, func() (bool, error) {
		var err error
		msgs, err = h.inbox(ctx)
		return err == nil && eachOnce(mailCounts(msgs, subjectVerify), emails), err
	}); err != nil {
		return fmt.Sprintf("verification mails before the outage %v", mailCounts(msgs, subjectVerify)), fmt.Errorf("mail did not work before the outage: %w", err)
	}

	downAt := time.Now()
	if err := h.mailpit(ctx, "stop", store); err != nil {
		return "", err
	}
	if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", h.smtpPort), time.Second); err == nil {
		c.Close()
		return "", errors.New("the SMTP port still accepts connections after Mailpit stopped")
	}

	statuses := map[int]int{}
	var slowest time.Duration
	for i, email := range emails {
		start := time.Now()
		st, raw, _, err := h.do(ctx, http.MethodPost, "/api/auth/password-reset", "", map[string]string{"email": email},
			map[string]string{"X-Forwarded-For": forwardedIP(31, i)})
		if err != nil {
			return "", fmt.Errorf("reset request: %w", err)
		}
		slowest = max(slowest, time.Since(start))
		statuses[st]++
		if st != http.StatusAccepted {
			return fmt.Sprintf("reset answers %s", statusList(statuses)), fmt.Errorf("reset request answered %d %s", st, raw)
		}
	}

	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	// Each mail is tried at once (the outbox wakes the pool) and fails.
	var during resetJobs
	if err := waitFor(ctx, h.smtpOutage, 200*time.Millisecond, func() (bool, error) {
		var err error
		during, err = readResetJobs(ctx, db)
		return err == nil && during.n == users && during.minAttempts >= 1, err
	}); err != nil {
		return fmt.Sprintf("reset jobs %+v", during), fmt.Errorf("the reset mails were not tried during the outage: %w", err)
	}
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(time.Until(downAt.Add(h.smtpOutage))):
	}
	if during, err = readResetJobs(ctx, db); err != nil {
		return "", err
	}

	if err := h.mailpit(ctx, "start", store); err != nil {
		return "", err
	}
	upAt := time.Now()
	outage := upAt.Sub(downAt)

	// Every reset mail arrives; the limit is generous, the figure is the
	// point. A mail's arrival is when a poll of the inbox first lists it.
	limit := 3*time.Minute + h.smtpOutage
	var arrived map[string]int
	seen := map[string]time.Duration{}
	err = waitFor(ctx, limit, 250*time.Millisecond, func() (bool, error) {
		var err error
		msgs, err = h.inbox(ctx)
		if err != nil {
			return false, err
		}
		arrived = mailCounts(msgs, subjectReset)
		for to := range arrived {
			if _, ok := seen[to]; !ok {
				seen[to] = time.Since(upAt)
			}
		}
		return len(arrived) == users, nil
	})
	if err != nil {
		return fmt.Sprintf("SMTP down %s; %d of %d reset mails arrived", secs(outage), len(arrived), users), fmt.Errorf("not every reset mail arrived: %w", err)
	}
	// Let every job finish, then a little longer: a duplicate would show now.
	var after resetJobs
	if err := waitFor(ctx, 60*time.Second, 200*time.Millisecond, func() (bool, error) {
		var err error
		after, err = readResetJobs(ctx, db)
		return err == nil && after.queued == 0, err
	}); err != nil {
		return "", fmt.Errorf("reset jobs still queued: %w", err)
	}
	time.Sleep(3 * time.Second)
	if msgs, err = h.inbox(ctx); err != nil {
		return "", err
	}
	resets, verifies := mailCounts(msgs, subjectReset), mailCounts(msgs, subjectVerify)
	delays := make([]time.Duration, 0, users)
	for _, d := range seen {
		delays = append(delays, d)
	}
	ids := map[string]bool{}
	links := 0
	for _, m := range msgs {
		ids[m.MessageID] = true
		if m.Subject != subjectReset {
			continue
		}
		var full struct {
			Text string `json:"Text"`
		}
		if err := h.mailpitJSON(ctx, "/api/v1/message/"+m.ID, &full); err != nil {
			return "", err
		}
		tok := resetLinkRE.FindStringSubmatch(full.Text)
		if tok == nil {
			continue
		}
		st, _, _, err := h.do(ctx, http.MethodPost, "/api/auth/password-reset/confirm", "",
			map[string]string{"token": tok[1], "password": "fault-drill-reset-" + strconv.Itoa(links)}, nil)
		if err == nil && st == http.StatusOK {
			links++
		}
	}
	sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
	if len(delays) == 0 {
		return "", errors.New("the inbox lost the reset mails")
	}
	dups := 0
	for _, c := range resets {
		dups += max(c-1, 0)
	}
	for _, c := range verifies {
		dups += max(c-1, 0)
	}
	if after, err = readResetJobs(ctx, db); err != nil {
		return "", err
	}
	out := fmt.Sprintf("SMTP (Mailpit) down %s; %d reset requests during it answered %s (slowest %s); "+
		"each of the %d reset mails tried %s× while it was down (%d tries in all, the user-facing error %q); "+
		"after Mailpit was back the first arrived in %s, the median in %s, the last in %s; "+
		"per recipient: reset mails %s, verification mails %s; %d duplicates, %d distinct Message-IDs in %d messages; "+
		"%d of %d links set a new password; reset jobs %d done, %d failed, %s tries each",
		secs(outage), users, statusList(statuses), secs(slowest),
		during.n, span(during.minAttempts, during.maxAttempts), during.attempts, during.lastError,
		secs(delays[0]), secs(delays[len(delays)/2]), secs(delays[len(delays)-1]),
		countRange(resets, emails), countRange(verifies, emails), dups, len(ids), len(msgs),
		links, users, after.done, after.failed, span(after.minAttempts, after.maxAttempts))
	switch {
	case !eachOnce(resets, emails):
		return out, errors.New("not exactly one reset mail per user")
	case !eachOnce(verifies, emails):
		return out, errors.New("not exactly one verification mail per user")
	case len(ids) != len(msgs):
		return out, errors.New("a Message-ID was delivered twice")
	case links != users:
		return out, errors.New("not every reset link set a new password")
	case delays[len(delays)-1] > mail.RetryCap+15*time.Second:
		// A try, a poll of the pool and one of the inbox beyond the cap.
		return out, fmt.Errorf("the last mail came later than the outbox's retry cap (%s) allows", mail.RetryCap)
	case after.done != users:
		return out, errors.New("not every reset job is done")
	}
	return out, nil
}

// countRange prints the smallest and largest count over addrs.
func countRange(counts map[string]int, addrs []string) string {
	lo, hi := -1, 0
	for _, a := range addrs {
		c := counts[a]
		if lo < 0 || c < lo {
			lo = c
		}
		hi = max(hi, c)
	}
	return span(lo, hi)
}

// span prints a range of counts: "1" when they agree, "2–3" when not.
func span(lo, hi int) string {
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

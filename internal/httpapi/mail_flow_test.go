package httpapi_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/smtptest"
)

// mailHarness is the server mailing through a real SMTP server.
func mailHarness(t *testing.T, accounts ...sandbox.AccountSpec) (*igsynctest.Harness, *smtptest.Server) {
	t.Helper()
	smtp := smtptest.New(t)
	h := igsynctest.New(t, igsynctest.Options{SMTPURL: smtp.URL(), Accounts: accounts})
	return h, smtp
}

// linkToken finds the link to path in a mail's text part and returns its
// token.
func linkToken(t *testing.T, h *igsynctest.Harness, m smtptest.Message, path string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(h.URL+path) + `\?token=([A-Za-z0-9_%-]+)`)
	match := re.FindStringSubmatch(m.Text)
	if match == nil {
		t.Fatalf("mail %q has no %s link:\n%s", m.Get("Subject"), path, m.Text)
	}
	if !strings.Contains(m.HTML, match[0]) {
		t.Errorf("the HTML part lacks the link %s", match[0])
	}
	return match[1]
}

func mailsTo(msgs []smtptest.Message, addr string) []smtptest.Message {
	var out []smtptest.Message
	for _, m := range msgs {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

func TestMail_VerifyOnRegister(t *testing.T) {
	h, smtp := mailHarness(t)
	const email = "verify-me@example.com"
	res := h.Do(http.MethodPost, "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"})
	if res.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", res.Status, res.Raw)
	}
	token := res.Body["token"].(string)
	msgs := smtp.WaitFor(t, 1, 10*time.Second)
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != email || m.Get("Subject") != "Confirm your email address" {
		t.Fatalf("mail to %v, subject %q", m.To, m.Get("Subject"))
	}
	if strings.Contains(string(m.Raw), "correct horse battery") || strings.Contains(string(m.Raw), token) {
		t.Error("the mail holds the password or the session token")
	}
	verify := linkToken(t, h, m, "/verify-email")
	res = h.Do(http.MethodPost, "/api/auth/verify-email", "", map[string]string{"token": verify})
	if res.Status != http.StatusOK || res.Body["email_verified"] != true {
		t.Fatalf("verify: %d %s", res.Status, res.Raw)
	}
	if me := h.Do(http.MethodGet, "/api/user/me", token, nil); me.Body["email_verified"] != true {
		t.Errorf("me = %s, want verified", me.Raw)
	}
	if res := h.Do(http.MethodPost, "/api/auth/verify-email", "", map[string]string{"token": verify}); res.Status != http.StatusBadRequest || res.Body["code"] != "invalid_token" {
		t.Errorf("the link again: %d %s, want 400 invalid_token", res.Status, res.Raw)
	}
}

func TestMail_PasswordReset(t *testing.T) {
	h, smtp := mailHarness(t)
	const email = "forgetful@example.com"
	old := h.Do(http.MethodPost, "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"}).Body["token"].(string)
	smtp.WaitFor(t, 1, 10*time.Second) // the verification mail

	for _, addr := range []string{"nobody@example.com", " Forgetful@Example.com "} {
		res := h.Do(http.MethodPost, "/api/auth/password-reset", "", map[string]string{"email": addr})
		if res.Status != http.StatusAccepted {
			t.Fatalf("reset %q: %d %s", addr, res.Status, res.Raw)
		}
	}
	msgs := smtp.WaitFor(t, 2, 10*time.Second)
	time.Sleep(200 * time.Millisecond) // room for a mail that should not come
	if n := len(mailsTo(smtp.Messages(), "nobody@example.com")); n != 0 {
		t.Errorf("mails to an address without an account = %d, want 0", n)
	}
	resets := mailsTo(msgs, email)
	m := resets[len(resets)-1]
	if m.Get("Subject") != "Reset your password" {
		t.Fatalf("subject = %q", m.Get("Subject"))
	}
	tok := linkToken(t, h, m, "/reset-password")

	res := h.Do(http.MethodPost, "/api/auth/password-reset/confirm", "", map[string]string{"token": tok, "password": "a brand new password"})
	if res.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", res.Status, res.Raw)
	}
	if got := h.Do(http.MethodGet, "/api/user/me", old, nil).Status; got != http.StatusUnauthorized {
		t.Errorf("the earlier session: %d, want 401", got)
	}
	if res := h.Do(http.MethodPost, "/api/auth/password-reset/confirm", "", map[string]string{"token": tok, "password": "yet another password"}); res.Status != http.StatusBadRequest {
		t.Errorf("the link again: %d, want 400", res.Status)
	}
	if got := h.Do(http.MethodPost, "/api/auth/login", "", map[string]string{"email": email, "password": "a brand new password"}).Status; got != http.StatusOK {
		t.Errorf("login with the new password: %d", got)
	}
}

// TestMail_KeptWhileSMTPDown stops the SMTP server before a registration:
// the verification mail waits in the outbox and is sent once the server is
// back.
func TestMail_KeptWhileSMTPDown(t *testing.T) {
	h, smtp := mailHarness(t)
	smtp.Stop()
	const email = "patient@example.com"
	if res := h.Do(http.MethodPost, "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"}); res.Status != http.StatusCreated {
		t.Fatalf("register with SMTP down: %d %s", res.Status, res.Raw)
	}
	h.Eventually("a failed delivery attempt", func() bool {
		return h.Int(`SELECT count(*) FROM jobs WHERE kind = 'send_mail' AND attempts >= 1 AND state IN ('queued', 'running')`) == 1
	})
	smtp.Start()
	m := smtp.WaitFor(t, 1, 20*time.Second)[0]
	if m.To[0] != email {
		t.Fatalf("mail to %v", m.To)
	}
	tok := linkToken(t, h, m, "/verify-email")
	if res := h.Do(http.MethodPost, "/api/auth/verify-email", "", map[string]string{"token": tok}); res.Status != http.StatusOK {
		t.Errorf("verify with the late mail: %d %s", res.Status, res.Raw)
	}
}

// TestMail_DeletionDropsQueuedMail deletes a user whose verification mail
// is still queued: it is never sent.
func TestMail_DeletionDropsQueuedMail(t *testing.T) {
	h, smtp := mailHarness(t)
	smtp.Stop()
	res := h.Do(http.MethodPost, "/api/auth/register", "", map[string]string{"email": "gone@example.com", "password": "correct horse battery"})
	token := res.Body["token"].(string)
	if n := h.Int(`SELECT count(*) FROM jobs WHERE kind = 'send_mail'`); n != 1 {
		t.Fatalf("queued mails = %d, want 1", n)
	}
	if res := h.Do(http.MethodDelete, "/api/user/me", token, map[string]string{"password": "correct horse battery"}); res.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.Status, res.Raw)
	}
	if n := h.Int(`SELECT count(*) FROM jobs WHERE kind = 'send_mail'`); n != 0 {
		t.Errorf("queued mails after deletion = %d, want 0", n)
	}
	smtp.Start()
	time.Sleep(500 * time.Millisecond)
	if n := len(smtp.Messages()); n != 0 {
		t.Errorf("mails sent for a deleted user = %d, want 0", n)
	}
}

// TestMail_NeedsReauthOnce revokes a verified owner's token: the account
// turns needs_reauth and the owner gets one reconnect mail, however often
// Instagram refuses afterwards.
func TestMail_NeedsReauthOnce(t *testing.T) {
	const igID = "17841400000000981"
	h, smtp := mailHarness(t, sandbox.AccountSpec{UserID: igID, Username: "reauth.creator", Posts: 3})
	const email = "owner@example.com"
	token := h.Do(http.MethodPost, "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"}).Body["token"].(string)
	verify := linkToken(t, h, smtp.WaitFor(t, 1, 10*time.Second)[0], "/verify-email")
	if res := h.Do(http.MethodPost, "/api/auth/verify-email", "", map[string]string{"token": verify}); res.Status != http.StatusOK {
		t.Fatalf("verify: %d", res.Status)
	}
	h.MustConnect(token, igID)
	h.WaitSync(token, "")

	h.Sandbox.RevokeAll(igID)
	for i := range 3 {
		h.Exec(`DELETE FROM jobs WHERE kind <> 'send_mail'`)
		if res := h.Do(http.MethodPost, "/api/instagram/refresh", token, nil); res.Status != http.StatusAccepted {
			t.Fatalf("refresh %d: %d", i, res.Status)
		}
		h.Eventually("the fetch to fail", func() bool {
			return h.Int(`SELECT count(*) FROM jobs WHERE kind = 'fetch_posts' AND state = 'failed'`) == 1
		})
	}
	msgs := smtp.WaitFor(t, 2, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	var reconnect []smtptest.Message
	for _, m := range smtp.Messages() {
		if strings.HasPrefix(m.Get("Subject"), "Reconnect your Instagram account") {
			reconnect = append(reconnect, m)
		}
	}
	if len(reconnect) != 1 {
		t.Fatalf("reconnect mails = %d (of %d), want 1", len(reconnect), len(msgs))
	}
	m := reconnect[0]
	if m.To[0] != email || !strings.Contains(m.Get("Subject"), "@reauth.creator") || !strings.Contains(m.Text, h.URL+"/dashboard") {
		t.Errorf("reconnect mail to %v, %q:\n%s", m.To, m.Get("Subject"), m.Text)
	}
	for _, secret := range h.Issued() {
		if strings.Contains(string(m.Raw), secret) {
			t.Error("the reconnect mail holds an Instagram token or code")
		}
	}
}

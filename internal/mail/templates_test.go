package mail_test

import (
	"context"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/smtptest"
)

const publicURL = "https://growth.example.com"

func templates(t *testing.T) *mail.Templates {
	t.Helper()
	tpl, err := mail.NewTemplates(publicURL + "/")
	if err != nil {
		t.Fatalf("NewTemplates: %v", err)
	}
	return tpl
}

// deliver sends m through a real SMTP server and returns what arrived.
func deliver(t *testing.T, m mail.Message) smtptest.Message {
	t.Helper()
	s := smtptest.New(t)
	if err := newSender(t, s, mail.SenderOptions{}).Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	return s.WaitFor(t, 1, 5*time.Second)[0]
}

// checkParts asserts both parts exist, the HTML has no script, and each
// holds every one of want.
func checkParts(t *testing.T, got smtptest.Message, want ...string) {
	t.Helper()
	if strings.Join(got.Parts, ",") != "text/plain,text/html" {
		t.Fatalf("parts = %v, want text/plain and text/html", got.Parts)
	}
	if strings.Contains(strings.ToLower(got.HTML), "<script") || strings.Contains(strings.ToLower(got.HTML), "javascript:") {
		t.Error("HTML part has a script")
	}
	if strings.Contains(got.HTML, "<style") || strings.Contains(got.HTML, "<link") {
		t.Error("HTML part has a style sheet; CSS must be inline")
	}
	for _, w := range want {
		if !strings.Contains(got.Text, w) {
			t.Errorf("text part lacks %q:\n%s", w, got.Text)
		}
		if !strings.Contains(html.UnescapeString(got.HTML), w) {
			t.Errorf("HTML part lacks %q", w)
		}
	}
}

func TestTemplates_VerifyEmail(t *testing.T) {
	token := "vT0k+en/with=signs"
	m, err := templates(t).VerifyEmail("ana@example.org", token)
	if err != nil {
		t.Fatal(err)
	}
	got := deliver(t, m)
	link := publicURL + "/verify-email?token=" + url.QueryEscape(token)
	checkParts(t, got, link, "48 hours")
	if got, want := got.Get("Subject"), "Confirm your email address"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") != token {
		t.Errorf("link %q does not carry the token back", link)
	}
}

func TestTemplates_PasswordReset(t *testing.T) {
	m, err := templates(t).PasswordReset("ana@example.org", "reset-abc")
	if err != nil {
		t.Fatal(err)
	}
	got := deliver(t, m)
	checkParts(t, got, publicURL+"/reset-password?token=reset-abc", "30 minutes")
	if got, want := got.Get("Subject"), "Reset your password"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
}

func TestTemplates_Reconnect(t *testing.T) {
	m, err := templates(t).Reconnect("ana@example.org", "ana.travels")
	if err != nil {
		t.Fatal(err)
	}
	got := deliver(t, m)
	checkParts(t, got, publicURL+"/dashboard", "@ana.travels")
	if got, want := got.Get("Subject"), "Reconnect your Instagram account @ana.travels"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	if strings.Contains(got.Text, "token") {
		t.Error("reconnect mail mentions a token")
	}
}

func ptr[T any](v T) *T { return &v }

func digest() mail.Digest {
	return mail.Digest{
		Week:             "2026-W49",
		UnsubscribeToken: "unsub-123",
		Accounts: []mail.DigestAccount{
			{
				Username: "ana.travels", Posts: 4, Likes: 12345, Comments: 210,
				LikesTrend: ptr(21.44), CommentsTrend: ptr(-3.06),
				Views: ptr(int64(41000)), Reach: ptr(int64(30500)), ViewsTrend: ptr(12.0), ReachTrend: ptr(0.0),
				BestPost: &mail.DigestPost{Caption: "Sunset over <Lisbon> & the river #travel", Permalink: "https://www.instagram.com/p/abc/", Likes: 900, Comments: 40},
				Message:  "🔥 You're on fire! Engagement is way up.", Recommendation: "Reels reach 2.3× more people than photos",
			},
			{
				Username: "ana.food", Posts: 0, Likes: 0, Comments: 0, LikesTrend: ptr(0.0), CommentsTrend: ptr(0.0),
				Message: "No posts yet in this period. Time to share something! 📸",
			},
		},
	}
}

func TestTemplates_WeeklyDigest(t *testing.T) {
	m, err := templates(t).WeeklyDigest("ana@example.org", digest())
	if err != nil {
		t.Fatal(err)
	}
	got := deliver(t, m)
	checkParts(t, got, "@ana.travels", "@ana.food", "12,345", "+21.4%", "−3.1%", "41,000", "30,500", "+12.0%", "±0.0%",
		"Reels reach 2.3× more people than photos", "No posts yet in this period. Time to share something! 📸",
		publicURL+"/unsubscribe?token=unsub-123", publicURL+"/dashboard", "https://www.instagram.com/p/abc/")
	if got, want := got.Get("Subject"), "Your week on Instagram (2026-W49)"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	if got, want := got.Get("List-Unsubscribe"), "<"+publicURL+"/api/email/unsubscribe?token=unsub-123>"; got != want {
		t.Errorf("List-Unsubscribe = %q, want %q", got, want)
	}
	if got, want := got.Get("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click"; got != want {
		t.Errorf("List-Unsubscribe-Post = %q, want %q", got, want)
	}
	t.Run("UnknownIsNotZero", func(t *testing.T) {
		// ana.food's views and reach were not reported: never shown as 0.
		food := got.Text[strings.Index(got.Text, "@ana.food"):]
		if !strings.Contains(food, "Views      not reported (no trend)") || !strings.Contains(food, "Reach      not reported (no trend)") {
			t.Errorf("unknown views/reach not shown as unknown:\n%s", food)
		}
	})
	t.Run("Escaped", func(t *testing.T) {
		if !strings.Contains(got.HTML, "Sunset over &lt;Lisbon&gt; &amp; the river") {
			t.Error("caption not HTML-escaped")
		}
		if !strings.Contains(got.Text, "Sunset over <Lisbon> & the river") {
			t.Error("caption changed in the text part")
		}
	})
}

func TestTemplates_WeeklyDigestErrors(t *testing.T) {
	tpl := templates(t)
	for _, tc := range []struct {
		name   string
		change func(*mail.Digest)
	}{
		{"ErrNoToken", func(d *mail.Digest) { d.UnsubscribeToken = "" }},
		{"ErrNoAccounts", func(d *mail.Digest) { d.Accounts = nil }},
		{"ErrNoWeek", func(d *mail.Digest) { d.Week = "" }},
		{"ErrPermalinkScheme", func(d *mail.Digest) { d.Accounts[0].BestPost.Permalink = "javascript:alert(1)" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := digest()
			tc.change(&d)
			if _, err := tpl.WeeklyDigest("ana@example.org", d); err == nil {
				t.Error("WeeklyDigest accepted it")
			}
		})
	}
}

func TestTemplates_Errors(t *testing.T) {
	tpl := templates(t)
	if _, err := tpl.VerifyEmail("ana@example.org", ""); err == nil {
		t.Error("VerifyEmail without a token")
	}
	if _, err := tpl.PasswordReset("not-an-address", "t"); err == nil {
		t.Error("PasswordReset to a bad address")
	}
	if _, err := tpl.Reconnect("ana@example.org", ""); err == nil {
		t.Error("Reconnect without a username")
	}
	if _, err := mail.NewTemplates("growth.example.com"); err == nil {
		t.Error("NewTemplates accepted a relative URL")
	}
}

func TestTemplates_EscapesUsername(t *testing.T) {
	m, err := templates(t).Reconnect("ana@example.org", `x"><script>alert(1)</script>`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script>") {
		t.Error("username reached the HTML unescaped")
	}
}

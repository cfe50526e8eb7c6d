package mail

import (
	"embed"
	"errors"
	"fmt"
	htemplate "html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	ttemplate "text/template"
	"unicode/utf8"
)

//go:embed templates/*.txt templates/*.html
var templateFS embed.FS

// Templates renders the server's mails. Links are built on the public URL
// (PUBLIC_URL). A rendered mail holds only what its caller hands in: no
// password and no Instagram token ever reach a template.
type Templates struct {
	base string
	text map[string]*ttemplate.Template
	html map[string]*htemplate.Template
}

var templateNames = []string{"verify_email", "password_reset", "reconnect", "digest"}

var funcs = map[string]any{
	"num":        formatInt,
	"optnum":     formatOptInt,
	"trend":      formatTrend,
	"trendColor": trendColor,
	"caption":    caption,
}

// NewTemplates parses the embedded templates for links under publicURL.
func NewTemplates(publicURL string) (*Templates, error) {
	u, err := url.Parse(publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("mail: public URL must be an absolute http(s) URL")
	}
	t := &Templates{base: strings.TrimRight(publicURL, "/"), text: map[string]*ttemplate.Template{}, html: map[string]*htemplate.Template{}}
	for _, name := range templateNames {
		tt, err := ttemplate.New(name+".txt").Funcs(funcs).Option("missingkey=error").ParseFS(templateFS, "templates/"+name+".txt")
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: %w", name, err)
		}
		ht, err := htemplate.New(name+".html").Funcs(funcs).Option("missingkey=error").ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: %w", name, err)
		}
		t.text[name], t.html[name] = tt, ht
	}
	return t, nil
}

// link returns base+path with the query token=….
func (t *Templates) link(path, token string) string {
	if token == "" {
		return t.base + path
	}
	return t.base + path + "?token=" + url.QueryEscape(token)
}

// page is what every template sees.
type page struct {
	Subject string
	Footer  string
	Link    string
	// Username names the account of a reconnect mail.
	Username string
}

const footer = "Creator Growth Tool · this is an automated mail; replies are not read."

func (t *Templates) render(name, to, subject string, data any) (Message, error) {
	var text, html strings.Builder
	if err := t.text[name].Execute(&text, data); err != nil {
		return Message{}, fmt.Errorf("mail: render %s text: %w", name, err)
	}
	if err := t.html[name].Execute(&html, data); err != nil {
		return Message{}, fmt.Errorf("mail: render %s html: %w", name, err)
	}
	m := Message{To: to, Subject: subject, Text: text.String(), HTML: html.String()}
	if err := m.Validate(); err != nil {
		return Message{}, err
	}
	return m, nil
}

// VerifyEmail renders the mail of a registration: a link to
// {PUBLIC_URL}/verify-email?token=… (single use, 48 h).
func (t *Templates) VerifyEmail(to, token string) (Message, error) {
	if token == "" {
		return Message{}, errors.New("mail: verify email needs a token")
	}
	const subject = "Confirm your email address"
	return t.render("verify_email", to, subject, page{Subject: subject, Footer: footer, Link: t.link("/verify-email", token)})
}

// PasswordReset renders the reset mail: a link to
// {PUBLIC_URL}/reset-password?token=… (single use, 30 min).
func (t *Templates) PasswordReset(to, token string) (Message, error) {
	if token == "" {
		return Message{}, errors.New("mail: password reset needs a token")
	}
	const subject = "Reset your password"
	return t.render("password_reset", to, subject, page{Subject: subject, Footer: footer, Link: t.link("/reset-password", token)})
}

// Reconnect renders the mail sent once when the account @username turns
// needs_reauth: a link to {PUBLIC_URL}/dashboard to reconnect it.
func (t *Templates) Reconnect(to, username string) (Message, error) {
	if username == "" || strings.ContainsAny(username, "\r\n") {
		return Message{}, errors.New("mail: reconnect needs the account's username")
	}
	subject := "Reconnect your Instagram account @" + username
	return t.render("reconnect", to, subject, page{Subject: subject, Footer: footer, Link: t.link("/dashboard", ""), Username: username})
}

// Digest is one user's weekly digest.
type Digest struct {
	// Week is the ISO week reported, like "2026-W49".
	Week string
	// UnsubscribeToken goes into the unsubscribe links and List-Unsubscribe.
	UnsubscribeToken string
	// Accounts are the user's own accounts, in the order to show them.
	Accounts []DigestAccount
}

// DigestAccount is one account's last 7 days, under its username. A nil
// pointer is a figure Instagram did not report: it shows as unknown,
// never as 0. Trends are percentages against the 7 days before, as the
// stats endpoint computes them.
type DigestAccount struct {
	Username                  string
	Posts                     int
	Likes, Comments           int64
	LikesTrend, CommentsTrend *float64
	Views, Reach              *int64
	ViewsTrend, ReachTrend    *float64
	BestPost                  *DigestPost // nil: no post in the week
	Message                   string      // the stats message
	Recommendation            string      // the top recommendation's title; empty: none
}

// DigestPost is the week's best post of an account.
type DigestPost struct {
	Caption         string
	Permalink       string // the post on Instagram; empty: no link
	Likes, Comments int64
}

// digestPage is what the digest templates see.
type digestPage struct {
	page
	Week                           string
	Accounts                       []DigestAccount
	DashboardLink, UnsubscribeLink string
}

// WeeklyDigest renders d for to, with a List-Unsubscribe header pointing
// at {PUBLIC_URL}/api/email/unsubscribe?token=… for one-click
// unsubscription (RFC 8058: the mail client POSTs
// "List-Unsubscribe=One-Click" there) and an unsubscribe link in the body
// to {PUBLIC_URL}/unsubscribe?token=…, the page that asks the API.
func (t *Templates) WeeklyDigest(to string, d Digest) (Message, error) {
	if d.UnsubscribeToken == "" {
		return Message{}, errors.New("mail: digest needs an unsubscribe token")
	}
	if d.Week == "" || len(d.Accounts) == 0 {
		return Message{}, errors.New("mail: digest needs a week and at least one account")
	}
	for _, a := range d.Accounts {
		if a.BestPost != nil && a.BestPost.Permalink != "" {
			if u, err := url.Parse(a.BestPost.Permalink); err != nil || u.Scheme != "https" {
				return Message{}, errors.New("mail: a best post's permalink must be an https URL")
			}
		}
	}
	subject := "Your week on Instagram (" + d.Week + ")"
	p := digestPage{
		page: page{Subject: subject, Footer: footer}, Week: d.Week, Accounts: d.Accounts,
		DashboardLink: t.link("/dashboard", ""), UnsubscribeLink: t.link("/unsubscribe", d.UnsubscribeToken),
	}
	m, err := t.render("digest", to, subject, p)
	if err != nil {
		return Message{}, err
	}
	m.Headers = map[string]string{
		HeaderListUnsubscribe:     "<" + t.link("/api/email/unsubscribe", d.UnsubscribeToken) + ">",
		HeaderListUnsubscribePost: "List-Unsubscribe=One-Click",
	}
	return m, nil
}

// formatInt writes n with thousands separators: 12,345.
func formatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func formatOptInt(n *int64) string {
	if n == nil {
		return "not reported"
	}
	return formatInt(*n)
}

func formatTrend(p *float64) string {
	if p == nil || math.IsNaN(*p) || math.IsInf(*p, 0) {
		return "no trend"
	}
	v := math.Round(*p*10) / 10
	switch {
	case v > 0:
		return "+" + strconv.FormatFloat(v, 'f', 1, 64) + "%"
	case v < 0:
		return "−" + strconv.FormatFloat(-v, 'f', 1, 64) + "%"
	}
	return "±0.0%"
}

func trendColor(p *float64) string {
	switch {
	case p == nil:
		return "#71717a"
	case *p > 0:
		return "#15803d"
	case *p < 0:
		return "#b91c1c"
	}
	return "#71717a"
}

// caption shortens a caption to one line of at most 80 characters.
func caption(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(no caption)"
	}
	if utf8.RuneCountInString(s) > 80 {
		r := []rune(s)
		return string(r[:79]) + "…"
	}
	return s
}

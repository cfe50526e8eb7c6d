package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultTimeout bounds one whole send: dial, TLS, AUTH and DATA.
const DefaultTimeout = 30 * time.Second

// SenderOptions tune a Sender.
type SenderOptions struct {
	// Timeout bounds one Send, dial to QUIT; default DefaultTimeout.
	Timeout time.Duration
	// TLSConfig verifies the server; nil: the system roots and the URL's
	// host. Tests pass one trusting their own certificate.
	TLSConfig *tls.Config
}

// Sender delivers Messages to the SMTP server of an SMTP_URL:
// smtp://user:pass@host:port upgrades with STARTTLS when the server
// offers it, smtps://… speaks TLS from the first byte. Credentials are
// only sent over TLS or to a server on localhost.
type Sender struct {
	host     string
	port     int
	implicit bool
	user     string
	pass     string
	from     *mail.Address
	timeout  time.Duration
	tls      *tls.Config
}

// NewSender returns a Sender for smtpURL with from (MAIL_FROM, like
// "Creator Growth Tool <no-reply@example.com>") as the sender of every mail.
// Errors never repeat the URL, which may hold a password.
func NewSender(smtpURL, from string, opts SenderOptions) (*Sender, error) {
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, errors.New("mail: SMTP_URL is not a URL like smtp://user:pass@host:587")
	}
	s := &Sender{host: u.Hostname(), timeout: opts.Timeout}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, errors.New("mail: SMTP_URL must start with smtp:// or smtps://")
	}
	if s.host == "" {
		return nil, errors.New("mail: SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, errors.New("mail: SMTP_URL has a bad port")
		}
		s.port = n
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if s.from, err = mail.ParseAddress(from); err != nil {
		return nil, errors.New("mail: MAIL_FROM is not an address like Name <no-reply@example.com>")
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if opts.TLSConfig != nil {
		s.tls = opts.TLSConfig.Clone()
	} else {
		s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if s.tls.ServerName == "" {
		s.tls.ServerName = s.host
	}
	return s, nil
}

// From returns the sender's address (MAIL_FROM).
func (s *Sender) From() string { return s.from.String() }

// SendError is a failed Send. Its text names the step and the server's
// reply code but never the server's words, which may echo the recipient.
type SendError struct {
	Step string // "dial", "mail", "rcpt", "data", "send"
	Code int    // the SMTP reply code, 0 when there was none
	// Temporary is false only when the server refused the mail for good
	// (a 5xx reply to MAIL FROM, RCPT TO or DATA): retrying will not help.
	Temporary bool
	reason    string // go-mail's reason, without its list of recipients
	err       error
}

func (e *SendError) Error() string {
	switch {
	case e.Code != 0:
		return fmt.Sprintf("smtp %s: reply %d", e.Step, e.Code)
	case e.reason != "":
		return fmt.Sprintf("smtp %s: %s", e.Step, e.reason)
	}
	return fmt.Sprintf("smtp %s: %s", e.Step, e.err.Error())
}

func (e *SendError) Unwrap() error { return e.err }

// Send delivers m once, within the Sender's timeout and ctx. A message
// without an ID gets one first (m is a copy, so the caller's stays empty).
func (s *Sender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.ID == "" {
		m.ID = newMessageID(Domain(s.from.Address))
	}
	msg, err := s.build(m)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	client, err := gomail.NewClient(s.host, s.clientOptions(ctx)...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return classify(ctx, err)
	}
	return nil
}

func (s *Sender) clientOptions(ctx context.Context) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(s.tls),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic),
		gomail.WithDialContextFunc(s.dialer(ctx)),
	}
	if s.user != "" {
		// The strongest mechanism the server offers; PLAIN and LOGIN go
		// only over TLS or to localhost (go-mail refuses them otherwise).
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	return opts
}

// dialer connects (with TLS at once for smtps) and ties the connection to
// ctx: go-mail bounds each command by its timeout, and this ends a send
// whose caller gave up, such as a worker pool shutting down.
func (s *Sender) dialer(ctx context.Context) gomail.DialContextFunc {
	return func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var (
			conn net.Conn
			err  error
		)
		if s.implicit {
			conn, err = (&tls.Dialer{NetDialer: d, Config: s.tls}).DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		context.AfterFunc(ctx, func() { conn.Close() }) //nolint:errcheck
		return conn, nil
	}
}

func (s *Sender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, errors.New("mail: recipient is not one valid address")
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID)
	msg.SetDate()
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// classify turns go-mail's error into a SendError.
func classify(ctx context.Context, err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		e := &SendError{Step: "send", Code: se.ErrorCode(), Temporary: true, reason: se.Reason.String(), err: err}
		switch se.Reason {
		case gomail.ErrSMTPMailFrom:
			e.Step = "mail"
		case gomail.ErrSMTPRcptTo:
			e.Step = "rcpt"
		case gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			e.Step = "data"
		}
		if e.Step != "send" && e.Code >= 500 && e.Code < 600 {
			e.Temporary = false
		}
		return e
	}
	if ctx.Err() != nil {
		return &SendError{Step: "send", Temporary: true, err: ctx.Err()}
	}
	// A refused greeting, EHLO, STARTTLS or AUTH: worth retrying, since
	// the server or its settings may be fixed meanwhile.
	e := &SendError{Step: "dial", Temporary: true, err: err}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		e.Code = tp.Code
	}
	return e
}

// Package smtptest runs a real SMTP server on 127.0.0.1 for tests. It
// records every message it accepts, parsed into envelope, headers and
// parts, can require AUTH PLAIN, offer STARTTLS or speak implicit TLS with
// a certificate of its own, refuse mail with a chosen reply for fault
// injection, and be stopped and started again on the same address.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLS modes of a Server.
const (
	TLSNone     = ""
	TLSStart    = "starttls" // STARTTLS offered on a plain connection
	TLSImplicit = "implicit" // TLS from the first byte (smtps)
)

// Options configure a Server.
type Options struct {
	// Username and Password, when set, make AUTH PLAIN required.
	Username, Password string
	// TLS is TLSNone, TLSStart or TLSImplicit.
	TLS string
	// Host is the loopback address to listen on; default 127.0.0.1.
	// Another one (127.0.0.2) is a server that is not "localhost" to a client.
	Host string
}

// Message is one accepted mail.
type Message struct {
	From    string   // MAIL FROM
	To      []string // RCPT TO
	Raw     []byte
	Header  map[string][]string // canonical keys, as net/mail gives them
	Text    string              // the text/plain part, decoded
	HTML    string              // the text/html part, decoded
	Parts   []string            // the content types of every leaf part
	AuthAs  string              // the AUTH PLAIN username, if any
	Arrived time.Time
}

// Get returns the first value of a header, decoded (RFC 2047).
func (m Message) Get(key string) string { return headerGet(m.Header, key) }

// Server is an SMTP server for one test.
type Server struct {
	tb   testing.TB
	opts Options
	cert tls.Certificate
	pool *x509.CertPool

	mu       sync.Mutex
	cond     *sync.Cond
	addr     string
	srv      *smtp.Server
	ln       net.Listener
	done     chan struct{}
	messages []Message
	reject   *smtp.SMTPError
	rcptRej  map[string]*smtp.SMTPError
	sessions int
}

// New starts a server with no AUTH and no TLS; it stops when the test ends.
func New(tb testing.TB) *Server { return NewWithOptions(tb, Options{}) }

// NewWithOptions starts a server configured by opts.
func NewWithOptions(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{tb: tb, opts: opts, rcptRej: map[string]*smtp.SMTPError{}}
	s.cond = sync.NewCond(&s.mu)
	if s.opts.Host == "" {
		s.opts.Host = "127.0.0.1"
	}
	if ip := net.ParseIP(s.opts.Host); ip == nil || !ip.IsLoopback() {
		tb.Fatalf("smtptest: host %q is not a loopback address", s.opts.Host)
	}
	if opts.TLS != TLSNone {
		s.cert, s.pool = selfSigned(tb, s.opts.Host)
	}
	s.listen(net.JoinHostPort(s.opts.Host, "0"))
	tb.Cleanup(s.Stop)
	return s
}

// Addr returns host:port, the same across Stop and Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// URL returns the server's SMTP_URL: smtp:// or smtps:// with the
// credentials of Options when set.
func (s *Server) URL() string {
	scheme := "smtp"
	if s.opts.TLS == TLSImplicit {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, Host: s.Addr()}
	if s.opts.Username != "" {
		u.User = url.UserPassword(s.opts.Username, s.opts.Password)
	}
	return u.String()
}

// TLSConfig returns a client configuration that trusts the server's
// certificate (nil without TLS).
func (s *Server) TLSConfig() *tls.Config {
	if s.pool == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.pool, ServerName: s.opts.Host, MinVersion: tls.VersionTLS12}
}

// Stop closes the listener and every open connection. Mail already
// accepted stays in Messages.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln, done := s.srv, s.ln, s.done
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	// Close ends the open connections; the listener is closed here too,
	// since Serve may not have registered it with the server yet.
	srv.Close() //nolint:errcheck
	ln.Close()  //nolint:errcheck
	<-done
}

// Start listens again on the address it had, after Stop.
func (s *Server) Start() {
	s.tb.Helper()
	s.mu.Lock()
	running, addr := s.srv != nil, s.addr
	s.mu.Unlock()
	if running {
		return
	}
	s.listen(addr)
}

func (s *Server) listen(addr string) {
	s.tb.Helper()
	var (
		l   net.Listener
		err error
	)
	// The port was free a moment ago; a connection in TIME_WAIT does not
	// hold it (Go listens with SO_REUSEADDR), but retry a little anyway.
	for i := 0; i < 50; i++ {
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.tb.Fatalf("smtptest: listen %s: %v", addr, err)
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "smtptest.local"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	// Without TLS, AUTH is offered in the clear: the client only sends a
	// password in the clear to localhost, which this server is.
	srv.AllowInsecureAuth = s.opts.TLS == TLSNone
	if s.opts.TLS != TLSNone {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12}
	}
	if s.opts.TLS == TLSImplicit {
		l = tls.NewListener(l, srv.TLSConfig)
	}
	done := make(chan struct{})
	s.mu.Lock()
	s.addr, s.srv, s.ln, s.done = l.Addr().String(), srv, l, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		srv.Serve(l) //nolint:errcheck // ends with Close
	}()
}

// Reject makes every following MAIL FROM fail with code (451 for "try
// again later", 550 for a refusal); 0 accepts mail again.
func (s *Server) Reject(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = replyFor(code)
}

// RejectRecipient makes RCPT TO of addr fail with code; 0 lifts it.
func (s *Server) RejectRecipient(addr string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.rcptRej, addr)
		return
	}
	s.rcptRej[addr] = replyFor(code)
}

func replyFor(code int) *smtp.SMTPError {
	if code == 0 {
		return nil
	}
	class := code / 100
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, 0, 0}, Message: "Refused by smtptest"}
}

// Messages returns a copy of what was accepted, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Sessions counts the SMTP connections the server has seen.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// WaitFor waits until at least n messages arrived and returns them; the
// test fails at timeout.
func (s *Server) WaitFor(tb testing.TB, n int, timeout time.Duration) []Message {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	for len(s.messages) < n && time.Now().Before(deadline) {
		s.cond.Wait()
	}
	got := append([]Message(nil), s.messages...)
	s.mu.Unlock()
	if len(got) < n {
		tb.Fatalf("smtptest: %d messages after %s, want %d", len(got), timeout, n)
	}
	return got
}

// errAuthRequired is RFC 4954's reply to MAIL before AUTH.
var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.sessions++
	b.s.mu.Unlock()
	return &session{s: b.s}, nil
}

type session struct {
	s      *Server
	authAs string
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string {
	if x.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != x.s.opts.Username || password != x.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		x.authAs, x.authed = username, true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.Username != "" && !x.authed {
		return errAuthRequired
	}
	x.s.mu.Lock()
	rej := x.s.reject
	x.s.mu.Unlock()
	if rej != nil {
		return rej
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	rej := x.s.rcptRej[to]
	x.s.mu.Unlock()
	if rej != nil {
		return rej
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Unparsable message: " + err.Error()}
	}
	m.From, m.To, m.AuthAs, m.Arrived = x.from, append([]string(nil), x.to...), x.authAs, time.Now()
	x.s.mu.Lock()
	x.s.messages = append(x.s.messages, m)
	x.s.cond.Broadcast()
	x.s.mu.Unlock()
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// selfSigned makes a certificate for host and a pool trusting it.
func selfSigned(tb testing.TB, host string) (tls.Certificate, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP(host)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

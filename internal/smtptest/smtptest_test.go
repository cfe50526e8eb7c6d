package smtptest_test

import (
	"crypto/tls"
	"errors"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/smtptest"
)

const multipartMail = "From: Sender <from@example.com>\r\n" +
	"To: rcpt@example.org\r\n" +
	"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"caf=C3=A9 link https://x.test/a?token=3Dabc\r\n" +
	"--b1\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"PHA+aGk8L3A+\r\n" +
	"--b1--\r\n"

func send(addr string, auth smtp.Auth) error {
	return smtp.SendMail(addr, auth, "from@example.com", []string{"rcpt@example.org"}, []byte(multipartMail))
}

func code(err error) int {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	return 0
}

func TestServer_Records(t *testing.T) {
	s := smtptest.New(t)
	if err := send(s.Addr(), nil); err != nil {
		t.Fatalf("send: %v", err)
	}
	msgs := s.WaitFor(t, 1, 5*time.Second)
	m := msgs[0]
	if got, want := m.From, "from@example.com"; got != want {
		t.Errorf("From = %q, want %q", got, want)
	}
	if got, want := strings.Join(m.To, ","), "rcpt@example.org"; got != want {
		t.Errorf("To = %q, want %q", got, want)
	}
	if got, want := m.Get("Subject"), "Grüße"; got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	if got, want := strings.TrimSpace(m.Text), "café link https://x.test/a?token=abc"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got, want := m.HTML, "<p>hi</p>"; got != want {
		t.Errorf("HTML = %q, want %q", got, want)
	}
	if got, want := strings.Join(m.Parts, ","), "text/plain,text/html"; got != want {
		t.Errorf("Parts = %q, want %q", got, want)
	}
	if !strings.HasPrefix(s.URL(), "smtp://127.0.0.1:") {
		t.Errorf("URL = %q", s.URL())
	}
}

func TestServer_Auth(t *testing.T) {
	s := smtptest.NewWithOptions(t, smtptest.Options{Username: "u", Password: "p"})
	t.Run("ErrNoAuth", func(t *testing.T) {
		if got, want := code(send(s.Addr(), nil)), 530; got != want {
			t.Errorf("code = %d, want %d", got, want)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		if got, want := code(send(s.Addr(), smtp.PlainAuth("", "u", "wrong", "127.0.0.1"))), 535; got != want {
			t.Errorf("code = %d, want %d", got, want)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := send(s.Addr(), smtp.PlainAuth("", "u", "p", "127.0.0.1")); err != nil {
			t.Fatalf("send: %v", err)
		}
		if got, want := s.WaitFor(t, 1, 5*time.Second)[0].AuthAs, "u"; got != want {
			t.Errorf("AuthAs = %q, want %q", got, want)
		}
	})
	if got, want := len(s.Messages()), 1; got != want {
		t.Errorf("messages = %d, want %d", got, want)
	}
	if got, want := s.URL(), "smtp://u:p@"+s.Addr(); got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func TestServer_StopStart(t *testing.T) {
	s := smtptest.New(t)
	addr := s.Addr()
	s.Stop()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("dial succeeded while stopped")
	}
	s.Start()
	if got := s.Addr(); got != addr {
		t.Fatalf("Addr after Start = %q, want %q", got, addr)
	}
	if err := send(addr, nil); err != nil {
		t.Fatalf("send after Start: %v", err)
	}
	s.WaitFor(t, 1, 5*time.Second)
}

func TestServer_Reject(t *testing.T) {
	s := smtptest.New(t)
	s.Reject(451)
	if got, want := code(send(s.Addr(), nil)), 451; got != want {
		t.Errorf("code = %d, want %d", got, want)
	}
	s.Reject(0)
	s.RejectRecipient("rcpt@example.org", 550)
	if got, want := code(send(s.Addr(), nil)), 550; got != want {
		t.Errorf("rcpt code = %d, want %d", got, want)
	}
	s.RejectRecipient("rcpt@example.org", 0)
	if err := send(s.Addr(), nil); err != nil {
		t.Fatalf("send: %v", err)
	}
	if got, want := len(s.WaitFor(t, 1, 5*time.Second)), 1; got != want {
		t.Errorf("messages = %d, want %d", got, want)
	}
	if got, want := s.Sessions(), 3; got != want {
		t.Errorf("sessions = %d, want %d", got, want)
	}
}

func TestServer_TLS(t *testing.T) {
	t.Run("STARTTLS", func(t *testing.T) {
		s := smtptest.NewWithOptions(t, smtptest.Options{TLS: smtptest.TLSStart, Username: "u", Password: "p"})
		c, err := smtp.Dial(s.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if ok, _ := c.Extension("AUTH"); ok {
			t.Error("AUTH offered before STARTTLS")
		}
		if err := c.StartTLS(s.TLSConfig()); err != nil {
			t.Fatalf("StartTLS: %v", err)
		}
		if ok, mechs := c.Extension("AUTH"); !ok || mechs != "PLAIN" {
			t.Errorf("AUTH after STARTTLS = %v %q, want PLAIN", ok, mechs)
		}
		if err := c.Auth(smtp.PlainAuth("", "u", "p", "127.0.0.1")); err != nil {
			t.Fatalf("Auth: %v", err)
		}
	})
	t.Run("Implicit", func(t *testing.T) {
		s := smtptest.NewWithOptions(t, smtptest.Options{TLS: smtptest.TLSImplicit})
		conn, err := tls.Dial("tcp", s.Addr(), s.TLSConfig())
		if err != nil {
			t.Fatalf("tls dial: %v", err)
		}
		c, err := smtp.NewClient(conn, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Hello("localhost"); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(s.URL(), "smtps://") {
			t.Errorf("URL = %q, want smtps://", s.URL())
		}
	})
}

func TestServer_WaitForTimeout(t *testing.T) {
	s := smtptest.New(t)
	ft := &fatalRecorder{TB: t}
	start := time.Now()
	func() {
		defer func() { recover() }() //nolint:errcheck // Fatalf ends the helper through a panic here
		s.WaitFor(ft, 1, 100*time.Millisecond)
	}()
	if !ft.failed {
		t.Error("WaitFor did not fail with no message")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("WaitFor took %s, want about 100ms", took)
	}
}

// fatalRecorder records Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}

package mail_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/smtptest"
)

const from = "Creator Growth Tool <no-reply@growth.example.com>"

func newSender(t *testing.T, s *smtptest.Server, opts mail.SenderOptions) *mail.Sender {
	t.Helper()
	if opts.TLSConfig == nil {
		opts.TLSConfig = s.TLSConfig()
	}
	snd, err := mail.NewSender(s.URL(), from, opts)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return snd
}

func plainMessage(to string) mail.Message {
	return mail.Message{To: to, Subject: "Hello", Text: "text body", HTML: "<p>html body</p>",
		Headers: map[string]string{"X-Test": "yes"}}
}

func TestSender_Send(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts smtptest.Options
	}{
		{"Plain", smtptest.Options{}},
		{"PlainAuthLocalhost", smtptest.Options{Username: "mailer", Password: "p@ss:word/1"}},
		{"STARTTLS", smtptest.Options{TLS: smtptest.TLSStart, Username: "mailer", Password: "secret"}},
		{"ImplicitTLS", smtptest.Options{TLS: smtptest.TLSImplicit, Username: "mailer", Password: "secret"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := smtptest.NewWithOptions(t, tc.opts)
			if err := newSender(t, s, mail.SenderOptions{}).Send(context.Background(), plainMessage("ana@example.org")); err != nil {
				t.Fatalf("Send: %v", err)
			}
			m := s.WaitFor(t, 1, 5*time.Second)[0]
			if got, want := m.From, "no-reply@growth.example.com"; got != want {
				t.Errorf("MAIL FROM = %q, want %q", got, want)
			}
			if got, want := strings.Join(m.To, ","), "ana@example.org"; got != want {
				t.Errorf("RCPT TO = %q, want %q", got, want)
			}
			if got, want := m.Get("From"), `"Creator Growth Tool" <no-reply@growth.example.com>`; got != want {
				t.Errorf("From = %q, want %q", got, want)
			}
			if got, want := m.Get("X-Test"), "yes"; got != want {
				t.Errorf("X-Test = %q, want %q", got, want)
			}
			if id := m.Get("Message-Id"); !strings.HasSuffix(id, "@growth.example.com>") {
				t.Errorf("Message-ID = %q, want one at the sender's domain", id)
			}
			if m.Get("Date") == "" {
				t.Error("no Date header")
			}
			if got, want := strings.TrimSpace(m.Text), "text body"; got != want {
				t.Errorf("Text = %q, want %q", got, want)
			}
			if got, want := strings.TrimSpace(m.HTML), "<p>html body</p>"; got != want {
				t.Errorf("HTML = %q, want %q", got, want)
			}
			if got, want := m.AuthAs, tc.opts.Username; got != want {
				t.Errorf("AUTH as %q, want %q", got, want)
			}
		})
	}
}

func TestSender_KeepsMessageID(t *testing.T) {
	s := smtptest.New(t)
	msg := plainMessage("ana@example.org")
	msg.ID = "fixed-1@growth.example.com"
	if err := newSender(t, s, mail.SenderOptions{}).Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if got, want := s.WaitFor(t, 1, 5*time.Second)[0].Get("Message-Id"), "<fixed-1@growth.example.com>"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
}

func TestSender_NoPasswordInTheClear(t *testing.T) {
	// 127.0.0.2 is not "localhost" to the client: without TLS it must not
	// send the password, so the mail is not sent at all.
	s := smtptest.NewWithOptions(t, smtptest.Options{Host: "127.0.0.2", Username: "mailer", Password: "secret"})
	err := newSender(t, s, mail.SenderOptions{}).Send(context.Background(), plainMessage("ana@example.org"))
	if err == nil {
		t.Fatal("Send succeeded, want a refusal to authenticate without TLS")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q holds the password", err)
	}
	if got := len(s.Messages()); got != 0 {
		t.Errorf("messages = %d, want 0", got)
	}
}

func TestSender_Refusals(t *testing.T) {
	t.Run("Temporary", func(t *testing.T) {
		s := smtptest.New(t)
		s.Reject(451)
		err := newSender(t, s, mail.SenderOptions{}).Send(context.Background(), plainMessage("ana@example.org"))
		var se *mail.SendError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a SendError", err)
		}
		if se.Code != 451 || !se.Temporary || se.Step != "mail" {
			t.Errorf("SendError = %+v, want 451 temporary at mail", se)
		}
	})
	t.Run("PermanentRecipient", func(t *testing.T) {
		s := smtptest.New(t)
		s.RejectRecipient("gone@example.org", 550)
		err := newSender(t, s, mail.SenderOptions{}).Send(context.Background(), plainMessage("gone@example.org"))
		var se *mail.SendError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a SendError", err)
		}
		if se.Code != 550 || se.Temporary || se.Step != "rcpt" {
			t.Errorf("SendError = %+v, want 550 permanent at rcpt", se)
		}
		if strings.Contains(err.Error(), "gone@") {
			t.Errorf("error %q names the recipient", err)
		}
	})
	t.Run("ServerDown", func(t *testing.T) {
		s := smtptest.New(t)
		s.Stop()
		err := newSender(t, s, mail.SenderOptions{}).Send(context.Background(), plainMessage("ana@example.org"))
		var se *mail.SendError
		if !errors.As(err, &se) || !se.Temporary || se.Step != "dial" {
			t.Fatalf("err = %v, want a temporary dial SendError", err)
		}
	})
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

func TestSender_Timeout(t *testing.T) {
	addr := silentServer(t)
	t.Run("Timeout", func(t *testing.T) {
		snd, err := mail.NewSender("smtp://"+addr, from, mail.SenderOptions{Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := snd.Send(context.Background(), plainMessage("ana@example.org")); err == nil {
			t.Fatal("Send to a silent server succeeded")
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("Send took %s, want about 300ms", took)
		}
	})
	t.Run("ContextCancelled", func(t *testing.T) {
		snd, err := mail.NewSender("smtp://"+addr, from, mail.SenderOptions{Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := snd.Send(ctx, plainMessage("ana@example.org")); err == nil {
			t.Fatal("Send to a silent server succeeded")
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("Send took %s after its context ended, want about 200ms", took)
		}
	})
}

func TestNewSender(t *testing.T) {
	for _, tc := range []struct {
		name, url, from string
		ok              bool
	}{
		{"OK", "smtp://user:pass@mail.example.com:587", from, true},
		{"OKNoPort", "smtps://mail.example.com", from, true},
		{"OKBareFrom", "smtp://127.0.0.1:1025", "no-reply@localhost", true},
		{"ErrScheme", "http://user:secretpw@mail.example.com", from, false},
		{"ErrNoHost", "smtp://", from, false},
		{"ErrPort", "smtp://user:secretpw@mail.example.com:99999", from, false},
		{"ErrFrom", "smtp://mail.example.com", "not an address", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mail.NewSender(tc.url, tc.from, mail.SenderOptions{})
			if got := err == nil; got != tc.ok {
				t.Fatalf("NewSender(%q) err = %v, want ok %v", tc.url, err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), "secretpw") {
				t.Errorf("error %q repeats the password", err)
			}
		})
	}
}

func TestMessage_Validate(t *testing.T) {
	ok := plainMessage("ana@example.org")
	for _, tc := range []struct {
		name   string
		change func(*mail.Message)
	}{
		{"ErrTo", func(m *mail.Message) { m.To = "a@b.c, d@e.f" }},
		{"ErrToNewline", func(m *mail.Message) { m.To = "a@b.c\r\nBcc: x@y.z" }},
		{"ErrSubject", func(m *mail.Message) { m.Subject = "a\r\nBcc: x@y.z" }},
		{"ErrNoText", func(m *mail.Message) { m.Text = "" }},
		{"ErrReservedHeader", func(m *mail.Message) { m.Headers = map[string]string{"Bcc": "x@y.z"} }},
		{"ErrHeaderNewline", func(m *mail.Message) { m.Headers = map[string]string{"X-A": "1\r\nBcc: x@y.z"} }},
		{"ErrID", func(m *mail.Message) { m.ID = "<a@b>" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ok
			tc.change(&m)
			if err := m.Validate(); err == nil {
				t.Error("Validate accepted it")
			}
		})
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("Validate(ok) = %v", err)
	}
}

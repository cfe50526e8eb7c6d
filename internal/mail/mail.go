// Package mail renders and sends the server's mail: the sender for
// SMTP_URL, the embedded templates, and the outbox of durable send_mail
// jobs that carries a mail through an SMTP outage.
package mail

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// KindSendMail is the job kind of an outbox mail.
const KindSendMail = "send_mail"

// Header names the templates set.
const (
	HeaderListUnsubscribe     = "List-Unsubscribe"
	HeaderListUnsubscribePost = "List-Unsubscribe-Post"
)

// Message is one mail to one recipient. The sender's address comes from
// the Sender (MAIL_FROM).
type Message struct {
	// ID is the Message-ID without angle brackets. Empty: Outbox.Enqueue
	// and Sender.Send make one. It stays the same on every retry of an
	// outbox mail, so a duplicate delivery can be told for what it is.
	ID string `json:"id"`
	// Key, when set, makes the mail unique: a second Enqueue with the
	// same Key is dropped (for example "digest:<user id>:2026-W49").
	Key     string `json:"key,omitempty"`
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html,omitempty"`
	// Headers are extra headers, such as List-Unsubscribe.
	Headers map[string]string `json:"headers,omitempty"`
}

// reserved are headers a Message may not set: the sender owns them.
var reserved = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
	"message-id": true, "mime-version": true, "content-type": true, "content-transfer-encoding": true,
	"sender": true, "return-path": true,
}

// Validate reports what makes m unsendable.
func (m Message) Validate() error {
	if _, err := mail.ParseAddress(m.To); err != nil || strings.ContainsAny(m.To, "\r\n") {
		return errors.New("mail: recipient is not one valid address")
	}
	if strings.TrimSpace(m.Subject) == "" || strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("mail: subject is empty or spans lines")
	}
	if m.Text == "" {
		return errors.New("mail: a text part is required")
	}
	if strings.ContainsAny(m.ID, "<>\r\n \t") {
		return errors.New("mail: message id must be bare, without brackets or spaces")
	}
	for k, v := range m.Headers {
		if k == "" || strings.ContainsAny(k, ": \t\r\n") || reserved[strings.ToLower(k)] {
			return fmt.Errorf("mail: header %q cannot be set", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("mail: header %q spans lines", k)
		}
	}
	return nil
}

// newMessageID returns a random Message-ID at domain.
func newMessageID(domain string) string {
	b := make([]byte, 16)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails
	if domain == "" {
		domain = "localhost"
	}
	return hex.EncodeToString(b) + "@" + domain
}

// Domain returns the domain of an address, the most of a recipient that
// is ever logged.
func Domain(addr string) string {
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}

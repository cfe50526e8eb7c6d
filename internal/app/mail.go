package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
	"creatorgrowth/internal/worker"
)

// mailer is the server's mail: templates rendered into the durable
// outbox, which a worker sends through SMTP_URL.
type mailer struct {
	outbox    *mail.Outbox
	templates *mail.Templates
	users     *postgres.Users
	logger    *slog.Logger
}

// newMailer returns the mailer of SMTP_URL, or nil when it is unset.
func newMailer(cfg *config.Config, jobs *postgres.Jobs, box *secretbox.Box, users *postgres.Users,
	logger *slog.Logger, wake *worker.Wake) (*mailer, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom, mail.SenderOptions{})
	if err != nil {
		return nil, err
	}
	templates, err := mail.NewTemplates(cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	outbox := mail.NewOutbox(jobs, box, sender, logger, mail.OutboxOptions{Notify: wake.Notify})
	return &mailer{outbox: outbox, templates: templates, users: users, logger: logger}, nil
}

// SendAccountMail renders a verification or reset mail and queues it. Its
// key names the user, so that deleting the user drops the mails still
// queued for them (postgres.Users.Delete).
func (m *mailer) SendAccountMail(ctx context.Context, am auth.AccountMail) error {
	var (
		msg mail.Message
		err error
	)
	switch am.Kind {
	case auth.MailVerifyEmail:
		msg, err = m.templates.VerifyEmail(am.To, am.Token)
	case auth.MailPasswordReset:
		msg, err = m.templates.PasswordReset(am.To, am.Token)
	default:
		return fmt.Errorf("mail: unknown account mail %q", am.Kind)
	}
	if err != nil {
		return err
	}
	msg.Key = postgres.UserMailKey(am.UserID, am.Kind+":"+uuid.NewString())
	return m.outbox.Enqueue(ctx, msg)
}

// needsReauth mails the owner of an account that just turned needs_reauth
// a link to reconnect it, when their address is confirmed. igsync calls it
// once per transition.
func (m *mailer) needsReauth(ctx context.Context, acc postgres.Account) error {
	u, err := m.users.ByID(ctx, acc.UserID)
	if err != nil {
		return err
	}
	if u.EmailVerifiedAt == nil {
		m.logger.InfoContext(ctx, "needs_reauth: owner's address unconfirmed, no mail", slog.String("account_id", acc.ID))
		return nil
	}
	username := acc.Username
	if username == "" {
		username = acc.IGUserID
	}
	msg, err := m.templates.Reconnect(u.Email, username)
	if err != nil {
		return err
	}
	msg.Key = postgres.UserMailKey(u.ID, "reconnect:"+acc.ID+":"+uuid.NewString())
	return m.outbox.Enqueue(ctx, msg)
}

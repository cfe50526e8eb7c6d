package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
	"creatorgrowth/internal/worker"
)

// RetryCap is the longest wait between two tries of an outbox mail. The
// pool's backoff doubles up to 30 minutes, which is the whole life of a
// reset link: a mail must reach the user within a minute of the SMTP
// server coming back, whatever the length of the outage. A try against a
// server that is down costs a refused connection.
const RetryCap = time.Minute

// DefaultMaxAttempts is how often an outbox mail is tried: with the
// pool's default backoff (30 s, then 60 s) capped at RetryCap, a try
// every 30 to 60 s, that spans some five hours of SMTP outage.
const DefaultMaxAttempts = 400

// OutboxOptions tune an Outbox.
type OutboxOptions struct {
	MaxAttempts int    // tries of one mail; default DefaultMaxAttempts
	Notify      func() // called after a mail is enqueued, e.g. worker.Pool.Notify
}

// Outbox queues mail as durable send_mail jobs, so that a mail survives
// an SMTP outage and a restart, and sends it from a worker pool.
//
// Each mail is sent at least once: a job is finished only after the SMTP
// server accepted it. Duplicates are kept as rare as SMTP allows:
//   - Key makes a mail unique at enqueue (a second Enqueue is dropped);
//   - the Message-ID is fixed at enqueue, so every retry carries the same
//     one and a duplicate can be recognised downstream;
//   - once the server accepted the mail the job's payload is dropped
//     before the job is finished, so a worker dying in between leaves a
//     job that the next run finishes without sending.
//
// What remains is the window SMTP itself leaves: the server took the
// message but its final reply was lost (or the process died before the
// payload was dropped); the retry then delivers it a second time. Losing
// such a mail instead would be worse for a reset or verification link.
//
// The message, tokens in its links included, is stored sealed with the
// token key (AES-256-GCM, bound to the job's id), never in plaintext, and
// is deleted from the row once sent.
type Outbox struct {
	jobs   *postgres.Jobs
	box    *secretbox.Box
	sender *Sender
	logger *slog.Logger
	opts   OutboxOptions
}

// NewOutbox returns an outbox storing jobs in jobs, sealing messages with
// box and sending them through sender.
func NewOutbox(jobs *postgres.Jobs, box *secretbox.Box, sender *Sender, logger *slog.Logger, opts OutboxOptions) *Outbox {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	return &Outbox{jobs: jobs, box: box, sender: sender, logger: logger, opts: opts}
}

// PayloadAAD is what a send_mail job's sealed payload is bound to: its
// kind and its id (cmd/rekey seals payloads again with it).
func PayloadAAD(jobID string) string { return KindSendMail + ":" + jobID }

// Enqueue queues m for sending; a mail whose Key was queued before is
// dropped without error.
func (o *Outbox) Enqueue(ctx context.Context, m Message) error {
	_, err := o.EnqueueOnce(ctx, m)
	return err
}

// EnqueueOnce is Enqueue that reports whether m was queued (false: its
// Key was queued before).
func (o *Outbox) EnqueueOnce(ctx context.Context, m Message) (bool, error) {
	created, err := o.enqueue(ctx, nil, m)
	if created && o.opts.Notify != nil {
		o.opts.Notify()
	}
	return created, err
}

// EnqueueTx is EnqueueOnce inside tx: the mail is queued only if tx
// commits, with whatever else tx records (that a digest was sent, say).
// The caller wakes the pool after the commit.
func (o *Outbox) EnqueueTx(ctx context.Context, tx *sql.Tx, m Message) (bool, error) {
	return o.enqueue(ctx, tx, m)
}

func (o *Outbox) enqueue(ctx context.Context, tx *sql.Tx, m Message) (bool, error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	if m.ID == "" {
		m.ID = newMessageID(Domain(o.sender.from.Address))
	}
	id := uuid.NewString()
	plain, err := json.Marshal(m)
	if err != nil {
		return false, fmt.Errorf("mail: encode: %w", err)
	}
	sealed, err := o.box.Seal(string(plain), PayloadAAD(id))
	if err != nil {
		return false, fmt.Errorf("mail: seal: %w", err)
	}
	var created bool
	if tx != nil {
		created, err = o.jobs.EnqueuePayloadTx(ctx, tx, id, KindSendMail, m.Key, sealed, time.Now(), o.opts.MaxAttempts)
	} else {
		created, err = o.jobs.EnqueuePayload(ctx, id, KindSendMail, m.Key, sealed, time.Now(), o.opts.MaxAttempts)
	}
	if err != nil {
		return false, fmt.Errorf("mail: %w", err)
	}
	if created {
		o.logger.Info("mail queued", slog.String("job", id), slog.String("to_domain", Domain(m.To)))
	}
	return created, nil
}

// Handle sends the mail of a send_mail job; it is the worker.Handler of
// KindSendMail. An SMTP failure is retried with the pool's backoff,
// capped at RetryCap; a mail the server refuses for good (5xx) or that
// cannot be opened fails the job.
func (o *Outbox) Handle(ctx context.Context, job postgres.Job) error {
	log := o.logger.With(slog.String("job", job.ID))
	if job.Payload == "" {
		// An earlier run sent it and died before the job was finished.
		log.Info("mail already sent")
		return nil
	}
	plain, err := o.box.Open(job.Payload, PayloadAAD(job.ID))
	if err != nil {
		return worker.Permanent(fmt.Errorf("mail: open payload: %w", err), "The mail could not be read.")
	}
	var m Message
	if err := json.Unmarshal([]byte(plain), &m); err != nil {
		return worker.Permanent(fmt.Errorf("mail: decode payload: %w", err), "The mail could not be read.")
	}
	log = log.With(slog.String("to_domain", Domain(m.To)))

	if err := o.sender.Send(ctx, m); err != nil {
		var se *SendError
		if !errors.As(err, &se) {
			return worker.Permanent(err, "The mail is not valid.")
		}
		if !se.Temporary {
			return worker.Permanent(err, "The mail server refused the mail.")
		}
		return worker.RetryWithin(err, "The mail server did not take the mail; it will be retried.", RetryCap)
	}

	// Sent: forget the message before the pool finishes the job. This
	// outlives a cancelled run, bounded on its own.
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := o.jobs.ConsumePayload(c, job.ID); err != nil {
		log.Warn("mail sent; its payload stays until the job is pruned", slog.String("error", err.Error()))
	}
	log.Info("mail sent")
	return nil
}

package mail_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
	"creatorgrowth/internal/smtptest"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/testlog"
	"creatorgrowth/internal/worker"
)

type outboxEnv struct {
	db     *sql.DB
	jobs   *postgres.Jobs
	smtp   *smtptest.Server
	outbox *mail.Outbox
	log    *testlog.Buffer
	pool   *worker.Pool
}

func newOutbox(t *testing.T, opts smtptest.Options) *outboxEnv {
	t.Helper()
	e := &outboxEnv{db: testdb.New(t), smtp: smtptest.NewWithOptions(t, opts), log: &testlog.Buffer{}}
	e.jobs = postgres.NewJobs(e.db)
	box, err := secretbox.New([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewJSONHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	snd, err := mail.NewSender(e.smtp.URL(), from, mail.SenderOptions{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e.outbox = mail.NewOutbox(e.jobs, box, snd, logger, mail.OutboxOptions{})
	return e
}

// start runs a worker pool with short backoff on the outbox's handler.
func (e *outboxEnv) start(t *testing.T) {
	t.Helper()
	e.pool = worker.New(e.jobs, map[string]worker.Handler{mail.KindSendMail: e.outbox.Handle},
		slog.New(slog.NewJSONHandler(e.log, nil)),
		worker.Options{Workers: 2, PollInterval: 20 * time.Millisecond, BaseBackoff: 50 * time.Millisecond,
			MaxBackoff: 200 * time.Millisecond, Lease: 5 * time.Second})
	e.pool.Start(context.Background())
	t.Cleanup(e.pool.Stop)
}

func (e *outboxEnv) count(t *testing.T, where string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.QueryRowContext(context.Background(), `SELECT count(*) FROM jobs WHERE kind = 'send_mail' AND `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *outboxEnv) eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOutbox_SurvivesOutage(t *testing.T) {
	e := newOutbox(t, smtptest.Options{Username: "mailer", Password: "smtp-secret-pw"})
	e.smtp.Stop()
	tpl := templates(t)
	ctx := context.Background()

	tokens := make([]string, 5)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("reset-token-%d-s3cr3t", i)
		m, err := tpl.PasswordReset(fmt.Sprintf("user%d@example.org", i), tokens[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := e.outbox.Enqueue(ctx, m); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
	}

	t.Run("PayloadSealed", func(t *testing.T) {
		rows, err := e.db.QueryContext(ctx, `SELECT payload FROM jobs WHERE kind = 'send_mail'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			n++
			if !strings.HasPrefix(p, "v2:") {
				t.Errorf("payload %q is not sealed", p[:min(len(p), 20)])
			}
			for _, secret := range append([]string{"reset-password", "example.org", "Reset your password"}, tokens...) {
				if strings.Contains(p, secret) {
					t.Errorf("payload holds %q in plaintext", secret)
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != 5 {
			t.Fatalf("rows = %d, want 5", n)
		}
	})

	e.start(t)
	// Let several attempts fail against the stopped server.
	e.eventually(t, "retries during the outage", func() bool { return e.count(t, `attempts >= 2`) == 5 })
	if got := len(e.smtp.Messages()); got != 0 {
		t.Fatalf("%d messages arrived while the server was down", got)
	}
	if got := e.count(t, `state = 'failed'`); got != 0 {
		t.Fatalf("%d mails failed for good during a short outage", got)
	}
	e.smtp.Start()

	e.smtp.WaitFor(t, 5, 15*time.Second)
	e.eventually(t, "every job done", func() bool { return e.count(t, `state = 'done'`) == 5 })
	// Give a duplicate time to show up.
	time.Sleep(300 * time.Millisecond)
	msgs := e.smtp.Messages()
	if got, want := len(msgs), 5; got != want {
		t.Fatalf("messages = %d, want exactly %d", got, want)
	}
	seenTo, seenID := map[string]bool{}, map[string]bool{}
	for _, m := range msgs {
		seenTo[m.To[0]] = true
		seenID[m.Get("Message-Id")] = true
		if m.AuthAs != "mailer" {
			t.Errorf("message sent without AUTH (as %q)", m.AuthAs)
		}
	}
	for i, tok := range tokens {
		to := fmt.Sprintf("user%d@example.org", i)
		if !seenTo[to] {
			t.Errorf("no mail to %s", to)
		}
		found := false
		for _, m := range msgs {
			if m.To[0] == to && strings.Contains(m.Text, "token="+tok) {
				found = true
			}
		}
		if !found {
			t.Errorf("mail to %s lacks its token", to)
		}
	}
	if got := len(seenID); got != 5 {
		t.Errorf("distinct Message-IDs = %d, want 5", got)
	}

	t.Run("PayloadGoneOnceSent", func(t *testing.T) {
		if got := e.count(t, `payload IS NOT NULL`); got != 0 {
			t.Errorf("%d sent jobs still hold their payload", got)
		}
	})
	t.Run("LogHoldsNoSecret", func(t *testing.T) {
		logs := e.log.String()
		for _, secret := range append([]string{"smtp-secret-pw", "user0@", "reset-password", "Reset your password"}, tokens...) {
			if strings.Contains(logs, secret) {
				t.Errorf("log holds %q", secret)
			}
		}
		if !strings.Contains(logs, `"to_domain":"example.org"`) {
			t.Error("log does not name the recipient domain")
		}
	})
}

func TestOutbox_Dedupe(t *testing.T) {
	e := newOutbox(t, smtptest.Options{})
	ctx := context.Background()
	m := plainMessage("ana@example.org")
	m.Key = "digest:user-1:2026-W49"
	created, err := e.outbox.EnqueueOnce(ctx, m)
	if err != nil || !created {
		t.Fatalf("EnqueueOnce = %v, %v", created, err)
	}
	if err := e.outbox.Enqueue(ctx, m); err != nil {
		t.Fatalf("second Enqueue = %v, want nil", err)
	}
	created, err = e.outbox.EnqueueOnce(ctx, m)
	if err != nil || created {
		t.Fatalf("third EnqueueOnce = %v, %v; want dropped", created, err)
	}
	e.start(t)
	e.smtp.WaitFor(t, 1, 10*time.Second)
	e.eventually(t, "job done", func() bool { return e.count(t, `state = 'done'`) == 1 })
	time.Sleep(200 * time.Millisecond)
	if got := len(e.smtp.Messages()); got != 1 {
		t.Errorf("messages = %d, want 1", got)
	}
}

func TestOutbox_Refusals(t *testing.T) {
	t.Run("TemporaryIsRetried", func(t *testing.T) {
		e := newOutbox(t, smtptest.Options{})
		e.smtp.Reject(451)
		if err := e.outbox.Enqueue(context.Background(), plainMessage("ana@example.org")); err != nil {
			t.Fatal(err)
		}
		e.start(t)
		e.eventually(t, "a retried attempt", func() bool { return e.count(t, `attempts >= 2 AND state <> 'failed'`) == 1 })
		e.smtp.Reject(0)
		e.smtp.WaitFor(t, 1, 10*time.Second)
		e.eventually(t, "job done", func() bool { return e.count(t, `state = 'done'`) == 1 })
	})
	t.Run("PermanentFails", func(t *testing.T) {
		e := newOutbox(t, smtptest.Options{})
		e.smtp.RejectRecipient("gone@example.org", 550)
		if err := e.outbox.Enqueue(context.Background(), plainMessage("gone@example.org")); err != nil {
			t.Fatal(err)
		}
		e.start(t)
		e.eventually(t, "job failed", func() bool { return e.count(t, `state = 'failed' AND attempts = 1`) == 1 })
		if got := len(e.smtp.Messages()); got != 0 {
			t.Errorf("messages = %d, want 0", got)
		}
	})
}

func TestOutbox_Handle(t *testing.T) {
	e := newOutbox(t, smtptest.Options{})
	ctx := context.Background()
	if err := e.outbox.Enqueue(ctx, plainMessage("ana@example.org")); err != nil {
		t.Fatal(err)
	}
	job, ok, err := e.jobs.Claim(ctx, "test-worker", time.Minute)
	if err != nil || !ok {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	t.Run("ErrTamperedPayload", func(t *testing.T) {
		bad := job
		bad.Payload = job.Payload[:len(job.Payload)-4] + "AAAA"
		if err := e.outbox.Handle(ctx, bad); err == nil {
			t.Fatal("Handle accepted a tampered payload")
		}
		bad = job
		bad.ID = "00000000-0000-0000-0000-000000000000" // sealed for another row
		if err := e.outbox.Handle(ctx, bad); err == nil {
			t.Fatal("Handle accepted a payload sealed for another job")
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := e.outbox.Handle(ctx, job); err != nil {
			t.Fatalf("Handle: %v", err)
		}
		e.smtp.WaitFor(t, 1, 5*time.Second)
	})
	t.Run("RerunAfterSendDoesNotResend", func(t *testing.T) {
		// The worker died after the send, before Finish: the job is
		// claimed again, its payload already consumed.
		if _, err := e.db.ExecContext(ctx, `UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = $1`, job.ID); err != nil {
			t.Fatal(err)
		}
		rerun, ok, err := e.jobs.Claim(ctx, "another-worker", time.Minute)
		if err != nil || !ok || rerun.ID != job.ID {
			t.Fatalf("Claim after lease = %+v, %v, %v; want the same job", rerun, ok, err)
		}
		if rerun.Payload != "" {
			t.Fatal("payload still stored after the send")
		}
		if err := e.outbox.Handle(ctx, rerun); err != nil {
			t.Fatalf("Handle of a consumed job: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
		if got := len(e.smtp.Messages()); got != 1 {
			t.Errorf("messages = %d, want 1", got)
		}
	})
}

func TestOutbox_RetryCap(t *testing.T) {
	e := newOutbox(t, smtptest.Options{})
	e.smtp.Stop()
	if err := e.outbox.Enqueue(context.Background(), plainMessage("ana@example.org")); err != nil {
		t.Fatal(err)
	}
	// A pool whose own backoff would wait an hour or more.
	pool := worker.New(e.jobs, map[string]worker.Handler{mail.KindSendMail: e.outbox.Handle},
		slog.New(slog.NewJSONHandler(e.log, nil)),
		worker.Options{Workers: 1, PollInterval: 20 * time.Millisecond, BaseBackoff: 2 * time.Hour, MaxBackoff: 4 * time.Hour, Lease: 5 * time.Second})
	pool.Start(context.Background())
	t.Cleanup(pool.Stop)
	e.eventually(t, "a failed try", func() bool { return e.count(t, `attempts = 1 AND state = 'queued'`) == 1 })

	var wait float64
	var maxAttempts int
	if err := e.db.QueryRowContext(context.Background(), `SELECT EXTRACT(EPOCH FROM run_at - updated_at), max_attempts
		FROM jobs WHERE kind = 'send_mail'`).Scan(&wait, &maxAttempts); err != nil {
		t.Fatal(err)
	}
	got := time.Duration(wait * float64(time.Second))
	if got < mail.RetryCap/2-time.Second || got > mail.RetryCap {
		t.Errorf("next try in %s, want %s to %s", got, mail.RetryCap/2, mail.RetryCap)
	}
	if got, want := maxAttempts, mail.DefaultMaxAttempts; got != want {
		t.Errorf("max_attempts = %d, want %d", got, want)
	}
}

// Command rekey re-encrypts every stored Instagram token, and every mail
// still queued in the outbox, with the first key of TOKEN_ENCRYPTION_KEY. After a new key is put first (the old one
// kept after it), run it once; when it reports nothing left under an old
// key, the old key can be removed. It works in batches, skips tokens that
// are already current, and can be run again at any time.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/joho/godotenv"

	"creatorgrowth/internal/config"
	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
)

func main() {
	_ = godotenv.Load()
	batch := flag.Int("batch", 200, "accounts per batch")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string, stdout io.Writer, batch int) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	box, err := secretbox.NewKeys(cfg.TokenEncryptionKeys...)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	res, err := rekey(ctx, postgres.NewAccounts(db), box, batch)
	fmt.Fprintf(stdout, "tokens: re-encrypted %d, already current %d, changed meanwhile %d, unreadable %d\n",
		res.Rekeyed, res.Current, res.Raced, res.Unreadable)
	if err != nil {
		return err
	}
	mails, err := rekeyMail(ctx, postgres.NewJobs(db), box, batch)
	fmt.Fprintf(stdout, "queued mail: re-encrypted %d, already current %d, sent meanwhile %d, unreadable %d\n",
		mails.Rekeyed, mails.Current, mails.Raced, mails.Unreadable)
	if err != nil {
		return err
	}
	if n := res.Unreadable + mails.Unreadable; n > 0 {
		return fmt.Errorf("%d tokens open with none of the keys: keep their old key in TOKEN_ENCRYPTION_KEY", n)
	}
	return nil
}

// rekeyMail seals the payload of every queued send_mail job not under the
// encrypting key again with it. One sent meanwhile (its payload dropped)
// is left.
func rekeyMail(ctx context.Context, jobs *postgres.Jobs, box *secretbox.Box, batch int) (result, error) {
	var res result
	after := ""
	for {
		pageCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		page, err := jobs.SealedPayloads(pageCtx, mail.KindSendMail, after, batch)
		if err != nil {
			cancel()
			return res, err
		}
		for _, p := range page {
			if err := again(pageCtx, box, p.Payload, mail.PayloadAAD(p.JobID), &res, func(next string) (bool, error) {
				return jobs.ReplacePayload(pageCtx, p.JobID, p.Payload, next)
			}); err != nil {
				cancel()
				return res, err
			}
		}
		cancel()
		if len(page) < batch {
			return res, nil
		}
		after = page[len(page)-1].JobID
	}
}

// again seals one ciphertext again with the encrypting key, counting the
// outcome in res; replace stores it if the row still holds the old one.
func again(ctx context.Context, box *secretbox.Box, sealed, aad string, res *result, replace func(next string) (bool, error)) error {
	if box.Current(sealed) {
		res.Current++
		return nil
	}
	plain, err := box.Open(sealed, aad)
	if err != nil {
		res.Unreadable++
		return nil
	}
	next, err := box.Seal(plain, aad)
	if err != nil {
		return err
	}
	ok, err := replace(next)
	if err != nil {
		return err
	}
	if ok {
		res.Rekeyed++
	} else {
		res.Raced++
	}
	return ctx.Err()
}

// result counts what rekey did.
type result struct {
	Rekeyed, Current, Raced, Unreadable int
}

// rekey walks every account in id order, batch at a time, and seals each
// token not under the encrypting key again with it. A token that changed
// since it was read (a refresh sealed a new one, already current) is left.
func rekey(ctx context.Context, accounts *postgres.Accounts, box *secretbox.Box, batch int) (result, error) {
	var res result
	if batch < 1 {
		return res, errors.New("batch must be at least 1")
	}
	after := ""
	for {
		pageCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		page, err := accounts.SealedTokens(pageCtx, after, batch)
		if err != nil {
			cancel()
			return res, err
		}
		for _, t := range page {
			if err := again(pageCtx, box, t.AccessToken, t.IGUserID, &res, func(next string) (bool, error) {
				return accounts.ReplaceSealedToken(pageCtx, t.AccountID, t.AccessToken, next)
			}); err != nil {
				cancel()
				return res, err
			}
		}
		cancel()
		if len(page) < batch {
			return res, nil
		}
		after = page[len(page)-1].AccountID
	}
}

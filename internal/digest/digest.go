// Package digest sends the weekly digest: to each user with weekly_digest
// on and a verified email, once per ISO week, from Monday 08:00 in the
// user's time zone (within a day, when no server ran at 08:00), the last
// 7 days of each of their Instagram accounts.
//
// A schedule queues one weekly_digest job per due user and week; the job
// builds the mail and, in one transaction, records the week in
// digests_sent (primary key user and week) and queues the mail in the
// outbox. Whatever the replicas and restarts, a week's digest is queued
// once; the outbox then delivers it at least once.
package digest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/advice"
	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/worker"
)

// KindWeeklyDigest is the job kind of one user's digest of one week.
const KindWeeklyDigest = "weekly_digest"

// ScheduleEvery is how often due digests are looked for: a digest goes
// out at most this long after 08:00 on Monday.
const ScheduleEvery = 10 * time.Minute

const jobAttempts = 5

// Deps are what the service uses; all are required but Logger and Now.
type Deps struct {
	Store    *postgres.Digests
	Jobs     *postgres.Jobs
	Outbox   *mail.Outbox
	Mail     *mail.Templates
	Growth   *growth.Service
	Posts    *postgres.Posts // the posts the top recommendation is drawn from
	Secret   []byte          // signs unsubscribe tokens (JWT_SECRET)
	Logger   *slog.Logger
	Now      func() time.Time
	Notifier interface{ Notify() } // wakes the pool after a job or mail is queued
}

// Service queues and builds the weekly digests.
type Service struct {
	d Deps
}

// New returns the digest service.
func New(d Deps) *Service {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{d: d}
}

// Handlers are the worker handlers of the package's job kinds.
func (s *Service) Handlers() map[string]worker.Handler {
	return map[string]worker.Handler{KindWeeklyDigest: s.handle}
}

// Schedules are the periodic tasks: queue the digests that are due.
func (s *Service) Schedules() []worker.Schedule {
	return []worker.Schedule{{Name: "weekly_digests", Every: ScheduleEvery, Run: func(ctx context.Context) error {
		_, err := s.QueueDue(ctx)
		return err
	}}}
}

// job is the payload of a weekly_digest job.
type job struct {
	UserID string `json:"user_id"`
	Week   string `json:"week"`
}

// QueueDue queues the digest of every user for whom one is due now and
// not yet sent; it returns how many jobs it queued.
func (s *Service) QueueDue(ctx context.Context) (int, error) {
	now := s.d.Now()
	// At any instant the world's clocks span at most two ISO weeks.
	weeks := []string{WeekOf(now.Add(-12 * time.Hour)).String(), WeekOf(now.Add(14 * time.Hour)).String()}
	users, err := s.d.Store.Recipients(ctx, weeks)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, u := range users {
		w, ok := Due(now, s.location(u.Timezone))
		if !ok || contains(u.SentWeeks, w.String()) {
			continue
		}
		created, err := s.enqueue(ctx, u.ID, w.String())
		if err != nil {
			return queued, err
		}
		if created {
			queued++
		}
	}
	if queued > 0 && s.d.Notifier != nil {
		s.d.Notifier.Notify()
	}
	return queued, nil
}

// QueueWeek queues week's digest now for every recipient who has not had
// it, whatever their local time; it returns how many jobs it queued (a
// user whose job is already queued is not counted again). A week that
// has not begun anywhere yet is apperr.CodeInvalidRequest.
func (s *Service) QueueWeek(ctx context.Context, w Week) (int, error) {
	if !w.Started(s.d.Now()) {
		return 0, apperr.Errorf(apperr.CodeInvalidRequest, "Week %s has not begun yet.", w)
	}
	users, err := s.d.Store.Recipients(ctx, []string{w.String()})
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, u := range users {
		if len(u.SentWeeks) > 0 {
			continue
		}
		created, err := s.enqueue(ctx, u.ID, w.String())
		if err != nil {
			return queued, err
		}
		if created {
			queued++
		}
	}
	if queued > 0 && s.d.Notifier != nil {
		s.d.Notifier.Notify()
	}
	return queued, nil
}

func (s *Service) enqueue(ctx context.Context, userID, week string) (bool, error) {
	payload, err := json.Marshal(job{UserID: userID, Week: week})
	if err != nil {
		return false, err
	}
	return s.d.Jobs.EnqueuePayload(ctx, uuid.NewString(), KindWeeklyDigest, userID+":"+week,
		string(payload), time.Now(), jobAttempts)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// location is the user's zone; a name the server does not know reads as
// UTC (the settings endpoint refuses unknown zones).
func (s *Service) location(name string) *time.Location {
	loc, err := s.d.Growth.Location(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// handle builds one digest and queues it with its digests_sent row.
func (s *Service) handle(ctx context.Context, j postgres.Job) error {
	var p job
	if err := json.Unmarshal([]byte(j.Payload), &p); err != nil || p.UserID == "" {
		return worker.Permanent(errors.New("digest: unreadable job"), "The digest job cannot be read.")
	}
	w, err := ParseWeek(p.Week)
	if err != nil {
		return worker.Permanent(err, "The digest job names no week.")
	}
	log := s.d.Logger.With(slog.String("job", j.ID), slog.String("week", p.Week))
	u, ok, err := s.d.Store.Recipient(ctx, p.UserID)
	if err != nil {
		return err
	}
	if !ok {
		log.Info("digest skipped: the user no longer gets it")
		return nil
	}
	if sent, err := s.d.Store.Sent(ctx, u.ID, p.Week); err != nil || sent {
		return err
	}
	d, err := s.build(ctx, u, w)
	if err != nil {
		return err
	}
	msg, err := s.d.Mail.WeeklyDigest(u.Email, d)
	if err != nil {
		return worker.Permanent(err, "The digest cannot be rendered.")
	}
	msg.Key = "digest:" + u.ID + ":" + p.Week

	tx, err := s.d.Store.Begin(ctx)
	if err != nil {
		return fmt.Errorf("digest: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	first, err := s.d.Store.MarkSentTx(ctx, tx, u.ID, p.Week)
	if err != nil || !first {
		return err
	}
	if err := s.d.Store.SaveTokenTx(ctx, tx, u.ID, hashToken(d.UnsubscribeToken)); err != nil {
		return err
	}
	if _, err := s.d.Outbox.EnqueueTx(ctx, tx, msg); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("digest: commit: %w", err)
	}
	if s.d.Notifier != nil {
		s.d.Notifier.Notify()
	}
	log.Info("digest queued", slog.Int("accounts", len(d.Accounts)))
	return nil
}

// build gathers the digest of week for u: per account, the 7 days up to
// the week's Monday 08:00 in the user's zone (or now, if earlier).
func (s *Service) build(ctx context.Context, u postgres.DigestUser, w Week) (mail.Digest, error) {
	loc := s.location(u.Timezone)
	end := w.Monday(loc, SendHour)
	if now := s.d.Now(); now.Before(end) {
		end = now
	}
	accounts, err := s.d.Store.Accounts(ctx, u.ID)
	if err != nil {
		return mail.Digest{}, err
	}
	d := mail.Digest{Week: w.String(), UnsubscribeToken: s.Token(u.ID)}
	for _, acc := range accounts {
		st, err := s.d.Growth.Stats(ctx, acc, 7, loc, end)
		if err != nil {
			return mail.Digest{}, fmt.Errorf("digest: stats of an account: %w", err)
		}
		a := account(acc, st)
		if a.Recommendation, err = s.recommendation(ctx, acc.ID, loc, end); err != nil {
			return mail.Digest{}, err
		}
		d.Accounts = append(d.Accounts, a)
	}
	return d, nil
}

// Recommendation inputs: the posts of the last RecommendDays before the
// digest's end, at most recommendPosts of them (one query per account and
// week, then arithmetic).
const (
	RecommendDays  = 90
	recommendPosts = 500
)

// recommendation is the title of the account's top recommendation
// (internal/advice, over its last 90 days of posts), or "" when the
// posts do not support one.
func (s *Service) recommendation(ctx context.Context, accountID string, loc *time.Location, end time.Time) (string, error) {
	if s.d.Posts == nil {
		return "", nil
	}
	posts, err := s.d.Posts.List(ctx, accountID, end, recommendPosts)
	if err != nil {
		return "", fmt.Errorf("digest: posts of an account: %w", err)
	}
	in := advice.RecommendInput{Now: end, Location: loc, PeriodDays: RecommendDays, Posts: make([]advice.Post, 0, len(posts))}
	for _, p := range posts {
		ap := advice.Post{
			ID: p.ID, PostedAt: p.PostedAt, MediaType: p.MediaType, MediaProductType: p.MediaProductType,
			Permalink: p.Permalink, Caption: p.Caption, HashtagCount: len(growth.ExtractHashtags(p.Caption)),
			Likes: p.LikeCount, Comments: p.CommentsCount,
		}
		if ins := p.Insights; ins != nil {
			ap.Saved, ap.Shares, ap.Reach, ap.Views, ap.SkipRate = ins.Saved, ins.Shares, ins.Reach, ins.Views, ins.SkipRate
		}
		in.Posts = append(in.Posts, ap)
	}
	recs := advice.Recommend(in).Recommendations
	if len(recs) == 0 {
		return "", nil
	}
	return recs[0].Title, nil
}

// account is one account's part of the digest; views and reach are the
// sums over the week's posts whose insights report them (nil: none does).
func account(acc postgres.Account, st growth.Stats) mail.DigestAccount {
	name := acc.Username
	if name == "" {
		name = "your account"
	}
	likesTrend, commentsTrend := st.LikesTrend, st.CommentsTrend
	a := mail.DigestAccount{
		Username:      name,
		Posts:         int(st.TotalPosts),
		Likes:         st.TotalLikes,
		Comments:      st.TotalComments,
		LikesTrend:    &likesTrend,
		CommentsTrend: &commentsTrend,
		Views:         st.TotalViews,
		Reach:         st.TotalReach,
		ViewsTrend:    st.ViewsTrend,
		ReachTrend:    st.ReachTrend,
		Message:       st.Message,
	}
	if bp := st.BestPost; bp != nil && bp.LikeCount != nil {
		a.BestPost = &mail.DigestPost{Caption: bp.Caption, Permalink: bp.Permalink, Likes: *bp.LikeCount, Comments: bp.CommentsCount}
	}
	return a
}

// Token is the user's unsubscribe token: an HMAC-SHA256 of the user's id
// under the server's secret, base64url. It never expires and names no
// one; the server finds its user by the token's stored hash.
func (s *Service) Token(userID string) string {
	m := hmac.New(sha256.New, s.d.Secret)
	m.Write([]byte("unsubscribe:v1:" + userID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Unsubscribe turns the weekly digest off for the token's user. An
// unknown token is apperr.CodeInvalidToken.
func (s *Service) Unsubscribe(ctx context.Context, token string) error {
	if token == "" || len(token) > 128 {
		return apperr.New(apperr.CodeInvalidToken, "This unsubscribe link is not valid.")
	}
	ok, err := s.d.Store.Unsubscribe(ctx, hashToken(token))
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.CodeInvalidToken, "This unsubscribe link is not valid.")
	}
	return nil
}

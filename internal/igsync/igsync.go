// Package igsync connects Instagram accounts through OAuth and keeps their
// posts, profile and token fresh with durable background jobs.
package igsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
	"creatorgrowth/internal/worker"
)

// Tuning of the background work.
const (
	// SyncEvery is how often every active account is synced.
	SyncEvery = 6 * time.Hour
	// SyncCheckEvery is how often the schedule looks for accounts due:
	// each account is synced SyncEvery after its own last sync (within
	// this), not all of them at one tick every SyncEvery, which would
	// leave an account synced late in a burst for two cycles.
	SyncCheckEvery = 10 * time.Minute
	// RefreshEvery is how often tokens near expiry are refreshed.
	RefreshEvery = 12 * time.Hour
	// RefreshWindow: tokens expiring within it are refreshed.
	RefreshWindow = 7 * 24 * time.Hour
	// RefreshMinAge: Instagram refuses to refresh younger tokens.
	RefreshMinAge = 24 * time.Hour
	// RefreshInsightsSpan: a refresh re-reads the insights of the posts of
	// this span, whatever the ladder says.
	RefreshInsightsSpan = 7 * 24 * time.Hour
	// jobAttempts is how often a job is tried before it fails for good.
	jobAttempts = 5
)

// Job kinds this package declares and runs (Handlers).
const (
	// KindFetchPosts fetches an account's profile and posts.
	KindFetchPosts = "fetch_posts"
	// KindRefreshToken refreshes an account's long-lived token.
	KindRefreshToken = "refresh_token"
)

// Callback failure reasons of the contract.
const (
	ReasonDenied         = "denied"
	ReasonInvalidState   = "invalid_state"
	ReasonExchangeFailed = "exchange_failed"
	ReasonAlreadyLinked  = "already_linked"
	ReasonInternal       = "internal"
)

// Service is the Instagram connection and sync service.
type Service struct {
	client   *instagram.Client
	accounts *postgres.Accounts
	posts    *postgres.Posts
	jobs     *postgres.Jobs
	states   *postgres.OAuthStates
	tokens   *auth.Tokens
	box      *secretbox.Box
	logger   *slog.Logger
	maxPosts int
	hashtags func(string) []string
	notifier Notifier

	// insights reads media insights (the Instagram client); nil: none are
	// read. usage holds the usage headers of each account's answers.
	insights InsightsReader
	usage    *UsageBook
	now      func() time.Time
	// accountInsights stores what the account_insights job reads.
	accountInsights *postgres.AccountInsights
	onReauth        func(ctx context.Context, acc postgres.Account) error
}

// Notifier is told after a job is enqueued, to wake the workers that run
// it (a *worker.Wake).
type Notifier interface{ Notify() }

// Deps is what the service needs; the fields documented as optional may
// be nil.
type Deps struct {
	Client   *instagram.Client
	Accounts *postgres.Accounts
	Posts    *postgres.Posts
	Jobs     *postgres.Jobs
	States   *postgres.OAuthStates
	// AccountInsights stores the account insights.
	AccountInsights *postgres.AccountInsights
	Tokens          *auth.Tokens
	Box             *secretbox.Box
	Logger          *slog.Logger
	MaxPosts        int
	// Hashtags extracts the hashtags of a caption at ingest.
	Hashtags func(caption string) []string
	// Notifier wakes the worker pools after an enqueue.
	Notifier Notifier
	// Insights reads media insights, usually the Client; nil: posts'
	// insights are not read.
	Insights InsightsReader
	// Usage is where the client reports each account's usage headers
	// (instagram.Config.OnUsage = Usage.Observe); nil: none are seen.
	Usage *UsageBook
	// Now is the clock of the insights ladder and budget; nil: time.Now.
	Now func() time.Time
	// OnNeedsReauth, when set, is called once when an account turns
	// needs_reauth (the owner's reconnect mail).
	OnNeedsReauth func(ctx context.Context, acc postgres.Account) error
}

// New returns the service.
func New(d Deps) *Service {
	s := &Service{
		client:          d.Client,
		accounts:        d.Accounts,
		posts:           d.Posts,
		jobs:            d.Jobs,
		states:          d.States,
		tokens:          d.Tokens,
		box:             d.Box,
		logger:          d.Logger,
		maxPosts:        d.MaxPosts,
		hashtags:        d.Hashtags,
		notifier:        d.Notifier,
		onReauth:        d.OnNeedsReauth,
		accountInsights: d.AccountInsights,
		insights:        d.Insights,
		usage:           d.Usage,
		now:             d.Now,
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Handlers are the job handlers to run in a worker pool.
func (s *Service) Handlers() map[string]worker.Handler {
	h := map[string]worker.Handler{
		KindFetchPosts:      s.fetchPosts,
		KindRefreshToken:    s.refreshToken,
		KindAccountInsights: s.readAccountInsights,
	}
	if s.insights != nil {
		h[KindReadInsights] = s.readInsights
	}
	return h
}

// Schedules are the periodic tasks: sync every account, refresh tokens,
// read account insights daily and, with an insights reader, the posts'
// due insights.
func (s *Service) Schedules() []worker.Schedule {
	out := []worker.Schedule{
		{Name: "sync_accounts", Every: SyncCheckEvery, Run: s.enqueueDueSyncs},
		{Name: "refresh_tokens", Every: RefreshEvery, Run: s.enqueueDueRefreshes},
		{Name: "account_insights", Every: AccountInsightsEvery, Run: s.enqueueDueAccountInsights},
	}
	if s.insights != nil {
		out = append(out, worker.Schedule{Name: "read_insights", Every: InsightsEvery, Run: s.enqueueDueInsights})
	}
	return out
}

// ConnectURL returns the Instagram authorize URL for the user, with a
// fresh single-use state, and the state's nonce (for a browser-binding
// cookie).
func (s *Service) ConnectURL(ctx context.Context, userID string) (url, nonce string, err error) {
	state, st, err := s.tokens.IssueState(userID)
	if err != nil {
		return "", "", err
	}
	if err := s.states.Record(ctx, st.Nonce, userID, st.ExpiresAt); err != nil {
		return "", "", err
	}
	return s.client.AuthorizeURL(state), st.Nonce, nil
}

// CallbackInput is what the OAuth redirect brings back.
type CallbackInput struct {
	Code  string
	State string
	Error string // error=access_denied when the user cancelled
	// BrowserNonce is the nonce of the state this browser started, from
	// its binding cookie; a callback without it is refused.
	BrowserNonce string
	// ClientIP is recorded with every refused state.
	ClientIP string
}

// Callback completes a connection. It returns the linked account, or the
// contract's failure reason. A state that is forged, expired, used, or
// not the one this browser started is refused before its code is ever
// exchanged, and logged as a security event.
func (s *Service) Callback(ctx context.Context, in CallbackInput) (postgres.Account, string) {
	st, err := s.tokens.ParseState(in.State)
	if in.Error != "" {
		if err == nil && in.BrowserNonce == st.Nonce {
			s.states.Consume(ctx, st.Nonce, st.UserID) //nolint:errcheck // spent either way
		}
		return postgres.Account{}, ReasonDenied
	}
	refuse := func(why string) (postgres.Account, string) {
		s.logger.WarnContext(ctx, "security: oauth state refused",
			slog.String("user_id", st.UserID), // empty for a state that does not verify
			slog.String("reason", ReasonInvalidState),
			slog.String("why", why),
			slog.String("client_ip", in.ClientIP),
		)
		return postgres.Account{}, ReasonInvalidState
	}
	switch {
	case err != nil:
		return refuse("state does not verify")
	case in.BrowserNonce == "":
		return refuse("no binding cookie")
	case in.BrowserNonce != st.Nonce:
		return refuse("binding cookie of another flow")
	case in.Code == "":
		return refuse("no code")
	}
	ok, err := s.states.Consume(ctx, st.Nonce, st.UserID)
	if err != nil {
		s.logger.ErrorContext(ctx, "oauth callback: consume state", slog.String("error", err.Error()))
		return postgres.Account{}, ReasonInternal
	}
	if !ok {
		return refuse("state used or expired")
	}

	short, err := s.client.ExchangeCode(ctx, in.Code)
	if err != nil {
		s.logger.WarnContext(ctx, "oauth callback: code exchange", slog.String("error", err.Error()))
		return postgres.Account{}, ReasonExchangeFailed
	}
	long, err := s.client.ExchangeLongLived(ctx, short.AccessToken)
	if err != nil {
		s.logger.WarnContext(ctx, "oauth callback: long-lived exchange", slog.String("error", err.Error()))
		return postgres.Account{}, ReasonExchangeFailed
	}
	profile, err := s.client.Me(ctx, long.AccessToken)
	if err == nil && profile.UserID == "" {
		err = errNoUserID
	}
	if err != nil {
		s.logger.WarnContext(ctx, "oauth callback: profile", slog.String("error", err.Error()))
		return postgres.Account{}, ReasonExchangeFailed
	}
	sealed, err := s.box.Seal(long.AccessToken, profile.UserID)
	if err != nil {
		s.logger.ErrorContext(ctx, "oauth callback: seal token", slog.String("error", err.Error()))
		return postgres.Account{}, ReasonInternal
	}
	followers := int64(profile.FollowersCount)
	acc, err := s.accounts.Link(ctx, postgres.LinkInput{
		UserID:         st.UserID,
		IGUserID:       profile.UserID,
		Username:       profile.Username,
		AccessToken:    sealed,
		TokenExpiresAt: time.Now().Add(long.ExpiresIn),
		Followers:      &followers,
	})
	if apperr.Is(err, apperr.CodeAlreadyLinked) {
		return postgres.Account{}, ReasonAlreadyLinked
	}
	if err != nil {
		s.logger.ErrorContext(ctx, "oauth callback: link account", slog.String("error", err.Error()))
		return postgres.Account{}, ReasonInternal
	}
	if _, err := s.ScheduleFetch(ctx, acc.ID); err != nil {
		// The account is linked; the periodic sync will pick it up.
		s.logger.ErrorContext(ctx, "oauth callback: schedule fetch", slog.String("error", err.Error()))
	}
	// The backfill of the last 30 days of account insights.
	if _, err := s.ScheduleAccountInsights(ctx, acc.ID); err != nil {
		s.logger.ErrorContext(ctx, "oauth callback: schedule account insights", slog.String("error", err.Error()))
	}
	return acc, ""
}

// ScheduleFetch enqueues a post fetch for the account to run now.
func (s *Service) ScheduleFetch(ctx context.Context, accountID string) (bool, error) {
	created, err := s.jobs.Enqueue(ctx, KindFetchPosts, accountID, time.Now(), jobAttempts)
	if err == nil {
		s.notifier.Notify()
	}
	return created, err
}

// Refresh schedules a post fetch for the account now and makes the
// insights of its posts of the last RefreshInsightsSpan due now, whatever
// the ladder says; they are read after the fetch. It reports whether a new
// fetch job was created.
func (s *Service) Refresh(ctx context.Context, accountID string) (bool, error) {
	now := time.Now()
	if _, err := s.posts.MakeInsightsDue(ctx, accountID, now.Add(-RefreshInsightsSpan), now); err != nil {
		return false, err
	}
	return s.ScheduleFetch(ctx, accountID)
}

// Disconnect deletes the user's account with its posts.
func (s *Service) Disconnect(ctx context.Context, userID, accountID string) error {
	return s.accounts.Delete(ctx, userID, accountID)
}

// Posts returns a page of the account's posts, newest first.
func (s *Service) Posts(ctx context.Context, accountID string, before time.Time, limit int) ([]postgres.Post, error) {
	return s.posts.List(ctx, accountID, before, limit)
}

// Post returns the account's post id with its insights history, oldest
// first; another account's post is apperr.CodeNotFound.
func (s *Service) Post(ctx context.Context, accountID, id string) (postgres.Post, []postgres.Reading, error) {
	p, err := s.posts.Get(ctx, accountID, id)
	if err != nil {
		return p, nil, err
	}
	h, err := s.posts.History(ctx, p.ID)
	return p, h, err
}

// SyncStatus is the state of an account's post fetching.
type SyncStatus struct {
	State        string // idle, queued, running, failed
	PostsFetched int
	LastSyncedAt *time.Time
	Error        *string
}

// Status returns the sync status of the account.
func (s *Service) Status(ctx context.Context, acc postgres.Account) (SyncStatus, error) {
	st := SyncStatus{State: "idle", LastSyncedAt: acc.LastSyncedAt}
	job, ok, err := s.jobs.Latest(ctx, KindFetchPosts, acc.ID)
	if err != nil || !ok {
		return st, err
	}
	st.PostsFetched = job.PostsFetched
	switch job.State {
	case postgres.JobQueued, postgres.JobRunning, postgres.JobFailed:
		st.State = job.State
	}
	if job.LastError != "" && job.State != postgres.JobDone {
		msg := job.LastError
		st.Error = &msg
	}
	return st, nil
}

func (s *Service) enqueueDueSyncs(ctx context.Context) error {
	ids, err := s.accounts.DueForSync(ctx, SyncEvery-SyncCheckEvery)
	if err != nil {
		return err
	}
	if err := s.enqueue(ctx, KindFetchPosts, ids, nil); err != nil {
		return err
	}
	return s.jobs.Prune(ctx, 30*24*time.Hour)
}

func (s *Service) enqueueDueRefreshes(ctx context.Context) error {
	ids, err := s.accounts.DueForRefresh(ctx, RefreshWindow, RefreshMinAge)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, KindRefreshToken, ids, nil)
}

// enqueue gives each account of ids a job of kind at runAt[i] (nil: now),
// in one statement, and wakes the workers when there was any.
func (s *Service) enqueue(ctx context.Context, kind string, ids []string, runAt []time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if runAt == nil {
		now := time.Now()
		runAt = make([]time.Time, len(ids))
		for i := range runAt {
			runAt[i] = now
		}
	}
	if _, err := s.jobs.EnqueueMany(ctx, kind, ids, runAt, jobAttempts); err != nil {
		return err
	}
	if s.notifier != nil {
		s.notifier.Notify()
	}
	return nil
}

// EnqueueDueRefreshes runs the token-refresh schedule now (for tests and
// operators).
func (s *Service) EnqueueDueRefreshes(ctx context.Context) error { return s.enqueueDueRefreshes(ctx) }

var (
	errNeedsReauth = errors.New("account needs to be reconnected")
	errNoUserID    = errors.New("no user_id in profile")
)

// token opens the account's stored token.
func (s *Service) token(acc postgres.Account) (string, error) {
	tok, err := s.box.Open(acc.AccessToken, acc.IGUserID)
	if err != nil {
		return "", fmt.Errorf("open token of account %s: %w", acc.ID, err)
	}
	return tok, nil
}

// Package app assembles the server from its parts: the stores, built once,
// the services they are handed to, the Instagram client (or the built-in
// sandbox), the worker pool, the scheduler, metrics and the router. It is
// the only place that builds httpapi.Deps: cmd/server, cmd/benchstats and
// every test that needs a router use New, with Options for what a test
// swaps, so all of them run the same wiring.
package app

import (
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"runtime"
	"time"

	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"

	"creatorgrowth/internal/audience"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/digest"
	"creatorgrowth/internal/events"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/guidance"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/mail"
	"creatorgrowth/internal/metrics"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
	"creatorgrowth/internal/waitlist"
	"creatorgrowth/internal/worker"
)

// DefaultGCPercent is the collector's GOGC that cmd/server sets unless the
// environment sets one. The server's live heap is small (2–3 MB idle) and
// every request allocates, so at Go's default of 100 it collected some 30
// times a second under load; 200 halves that for a heap goal of three
// times the live heap.
const DefaultGCPercent = 200

// Sandbox app credentials, used when no Instagram app is configured.
const (
	sandboxClientID     = "sandbox-client"
	sandboxClientSecret = "sandbox-secret"
)

// Options change the defaults of New; the zero value is production's.
// They are what a test swaps; everything else comes from the configuration.
type Options struct {
	// Hasher defaults to bcrypt at auth.BcryptCost, on at most half the
	// CPUs at a time (one on two cores).
	Hasher *auth.Hasher
	// Limits default to httpapi.DefaultLimits.
	Limits *httpapi.Limits
	// LimiterStore defaults to an in-memory store.
	LimiterStore limiter.Store
	// Pool tunes the worker pool; Lease, BaseBackoff and Workers default
	// to the configuration's JOB_LEASE, JOB_BACKOFF and JOB_WORKERS.
	Pool worker.Options
	// Instagram tunes the Instagram client.
	Instagram InstagramOptions
	// SandboxAccounts replace the sandbox's default accounts.
	SandboxAccounts []sandbox.AccountSpec
	// Now is the clock of the growth reports, of the insights ladder and
	// budget, and of the built-in sandbox; default time.Now.
	Now func() time.Time
	// Insights replaces the Instagram client as the reader of the posts'
	// insights (a test's fake), and Usage the book of the accounts' usage
	// headers that the client (or the fake) reports to.
	Insights igsync.InsightsReader
	Usage    *igsync.UsageBook
	// SPA is the built web app, if any.
	SPA fs.FS
	// Events tunes the live-update hub (heartbeat, per-user cap); its
	// OnStreams and Logger are set by New.
	Events events.Options
}

// InstagramOptions tune the Instagram client. Its URLs come from the
// configuration (INSTAGRAM_AUTH_URL, INSTAGRAM_API_URL, INSTAGRAM_GRAPH_URL);
// zero fields take the client's defaults.
type InstagramOptions struct {
	// HTTPClient sends the client's requests to a configured Instagram
	// (a test's recording transport, say); ignored with the built-in
	// sandbox, which is reached in-process.
	HTTPClient *http.Client
	// MaxRetries, BaseBackoff and MaxBackoff bound the client's retries
	// (see instagram.Config).
	MaxRetries              int
	BaseBackoff, MaxBackoff time.Duration
}

// App is the assembled server. Start runs its background work; Stop ends
// it after the HTTP server has drained.
type App struct {
	Handler   http.Handler
	Instagram *igsync.Service
	Sandbox   *sandbox.Sandbox // nil with a real Instagram app
	Growth    *growth.Service
	// Guidance computes the recommendations and forecasts.
	Guidance *guidance.Service
	Metrics  *metrics.Metrics
	Tokens   *auth.Tokens
	Jobs     *postgres.Jobs
	// Wake wakes the pools built with it when a job is enqueued; pass it
	// in worker.Options to run more pools beside Pool.
	Wake      *worker.Wake
	Pool      *worker.Pool
	Scheduler *worker.Scheduler
	// Handlers are the job handlers Pool runs, by kind (the Instagram
	// jobs, and send_mail with SMTP_URL), for more pools beside it.
	Handlers map[string]worker.Handler
	// Digest queues and builds the weekly digests.
	Digest *digest.Service
	// Events is the live-update hub; its listener runs from Start to Stop.
	Events *events.Hub
	// Sessions keeps the session reads of authenticated requests while
	// its listener, run from Start to Stop, is listening.
	Sessions *auth.SessionCache
}

// New assembles the server on db. It builds every store once and hands
// each service the stores it uses.
func New(cfg *config.Config, db *sql.DB, logger *slog.Logger, o Options) (*App, error) {
	box, err := secretbox.NewKeys(cfg.TokenEncryptionKeys...)
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	var (
		users           = postgres.NewUsers(db)
		accounts        = postgres.NewAccounts(db)
		posts           = postgres.NewPosts(db)
		jobs            = postgres.NewJobs(db)
		states          = postgres.NewOAuthStates(db)
		list            = postgres.NewWaitlist(db)
		accountInsights = postgres.NewAccountInsights(db)
		sessions        = postgres.NewSessions(db)
		userTokens      = postgres.NewUserTokens(db)
	)
	tokens := auth.NewTokens(cfg.JWTSecret)
	reports := growth.NewService(db, growth.CacheSize(cfg.StatsCacheSize), growth.SyncEvery(igsync.SyncEvery))
	audiences, err := audience.NewService(db)
	if err != nil {
		return nil, err
	}
	// The best times blend in the followers-online heatmap of the account
	// insights. STATS_CACHE_SIZE sizes every report cache.
	adviceStore := postgres.NewAdvice(posts)
	online, err := guidance.NewOnline(adviceStore)
	if err != nil {
		return nil, err
	}
	guide := guidance.New(guidance.Deps{Advice: adviceStore, Online: online, CacheSize: cfg.StatsCacheSize})
	// Goal dates are calendar dates in the user's own time zone.
	goals := guidance.NewGoals(postgres.NewGoals(db), guide, &guidance.StoredZones{Names: users, Load: reports.Location})
	mx := metrics.New(metrics.Options{DB: db, Jobs: jobs, Reports: reports.CacheCounts, Advice: guide.CacheCounts, Logger: logger,
		InsightsBudget: func(ctx context.Context) (int, int, error) {
			b, err := accounts.InsightsBudget(ctx, now())
			return b.Parked, b.MaxUsagePct, err
		}})
	// The client reports each account's usage headers to the book the
	// insights job reads.
	usage := o.Usage
	if usage == nil {
		usage = &igsync.UsageBook{}
	}
	client, sb := instagramClient(cfg, logger, mx.InstagramCall, usage.Observe, o, now, accounts)
	var insights igsync.InsightsReader = client
	if o.Insights != nil {
		insights = o.Insights
	}

	// The wake exists before both the service that enqueues jobs and the
	// pool that runs them, so neither needs the other to be built first.
	wake := &worker.Wake{}
	mails, err := newMailer(cfg, jobs, box, users, logger, wake)
	if err != nil {
		return nil, err
	}
	var (
		accountMail auth.Mailer
		onReauth    func(context.Context, postgres.Account) error
	)
	if mails != nil {
		accountMail, onReauth = mails, mails.needsReauth // typed nils would read as set
	}
	ig := igsync.New(igsync.Deps{
		Client:          client,
		Accounts:        accounts,
		Posts:           posts,
		Jobs:            jobs,
		States:          states,
		Tokens:          tokens,
		Box:             box,
		Logger:          logger,
		MaxPosts:        cfg.Instagram.MaxPosts,
		Hashtags:        growth.ExtractHashtags,
		Notifier:        wake,
		Insights:        insights,
		AccountInsights: accountInsights,
		Usage:           usage,
		Now:             now,
		OnNeedsReauth:   onReauth,
	})
	poolOpts := o.Pool
	if poolOpts.Lease == 0 {
		poolOpts.Lease = cfg.JobLease
	}
	if poolOpts.BaseBackoff == 0 {
		poolOpts.BaseBackoff = cfg.JobBackoff
	}
	if poolOpts.Workers == 0 {
		poolOpts.Workers = cfg.JobWorkers
	}
	poolOpts.Wake = wake
	digests := newDigests(cfg, db, jobs, posts, mails, reports, logger, wake, now)
	sessionCache := auth.NewSessionCache(cfg.DatabaseURL, auth.SessionCacheOptions{Logger: logger})
	handlers := ig.Handlers()
	for kind, h := range handlers {
		// An Instagram job changes its account's row: this server drops its
		// copies of it before the job is marked done, so that whoever sees
		// the job done here sees the account as the job left it.
		handlers[kind] = func(ctx context.Context, job postgres.Job) error {
			defer sessionCache.ForgetAccount(job.AccountID)
			return h(ctx, job)
		}
	}
	schedules := ig.Schedules()
	if mails != nil {
		handlers[mail.KindSendMail] = mails.outbox.Handle
		maps.Copy(handlers, digests.Handlers())
		schedules = append(schedules, digests.Schedules()...)
	}
	pool := worker.New(jobs, handlers, logger, poolOpts)
	pool.OnOutcome = mx.JobOutcome

	hasher := o.Hasher
	if hasher == nil {
		// A bcrypt hash is tens of milliseconds of CPU that the Go scheduler
		// slices in 10 ms quanta: with a hash on every CPU, each other
		// request waits behind them. Half the CPUs keeps the rest answering.
		hasher = auth.NewHasher(auth.BcryptCost, max(1, runtime.NumCPU()/2))
	}
	limits := httpapi.DefaultLimits()
	if o.Limits != nil {
		limits = *o.Limits
	}
	evOpts := o.Events
	evOpts.OnStreams, evOpts.Logger = mx.EventStreams, logger
	hub := events.NewHub(cfg.DatabaseURL, evOpts)
	store := o.LimiterStore
	if store == nil {
		store = memory.NewStore()
	}
	deps := httpapi.Deps{
		Config: cfg,
		DB:     db,
		Logger: logger,
		Now:    now,
		Auth: auth.NewService(auth.Deps{
			Users: users, Sessions: sessions, UserTokens: userTokens,
			Hasher: hasher, Tokens: tokens, Mailer: accountMail, Logger: logger,
			SessionCache: sessionCache,
		}),
		UserTokens:    userTokens,
		LimiterFailed: mx.LimiterFailed,
		Tokens:        tokens,
		Waitlist:      waitlist.NewService(list),
		Accounts:      accounts,
		Posts:         posts,
		ShareLinks:    postgres.NewShareLinks(db),
		Growth:        reports,
		Audience:      audiences,
		Guidance:      guide,
		Goals:         goals,
		Instagram:     ig,
		Events:        hub,
		Digest:        digests,
		MailOn:        mails != nil,
		LimiterStore:  store,
		Limits:        limits,
		SPA:           o.SPA,
		Observe:       mx.ObserveRequest,
		Metrics:       mx.Handler(),
	}
	if sb != nil {
		deps.Sandbox = sb // a typed nil would read as a mounted sandbox
	}
	router, err := httpapi.NewRouter(deps)
	if err != nil {
		return nil, err
	}
	return &App{
		Handler:   router,
		Instagram: ig,
		Sandbox:   sb,
		Growth:    reports,
		Guidance:  guide,
		Metrics:   mx,
		Tokens:    tokens,
		Jobs:      jobs,
		Wake:      wake,
		Pool:      pool,
		Handlers:  handlers,
		Scheduler: worker.NewScheduler(db, logger, time.Minute, schedules...),
		Events:    hub,
		Digest:    digests,
		Sessions:  sessionCache,
	}, nil
}

// Start runs the worker pool, the scheduler and the live-update and
// session-cache listeners until Stop.
func (a *App) Start(ctx context.Context) {
	a.Events.Start(ctx)
	a.Sessions.Start(ctx)
	a.Pool.Start(ctx)
	a.Scheduler.Start(ctx)
}

// CloseStreams ends the open live-update streams and refuses new ones.
// Register it with http.Server.RegisterOnShutdown: Shutdown waits for
// every request, and a stream never ends on its own.
func (a *App) CloseStreams() { a.Events.Close() }

// Stop ends the live updates, the scheduler and the pool, handing running
// jobs back. It is safe to call more than once.
func (a *App) Stop() {
	a.Events.Stop()
	a.Sessions.Stop()
	a.Scheduler.Stop()
	a.Pool.Stop()
}

// newDigests returns the weekly digest service: with mail (SMTP_URL) it
// queues the digests into the outbox; without, it still answers
// unsubscribes.
func newDigests(cfg *config.Config, db *sql.DB, jobs *postgres.Jobs, posts *postgres.Posts, mails *mailer,
	reports *growth.Service, logger *slog.Logger, wake *worker.Wake, now func() time.Time) *digest.Service {
	d := digest.Deps{
		Store:    postgres.NewDigests(db),
		Jobs:     jobs,
		Growth:   reports,
		Posts:    posts,
		Secret:   cfg.JWTSecret,
		Logger:   logger,
		Now:      now,
		Notifier: wake,
	}
	if mails != nil {
		d.Outbox, d.Mail = mails.outbox, mails.templates
	}
	return digest.New(d)
}

// instagramClient returns the Instagram client: for the configured app,
// or, without one, for the built-in sandbox, which it also returns so that
// the router serves its pages. The client reaches the sandbox in-process.
func instagramClient(cfg *config.Config, logger *slog.Logger, onCall func(endpoint, outcome string),
	onUsage func(igUserID string, u instagram.Usage), o Options, now func() time.Time, accounts *postgres.Accounts) (*instagram.Client, *sandbox.Sandbox) {
	ic := cfg.Instagram
	c := instagram.Config{
		ClientID:     ic.ClientID,
		ClientSecret: ic.ClientSecret,
		RedirectURI:  ic.RedirectURI,
		AuthURL:      ic.AuthURL,
		APIURL:       ic.APIURL,
		GraphURL:     ic.GraphURL,
		Logger:       logger,
		OnCall:       onCall,
		OnUsage:      onUsage,
		HTTPClient:   o.Instagram.HTTPClient,
		MaxRetries:   o.Instagram.MaxRetries,
		BaseBackoff:  o.Instagram.BaseBackoff,
		MaxBackoff:   o.Instagram.MaxBackoff,
	}
	if !ic.Sandbox {
		return instagram.NewClient(c), nil
	}
	base := cfg.PublicURL + httpapi.SandboxPrefix
	c.ClientID, c.ClientSecret = sandboxClientID, sandboxClientSecret
	sb := sandbox.New(sandbox.Options{
		BaseURL:      base,
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURIs: []string{ic.RedirectURI},
		Accounts:     o.SandboxAccounts,
		Now:          now,
		// A second person on the same instance is offered an account
		// nobody has linked, not the first person's.
		IsLinked: func(ctx context.Context, igUserID string) bool {
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			linked, err := accounts.IsLinked(ctx, igUserID)
			return err != nil || linked // unsure: do not offer it
		},
	})
	c.AuthURL, c.APIURL, c.GraphURL = base+"/oauth/authorize", base, base
	c.HTTPClient = &http.Client{Transport: sb.Transport(httpapi.SandboxPrefix), Timeout: 10 * time.Second}
	return instagram.NewClient(c), sb
}

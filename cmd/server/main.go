// Command server runs Creator Growth Tool: the JSON API, the background
// workers and, when built, the web app, on one port.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // zones for ?tz= where the system has no zone database

	"github.com/joho/godotenv"

	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/metrics"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
	"creatorgrowth/internal/waitlist"
	"creatorgrowth/internal/worker"
	"creatorgrowth/migrations"
	"creatorgrowth/web"
)

func main() {
	// .env fills in what the environment leaves unset; it never overrides.
	_ = godotenv.Load()
	if len(os.Args) > 1 && os.Args[1] == "-healthcheck" {
		// For container HEALTHCHECKs in images without curl.
		os.Exit(healthcheck(os.Getenv("PORT")))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// run wires the server and blocks until ctx ends, then shuts down cleanly:
// in-flight requests finish, workers stop, the database closes.
func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: logLevel(cfg.LogLevel)}))
	for _, w := range cfg.Warnings {
		logger.Warn(w)
	}

	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("database: %w (is PostgreSQL running and DATABASE_URL right?)", err)
	}
	defer db.Close()

	migCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	applied, err := postgres.Migrate(migCtx, db, migrations.FS)
	cancel()
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		logger.Info("migrations applied", slog.Any("versions", applied))
	}

	store, closeStore, err := httpapi.NewLimiterStore(cfg.RedisURL)
	if err != nil {
		return err
	}
	defer closeStore() //nolint:errcheck

	box, err := secretbox.New(cfg.TokenEncryptionKey)
	if err != nil {
		return err
	}
	tokens := auth.NewTokens(cfg.JWTSecret)
	jobs := postgres.NewJobs(db)
	mx := metrics.New(metrics.Options{DB: db, Jobs: jobs, Logger: logger})
	client, sb := instagramClient(cfg, logger, mx.InstagramCall)
	ig := igsync.New(igsync.Deps{
		DB:       db,
		Client:   client,
		Tokens:   tokens,
		Box:      box,
		Logger:   logger,
		MaxPosts: cfg.Instagram.MaxPosts,
		Hashtags: growth.ExtractHashtags,
	})
	pool := worker.New(jobs, ig.Handlers(), logger, worker.Options{Lease: cfg.JobLease, BaseBackoff: cfg.JobBackoff})
	pool.OnOutcome = mx.JobOutcome
	ig.SetNotify(pool.Notify)
	scheduler := worker.NewScheduler(db, logger, time.Minute, ig.Schedules()...)

	hasher := auth.NewHasher(auth.BcryptCost, 4)
	router, err := httpapi.NewRouter(httpapi.Deps{
		Config:       cfg,
		DB:           db,
		Logger:       logger,
		Auth:         auth.NewService(postgres.NewUsers(db), hasher, tokens),
		Tokens:       tokens,
		Waitlist:     waitlist.NewService(postgres.NewWaitlist(db)),
		Accounts:     postgres.NewAccounts(db),
		Growth:       growth.NewService(db),
		Instagram:    ig,
		Sandbox:      sb,
		LimiterStore: store,
		Limits:       httpapi.DefaultLimits(),
		SPA:          spaAssets(logger),
		Observe:      mx.ObserveRequest,
		Metrics:      mx.Handler(),
	})
	if err != nil {
		return err
	}

	srv := &http.Server{
		Addr:              net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler:           router,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	// The workers outlive in-flight requests at shutdown, so they get their
	// own context and are stopped after the server.
	pool.Start(context.WithoutCancel(ctx))
	defer pool.Stop()
	scheduler.Start(context.WithoutCancel(ctx))
	defer scheduler.Stop()

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Info("server started", slog.Int("port", cfg.Port), slog.String("env", cfg.Env),
		slog.Bool("instagram_sandbox", cfg.Instagram.Sandbox))

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	scheduler.Stop()
	pool.Stop()
	logger.Info("stopped")
	return nil
}

// instagramClient returns the Instagram client: for the configured app,
// or, without one, for the built-in sandbox, which it also returns so that
// the router serves its pages. The client reaches the sandbox in-process.
func instagramClient(cfg *config.Config, logger *slog.Logger, onCall func(endpoint, outcome string)) (*instagram.Client, http.Handler) {
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
	}
	if !ic.Sandbox {
		return instagram.NewClient(c), nil
	}
	base := cfg.PublicURL + httpapi.SandboxPrefix
	c.ClientID, c.ClientSecret = "sandbox-client", "sandbox-secret"
	sb := sandbox.New(sandbox.Options{
		BaseURL:      base,
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURIs: []string{ic.RedirectURI},
	})
	c.AuthURL, c.APIURL, c.GraphURL = base+"/oauth/authorize", base, base
	c.HTTPClient = &http.Client{Transport: sb.Transport(httpapi.SandboxPrefix), Timeout: 10 * time.Second}
	return instagram.NewClient(c), sb
}

// spaAssets returns the embedded web app, or web/dist from disk when the
// binary runs in a checkout where it was built, or nil.
func spaAssets(logger *slog.Logger) fs.FS {
	if a := web.Assets(); a != nil {
		return a
	}
	for _, dir := range []string{"web/dist", "../../web/dist"} {
		if st, err := os.Stat(dir + "/index.html"); err == nil && !st.IsDir() {
			logger.Info("serving the web app from disk", slog.String("dir", dir))
			return os.DirFS(dir)
		}
	}
	logger.Warn("the web app is not built; serving the API only")
	return nil
}

// healthcheck asks the local server's /health and returns the exit code.
func healthcheck(port string) int {
	if port == "" {
		port = "8080"
	}
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://127.0.0.1:" + port + "/health")
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "healthcheck: status", resp.StatusCode)
		return 1
	}
	return 0
}

func logLevel(s string) slog.Level {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

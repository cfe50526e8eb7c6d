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
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // zones for ?tz= where the system has no zone database

	"github.com/joho/godotenv"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/postgres"
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
	debug.SetGCPercent(gcPercent(os.Getenv("GOGC")))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// gcPercent is the collector's target: GOGC when it names one (Go reads
// the process environment at start, before .env is loaded, so a GOGC from
// .env is applied here), app.DefaultGCPercent otherwise; "off" is -1.
func gcPercent(gogc string) int {
	if gogc == "off" {
		return -1
	}
	if n, err := strconv.Atoi(gogc); err == nil && n >= 0 {
		return n
	}
	return app.DefaultGCPercent
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

	a, err := app.New(cfg, db, logger, app.Options{LimiterStore: store, SPA: spaAssets(logger)})
	if err != nil {
		return err
	}

	srv := &http.Server{
		Addr:              net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler:           a.Handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// Live-update streams never end on their own: Shutdown ends them.
	srv.RegisterOnShutdown(a.CloseStreams)
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	// The workers outlive in-flight requests at shutdown, so they get their
	// own context and are stopped after the server.
	a.Start(context.WithoutCancel(ctx))
	defer a.Stop()

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
	a.Stop()
	logger.Info("stopped")
	return nil
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

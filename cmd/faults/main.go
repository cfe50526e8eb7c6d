// Command faults runs the fault drills of scripts/faults.sh against real
// processes on loopback: bin/server on a private PostgreSQL cluster, and
// bin/fakeig as an external Instagram. Each drill prints one line with its
// measured outcome; the exit status is 1 when any drill failed.
//
//	a  PostgreSQL stopped and restarted under load
//	b  the server killed (SIGKILL) in the middle of a sync, then restarted
//	c  Instagram answering 503 for a minute
//	d  SIGTERM under load
//	e  two replicas on one database, the one running a backfill SIGKILLed
//	f  the SMTP server (Mailpit) down for a minute while password resets
//	   are asked for
//
// The server's secrets come from the environment (JWT_SECRET,
// TOKEN_ENCRYPTION_KEY, ADMIN_PASSWORD), so that the script can scan the
// logs for them afterwards. Every wait is bounded.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/lib/pq"
)

// harness holds what every drill shares.
type harness struct {
	serverBin, fakeigBin string
	pgScript, pgName     string
	mailpitScript        string
	pgPort               int
	adminURL             string
	logDir               string
	serverPort           int
	fakePort             int
	smtpPort             int
	mailHTTPPort         int
	smtpOutage           time.Duration
	secrets              map[string]string
	http                 *http.Client
	fake                 *exec.Cmd
}

func main() {
	h := &harness{}
	flag.StringVar(&h.serverBin, "server", "bin/server", "server binary")
	flag.StringVar(&h.fakeigBin, "fakeig", "bin/fakeig", "fake Instagram binary")
	flag.StringVar(&h.pgScript, "pg-script", "scripts/pg.sh", "scripts/pg.sh, to stop and start the cluster")
	flag.StringVar(&h.pgName, "pg-name", "faults", "cluster name for pg.sh")
	flag.IntVar(&h.pgPort, "pg-port", 54334, "cluster port")
	flag.StringVar(&h.adminURL, "admin-url", "", "PostgreSQL URL of the cluster (pg.sh start prints it)")
	flag.StringVar(&h.logDir, "log-dir", ".data/faults-logs", "where server and fake logs go")
	flag.IntVar(&h.serverPort, "port", 18091, "server port (loopback)")
	flag.IntVar(&h.fakePort, "fake-port", 18191, "fake Instagram port (loopback)")
	flag.StringVar(&h.mailpitScript, "mailpit-script", "scripts/mailpit.sh", "scripts/mailpit.sh, to stop and start the SMTP server")
	flag.IntVar(&h.smtpPort, "smtp-port", 18291, "Mailpit's SMTP port (loopback)")
	flag.IntVar(&h.mailHTTPPort, "mailpit-port", 18292, "Mailpit's HTTP API port (loopback)")
	flag.DurationVar(&h.smtpOutage, "smtp-outage", time.Minute, "how long the SMTP server is down in drill f")
	only := flag.String("only", "abcdef", "drills to run")
	flag.Parse()

	h.secrets = map[string]string{}
	for _, k := range []string{"JWT_SECRET", "TOKEN_ENCRYPTION_KEY", "ADMIN_PASSWORD"} {
		if h.secrets[k] = os.Getenv(k); h.secrets[k] == "" {
			fmt.Fprintln(os.Stderr, "faults:", k, "must be set")
			os.Exit(2)
		}
	}
	if h.smtpOutage <= 0 {
		fmt.Fprintln(os.Stderr, "faults: -smtp-outage must be positive")
		os.Exit(2)
	}
	if h.adminURL == "" {
		fmt.Fprintln(os.Stderr, "faults: -admin-url is required")
		os.Exit(2)
	}
	if err := os.MkdirAll(h.logDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		os.Exit(2)
	}
	h.http = &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The whole run is bounded, whatever happens: ten minutes, and drill
	// f's outage on top.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute+h.smtpOutage)
	defer cancel()

	const drillLimit = 4 * time.Minute
	drills := []struct {
		id, name string
		run      func(context.Context) (string, error)
		limit    time.Duration
	}{
		{"a", "PostgreSQL stopped and restarted under load", h.drillDatabase, drillLimit},
		{"b", "server SIGKILLed mid-sync and restarted", h.drillKill, drillLimit},
		{"c", "Instagram down (503) for a minute", h.drillInstagramDown, drillLimit},
		{"d", "SIGTERM under load", h.drillSigterm, drillLimit},
		{"e", "two replicas, the one running a backfill SIGKILLed", h.drillReplicas, drillLimit},
		{"f", fmt.Sprintf("SMTP server down for %s during password resets", h.smtpOutage), h.drillSMTPDown, drillLimit + h.smtpOutage},
	}
	var lines []string
	failed := false
	for _, d := range drills {
		if !strings.Contains(*only, d.id) {
			continue
		}
		fmt.Printf("==> fault %s: %s\n", d.id, d.name)
		start := time.Now()
		dctx, dcancel := context.WithTimeout(ctx, d.limit)
		outcome, err := d.run(dctx)
		dcancel()
		verdict := "PASS"
		if err != nil {
			verdict, failed = "FAIL", true
			outcome = strings.TrimSpace(outcome + " — " + err.Error())
		}
		line := fmt.Sprintf("fault %s %s (%s, %.0f s): %s", d.id, verdict, d.name, time.Since(start).Seconds(), outcome)
		fmt.Println(line)
		lines = append(lines, line)
	}
	h.stopFake()
	fmt.Println("\nResults")
	for _, l := range lines {
		fmt.Println(l)
	}
	if failed {
		os.Exit(1)
	}
}

// database creates a fresh database on the cluster and returns its URL.
func (h *harness) database(ctx context.Context, name string) (string, error) {
	adb, err := sql.Open("postgres", h.adminURL)
	if err != nil {
		return "", err
	}
	defer adb.Close()
	db := fmt.Sprintf("faults_%s_%d", name, time.Now().Unix())
	if _, err := adb.ExecContext(ctx, `DROP DATABASE IF EXISTS `+db); err != nil {
		return "", err
	}
	if _, err := adb.ExecContext(ctx, `CREATE DATABASE `+db); err != nil {
		return "", err
	}
	u, err := url.Parse(h.adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + db
	return u.String(), nil
}

func (h *harness) base() string { return "http://127.0.0.1:" + strconv.Itoa(h.serverPort) }
func (h *harness) fakeBase() string {
	return "http://127.0.0.1:" + strconv.Itoa(h.fakePort)
}

// server is a running bin/server.
type server struct {
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// serverEnv is the environment of a server on dbURL, with extra settings.
func (h *harness) serverEnv(dbURL string, extra map[string]string) []string {
	env := map[string]string{
		"PATH": os.Getenv("PATH"), "HOME": os.Getenv("HOME"),
		"APP_ENV": "test", "PORT": strconv.Itoa(h.serverPort), "DATABASE_URL": dbURL,
		"PUBLIC_URL": h.base(), "FRONTEND_URL": h.base(), "TRUSTED_PROXIES": "127.0.0.1", "LOG_LEVEL": "info",
	}
	for k, v := range h.secrets {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// fakeEnv points the server at bin/fakeig.
func (h *harness) fakeEnv() map[string]string {
	return map[string]string{
		"INSTAGRAM_CLIENT_ID": "fakeig-client", "INSTAGRAM_CLIENT_SECRET": "fakeig-secret",
		"INSTAGRAM_REDIRECT_URI": h.base() + "/auth/instagram/callback",
		"INSTAGRAM_AUTH_URL":     h.fakeBase() + "/oauth/authorize",
		"INSTAGRAM_API_URL":      h.fakeBase(), "INSTAGRAM_GRAPH_URL": h.fakeBase(),
		"INSTAGRAM_MAX_POSTS": "10000",
	}
}

// startServer starts bin/server and waits until /health answers 200.
func (h *harness) startServer(ctx context.Context, name string, env []string) (*server, error) {
	logPath := filepath.Join(h.logDir, "server-"+name+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(h.serverBin)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan struct{}), log: logPath}
	go func() { cmd.Wait(); f.Close(); close(s.done) }() //nolint:errcheck // the state is read from cmd
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case <-s.done:
			return nil, fmt.Errorf("server exited at start (see %s)", logPath)
		default:
		}
		if st, _, err := h.get(ctx, "/health", ""); err == nil && st == http.StatusOK {
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.kill()
	return nil, fmt.Errorf("server not healthy within 20 s (see %s)", logPath)
}

// signal sends sig and waits up to 30 s for the exit; it returns the exit code.
func (s *server) signal(sig syscall.Signal) (int, time.Duration, error) {
	start := time.Now()
	if err := s.cmd.Process.Signal(sig); err != nil {
		return -1, 0, err
	}
	select {
	case <-s.done:
		return s.cmd.ProcessState.ExitCode(), time.Since(start), nil
	case <-time.After(30 * time.Second):
		s.kill()
		return -1, time.Since(start), errors.New("server did not exit within 30 s")
	}
}

func (s *server) kill() {
	s.cmd.Process.Kill() //nolint:errcheck
	<-s.done
}

// startFake starts bin/fakeig once.
func (h *harness) startFake(ctx context.Context) error {
	if h.fake != nil {
		return h.fakeControl(ctx, "up")
	}
	f, err := os.Create(filepath.Join(h.logDir, "fakeig.log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(h.fakeigBin, "-port", strconv.Itoa(h.fakePort),
		"-redirect-uri", h.base()+"/auth/instagram/callback", "-posts", "10000")
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		return err
	}
	h.fake = cmd
	for range 100 {
		if h.fakeControl(ctx, "up") == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("fakeig did not start")
}

func (h *harness) stopFake() {
	if h.fake != nil {
		h.fake.Process.Signal(syscall.SIGTERM) //nolint:errcheck
		h.fake.Wait()                          //nolint:errcheck
		h.fake = nil
	}
}

// fakeControl posts to the fake's control endpoint, e.g. "down", "up" or
// "slow?delay=40ms".
func (h *harness) fakeControl(ctx context.Context, what string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.fakeBase()+"/_control/"+what, nil)
	resp, err := h.http.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fakeig control %s: %d", what, resp.StatusCode)
	}
	return nil
}

// do sends a request to the server with an optional bearer token and JSON
// body, and returns the status and body.
func (h *harness) do(ctx context.Context, method, path, token string, body any, hdr map[string]string) (int, []byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = strings.NewReader(string(raw))
	}
	req, err := http.NewRequestWithContext(ctx, method, h.base()+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := h.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, resp.Header, err
}

func (h *harness) get(ctx context.Context, path, token string) (int, []byte, error) {
	st, raw, _, err := h.do(ctx, http.MethodGet, path, token, nil, nil)
	return st, raw, err
}

// register creates a user and returns its token.
func (h *harness) register(ctx context.Context, email string) (string, error) {
	return h.registerFrom(ctx, email, "")
}

// registerFrom is register from the client ip (X-Forwarded-For, which the
// server trusts from loopback), so that many users stay within the per-IP
// limit; empty: from loopback itself.
func (h *harness) registerFrom(ctx context.Context, email, ip string) (string, error) {
	var hdr map[string]string
	if ip != "" {
		hdr = map[string]string{"X-Forwarded-For": ip}
	}
	st, raw, _, err := h.do(ctx, http.MethodPost, "/api/auth/register", "", map[string]string{"email": email, "password": "fault-drill-password"}, hdr)
	if err != nil || st != http.StatusCreated {
		return "", fmt.Errorf("register: %d %s %v", st, raw, err)
	}
	var out struct{ Token string }
	return out.Token, json.Unmarshal(raw, &out)
}

var (
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	optionRE = regexp.MustCompile(`<option value="([^"]+)">`)
)

// connect links the fake's account igUserID to the user through the whole
// OAuth flow, as a browser would.
func (h *harness) connect(ctx context.Context, token, igUserID string) error {
	st, raw, _, err := h.do(ctx, http.MethodGet, "/api/instagram/connect", token, nil, nil)
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("connect: %d %s %v", st, raw, err)
	}
	var c struct{ URL string }
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	// The start page sets the binding cookie and redirects to Instagram.
	start, err := h.http.Get(c.URL)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	start.Body.Close()
	if start.StatusCode != http.StatusFound {
		return fmt.Errorf("start: status %d", start.StatusCode)
	}
	c.URL = start.Header.Get("Location")
	var cookie *http.Cookie
	for _, ck := range start.Cookies() {
		if ck.Name == "cgt_oauth_state" {
			cookie = ck
		}
	}
	page, err := h.http.Get(c.URL)
	if err != nil {
		return fmt.Errorf("consent page: %w", err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	form := url.Values{}
	for _, m := range hiddenRE.FindAllSubmatch(body, -1) {
		form.Set(string(m[1]), html.UnescapeString(string(m[2])))
	}
	if !strings.Contains(string(body), `<option value="`+igUserID+`">`) && len(optionRE.FindAll(body, -1)) == 0 {
		return fmt.Errorf("consent page offers no account %s: %d", igUserID, page.StatusCode)
	}
	form.Set("action", "allow")
	form.Set("account", igUserID)
	resp, err := h.http.PostForm(c.URL, form)
	if err != nil {
		return fmt.Errorf("consent: %w", err)
	}
	resp.Body.Close()
	loc, _, _ := strings.Cut(resp.Header.Get("Location"), "#")
	if resp.StatusCode != http.StatusFound || loc == "" {
		return fmt.Errorf("consent: status %d", resp.StatusCode)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if cookie != nil {
		req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	}
	cb, err := h.http.Do(req)
	if err != nil {
		return fmt.Errorf("callback: %w", err)
	}
	cb.Body.Close()
	if got := cb.Header.Get("Location"); !strings.Contains(got, "instagram=connected") {
		return fmt.Errorf("callback redirected to %q", got)
	}
	return nil
}

// syncStatus is GET /api/instagram/sync.
type syncStatus struct {
	State        string  `json:"state"`
	PostsFetched int     `json:"posts_fetched"`
	LastSyncedAt *string `json:"last_synced_at"`
	Error        *string `json:"error"`
}

func (h *harness) syncStatus(ctx context.Context, token string) (syncStatus, error) {
	var s syncStatus
	st, raw, err := h.get(ctx, "/api/instagram/sync", token)
	if err != nil {
		return s, err
	}
	if st != http.StatusOK {
		return s, fmt.Errorf("sync status: %d %s", st, raw)
	}
	return s, json.Unmarshal(raw, &s)
}

// waitFor polls cond every interval until it is true, ctx ends or limit
// passes.
func waitFor(ctx context.Context, limit, interval time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %s", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// healthProbe polls /health and records each answer.
type healthProbe struct {
	mu      sync.Mutex
	samples []healthSample
}

type healthSample struct {
	at     time.Time
	status int // 0: connection error
	body   string
}

// run polls every interval until ctx ends.
func (p *healthProbe) run(ctx context.Context, h *harness, interval time.Duration) {
	c := &http.Client{Timeout: 3 * time.Second}
	for ctx.Err() == nil {
		at := time.Now()
		s := healthSample{at: at}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.base()+"/health", nil)
		if resp, err := c.Do(req); err == nil {
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			s.status, s.body = resp.StatusCode, strings.TrimSpace(string(raw))
		}
		if ctx.Err() != nil {
			return
		}
		p.mu.Lock()
		p.samples = append(p.samples, s)
		p.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-time.After(interval):
		}
	}
}

// first returns the first sample taken at or after t with the status.
func (p *healthProbe) first(t time.Time, status int) (healthSample, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.samples {
		if !s.at.Before(t) && s.status == status {
			return s, true
		}
	}
	return healthSample{}, false
}

// counts returns how many samples had each status.
func (p *healthProbe) counts() map[int]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[int]int{}
	for _, s := range p.samples {
		out[s.status]++
	}
	return out
}

func forwardedIP(a, b int) string { return fmt.Sprintf("10.%d.%d.%d", 200+a%50, (b>>8)&255, b&255) }

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

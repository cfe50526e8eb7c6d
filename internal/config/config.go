// Package config reads the server's configuration from the environment and
// validates it once, at start-up.
package config

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/instagram"
)

// Environments.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
	EnvTest        = "test"
)

// MaxJobWorkers bounds JOB_WORKERS: each worker may hold one of a
// replica's 25 database connections, and a heartbeat another.
const MaxJobWorkers = 16

// Config is the whole configuration of the server.
type Config struct {
	Port               int
	Env                string
	DatabaseURL        string
	JWTSecret          []byte
	TokenEncryptionKey []byte // 32 bytes: the key that encrypts
	// TokenEncryptionKeys are every key of TOKEN_ENCRYPTION_KEY, the
	// encrypting one first; each of them decrypts, so that a key can be
	// rotated (see cmd/rekey).
	TokenEncryptionKeys [][]byte
	FrontendURL         string
	// PublicURL is where this server is reached from a browser; the sandbox
	// and the default OAuth redirect URI are built from it.
	PublicURL      string
	AllowedOrigins []string
	AdminPassword  string
	RedisURL       string
	TrustedProxies []string
	MetricsToken   string
	LogLevel       string
	// JobLease and JobBackoff override the worker pool's claim lease and
	// first retry delay (JOB_LEASE, JOB_BACKOFF); zero keeps the pool's
	// defaults (20 s, renewed while the job runs, and 30 s). Meant for tests
	// and fault drills.
	JobLease, JobBackoff time.Duration
	// JobWorkers is how many jobs each replica runs at once (JOB_WORKERS,
	// 1 to MaxJobWorkers; zero keeps the pool's default of 2). Jobs mostly wait on
	// Instagram, so more workers sync more accounts a minute; each holds
	// one database connection while it runs.
	JobWorkers int
	// SMTPURL is the mail server (SMTP_URL: smtp://user:pass@host:port,
	// STARTTLS when offered, or smtps://… for implicit TLS); empty: mail
	// features are unavailable.
	SMTPURL string
	// MailFrom is the sender of every mail (MAIL_FROM).
	MailFrom string
	// StatsCacheSize is how many growth reports each replica keeps for
	// reuse while their data and windows hold, and as many recommendations
	// and forecasts (STATS_CACHE_SIZE, default growth.DefaultCacheSize; 0
	// computes every report).
	StatsCacheSize int

	Instagram Instagram

	// Warnings are settings that work but should be fixed; the server logs
	// them at start-up.
	Warnings []string
}

// Instagram is the Instagram app and the hosts it is reached on.
type Instagram struct {
	ClientID     string
	ClientSecret string
	RedirectURI  string
	AuthURL      string
	APIURL       string
	GraphURL     string
	MaxPosts     int
	// Sandbox is true when no client id is configured: the server then
	// serves its own fake Instagram and points its client at it.
	Sandbox bool
}

// Production reports whether the server runs with production rules.
func (c *Config) Production() bool { return c.Env == EnvProduction }

// Load reads the configuration through getenv and validates it. Every
// problem found is reported, one per line, in the returned error.
func Load(getenv func(string) string) (*Config, error) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}

	c := &Config{
		Env:           get("APP_ENV", EnvDevelopment),
		DatabaseURL:   get("DATABASE_URL", ""),
		JWTSecret:     []byte(get("JWT_SECRET", "")),
		FrontendURL:   strings.TrimRight(get("FRONTEND_URL", "http://localhost:5173"), "/"),
		AdminPassword: getenv("ADMIN_PASSWORD"),
		RedisURL:      get("REDIS_URL", ""),
		MetricsToken:  get("METRICS_TOKEN", ""),
		LogLevel:      get("LOG_LEVEL", "info"),
	}

	port, err := strconv.Atoi(get("PORT", "8080"))
	if err != nil || port < 1 || port > 65535 {
		bad("PORT must be a port number between 1 and 65535")
	}
	c.Port = port
	c.PublicURL = strings.TrimRight(get("PUBLIC_URL", "http://localhost:"+strconv.Itoa(port)), "/")
	if u, err := url.Parse(c.PublicURL); err != nil || u.Scheme == "" || u.Host == "" {
		bad("PUBLIC_URL must be an absolute URL like https://growth.example.com")
	}

	switch c.Env {
	case EnvDevelopment, EnvProduction, EnvTest:
	default:
		bad("APP_ENV must be one of development, production, test (got %q)", c.Env)
	}
	if c.DatabaseURL == "" {
		bad("DATABASE_URL is required (a PostgreSQL URL)")
	}
	switch {
	case len(c.JWTSecret) == 0 && c.Production():
		bad("JWT_SECRET is required in production (32 bytes or more)")
	case len(c.JWTSecret) == 0:
		// Development without a secret still runs; logins end with the process.
		c.JWTSecret = make([]byte, 32)
		rand.Read(c.JWTSecret) //nolint:errcheck // crypto/rand never fails
		c.Warnings = append(c.Warnings, "JWT_SECRET is unset: using a random one, so logins end when the server stops")
	case c.Production() && len(c.JWTSecret) < 32:
		bad("JWT_SECRET must be at least 32 bytes in production")
	}

	if raw := get("TOKEN_ENCRYPTION_KEY", ""); raw != "" {
		for i, part := range strings.Split(raw, ",") {
			key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(part))
			if err != nil || len(key) != 32 {
				bad("TOKEN_ENCRYPTION_KEY key %d must be 32 bytes, base64-encoded (openssl rand -base64 32); several keys are comma separated, the first encrypts", i+1)
				continue
			}
			c.TokenEncryptionKeys = append(c.TokenEncryptionKeys, key)
		}
		if len(c.TokenEncryptionKeys) > 0 {
			c.TokenEncryptionKey = c.TokenEncryptionKeys[0]
		}
	} else if c.Production() {
		bad("TOKEN_ENCRYPTION_KEY is required in production (openssl rand -base64 32)")
	} else {
		// Development: a key derived from the JWT secret keeps stored tokens
		// readable across restarts without another setting.
		sum := sha256.Sum256(append([]byte("creator-growth-tool/token-encryption/"), c.JWTSecret...))
		c.TokenEncryptionKey = sum[:]
		c.TokenEncryptionKeys = [][]byte{sum[:]}
		c.Warnings = append(c.Warnings, "TOKEN_ENCRYPTION_KEY is unset: deriving one from JWT_SECRET (development only)")
	}

	if u, err := url.Parse(c.FrontendURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("FRONTEND_URL must be an absolute URL like https://app.example.com")
	}
	c.AllowedOrigins = splitList(get("ALLOWED_ORIGINS", c.FrontendURL))
	for _, o := range c.AllowedOrigins {
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" {
			bad("ALLOWED_ORIGINS entry %q is not an origin like https://app.example.com", o)
		}
	}
	c.TrustedProxies = splitList(get("TRUSTED_PROXIES", ""))
	for _, p := range c.TrustedProxies {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				bad("TRUSTED_PROXIES entry %q is not an IP address or a CIDR like 10.0.0.0/8", p)
				continue
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		if prefix.Bits() == 0 && c.Production() {
			bad("TRUSTED_PROXIES must not hold %s in production: every client could then name its own address", p)
		}
	}
	if c.Production() {
		// Links in mails, the OAuth redirects and the origin checks are
		// built from these: a default would point at localhost.
		for _, key := range []string{"FRONTEND_URL", "PUBLIC_URL"} {
			if strings.TrimSpace(getenv(key)) == "" {
				bad("%s is required in production", key)
			}
		}
	}
	for _, d := range []struct {
		key string
		min time.Duration
		dst *time.Duration
	}{{"JOB_LEASE", time.Second, &c.JobLease}, {"JOB_BACKOFF", 10 * time.Millisecond, &c.JobBackoff}} {
		if raw := get(d.key, ""); raw != "" {
			v, err := time.ParseDuration(raw)
			if err != nil || v < d.min || v > time.Hour {
				bad("%s must be a duration between %s and 1h, like 30s", d.key, d.min)
			}
			*d.dst = v
		}
	}

	if raw := get("JOB_WORKERS", ""); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > MaxJobWorkers {
			bad("JOB_WORKERS must be a number from 1 to %d", MaxJobWorkers)
		}
		c.JobWorkers = n
	}

	c.SMTPURL = get("SMTP_URL", "")
	if c.SMTPURL != "" {
		// Never echo the URL: it may hold the SMTP password.
		u, err := url.Parse(c.SMTPURL)
		switch {
		case err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "":
			bad("SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
		case u.Port() != "":
			if p, err := strconv.Atoi(u.Port()); err != nil || p < 1 || p > 65535 {
				bad("SMTP_URL has a bad port")
			}
		}
	} else if c.Production() {
		c.Warnings = append(c.Warnings, "SMTP_URL is unset: verification, password reset and digest mail are unavailable")
	}
	c.MailFrom = get("MAIL_FROM", "Creator Growth Tool <no-reply@localhost>")
	if a, err := mail.ParseAddress(c.MailFrom); err != nil || strings.ContainsAny(c.MailFrom, "\r\n") || a.Address == "" {
		bad("MAIL_FROM must be an address like Creator Growth Tool <no-reply@example.com>")
	}

	cacheSize, err := strconv.Atoi(get("STATS_CACHE_SIZE", strconv.Itoa(growth.DefaultCacheSize)))
	if err != nil || cacheSize < 0 || cacheSize > 1_000_000 {
		bad("STATS_CACHE_SIZE must be a number from 0 to 1000000")
	}
	c.StatsCacheSize = cacheSize

	ig := Instagram{
		ClientID:     get("INSTAGRAM_CLIENT_ID", ""),
		ClientSecret: get("INSTAGRAM_CLIENT_SECRET", ""),
		RedirectURI:  get("INSTAGRAM_REDIRECT_URI", ""),
		AuthURL:      get("INSTAGRAM_AUTH_URL", instagram.DefaultAuthURL),
		APIURL:       strings.TrimRight(get("INSTAGRAM_API_URL", instagram.DefaultAPIURL), "/"),
		GraphURL:     strings.TrimRight(get("INSTAGRAM_GRAPH_URL", instagram.DefaultGraphURL), "/"),
	}
	maxPosts, err := strconv.Atoi(get("INSTAGRAM_MAX_POSTS", "1000"))
	if err != nil || maxPosts < 1 || maxPosts > 10000 {
		bad("INSTAGRAM_MAX_POSTS must be a number from 1 to 10000")
	}
	ig.MaxPosts = maxPosts
	if ig.ClientID == "" {
		ig.Sandbox = true
		if ig.RedirectURI == "" {
			ig.RedirectURI = c.PublicURL + "/auth/instagram/callback"
		}
		if c.Production() {
			bad("INSTAGRAM_CLIENT_ID is required in production (the Instagram sandbox is for development only)")
		}
	} else {
		if ig.ClientSecret == "" {
			bad("INSTAGRAM_CLIENT_SECRET is required when INSTAGRAM_CLIENT_ID is set")
		}
		if ig.RedirectURI == "" {
			bad("INSTAGRAM_REDIRECT_URI is required when INSTAGRAM_CLIENT_ID is set")
		}
	}
	c.Instagram = ig

	if c.Production() && c.AdminPassword != "" && len(c.AdminPassword) < 12 {
		bad("ADMIN_PASSWORD must be at least 12 characters in production")
	}

	if len(problems) > 0 {
		return nil, errors.New("invalid configuration:\n  - " + strings.Join(problems, "\n  - "))
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimRight(strings.TrimSpace(p), "/"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

package config_test

import (
	"bytes"
	"maps"
	"strings"
	"testing"

	"creatorgrowth/internal/config"
)

// key32 and other32 are 32 bytes, base64.
const (
	key32   = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	other32 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="
)

func getenv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// with returns base with the changes; an empty value removes a key.
func with(base map[string]string, changes ...string) map[string]string {
	env := maps.Clone(base)
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			delete(env, changes[i])
		} else {
			env[changes[i]] = changes[i+1]
		}
	}
	return env
}

var (
	development = map[string]string{
		"DATABASE_URL":         "postgres://localhost/creator_growth",
		"JWT_SECRET":           "dev-secret",
		"TOKEN_ENCRYPTION_KEY": key32,
	}
	production = map[string]string{
		"APP_ENV":                 "production",
		"DATABASE_URL":            "postgres://db.internal/creator_growth?sslmode=require",
		"JWT_SECRET":              strings.Repeat("s", 32),
		"TOKEN_ENCRYPTION_KEY":    key32,
		"PUBLIC_URL":              "https://growth.example.com",
		"FRONTEND_URL":            "https://growth.example.com/",
		"INSTAGRAM_CLIENT_ID":     "1234",
		"INSTAGRAM_CLIENT_SECRET": "app-secret",
		"INSTAGRAM_REDIRECT_URI":  "https://growth.example.com/auth/instagram/callback",
		"ADMIN_PASSWORD":          "a-long-admin-password",
	}
)

func TestLoad(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, err := config.Load(getenv(development))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got, want := c.Port, 8080; got != want {
			t.Errorf("Port = %d, want %d", got, want)
		}
		if got, want := c.Env, config.EnvDevelopment; got != want || c.Production() {
			t.Errorf("Env = %q, want %q", got, want)
		}
		if got, want := c.FrontendURL, "http://localhost:5173"; got != want {
			t.Errorf("FrontendURL = %q, want %q", got, want)
		}
		if got, want := strings.Join(c.AllowedOrigins, ","), "http://localhost:5173"; got != want {
			t.Errorf("AllowedOrigins = %q, want %q", got, want)
		}
		if got, want := len(c.TokenEncryptionKey), 32; got != want {
			t.Errorf("TokenEncryptionKey is %d bytes, want %d", got, want)
		}
		if got, want := string(c.JWTSecret), "dev-secret"; got != want {
			t.Errorf("JWTSecret = %q, want %q", got, want)
		}
		if c.AdminPassword != "" {
			t.Errorf("AdminPassword = %q, want none", c.AdminPassword)
		}
		ig := c.Instagram
		if !ig.Sandbox {
			t.Errorf("Instagram.Sandbox = false without a client id")
		}
		if got, want := ig.RedirectURI, "http://localhost:8080/auth/instagram/callback"; got != want {
			t.Errorf("Instagram.RedirectURI = %q, want %q", got, want)
		}
		if got, want := ig.AuthURL, "https://www.instagram.com/oauth/authorize"; got != want {
			t.Errorf("Instagram.AuthURL = %q, want %q", got, want)
		}
		if got, want := ig.APIURL, "https://api.instagram.com"; got != want {
			t.Errorf("Instagram.APIURL = %q, want %q", got, want)
		}
		if got, want := ig.GraphURL, "https://graph.instagram.com"; got != want {
			t.Errorf("Instagram.GraphURL = %q, want %q", got, want)
		}
		if got, want := ig.MaxPosts, 1000; got != want {
			t.Errorf("Instagram.MaxPosts = %d, want %d", got, want)
		}
		if got, want := c.StatsCacheSize, 4096; got != want {
			t.Errorf("StatsCacheSize = %d, want %d", got, want)
		}
		if got, want := c.JobWorkers, 0; got != want {
			t.Errorf("JobWorkers = %d, want %d (the pool's default)", got, want)
		}
		if c.SMTPURL != "" {
			t.Errorf("SMTPURL = %q, want none", c.SMTPURL)
		}
		if got, want := c.MailFrom, "Creator Growth Tool <no-reply@localhost>"; got != want {
			t.Errorf("MailFrom = %q, want %q", got, want)
		}
	})

	t.Run("JobWorkers", func(t *testing.T) {
		c, err := config.Load(getenv(with(development, "JOB_WORKERS", "12")))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got, want := c.JobWorkers, 12; got != want {
			t.Errorf("JobWorkers = %d, want %d", got, want)
		}
	})

	t.Run("Mail", func(t *testing.T) {
		c, err := config.Load(getenv(with(production, "SMTP_URL", "smtps://mailer:pw@smtp.example.com:465", "MAIL_FROM", "Growth <hello@growth.example.com>")))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got, want := c.SMTPURL, "smtps://mailer:pw@smtp.example.com:465"; got != want {
			t.Errorf("SMTPURL = %q, want %q", got, want)
		}
		if got, want := c.MailFrom, "Growth <hello@growth.example.com>"; got != want {
			t.Errorf("MailFrom = %q, want %q", got, want)
		}
		for _, w := range c.Warnings {
			if strings.Contains(w, "SMTP_URL") {
				t.Errorf("warning %q with SMTP_URL set", w)
			}
		}
		c, err = config.Load(getenv(production))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if !strings.Contains(strings.Join(c.Warnings, "\n"), "SMTP_URL") {
			t.Errorf("no warning for production without SMTP_URL: %q", c.Warnings)
		}
	})

	t.Run("Production", func(t *testing.T) {
		c, err := config.Load(getenv(with(production, "PORT", " 9000 ", "ALLOWED_ORIGINS", "https://a.example.com/, https://b.example.com")))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if !c.Production() || c.Instagram.Sandbox {
			t.Errorf("Production() = %v, Sandbox = %v, want true, false", c.Production(), c.Instagram.Sandbox)
		}
		if got, want := c.Port, 9000; got != want {
			t.Errorf("Port = %d, want %d", got, want)
		}
		if got, want := c.FrontendURL, "https://growth.example.com"; got != want {
			t.Errorf("FrontendURL = %q, want %q", got, want)
		}
		if got, want := strings.Join(c.AllowedOrigins, ","), "https://a.example.com,https://b.example.com"; got != want {
			t.Errorf("AllowedOrigins = %q, want %q", got, want)
		}
		if got, want := string(c.TokenEncryptionKey), "0123456789abcdef0123456789abcdef"; got != want {
			t.Errorf("TokenEncryptionKey = %q, want %q", got, want)
		}
	})

	t.Run("TrustedProxies", func(t *testing.T) {
		c, err := config.Load(getenv(with(development, "TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got, want := strings.Join(c.TrustedProxies, ","), "10.0.0.1,192.168.0.0/16"; got != want {
			t.Errorf("TrustedProxies = %q, want %q", got, want)
		}
	})

	t.Run("TrustedProxiesProduction", func(t *testing.T) {
		// Railway's edge and other platforms' proxies are named by their
		// private range; that is allowed, everything is not.
		c, err := config.Load(getenv(with(production, "TRUSTED_PROXIES", "100.64.0.0/10,fd00::/8")))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got, want := strings.Join(c.TrustedProxies, ","), "100.64.0.0/10,fd00::/8"; got != want {
			t.Errorf("TrustedProxies = %q, want %q", got, want)
		}
		if _, err := config.Load(getenv(with(development, "TRUSTED_PROXIES", "0.0.0.0/0"))); err != nil {
			t.Errorf("development with 0.0.0.0/0: %v, want it allowed", err)
		}
	})

	t.Run("EncryptionKeys", func(t *testing.T) {
		c, err := config.Load(getenv(with(production, "TOKEN_ENCRYPTION_KEY", other32+", "+key32)))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got, want := len(c.TokenEncryptionKeys), 2; got != want {
			t.Fatalf("TokenEncryptionKeys = %d keys, want %d", got, want)
		}
		if got, want := string(c.TokenEncryptionKey), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"; got != want || string(c.TokenEncryptionKeys[0]) != want {
			t.Errorf("encrypting key = %q, want the first, %q", got, want)
		}
		if got, want := string(c.TokenEncryptionKeys[1]), "0123456789abcdef0123456789abcdef"; got != want {
			t.Errorf("second key = %q, want %q", got, want)
		}
		dev, err := config.Load(getenv(with(development, "TOKEN_ENCRYPTION_KEY", "")))
		if err != nil || len(dev.TokenEncryptionKeys) != 1 || string(dev.TokenEncryptionKeys[0]) != string(dev.TokenEncryptionKey) {
			t.Errorf("development without a key: %v, keys %d, want the derived one", err, len(dev.TokenEncryptionKeys))
		}
	})

	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string // each must appear in the error
	}{
		{"ErrProductionTrustAll4", with(production, "TRUSTED_PROXIES", "10.0.0.1,0.0.0.0/0"), []string{"TRUSTED_PROXIES", "0.0.0.0/0"}},
		{"ErrProductionTrustAll6", with(production, "TRUSTED_PROXIES", "::/0"), []string{"TRUSTED_PROXIES", "::/0"}},
		{"ErrTrustedProxyNotCIDR", with(development, "TRUSTED_PROXIES", "proxy.internal"), []string{"TRUSTED_PROXIES", "proxy.internal"}},
		{"ErrProductionNoFrontendURL", with(production, "FRONTEND_URL", ""), []string{"FRONTEND_URL", "required in production"}},
		{"ErrProductionNoPublicURL", with(production, "PUBLIC_URL", ""), []string{"PUBLIC_URL", "required in production"}},
		{"ErrSecondKeyBad", with(development, "TOKEN_ENCRYPTION_KEY", key32+",short"), []string{"TOKEN_ENCRYPTION_KEY", "key 2"}},
		{"ErrNoDatabaseURL", with(development, "DATABASE_URL", ""), []string{"DATABASE_URL"}},
		{"ErrBlankDatabaseURL", with(development, "DATABASE_URL", "   "), []string{"DATABASE_URL"}},
		{"ErrProductionShortSecret", with(production, "JWT_SECRET", strings.Repeat("s", 31)), []string{"JWT_SECRET", "32 bytes"}},
		{"ErrProductionNoSecret", with(production, "JWT_SECRET", ""), []string{"JWT_SECRET"}},
		{"ErrProductionNoEncryptionKey", with(production, "TOKEN_ENCRYPTION_KEY", ""), []string{"TOKEN_ENCRYPTION_KEY"}},
		{"ErrProductionSandbox", with(production, "INSTAGRAM_CLIENT_ID", ""), []string{"INSTAGRAM_CLIENT_ID", "sandbox"}},
		{"ErrProductionShortAdminPassword", with(production, "ADMIN_PASSWORD", "short"), []string{"ADMIN_PASSWORD"}},
		{"ErrKeyTooShort", with(development, "TOKEN_ENCRYPTION_KEY", "MDEyMzQ1Njc4OWFiY2RlZg=="), []string{"TOKEN_ENCRYPTION_KEY", "32 bytes"}},
		{"ErrKeyTooLong", with(development, "TOKEN_ENCRYPTION_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYw"), []string{"TOKEN_ENCRYPTION_KEY"}},
		{"ErrKeyNotBase64", with(development, "TOKEN_ENCRYPTION_KEY", strings.Repeat("!", 44)), []string{"TOKEN_ENCRYPTION_KEY"}},
		{"ErrPortText", with(development, "PORT", "http"), []string{"PORT"}},
		{"ErrPortZero", with(development, "PORT", "0"), []string{"PORT"}},
		{"ErrPortTooHigh", with(development, "PORT", "65536"), []string{"PORT"}},
		{"ErrPortNegative", with(development, "PORT", "-1"), []string{"PORT"}},
		{"ErrEnv", with(development, "APP_ENV", "prod"), []string{"APP_ENV", `"prod"`}},
		{"ErrFrontendURLNoScheme", with(development, "FRONTEND_URL", "localhost:5173", "ALLOWED_ORIGINS", "http://localhost:5173"), []string{"FRONTEND_URL"}},
		{"ErrFrontendURLHostOnly", with(development, "FRONTEND_URL", "app.example.com", "ALLOWED_ORIGINS", "https://app.example.com"), []string{"FRONTEND_URL"}},
		{"ErrFrontendURLScheme", with(development, "FRONTEND_URL", "javascript:alert(1)", "ALLOWED_ORIGINS", "https://app.example.com"), []string{"FRONTEND_URL"}},
		{"ErrAllowedOrigin", with(development, "ALLOWED_ORIGINS", "https://ok.example.com,*"), []string{"ALLOWED_ORIGINS", `"*"`}},
		{"ErrMaxPosts", with(development, "INSTAGRAM_MAX_POSTS", "10001"), []string{"INSTAGRAM_MAX_POSTS"}},
		{"ErrStatsCacheSizeNegative", with(development, "STATS_CACHE_SIZE", "-1"), []string{"STATS_CACHE_SIZE"}},
		{"ErrStatsCacheSizeText", with(development, "STATS_CACHE_SIZE", "lots"), []string{"STATS_CACHE_SIZE"}},
		{"ErrJobWorkersZero", with(development, "JOB_WORKERS", "0"), []string{"JOB_WORKERS"}},
		{"ErrJobWorkersTooMany", with(development, "JOB_WORKERS", "17"), []string{"JOB_WORKERS"}},
		{"ErrJobWorkersText", with(development, "JOB_WORKERS", "many"), []string{"JOB_WORKERS"}},
		{"ErrSMTPURLScheme", with(development, "SMTP_URL", "http://mailer:hunter22@smtp.example.com"), []string{"SMTP_URL"}},
		{"ErrSMTPURLNoHost", with(development, "SMTP_URL", "smtp://mailer:hunter22@:25"), []string{"SMTP_URL"}},
		{"ErrSMTPURLPort", with(development, "SMTP_URL", "smtp://mailer:hunter22@smtp.example.com:70000"), []string{"SMTP_URL"}},
		{"ErrMailFrom", with(development, "MAIL_FROM", "no address here"), []string{"MAIL_FROM"}},
		{"ErrClientIDWithoutSecret", with(production, "INSTAGRAM_CLIENT_SECRET", ""), []string{"INSTAGRAM_CLIENT_SECRET"}},
		{"ErrClientIDWithoutRedirect", with(production, "INSTAGRAM_REDIRECT_URI", ""), []string{"INSTAGRAM_REDIRECT_URI"}},
		{
			"ErrEveryProblemListed",
			map[string]string{"APP_ENV": "production", "JWT_SECRET": "short", "PORT": "x"},
			[]string{"DATABASE_URL", "JWT_SECRET", "TOKEN_ENCRYPTION_KEY", "INSTAGRAM_CLIENT_ID", "PORT"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(getenv(tc.env))
			if err == nil {
				t.Fatalf("Load = %+v, nil error; want one naming %v", c, tc.want)
			}
			if c != nil {
				t.Errorf("Load returned a config with its error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
			if got, want := strings.Count(err.Error(), "\n  - "), len(tc.want); tc.name == "ErrEveryProblemListed" && got < want {
				t.Errorf("error lists %d problems, want at least %d:\n%s", got, want, err)
			}
			// The error never echoes a secret.
			for _, k := range []string{"JWT_SECRET", "TOKEN_ENCRYPTION_KEY", "ADMIN_PASSWORD", "INSTAGRAM_CLIENT_SECRET", "SMTP_URL"} {
				if v := tc.env[k]; len(v) >= 5 && bytes.Contains([]byte(err.Error()), []byte(v)) {
					t.Errorf("error echoes %s: %q", k, err)
				}
			}
		})
	}
}

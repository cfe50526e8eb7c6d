// Package httpapi is the HTTP layer: the router, its middleware, the
// mapping of application errors to statuses, and one file of handlers per
// resource.
package httpapi

import (
	"database/sql"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ulule/limiter/v3"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/audience"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/config"
	"creatorgrowth/internal/digest"
	"creatorgrowth/internal/events"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/guidance"
	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/waitlist"
)

// Deps is what the router needs. internal/app builds it, once; every
// field is required except SPA and Sandbox.
type Deps struct {
	Config *config.Config
	DB     *sql.DB
	Logger *slog.Logger
	// Now is the clock of the growth reports.
	Now        func() time.Time
	Auth       *auth.Service
	Tokens     *auth.Tokens
	Waitlist   *waitlist.Service
	Accounts   *postgres.Accounts
	Posts      *postgres.Posts
	ShareLinks *postgres.ShareLinks
	Growth     *growth.Service
	Audience   *audience.Service
	Guidance   *guidance.Service
	Goals      *guidance.Goals
	Instagram  *igsync.Service
	// Digest unsubscribes and queues the weekly digests.
	Digest *digest.Service
	// MailOn is whether mail can be sent (SMTP_URL is set).
	MailOn bool
	// Events is the hub of GET /api/events.
	Events       *events.Hub
	LimiterStore limiter.Store
	Limits       Limits
	// UserTokens stores the single-use tickets that start an Instagram
	// connection; nil uses a store on DB.
	UserTokens *postgres.UserTokens
	// LimiterFailed, when set, is told of every rate-limit store failure
	// (metrics), with the limit's name.
	LimiterFailed func(limit string)

	// SPA is the built web app (index.html at its root); nil serves a
	// short page that says how to build it.
	SPA fs.FS
	// Sandbox is the fake Instagram, mounted at SandboxPrefix when set.
	Sandbox http.Handler
	// Observe is told of every request (metrics): the route template
	// ("unmatched" when none), the method, the status and the time.
	Observe func(route, method string, status int, d time.Duration)
	// Metrics serves GET /metrics behind METRICS_TOKEN (see metricsRoute).
	Metrics http.Handler
}

// SandboxPrefix is where the built-in Instagram sandbox is served.
const SandboxPrefix = "/sandbox/instagram"

type api struct {
	cfg      *config.Config
	db       *sql.DB
	logger   *slog.Logger
	now      func() time.Time
	auth     *auth.Service
	tokens   *auth.Tokens
	waitlist *waitlist.Service
	accounts *postgres.Accounts
	posts    *postgres.Posts
	shares   *postgres.ShareLinks
	growth   *growth.Service
	audience *audience.Service
	guidance *guidance.Service
	goals    *guidance.Goals
	igsync   *igsync.Service
	hub      *events.Hub
	digest   *digest.Service
	mailOn   bool
	probe    *dbProbe

	userTokens *postgres.UserTokens

	loginLimit    *rateLimiter
	loginFailures *rateLimiter
	registerLimit *rateLimiter
	resetLimit    *rateLimiter
	waitlistLimit *rateLimiter
	adminFailures *rateLimiter
	publicReports *rateLimiter
	publicPages   *rateLimiter
}

// NewRouter returns the server's whole HTTP handler.
func NewRouter(d Deps) (http.Handler, error) {
	a := &api{
		cfg:      d.Config,
		db:       d.DB,
		logger:   d.Logger,
		now:      d.Now,
		auth:     d.Auth,
		tokens:   d.Tokens,
		waitlist: d.Waitlist,
		accounts: d.Accounts,
		posts:    d.Posts,
		shares:   d.ShareLinks,
		growth:   d.Growth,
		audience: d.Audience,
		guidance: d.Guidance,
		goals:    d.Goals,
		igsync:   d.Instagram,
		hub:      d.Events,
		digest:   d.Digest,
		mailOn:   d.MailOn,
		probe:    &dbProbe{db: d.DB},

		userTokens: d.UserTokens,

		// The limits in front of a password check refuse while their store
		// fails: unlimited guesses are worse than a short outage.
		loginLimit:    newRateLimiter("login", d.LimiterStore, d.Limits.Login, d.Logger).guarding(d.LimiterFailed),
		loginFailures: newRateLimiter("login_failures", d.LimiterStore, d.Limits.LoginFailures, d.Logger).guarding(d.LimiterFailed),
		adminFailures: newRateLimiter("admin", d.LimiterStore, d.Limits.AdminFailed, d.Logger).guarding(d.LimiterFailed),
		registerLimit: newRateLimiter("register", d.LimiterStore, d.Limits.Register, d.Logger),
		resetLimit:    newRateLimiter("password_reset", d.LimiterStore, d.Limits.PasswordReset, d.Logger),
		waitlistLimit: newRateLimiter("waitlist", d.LimiterStore, d.Limits.Waitlist, d.Logger),
		publicReports: newRateLimiter("public-report", d.LimiterStore, d.Limits.PublicReport, d.Logger),
		publicPages:   newRateLimiter("public-page", d.LimiterStore, d.Limits.PublicReport, d.Logger),
	}
	if a.userTokens == nil {
		a.userTokens = postgres.NewUserTokens(d.DB)
	}
	for _, l := range []*rateLimiter{a.registerLimit, a.resetLimit, a.waitlistLimit, a.publicReports, a.publicPages} {
		l.onStoreError = d.LimiterFailed
	}

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// Only the configured proxies may name the client IP; with none, the
	// peer address is the client, whatever X-Forwarded-For says.
	if err := r.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, err
	}
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false

	r.Use(withRequestID(), recoverer(d.Logger), accessLog(d.Logger, d.Observe),
		securityHeaders(d.Config.Production()), cors(d.Config.AllowedOrigins), limitBody())

	r.GET(healthRoute, a.health)
	r.HEAD(healthRoute, a.health)
	openAPI, err := newOpenAPIHandler()
	if err != nil {
		return nil, err
	}
	r.GET("/api/openapi.json", openAPI)
	a.metricsRoute(r, d.Metrics)

	apiGroup := r.Group("/api", noStore)

	apiGroup.POST("/auth/register", a.registerLimit.middleware(), a.register)
	apiGroup.POST("/auth/login", a.loginLimit.middleware(), a.login)
	apiGroup.POST("/auth/verify-email", a.verifyEmail)
	apiGroup.POST("/auth/password-reset", a.resetLimit.middleware(), a.passwordReset)
	apiGroup.POST("/auth/password-reset/confirm", a.passwordResetConfirm)
	apiGroup.POST("/waitlist/signup", a.waitlistLimit.middleware(), a.waitlistSignup)
	apiGroup.GET("/admin/waitlist", a.requireAdmin, a.adminWaitlist)
	apiGroup.POST("/admin/digests", a.requireAdmin, a.adminDigests)
	apiGroup.POST("/email/unsubscribe", a.unsubscribe)
	apiGroup.GET("/public/reports/:token", a.publicReports.middleware(), a.publicReport)

	user := apiGroup.Group("", a.requireUser)
	user.GET("/user/me", a.me)
	user.PATCH("/user/me", a.updateMe)
	user.DELETE("/user/me", a.deleteMe)
	user.POST("/user/password", a.changePassword)
	user.POST("/auth/logout", a.logout)
	user.POST("/auth/logout-all", a.logoutAll)
	user.GET(strings.TrimPrefix(eventsRoute, "/api"), a.events)
	user.GET("/growth/stats", a.growthStats)
	user.GET("/growth/audience", a.growthAudience)
	user.GET("/growth/recommendations", a.growthRecommendations)
	user.GET("/growth/forecast", a.growthForecast)
	user.POST("/goals", a.createGoal)
	user.GET("/goals", a.listGoals)
	user.DELETE("/goals/:id", a.deleteGoal)
	user.GET("/growth/export", a.growthExport)
	user.POST("/share-links", a.createShareLink)
	user.GET("/share-links", a.listShareLinks)
	user.DELETE("/share-links/:id", a.deleteShareLink)
	user.GET("/instagram/accounts", a.instagramAccounts)
	user.GET("/instagram/connect", a.instagramConnect)
	user.POST("/instagram/refresh", a.instagramRefresh)
	user.GET("/instagram/sync", a.instagramSync)
	user.GET("/instagram/posts", a.instagramPosts)
	user.GET("/instagram/posts/:id", a.instagramPost)
	user.DELETE("/instagram/disconnect", a.instagramDisconnect)
	r.GET("/auth/instagram/start", a.instagramStart)
	r.GET("/auth/instagram/callback", a.instagramCallback)

	if d.Sandbox != nil {
		sb := http.StripPrefix(SandboxPrefix, d.Sandbox)
		r.Any(SandboxPrefix+"/*path", sandboxHeaders, gin.WrapH(sb))
	}

	spa := newSPA(d.SPA, a.reportPreview)
	r.NoRoute(func(c *gin.Context) {
		if isAPIPath(c.Request.URL.Path) {
			writeError(c, a.logger, apperr.New(apperr.CodeNotFound, "No such endpoint."))
			return
		}
		spa.serve(c)
	})
	r.NoMethod(func(c *gin.Context) {
		writeError(c, a.logger, apperr.New(codeMethodNotAllowed, "This endpoint does not accept "+c.Request.Method+"."))
	})
	return r, nil
}

// noStore keeps API answers, which are per user, out of shared caches.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

// sandboxHeaders relaxes the policy for the sandbox's own HTML pages.
func sandboxHeaders(c *gin.Context) {
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:; frame-ancestors 'none'")
	documentHeaders.apply(c.Writer.Header())
	c.Next()
}

func isAPIPath(p string) bool {
	return p == "/api" || len(p) >= 5 && p[:5] == "/api/" || len(p) >= 6 && p[:6] == "/auth/" || p == "/metrics"
}

package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"
	redisstore "github.com/ulule/limiter/v3/drivers/store/redis"

	"creatorgrowth/internal/apperr"
)

// Limits are the rate limits of the public endpoints. A zero Rate means
// no limit (tests); DefaultLimits sets every one.
type Limits struct {
	// Login counts every login per client IP.
	Login limiter.Rate
	// LoginFailures counts failed password checks per email address, from
	// any IP; while it holds, even the right password is refused.
	LoginFailures limiter.Rate
	// Register counts registrations per client IP.
	Register limiter.Rate
	// PasswordReset counts reset requests per client IP, and apart per
	// address.
	PasswordReset limiter.Rate
	Waitlist      limiter.Rate
	AdminFailed   limiter.Rate
	// PublicReport limits the public share-link reports (the API and the
	// /r/<token> page, each counted on its own).
	PublicReport limiter.Rate
}

// DefaultLimits are the contract's limits: 5 logins a minute per IP, 10
// failed logins per 15 minutes per address, 10 registrations an hour per
// IP, 5 reset requests an hour per IP and per address, 60 public reports
// a minute per IP, and generous but bounded waitlist signups and admin
// password failures.
func DefaultLimits() Limits {
	return Limits{
		Login:         limiter.Rate{Period: time.Minute, Limit: 5},
		LoginFailures: limiter.Rate{Period: 15 * time.Minute, Limit: 10},
		Register:      limiter.Rate{Period: time.Hour, Limit: 10},
		PasswordReset: limiter.Rate{Period: time.Hour, Limit: 5},
		Waitlist:      limiter.Rate{Period: time.Minute, Limit: 120},
		AdminFailed:   limiter.Rate{Period: 15 * time.Minute, Limit: 10},
		PublicReport:  limiter.Rate{Period: time.Minute, Limit: 60},
	}
}

// NewLimiterStore returns a Redis-backed store when redisURL is set, so
// that replicas share their counters, and an in-memory one otherwise. The
// returned close function releases the Redis client.
func NewLimiterStore(redisURL string) (limiter.Store, func() error, error) {
	if redisURL == "" {
		return memory.NewStore(), func() error { return nil }, nil
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	client := redis.NewClient(opts)
	store, err := redisstore.NewStoreWithOptions(client, limiter.StoreOptions{Prefix: "cgt:ratelimit", MaxRetry: 3})
	if err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("redis rate-limit store: %w", err)
	}
	return store, client.Close, nil
}

// rateLimiter applies one named limit, keyed by client IP (IPv6 clients
// by their /64) or by another key such as an email address.
type rateLimiter struct {
	name   string
	store  limiter.Store
	rate   limiter.Rate
	logger *slog.Logger
	// failClosed refuses requests (503) while the store fails, for limits
	// that stand between a guesser and a password.
	failClosed bool
	// onStoreError is told of every store failure (metrics); may be nil.
	onStoreError func(limit string)
}

func newRateLimiter(name string, store limiter.Store, rate limiter.Rate, logger *slog.Logger) *rateLimiter {
	return &rateLimiter{name: name, store: store, rate: rate, logger: logger}
}

// guarding makes the limiter refuse while its store fails and report the
// failures to onStoreError.
func (r *rateLimiter) guarding(onStoreError func(limit string)) *rateLimiter {
	r.failClosed, r.onStoreError = true, onStoreError
	return r
}

func (r *rateLimiter) unlimited() bool { return r.rate.Limit <= 0 }

// clientKey is the client's address as limits count it: an IPv4 address,
// or the /64 of an IPv6 one, since a single subscriber usually holds a
// whole /64.
func clientKey(c *gin.Context) string {
	ip := c.ClientIP()
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// emailKey is the key of an address: its hash, so that no store holds it.
func emailKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "email:" + hex.EncodeToString(sum[:16])
}

func (r *rateLimiter) key(c *gin.Context) string { return r.name + ":" + clientKey(c) }

// take counts one request of the client and reports whether it is within
// the limit, writing the 429 (or the 503 of a failing guarded store) when
// it is not.
func (r *rateLimiter) take(c *gin.Context) bool {
	if r.unlimited() {
		return true
	}
	lc, err := r.store.Get(c.Request.Context(), r.key(c), r.rate)
	return r.answer(c, lc, err, true)
}

// takeKey counts one request under key (not the client's address) and
// reports whether it is within the limit. It sets the rate-limit headers
// only when it refuses, so that the client's own limit keeps its headers.
func (r *rateLimiter) takeKey(c *gin.Context, key string) bool {
	if r.unlimited() {
		return true
	}
	lc, err := r.store.Get(c.Request.Context(), r.name+":"+key, r.rate)
	return r.answer(c, lc, err, false)
}

// reserve counts one failure under key before the check it guards, so that
// a burst of parallel attempts gets no more checks than the limit allows.
// It reports whether the attempt may go on; a success is handed back with
// refund.
func (r *rateLimiter) reserve(c *gin.Context, key string) bool {
	if r.unlimited() {
		return true
	}
	lc, err := r.store.Increment(c.Request.Context(), r.name+":"+key, 1, r.rate)
	return r.answer(c, lc, err, false)
}

// refund gives back an attempt that reserve counted and that succeeded.
func (r *rateLimiter) refund(c *gin.Context, key string) {
	if r.unlimited() {
		return
	}
	if _, err := r.store.Increment(c.Request.Context(), r.name+":"+key, -1, r.rate); err != nil {
		r.storeFailed(c, err)
	}
}

func (r *rateLimiter) storeFailed(c *gin.Context, err error) {
	if r.onStoreError != nil {
		r.onStoreError(r.name)
	}
	level, msg := slog.LevelWarn, "rate limit store failed: request allowed"
	if r.failClosed {
		level, msg = slog.LevelError, "rate limit store failed: request refused"
	}
	r.logger.Log(c.Request.Context(), level, msg, slog.String("limit", r.name), slog.String("request_id", requestID(c)), slog.String("error", err.Error()))
}

func (r *rateLimiter) answer(c *gin.Context, lc limiter.Context, err error, headers bool) bool {
	if err != nil {
		r.storeFailed(c, err)
		if r.failClosed {
			writeError(c, r.logger, apperr.New(apperr.CodeUnavailable, "Sign-in is briefly unavailable. Please try again in a moment."))
			return false
		}
		return true
	}
	if !headers && !lc.Reached {
		return true
	}
	h := c.Writer.Header()
	h.Set("X-RateLimit-Limit", strconv.FormatInt(lc.Limit, 10))
	h.Set("X-RateLimit-Remaining", strconv.FormatInt(lc.Remaining, 10))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(lc.Reset, 10))
	if !lc.Reached {
		return true
	}
	wait := max(lc.Reset-time.Now().Unix(), 1)
	h.Set("Retry-After", strconv.FormatInt(wait, 10))
	writeError(c, r.logger, apperr.Errorf(apperr.CodeRateLimited, "Too many attempts. Try again in %d seconds.", wait))
	return false
}

// middleware limits every request of a route per client.
func (r *rateLimiter) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		if r.take(c) {
			c.Next()
		}
	}
}

// allow counts one request and reports whether it is within the limit,
// writing nothing: for pages that degrade instead of refusing.
func (r *rateLimiter) allow(c *gin.Context) bool {
	if r.unlimited() {
		return true
	}
	lc, err := r.store.Get(c.Request.Context(), r.key(c), r.rate)
	if err != nil {
		r.storeFailed(c, err)
		return true
	}
	return !lc.Reached
}

package httpapi

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"
	redisstore "github.com/ulule/limiter/v3/drivers/store/redis"

	"creatorgrowth/internal/apperr"
)

// Limits are the rate limits of the public endpoints, per client IP.
type Limits struct {
	Login       limiter.Rate
	Waitlist    limiter.Rate
	AdminFailed limiter.Rate
}

// DefaultLimits are the contract's limits: 5 logins a minute, and generous
// but bounded waitlist signups and admin password failures.
func DefaultLimits() Limits {
	return Limits{
		Login:       limiter.Rate{Period: time.Minute, Limit: 5},
		Waitlist:    limiter.Rate{Period: time.Minute, Limit: 120},
		AdminFailed: limiter.Rate{Period: 15 * time.Minute, Limit: 10},
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

// rateLimiter applies one named limit keyed by client IP.
type rateLimiter struct {
	name   string
	lim    *limiter.Limiter
	logger *slog.Logger
}

func newRateLimiter(name string, store limiter.Store, rate limiter.Rate, logger *slog.Logger) *rateLimiter {
	return &rateLimiter{name: name, lim: limiter.New(store, rate), logger: logger}
}

func (r *rateLimiter) key(c *gin.Context) string { return r.name + ":" + c.ClientIP() }

// take counts one request and reports whether it is within the limit,
// writing the 429 when it is not. A failing store lets the request through.
func (r *rateLimiter) take(c *gin.Context) bool {
	lc, err := r.lim.Get(c.Request.Context(), r.key(c))
	return r.answer(c, lc, err)
}

// peek reports whether the limit is still open without counting.
func (r *rateLimiter) peek(c *gin.Context) bool {
	lc, err := r.lim.Peek(c.Request.Context(), r.key(c))
	if err == nil && lc.Remaining == 0 {
		lc.Reached = true // every allowed failure is spent
	}
	return r.answer(c, lc, err)
}

// count records one event (a failure) without answering.
func (r *rateLimiter) count(c *gin.Context) {
	if _, err := r.lim.Get(c.Request.Context(), r.key(c)); err != nil {
		r.logger.WarnContext(c.Request.Context(), "rate limit store", slog.String("limit", r.name), slog.String("error", err.Error()))
	}
}

func (r *rateLimiter) answer(c *gin.Context, lc limiter.Context, err error) bool {
	if err != nil {
		r.logger.WarnContext(c.Request.Context(), "rate limit store", slog.String("limit", r.name), slog.String("error", err.Error()))
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

// middleware limits every request of a route.
func (r *rateLimiter) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		if r.take(c) {
			c.Next()
		}
	}
}

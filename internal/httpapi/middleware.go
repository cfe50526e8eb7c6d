package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
)

const (
	ctxRequestID = "request_id"
	ctxUserID    = "user_id"
	ctxEmail     = "email"
	ctxSessionID = "session_id"

	// MaxBodyBytes caps every request body.
	MaxBodyBytes = 1 << 20
	// requestTimeout bounds the work, queries included, of one request.
	requestTimeout = 15 * time.Second
)

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// withRequestID gives every request an id, taken from a well-formed
// X-Request-ID or made up, and echoes it.
func withRequestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if len(id) < 8 || len(id) > 64 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			b := make([]byte, 12)
			rand.Read(b) //nolint:errcheck // crypto/rand never fails
			id = hex.EncodeToString(b)
		}
		c.Set(ctxRequestID, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

// accessLog writes one structured line per request. It logs the path, never
// the query string, which may carry a password, an OAuth code or a state.
func accessLog(logger *slog.Logger, observe func(route, method string, status int, d time.Duration)) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		d := time.Since(start)
		status := c.Writer.Status()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		observe(route, c.Request.Method, status, d)
		if c.Request.URL.Path == "/health" && status == http.StatusOK {
			return // uptime monitors poll it; successes are noise
		}
		// A request whose client went away is 499 (see writeError): info
		// here, and its own status in the metrics, never a 5xx.
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		logger.LogAttrs(c.Request.Context(), level, "request",
			slog.Group("http",
				slog.String("request_id", requestID(c)),
				slog.String("method", c.Request.Method),
				slog.String("path", c.Request.URL.Path),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000),
				slog.String("client_ip", c.ClientIP()),
				slog.Int("bytes", c.Writer.Size()),
			),
		)
	}
}

// recoverer turns a panic into a logged 500 with the contract's body.
func recoverer(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(c.Request.Context(), "panic",
					slog.String("request_id", requestID(c)),
					slog.Any("panic", v),
					slog.String("stack", string(debug.Stack())),
				)
				if !c.Writer.Written() {
					c.AbortWithStatusJSON(http.StatusInternalServerError,
						errorBody{Error: "Something went wrong on our side. Please try again.", Code: apperr.CodeInternal})
				}
			}
		}()
		c.Next()
	}
}

// apiCSP is the policy of JSON responses: nothing may load from them.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// securityHeaders sets headers every response carries.
func securityHeaders(production bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Content-Security-Policy", apiCSP)
		if production {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		c.Next()
	}
}

// cors allows the configured origins only, on /api paths. A preflight from
// any other origin is refused with 403 and no CORS headers.
func cors(allowed []string) gin.HandlerFunc {
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" {
			c.Next()
			return
		}
		c.Writer.Header().Add("Vary", "Origin")
		ok := slices.Contains(allowed, origin)
		if ok {
			h := c.Writer.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			// The web app may live on another origin and sign in with the
			// session cookie; the origin check of requireUser guards it.
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Expose-Headers", "Authorization, Retry-After, X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
		}
		if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
			if !ok {
				c.AbortWithStatus(http.StatusForbidden)
				return
			}
			h := c.Writer.Header()
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PATCH, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Admin-Password, X-Request-ID")
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}

// streamingRoutes answer for as long as their client listens: their
// context is not bounded by requestTimeout (each bounds its own queries).
var streamingRoutes = map[string]bool{eventsRoute: true}

// limitBody caps the request body and bounds the request's context.
func limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
		}
		if streamingRoutes[c.FullPath()] {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), requestTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// sameSecret reports whether given is the secret want, in time that
// depends on neither: both are hashed first, so that the constant-time
// comparison does not give their lengths away.
func sameSecret(want, given string) bool {
	w, g := sha256.Sum256([]byte(want)), sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(w[:], g[:]) == 1
}

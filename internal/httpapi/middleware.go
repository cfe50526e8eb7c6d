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
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
)

const (
	ctxUserID    = "user_id"
	ctxEmail     = "email"
	ctxSessionID = "session_id"

	// MaxBodyBytes caps every request body.
	MaxBodyBytes = 1 << 20
	// requestTimeout bounds the work, queries included, of one request.
	requestTimeout = 15 * time.Second
)

// headerRequestID is X-Request-ID in the canonical form that http.Header
// stores, so that it is read and set without being canonicalised again.
const headerRequestID = "X-Request-Id"

// requestID is the request's id, which withRequestID put in the response's
// header: that header is the one place the id is kept.
func requestID(c *gin.Context) string {
	if v := c.Writer.Header()[headerRequestID]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// withRequestID gives every request an id, taken from a well-formed
// X-Request-ID or made up, and echoes it.
func withRequestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := ""
		if v := c.Request.Header[headerRequestID]; len(v) > 0 && wellFormedRequestID(v[0]) {
			id = v[0]
		} else {
			var b [12]byte
			var x [24]byte
			rand.Read(b[:]) //nolint:errcheck // crypto/rand never fails
			hex.Encode(x[:], b[:])
			id = string(x[:])
		}
		c.Writer.Header()[headerRequestID] = []string{id}
		c.Next()
	}
}

// wellFormedRequestID reports whether a client's X-Request-ID may be
// echoed: 8 to 64 letters, digits, '-' or '_'.
func wellFormedRequestID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch ch := id[i]; {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '-', ch == '_':
		default:
			return false
		}
	}
	return true
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
		if c.Request.URL.Path == healthRoute && status == http.StatusOK {
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

// securityHeaders sets the headers every response carries: those of
// OWASP's REST security set (nosniff, no framing, a policy that loads
// nothing, HSTS in production) and a referrer policy. Headers that govern
// a browsing context (documentHeaders) are set by the handlers that
// answer HTML. Every API answer then has at most eight header entries,
// which keeps net/http's header map in its first group.
func securityHeaders(production bool) gin.HandlerFunc {
	pairs := []string{
		"X-Content-Type-Options", "nosniff",
		"X-Frame-Options", "DENY",
		"Referrer-Policy", "strict-origin-when-cross-origin",
		"Content-Security-Policy", apiCSP,
	}
	if production {
		pairs = append(pairs, "Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	set := newPresetHeaders(pairs...)
	return func(c *gin.Context) {
		set.apply(c.Writer.Header())
		c.Next()
	}
}

// documentHeaders are the headers of HTML answers (the web app and the
// sandbox's pages) on top of securityHeaders: a window opened from the page
// gets no handle on it, and the page may use no camera, microphone,
// location or payment. They mean nothing for JSON, which no browser runs.
var documentHeaders = newPresetHeaders(
	"Cross-Origin-Opener-Policy", "same-origin",
	"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()",
)

// presetHeaders are header values built once and set on every response
// that needs them, without a new value slice each time. The slices are
// shared between responses, which is safe because nothing writes into a
// header's slice: Set replaces it, and Add, with the capacity held at the
// length, copies it.
type presetHeaders []presetHeader

type presetHeader struct {
	key   string
	value []string
}

// newPresetHeaders takes keys and values in turn.
func newPresetHeaders(keyValues ...string) presetHeaders {
	p := make(presetHeaders, 0, len(keyValues)/2)
	for i := 0; i+1 < len(keyValues); i += 2 {
		v := []string{keyValues[i+1]}
		p = append(p, presetHeader{key: http.CanonicalHeaderKey(keyValues[i]), value: v[:1:1]})
	}
	return p
}

func (p presetHeaders) apply(h http.Header) {
	for _, kv := range p {
		h[kv.key] = kv.value
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

// selfBoundedRoutes bound their own work, so their context is not bounded
// by requestTimeout: the live-update stream answers for as long as its
// client listens (each of its queries has its own deadline), and /health
// waits at most healthTimeout for the database.
var selfBoundedRoutes = map[string]bool{eventsRoute: true, healthRoute: true}

// limitBody caps the request body and bounds the request's context.
func limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
		}
		if selfBoundedRoutes[c.FullPath()] {
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

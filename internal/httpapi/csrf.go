package httpapi

import (
	"log/slog"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
)

// requestOrigin is the origin a browser says the request comes from: the
// Origin header, or without one the origin of the Referer. Empty when the
// client sent neither.
func requestOrigin(c *gin.Context) string {
	if o := c.GetHeader("Origin"); o != "" {
		return o
	}
	ref := c.GetHeader("Referer")
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "null"
	}
	return u.Scheme + "://" + u.Host
}

// trustedOrigin reports whether origin is this server's own (PUBLIC_URL's
// origin, or the host the request was sent to) or in ALLOWED_ORIGINS.
func (a *api) trustedOrigin(c *gin.Context, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
		return false
	}
	norm := strings.ToLower(u.Scheme + "://" + u.Host)
	if pub, err := url.Parse(a.cfg.PublicURL); err == nil && strings.EqualFold(pub.Scheme+"://"+pub.Host, norm) {
		return true
	}
	if strings.EqualFold(u.Host, c.Request.Host) {
		return true
	}
	return slices.ContainsFunc(a.cfg.AllowedOrigins, func(o string) bool { return strings.EqualFold(o, norm) })
}

// checkOrigin refuses, with 403 csrf_rejected, a request whose browser
// origin is foreign. required also refuses a request that names no origin
// at all (a state change authenticated by the cookie alone); otherwise a
// client that sends neither header (not a browser) passes.
func (a *api) checkOrigin(c *gin.Context, required bool) bool {
	origin := requestOrigin(c)
	if origin == "" && !required {
		return true
	}
	if origin != "" && a.trustedOrigin(c, origin) {
		return true
	}
	a.logger.WarnContext(c.Request.Context(), "security: cross-site request refused",
		slog.String("request_id", requestID(c)),
		slog.String("path", c.Request.URL.Path),
		slog.String("origin", origin),
		slog.String("client_ip", c.ClientIP()),
	)
	writeError(c, a.logger, apperr.New(apperr.CodeCSRFRejected, "This request did not come from the app's own pages."))
	return false
}

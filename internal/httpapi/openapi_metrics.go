package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	apidoc "creatorgrowth/api"
	"creatorgrowth/internal/apperr"
)

// newOpenAPIHandler converts the embedded OpenAPI document to JSON once
// and returns the handler of GET /api/openapi.json, which serves it.
func newOpenAPIHandler() (gin.HandlerFunc, error) {
	doc, err := apidoc.JSON()
	if err != nil {
		return nil, err
	}
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=300")
		c.Data(http.StatusOK, "application/json; charset=utf-8", doc)
	}, nil
}

// metricsRoute mounts GET /metrics when the configuration allows it: with METRICS_TOKEN set it requires that token as
// a Bearer token; without one it is open in development and test and left
// out (404) in production.
func (a *api) metricsRoute(r gin.IRoutes, h http.Handler) {
	token := a.cfg.MetricsToken
	if token == "" && a.cfg.Production() {
		return
	}
	if token == "" {
		r.GET("/metrics", gin.WrapH(h))
		return
	}
	r.GET("/metrics", func(c *gin.Context) {
		scheme, given, ok := strings.Cut(c.GetHeader("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || !sameSecret(token, strings.TrimSpace(given)) {
			c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
			writeError(c, a.logger, apperr.New(apperr.CodeUnauthorized, "Send Authorization: Bearer <METRICS_TOKEN> to read the metrics."))
			return
		}
		c.Next()
	}, gin.WrapH(h))
}

package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/growth"
)

// growthStats answers GET /api/growth/stats?period=30&tz=Europe/Berlin: the
// growth report of the user's current account. period defaults to 30 and
// tz to UTC; a parameter given but empty is invalid.
func (a *api) growthStats(c *gin.Context) {
	period, err := growth.ParsePeriod(c.GetQuery("period"))
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	tz := time.UTC
	if raw, ok := c.GetQuery("tz"); ok {
		loc, err := a.growth.Location(raw)
		if err != nil {
			writeError(c, a.logger, err)
			return
		}
		tz = loc
	}
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	// Whole seconds: period_start and period_end read as in the contract.
	body, err := a.growth.StatsJSON(c.Request.Context(), acc, period, tz, a.now().UTC().Truncate(time.Second))
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

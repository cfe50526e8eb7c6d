package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/growth"
)

// growthStats answers GET /api/growth/stats?period=30&tz=Europe/Berlin: the
// growth report of the user's current account.
func (a *api) growthStats(c *gin.Context) {
	period, tz, ok := a.growthQuery(c, growth.DefaultPeriod)
	if !ok {
		return
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

// growthQuery reads ?period= and ?tz= of a growth report: period by
// growth.ParsePeriodOr (default def), tz an IANA zone (default UTC); a
// parameter given but empty is invalid. On a bad one it writes the error
// and returns false.
func (a *api) growthQuery(c *gin.Context, def int) (period int, tz *time.Location, ok bool) {
	raw, given := c.GetQuery("period")
	period, err := growth.ParsePeriodOr(raw, given, def)
	if err != nil {
		writeError(c, a.logger, err)
		return 0, nil, false
	}
	tz = time.UTC
	if raw, given := c.GetQuery("tz"); given {
		loc, err := a.growth.Location(raw)
		if err != nil {
			writeError(c, a.logger, err)
			return 0, nil, false
		}
		tz = loc
	}
	return period, tz, true
}

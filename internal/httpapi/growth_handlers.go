package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
)

// growthPeriods maps the accepted spellings of ?period= to days: exactly
// the contract's four numbers, nothing else ("07", "30.0", "+7" included).
var growthPeriods = map[string]int{"7": 7, "14": 14, "30": 30, "90": 90}

// growthStats answers GET /api/growth/stats?period=30&tz=Europe/Berlin: the
// growth report of the user's current account. period defaults to 30 and
// tz to UTC; a parameter given but empty is invalid.
func (a *api) growthStats(c *gin.Context) {
	period := 30
	if raw, ok := c.GetQuery("period"); ok {
		p, known := growthPeriods[raw]
		if !known {
			writeError(c, a.logger, apperr.New(apperr.CodeInvalidPeriod, "period must be one of 7, 14, 30 or 90 (days)."))
			return
		}
		period = p
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

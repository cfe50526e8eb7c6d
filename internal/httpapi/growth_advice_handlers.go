package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/advice"
	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/guidance"
)

// recommendationsPeriod is the default ?period= of the recommendations.
const recommendationsPeriod = 90

// Forecast horizon default, in days.
const defaultHorizon = 30

// recommendationsJSON is the contract's recommendations body.
type recommendationsJSON struct {
	Status          string                  `json:"status"`
	PostsConsidered int                     `json:"posts_considered"`
	Recommendations []advice.Recommendation `json:"recommendations"`
	BestTimes       advice.BestTimes        `json:"best_times"`
	Outliers        outliersJSON            `json:"outliers"`
}

// outliersJSON is the outliers with the posts as post objects.
type outliersJSON struct {
	MedianEngagement *float64   `json:"median_engagement"`
	Winners          []postJSON `json:"winners"`
	Laggards         []postJSON `json:"laggards"`
}

// growthRecommendations answers GET /api/growth/recommendations?period=90&tz=…:
// what to do next for the user's current account.
func (a *api) growthRecommendations(c *gin.Context) {
	period, tz, ok := a.growthQuery(c, recommendationsPeriod)
	if !ok {
		return
	}
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	r, err := a.guidance.Recommendations(c.Request.Context(), acc, period, tz, a.now())
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, recommendationsJSON{
		Status:          r.Status,
		PostsConsidered: r.PostsConsidered,
		Recommendations: r.Recommendations.Recommendations,
		BestTimes:       r.BestTimes,
		Outliers: outliersJSON{
			MedianEngagement: r.Outliers.MedianEngagement,
			Winners:          toPostsJSON(r.Winners),
			Laggards:         toPostsJSON(r.Laggards),
		},
	})
}

// growthForecast answers GET /api/growth/forecast?metric=followers&horizon=30.
// metric defaults to followers, horizon to 30; anything else, or a value
// given but empty, is invalid_request.
func (a *api) growthForecast(c *gin.Context) {
	if m, ok := c.GetQuery("metric"); ok && m != guidance.MetricFollowers {
		writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "metric must be followers."))
		return
	}
	horizon := defaultHorizon
	if raw, ok := c.GetQuery("horizon"); ok {
		h, err := strconv.Atoi(raw)
		if err != nil || h < advice.MinHorizon || h > advice.MaxHorizon || strconv.Itoa(h) != raw {
			writeError(c, a.logger, errHorizon())
			return
		}
		horizon = h
	}
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	f, err := a.guidance.Forecast(c.Request.Context(), acc, horizon, a.now())
	if errors.Is(err, advice.ErrHorizon) {
		err = errHorizon()
	}
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

func errHorizon() error {
	return apperr.New(apperr.CodeInvalidRequest, "horizon must be a whole number of days from 7 to 90.")
}

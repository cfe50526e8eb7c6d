package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/audience"
	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
)

// growthAudience answers GET /api/growth/audience?period=30&tz=Europe/Berlin:
// the audience report of the user's current account, its period and zone
// read as the stats read them.
func (a *api) growthAudience(c *gin.Context) {
	period, tz, ok := a.growthQuery(c, growth.DefaultPeriod)
	if !ok {
		return
	}
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	r, err := a.audience.Report(c.Request.Context(), acc, period, tz, a.now())
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusOK, audienceBody(r))
}

// audienceJSON is the contract's audience report.
type audienceJSON struct {
	PeriodDays      int                   `json:"period_days"`
	Followers       *int64                `json:"followers"`
	FollowersGained *int64                `json:"followers_gained"`
	FollowersLost   *int64                `json:"followers_lost"`
	NetFollowers    *int64                `json:"net_followers"`
	Daily           []audienceDayJSON     `json:"daily"`
	OnlineFollowers onlineFollowersJSON   `json:"online_followers"`
	Demographics    demographicsJSON      `json:"demographics"`
	Freshness       audienceFreshnessJSON `json:"freshness"`
}

type audienceDayJSON struct {
	Date      string `json:"date"`
	Followers *int64 `json:"followers"`
	Gained    *int64 `json:"gained"`
	Lost      *int64 `json:"lost"`
	Reach     *int64 `json:"reach"`
	Views     *int64 `json:"views"`
}

type onlineFollowersJSON struct {
	Status  string       `json:"status"`
	Heatmap [][]*float64 `json:"heatmap"`
}

type demographicsJSON struct {
	Status    string          `json:"status"`
	Timeframe *string         `json:"timeframe"`
	Followers *breakdownsJSON `json:"followers"`
	Engaged   *breakdownsJSON `json:"engaged"`
}

type breakdownsJSON struct {
	Age     []demographicJSON `json:"age"`
	Gender  []demographicJSON `json:"gender"`
	Country []demographicJSON `json:"country"`
	City    []demographicJSON `json:"city"`
}

type demographicJSON struct {
	Key   string `json:"key"`
	Value int64  `json:"value"`
}

type audienceFreshnessJSON struct {
	PostsSyncedAt    *time.Time `json:"posts_synced_at"`
	InsightsSyncedAt *time.Time `json:"insights_synced_at"`
	NextSyncAt       *time.Time `json:"next_sync_at"`
}

func audienceBody(r audience.Report) audienceJSON {
	out := audienceJSON{
		PeriodDays:      r.PeriodDays,
		Followers:       r.Followers,
		FollowersGained: r.Gained,
		FollowersLost:   r.Lost,
		NetFollowers:    r.Net,
		Daily:           make([]audienceDayJSON, len(r.Daily)),
		OnlineFollowers: onlineFollowersJSON{Status: r.Online.Status},
		Demographics: demographicsJSON{
			Status:    r.Demographics.Status,
			Followers: breakdownsBody(r.Demographics.Followers),
			Engaged:   breakdownsBody(r.Demographics.Engaged),
		},
		Freshness: audienceFreshnessJSON{
			PostsSyncedAt:    r.Freshness.PostsSyncedAt,
			InsightsSyncedAt: r.Freshness.InsightsSyncedAt,
			NextSyncAt:       r.Freshness.NextSyncAt,
		},
	}
	for i, d := range r.Daily {
		out.Daily[i] = audienceDayJSON{Date: d.Date, Followers: d.Followers, Gained: d.Gained, Lost: d.Lost, Reach: d.Reach, Views: d.Views}
	}
	if h := r.Online.Heatmap; h != nil {
		out.OnlineFollowers.Heatmap = make([][]*float64, len(h))
		for w := range h {
			out.OnlineFollowers.Heatmap[w] = h[w][:]
		}
	}
	if r.Demographics.Timeframe != "" {
		tf := r.Demographics.Timeframe
		out.Demographics.Timeframe = &tf
	}
	return out
}

func breakdownsBody(b *audience.Breakdowns) *breakdownsJSON {
	if b == nil {
		return nil
	}
	list := func(rows []postgres.DemographicRow) []demographicJSON {
		out := make([]demographicJSON, len(rows))
		for i, r := range rows {
			out[i] = demographicJSON{Key: r.Key, Value: r.Value}
		}
		return out
	}
	return &breakdownsJSON{Age: list(b.Age), Gender: list(b.Gender), Country: list(b.Country), City: list(b.City)}
}

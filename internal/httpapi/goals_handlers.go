package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"creatorgrowth/internal/advice"
	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/guidance"
)

// goalJSON is the contract's goal object.
type goalJSON struct {
	ID             string       `json:"id"`
	Metric         string       `json:"metric"`
	Target         int64        `json:"target"`
	Deadline       string       `json:"deadline"`
	CreatedAt      time.Time    `json:"created_at"`
	Current        int64        `json:"current"`
	Progress       float64      `json:"progress"`
	RequiredPerDay float64      `json:"required_per_day"`
	CurrentPerDay  *float64     `json:"current_per_day"`
	ETA            *advice.Date `json:"eta"`
	OnTrack        *bool        `json:"on_track"`
}

func toGoalJSON(g guidance.Goal) goalJSON {
	return goalJSON{
		ID:             g.ID,
		Metric:         g.Metric,
		Target:         g.Target,
		Deadline:       g.Deadline,
		CreatedAt:      g.CreatedAt.UTC().Truncate(time.Second),
		Current:        g.Current,
		Progress:       g.Figures.Progress,
		RequiredPerDay: g.Figures.RequiredPerDay,
		CurrentPerDay:  g.Figures.CurrentPerDay,
		ETA:            g.Figures.ETA,
		OnTrack:        g.Figures.OnTrack,
	}
}

// goalRequest is the body of POST /api/goals; every field is required.
type goalRequest struct {
	Metric   *string `json:"metric"`
	Target   *int64  `json:"target"`
	Deadline *string `json:"deadline"`
}

// createGoal answers POST /api/goals: a goal for the user's current
// account (?account_id=), 201 with the goal object.
func (a *api) createGoal(c *gin.Context) {
	var req goalRequest
	if err := decodeJSON(c, &req); err != nil {
		writeError(c, a.logger, err)
		return
	}
	if req.Metric == nil || req.Target == nil || req.Deadline == nil {
		writeError(c, a.logger, apperr.New(apperr.CodeInvalidRequest, "metric, target and deadline are required."))
		return
	}
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	g, err := a.goals.Create(c.Request.Context(), acc,
		guidance.NewGoal{Metric: *req.Metric, Target: *req.Target, Deadline: *req.Deadline}, a.now())
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.JSON(http.StatusCreated, toGoalJSON(g))
}

// listGoals answers GET /api/goals: the user's goals for the current
// account, oldest first, with their figures.
func (a *api) listGoals(c *gin.Context) {
	acc, err := a.currentAccount(c)
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	goals, err := a.goals.List(c.Request.Context(), acc, a.now())
	if err != nil {
		writeError(c, a.logger, err)
		return
	}
	out := make([]goalJSON, len(goals))
	for i, g := range goals {
		out[i] = toGoalJSON(g)
	}
	c.JSON(http.StatusOK, gin.H{"goals": out})
}

// deleteGoal answers DELETE /api/goals/{id}: 204, or 404 for an id that
// is no goal of the user's (a malformed id included).
func (a *api) deleteGoal(c *gin.Context) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		writeError(c, a.logger, apperr.New(apperr.CodeNotFound, "Goal not found."))
		return
	}
	if err := a.goals.Delete(c.Request.Context(), c.GetString(ctxUserID), id.String()); err != nil {
		writeError(c, a.logger, err)
		return
	}
	c.Status(http.StatusNoContent)
}

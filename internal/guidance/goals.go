package guidance

import (
	"context"
	"fmt"
	"time"

	"creatorgrowth/internal/advice"
	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/postgres"
)

// MetricFollowers is the one goal and forecast metric.
const MetricFollowers = "followers"

// UserZones gives the time zone of a user, in which a goal's dates are
// calendar dates; *StoredZones reads the users' own setting.
type UserZones interface {
	UserZone(ctx context.Context, userID string) (*time.Location, error)
}

// Goals sets, lists and removes the users' goals and computes their
// figures (advice.Goal) from the account's daily follower totals.
type Goals struct {
	store *postgres.Goals
	daily *Service
	zones UserZones
}

// NewGoals returns the goals service on its store, reading the daily
// totals through s and each user's zone through zones (nil: UTC for every
// user).
func NewGoals(store *postgres.Goals, s *Service, zones UserZones) *Goals {
	return &Goals{store: store, daily: s, zones: zones}
}

// NewGoal is a goal as a user asks for it.
type NewGoal struct {
	Metric   string
	Target   int64
	Deadline string // YYYY-MM-DD, a date in the user's zone
}

// Goal is a stored goal with its figures now.
type Goal struct {
	postgres.Goal
	Current int64
	Figures advice.GoalFigures
}

// Create validates and stores a goal for acc: metric followers, a target
// above the current value, a deadline after today in the user's zone (the
// daily totals, too, are dated there).
// Each refusal is apperr.CodeInvalidRequest. The current value is the
// account's follower count, or its last snapshot when the count is
// unknown; with neither the goal is refused (nothing to measure from).
func (g *Goals) Create(ctx context.Context, acc postgres.Account, in NewGoal, now time.Time) (Goal, error) {
	if in.Metric != MetricFollowers {
		return Goal{}, apperr.New(apperr.CodeInvalidRequest, "metric must be followers.")
	}
	deadline, err := advice.ParseDate(in.Deadline)
	if err != nil || deadline.String() != in.Deadline {
		return Goal{}, apperr.New(apperr.CodeInvalidRequest, "deadline must be a date written YYYY-MM-DD.")
	}
	loc, err := g.zone(ctx, acc.UserID)
	if err != nil {
		return Goal{}, err
	}
	today := advice.DateOf(now.In(loc))
	if deadline.DaysSince(today) <= 0 {
		return Goal{}, apperr.New(apperr.CodeInvalidRequest, "deadline must be a date after today.")
	}
	daily, err := g.daily.Daily(ctx, acc.ID, loc)
	if err != nil {
		return Goal{}, err
	}
	current, ok := currentValue(acc, daily)
	if !ok {
		return Goal{}, apperr.New(apperr.CodeInvalidRequest, "The account's follower count is not known yet; try again after its first sync.")
	}
	if in.Target <= current {
		return Goal{}, apperr.Errorf(apperr.CodeInvalidRequest, "target must be above the current value (%d).", current)
	}
	row, err := g.store.Create(ctx, postgres.GoalInput{
		UserID: acc.UserID, AccountID: acc.ID, Metric: in.Metric, Target: in.Target,
		Deadline: deadline.String(), StartValue: current,
	})
	if err != nil {
		return Goal{}, err
	}
	return figures(row, current, today, daily)
}

// List returns the user's goals for acc, oldest first, with their figures.
func (g *Goals) List(ctx context.Context, acc postgres.Account, now time.Time) ([]Goal, error) {
	rows, err := g.store.List(ctx, acc.UserID, acc.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Goal, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	loc, err := g.zone(ctx, acc.UserID)
	if err != nil {
		return nil, err
	}
	today := advice.DateOf(now.In(loc))
	daily, err := g.daily.Daily(ctx, acc.ID, loc)
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		current, ok := currentValue(acc, daily)
		if !ok {
			current = row.StartValue // the count was known when the goal was set
		}
		goal, err := figures(row, current, today, daily)
		if err != nil {
			return nil, err
		}
		out = append(out, goal)
	}
	return out, nil
}

// Delete removes the user's goal id; another user's, or none, is
// apperr.CodeNotFound.
func (g *Goals) Delete(ctx context.Context, userID, id string) error {
	return g.store.Delete(ctx, userID, id)
}

// zone is the user's time zone, in which every date of their goals is a
// calendar date: today, the deadline, the daily totals, the ETA.
func (g *Goals) zone(ctx context.Context, userID string) (*time.Location, error) {
	if g.zones == nil {
		return time.UTC, nil
	}
	loc, err := g.zones.UserZone(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("goals: user zone: %w", err)
	}
	if loc == nil {
		return time.UTC, nil
	}
	return loc, nil
}

// currentValue is the account's follower count, or its last daily total.
func currentValue(acc postgres.Account, daily []advice.DailyValue) (int64, bool) {
	if acc.Followers != nil {
		return *acc.Followers, true
	}
	if len(daily) > 0 {
		return daily[len(daily)-1].Value, true
	}
	return 0, false
}

func figures(row postgres.Goal, current int64, today advice.Date, daily []advice.DailyValue) (Goal, error) {
	deadline, err := advice.ParseDate(row.Deadline)
	if err != nil {
		return Goal{}, fmt.Errorf("goal %s: deadline: %w", row.ID, err)
	}
	return Goal{Goal: row, Current: current, Figures: advice.Goal(advice.GoalInput{
		Target: row.Target, Deadline: deadline, Start: row.StartValue, Current: current, Today: today, Daily: daily,
	})}, nil
}

package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"creatorgrowth/internal/apperr"
)

// Goal is a row of goals. Deadline is a calendar date, YYYY-MM-DD.
type Goal struct {
	ID         string
	UserID     string
	AccountID  string
	Metric     string
	Target     int64
	Deadline   string
	StartValue int64
	CreatedAt  time.Time
}

// GoalInput is a goal to store.
type GoalInput struct {
	UserID     string
	AccountID  string
	Metric     string
	Target     int64
	Deadline   string // YYYY-MM-DD
	StartValue int64
}

// Goals stores the users' goals.
type Goals struct{ db *sql.DB }

// NewGoals returns the goals store.
func NewGoals(db *sql.DB) *Goals { return &Goals{db: db} }

const goalColumns = `id, user_id, account_id, metric, target, to_char(deadline, 'YYYY-MM-DD'), start_value, created_at`

func scanGoal(row interface{ Scan(...any) error }) (Goal, error) {
	var g Goal
	err := row.Scan(&g.ID, &g.UserID, &g.AccountID, &g.Metric, &g.Target, &g.Deadline, &g.StartValue, &g.CreatedAt)
	g.CreatedAt = g.CreatedAt.UTC()
	return g, err
}

// Create stores a goal and returns it. An account that is gone by then
// (deleted meanwhile) is apperr.CodeNoInstagramAccount.
func (s *Goals) Create(ctx context.Context, in GoalInput) (Goal, error) {
	const q = `INSERT INTO goals (user_id, account_id, metric, target, deadline, start_value)
		VALUES ($1, $2, $3, $4, $5::date, $6) RETURNING ` + goalColumns
	g, err := scanGoal(s.db.QueryRowContext(ctx, q, in.UserID, in.AccountID, in.Metric, in.Target, in.Deadline, in.StartValue))
	if IsForeignKeyViolation(err) {
		return Goal{}, apperr.New(apperr.CodeNoInstagramAccount, "No Instagram account is connected.")
	}
	if err != nil {
		return Goal{}, fmt.Errorf("create goal: %w", err)
	}
	return g, nil
}

// List returns the user's goals for the account, oldest first.
func (s *Goals) List(ctx context.Context, userID, accountID string) ([]Goal, error) {
	const q = `SELECT ` + goalColumns + ` FROM goals WHERE user_id = $1 AND account_id = $2 ORDER BY created_at, id`
	rows, err := s.db.QueryContext(ctx, q, userID, accountID)
	if err != nil {
		return nil, fmt.Errorf("list goals: %w", err)
	}
	defer rows.Close()
	out := []Goal{}
	for rows.Next() {
		g, err := scanGoal(rows)
		if err != nil {
			return nil, fmt.Errorf("list goals: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list goals: %w", err)
	}
	return out, nil
}

// Delete removes the user's goal id. A goal of another user, or none, is
// apperr.CodeNotFound.
func (s *Goals) Delete(ctx context.Context, userID, id string) error {
	const q = `DELETE FROM goals WHERE id = $1 AND user_id = $2 RETURNING id`
	var got string
	err := s.db.QueryRowContext(ctx, q, id, userID).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.CodeNotFound, "Goal not found.")
	}
	if err != nil {
		return fmt.Errorf("delete goal: %w", err)
	}
	return nil
}

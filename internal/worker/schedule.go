package worker

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"creatorgrowth/internal/postgres"
)

// Schedule is a task that runs every Every, once across all replicas.
type Schedule struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// Scheduler checks its schedules on a ticker and runs the ones it wins.
type Scheduler struct {
	db        *sql.DB
	schedules []Schedule
	logger    *slog.Logger
	tick      time.Duration

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewScheduler returns a scheduler that looks at its schedules every tick.
func NewScheduler(db *sql.DB, logger *slog.Logger, tick time.Duration, schedules ...Schedule) *Scheduler {
	if tick <= 0 {
		tick = time.Minute
	}
	return &Scheduler{db: db, schedules: schedules, logger: logger, tick: tick}
}

// Start runs the scheduler until Stop or ctx ends.
func (s *Scheduler) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(s.tick)
		defer t.Stop()
		for {
			s.runDue(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the scheduler and waits for it.
func (s *Scheduler) Stop() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

func (s *Scheduler) runDue(ctx context.Context) {
	for _, sc := range s.schedules {
		if ctx.Err() != nil {
			return
		}
		c, cancel := context.WithTimeout(ctx, time.Minute)
		won, err := postgres.ClaimSchedule(c, s.db, sc.Name, sc.Every)
		if err == nil && won {
			err = sc.Run(c)
		}
		cancel()
		if err != nil && ctx.Err() == nil {
			s.logger.Warn("schedule", slog.String("name", sc.Name), slog.String("error", err.Error()))
		}
	}
}

package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"creatorgrowth/internal/igsync"
)

// Time compressed by a factor F. A running system has its accounts' due
// times spread over their cycles: each account synced 6 h after its own
// last sync, its posts' insights read over the day, its account insights
// about daily. arm puts every seeded account at a random (golden-ratio)
// phase of each cycle, compressed F times: the last sync of account n is
// 6 h − 10 min − phase × 6 h/F ago, so that the syncs come due uniformly
// over the next 6 h/F; its last account insights reading finished
// 20 h − phase × 20 h/F ago; its posts' next readings are spread over
// 6 h/F in readingsPerCycle groups (six jobs of ten posts a cycle for the
// fake's 60 posts, where the real age ladder would read a post every
// 4 h 17 min about 100 times in 6 h). The schedules' own looks are
// compressed by the schedule clock (clock), and the fake's budget per
// account by F (main.go).
const readingsPerCycle = 6

// Phases: frac(n × φ) is spread evenly over [0, 1) for any count of
// accounts; each cycle has its own constant so that an account's sync and
// readings are not in step.
const (
	armSyncs = `
UPDATE instagram_accounts SET last_synced_at = now() - $1 * interval '1 second'
    + (frac * $2) * interval '1 second'
FROM (SELECT id AS aid, (n * 0.6180339887498949) - floor(n * 0.6180339887498949) AS frac
      FROM (SELECT id, substring(username from 7)::int AS n FROM instagram_accounts WHERE username LIKE 'scale\_%') s) p
WHERE id = p.aid`

	armAccountInsights = `
INSERT INTO jobs (kind, account_id, state, attempts, run_at, created_at, updated_at, finished_at)
SELECT $1, id, 'done', 1, t, t, t, t
FROM (SELECT id, now() - $2 * interval '1 second' + (frac * $3) * interval '1 second' AS t
      FROM (SELECT id, (n * 0.7548776662466927) - floor(n * 0.7548776662466927) AS frac
            FROM (SELECT id, substring(username from 7)::int AS n FROM instagram_accounts WHERE username LIKE 'scale\_%') s) q) r`

	armReadings = `
UPDATE instagram_post_insights_due d SET due_at = now() + (x.frac - floor(x.frac)) * $1 * interval '1 second'
FROM (SELECT p.id AS pid,
             (a.n * 0.5698402909980532) - floor(a.n * 0.5698402909980532)
             + (substring(p.ig_post_id from 9)::int % $2)::float8 / $2 AS frac
      FROM instagram_posts p
      JOIN (SELECT id, substring(username from 7)::int AS n FROM instagram_accounts WHERE username LIKE 'scale\_%') a ON a.id = p.account_id
      WHERE p.id IN (SELECT post_id FROM instagram_post_insights_due)) x
WHERE d.post_id = x.pid`
)

// cycle is how long a real cycle is compressed to.
func cycle(real time.Duration, f float64) time.Duration {
	return time.Duration(float64(real) / f)
}

// arm spreads the due times as above and returns how long it took.
func arm(ctx context.Context, db *sql.DB, f float64) (time.Duration, error) {
	t := time.Now()
	syncDue := igsync.SyncEvery - igsync.SyncCheckEvery
	if _, err := db.ExecContext(ctx, armSyncs, syncDue.Seconds(), cycle(igsync.SyncEvery, f).Seconds()); err != nil {
		return 0, fmt.Errorf("arm syncs: %w", err)
	}
	if _, err := db.ExecContext(ctx, armAccountInsights, igsync.KindAccountInsights,
		igsync.AccountInsightsAge.Seconds(), cycle(igsync.AccountInsightsAge, f).Seconds()); err != nil {
		return 0, fmt.Errorf("arm account insights: %w", err)
	}
	if _, err := db.ExecContext(ctx, armReadings, cycle(igsync.SyncEvery, f).Seconds(), readingsPerCycle); err != nil {
		return 0, fmt.Errorf("arm readings: %w", err)
	}
	return time.Since(t), nil
}

// periods are the schedules' real intervals (igsync.Schedules), which the
// clock compresses.
var periods = map[string]time.Duration{
	"sync_accounts":    igsync.SyncCheckEvery,
	"refresh_tokens":   igsync.RefreshEvery,
	"account_insights": igsync.AccountInsightsEvery,
	"read_insights":    igsync.InsightsEvery,
}

// clock makes each schedule due every period/F until ctx ends, at once
// first. The replicas' schedulers look each minute, so a schedule runs at
// most once a minute however far time is compressed.
func clock(ctx context.Context, db *sql.DB, f float64) {
	last := map[string]time.Time{}
	for ctx.Err() == nil {
		for name, p := range periods {
			if t, ok := last[name]; ok && time.Since(t) < cycle(p, f) {
				continue
			}
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := db.ExecContext(c, `UPDATE schedules SET next_run_at = now() WHERE name = $1`, name)
			cancel()
			if err == nil {
				last[name] = time.Now()
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

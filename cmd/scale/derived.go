package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The insert triggers of instagram_posts and what each keeps. With -bulk
// (the default) the posts go in on a connection in
// session_replication_role = replica, where no trigger fires (foreign-key
// checks included: the seed's rows are consistent by construction), and
// what the known triggers keep is built set-based, per batch of accounts,
// by the statements below. A trigger this list does not know (a table
// added by a later migration) is set ENABLE ALWAYS for the seed, so it
// still fires and keeps its table itself, batch by batch. The
// insights-due trigger is off either way: the seed writes the due rows of
// the fake's posts only (the rest were read already).
var (
	insightsDueTrigger = "instagram_posts_insights_due_inserted"
	bulkTriggers       = []string{
		"instagram_posts_hashtags_inserted",    // 0006: instagram_post_hashtags
		"instagram_posts_inserted",             // 0005, 0007: posts_count and data_version
		"instagram_posts_advice_days_inserted", // 0018: advice_post_days
	}
)

// batchAccounts are the ids of the seeded accounts numbered $1..$2.
const batchAccounts = `SELECT id FROM instagram_accounts WHERE username LIKE 'scale\_%' AND substring(username from 7)::int BETWEEN $1 AND $2`

// The set-based builds of one batch, what the triggers would have done.
var bulkBuilds = []struct{ name, q string }{
	{"hashtag rows", `
INSERT INTO instagram_post_hashtags (post_id, account_id, posted_at, tag, engagement)
SELECT DISTINCT p.id, p.account_id, p.posted_at, t.tag,
    COALESCE(p.like_count, 0)::bigint + COALESCE(p.comments_count, 0)::bigint
FROM instagram_posts p CROSS JOIN LATERAL unnest(p.hashtags) AS t(tag)
WHERE p.account_id IN (` + batchAccounts + `) AND p.posted_at IS NOT NULL`},
	{"posts_count and data_version", `
UPDATE instagram_accounts a SET posts_count = a.posts_count + c.n, data_version = a.data_version + 1
FROM (SELECT account_id, count(*) AS n FROM instagram_posts WHERE account_id IN (` + batchAccounts + `) GROUP BY account_id) c
WHERE a.id = c.account_id`},
	{"advice_post_days", `
INSERT INTO advice_post_days (account_id, day, posts, facts)
SELECT p.account_id, (p.posted_at AT TIME ZONE 'UTC')::date, count(*),
    string_agg(advice_post_fact(p), ''::bytea ORDER BY p.posted_at DESC, p.id DESC)
FROM instagram_posts p
WHERE p.account_id IN (` + batchAccounts + `) AND isfinite(p.posted_at)
GROUP BY 1, 2`},
}

// execer is a *sql.DB or a *sql.Conn.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// insertTriggers returns the enabled row-level or statement-level INSERT
// triggers of instagram_posts.
func insertTriggers(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT tgname FROM pg_trigger
		WHERE tgrelid = 'instagram_posts'::regclass AND NOT tgisinternal AND tgenabled <> 'D' AND (tgtype & 4) <> 0
		ORDER BY tgname`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func setTriggers(ctx context.Context, db execer, names []string, verb string) error {
	for _, n := range names {
		// The names are this file's constants, never input.
		if _, err := db.ExecContext(ctx, `ALTER TABLE instagram_posts `+verb+` TRIGGER `+n); err != nil {
			return fmt.Errorf("%s trigger %s: %w", strings.ToLower(verb), n, err)
		}
	}
	return nil
}

// seedAllPosts inserts the posts in batches of accounts, builds what the
// turned-off triggers keep when bulk, and checks the result.
func seedAllPosts(ctx context.Context, db *sql.DB, res *seedResult, n, posts int, bulk bool, progress func(string)) error {
	enabled, err := insertTriggers(ctx, db)
	if err != nil {
		return err
	}
	known := map[string]bool{insightsDueTrigger: true}
	for _, t := range bulkTriggers {
		known[t] = bulk
	}
	var unknown []string
	for _, t := range enabled {
		if !known[t] {
			unknown = append(unknown, t)
		}
	}
	res.bulk, res.enabled = bulk, unknown
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	restore := context.WithoutCancel(ctx)
	if bulk {
		if err := setTriggers(ctx, conn, unknown, "ENABLE ALWAYS"); err != nil {
			return err
		}
		defer setTriggers(restore, conn, unknown, "ENABLE") //nolint:errcheck // the database is dropped after the drill
		for _, q := range []string{`SET session_replication_role = replica`, `SET work_mem = '256MB'`} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return err
			}
		}
	} else {
		if err := setTriggers(ctx, conn, []string{insightsDueTrigger}, "DISABLE"); err != nil {
			return err
		}
		defer setTriggers(restore, conn, []string{insightsDueTrigger}, "ENABLE") //nolint:errcheck
	}
	if _, err := conn.ExecContext(ctx, `SET synchronous_commit = off`); err != nil {
		return err
	}
	progress(fmt.Sprintf("seed posts: bulk build %v; insert triggers that fire: %s", bulk, strings.Join(unknown, ", ")))

	var rows int64
	var insert time.Duration
	builds := make([]time.Duration, len(bulkBuilds))
	t := time.Now()
	const batch = 250
	for lo := 1; lo <= n; lo += batch {
		hi := min(lo+batch-1, n)
		t0 := time.Now()
		r, err := conn.ExecContext(ctx, seedPosts, posts, lo, hi)
		if err != nil {
			return fmt.Errorf("seed posts %d-%d: %w", lo, hi, err)
		}
		insert += time.Since(t0)
		k, _ := r.RowsAffected()
		rows += k
		if bulk {
			for i, b := range bulkBuilds {
				t0 := time.Now()
				if _, err := conn.ExecContext(ctx, b.q, lo, hi); err != nil {
					return fmt.Errorf("seed %s %d-%d: %w", b.name, lo, hi, err)
				}
				builds[i] += time.Since(t0)
			}
		}
		if hi%(batch*8) == 0 || hi == n {
			progress(fmt.Sprintf("seed posts: %d accounts, %d posts, %.0f s", hi, rows, time.Since(t).Seconds()))
		}
	}
	name := "posts (insert, every trigger but insights-due firing)"
	if bulk {
		name = "posts (insert, no known trigger firing)"
	}
	res.steps = append(res.steps, seedStep{name: name, rows: rows, took: insert})
	if _, err := conn.ExecContext(ctx, `RESET session_replication_role`); err != nil {
		return err
	}
	if bulk {
		for i, b := range bulkBuilds {
			res.steps = append(res.steps, seedStep{name: b.name + " (set-based)", took: builds[i]})
		}
	}
	t0 := time.Now()
	res.check, err = checkDerived(ctx, db, n, posts)
	res.steps = append(res.steps, seedStep{name: "consistency check", took: time.Since(t0)})
	progress(fmt.Sprintf("seed check in %.1f s: %s", time.Since(t0).Seconds(), res.check))
	return err
}

// checkDerived compares the derived tables with the posts: the totals over
// every account (posts_count, hashtag rows, advice days' posts, data
// versions), and three accounts exactly (their hashtag rows and day
// records recomputed from the posts).
func checkDerived(ctx context.Context, db *sql.DB, n, posts int) (string, error) {
	var nPosts, counted, tags, wantTags, advice, unversioned int64
	err := db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM instagram_posts),
		(SELECT COALESCE(sum(posts_count), 0) FROM instagram_accounts),
		(SELECT count(*) FROM instagram_post_hashtags),
		(SELECT COALESCE(sum(posts), 0) FROM advice_post_days),
		(SELECT count(*) FROM instagram_accounts WHERE data_version = 0)`).Scan(&nPosts, &counted, &tags, &advice, &unversioned)
	if err != nil {
		return "", fmt.Errorf("check: %w", err)
	}
	// Every seeded post has #travel and #tagN, every third #food too.
	wantTags = int64(n) * int64(2*posts+posts/3)
	var bad []string
	if counted != nPosts {
		bad = append(bad, fmt.Sprintf("posts_count sums to %d, %d posts", counted, nPosts))
	}
	if tags != wantTags {
		bad = append(bad, fmt.Sprintf("%d hashtag rows, want %d", tags, wantTags))
	}
	if advice != nPosts {
		bad = append(bad, fmt.Sprintf("advice_post_days hold %d posts, %d posts", advice, nPosts))
	}
	if unversioned != 0 {
		bad = append(bad, fmt.Sprintf("%d account(s) at data_version 0", unversioned))
	}
	var diff int64
	err = db.QueryRowContext(ctx, `
WITH s AS (SELECT id FROM instagram_accounts WHERE username IN ('scale_1', 'scale_' || ($1 / 2 + 1), 'scale_' || $1)),
want_tags AS (
	SELECT DISTINCT p.id, p.account_id, p.posted_at, t.tag, COALESCE(p.like_count, 0)::bigint + COALESCE(p.comments_count, 0)::bigint AS engagement
	FROM instagram_posts p CROSS JOIN LATERAL unnest(p.hashtags) AS t(tag)
	WHERE p.account_id IN (SELECT id FROM s) AND p.posted_at IS NOT NULL),
got_tags AS (SELECT post_id, account_id, posted_at, tag, engagement FROM instagram_post_hashtags WHERE account_id IN (SELECT id FROM s)),
want_days AS (
	SELECT p.account_id, (p.posted_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS posts,
		string_agg(advice_post_fact(p), ''::bytea ORDER BY p.posted_at DESC, p.id DESC) AS facts
	FROM instagram_posts p WHERE p.account_id IN (SELECT id FROM s) AND isfinite(p.posted_at) GROUP BY 1, 2),
got_days AS (SELECT account_id, day, posts, facts FROM advice_post_days WHERE account_id IN (SELECT id FROM s))
SELECT (SELECT count(*) FROM ((SELECT * FROM want_tags EXCEPT SELECT * FROM got_tags) UNION ALL (SELECT * FROM got_tags EXCEPT SELECT * FROM want_tags)) x)
     + (SELECT count(*) FROM ((SELECT * FROM want_days EXCEPT SELECT * FROM got_days) UNION ALL (SELECT * FROM got_days EXCEPT SELECT * FROM want_days)) y)`, n).Scan(&diff)
	if err != nil {
		return "", fmt.Errorf("check: %w", err)
	}
	if diff != 0 {
		bad = append(bad, fmt.Sprintf("%d derived row(s) of three sampled accounts differ from their posts", diff))
	}
	if len(bad) > 0 {
		msg := strings.Join(bad, "; ")
		return msg, errors.New("seed check: " + msg)
	}
	return fmt.Sprintf("ok: %d posts, %d hashtag rows, %d posts in advice days, three accounts exact", nPosts, tags, advice), nil
}

package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/migrations"
)

// seedVersion names the shape of the seeded data; a database seeded with
// another version, or more than maxSeedAge ago (its posts have aged out of
// the windows), is seeded again.
const (
	seedVersion = "growth-bench-v1"
	maxSeedAge  = 7 * 24 * time.Hour
)

// Shape of the data set.
const (
	typicalAccounts = 1000
	typicalPosts    = 1000 // each, over the last two years
	bigPosts        = 100_000
	bigUserEmail    = "bench-big@example.test"
)

// ensureDatabase creates the database named in dbURL through adminURL
// when it does not exist yet.
func ensureDatabase(ctx context.Context, adminURL, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("database URL: %w", err)
	}
	name := u.Path
	if len(name) > 0 && name[0] == '/' {
		name = name[1:]
	}
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// ensureSeed migrates db and seeds it unless it already holds this
// version's data. It reports whether it seeded and how long that took.
func ensureSeed(ctx context.Context, db *sql.DB, logf func(string, ...any)) error {
	if _, err := postgres.Migrate(ctx, db, migrations.FS); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_seed (version TEXT PRIMARY KEY, seeded_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("bench_seed: %w", err)
	}
	var at time.Time
	err := db.QueryRowContext(ctx, `SELECT seeded_at FROM bench_seed WHERE version = $1`, seedVersion).Scan(&at)
	if err == nil && time.Since(at) < maxSeedAge {
		logf("reusing the data seeded at %s (%s)", at.UTC().Format(time.RFC3339), seedVersion)
		return nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("bench_seed: %w", err)
	}
	start := time.Now()
	logf("seeding %d accounts × %d posts and one account with %d posts...", typicalAccounts, typicalPosts, bigPosts)
	for _, step := range seedSteps {
		t := time.Now()
		if _, err := db.ExecContext(ctx, step.sql); err != nil {
			return fmt.Errorf("seed: %s: %w", step.name, err)
		}
		logf("  %-28s %6.1fs", step.name, time.Since(t).Seconds())
	}
	logf("seeded in %.1fs", time.Since(start).Seconds())
	return nil
}

// tagPool is the hashtags the seeded captions draw from, 20 of them.
const tagPool = `ARRAY['#travel','#food','#fitness','#ootd','#sunset','#beach','#coffee','#art','#music','#love',
	'#nature','#photography','#style','#reels','#growth','#motivation','#dog','#cat','#summer','#café']`

// postsSelect yields the posts of the accounts in acc (id, k) with n posts
// each spread evenly over span before now: likes hidden for 5 %, 0 to 3
// hashtags per post, four media types.
func postsSelect(acc, n, span string) string {
	return `
	INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, media_url, permalink,
		like_count, comments_count, posted_at, fetched_at, hashtags)
	SELECT a.id, 'bench_' || a.k || '_' || j,
		'Post ' || j || ' ' || array_to_string(tags, ' '),
		(ARRAY['IMAGE','VIDEO','CAROUSEL_ALBUM','REELS'])[1 + (j * 7 + a.k) % 4],
		'https://cdn.example.test/' || a.k || '/' || j, 'https://instagram.example.test/p/' || a.k || '_' || j,
		CASE WHEN (j + a.k) % 20 = 0 THEN NULL ELSE (random() * 2000)::int END,
		(random() * 120)::int,
		now() - (j::float8 / ` + n + `) * interval '` + span + `' - random() * interval '3 hours',
		now(), tags
	FROM (` + acc + `) a
	CROSS JOIN generate_series(1, ` + n + `) j
	CROSS JOIN LATERAL (
		SELECT COALESCE(array_agg(DISTINCT (` + tagPool + `)[1 + (j * 31 + a.k * 17 + g * 7) % 20]), '{}') AS tags
		FROM generate_series(1, (j + a.k) % 4) g
	) t`
}

var seedSteps = []struct{ name, sql string }{
	{"truncate", `TRUNCATE users, instagram_accounts, instagram_posts, follower_snapshots, bench_seed CASCADE`},
	{"users", `INSERT INTO users (email, password)
		SELECT 'bench-' || i || '@example.test', 'x' FROM generate_series(1, ` + fmt.Sprint(typicalAccounts) + `) i
		UNION ALL SELECT '` + bigUserEmail + `', 'x'`},
	{"accounts", `INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token, followers)
		SELECT id, 'bench_ig_' || email, 'creator', 'ciphertext', 1000 + (random() * 200000)::int FROM users`},
	{"posts (typical)", postsSelect(`SELECT a.id, row_number() OVER (ORDER BY a.id) AS k FROM instagram_accounts a
		JOIN users u ON u.id = a.user_id WHERE u.email <> '`+bigUserEmail+`'`, fmt.Sprint(typicalPosts), "730 days")},
	{"posts (100k account)", postsSelect(`SELECT a.id, 0 AS k FROM instagram_accounts a
		JOIN users u ON u.id = a.user_id WHERE u.email = '`+bigUserEmail+`'`, fmt.Sprint(bigPosts), "1095 days")},
	{"follower snapshots", `INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
		SELECT a.id, (now() - d * interval '1 day')::date, GREATEST(a.followers - d * 10, 0), now() - d * interval '1 day'
		FROM instagram_accounts a CROSS JOIN generate_series(0, 364) d`},
	{"vacuum analyze", `VACUUM ANALYZE`},
	{"mark", `INSERT INTO bench_seed (version, seeded_at) VALUES ('` + seedVersion + `', now())`},
}

// benchAccount is a seeded account with its owner.
type benchAccount struct {
	ID, UserID, Email string
}

// loadAccounts returns the typical accounts and the big one.
func loadAccounts(ctx context.Context, db *sql.DB) ([]benchAccount, benchAccount, error) {
	rows, err := db.QueryContext(ctx, `SELECT a.id, u.id, u.email FROM instagram_accounts a JOIN users u ON u.id = a.user_id
		WHERE u.email LIKE 'bench%' ORDER BY u.email`)
	if err != nil {
		return nil, benchAccount{}, fmt.Errorf("load accounts: %w", err)
	}
	defer rows.Close()
	var typical []benchAccount
	var big benchAccount
	for rows.Next() {
		var a benchAccount
		if err := rows.Scan(&a.ID, &a.UserID, &a.Email); err != nil {
			return nil, benchAccount{}, err
		}
		if a.Email == bigUserEmail {
			big = a
		} else {
			typical = append(typical, a)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, benchAccount{}, err
	}
	if len(typical) == 0 || big.ID == "" {
		return nil, benchAccount{}, errors.New("the benchmark database holds no seeded accounts")
	}
	return typical, big, nil
}

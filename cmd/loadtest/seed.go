package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"github.com/lib/pq"
	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/postgres"
)

// loadPassword is every seeded user's password.
const loadPassword = "loadtest-password-1"

// seedUser is one seeded user with a token for the protected routes.
type seedUser struct {
	ID, Email, Token, AccountID string
}

// fixture is what the seed left in the database.
type fixture struct {
	users []seedUser
}

// Seed statements. Posts are made by generate_series, about 4 h 17 min
// apart, so that 1,000 posts cover some 180 days and every stats window
// has data; captions carry the hashtags the hashtags column lists.
const (
	seedClean = `DELETE FROM users WHERE email LIKE 'loadtest-%@example.com'`

	seedUsers = `
INSERT INTO users (email, password)
SELECT 'loadtest-' || g || '@example.com', $1 FROM generate_series(1, $2) g`

	seedAccounts = `
INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token, token_expires_at, followers, last_synced_at)
SELECT u.id, '1784150' || lpad(u.n::text, 10, '0'), 'loadtest_' || u.n, 'not-a-token', now() + interval '50 days',
       1000 + u.n * 37, now()
FROM (SELECT id, substring(email from 'loadtest-([0-9]+)@')::int AS n FROM users WHERE email LIKE 'loadtest-%@example.com') u`

	seedPosts = `
INSERT INTO instagram_posts (ig_post_id, account_id, caption, media_type, media_url, permalink,
                             like_count, comments_count, posted_at, fetched_at, hashtags)
SELECT a.ig_user_id || '_' || g, a.id,
       'Post ' || g || ' from the road #Travel #tag' || (g % 20) || CASE WHEN g % 3 = 0 THEN ' #food' ELSE '' END,
       (ARRAY['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'])[1 + g % 3],
       'https://cdn.example.invalid/m/' || a.ig_user_id || '_' || g || '.jpg',
       'https://www.instagram.com/p/' || a.ig_user_id || g || '/',
       CASE WHEN g % 97 = 0 THEN NULL ELSE ((g * 7919) % 500 + 20) END,
       (g * 104729) % 60,
       now() - g * interval '4 hours 17 minutes',
       now(),
       ARRAY['#travel', '#tag' || (g % 20)] || CASE WHEN g % 3 = 0 THEN ARRAY['#food'] ELSE ARRAY[]::text[] END
FROM instagram_accounts a CROSS JOIN generate_series(1, $1) g
WHERE a.username LIKE 'loadtest\_%'
ORDER BY a.id, g DESC` // one account's posts together, oldest first, as a first sync leaves them

	seedSnapshots = `
INSERT INTO follower_snapshots (account_id, taken_on, followers)
SELECT a.id, current_date - d, GREATEST(a.followers - d * 3, 0)
FROM instagram_accounts a CROSS JOIN generate_series(1, 120) d
WHERE a.username LIKE 'loadtest\_%'`

	seedWaitlist = `
INSERT INTO waitlist (email, created_at)
SELECT 'seed-' || g || '-' || $2 || '@example.com', now() - g * interval '1 hour' FROM generate_series(1, $1) g
ON CONFLICT (email) DO NOTHING`

	fixtureUsers = `
SELECT u.id, u.email, a.id FROM users u JOIN instagram_accounts a ON a.user_id = u.id
WHERE u.email LIKE 'loadtest-%@example.com' ORDER BY u.email`
)

// seed creates users with accounts, posts, follower snapshots and waitlist
// rows, replacing an earlier seed, and mints a token per user.
func seed(ctx context.Context, dsn string, secret []byte, users, posts, waitlist int) (fixture, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return fixture{}, err
	}
	defer db.Close()
	hash, err := bcrypt.GenerateFromPassword([]byte(loadPassword), auth.BcryptCost)
	if err != nil {
		return fixture{}, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fixture{}, err
	}
	defer tx.Rollback() //nolint:errcheck
	steps := []struct {
		name string
		q    string
		args []any
	}{
		{"clean", seedClean, nil},
		{"users", seedUsers, []any{string(hash), users}},
		{"accounts", seedAccounts, nil},
		{"posts", seedPosts, []any{posts}},
		{"snapshots", seedSnapshots, nil},
		{"waitlist", seedWaitlist, []any{waitlist, fmt.Sprint(os.Getpid())}},
	}
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
			return fixture{}, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fixture{}, err
	}
	if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
		return fixture{}, fmt.Errorf("analyze: %w", err)
	}
	return readFixture(ctx, db, secret)
}

// loadFixture reads an earlier seed.
func loadFixture(ctx context.Context, dsn string, secret []byte) (fixture, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return fixture{}, err
	}
	defer db.Close()
	return readFixture(ctx, db, secret)
}

func readFixture(ctx context.Context, db *sql.DB, secret []byte) (fixture, error) {
	rows, err := db.QueryContext(ctx, fixtureUsers)
	if err != nil {
		return fixture{}, err
	}
	defer rows.Close()
	tokens := auth.NewTokens(secret)
	sessions := postgres.NewSessions(db)
	var fx fixture
	for rows.Next() {
		var u seedUser
		if err := rows.Scan(&u.ID, &u.Email, &u.AccountID); err != nil {
			return fixture{}, err
		}
		sess, err := sessions.Create(ctx, u.ID, auth.TokenTTL)
		if err != nil {
			return fixture{}, err
		}
		if u.Token, err = tokens.Issue(u.ID, u.Email, sess.ID); err != nil {
			return fixture{}, err
		}
		fx.users = append(fx.users, u)
	}
	if err := rows.Err(); err != nil {
		return fixture{}, err
	}
	if len(fx.users) == 0 {
		return fixture{}, fmt.Errorf("no seeded users")
	}
	return fx, nil
}

// checkWaitlist returns how many of the emails that got a 2xx signup are
// not in the waitlist table.
func checkWaitlist(ctx context.Context, dsn string, emails []string) (int, error) {
	if len(emails) == 0 {
		return 0, nil
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var found int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM waitlist WHERE email = ANY($1)`, pq.Array(emails)).Scan(&found)
	return len(emails) - found, err
}

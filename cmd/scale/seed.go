package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lib/pq"
	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/secretbox"
)

// scalePassword is every seeded user's password.
const scalePassword = "scale-drill-password-1"

// Seed statements. Every account's ig_user_id is one of the fake's extra
// accounts (fakeig -accounts), and its posts' ig_post_ids follow the fake's
// scheme ("18", the id's last six digits, the post's number in nine), so
// that the first -account-posts of them are the fake's own posts: a sync
// updates those and adds none, and their insights readings reach posts the
// fake knows. Posts are about 4 h 17 min apart, newest first.
const (
	seedUsers = `
INSERT INTO users (email, password)
SELECT 'scale-' || g || '@example.com', $1 FROM generate_series(1, $2) g`

	// Every account was synced just now; arm (schedule.go) spreads the
	// last syncs over the cycle when the work starts.
	seedAccounts = `
INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token, token_expires_at, followers, last_synced_at)
SELECT u.id, t.ig, 'scale_' || t.n, t.sealed, now() + interval '50 days', 500 + t.n % 5000, now()
FROM unnest($1::int[], $2::text[], $3::text[]) AS t(n, ig, sealed)
JOIN users u ON u.email = 'scale-' || t.n || '@example.com'`

	// The posts of the accounts numbered $2..$3 (a batch), with their
	// latest insights reading a day old.
	seedPosts = `
INSERT INTO instagram_posts (ig_post_id, account_id, caption, media_type, media_product_type, media_url, permalink,
                             like_count, comments_count, posted_at, fetched_at, hashtags,
                             insights_captured_at, views, reach, saved, shares, total_interactions)
SELECT '18' || right(a.ig_user_id, 6) || lpad(g::text, 9, '0'), a.id,
       'Post ' || g || ' from the road #Travel #tag' || (g % 20) || CASE WHEN g % 3 = 0 THEN ' #food' ELSE '' END,
       (ARRAY['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'])[1 + g % 3],
       CASE WHEN g % 3 = 1 THEN 'REELS' ELSE 'FEED' END,
       'https://cdn.example.invalid/m/' || a.ig_user_id || '_' || g || '.jpg',
       'https://www.instagram.com/p/' || a.ig_user_id || g || '/',
       CASE WHEN g % 97 = 0 THEN NULL ELSE ((g * 7919) % 500 + 20) END,
       (g * 104729) % 60,
       now() - g * interval '4 hours 17 minutes',
       now() - interval '7 hours',
       ARRAY['#travel', '#tag' || (g % 20)] || CASE WHEN g % 3 = 0 THEN ARRAY['#food'] ELSE ARRAY[]::text[] END,
       now() - interval '1 day', (g * 31) % 9000 + 400, (g * 17) % 6000 + 300, g % 40, g % 25, (g * 7919) % 500 + 40
FROM instagram_accounts a CROSS JOIN generate_series(1, $1) g
WHERE a.username LIKE 'scale\_%' AND substring(a.username from 7)::int BETWEEN $2 AND $3
ORDER BY a.id, g DESC`

	// The posts the fake knows (the newest $1 of each account) get a row
	// for their next insights reading, with no time yet: arm sets it.
	seedDue = `
INSERT INTO instagram_post_insights_due (post_id, account_id, due_at)
SELECT p.id, p.account_id, NULL
FROM instagram_accounts a CROSS JOIN generate_series(1, $1) g
JOIN instagram_posts p ON p.account_id = a.id AND p.ig_post_id = '18' || right(a.ig_user_id, 6) || lpad(g::text, 9, '0')
WHERE a.username LIKE 'scale\_%'`

	seedSnapshots = `
INSERT INTO follower_snapshots (account_id, taken_on, followers)
SELECT a.id, current_date - d, GREATEST(a.followers - d * 3, 0)
FROM instagram_accounts a CROSS JOIN generate_series(1, 120) d
WHERE a.username LIKE 'scale\_%'`
)

// seedResult is what the seed measured.
type seedResult struct {
	steps []seedStep
	total time.Duration
	// bulk: the derived tables were built set-based; enabled are the
	// insert triggers of instagram_posts that ran anyway (unknown to
	// derived.go, or all of them without bulk).
	bulk    bool
	enabled []string
	check   string // the consistency check's outcome
}

type seedStep struct {
	name string
	rows int64
	took time.Duration
}

// readTokens reads the fake's "ig_user_id token" lines.
func readTokens(path string) ([]string, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var ids, toks []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id, tok, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, nil, fmt.Errorf("%s: bad line", path)
		}
		ids, toks = append(ids, id), append(toks, tok)
	}
	return ids, toks, sc.Err()
}

// seed creates n users, each with an account (its token sealed with the
// server's key) of posts posts, follower snapshots for 120 days, and a
// due row for each of the fake's posts (its time set by arm). bulk builds
// the posts' derived tables set-based (derived.go) rather than by the
// insert triggers.
func seed(ctx context.Context, db *sql.DB, key []byte, tokensPath string, n, posts, fakePosts int, bulk bool, progress func(string)) (seedResult, error) {
	var res seedResult
	start := time.Now()
	step := func(name string, q string, args ...any) error {
		t := time.Now()
		r, err := db.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("seed %s: %w", name, err)
		}
		rows, _ := r.RowsAffected()
		res.steps = append(res.steps, seedStep{name: name, rows: rows, took: time.Since(t)})
		progress(fmt.Sprintf("seed %s: %d rows in %.1f s", name, rows, time.Since(t).Seconds()))
		return nil
	}
	ids, toks, err := readTokens(tokensPath)
	if err != nil {
		return res, err
	}
	if len(ids) < n {
		return res, fmt.Errorf("the fake has %d accounts, want %d", len(ids), n)
	}
	box, err := secretbox.New(key)
	if err != nil {
		return res, err
	}
	nums := make([]int64, n)
	sealed := make([]string, n)
	for i := range n {
		nums[i] = int64(i + 1)
		if sealed[i], err = box.Seal(toks[i], ids[i]); err != nil {
			return res, err
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(scalePassword), auth.BcryptCost)
	if err != nil {
		return res, err
	}
	if err := step("users", seedUsers, string(hash), n); err != nil {
		return res, err
	}
	if err := step("accounts", seedAccounts, pq.Array(nums), pq.Array(ids[:n]), pq.Array(sealed)); err != nil {
		return res, err
	}
	if err := seedAllPosts(ctx, db, &res, n, posts, bulk, progress); err != nil {
		return res, err
	}
	if err := step("insights due", seedDue, fakePosts); err != nil {
		return res, err
	}
	if err := step("follower snapshots", seedSnapshots); err != nil {
		return res, err
	}
	if err := step("vacuum analyze", `VACUUM ANALYZE`); err != nil {
		return res, err
	}
	res.total = time.Since(start)
	return res, nil
}

// sessions opens a server-side session for up to n seeded users and mints
// its token, for the dashboard load.
func sessions(ctx context.Context, db *sql.DB, secret []byte, n int) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, email FROM users WHERE email LIKE 'scale-%' ORDER BY random() LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	var users [][2]string
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			rows.Close()
			return nil, err
		}
		users = append(users, [2]string{id, email})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	tokens := auth.NewTokens(secret)
	store := postgres.NewSessions(db)
	out := make([]string, 0, len(users))
	for _, u := range users {
		sess, err := store.Create(ctx, u[0], auth.TokenTTL)
		if err != nil {
			return nil, err
		}
		tok, err := tokens.Issue(u[0], u[1], sess.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, tok)
	}
	return out, nil
}

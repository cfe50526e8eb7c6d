package postgres_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/advice"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// referencePostsQuery is how the recommendations read their window before
// advice_post_days: every post of the window, one row each, straight from
// instagram_posts. WindowPosts must return exactly what it returns.
const referencePostsQuery = `SELECT id, round(date_part('epoch', posted_at) * 1000000)::bigint,
	COALESCE(media_type, ''), COALESCE(media_product_type, ''),
	CASE WHEN media_type = 'VIDEO' AND media_product_type IS NULL THEN COALESCE(permalink, '') ELSE '' END,
	COALESCE(char_length(caption), 0)::bigint, cardinality(hashtags)::bigint,
	COALESCE(like_count, -1)::bigint, COALESCE(comments_count, 0)::bigint,
	COALESCE(saved, -1), COALESCE(shares, -1), COALESCE(reach, -1), COALESCE(views, -1), COALESCE(skip_rate, -1)
	FROM instagram_posts WHERE account_id = $1 AND posted_at > $2 AND posted_at <= $3
	ORDER BY posted_at DESC, id DESC`

// referencePosts reads the window by referencePostsQuery.
func referencePosts(t *testing.T, db *sql.DB, accountID string, after, upTo time.Time) []advice.Post {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), referencePostsQuery, accountID, after, upTo)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	known := func(v int64) *int64 {
		if v < 0 {
			return nil
		}
		return &v
	}
	out := []advice.Post{}
	for rows.Next() {
		var (
			p                                               advice.Post
			at, chars, tags, likes, saved, shares, reach, v int64
			skip                                            float64
		)
		if err := rows.Scan(&p.ID, &at, &p.MediaType, &p.MediaProductType, &p.Permalink, &chars, &tags, &likes, &p.Comments,
			&saved, &shares, &reach, &v, &skip); err != nil {
			t.Fatal(err)
		}
		p.PostedAt = time.UnixMicro(at).UTC()
		p.CaptionChars, p.HashtagCount = int(chars), int(tags)
		p.Likes, p.Saved, p.Shares, p.Reach, p.Views = known(likes), known(saved), known(shares), known(reach), known(v)
		if skip >= 0 || math.IsNaN(skip) {
			p.SkipRate = &skip
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// samePosts reports the first difference between two windows, "" when
// they are the same (a NaN skip rate equals a NaN).
func samePosts(got, want []advice.Post) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d posts, want %d", len(got), len(want))
	}
	ints := func(p *int64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(*p)
	}
	for i := range got {
		g, w := got[i], want[i]
		var gs, ws string
		if g.SkipRate != nil {
			gs = fmt.Sprint(*g.SkipRate)
		}
		if w.SkipRate != nil {
			ws = fmt.Sprint(*w.SkipRate)
		}
		if g.ID != w.ID || !g.PostedAt.Equal(w.PostedAt) || g.PostedAt.Location() != w.PostedAt.Location() ||
			g.MediaType != w.MediaType || g.MediaProductType != w.MediaProductType || g.Permalink != w.Permalink ||
			g.Caption != w.Caption || g.CaptionChars != w.CaptionChars || g.HashtagCount != w.HashtagCount ||
			g.Comments != w.Comments || (g.SkipRate == nil) != (w.SkipRate == nil) || gs != ws {
			return fmt.Sprintf("post %d = %+v, want %+v", i, g, w)
		}
		for _, f := range [][2]*int64{{g.Likes, w.Likes}, {g.Saved, w.Saved}, {g.Shares, w.Shares}, {g.Reach, w.Reach}, {g.Views, w.Views}} {
			if ints(f[0]) != ints(f[1]) {
				return fmt.Sprintf("post %d (%s): a count is %s, want %s", i, g.ID, ints(f[0]), ints(f[1]))
			}
		}
	}
	return ""
}

// factsWorld is a database of random accounts and posts, changed by
// random statements, each checked against the reference reading.
type factsWorld struct {
	t        *testing.T
	db       *sql.DB
	store    *postgres.Advice
	rng      *rand.Rand
	accounts []string
	t0       time.Time
	serial   int
}

// instant returns a random posted_at around t0: anywhere in ±20 days, at
// a UTC midnight or a microsecond either side of one, or shared with
// another post.
func (w *factsWorld) instant() any {
	switch w.rng.IntN(40) {
	case 0:
		return nil
	case 1:
		return "infinity"
	case 2:
		return "-infinity"
	}
	day := w.t0.Add(time.Duration(w.rng.IntN(41)-20) * 24 * time.Hour)
	switch w.rng.IntN(8) {
	case 0:
		return day
	case 1:
		return day.Add(-time.Microsecond)
	case 2:
		return day.Add(time.Microsecond)
	case 3:
		return day.Add(12 * time.Hour) // many posts at one instant
	}
	return day.Add(time.Duration(w.rng.Int64N(int64(24 * time.Hour))).Truncate(time.Microsecond))
}

// pick returns one of the values, nil meaning NULL.
func (w *factsWorld) pick(vs ...any) any { return vs[w.rng.IntN(len(vs))] }

// count returns NULL or a random count up to n.
func (w *factsWorld) count(n int64) any {
	if w.rng.IntN(4) == 0 {
		return nil
	}
	return w.rng.Int64N(n + 1)
}

func (w *factsWorld) caption() any {
	switch w.rng.IntN(6) {
	case 0:
		return nil
	case 1:
		return ""
	}
	words := []string{"café", "☕", "sunset", "#travel", "a", "日本語", "🙂", "long"}
	var b strings.Builder
	for range w.rng.IntN(60) {
		b.WriteString(words[w.rng.IntN(len(words))])
		b.WriteByte(' ')
	}
	return b.String()
}

func (w *factsWorld) exec(q string, args ...any) {
	w.t.Helper()
	if _, err := w.db.ExecContext(context.Background(), q, args...); err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
}

// insert adds n random posts to the account in one statement.
func (w *factsWorld) insert(acc string, n int) {
	w.t.Helper()
	var (
		vals []string
		args []any
	)
	for range n {
		w.serial++
		k := len(args)
		vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d::timestamptz, $%d::text[], $%d, $%d, $%d, $%d, $%d::float8)",
			k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9, k+10, k+11, k+12, k+13, k+14, k+15))
		tags := "{}"
		if w.rng.IntN(2) == 0 {
			tags = "{#a,#b}"
		}
		args = append(args, acc, fmt.Sprint("p", w.serial), w.caption(),
			w.pick("IMAGE", "VIDEO", "VIDEO", "CAROUSEL_ALBUM", nil, "", "PANORAMA"),
			w.pick(nil, nil, "", "FEED", "REELS", "STORY", "AD"),
			w.pick(nil, "", "https://www.instagram.com/reel/x/", "https://www.instagram.com/p/y/", "ünï/reel/"),
			w.count(5000), w.count(300), w.instant(), tags,
			w.count(100), w.count(50), w.count(20000), w.count(40000), w.pick(nil, nil, 12.5, 0.0, 99.9, "NaN", -3.0))
	}
	w.exec(`INSERT INTO instagram_posts (account_id, ig_post_id, caption, media_type, media_product_type, permalink,
		like_count, comments_count, posted_at, hashtags, saved, shares, reach, views, skip_rate) VALUES `+strings.Join(vals, ", "), args...)
}

// change runs one random statement on the account's posts.
func (w *factsWorld) change(acc string) {
	w.t.Helper()
	share := w.rng.IntN(5) + 1 // about 1 post in share
	some := fmt.Sprintf(`account_id = $1 AND abs(hashtext(id::text || '%d')) %% %d = 0`, w.rng.Int(), share)
	switch w.rng.IntN(8) {
	case 0:
		w.insert(acc, w.rng.IntN(20)+1)
	case 1:
		w.exec(`UPDATE instagram_posts SET like_count = $2, comments_count = $3 WHERE `+some, acc, w.count(9000), w.count(100))
	case 2:
		w.exec(`UPDATE instagram_posts SET posted_at = $2::timestamptz WHERE `+some, acc, w.instant())
	case 3:
		w.exec(`UPDATE instagram_posts SET fetched_at = now() WHERE account_id = $1`, acc) // what every sync does
	case 4:
		w.exec(`DELETE FROM instagram_posts WHERE `+some, acc)
	case 5:
		w.exec(`UPDATE instagram_posts SET reach = $2, views = $3, saved = $4, shares = $5, skip_rate = $6::float8 WHERE `+some,
			acc, w.count(9000), w.count(9000), w.count(10), w.count(10), w.pick(nil, 1.5, "NaN"))
	case 6:
		w.exec(`UPDATE instagram_posts SET caption = $2, media_type = $3, media_product_type = $4, permalink = $5 WHERE `+some,
			acc, w.caption(), w.pick("IMAGE", "VIDEO", nil), w.pick(nil, "REELS", ""), w.pick(nil, "https://www.instagram.com/reel/z/"))
	case 7:
		to := w.accounts[w.rng.IntN(len(w.accounts))]
		w.exec(`UPDATE instagram_posts SET account_id = $2, ig_post_id = ig_post_id || '-moved-' || $3 WHERE `+some, acc, to, w.rng.Int())
	}
}

// check compares WindowPosts and the recommendations computed from it with
// the reference reading, for random windows of every account.
func (w *factsWorld) check(step int) {
	w.t.Helper()
	ctx := context.Background()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		w.t.Fatal(err)
	}
	for _, acc := range w.accounts {
		for range 3 {
			days := w.rng.IntN(30) + 1
			upTo := w.t0.Add(time.Duration(w.rng.Int64N(int64(25*24*time.Hour))) - 5*24*time.Hour).Truncate(time.Microsecond)
			if w.rng.IntN(3) == 0 {
				upTo = w.t0.Add(time.Duration(w.rng.IntN(20)-10) * 24 * time.Hour) // a window edge at midnight
			}
			after := upTo.Add(-time.Duration(days) * 24 * time.Hour)
			got, err := w.store.WindowPosts(ctx, acc, after, upTo)
			if err != nil {
				w.t.Fatal(err)
			}
			want := referencePosts(w.t, w.db, acc, after, upTo)
			if diff := samePosts(got, want); diff != "" {
				w.t.Fatalf("step %d, account %s, window (%s, %s]: %s", step, acc, after, upTo, diff)
			}
			in := func(ps []advice.Post) string {
				r := advice.Recommend(advice.RecommendInput{Posts: ps, Now: upTo, Location: berlin, PeriodDays: days})
				b, err := json.Marshal(r)
				if err != nil {
					w.t.Fatal(err)
				}
				return string(b)
			}
			if g, r := in(got), in(want); g != r {
				w.t.Fatalf("step %d: recommendations differ:\n got %s\nwant %s", step, g, r)
			}
		}
	}
}

// TestAdvice_WindowPostsMatchesPerPostReading: on random accounts changed
// by random statements (inserts, count and insights updates, posts moved
// in time or to another account, deletions, a sync's rewrite), the posts
// WindowPosts reads from advice_post_days, and the recommendations made
// from them, are those of the per-post reading of instagram_posts.
func TestAdvice_WindowPostsMatchesPerPostReading(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			w := &factsWorld{t: t, db: db, store: postgres.NewAdvice(postgres.NewPosts(db)),
				rng: rand.New(rand.NewPCG(seed, 42)), t0: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)}
			for range 3 {
				w.accounts = append(w.accounts, newAccount(t, db))
			}
			for _, acc := range w.accounts {
				w.insert(acc, 150)
			}
			w.check(0)
			for step := 1; step <= 40; step++ {
				w.change(w.accounts[w.rng.IntN(len(w.accounts))])
				w.check(step)
			}
		})
	}
}

// TestAdvice_PostDaysConcurrentWriters: writers that change posts of the
// same dates at the same time (each its own posts, committed one
// statement at a time) lose none of each other's changes in
// advice_post_days.
func TestAdvice_PostDaysConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	store := postgres.NewAdvice(postgres.NewPosts(db))
	acc := newAccount(t, db)
	t0 := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	if _, err := db.ExecContext(ctx, `INSERT INTO instagram_posts (account_id, ig_post_id, like_count, posted_at)
		SELECT $1, 'c' || j, 0, $2::timestamptz + (j % 3) * interval '1 day' + j * interval '1 second'
		FROM generate_series(1, 120) j`, acc, t0); err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 1; r <= rounds; r++ {
				if _, err := db.ExecContext(ctx, `UPDATE instagram_posts SET like_count = $3
					WHERE account_id = $1 AND substring(ig_post_id from 2)::int % $4 = $2`, acc, g, 1000*g+r, writers); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	after, upTo := t0.Add(-time.Hour), t0.Add(4*24*time.Hour)
	got, err := store.WindowPosts(ctx, acc, after, upTo)
	if err != nil {
		t.Fatal(err)
	}
	if diff := samePosts(got, referencePosts(t, db, acc, after, upTo)); diff != "" {
		t.Fatal(diff)
	}
	for _, p := range got {
		if p.Likes == nil || *p.Likes%1000 != rounds {
			t.Fatalf("post %s has %v likes, want a writer's last round (%d)", p.ID, p.Likes, rounds)
		}
	}
}

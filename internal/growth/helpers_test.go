package growth_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/growth"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

// testPost is a post as stored, with the NULLs the table allows.
type testPost struct {
	ID            string
	IGPostID      string
	Caption       *string
	MediaType     *string
	MediaURL      *string
	Permalink     string
	LikeCount     *int64
	CommentsCount *int64
	PostedAt      *time.Time
	FetchedAt     time.Time
	// ProductType and ThumbnailURL are NULL when nil.
	ProductType  *string
	ThumbnailURL *string
	// Insights is the latest reading, nil when none was stored.
	Insights *testInsights
}

// testInsights are the insights columns of a post.
type testInsights struct {
	CapturedAt                                              time.Time
	Views, Reach, Saved, Shares, TotalInteractions, Follows *int64
	ProfileVisits, Reposts, AvgWatchTimeMs, TotalWatchTime  *int64
	SkipRate                                                *float64
}

// testSnapshot is a row of follower_snapshots.
type testSnapshot struct {
	TakenOn   string // YYYY-MM-DD
	TakenAt   time.Time
	Followers int64
}

// createAccount inserts a user and an Instagram account with the given
// follower count and returns the account as the accounts store reads it.
func createAccount(t testing.TB, db *sql.DB, followers *int64) postgres.Account {
	t.Helper()
	return testdb.NewAccount(t, db, followers)
}

// insertPosts stores posts in one statement, their hashtags extracted as
// the Instagram sync does it.
func insertPosts(t testing.TB, db *sql.DB, accountID string, posts []testPost) {
	t.Helper()
	type row struct {
		ID            string     `json:"id"`
		IGPostID      string     `json:"ig_post_id"`
		Caption       *string    `json:"caption"`
		MediaType     *string    `json:"media_type"`
		MediaURL      *string    `json:"media_url"`
		Permalink     string     `json:"permalink"`
		LikeCount     *int64     `json:"like_count"`
		CommentsCount *int64     `json:"comments_count"`
		PostedAt      *time.Time `json:"posted_at"`
		FetchedAt     time.Time  `json:"fetched_at"`
		Hashtags      []string   `json:"hashtags"`
		ProductType   *string    `json:"media_product_type"`
		ThumbnailURL  *string    `json:"thumbnail_url"`
		CapturedAt    *time.Time `json:"insights_captured_at"`
		Views         *int64     `json:"views"`
		Reach         *int64     `json:"reach"`
		Saved         *int64     `json:"saved"`
		Shares        *int64     `json:"shares"`
		TI            *int64     `json:"total_interactions"`
		Follows       *int64     `json:"follows"`
		Visits        *int64     `json:"profile_visits"`
		Reposts       *int64     `json:"reposts"`
		AvgWatch      *int64     `json:"avg_watch_time_ms"`
		TotalWatch    *int64     `json:"total_watch_time_ms"`
		SkipRate      *float64   `json:"skip_rate"`
	}
	rows := make([]row, len(posts))
	for i, p := range posts {
		tags := []string{}
		if p.Caption != nil {
			tags = append(tags, growth.ExtractHashtags(*p.Caption)...)
		}
		rows[i] = row{ID: p.ID, IGPostID: p.IGPostID, Caption: p.Caption, MediaType: p.MediaType, MediaURL: p.MediaURL,
			Permalink: p.Permalink, LikeCount: p.LikeCount, CommentsCount: p.CommentsCount, PostedAt: p.PostedAt,
			FetchedAt: p.FetchedAt, Hashtags: tags, ProductType: p.ProductType, ThumbnailURL: p.ThumbnailURL}
		if in := p.Insights; in != nil {
			r := &rows[i]
			r.CapturedAt = &in.CapturedAt
			r.Views, r.Reach, r.Saved, r.Shares, r.TI, r.Follows = in.Views, in.Reach, in.Saved, in.Shares, in.TotalInteractions, in.Follows
			r.Visits, r.Reposts, r.AvgWatch, r.TotalWatch, r.SkipRate = in.ProfileVisits, in.Reposts, in.AvgWatchTimeMs, in.TotalWatchTime, in.SkipRate
		}
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	const q = `
		INSERT INTO instagram_posts (id, account_id, ig_post_id, caption, media_type, media_url, permalink,
			like_count, comments_count, posted_at, fetched_at, hashtags, media_product_type, thumbnail_url,
			insights_captured_at, views, reach, saved, shares, total_interactions, follows, profile_visits, reposts,
			avg_watch_time_ms, total_watch_time_ms, skip_rate)
		SELECT r.id, $1, r.ig_post_id, r.caption, r.media_type, r.media_url, r.permalink,
			r.like_count, r.comments_count, r.posted_at, r.fetched_at, r.hashtags, r.media_product_type, r.thumbnail_url,
			r.insights_captured_at, r.views, r.reach, r.saved, r.shares, r.total_interactions, r.follows, r.profile_visits,
			r.reposts, r.avg_watch_time_ms, r.total_watch_time_ms, r.skip_rate
		FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, ig_post_id text, caption text, media_type text,
			media_url text, permalink text, like_count int, comments_count int, posted_at timestamptz,
			fetched_at timestamptz, hashtags text[], media_product_type text, thumbnail_url text,
			insights_captured_at timestamptz, views bigint, reach bigint, saved bigint, shares bigint,
			total_interactions bigint, follows bigint, profile_visits bigint, reposts bigint,
			avg_watch_time_ms bigint, total_watch_time_ms bigint, skip_rate double precision)`
	if _, err := db.ExecContext(context.Background(), q, accountID, raw); err != nil {
		t.Fatalf("insert posts: %v", err)
	}
}

// insertSnapshots stores follower snapshots in one statement.
func insertSnapshots(t testing.TB, db *sql.DB, accountID string, snaps []testSnapshot) {
	t.Helper()
	if len(snaps) == 0 {
		return
	}
	raw, err := json.Marshal(snaps)
	if err != nil {
		t.Fatal(err)
	}
	const q = `
		INSERT INTO follower_snapshots (account_id, taken_on, taken_at, followers)
		SELECT $1, r."TakenOn", r."TakenAt", r."Followers"
		FROM jsonb_to_recordset($2::jsonb) AS r("TakenOn" date, "TakenAt" timestamptz, "Followers" bigint)`
	if _, err := db.ExecContext(context.Background(), q, accountID, raw); err != nil {
		t.Fatalf("insert snapshots: %v", err)
	}
}

// newPost returns a post with every column set, posted at at.
func newPost(at time.Time, likes *int64, comments int64, mediaType, caption string) testPost {
	id := uuid.NewString()
	return testPost{
		ID: id, IGPostID: "ig_" + id[:8], Caption: &caption, MediaType: &mediaType,
		MediaURL: str("https://cdn.example.test/" + id), Permalink: "https://instagram.example.test/p/" + id[:8],
		LikeCount: likes, CommentsCount: &comments, PostedAt: &at, FetchedAt: at.Add(time.Hour),
	}
}

func i64(v int64) *int64 { return &v }

func str(v string) *string { return &v }

func f64(v float64) *float64 { return &v }

// mustJSON marshals v or fails the test.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// seededRand returns the random source of a property test: a new seed each
// run, or GROWTH_SEED to replay one; the seed is logged. mix tells the
// tests' streams apart.
func seededRand(t *testing.T, mix uint64) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("GROWTH_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("GROWTH_SEED: %v", err)
		}
		seed = v
	}
	t.Logf("seed %d (rerun with GROWTH_SEED=%d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^mix))
}

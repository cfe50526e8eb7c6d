package postgres_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"creatorgrowth/internal/apperr"
	"creatorgrowth/internal/instagram"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/testdb"
)

func i64p(v int64) *int64 { return &v }

func TestPosts_RecordInsights(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	posts := postgres.NewPosts(db)
	acc, other := newAccount(t, db), newAccount(t, db)
	posted := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	likes := int64(40)
	if err := posts.Upsert(ctx, acc, []postgres.PostInput{{IGPostID: "r1", MediaType: "VIDEO", MediaProductType: "REELS",
		ThumbnailURL: "https://cdn.example.test/t.jpg", PostedAt: posted, LikeCount: &likes, CommentsCount: 3}}); err != nil {
		t.Fatal(err)
	}
	list, err := posts.List(ctx, acc, time.Time{}, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("List: %v %v", list, err)
	}
	p := list[0]
	if p.Insights != nil || p.MediaURL != nil || p.ThumbnailURL == nil || p.MediaProductType != "REELS" {
		t.Fatalf("new post = %+v: want no insights, no media_url, the thumbnail, REELS", p)
	}
	version := func() int64 {
		var v int64
		if err := db.QueryRowContext(ctx, `SELECT data_version FROM instagram_accounts WHERE id = $1`, acc).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	due := func() sql.NullTime {
		var d sql.NullTime
		if err := db.QueryRowContext(ctx, `SELECT due_at FROM instagram_post_insights_due WHERE post_id = $1`, p.ID).Scan(&d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if !due().Valid {
		t.Fatal("a new post is not due for a reading")
	}

	t1, t2 := posted.Add(time.Hour), posted.Add(2*time.Hour)
	next := t2.Add(time.Hour)
	v0 := version()
	// The later reading first, then an earlier one arriving late.
	for _, r := range []postgres.PostInsights{
		{CapturedAt: t2, Views: i64p(900), Reach: i64p(600), AvgWatchTimeMs: i64p(8400)},
		{CapturedAt: t1, Views: i64p(300)},
	} {
		stored, err := posts.RecordInsights(ctx, p.ID, r, &next)
		if err != nil || !stored {
			t.Fatalf("RecordInsights %v: %v %v", r.CapturedAt, stored, err)
		}
	}
	if version() == v0 {
		t.Error("a reading did not advance data_version")
	}
	got, err := posts.Get(ctx, acc, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in := got.Insights; in == nil || !in.CapturedAt.Equal(t2) || *in.Views != 900 || *in.AvgWatchTimeMs != 8400 || in.Saved != nil {
		t.Errorf("latest = %+v, want the reading of %v with saved unknown", in, t2)
	}
	hist, err := posts.History(ctx, p.ID)
	if err != nil || len(hist) != 2 || !hist[0].CapturedAt.Equal(t1) || *hist[1].Views != 900 ||
		hist[0].LikeCount == nil || *hist[0].LikeCount != 40 || *hist[0].CommentsCount != 3 {
		t.Errorf("history = %+v %v, want two readings oldest first with the counts of the moment", hist, err)
	}

	// An empty reading: nothing stored, the latest kept, only rescheduled,
	// and the reports' version left alone.
	v1, never := version(), (*time.Time)(nil)
	if stored, err := posts.RecordInsights(ctx, p.ID, postgres.PostInsights{CapturedAt: t2.Add(time.Hour)}, never); err != nil || stored {
		t.Fatalf("empty reading: stored %v, %v", stored, err)
	}
	if version() != v1 {
		t.Error("an empty reading advanced data_version")
	}
	if due().Valid {
		t.Error("the reading said never again, the post is still due")
	}
	if hist, _ := posts.History(ctx, p.ID); len(hist) != 2 {
		t.Errorf("%d readings after an empty one, want 2", len(hist))
	}

	// Another account's post, a made-up id and a malformed id: not found.
	for _, c := range []struct{ account, id string }{{other, p.ID}, {acc, "00000000-0000-0000-0000-000000000000"}, {acc, "nope"}, {acc, p.ID + "x"}} {
		if _, err := posts.Get(ctx, c.account, c.id); !apperr.Is(err, apperr.CodeNotFound) {
			t.Errorf("Get(%s, %s) = %v, want not_found", c.account, c.id, err)
		}
	}
}

func TestPosts_DueAndRefusals(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	posts := postgres.NewPosts(db)
	accounts := postgres.NewAccounts(db)
	acc := newAccount(t, db)
	now := time.Now().UTC()
	var in []postgres.PostInput
	for i, age := range []time.Duration{time.Hour, 3 * 24 * time.Hour, 10 * 24 * time.Hour} {
		in = append(in, postgres.PostInput{IGPostID: string(rune('a' + i)), MediaType: "VIDEO", Permalink: "https://instagram.com/reel/x/",
			PostedAt: now.Add(-age)})
	}
	if err := posts.Upsert(ctx, acc, in); err != nil {
		t.Fatal(err)
	}
	due, err := posts.DueForInsights(ctx, acc, now.Add(time.Second), 10)
	if err != nil || len(due) != 3 {
		t.Fatalf("due = %v, %v; want 3", due, err)
	}
	for _, d := range due {
		if d.ProductType != instagram.ProductReels {
			t.Errorf("%s: type %s, want REELS by its permalink", d.IGPostID, d.ProductType)
		}
	}
	// All read, then a refresh of the last 7 days.
	later := now.Add(24 * time.Hour)
	for _, d := range due {
		if _, err := posts.RecordInsights(ctx, d.ID, postgres.PostInsights{CapturedAt: now, Views: i64p(1)}, &later); err != nil {
			t.Fatal(err)
		}
	}
	if ids, err := posts.AccountsWithDueInsights(ctx, now.Add(time.Minute), now.Add(time.Minute)); err != nil || len(ids) != 0 {
		t.Errorf("accounts with due posts = %v, %v; want none", ids, err)
	}
	// Due within a later horizon: the account, with its earliest due time.
	if ids, err := posts.AccountsWithDueInsights(ctx, now.Add(time.Minute), later); err != nil ||
		len(ids) != 1 || ids[0].ID != acc || !ids[0].DueAt.Equal(later.Round(time.Microsecond)) {
		t.Errorf("accounts due by %s = %+v, %v; want the account due then", later, ids, err)
	}
	if n, err := posts.MakeInsightsDue(ctx, acc, now.Add(-7*24*time.Hour), now.Add(time.Minute)); err != nil || n != 2 {
		t.Errorf("MakeInsightsDue = %d, %v; want the 2 posts of the last week", n, err)
	}
	if ids, err := posts.AccountsWithDueInsights(ctx, now.Add(time.Minute), now.Add(time.Minute)); err != nil ||
		len(ids) != 1 || !ids[0].DueAt.Equal(now.Add(time.Minute).Round(time.Microsecond)) {
		t.Errorf("accounts with due posts = %+v, %v; want the account", ids, err)
	}
	// A parked account is left out until the park ends.
	if err := accounts.ParkInsights(ctx, acc, now.Add(time.Hour), time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	if ids, _ := posts.AccountsWithDueInsights(ctx, now.Add(time.Minute), later); len(ids) != 0 {
		t.Errorf("a parked account has a job: %v", ids)
	}
	if b, err := accounts.InsightsBudget(ctx, now.Add(time.Minute)); err != nil || b.Parked != 1 {
		t.Errorf("budget = %+v, %v; want 1 parked", b, err)
	}
	if ids, _ := posts.AccountsWithDueInsights(ctx, now.Add(2*time.Hour), now.Add(2*time.Hour)); len(ids) != 1 {
		t.Errorf("after the park: %v, want the account", ids)
	}

	// Refusals hold for their UTC date only.
	day := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
	if err := posts.RecordRefusal(ctx, acc, "REELS", "follows", day); err != nil {
		t.Fatal(err)
	}
	if r, err := posts.Refusals(ctx, acc, day.Add(30*time.Minute)); err != nil || !r["REELS"]["follows"] || r["FEED"]["follows"] {
		t.Errorf("refusals the same day = %v, %v", r, err)
	}
	if r, err := posts.Refusals(ctx, acc, day.Add(time.Hour)); err != nil || len(r) != 0 {
		t.Errorf("refusals the next day = %v, %v; want none", r, err)
	}
}

// TestJobs_InsightsKind: the jobs table takes igsync's read_insights.
func TestJobs_InsightsKind(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	jobs := postgres.NewJobs(db)
	acc := newAccount(t, db)
	if _, err := jobs.Enqueue(ctx, "read_insights", acc, time.Now(), 3); err != nil {
		t.Errorf("enqueue read_insights: %v", err)
	}
}

package igsync_test

import (
	"context"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
)

// BenchmarkSync10kPosts runs one fetch job that pages 10,000 posts from the
// sandbox (over HTTP) into an empty posts table.
func BenchmarkSync10kPosts(b *testing.B) {
	const igID, n = "17841400000010000", 10_000
	h := igsynctest.New(b, igsynctest.Options{
		NoPool: true, MaxPosts: n, EmptyPageEvery: -1,
		Accounts: []sandbox.AccountSpec{{UserID: igID, Posts: n}},
	})
	h.MustConnect(h.Register(), igID)
	fetch := h.Service.Handlers()[igsync.KindFetchPosts]
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		h.Exec(`DELETE FROM instagram_posts`)
		h.Exec(`DELETE FROM jobs`)
		var accountID string
		if err := h.DB.QueryRow(`SELECT id FROM instagram_accounts`).Scan(&accountID); err != nil {
			b.Fatal(err)
		}
		if _, err := h.Jobs.Enqueue(ctx, igsync.KindFetchPosts, accountID, time.Now(), 1); err != nil {
			b.Fatal(err)
		}
		job, ok, err := h.Jobs.Claim(ctx, "bench", time.Minute)
		if err != nil || !ok {
			b.Fatalf("claim: %v %v", ok, err)
		}
		b.StartTimer()
		if err := fetch(ctx, job); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != n {
			b.Fatalf("stored %d posts, want %d", got, n)
		}
		b.StartTimer()
	}
}

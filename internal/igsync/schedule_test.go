package igsync_test

import (
	"context"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/worker"
)

// TestSyncSchedule_EachAccountOnItsOwnCycle checks that the sync schedule
// looks far more often than accounts are synced, and enqueues an account
// once its own last sync is SyncEvery old (less the look's interval), not
// before: accounts whose syncs are spread over the cycle stay spread.
func TestSyncSchedule_EachAccountOnItsOwnCycle(t *testing.T) {
	h := igsynctest.New(t, igsynctest.Options{NoPool: true,
		Accounts: []sandbox.AccountSpec{{UserID: bigIG, Username: "big.creator", Followers: 100, Posts: 5}}})
	h.MustConnect(h.Register(), bigIG)
	var sched worker.Schedule
	for _, sc := range h.Service.Schedules() {
		if sc.Name == "sync_accounts" {
			sched = sc
		}
	}
	if sched.Run == nil {
		t.Fatal("no sync_accounts schedule")
	}
	if got, want := sched.Every, igsync.SyncEvery/6; got > want {
		t.Errorf("sync_accounts looks every %s, want at most %s (accounts are due at any time of the cycle)", got, want)
	}
	jobs := func() int {
		return h.Int(`SELECT count(*) FROM jobs WHERE kind = $1 AND state = 'queued'`, igsync.KindFetchPosts)
	}
	for _, c := range []struct {
		name   string
		synced time.Duration // ago
		want   int
	}{
		{"HalfACycleAgo", igsync.SyncEvery / 2, 0},
		{"JustBeforeDue", igsync.SyncEvery - igsync.SyncCheckEvery - time.Minute, 0},
		{"Due", igsync.SyncEvery - igsync.SyncCheckEvery + time.Minute, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			h.Exec(`DELETE FROM jobs`)
			h.Exec(`UPDATE instagram_accounts SET last_synced_at = now() - $1 * interval '1 second'`, c.synced.Seconds())
			if err := sched.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := jobs(); got != c.want {
				t.Errorf("queued syncs = %d, want %d", got, c.want)
			}
		})
	}
}

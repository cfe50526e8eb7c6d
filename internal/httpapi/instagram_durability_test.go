package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"creatorgrowth/internal/igsync"
	"creatorgrowth/internal/igsync/igsynctest"
	"creatorgrowth/internal/instagram/sandbox"
	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/worker"
)

const igDurableAccount = "17841400000000501"

func igDurableHarness(t *testing.T) *igsynctest.Harness {
	return igsynctest.New(t, igsynctest.Options{
		NoPool:   true,
		Accounts: []sandbox.AccountSpec{{UserID: igDurableAccount, Posts: 80}},
	})
}

func TestInstagramDurability_FetchWaitsForAPool(t *testing.T) {
	h := igDurableHarness(t)
	token := h.Register()
	h.MustConnect(token, igDurableAccount)

	res := h.Do(http.MethodPost, "/api/instagram/refresh", token, nil)
	if res.Status != http.StatusAccepted {
		t.Fatalf("refresh: %d %s", res.Status, res.Raw)
	}
	if got, want := igSortedKeys(res.Body), []string{"account", "status"}; !slices.Equal(got, want) {
		t.Errorf("refresh keys = %v, want %v", got, want)
	}
	if res.Body["status"] != "fetch scheduled" {
		t.Errorf("status = %v", res.Body["status"])
	}
	if got := igSortedKeys(res.Body["account"].(map[string]any)); !slices.Equal(got, igAccountKeys) {
		t.Errorf("account keys = %v, want %v", got, igAccountKeys)
	}

	time.Sleep(200 * time.Millisecond)
	st := h.Do(http.MethodGet, "/api/instagram/sync", token, nil).Body
	if st["state"] != "queued" || st["posts_fetched"] != float64(0) || st["last_synced_at"] != nil {
		t.Errorf("sync without a pool = %v, want queued", st)
	}
	if got := h.Int(`SELECT count(*) FROM jobs WHERE kind = 'fetch_posts' AND state = 'queued'`); got != 1 {
		t.Errorf("queued jobs = %d, want 1 (the connect's and the refresh's are one)", got)
	}
	if got := h.Sandbox.Calls(sandbox.EndpointMedia); got != 0 {
		t.Errorf("media calls = %d, want 0", got)
	}

	// The server restarts: a new pool picks the job up.
	h.StartPool()
	if st := h.WaitSync(token, ""); st["state"] != "idle" || st["posts_fetched"] != float64(80) {
		t.Errorf("sync = %v, want idle with 80 posts", st)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 80 {
		t.Errorf("posts = %d, want 80", got)
	}
}

func TestInstagramDurability_DeadWorkerTakenOver(t *testing.T) {
	h := igDurableHarness(t)
	token := h.Register()
	h.MustConnect(token, igDurableAccount)
	h.Exec(`UPDATE jobs SET state = 'running', attempts = 1, locked_by = 'dead', locked_until = now() - interval '1 second' WHERE kind = 'fetch_posts'`)
	if st := h.Do(http.MethodGet, "/api/instagram/sync", token, nil).Body; st["state"] != "running" {
		t.Errorf("sync = %v, want running", st)
	}
	h.StartPool()
	if st := h.WaitSync(token, ""); st["state"] != "idle" || st["posts_fetched"] != float64(80) {
		t.Errorf("sync = %v, want idle with 80 posts", st)
	}
	if got := h.Int(`SELECT attempts FROM jobs WHERE kind = 'fetch_posts'`); got != 2 {
		t.Errorf("attempts = %d, want 2", got)
	}
}

func TestInstagramDurability_StopReleasesRunningFetch(t *testing.T) {
	h := igDurableHarness(t)
	token := h.Register()
	// The second page hangs long enough to stop the pool in the middle.
	h.Sandbox.InjectFault(sandbox.Fault{Endpoint: sandbox.EndpointMedia, Delay: 1500 * time.Millisecond, After: 1, Times: 1})
	pool := h.StartPool()
	h.MustConnect(token, igDurableAccount)
	h.Eventually("the fetch to reach page 2", func() bool { return h.Sandbox.Calls(sandbox.EndpointMedia) >= 2 })
	if st := h.Do(http.MethodGet, "/api/instagram/sync", token, nil).Body; st["state"] != "running" {
		t.Errorf("sync = %v, want running", st)
	}
	pool.Stop()
	var state string
	var attempts int
	var lockedBy *string
	if err := h.DB.QueryRow(`SELECT state, attempts, locked_by FROM jobs WHERE kind = 'fetch_posts'`).Scan(&state, &attempts, &lockedBy); err != nil {
		t.Fatal(err)
	}
	if state != "queued" || attempts != 0 || lockedBy != nil {
		t.Fatalf("after Stop: state %s, attempts %d, locked_by %v; want queued, 0, none", state, attempts, lockedBy)
	}
	h.StartPool()
	if st := h.WaitSync(token, ""); st["state"] != "idle" || st["posts_fetched"] != float64(80) {
		t.Errorf("sync = %v, want idle with 80 posts", st)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 80 {
		t.Errorf("posts = %d, want 80", got)
	}
}

func TestInstagramDurability_TwoPoolsRunEachFetchOnce(t *testing.T) {
	const n = 6
	var specs []sandbox.AccountSpec
	for i := range n {
		specs = append(specs, sandbox.AccountSpec{UserID: fmt.Sprintf("178414000000010%02d", i), Posts: 60})
	}
	h := igsynctest.New(t, igsynctest.Options{NoPool: true, Accounts: specs, EmptyPageEvery: -1})
	for _, s := range specs {
		h.MustConnect(h.Register(), s.UserID)
	}
	var mu sync.Mutex
	runs := map[string]int{}
	handlers := h.Service.Handlers()
	fetch := handlers[igsync.KindFetchPosts]
	handlers[igsync.KindFetchPosts] = func(ctx context.Context, job postgres.Job) error {
		mu.Lock()
		runs[job.AccountID]++
		mu.Unlock()
		return fetch(ctx, job)
	}
	var pools []*worker.Pool
	for range 2 {
		pools = append(pools, h.StartPoolWith(handlers))
	}
	h.Eventually("every fetch done", func() bool {
		return h.Int(`SELECT count(*) FROM jobs WHERE kind = 'fetch_posts' AND state = 'done'`) == n
	})
	for _, p := range pools {
		p.Stop()
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs) != n {
		t.Errorf("fetches ran for %d accounts, want %d", len(runs), n)
	}
	for acc, r := range runs {
		if r != 1 {
			t.Errorf("fetch of %s ran %d times, want 1", acc, r)
		}
	}
	// 60 posts are two pages of 50 per account.
	if got, want := h.Sandbox.Calls(sandbox.EndpointMedia), 2*n; got != want {
		t.Errorf("media calls = %d, want %d", got, want)
	}
	if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 60*n {
		t.Errorf("posts = %d, want %d", got, 60*n)
	}
}

func TestInstagramRefresh_ConcurrentRequestsOneJob(t *testing.T) {
	h := igDurableHarness(t)
	token := h.Register()
	h.MustConnect(token, igDurableAccount)
	h.Exec(`DELETE FROM jobs`)

	statuses := make(chan int, 20)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { statuses <- h.Do(http.MethodPost, "/api/instagram/refresh", token, nil).Status })
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusAccepted {
			t.Errorf("refresh status %d, want 202", s)
		}
	}
	if got := h.Int(`SELECT count(*) FROM jobs WHERE kind = 'fetch_posts' AND state IN ('queued', 'running')`); got != 1 {
		t.Errorf("pending fetch jobs = %d, want 1", got)
	}

	// With a pool running, refreshes during a fetch add at most one more.
	h.StartPool()
	for range 20 {
		wg.Go(func() { h.Do(http.MethodPost, "/api/instagram/refresh", token, nil) })
	}
	wg.Wait()
	if got := h.Int(`SELECT count(*) FROM jobs WHERE kind = 'fetch_posts' AND state IN ('queued', 'running')`); got > 1 {
		t.Errorf("pending fetch jobs = %d, want at most 1", got)
	}
	h.WaitSync(token, "")
	if got := h.Int(`SELECT count(*) FROM instagram_posts`); got != 80 {
		t.Errorf("posts = %d, want 80", got)
	}
}

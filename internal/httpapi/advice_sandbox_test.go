package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"creatorgrowth/internal/app"
	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/testdb"
	"creatorgrowth/internal/worker"
)

// TestAdvice_Sandbox builds the app with the sandbox's own accounts, as
// make run does, connects the first one through the real OAuth flow, and
// asks for what the dashboard's "what to do next" panel shows.
func TestAdvice_Sandbox(t *testing.T) {
	cfg := ctConfig(t, map[string]string{"INSTAGRAM_MAX_POSTS": ""})
	limits := ctHighLimits()
	a, err := app.New(cfg, testdb.New(t), slog.New(slog.DiscardHandler), app.Options{
		Hasher: auth.NewHasher(bcrypt.MinCost, 4),
		Limits: &limits,
		Pool:   worker.Options{Workers: 1, PollInterval: 20 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	a.Pool.Start(context.Background())
	t.Cleanup(a.Pool.Stop)
	h := a.Handler

	res := ctServe(t, h, ctRequest(t, http.MethodPost, "/api/auth/register",
		map[string]string{"email": "panel@example.test", "password": "correct horse battery"}, nil))
	if res.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", res.Status, res.Raw)
	}
	token := res.Body["token"].(string)
	if res := ctConnect(t, h, a.Sandbox, token); res.Status != http.StatusFound {
		t.Fatalf("callback: %d %s", res.Status, res.Raw)
	}
	ctWaitSynced(t, h, token)

	res = ctServe(t, h, ctRequest(t, http.MethodGet, "/api/growth/recommendations?tz=Europe/Berlin", nil, ctBearer(token)))
	if res.Status != http.StatusOK {
		t.Fatalf("recommendations: %d %s", res.Status, res.Raw)
	}
	if got, want := res.Body["status"], "ok"; got != want {
		t.Errorf("status = %v, want %v", got, want)
	}
	recs, _ := res.Body["recommendations"].([]any)
	if len(recs) == 0 {
		t.Errorf("the sandbox account gets no recommendation: %s", res.Raw)
	}
	for _, r := range recs {
		t.Logf("%v", r.(map[string]any)["title"])
	}
	bt, _ := res.Body["best_times"].(map[string]any)
	if top, _ := bt["top"].([]any); len(top) == 0 {
		t.Errorf("best_times.top is empty: %v", bt)
	}

	// The connection's account insights backfill gives the follower totals
	// of the 30 days before it (derived from the daily follows and
	// unfollows), so the forecast is drawn from the first day.
	deadline := time.Now().Add(30 * time.Second)
	for {
		res = ctServe(t, h, ctRequest(t, http.MethodGet, "/api/growth/forecast", nil, ctBearer(token)))
		if res.Status != http.StatusOK {
			t.Fatalf("forecast: %d %s", res.Status, res.Raw)
		}
		if res.Body["status"] == "ok" || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	days, _ := res.Body["history_days"].(float64)
	points, _ := res.Body["points"].([]any)
	if res.Body["status"] != "ok" || days < 14 || len(points) != 30 {
		t.Errorf("forecast: status %v, %v history days, %d points; want ok, ≥ 14, 30", res.Body["status"], days, len(points))
	}
}

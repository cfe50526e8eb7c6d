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

	res = ctServe(t, h, ctRequest(t, http.MethodGet, "/api/growth/forecast", nil, ctBearer(token)))
	if res.Status != http.StatusOK {
		t.Fatalf("forecast: %d %s", res.Status, res.Raw)
	}
	// Each sync records one snapshot a day: the first sync gives one
	// date. The forecast turns ok once 14 dates exist (with the follower
	// history read from the account insights at connection, 30 of them).
	days, _ := res.Body["history_days"].(float64)
	points, _ := res.Body["points"].([]any)
	if days < 1 {
		t.Errorf("history_days = %v, want the connection's snapshot at least", days)
	}
	if days >= 14 {
		if res.Body["status"] != "ok" || len(points) != 30 {
			t.Errorf("%v history days: status %v with %d points, want ok with 30", days, res.Body["status"], len(points))
		}
	} else if res.Body["status"] != "insufficient_data" || len(points) != 0 {
		t.Errorf("%v history days: status %v with %d points, want insufficient_data with none", days, res.Body["status"], len(points))
	}
}

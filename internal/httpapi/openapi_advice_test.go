package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
)

// adviceScenario exercises the recommendations, the forecast and the
// goals through the contract validator: each 2xx with content and the
// main 4xx of each.
func adviceScenario(t *testing.T, do func(method, target string, body any, header http.Header) ctResponse, token, other string) {
	t.Helper()
	want := func(what string, res ctResponse, status int) ctResponse {
		t.Helper()
		if res.Status != status {
			t.Errorf("%s: %d, want %d: %s", what, res.Status, status, res.Raw)
		}
		return res
	}
	get := func(path, tok string) ctResponse {
		t.Helper()
		var h http.Header
		if tok != "" {
			h = ctBearer(tok)
		}
		return do(http.MethodGet, path, nil, h)
	}

	for _, q := range []string{"", "?period=30&tz=Europe/Berlin", "?period=7"} {
		want("recommendations"+q, get("/api/growth/recommendations"+q, token), http.StatusOK)
	}
	for _, q := range []string{"?period=8", "?period=", "?tz=Mars/Olympus", "?account_id=nope"} {
		want("recommendations"+q, get("/api/growth/recommendations"+q, token), http.StatusBadRequest)
	}
	want("recommendations of another user", get("/api/growth/recommendations", other), http.StatusNotFound)
	want("recommendations without a token", get("/api/growth/recommendations", ""), http.StatusUnauthorized)

	for _, q := range []string{"", "?metric=followers&horizon=7", "?horizon=90"} {
		want("forecast"+q, get("/api/growth/forecast"+q, token), http.StatusOK)
	}
	for _, q := range []string{"?metric=likes", "?horizon=6", "?horizon=91", "?horizon=abc", "?horizon=", "?metric="} {
		want("forecast"+q, get("/api/growth/forecast"+q, token), http.StatusBadRequest)
	}
	want("forecast of another user", get("/api/growth/forecast", other), http.StatusNotFound)
	want("forecast without a token", get("/api/growth/forecast", ""), http.StatusUnauthorized)

	deadline := time.Now().UTC().AddDate(0, 3, 0).Format(time.DateOnly)
	res := want("create goal", do(http.MethodPost, "/api/goals",
		map[string]any{"metric": "followers", "target": 1_000_000_000, "deadline": deadline}, ctBearer(token)), http.StatusCreated)
	id, _ := res.Body["id"].(string)
	for _, body := range []any{
		`{"metric":"followers","target":1000000000,"deadline":"` + deadline + `","extra":1}`,
		map[string]any{"metric": "likes", "target": 1_000_000_000, "deadline": deadline},
		map[string]any{"metric": "followers", "target": 1, "deadline": deadline},
		map[string]any{"metric": "followers", "target": 1_000_000_000, "deadline": "2020-01-01"},
		map[string]any{"metric": "followers", "target": 1_000_000_000, "deadline": "next year"},
		map[string]any{"metric": "followers", "deadline": deadline},
	} {
		want("create goal", do(http.MethodPost, "/api/goals", body, ctBearer(token)), http.StatusBadRequest)
	}
	want("create goal without an account", do(http.MethodPost, "/api/goals",
		map[string]any{"metric": "followers", "target": 10, "deadline": deadline}, ctBearer(other)), http.StatusNotFound)
	want("create goal without a token", do(http.MethodPost, "/api/goals",
		map[string]any{"metric": "followers", "target": 10, "deadline": deadline}, nil), http.StatusUnauthorized)

	res = want("list goals", get("/api/goals", token), http.StatusOK)
	if goals, _ := res.Body["goals"].([]any); len(goals) != 1 {
		t.Errorf("goals = %v, want the one created", res.Body["goals"])
	}
	want("list goals, bad account", get("/api/goals?account_id=nope", token), http.StatusBadRequest)
	want("list goals without an account", get("/api/goals", other), http.StatusNotFound)
	want("list goals without a token", get("/api/goals", ""), http.StatusUnauthorized)

	want("delete another user's goal", do(http.MethodDelete, "/api/goals/"+id, nil, ctBearer(other)), http.StatusNotFound)
	want("delete without a token", do(http.MethodDelete, "/api/goals/"+id, nil, nil), http.StatusUnauthorized)
	want("delete goal", do(http.MethodDelete, "/api/goals/"+id, nil, ctBearer(token)), http.StatusNoContent)
	want("delete goal again", do(http.MethodDelete, "/api/goals/"+id, nil, ctBearer(token)), http.StatusNotFound)
	want("delete unknown goal", do(http.MethodDelete, "/api/goals/"+uuid.NewString(), nil, ctBearer(token)), http.StatusNotFound)
}

package httpapi_test

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestGoals(t *testing.T) {
	e := newAdviceEnv(t)
	userID, token := e.user(t)
	acc := e.account(t, userID, 1000)
	// 28 UTC dates up to today, growing by 5 a day: current_per_day 5.
	today := time.Now().UTC().Truncate(day)
	for i := range 28 {
		d := today.Add(-time.Duration(27-i) * day)
		e.snapshot(t, acc, d.Format(time.DateOnly), int64(865+5*i), d.Add(time.Minute))
	}
	second := e.account(t, userID, 300)
	otherID, otherToken := e.user(t)
	e.account(t, otherID, 10)
	_, lonelyToken := e.user(t)
	deadline := today.Add(100 * day).Format(time.DateOnly)

	var firstID string
	t.Run("Create", func(t *testing.T) {
		status, body, raw := e.do(t, http.MethodPost, "/api/goals?account_id="+acc, token,
			map[string]any{"metric": "followers", "target": 2000, "deadline": deadline})
		if status != http.StatusCreated {
			t.Fatalf("status = %d: %s", status, raw)
		}
		firstID, _ = body["id"].(string)
		if _, err := uuid.Parse(firstID); err != nil {
			t.Errorf("id = %q", firstID)
		}
		created, err := time.Parse(time.RFC3339, fmt.Sprint(body["created_at"]))
		if err != nil || time.Since(created) > time.Minute {
			t.Errorf("created_at = %v", body["created_at"])
		}
		// (2000 − 1000) / 100 days = 10 a day needed, 5 a day made: 200 days.
		want := map[string]any{
			"metric": "followers", "target": 2000.0, "deadline": deadline, "current": 1000.0,
			"progress": 0.0, "required_per_day": 10.0, "current_per_day": 5.0,
			"eta": today.Add(200 * day).Format(time.DateOnly), "on_track": false,
		}
		for k, v := range want {
			if body[k] != v {
				t.Errorf("%s = %v, want %v", k, body[k], v)
			}
		}
		if len(body) != 11 {
			t.Errorf("goal has %d keys, want the contract's 11: %s", len(body), raw)
		}
	})

	t.Run("ListWithProgress", func(t *testing.T) {
		// The count moves to 1100: a tenth of the way from 1000 to 2000.
		if _, err := e.db.Exec(`UPDATE instagram_accounts SET followers = 1100 WHERE id = $1`, acc); err != nil {
			t.Fatal(err)
		}
		status, body, _ := e.do(t, http.MethodPost, "/api/goals?account_id="+acc, token,
			map[string]any{"metric": "followers", "target": 1200, "deadline": today.Add(10 * day).Format(time.DateOnly)})
		if status != http.StatusCreated || body["progress"] != 0.0 || body["on_track"] != false || body["required_per_day"] != 10.0 {
			t.Errorf("second goal: %d %v", status, body)
		}
		status, body, raw := e.do(t, http.MethodGet, "/api/goals?account_id="+acc, token, nil)
		goals, _ := body["goals"].([]any)
		if status != http.StatusOK || len(goals) != 2 {
			t.Fatalf("list: %d %s, want the two goals", status, raw)
		}
		g := goals[0].(map[string]any)
		if g["id"] != firstID || g["current"] != 1100.0 || g["progress"] != 0.1 || g["required_per_day"] != 9.0 {
			t.Errorf("first goal = %v, want current 1100, progress 0.1, 9 a day", g)
		}
		if eta := today.Add(time.Duration(math.Ceil(900.0/5)) * day).Format(time.DateOnly); g["eta"] != eta {
			t.Errorf("eta = %v, want %s", g["eta"], eta)
		}
		// The default account is the most recently connected one: no goals.
		if _, body, _ := e.do(t, http.MethodGet, "/api/goals", token, nil); len(body["goals"].([]any)) != 0 {
			t.Errorf("goals of %s = %v, want none", second, body["goals"])
		}
	})

	t.Run("NoHistory", func(t *testing.T) {
		status, body, raw := e.do(t, http.MethodPost, "/api/goals", token,
			map[string]any{"metric": "followers", "target": 301, "deadline": today.Add(day).Format(time.DateOnly)})
		if status != http.StatusCreated || body["current_per_day"] != nil || body["eta"] != nil || body["on_track"] != nil ||
			body["required_per_day"] != 1.0 {
			t.Errorf("without snapshots: %d %s; want null per-day, eta and on_track, 1 a day required", status, raw)
		}
	})

	t.Run("Isolation", func(t *testing.T) {
		_, body, _ := e.do(t, http.MethodGet, "/api/goals", otherToken, nil)
		if goals, _ := body["goals"].([]any); len(goals) != 0 {
			t.Errorf("another user sees %v", goals)
		}
		status, body, raw := e.do(t, http.MethodGet, "/api/goals?account_id="+acc, otherToken, nil)
		wantAdviceError(t, "list another user's account", status, body, raw, 404, "no_instagram_account")
		status, body, raw = e.do(t, http.MethodDelete, "/api/goals/"+firstID, otherToken, nil)
		wantAdviceError(t, "delete another user's goal", status, body, raw, 404, "not_found")
		status, body, raw = e.do(t, http.MethodPost, "/api/goals?account_id="+acc, otherToken,
			map[string]any{"metric": "followers", "target": 5000, "deadline": deadline})
		wantAdviceError(t, "create on another user's account", status, body, raw, 404, "no_instagram_account")
	})

	t.Run("Delete", func(t *testing.T) {
		status, _, raw := e.do(t, http.MethodDelete, "/api/goals/"+firstID, token, nil)
		if status != http.StatusNoContent || raw != "" {
			t.Fatalf("delete: %d %q, want 204 and no body", status, raw)
		}
		_, body, _ := e.do(t, http.MethodGet, "/api/goals?account_id="+acc, token, nil)
		if goals, _ := body["goals"].([]any); len(goals) != 1 || goals[0].(map[string]any)["id"] == firstID {
			t.Errorf("after delete: %v", goals)
		}
		for _, id := range []string{firstID, uuid.NewString(), "nope"} {
			status, body, raw := e.do(t, http.MethodDelete, "/api/goals/"+id, token, nil)
			wantAdviceError(t, "delete "+id, status, body, raw, 404, "not_found")
		}
	})

	t.Run("AccountRemoved", func(t *testing.T) {
		if _, err := e.db.Exec(`DELETE FROM instagram_accounts WHERE id = $1`, acc); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := e.db.QueryRow(`SELECT count(*) FROM goals WHERE account_id = $1`, acc).Scan(&n); err != nil || n != 0 {
			t.Errorf("goals of a removed account: %d (%v), want 0", n, err)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		past := today.Add(-day).Format(time.DateOnly)
		for _, c := range []struct {
			name  string
			body  any
			token string
			code  string
		}{
			{"unknown field", `{"metric":"followers","target":5000,"deadline":"` + deadline + `","start":1}`, token, "invalid_request"},
			{"metric", map[string]any{"metric": "likes", "target": 5000, "deadline": deadline}, token, "invalid_request"},
			{"no metric", map[string]any{"target": 5000, "deadline": deadline}, token, "invalid_request"},
			{"no target", map[string]any{"metric": "followers", "deadline": deadline}, token, "invalid_request"},
			{"no deadline", map[string]any{"metric": "followers", "target": 5000}, token, "invalid_request"},
			{"target at current", map[string]any{"metric": "followers", "target": 300, "deadline": deadline}, token, "invalid_request"},
			{"target below", map[string]any{"metric": "followers", "target": -1, "deadline": deadline}, token, "invalid_request"},
			{"fractional target", `{"metric":"followers","target":5000.5,"deadline":"` + deadline + `"}`, token, "invalid_request"},
			{"string target", `{"metric":"followers","target":"5000","deadline":"` + deadline + `"}`, token, "invalid_request"},
			{"deadline today", map[string]any{"metric": "followers", "target": 5000, "deadline": today.Format(time.DateOnly)}, token, "invalid_request"},
			{"deadline past", map[string]any{"metric": "followers", "target": 5000, "deadline": past}, token, "invalid_request"},
			{"deadline format", map[string]any{"metric": "followers", "target": 5000, "deadline": "2099-3-1"}, token, "invalid_request"},
			{"deadline time", map[string]any{"metric": "followers", "target": 5000, "deadline": "2099-03-01T00:00:00Z"}, token, "invalid_request"},
			{"deadline no date", map[string]any{"metric": "followers", "target": 5000, "deadline": "2099-02-30"}, token, "invalid_request"},
			{"null body", `null`, token, "invalid_request"},
			{"bad json", `{"metric":`, token, "invalid_request"},
			{"no account", map[string]any{"metric": "followers", "target": 5000, "deadline": deadline}, lonelyToken, "no_instagram_account"},
			{"no token", map[string]any{"metric": "followers", "target": 5000, "deadline": deadline}, "", "unauthorized"},
		} {
			status, body, raw := e.do(t, http.MethodPost, "/api/goals", c.token, c.body)
			want := map[string]int{"invalid_request": 400, "no_instagram_account": 404, "unauthorized": 401}[c.code]
			wantAdviceError(t, c.name, status, body, raw, want, c.code)
		}
		for _, c := range []struct{ token, code string }{{lonelyToken, "no_instagram_account"}, {"", "unauthorized"}} {
			status, body, raw := e.do(t, http.MethodGet, "/api/goals", c.token, nil)
			wantAdviceError(t, "list "+c.code, status, body, raw, map[string]int{"no_instagram_account": 404, "unauthorized": 401}[c.code], c.code)
		}
	})
}

// TestGoals_UserZone: a goal's dates are calendar dates in the user's
// timezone (PATCH /api/user/me). At 12:00 UTC on 2 December it is already
// 3 December in Pacific/Kiritimati (UTC+14) and still 2 December in
// Pacific/Pago_Pago (UTC−11): tomorrow in UTC is a valid deadline in Pago
// Pago only, the days left to a deadline differ by one, and the daily
// totals are dated there too.
func TestGoals_UserZone(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	e := newAdviceEnvAt(t, func() time.Time { return now })
	type person struct {
		zone, token, acc string
		// Figures of a goal of 1250 by 13 December from 1030: the days
		// left from today there, and the ETA at 20 a day.
		required float64
		onTrack  bool
		eta      string
	}
	people := []*person{
		{zone: "Pacific/Pago_Pago", required: 20, onTrack: true, eta: "2026-12-13"},   // today 2 Dec: 11 days
		{zone: "Pacific/Kiritimati", required: 22, onTrack: false, eta: "2026-12-14"}, // today 3 Dec: 10 days
	}
	for _, p := range people {
		var userID string
		userID, p.token = e.user(t)
		p.acc = e.account(t, userID, 1030)
		// Three snapshots on two UTC dates (1 Dec: 1000; 2 Dec: 1010 then
		// 1030), which in either zone fall on two other dates: the 09:00
		// one ends the earlier local date (1010) and the 11:30 one starts
		// the next, so the slope is 20 a day there (30 by UTC dates).
		e.snapshot(t, p.acc, "2026-11-29", 1000, time.Date(2026, 12, 1, 11, 30, 0, 0, time.UTC))
		e.snapshot(t, p.acc, "2026-11-30", 1010, time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		e.snapshot(t, p.acc, "2026-12-01", 1030, time.Date(2026, 12, 2, 11, 30, 0, 0, time.UTC))
		status, body, raw := e.do(t, http.MethodPatch, "/api/user/me", p.token, map[string]any{"timezone": p.zone})
		if status != http.StatusOK || body["timezone"] != p.zone {
			t.Fatalf("set %s: %d %s", p.zone, status, raw)
		}
	}
	pago, kiritimati := people[0], people[1]
	tomorrowUTC := now.Add(day).Format(time.DateOnly)

	t.Run("TomorrowInUTC", func(t *testing.T) {
		status, body, raw := e.do(t, http.MethodPost, "/api/goals?account_id="+pago.acc, pago.token,
			map[string]any{"metric": "followers", "target": 1050, "deadline": tomorrowUTC})
		if status != http.StatusCreated || body["deadline"] != tomorrowUTC || body["required_per_day"] != 20.0 {
			t.Errorf("Pago Pago, deadline %s (tomorrow there): %d %s, want 201 needing 20 a day", tomorrowUTC, status, raw)
		}
		status, body, raw = e.do(t, http.MethodPost, "/api/goals?account_id="+kiritimati.acc, kiritimati.token,
			map[string]any{"metric": "followers", "target": 1050, "deadline": tomorrowUTC})
		wantAdviceError(t, "Kiritimati, deadline "+tomorrowUTC+" (today there)", status, body, raw, 400, "invalid_request")
		_, body, _ = e.do(t, http.MethodGet, "/api/goals?account_id="+kiritimati.acc, kiritimati.token, nil)
		if goals, _ := body["goals"].([]any); len(goals) != 0 {
			t.Errorf("the refused goal was stored: %v", goals)
		}
	})

	check := func(t *testing.T, who string, g map[string]any, required float64, cpd float64, onTrack bool, eta string) {
		t.Helper()
		want := map[string]any{"deadline": "2026-12-13", "current": 1030.0, "progress": 0.0,
			"required_per_day": required, "current_per_day": cpd, "on_track": onTrack, "eta": eta}
		for k, v := range want {
			if g[k] != v {
				t.Errorf("%s: %s = %v, want %v", who, k, g[k], v)
			}
		}
	}
	for _, p := range people {
		t.Run("Figures/"+p.zone, func(t *testing.T) {
			status, body, raw := e.do(t, http.MethodPost, "/api/goals?account_id="+p.acc, p.token,
				map[string]any{"metric": "followers", "target": 1250, "deadline": "2026-12-13"})
			if status != http.StatusCreated {
				t.Fatalf("create: %d %s", status, raw)
			}
			check(t, "created", body, p.required, 20, p.onTrack, p.eta)
			_, body, _ = e.do(t, http.MethodGet, "/api/goals?account_id="+p.acc, p.token, nil)
			goals, _ := body["goals"].([]any)
			if len(goals) == 0 {
				t.Fatalf("list: %v", body)
			}
			check(t, "listed", goals[len(goals)-1].(map[string]any), p.required, 20, p.onTrack, p.eta)
		})
	}

	t.Run("ZoneChanged", func(t *testing.T) {
		// Back in UTC: today is 2 December, 11 days left, and the daily
		// totals are UTC dates (1000 then 1030: 30 a day, 220 in 8 days).
		for _, zone := range []string{"UTC", "Mars/Olympus_Mons", ""} {
			if zone == "UTC" {
				if status, _, raw := e.do(t, http.MethodPatch, "/api/user/me", kiritimati.token, map[string]any{"timezone": zone}); status != http.StatusOK {
					t.Fatalf("set UTC: %d %s", status, raw)
				}
			} else if _, err := e.db.Exec(`UPDATE users u SET timezone = $1 FROM instagram_accounts a
				WHERE a.user_id = u.id AND a.id = $2`, zone, kiritimati.acc); err != nil {
				t.Fatal(err) // a zone the server no longer knows, or none: UTC
			}
			_, body, raw := e.do(t, http.MethodGet, "/api/goals?account_id="+kiritimati.acc, kiritimati.token, nil)
			goals, _ := body["goals"].([]any)
			if len(goals) != 1 {
				t.Fatalf("zone %q: %s", zone, raw)
			}
			check(t, "zone "+zone, goals[0].(map[string]any), 20, 30, true, "2026-12-10")
		}
	})
}

package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"creatorgrowth/internal/auth"
	"creatorgrowth/internal/postgres"
)

// audienceEnv is the whole server (app.New) behind the OpenAPI validator,
// with users and accounts inserted directly.
type audienceEnv struct {
	h      http.Handler
	db     *sql.DB
	tokens *auth.Tokens
}

func newAudienceEnv(t *testing.T) *audienceEnv {
	t.Helper()
	cfg := ctConfig(t, nil)
	env := newCtEnv(t, cfg, ctHighLimits())
	return &audienceEnv{h: newContractValidator(t, env.h), db: env.db, tokens: auth.NewTokens(cfg.JWTSecret)}
}

// newAudienceBenchEnv is newAudienceEnv without the validator.
func newAudienceBenchEnv(b *testing.B) *audienceEnv {
	b.Helper()
	cfg := ctConfig(b, nil)
	env := newCtEnv(b, cfg, ctHighLimits())
	return &audienceEnv{h: env.h, db: env.db, tokens: auth.NewTokens(cfg.JWTSecret)}
}

// user inserts a user and returns its id and a token.
func (e *audienceEnv) user(t testing.TB) (string, string) {
	t.Helper()
	email := uuid.NewString() + "@example.test"
	var id string
	if err := e.db.QueryRowContext(context.Background(),
		`INSERT INTO users (email, password) VALUES ($1, 'x') RETURNING id`, email).Scan(&id); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	sess, err := postgres.NewSessions(e.db).Create(context.Background(), id, auth.TokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	token, err := e.tokens.Issue(id, email, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	return id, token
}

// account inserts an Instagram account of the user.
func (e *audienceEnv) account(t testing.TB, userID string, followers *int64) string {
	t.Helper()
	var id string
	if err := e.db.QueryRowContext(context.Background(), `INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token, followers)
		VALUES ($1, $2, 'creator', 'ciphertext', $3) RETURNING id`, userID, uuid.NewString(), followers).Scan(&id); err != nil {
		t.Fatalf("insert account: %v", err)
	}
	return id
}

func (e *audienceEnv) get(t *testing.T, target, token string) ctResponse {
	t.Helper()
	var h http.Header
	if token != "" {
		h = ctBearer(token)
	}
	return ctServe(t, e.h, ctRequest(t, http.MethodGet, target, nil, h))
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t *testing.T, got []byte, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("decode %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("decode want %s: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

// TestGrowthAudience_Body checks every field of the answer for a stored
// history around the current time, for each period and three zones.
func TestGrowthAudience_Body(t *testing.T) {
	ctx := context.Background()
	e := newAudienceEnv(t)
	userID, token := e.user(t)
	followers := int64(1234)
	acc := e.account(t, userID, &followers)

	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(la)
	day := func(back int) time.Time { return time.Date(now.Year(), now.Month(), now.Day()-back, 0, 0, 0, 0, la) }
	date := func(back int) string { return day(back).Format(time.DateOnly) }
	readAt := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)

	st := postgres.NewAccountInsights(e.db)
	n := func(v int64) *int64 { return &v }
	if err := st.SaveDaily(ctx, acc, readAt, []postgres.InsightDay{
		{Date: date(1), Reach: n(100), Views: n(200), Gained: n(5), Lost: n(1)},
		{Date: date(3), Gained: n(2)},
		{Date: date(40), Reach: n(9)},
	}); err != nil {
		t.Fatal(err)
	}
	noon := day(1).Add(12 * time.Hour)
	if _, err := e.db.ExecContext(ctx, `INSERT INTO follower_snapshots (account_id, taken_on, followers, taken_at)
		VALUES ($1, $2::date, 1000, $3)`, acc, noon.UTC().Format(time.DateOnly), noon); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveOnlineFollowers(ctx, acc, readAt, []postgres.OnlineHour{
		{Date: date(2), Hour: 0, Count: 10}, {Date: date(2), Hour: 13, Count: 21}, {Date: date(9), Hour: 13, Count: 20},
	}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		metric, breakdown string
		rows              []postgres.DemographicRow
	}{
		{postgres.MetricFollowerDemographics, "age", []postgres.DemographicRow{{Key: "25-34", Value: 5}, {Key: "18-24", Value: 5}}},
		{postgres.MetricFollowerDemographics, "gender", []postgres.DemographicRow{{Key: "F", Value: 3}}},
		{postgres.MetricEngagedDemographics, "country", []postgres.DemographicRow{{Key: "GR", Value: 1}, {Key: "US", Value: 2}}},
	} {
		if err := st.SaveDemographics(ctx, acc, r.metric, r.breakdown, "this_month", readAt, r.rows); err != nil {
			t.Fatal(err)
		}
	}
	readJSON, _ := json.Marshal(readAt)

	// heatmap places the samples as the contract says, in tz: 13:00 on
	// two dates a week apart share a cell unless a DST change between them
	// moves one, and a shared cell is their mean.
	heatmap := func(tz *time.Location) string {
		var sum, n [7][24]float64
		for _, s := range []struct {
			back, hour int
			count      float64
		}{{2, 0, 10}, {2, 13, 21}, {9, 13, 20}} {
			d := day(s.back)
			local := time.Date(d.Year(), d.Month(), d.Day(), s.hour, 0, 0, 0, la).In(tz)
			sum[local.Weekday()][local.Hour()] += s.count
			n[local.Weekday()][local.Hour()]++
		}
		var grid [7][24]*float64
		for w := range grid {
			for h := range grid[w] {
				if n[w][h] > 0 {
					v := sum[w][h] / n[w][h]
					grid[w][h] = &v
				}
			}
		}
		b, _ := json.Marshal(grid)
		return string(b)
	}
	daily := fmt.Sprintf(`{"date":%q,"followers":null,"gained":2,"lost":null,"reach":null,"views":null},
		{"date":%q,"followers":1000,"gained":5,"lost":1,"reach":100,"views":200}`, date(3), date(1))
	demographics := `{"status":"ok","timeframe":"this_month",
		"followers":{"age":[{"key":"18-24","value":5},{"key":"25-34","value":5}],"gender":[{"key":"F","value":3}],"country":[],"city":[]},
		"engaged":{"age":[],"gender":[],"country":[{"key":"US","value":2},{"key":"GR","value":1}],"city":[]}}`
	for _, period := range []int{7, 14, 30, 90} {
		for _, zone := range []string{"UTC", "Asia/Tokyo", "America/New_York"} {
			tz, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			d := daily
			if period == 90 {
				d = fmt.Sprintf(`{"date":%q,"followers":null,"gained":null,"lost":null,"reach":9,"views":null},`, date(40)) + daily
			}
			want := fmt.Sprintf(`{"period_days":%d,"followers":1234,"followers_gained":7,"followers_lost":1,"net_followers":6,
				"daily":[%s],"online_followers":{"status":"ok","heatmap":%s},"demographics":%s,
				"freshness":{"posts_synced_at":null,"insights_synced_at":%s,"next_sync_at":null}}`,
				period, d, heatmap(tz), demographics, readJSON)
			res := e.get(t, fmt.Sprintf("/api/growth/audience?period=%d&tz=%s", period, zone), token)
			if res.Status != http.StatusOK {
				t.Fatalf("period %d tz %s: %d %s", period, zone, res.Status, res.Raw)
			}
			if !jsonEqual(t, res.Raw, want) {
				t.Errorf("period %d tz %s:\n got %s\nwant %s", period, zone, res.Raw, want)
			}
		}
	}
	// The defaults are period 30 and UTC.
	res := e.get(t, "/api/growth/audience", token)
	if res.Status != http.StatusOK || res.Body["period_days"] != 30.0 ||
		!reflect.DeepEqual(res.Body["online_followers"], e.get(t, "/api/growth/audience?tz=UTC&period=30", token).Body["online_followers"]) {
		t.Errorf("defaults: %d %s", res.Status, res.Raw)
	}
}

// TestGrowthAudience_Statuses checks the parts of an account under 100
// followers and of one not read yet: statuses and nulls, never zeros.
func TestGrowthAudience_Statuses(t *testing.T) {
	ctx := context.Background()
	e := newAudienceEnv(t)
	st := postgres.NewAccountInsights(e.db)
	for _, c := range []struct {
		name      string
		followers int64
		stored    bool
		status    string
	}{
		{"Under100", 42, true, "insufficient_followers"},
		{"NotReadYet", 4200, false, "unavailable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			userID, token := e.user(t)
			acc := e.account(t, userID, &c.followers)
			if c.stored {
				now := time.Now()
				if err := st.SaveOnlineFollowers(ctx, acc, now, []postgres.OnlineHour{{Date: "2026-11-01", Hour: 4, Count: 3}}); err != nil {
					t.Fatal(err)
				}
				if err := st.SaveDemographics(ctx, acc, postgres.MetricFollowerDemographics, "age", "this_month", now,
					[]postgres.DemographicRow{{Key: "18-24", Value: 3}}); err != nil {
					t.Fatal(err)
				}
			}
			res := e.get(t, "/api/growth/audience?period=7&tz=Europe/Berlin", token)
			want := fmt.Sprintf(`{"period_days":7,"followers":%d,"followers_gained":null,"followers_lost":null,"net_followers":null,
				"daily":[],"online_followers":{"status":%q,"heatmap":null},
				"demographics":{"status":%q,"timeframe":null,"followers":null,"engaged":null},
				"freshness":{"posts_synced_at":null,"insights_synced_at":%s,"next_sync_at":null}}`,
				c.followers, c.status, c.status, map[bool]string{true: fmt.Sprintf("%q", res.Body["freshness"].(map[string]any)["insights_synced_at"]), false: "null"}[c.stored])
			if res.Status != http.StatusOK || !jsonEqual(t, res.Raw, want) {
				t.Errorf("%d\n got %s\nwant %s", res.Status, res.Raw, want)
			}
		})
	}
}

// TestGrowthAudience_BadInput checks the error answers: the period and
// zone rules of the stats, the account rules of every protected route.
func TestGrowthAudience_BadInput(t *testing.T) {
	e := newAudienceEnv(t)
	userID, token := e.user(t)
	followers := int64(500)
	e.account(t, userID, &followers)
	otherID, other := e.user(t)
	otherAcc := e.account(t, otherID, &followers)
	_, none := e.user(t)
	for _, c := range []struct {
		target, token string
		status        int
		code          string
	}{
		{"/api/growth/audience?period=8", token, 400, "invalid_period"},
		{"/api/growth/audience?period=07", token, 400, "invalid_period"},
		{"/api/growth/audience?period=", token, 400, "invalid_period"},
		{"/api/growth/audience?period=abc&tz=Mars/Olympus", token, 400, "invalid_period"},
		{"/api/growth/audience?tz=Mars/Olympus", token, 400, "invalid_request"},
		{"/api/growth/audience?tz=", token, 400, "invalid_request"},
		{"/api/growth/audience?tz=Local", token, 400, "invalid_request"},
		{"/api/growth/audience?account_id=nope", token, 400, "invalid_request"},
		{"/api/growth/audience?account_id=" + otherAcc, token, 404, "no_instagram_account"},
		{"/api/growth/audience", none, 404, "no_instagram_account"},
		{"/api/growth/audience", "", 401, "unauthorized"},
	} {
		res := e.get(t, c.target, c.token)
		if res.Status != c.status || res.Body["code"] != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.target, res.Status, res.Raw, c.status, c.code)
		}
	}
	if res := e.get(t, "/api/growth/audience?account_id="+otherAcc, other); res.Status != http.StatusOK {
		t.Errorf("own account by id: %d %s", res.Status, res.Raw)
	}
}

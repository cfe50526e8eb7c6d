package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/uuid"
	"github.com/ulule/limiter/v3"

	"creatorgrowth/api"
	"creatorgrowth/internal/httpapi"
	"creatorgrowth/internal/postgres"
)

// contractValidator is an http.Handler that serves the real router and
// checks every request and answer against api/openapi.yaml:
//   - an answer must match the document (status, headers, body);
//   - a request the document rejects must be answered with a 4xx.
//
// It records which operations answered with which statuses.
type contractValidator struct {
	t      *testing.T
	next   http.Handler
	router routers.Router

	mu   sync.Mutex
	seen map[string]map[int]bool // operationId → statuses
}

func newContractValidator(t *testing.T, next http.Handler) *contractValidator {
	t.Helper()
	doc, err := api.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("gorillamux: %v", err)
	}
	return &contractValidator{t: t, next: next, router: router, seen: map[string]map[int]bool{}}
}

// ctAuthenticate checks that a request carries the credential a security
// scheme names; whether it is right is the server's to say.
func ctAuthenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearerAuth", "metricsToken":
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return nil
		}
	case "sessionCookie":
		if c, err := r.Cookie("session"); err == nil && c.Value != "" {
			return nil
		}
	case "adminPassword":
		if r.Header.Get("X-Admin-Password") != "" {
			return nil
		}
	case "adminPasswordQuery":
		if r.URL.Query().Get("password") != "" {
			return nil
		}
	}
	return fmt.Errorf("no %s credential", in.SecuritySchemeName)
}

func (v *contractValidator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.t.Helper()
	ctx := context.Background()
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	route, params, err := v.router.FindRoute(r)
	if err != nil {
		v.t.Errorf("%s %s: not in openapi.yaml: %v", r.Method, r.URL.Path, err)
		r.Body = io.NopCloser(bytes.NewReader(body))
		v.next.ServeHTTP(w, r)
		return
	}
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    ctAuthenticate,
	}
	check := r.Clone(ctx)
	check.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(ctx, in)

	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	v.next.ServeHTTP(rec, r)

	name := r.Method + " " + r.URL.RequestURI()
	if reqErr != nil && rec.Code < 400 {
		v.t.Errorf("%s: answered %d to a request openapi.yaml rejects: %v", name, rec.Code, reqErr)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Options:                opts,
	}
	out.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		v.t.Errorf("%s: answer %d does not match openapi.yaml: %v\nbody: %.500s", name, rec.Code, err, rec.Body.Bytes())
	}

	v.mu.Lock()
	op := route.Operation.OperationID
	if v.seen[op] == nil {
		v.seen[op] = map[int]bool{}
	}
	v.seen[op][rec.Code] = true
	v.mu.Unlock()

	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes()) //nolint:errcheck // a recorder
}

// wantSeen fails for each operation and status the scenario should have
// produced and did not.
func (v *contractValidator) wantSeen(want map[string][]int) {
	v.t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	for op, statuses := range want {
		for _, st := range statuses {
			if !v.seen[op][st] {
				got := make([]int, 0, len(v.seen[op]))
				for s := range v.seen[op] {
					got = append(got, s)
				}
				slices.Sort(got)
				v.t.Errorf("%s never answered %d (saw %v)", op, st, got)
			}
		}
	}
}

// TestOpenAPI_Document checks the document itself: it is valid OpenAPI
// 3.1, every operation has an id, and every route of the router is in it.
func TestOpenAPI_Document(t *testing.T) {
	doc, err := api.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	ids := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s %s: missing or repeated operationId %q", method, path, op.OperationID)
			}
			ids[op.OperationID] = true
			if op.Responses.Len() == 0 {
				t.Errorf("%s %s: no responses", method, path)
			}
		}
	}
	// The routes of the contract, as the router registers them.
	routes := []string{
		"GET /health", "HEAD /health", "POST /api/auth/register", "POST /api/auth/login",
		"GET /api/user/me", "POST /api/waitlist/signup", "GET /api/admin/waitlist",
		"GET /api/instagram/connect", "GET /auth/instagram/callback", "POST /api/instagram/refresh",
		"GET /api/instagram/sync", "GET /api/instagram/posts", "GET /api/instagram/posts/{id}", "DELETE /api/instagram/disconnect",
		"GET /api/growth/stats", "GET /api/growth/audience", "GET /api/openapi.json", "GET /metrics",
		"GET /api/growth/recommendations", "GET /api/growth/forecast",
		"POST /api/goals", "GET /api/goals", "DELETE /api/goals/{id}",
		"POST /api/auth/logout", "POST /api/auth/logout-all", "POST /api/auth/verify-email",
		"POST /api/auth/password-reset", "POST /api/auth/password-reset/confirm",
		"PATCH /api/user/me", "DELETE /api/user/me", "POST /api/user/password", "GET /auth/instagram/start",
		"GET /api/events", "POST /api/email/unsubscribe", "POST /api/admin/digests",
		"GET /api/instagram/accounts", "GET /api/growth/export", "POST /api/share-links", "GET /api/share-links",
		"DELETE /api/share-links/{id}", "GET /api/public/reports/{token}",
	}
	paths := map[string]bool{}
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		paths[path] = true
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s is not in openapi.yaml", r)
		}
	}
	// Nothing documented that the router does not serve.
	for path := range doc.Paths.Map() {
		if !paths[path] {
			t.Errorf("openapi.yaml documents %s, which is not among the routes", path)
		}
	}
}

// TestOpenAPI_Served checks GET /api/openapi.json: the document as JSON,
// cacheable, loadable and valid.
func TestOpenAPI_Served(t *testing.T) {
	env := newCtEnv(t, ctConfig(t, nil), ctHighLimits())
	res := ctServe(t, env.h, ctRequest(t, http.MethodGet, "/api/openapi.json", nil, nil))
	if got, want := res.Status, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got, want := res.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := res.Header.Get("Cache-Control"), "public, max-age=300"; got != want {
		t.Errorf("Cache-Control = %q, want %q", got, want)
	}
	doc, err := openapi3.NewLoader().LoadFromData(res.Raw)
	if err != nil {
		t.Fatalf("load served document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("served document: %v", err)
	}
	want, err := api.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Raw, want) {
		t.Error("served document differs from api.JSON()")
	}
}

// TestOpenAPI_Contract drives every endpoint through the real router,
// with its main error statuses, and validates each request and answer
// against the document.
func TestOpenAPI_Contract(t *testing.T) {
	limits := ctHighLimits()
	limits.Login = limiter.Rate{Period: 60_000_000_000, Limit: 4} // one minute
	env := newCtEnv(t, ctConfig(t, nil), limits)
	v := newContractValidator(t, env.h)
	do := func(method, target string, body any, header http.Header) ctResponse {
		t.Helper()
		return ctServe(t, v, ctRequest(t, method, target, body, header))
	}
	want := func(res ctResponse, status int) {
		t.Helper()
		if res.Status != status {
			t.Fatalf("status = %d, want %d: %s", res.Status, status, res.Raw)
		}
	}
	admin := http.Header{"X-Admin-Password": {ctAdminPassword}}

	// Health and the document itself.
	want(do(http.MethodGet, "/health", nil, nil), http.StatusOK)
	want(do(http.MethodHead, "/health", nil, nil), http.StatusOK)
	want(do(http.MethodGet, "/api/openapi.json", nil, nil), http.StatusOK)

	// Register and login.
	creds := map[string]string{"email": "Creator@Example.com ", "password": "correct horse battery"}
	res := do(http.MethodPost, "/api/auth/register", creds, nil)
	want(res, http.StatusCreated)
	token := res.Body["token"].(string)
	want(do(http.MethodPost, "/api/auth/register", creds, nil), http.StatusConflict)
	want(do(http.MethodPost, "/api/auth/register", map[string]string{"email": "nope", "password": "correct horse"}, nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/auth/register", map[string]string{"email": "a@b.co", "password": "short"}, nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/auth/register", `{"email":"a@b.co","password":"correct horse","admin":true}`, nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/auth/register", `{"email":`, nil), http.StatusBadRequest)
	big := `{"email":"a@b.co","password":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`
	want(do(http.MethodPost, "/api/auth/register", big, nil), http.StatusRequestEntityTooLarge)

	want(do(http.MethodPost, "/api/auth/login", creds, nil), http.StatusOK)
	want(do(http.MethodPost, "/api/auth/login", map[string]string{"email": "creator@example.com", "password": "wrong password"}, nil), http.StatusUnauthorized)
	want(do(http.MethodPost, "/api/auth/login", `[]`, nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/auth/login", creds, nil), http.StatusOK)
	res = do(http.MethodPost, "/api/auth/login", creds, nil)
	want(res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}

	// The user.
	want(do(http.MethodGet, "/api/user/me", nil, ctBearer(token)), http.StatusOK)
	want(do(http.MethodGet, "/api/user/me", nil, nil), http.StatusUnauthorized)
	want(do(http.MethodGet, "/api/user/me", nil, ctBearer("not-a-jwt")), http.StatusUnauthorized)

	// Waitlist and its admin list.
	want(do(http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "fan@example.com"}, nil), http.StatusCreated)
	want(do(http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "FAN@example.com"}, nil), http.StatusOK)
	want(do(http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "not an email"}, nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/waitlist/signup", `{"email":1}`, nil), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/admin/waitlist?page=1&limit=10", nil, admin), http.StatusOK)
	want(do(http.MethodGet, "/api/admin/waitlist?password="+ctAdminPassword, nil, nil), http.StatusOK)
	res = do(http.MethodGet, "/api/admin/waitlist?format=csv", nil, admin)
	want(res, http.StatusOK)
	if !strings.HasPrefix(string(res.Raw), "id,email,created_at\n") {
		t.Errorf("csv = %q", res.Raw)
	}
	want(do(http.MethodGet, "/api/admin/waitlist?limit=500", nil, admin), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/admin/waitlist?format=xml", nil, admin), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/admin/waitlist", nil, http.Header{"X-Admin-Password": {"wrong"}}), http.StatusUnauthorized)
	want(do(http.MethodGet, "/api/admin/waitlist", nil, nil), http.StatusUnauthorized)

	// Instagram, before any account is linked.
	want(do(http.MethodPost, "/api/instagram/refresh", nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/sync", nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/posts", nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodDelete, "/api/instagram/disconnect", nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/connect", nil, nil), http.StatusUnauthorized)

	// The OAuth flow, through the validator, then a bad callback.
	res = ctConnect(t, v, env.sb, token)
	want(res, http.StatusFound)
	if got := res.Header.Get("Location"); got != env.cfg.FrontendURL+"/dashboard?instagram=connected" {
		t.Fatalf("callback Location = %q", got)
	}
	res = do(http.MethodGet, "/auth/instagram/callback?code=x&state=forged", nil, nil)
	want(res, http.StatusFound)
	if got := res.Header.Get("Location"); !strings.Contains(got, "reason=invalid_state") {
		t.Errorf("forged state Location = %q", got)
	}
	ctWaitSynced(t, v, token)

	// Instagram, with the account.
	res = do(http.MethodPost, "/api/instagram/refresh", nil, ctBearer(token))
	want(res, http.StatusAccepted)
	accountID := res.Body["account"].(map[string]any)["id"].(string)
	want(do(http.MethodPost, "/api/instagram/refresh?account_id=nope", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/instagram/refresh?account_id="+uuid.NewString(), nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/sync?account_id="+accountID, nil, ctBearer(token)), http.StatusOK)
	ctWaitSynced(t, v, token)
	res = do(http.MethodGet, "/api/instagram/posts?limit=5", nil, ctBearer(token))
	want(res, http.StatusOK)
	posts := res.Body["posts"].([]any)
	if len(posts) != 5 {
		t.Fatalf("posts = %d, want 5", len(posts))
	}
	last := posts[4].(map[string]any)["posted_at"].(string)
	want(do(http.MethodGet, "/api/instagram/posts?limit=200&before="+last, nil, ctBearer(token)), http.StatusOK)
	want(do(http.MethodGet, "/api/instagram/posts?limit=0", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/instagram/posts?limit=201", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/instagram/posts?before=yesterday", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/instagram/posts?account_id="+uuid.NewString(), nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/posts", nil, nil), http.StatusUnauthorized)

	// Another user never sees the account.
	res = do(http.MethodPost, "/api/auth/register", map[string]string{"email": "other@example.com", "password": "another password"}, nil)
	want(res, http.StatusCreated)
	other := res.Body["token"].(string)
	want(do(http.MethodGet, "/api/instagram/posts?account_id="+accountID, nil, ctBearer(other)), http.StatusNotFound)

	// One post, with and without insights readings.
	postID := posts[0].(map[string]any)["id"].(string)
	want(do(http.MethodGet, "/api/instagram/posts/"+postID, nil, ctBearer(token)), http.StatusOK)
	store := postgres.NewPosts(env.db)
	read := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	if _, err := store.RecordInsights(context.Background(), postID, postgres.PostInsights{CapturedAt: read,
		Views: ptr(int64(1200)), Reach: ptr(int64(950)), SkipRate: ptr(31.5)}, nil); err != nil {
		t.Fatal(err)
	}
	res = do(http.MethodGet, "/api/instagram/posts/"+postID, nil, ctBearer(token))
	want(res, http.StatusOK)
	// The insights job reads the sandbox's insights too: the history holds
	// this reading among them, oldest first.
	h := res.Body["history"].([]any)
	found, prev := false, time.Time{}
	for _, e := range h {
		at, err := time.Parse(time.RFC3339Nano, e.(map[string]any)["captured_at"].(string))
		if err != nil || at.Before(prev) {
			t.Errorf("history not oldest first: %v after %v (%v)", at, prev, err)
		}
		prev = at
		found = found || e.(map[string]any)["views"] == float64(1200)
	}
	if !found {
		t.Errorf("history = %v, want the reading of 1,200 views", h)
	}
	want(do(http.MethodGet, "/api/instagram/posts/"+postID, nil, ctBearer(other)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/posts/"+uuid.NewString(), nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/posts/not-a-uuid", nil, ctBearer(token)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/instagram/posts/"+postID+"?account_id=nope", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/instagram/posts/"+postID, nil, nil), http.StatusUnauthorized)

	growthStatsScenario(t, do, token, other)
	growthAudienceScenario(t, do, token, other)
	adviceScenario(t, do, token, other)
	reportsScenario(t, do, token, other, accountID)

	// Metrics are open in the test environment.
	want(do(http.MethodGet, "/metrics", nil, nil), http.StatusOK)

	want(do(http.MethodDelete, "/api/instagram/disconnect?account_id="+accountID, nil, ctBearer(token)), http.StatusOK)
	want(do(http.MethodDelete, "/api/instagram/disconnect", nil, ctBearer(token)), http.StatusNotFound)

	v.wantSeen(map[string][]int{
		"getHealth":             {200},
		"headHealth":            {200},
		"getOpenAPI":            {200},
		"register":              {201, 400, 409, 413},
		"login":                 {200, 400, 401, 429},
		"getMe":                 {200, 401},
		"waitlistSignup":        {200, 201, 400},
		"adminWaitlist":         {200, 400, 401},
		"instagramConnect":      {200, 401},
		"instagramCallback":     {302},
		"instagramRefresh":      {202, 400, 404},
		"instagramSync":         {200, 404},
		"instagramPosts":        {200, 400, 401, 404},
		"instagramPost":         {200, 400, 401, 404},
		"instagramDisconnect":   {200, 404},
		"growthStats":           {200, 400, 401, 404},
		"growthAudience":        {200, 400, 401, 404},
		"growthRecommendations": {200, 400, 401, 404},
		"growthForecast":        {200, 400, 401, 404},
		"createGoal":            {201, 400, 401, 404},
		"listGoals":             {200, 400, 401, 404},
		"deleteGoal":            {204, 401, 404},
		"getMetrics":            {200},
		"instagramAccounts":     {200, 401},
		"growthExport":          {200, 400, 401, 404},
		"createShareLink":       {201, 400, 401, 404},
		"listShareLinks":        {200, 400, 401, 404},
		"deleteShareLink":       {204, 401, 404},
		"publicReport":          {200, 404},
	})
}

// TestOpenAPI_ContractConfigured covers the answers that depend on the
// configuration: admin without a password (503), metrics behind a token
// (401), the database down (503 health).
func TestOpenAPI_ContractConfigured(t *testing.T) {
	t.Run("AdminUnconfigured", func(t *testing.T) {
		env := newCtEnv(t, ctConfig(t, map[string]string{"ADMIN_PASSWORD": ""}), ctHighLimits())
		v := newContractValidator(t, env.h)
		res := ctServe(t, v, ctRequest(t, http.MethodGet, "/api/admin/waitlist", nil, http.Header{"X-Admin-Password": {"x"}}))
		if got, want := res.Status, http.StatusServiceUnavailable; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
	})
	t.Run("AdminRateLimited", func(t *testing.T) {
		limits := ctHighLimits()
		limits.AdminFailed = limiter.Rate{Period: 60_000_000_000, Limit: 1}
		env := newCtEnv(t, ctConfig(t, nil), limits)
		v := newContractValidator(t, env.h)
		wrong := http.Header{"X-Admin-Password": {"wrong"}}
		ctServe(t, v, ctRequest(t, http.MethodGet, "/api/admin/waitlist", nil, wrong))
		res := ctServe(t, v, ctRequest(t, http.MethodGet, "/api/admin/waitlist", nil, wrong))
		if got, want := res.Status, http.StatusTooManyRequests; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
	})
	t.Run("MetricsToken", func(t *testing.T) {
		env := newCtEnv(t, ctConfig(t, map[string]string{"METRICS_TOKEN": "scrape-token-123"}), ctHighLimits())
		v := newContractValidator(t, env.h)
		res := ctServe(t, v, ctRequest(t, http.MethodGet, "/metrics", nil, nil))
		if got, want := res.Status, http.StatusUnauthorized; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
		res = ctServe(t, v, ctRequest(t, http.MethodGet, "/metrics", nil, ctBearer("scrape-token-123")))
		if got, want := res.Status, http.StatusOK; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
	})
	t.Run("DatabaseDown", func(t *testing.T) {
		env := newCtEnv(t, ctConfig(t, nil), ctHighLimits())
		env.pool.Stop()
		if err := env.db.Close(); err != nil {
			t.Fatal(err)
		}
		v := newContractValidator(t, env.h)
		res := ctServe(t, v, ctRequest(t, http.MethodGet, "/health", nil, nil))
		if got, want := res.Status, http.StatusServiceUnavailable; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
		ctServe(t, v, ctRequest(t, http.MethodHead, "/health", nil, nil))
		res = ctServe(t, v, ctRequest(t, http.MethodPost, "/api/waitlist/signup", map[string]string{"email": "x@example.com"}, nil))
		if got, want := res.Status, http.StatusInternalServerError; got != want {
			t.Errorf("waitlist with the database down: status = %d, want %d", got, want)
		}
	})
}

// growthStatsScenario exercises GET /api/growth/stats: 200 for each
// period and a zone, 400 for a bad period, 404 without an account.
func growthStatsScenario(t *testing.T, do func(method, target string, body any, header http.Header) ctResponse, token, other string) {
	t.Helper()
	for _, q := range []string{"", "?period=7", "?period=14&tz=Europe/Berlin", "?period=90&tz=America/New_York"} {
		res := do(http.MethodGet, "/api/growth/stats"+q, nil, ctBearer(token))
		if res.Status != http.StatusOK {
			t.Errorf("stats%s: %d %s", q, res.Status, res.Raw)
		}
	}
	// A window with posts, so that best_post and the lists are validated
	// with content.
	res := do(http.MethodGet, "/api/growth/stats?period=90", nil, ctBearer(token))
	if n, _ := res.Body["total_posts"].(float64); n == 0 || res.Body["best_post"] == nil {
		t.Errorf("stats over 90 days of the sandbox account: no posts: %s", res.Raw)
	}
	for _, q := range []string{"?period=8", "?period=abc", "?tz=Mars/Olympus"} {
		res := do(http.MethodGet, "/api/growth/stats"+q, nil, ctBearer(token))
		if res.Status != http.StatusBadRequest {
			t.Errorf("stats%s: %d, want 400", q, res.Status)
		}
	}
	if res := do(http.MethodGet, "/api/growth/stats", nil, ctBearer(other)); res.Status != http.StatusNotFound {
		t.Errorf("stats without an account: %d, want 404", res.Status)
	}
	if res := do(http.MethodGet, "/api/growth/stats", nil, nil); res.Status != http.StatusUnauthorized {
		t.Errorf("stats without a token: %d, want 401", res.Status)
	}
}

func ptr[T any](v T) *T { return &v }

// growthAudienceScenario exercises GET /api/growth/audience: 200 for each
// period and zones on both sides of UTC, 400 for a bad period or zone,
// 404 without an account, 401 without a token.
func growthAudienceScenario(t *testing.T, do func(method, target string, body any, header http.Header) ctResponse, token, other string) {
	t.Helper()
	for _, q := range []string{"", "?period=7", "?period=14&tz=Asia/Tokyo", "?period=30&tz=Europe/Berlin", "?period=90&tz=America/New_York"} {
		res := do(http.MethodGet, "/api/growth/audience"+q, nil, ctBearer(token))
		if res.Status != http.StatusOK {
			t.Errorf("audience%s: %d %s", q, res.Status, res.Raw)
		}
	}
	for _, q := range []string{"?period=8", "?period=abc", "?tz=Mars/Olympus"} {
		if res := do(http.MethodGet, "/api/growth/audience"+q, nil, ctBearer(token)); res.Status != http.StatusBadRequest {
			t.Errorf("audience%s: %d, want 400", q, res.Status)
		}
	}
	if res := do(http.MethodGet, "/api/growth/audience", nil, ctBearer(other)); res.Status != http.StatusNotFound {
		t.Errorf("audience without an account: %d, want 404", res.Status)
	}
	if res := do(http.MethodGet, "/api/growth/audience", nil, nil); res.Status != http.StatusUnauthorized {
		t.Errorf("audience without a token: %d, want 401", res.Status)
	}
}

// reportsScenario exercises the accounts list, cursor paging, the exports,
// share links and the public report they open.
func reportsScenario(t *testing.T, do func(method, target string, body any, header http.Header) ctResponse, token, other, accountID string) {
	t.Helper()
	want := func(res ctResponse, status int) {
		t.Helper()
		if res.Status != status {
			t.Errorf("status = %d, want %d: %.300s", res.Status, status, res.Raw)
		}
	}
	want(do(http.MethodGet, "/api/instagram/accounts", nil, ctBearer(token)), http.StatusOK)
	want(do(http.MethodGet, "/api/instagram/accounts", nil, ctBearer(other)), http.StatusOK)
	want(do(http.MethodGet, "/api/instagram/accounts", nil, nil), http.StatusUnauthorized)

	res := do(http.MethodGet, "/api/instagram/posts?limit=7", nil, ctBearer(token))
	for pages := 0; res.Status == http.StatusOK && res.Body["next_cursor"] != nil && pages < 20; pages++ {
		res = do(http.MethodGet, "/api/instagram/posts?limit=7&cursor="+res.Body["next_cursor"].(string), nil, ctBearer(token))
	}
	want(res, http.StatusOK)
	want(do(http.MethodGet, "/api/instagram/posts?cursor=bm9wZQ", nil, ctBearer(token)), http.StatusBadRequest)

	for _, q := range []string{"", "?format=csv&period=90", "?format=json&period=90&tz=Europe/Berlin"} {
		want(do(http.MethodGet, "/api/growth/export"+q, nil, ctBearer(token)), http.StatusOK)
	}
	want(do(http.MethodGet, "/api/growth/export?format=xml", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/growth/export?period=8", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/growth/export?account_id="+accountID, nil, ctBearer(other)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/growth/export", nil, nil), http.StatusUnauthorized)

	res = do(http.MethodPost, "/api/share-links", map[string]any{"period": 90, "tz": "Europe/Berlin", "expires_in_days": 30}, ctBearer(token))
	want(res, http.StatusCreated)
	link, _ := res.Body["id"].(string)
	tok, _ := res.Body["token"].(string)
	want(do(http.MethodPost, "/api/share-links", map[string]any{"expires_in_days": 0}, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/share-links", map[string]any{"period": 8, "expires_in_days": 3}, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/share-links", map[string]any{"expires_in_days": 3}, ctBearer(other)), http.StatusNotFound)
	want(do(http.MethodPost, "/api/share-links", map[string]any{"expires_in_days": 3}, nil), http.StatusUnauthorized)
	want(do(http.MethodGet, "/api/share-links", nil, ctBearer(token)), http.StatusOK)
	want(do(http.MethodGet, "/api/share-links?account_id="+accountID, nil, ctBearer(token)), http.StatusOK)
	want(do(http.MethodGet, "/api/share-links?account_id=nope", nil, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodGet, "/api/share-links?account_id="+accountID, nil, ctBearer(other)), http.StatusNotFound)
	want(do(http.MethodGet, "/api/share-links", nil, nil), http.StatusUnauthorized)

	res = do(http.MethodGet, "/api/public/reports/"+tok, nil, nil)
	want(res, http.StatusOK)
	if st, _ := res.Body["stats"].(map[string]any); st == nil || st["best_post"] == nil {
		t.Errorf("public report without a best post to validate: %.300s", res.Raw)
	}
	want(do(http.MethodGet, "/api/public/reports/nope", nil, nil), http.StatusNotFound)
	want(do(http.MethodDelete, "/api/share-links/"+link, nil, ctBearer(other)), http.StatusNotFound)
	want(do(http.MethodDelete, "/api/share-links/"+link, nil, nil), http.StatusUnauthorized)
	want(do(http.MethodDelete, "/api/share-links/"+link, nil, ctBearer(token)), http.StatusNoContent)
	want(do(http.MethodGet, "/api/public/reports/"+tok, nil, nil), http.StatusNotFound)
}

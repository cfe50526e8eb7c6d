package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"

	"creatorgrowth/internal/httpapi"
)

// fuzzCodes are the error codes each status may carry.
var fuzzCodes = map[int][]string{
	http.StatusBadRequest:            {"invalid_request", "invalid_email", "weak_password"},
	http.StatusUnauthorized:          {"invalid_credentials"},
	http.StatusConflict:              {"email_taken"},
	http.StatusRequestEntityTooLarge: {"body_too_large"},
}

// fuzzBodySeeds are bodies every body fuzz target starts from.
var fuzzBodySeeds = []string{
	`{"email":"fuzz@example.com","password":"correct horse battery"}`,
	`{"email":"fuzz@example.com"}`,
	`{"email":" Fuzz@Example.COM ","password":"12345678"}`,
	`{"email":"a@b","password":"x"}`, `{"email":"","password":""}`,
	`{"email":"fuzz@example.com","password":"` + string(bytes.Repeat([]byte("p"), 73)) + `"}`,
	`{"email":"fuzz@example.com","password":"correct horse","extra":1}`,
	`{"email":["x"]}`, `{"email":"\u0000@x.co"}`, `{"email":"a@b.co"} {}`, `{`, ``, `null`, `[]`, `0`,
	`{"email":"ünïcödé@exämple.com","password":"ünïcödé-pass"}`,
	`{"email":"a@b.co","password":"\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"}`,
}

// fuzzPost sends body to path and checks the contract: never a 5xx, the
// statuses in ok, JSON always, and an error body of exactly error and a
// code that belongs to the status.
func fuzzPost(t *testing.T, h http.Handler, path string, body []byte, ok ...int) map[string]any {
	t.Helper()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !slices.Contains(ok, rec.Code) {
		t.Fatalf("POST %s %q: status %d, want one of %v: %s", path, body, rec.Code, ok, rec.Body)
	}
	if got, want := rec.Header().Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Fatalf("POST %s %q: Content-Type %q, want %q", path, body, got, want)
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("POST %s %q: answer %q is not a JSON object: %v", path, body, rec.Body, err)
	}
	if rec.Code < 400 {
		return got
	}
	msg, _ := got["error"].(string)
	code, _ := got["code"].(string)
	if len(got) != 2 || msg == "" || !slices.Contains(fuzzCodes[rec.Code], code) {
		t.Fatalf("POST %s %q: %d with body %s, want the error body with one of %v", path, body, rec.Code, rec.Body, fuzzCodes[rec.Code])
	}
	return got
}

// fuzzEnv is the real server on a fresh database, without its workers,
// and with rate limits that even a fuzzer's thousands of requests a
// second stay under.
func fuzzEnv(f *testing.F) *ctEnv {
	unlimited := limiter.Rate{Period: time.Minute, Limit: 1 << 40}
	env := newCtEnv(f, ctConfig(f, nil), httpapi.Limits{Login: unlimited, Waitlist: unlimited, AdminFailed: unlimited})
	env.pool.Stop()
	return env
}

// FuzzRegisterBody sends arbitrary bodies to POST /api/auth/register.
func FuzzRegisterBody(f *testing.F) {
	for _, s := range fuzzBodySeeds {
		f.Add([]byte(s))
	}
	env := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		got := fuzzPost(t, env.h, "/api/auth/register", body, 201, 400, 409, 413)
		if user, ok := got["user"].(map[string]any); ok {
			if _, ok := got["token"].(string); !ok || len(user) != 6 {
				t.Fatalf("register %q: session %v", body, got)
			}
		}
	})
}

// FuzzLoginBody sends arbitrary bodies to POST /api/auth/login, with one
// user registered.
func FuzzLoginBody(f *testing.F) {
	for _, s := range fuzzBodySeeds {
		f.Add([]byte(s))
	}
	env := fuzzEnv(f)
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/api/auth/register",
		bytes.NewReader([]byte(fuzzBodySeeds[0])))
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		f.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzPost(t, env.h, "/api/auth/login", body, 200, 400, 401, 413)
	})
}

// FuzzWaitlistBody sends arbitrary bodies to POST /api/waitlist/signup.
func FuzzWaitlistBody(f *testing.F) {
	for _, s := range fuzzBodySeeds {
		f.Add([]byte(s))
	}
	env := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		got := fuzzPost(t, env.h, "/api/waitlist/signup", body, 200, 201, 400, 413)
		if msg, ok := got["message"]; ok && msg != "Signed up successfully" && msg != "Already on the waitlist" {
			t.Fatalf("waitlist %q: message %q", body, msg)
		}
	})
}

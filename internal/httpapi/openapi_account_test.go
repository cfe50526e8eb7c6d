package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"

	"creatorgrowth/internal/postgres"
	"creatorgrowth/internal/smtptest"
)

// TestOpenAPI_ContractAccount drives the session and account endpoints,
// with their main error statuses, and validates each request and answer
// against the document.
func TestOpenAPI_ContractAccount(t *testing.T) {
	limits := ctHighLimits()
	limits.Register = limiter.Rate{Period: time.Hour, Limit: 4}
	limits.PasswordReset = limiter.Rate{Period: time.Hour, Limit: 3}
	limits.LoginFailures = limiter.Rate{Period: 15 * time.Minute, Limit: 3}
	smtp := smtptest.New(t)
	env := newCtEnv(t, ctConfig(t, map[string]string{"SMTP_URL": smtp.URL()}), limits)
	v := newContractValidator(t, env.h)
	do := func(method, target string, body any, header http.Header) ctResponse {
		t.Helper()
		return ctServe(t, v, ctRequest(t, method, target, body, header))
	}
	want := func(res ctResponse, status int) ctResponse {
		t.Helper()
		if res.Status != status {
			t.Fatalf("status = %d, want %d: %s", res.Status, status, res.Raw)
		}
		return res
	}
	cookie := func(token string, origin string) http.Header {
		h := http.Header{"Cookie": {"session=" + token}}
		if origin != "" {
			h.Set("Origin", origin)
		}
		return h
	}
	const app, evil = "http://app.example.test", "https://evil.example.test"
	creds := map[string]string{"email": "account@example.com", "password": "correct horse battery"}

	res := want(do(http.MethodPost, "/api/auth/register", creds, nil), http.StatusCreated)
	token := res.Body["token"].(string)
	userID := res.Body["user"].(map[string]any)["id"].(string)
	want(do(http.MethodPost, "/api/auth/register", map[string]string{"email": "x@example.com", "password": "correct horse battery"}, http.Header{"Origin": {evil}}), http.StatusForbidden)
	want(do(http.MethodPost, "/api/auth/login", creds, http.Header{"Origin": {evil}}), http.StatusForbidden)

	// Settings, by Bearer and by cookie.
	want(do(http.MethodPatch, "/api/user/me", map[string]any{"timezone": "Europe/Berlin", "weekly_digest": false}, ctBearer(token)), http.StatusOK)
	want(do(http.MethodPatch, "/api/user/me", map[string]any{"timezone": "Mars/Olympus"}, ctBearer(token)), http.StatusBadRequest)
	want(do(http.MethodPatch, "/api/user/me", map[string]any{"weekly_digest": true}, cookie(token, app)), http.StatusOK)
	want(do(http.MethodPatch, "/api/user/me", map[string]any{"weekly_digest": true}, cookie(token, evil)), http.StatusForbidden)
	want(do(http.MethodPatch, "/api/user/me", map[string]any{"weekly_digest": true}, nil), http.StatusUnauthorized)
	want(do(http.MethodGet, "/api/user/me", nil, cookie(token, "")), http.StatusOK)

	// Verification and reset, with tokens stored as the mail would carry them.
	tokens := postgres.NewUserTokens(env.db)
	verify, err := tokens.Issue(context.Background(), userID, postgres.PurposeVerifyEmail, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	res = want(do(http.MethodPost, "/api/auth/verify-email", map[string]string{"token": verify}, nil), http.StatusOK)
	if res.Body["email_verified"] != true {
		t.Errorf("verified user = %v", res.Body)
	}
	want(do(http.MethodPost, "/api/auth/verify-email", map[string]string{"token": verify}, nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "account@example.com"}, nil), http.StatusAccepted)
	want(do(http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "nobody@example.com"}, nil), http.StatusAccepted)
	want(do(http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "not an address"}, nil), http.StatusBadRequest)
	res = want(do(http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "fourth@example.com"}, nil), http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	reset, err := tokens.Issue(context.Background(), userID, postgres.PurposePasswordReset, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want(do(http.MethodPost, "/api/auth/password-reset/confirm", map[string]string{"token": reset, "password": "short"}, nil), http.StatusBadRequest)
	res = want(do(http.MethodPost, "/api/auth/password-reset/confirm", map[string]string{"token": reset, "password": "a brand new password"}, nil), http.StatusOK)
	token = res.Body["token"].(string)
	want(do(http.MethodPost, "/api/auth/password-reset/confirm", map[string]string{"token": reset, "password": "a brand new password"}, nil), http.StatusBadRequest)

	// Password change.
	want(do(http.MethodPost, "/api/user/password", map[string]string{"current_password": "wrong", "new_password": "another new password"}, ctBearer(token)), http.StatusUnauthorized)
	want(do(http.MethodPost, "/api/user/password", map[string]string{"current_password": "a brand new password", "new_password": "short"}, ctBearer(token)), http.StatusBadRequest)
	res = want(do(http.MethodPost, "/api/user/password", map[string]string{"current_password": "a brand new password", "new_password": "another new password"}, ctBearer(token)), http.StatusOK)
	want(do(http.MethodGet, "/api/user/me", nil, ctBearer(token)), http.StatusUnauthorized)
	want(do(http.MethodGet, "/api/user/me", nil, ctBearer(res.Body["token"].(string))), http.StatusOK)

	// Logout, logout-all.
	second := want(do(http.MethodPost, "/api/auth/login", map[string]string{"email": "account@example.com", "password": "another new password"}, nil), http.StatusOK).Body["token"].(string)
	want(do(http.MethodPost, "/api/auth/logout", nil, cookie(second, evil)), http.StatusForbidden)
	want(do(http.MethodPost, "/api/auth/logout", nil, cookie(second, app)), http.StatusNoContent)
	want(do(http.MethodPost, "/api/auth/logout", nil, ctBearer(second)), http.StatusUnauthorized)
	third := want(do(http.MethodPost, "/api/auth/login", map[string]string{"email": "account@example.com", "password": "another new password"}, nil), http.StatusOK).Body["token"].(string)
	want(do(http.MethodPost, "/api/auth/logout-all", nil, ctBearer(third)), http.StatusNoContent)
	want(do(http.MethodPost, "/api/auth/logout-all", nil, ctBearer(third)), http.StatusUnauthorized)
	token = want(do(http.MethodPost, "/api/auth/login", map[string]string{"email": "account@example.com", "password": "another new password"}, nil), http.StatusOK).Body["token"].(string)

	// The connect start with a used ticket, then deletion.
	want(do(http.MethodGet, "/auth/instagram/start?ticket=used-or-made-up", nil, nil), http.StatusFound)
	want(do(http.MethodDelete, "/api/user/me", map[string]string{"password": "wrong"}, ctBearer(token)), http.StatusUnauthorized)
	want(do(http.MethodDelete, "/api/user/me", map[string]string{"password": "wrong again"}, ctBearer(token)), http.StatusUnauthorized)
	// Three failed password checks on the address within 15 minutes (the
	// first was the password change): now even the right password waits.
	want(do(http.MethodDelete, "/api/user/me", map[string]string{"password": "another new password"}, ctBearer(token)), http.StatusTooManyRequests)
	other := want(do(http.MethodPost, "/api/auth/register", map[string]string{"email": "leaving@example.com", "password": "correct horse battery"}, nil), http.StatusCreated).Body["token"].(string)
	want(do(http.MethodDelete, "/api/user/me", `{"password":1}`, ctBearer(other)), http.StatusBadRequest)
	want(do(http.MethodDelete, "/api/user/me", map[string]string{"password": "correct horse battery"}, cookie(other, evil)), http.StatusForbidden)
	want(do(http.MethodDelete, "/api/user/me", map[string]string{"password": "correct horse battery"}, ctBearer(other)), http.StatusNoContent)
	want(do(http.MethodGet, "/api/user/me", nil, ctBearer(other)), http.StatusUnauthorized)
	want(do(http.MethodPost, "/api/auth/register", map[string]string{"email": "fifth@example.com", "password": "correct horse battery"}, nil), http.StatusCreated)
	want(do(http.MethodPost, "/api/auth/register", map[string]string{"email": "sixth@example.com", "password": "correct horse battery"}, nil), http.StatusTooManyRequests)

	// Without SMTP_URL a reset cannot be mailed: 503.
	bare := newCtEnv(t, ctConfig(t, nil), limits)
	nv := newContractValidator(t, bare.h)
	if res := ctServe(t, nv, ctRequest(t, http.MethodPost, "/api/auth/password-reset", map[string]string{"email": "a@example.com"}, nil)); res.Status != http.StatusServiceUnavailable {
		t.Errorf("reset without SMTP: %d, want 503", res.Status)
	}

	v.wantSeen(map[string][]int{
		"register":             {201, 403, 429},
		"login":                {200, 403},
		"updateMe":             {200, 400, 401, 403},
		"getMe":                {200, 401},
		"verifyEmail":          {200, 400},
		"passwordReset":        {202, 400, 429},
		"passwordResetConfirm": {200, 400},
		"changePassword":       {200, 400, 401},
		"logout":               {204, 401, 403},
		"logoutAll":            {204, 401},
		"deleteMe":             {204, 400, 401, 403, 429},
		"instagramStart":       {302},
	})
}

package httpapi_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"

	"creatorgrowth/internal/smtptest"
)

// TestOpenAPI_ContractMail drives the unsubscribe and admin digest
// endpoints, and the stream's refusals, through the contract validator.
func TestOpenAPI_ContractMail(t *testing.T) {
	smtp := smtptest.New(t)
	env := newCtEnv(t, ctConfig(t, map[string]string{"SMTP_URL": smtp.URL()}), ctHighLimits())
	v := newContractValidator(t, env.h)
	do := func(method, target string, body any, header http.Header) ctResponse {
		t.Helper()
		return ctServe(t, v, ctRequest(t, method, target, body, header))
	}
	want := func(res ctResponse, status int) {
		t.Helper()
		if res.Status != status {
			t.Errorf("status %d, want %d (body %s)", res.Status, status, res.Raw)
		}
	}
	admin := http.Header{"X-Admin-Password": {ctAdminPassword}}

	res := do(http.MethodPost, "/api/auth/register", map[string]string{"email": "mail@example.com", "password": "correct horse battery"}, nil)
	want(res, http.StatusCreated)
	userID := res.Body["user"].(map[string]any)["id"].(string)
	token := "contract-unsubscribe-token"
	hash := sha256.Sum256([]byte(token))
	if _, err := env.db.ExecContext(context.Background(), `INSERT INTO unsubscribe_tokens (token_hash, user_id) VALUES ($1, $2)`, hash[:], userID); err != nil {
		t.Fatal(err)
	}

	want(do(http.MethodPost, "/api/email/unsubscribe", map[string]string{"token": "unknown"}, nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/email/unsubscribe", "[]", nil), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/email/unsubscribe", map[string]string{"token": token}, nil), http.StatusOK)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	res = ctServe(t, v, ctRequest(t, http.MethodPost, "/api/email/unsubscribe?token="+token, "List-Unsubscribe=One-Click", form))
	want(res, http.StatusOK)
	want(do(http.MethodPost, "/api/email/unsubscribe", `{"token":"`+strings.Repeat("x", 2<<20)+`"}`, nil), http.StatusRequestEntityTooLarge)

	want(do(http.MethodPost, "/api/admin/digests", map[string]string{"week": "2026-W49"}, nil), http.StatusUnauthorized)
	want(do(http.MethodPost, "/api/admin/digests", map[string]string{"week": "2026-W54"}, admin), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/admin/digests", map[string]string{"week": "2099-W01"}, admin), http.StatusBadRequest)
	want(do(http.MethodPost, "/api/admin/digests", map[string]string{"week": "2026-W01"}, admin), http.StatusAccepted)

	want(do(http.MethodGet, "/api/events", nil, nil), http.StatusUnauthorized)

	v.wantSeen(map[string][]int{
		"emailUnsubscribe": {200, 400, 413},
		"adminDigests":     {202, 400, 401},
		"events":           {401},
	})

	// Without SMTP_URL the admin endpoint is unavailable.
	noMail := newCtEnv(t, ctConfig(t, nil), ctHighLimits())
	nv := newContractValidator(t, noMail.h)
	res = ctServe(t, nv, ctRequest(t, http.MethodPost, "/api/admin/digests", map[string]string{"week": "2026-W01"}, admin))
	want(res, http.StatusServiceUnavailable)
}

package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"creatorgrowth/internal/httpapi"
)

// consentSelected returns the account the sandbox's consent page offers.
func consentSelected(t *testing.T, a *testAPI) string {
	t.Helper()
	q := url.Values{
		"client_id":     {"sandbox-client"},
		"redirect_uri":  {a.cfg.Instagram.RedirectURI},
		"response_type": {"code"},
		"scope":         {"instagram_business_basic"},
		"state":         {"s"},
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, httpapi.SandboxPrefix+"/oauth/authorize?"+q.Encode(), nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("consent page: status %d: %s", rec.Code, rec.Body)
	}
	m := regexp.MustCompile(`<option value="([^"]+)" selected>`).FindSubmatch(rec.Body.Bytes())
	if m == nil {
		t.Fatalf("consent page preselects nothing:\n%s", rec.Body)
	}
	return string(m[1])
}

// TestSandboxConsent_PreselectsAnUnlinkedAccount: a second person on the
// same instance is offered an account nobody has linked, not the first
// person's, so clicking through does not end in "already linked".
func TestSandboxConsent_PreselectsAnUnlinkedAccount(t *testing.T) {
	a := newTestAPI(t)
	first := consentSelected(t, a)

	_, user := a.register(t, "first@example.com", "password-123")
	if _, err := a.db.Exec(`INSERT INTO instagram_accounts (user_id, ig_user_id, username, access_token)
		VALUES ($1, $2, 'linked', 'sealed')`, user["id"], first); err != nil {
		t.Fatal(err)
	}
	if got := consentSelected(t, a); got == first {
		t.Fatalf("consent page still offers the linked account %s", got)
	}
}

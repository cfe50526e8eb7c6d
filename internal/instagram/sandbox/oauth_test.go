package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const redirect = "https://app.example.com/cb"

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newServer serves a default sandbox directly, the way tests of other packages do.
func newServer(t *testing.T, opts Options) (*Sandbox, *httptest.Server, *clock) {
	t.Helper()
	clk := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	opts.Now = clk.Now
	sb := New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	sb.SetBaseURL(srv.URL)
	return sb, srv, clk
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func authValues() url.Values {
	return url.Values{"client_id": {"sandbox-client"}, "redirect_uri": {redirect}, "response_type": {"code"},
		"scope": {"instagram_business_basic,instagram_business_manage_insights"}, "state": {"s-1"}}
}

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestAuthorizePage(t *testing.T) {
	_, srv, _ := newServer(t, Options{})
	tests := []struct {
		name       string
		change     func(url.Values)
		wantStatus int
		wantText   string
	}{
		{"OK", func(url.Values) {}, 200, "allow Creator Growth Tool to access"},
		{"SpaceSeparatedScopes", func(v url.Values) { v.Set("scope", "instagram_business_basic instagram_business_manage_insights") }, 200, `id="allow"`},
		{"ErrClientID", func(v url.Values) { v.Set("client_id", "other") }, 400, "Invalid app ID"},
		{"ErrNoRedirect", func(v url.Values) { v.Del("redirect_uri") }, 400, "Invalid redirect_uri"},
		{"ErrRedirectScheme", func(v url.Values) { v.Set("redirect_uri", "javascript:alert(1)") }, 400, "Invalid redirect_uri"},
		{"ErrRelativeRedirect", func(v url.Values) { v.Set("redirect_uri", "/cb") }, 400, "Invalid redirect_uri"},
		{"ErrResponseType", func(v url.Values) { v.Set("response_type", "token") }, 400, "Invalid response_type"},
		{"ErrNoBasicScope", func(v url.Values) { v.Set("scope", "instagram_business_manage_insights") }, 400, "instagram_business_basic is required"},
		{"ErrFacebookScope", func(v url.Values) { v.Set("scope", "instagram_business_basic,pages_show_list") }, 400, "pages_show_list"},
		{"ErrBasicDisplayScope", func(v url.Values) { v.Set("scope", "user_profile,user_media") }, 400, "user_profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := authValues()
			tt.change(v)
			resp, body := get(t, srv.URL+"/oauth/authorize?"+v.Encode())
			if got, want := resp.StatusCode, tt.wantStatus; got != want {
				t.Errorf("status = %d, want %d", got, want)
			}
			if !strings.Contains(body, tt.wantText) {
				t.Errorf("body lacks %q:\n%s", tt.wantText, body)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
				t.Errorf("Content-Type = %q", got)
			}
		})
	}
}

func TestAuthorizePage_Contents(t *testing.T) {
	_, srv, _ := newServer(t, Options{})
	v := authValues()
	v.Set("state", `"><script>alert(1)</script>`)
	_, body := get(t, srv.URL+"/oauth/authorize?"+v.Encode())
	for _, want := range []string{
		`<select id="account" name="account">`, `@sandbox.creator · 1,240 followers`, `@sandbox.studio · 5,830 followers`,
		`id="allow"`, `id="cancel"`, `<label for="account">`, `lang="en"`, `&lt;script&gt;`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>") {
		t.Error("state is not escaped")
	}
}

// decide posts the consent form with action allow or cancel.
func decide(t *testing.T, srv *httptest.Server, action string, v url.Values) *url.URL {
	t.Helper()
	v.Set("action", action)
	v.Set("account", "17841400000000001")
	resp, err := noRedirect.PostForm(srv.URL+"/oauth/authorize", v)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.StatusCode, http.StatusFound; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestAuthorizeDecision(t *testing.T) {
	_, srv, _ := newServer(t, Options{})
	t.Run("Allow", func(t *testing.T) {
		loc := decide(t, srv, "allow", authValues())
		if got, want := loc.Scheme+"://"+loc.Host+loc.Path, redirect; got != want {
			t.Errorf("redirect = %q, want %q", got, want)
		}
		if loc.Query().Get("code") == "" || loc.Query().Get("state") != "s-1" || loc.Fragment != "_" {
			t.Errorf("Location = %q, want code, state=s-1 and #_", loc)
		}
	})
	t.Run("Cancel", func(t *testing.T) {
		loc := decide(t, srv, "cancel", authValues())
		want := redirect + "?error=access_denied&error_description=The+user+denied+your+request&error_reason=user_denied&state=s-1"
		if got := loc.String(); got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
	})
	t.Run("ErrTamperedForm", func(t *testing.T) {
		v := authValues()
		v.Set("client_id", "evil")
		v.Set("action", "allow")
		resp, err := noRedirect.PostForm(srv.URL+"/oauth/authorize", v)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got, want := resp.StatusCode, http.StatusBadRequest; got != want {
			t.Errorf("status = %d, want %d", got, want)
		}
	})
}

// exchange posts the code-exchange form; multipart when asked.
func exchange(t *testing.T, srv *httptest.Server, v url.Values, multi bool) (int, map[string]any, string) {
	t.Helper()
	var body bytes.Buffer
	ctype := "application/x-www-form-urlencoded"
	if multi {
		mw := multipart.NewWriter(&body)
		for k := range v {
			_ = mw.WriteField(k, v.Get(k))
		}
		mw.Close()
		ctype = mw.FormDataContentType()
	} else {
		body.WriteString(v.Encode())
	}
	resp, err := http.Post(srv.URL+"/oauth/access_token", ctype, &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("body %q: %v", raw, err)
	}
	return resp.StatusCode, m, string(raw)
}

func exchangeValues(code string) url.Values {
	return url.Values{"client_id": {"sandbox-client"}, "client_secret": {"sandbox-secret"},
		"grant_type": {"authorization_code"}, "redirect_uri": {redirect}, "code": {code}}
}

func TestExchangeCode(t *testing.T) {
	sb, srv, clk := newServer(t, Options{})
	acct := sb.Account("17841400000000001")
	newCode := func() string { return decide(t, srv, "allow", authValues()).Query().Get("code") }
	const notFound = "Matching code was not found or was already used"

	t.Run("FlatNumericUserID", func(t *testing.T) {
		status, _, raw := exchange(t, srv, exchangeValues(newCode()), false)
		if status != 200 || !strings.Contains(raw, `"user_id":`+acct.AppScopedID+`,`) {
			t.Errorf("status %d body %s, want a numeric user_id %s", status, raw, acct.AppScopedID)
		}
		if !strings.Contains(raw, `"permissions":"instagram_business_basic,instagram_business_manage_insights"`) {
			t.Errorf("body %s lacks the permissions CSV", raw)
		}
	})
	t.Run("WrappedMultipart", func(t *testing.T) {
		sb.SetWrappedTokenResponse(true)
		defer sb.SetWrappedTokenResponse(false)
		status, m, raw := exchange(t, srv, exchangeValues(newCode()), true)
		data, _ := m["data"].([]any)
		if status != 200 || len(data) != 1 || data[0].(map[string]any)["user_id"] != acct.AppScopedID {
			t.Errorf("status %d body %s, want data[0].user_id %q", status, raw, acct.AppScopedID)
		}
	})
	t.Run("ErrReuse", func(t *testing.T) {
		code := newCode()
		if status, _, raw := exchange(t, srv, exchangeValues(code), false); status != 200 {
			t.Fatalf("first use: %d %s", status, raw)
		}
		status, m, _ := exchange(t, srv, exchangeValues(code), false)
		if status != 400 || m["error_type"] != "OAuthException" || m["error_message"] != notFound || m["code"] != json.Number("400") {
			t.Errorf("reuse: %d %v", status, m)
		}
	})
	tests := []struct {
		name    string
		change  func(v url.Values)
		advance time.Duration
		wantMsg string
	}{
		{"ErrSecret", func(v url.Values) { v.Set("client_secret", "nope") }, 0, "Error validating client secret."},
		{"ErrClientID", func(v url.Values) { v.Set("client_id", "nope") }, 0, "Invalid platform app"},
		{"ErrGrantType", func(v url.Values) { v.Set("grant_type", "password") }, 0, "Invalid grant_type"},
		{"ErrRedirectMismatch", func(v url.Values) { v.Set("redirect_uri", redirect+"/") }, 0, "redirect_uri is identical"},
		{"ErrFragmentKept", func(v url.Values) { v.Set("code", v.Get("code")+"#_") }, 0, notFound},
		{"ErrExpired", func(url.Values) {}, 61 * time.Minute, notFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := exchangeValues(newCode())
			tt.change(v)
			clk.Advance(tt.advance)
			status, m, _ := exchange(t, srv, v, false)
			msg, _ := m["error_message"].(string)
			if status != 400 || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("got %d %v, want 400 %q", status, m, tt.wantMsg)
			}
		})
	}
	if got, want := sb.Calls("exchange"), 10; got != want {
		t.Errorf("Calls(exchange) = %d, want %d", got, want)
	}
}

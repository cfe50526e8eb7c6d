package instagram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

func TestParseAPIError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   APIError
		wantOK bool
	}{
		{"GraphEnvelope", 400,
			`{"error":{"message":"Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"EJplcsCHuLu"}}`,
			APIError{HTTPStatus: 400, Code: 190, Subcode: 463, Type: "OAuthException", Message: "Session has expired", FBTraceID: "EJplcsCHuLu"}, true},
		{"IGApiException", 400, `{"error":{"message":"The parameter video_url is required","type":"IGApiException","code":100,"fbtrace_id":"A"}}`,
			APIError{HTTPStatus: 400, Code: 100, Type: "IGApiException", Message: "The parameter video_url is required", FBTraceID: "A"}, true},
		{"FlatOAuth", 400, `{"error_type":"OAuthException","code":400,"error_message":"Matching code was not found or was already used"}`,
			APIError{HTTPStatus: 400, Code: 400, Type: "OAuthException", Message: "Matching code was not found or was already used"}, true},
		{"RFC6749", 400, `{"error":"invalid_request","error_description":"Missing code"}`,
			APIError{HTTPStatus: 400, Type: "invalid_request", Message: "Missing code"}, true},
		{"CodeAsString", 429, `{"error":{"message":"slow down","code":"4"}}`,
			APIError{HTTPStatus: 429, Code: 4, Message: "slow down"}, true},
		{"HTML", 502, `<html>Bad Gateway</html>`, APIError{HTTPStatus: 502}, false},
		{"NoError", 200, `{"data":[]}`, APIError{HTTPStatus: 200}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseAPIError(tt.status, []byte(tt.body))
			if ok != tt.wantOK || *got != tt.want {
				t.Errorf("parseAPIError = %+v, %v; want %+v, %v", *got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestAPIError_Classification(t *testing.T) {
	tests := []struct {
		err                                     APIError
		wantToken, wantThrottled, wantTemporary bool
	}{
		{APIError{HTTPStatus: 400, Code: 190, Subcode: 463}, true, false, false},
		{APIError{HTTPStatus: 400, Code: 190}, true, false, false},
		{APIError{HTTPStatus: 400, Code: 100}, false, false, false},
		{APIError{HTTPStatus: 429}, false, true, true},
		{APIError{HTTPStatus: 400, Code: 4}, false, true, true},
		{APIError{HTTPStatus: 400, Code: 17}, false, true, true},
		{APIError{HTTPStatus: 403, Code: 32}, false, true, true},
		{APIError{HTTPStatus: 400, Code: 613, Subcode: 1996}, false, true, true},
		{APIError{HTTPStatus: 400, Code: 80002}, false, true, true},
		{APIError{HTTPStatus: 500, Code: 2}, false, false, true},
		{APIError{HTTPStatus: 503}, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			if got := tt.err.TokenInvalid(); got != tt.wantToken {
				t.Errorf("TokenInvalid = %v, want %v", got, tt.wantToken)
			}
			if got := tt.err.Throttled(); got != tt.wantThrottled {
				t.Errorf("Throttled = %v, want %v", got, tt.wantThrottled)
			}
			if got := tt.err.Temporary(); got != tt.wantTemporary {
				t.Errorf("Temporary = %v, want %v", got, tt.wantTemporary)
			}
		})
	}
}

func TestAPIError_Kinds(t *testing.T) {
	mi, ai := EndpointMediaInsights, EndpointAccountInsights
	tests := []struct {
		err  APIError
		want error // the one kind it matches, nil for none
	}{
		{APIError{Endpoint: mi, HTTPStatus: 400, Code: 10, Message: "(#10) Not enough viewers for the media to show insights"}, ErrNotAvailable},
		{APIError{Endpoint: ai, HTTPStatus: 400, Code: 10, Message: "(#10) Application does not have permission for this action"}, nil},
		{APIError{Endpoint: "me", HTTPStatus: 400, Code: 10, Message: "(#10) Application does not have permission"}, nil},
		{APIError{Endpoint: mi, HTTPStatus: 400, Code: 100}, ErrMetricRefused},
		{APIError{Endpoint: ai, HTTPStatus: 400, Code: 100, Message: "(#100) There cannot be more than 30 days"}, ErrMetricRefused},
		{APIError{Endpoint: mi, HTTPStatus: 400, Code: 100, Subcode: 33}, nil},
		{APIError{Endpoint: "media", HTTPStatus: 400, Code: 100}, nil},
		{APIError{Endpoint: mi, HTTPStatus: 400, Code: 80002}, ErrThrottled},
		{APIError{Endpoint: "me", HTTPStatus: 400, Code: 613}, ErrThrottled},
		{APIError{Endpoint: mi, HTTPStatus: 400, Code: 190, Subcode: 463}, ErrReauth},
		{APIError{Endpoint: mi, HTTPStatus: 503}, nil},
	}
	kinds := []error{ErrNotAvailable, ErrMetricRefused, ErrThrottled, ErrReauth}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			var err error = fmt.Errorf("wrapped: %w", &tt.err)
			for _, k := range kinds {
				if got, want := errors.Is(err, k), k == tt.want; got != want {
					t.Errorf("errors.Is(%v) = %v, want %v", k, got, want)
				}
			}
		})
	}
}

func TestAPIError_Error(t *testing.T) {
	e := &APIError{Endpoint: "me", HTTPStatus: 400, Code: 190, Subcode: 467, Type: "IGApiException",
		Message: "Invalid OAuth access token", FBTraceID: "X1", RetryAfter: time.Minute}
	got := e.Error()
	want := "instagram: me: HTTP 400: IGApiException code 190/467: Invalid OAuth access token (fbtrace_id X1) (retry after 1m0s)"
	if got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://graph.instagram.com/v25.0/me/media?fields=id&access_token=IGAAabc123&after=QVF",
			"https://graph.instagram.com/v25.0/me/media?fields=id&access_token=REDACTED&after=QVF"},
		{"/access_token?grant_type=ig_exchange_token&client_secret=shh&access_token=IGAA",
			"/access_token?grant_type=ig_exchange_token&client_secret=REDACTED&access_token=REDACTED"},
		{"https://app/cb?code=AQBx-y_z#_", "https://app/cb?code=REDACTED#_"},
		{`Get "https://x/?ACCESS_TOKEN=abc": timeout`, `Get "https://x/?ACCESS_TOKEN=REDACTED": timeout`},
		{"error_code=190&code_name=x", "error_code=190&code_name=x"},
		{"no secrets here", "no secrets here"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestClient_NoSecretsInErrorsOrLogs drives every failure path and checks that no
// token, secret or code leaks into an error string or a log line.
func TestClient_NoSecretsInErrorsOrLogs(t *testing.T) {
	e := newEnv(t, []sandbox.AccountSpec{{UserID: "17841400000000009", Posts: 120}},
		func(c *Config) { c.RequestTimeout = 50 * time.Millisecond })
	ctx := context.Background()
	code := e.authorize(t, "17841400000000009")
	short, err := e.client.ExchangeCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	long, err := e.client.ExchangeLongLived(ctx, short.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{testClientSecret, strings.TrimSuffix(code, "#_"), short.AccessToken, long.AccessToken}

	var errs []error
	record := func(err error) {
		if err == nil {
			t.Error("expected an error")
			return
		}
		errs = append(errs, err)
	}
	_, err = e.client.ExchangeCode(ctx, code) // reuse
	record(err)
	// Page 2 is fetched through paging.next, which embeds the token; make it time out.
	e.sb.InjectFault(sandbox.Fault{Endpoint: "media", After: 1, Delay: time.Second})
	_, _, _, err = e.collect(t, long.AccessToken, 0)
	record(err)
	e.sb.ClearFaults()
	e.sb.InjectFault(sandbox.Fault{Endpoint: "media", After: 1, Status: 500})
	_, _, _, err = e.collect(t, long.AccessToken, 0)
	record(err)
	e.sb.ClearFaults()
	e.sb.InjectFault(sandbox.Fault{Endpoint: "long_lived", Status: 503})
	_, err = e.client.ExchangeLongLived(ctx, short.AccessToken)
	record(err)
	e.sb.InjectFault(sandbox.Fault{Endpoint: "me", Malformed: true, Times: 1})
	_, err = e.client.Me(ctx, long.AccessToken)
	record(err)
	e.sb.ExpireToken(long.AccessToken)
	_, err = e.client.RefreshToken(ctx, long.AccessToken)
	record(err)
	bad := NewClient(Config{GraphURL: "http://127.0.0.1:1", MaxRetries: -1})
	_, err = bad.Me(ctx, long.AccessToken)
	record(err)
	if !errors.Is(errs[1], ErrTimeout) {
		t.Errorf("paging time-out: err = %v, want ErrTimeout", errs[1])
	}

	logs := e.logs.String()
	if !strings.Contains(logs, "access_token=REDACTED") {
		t.Errorf("logs should show redacted URLs:\n%s", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("log output contains secret %q:\n%s", s, logs)
		}
		for _, err := range errs {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error %q contains secret %q", err, s)
			}
		}
	}
}

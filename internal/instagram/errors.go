package instagram

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// ErrMalformedResponse reports a response body that is not valid JSON or lacks a
// required field. It is always wrapped; test for it with errors.Is.
var ErrMalformedResponse = errors.New("instagram: malformed response")

// ErrTimeout reports a request that exceeded its deadline on every attempt. It is
// wrapped together with the underlying transport error.
var ErrTimeout = errors.New("instagram: request timed out")

// APIError is an error answer from Instagram, parsed from the Graph envelope
// {"error":{...}} or from the flat OAuth shape {"error_type","code","error_message"}.
// Branch on Code and Subcode, never on Type.
type APIError struct {
	// Endpoint names the operation that failed: "exchange", "long_lived", "refresh",
	// "me", "media", "media_insights" or "account_insights".
	Endpoint string
	// HTTPStatus is the HTTP status code of the response.
	HTTPStatus int
	// Code is the Graph error code (190 token, 4/17/32/613/80002 throttling, 100 parameter...).
	Code int
	// Subcode is the Graph error_subcode (463 expired, 467 invalid token...).
	Subcode int
	// Type is the error type, e.g. "OAuthException" or "IGApiException".
	Type string
	// Message is the human-readable message, with any credential removed.
	Message string
	// FBTraceID is Meta's trace id, useful in bug reports.
	FBTraceID string
	// RetryAfter is how long Instagram asked us to wait (Retry-After or
	// X-Business-Use-Case-Usage estimated_time_to_regain_access); zero when unknown.
	RetryAfter time.Duration
	// RegainAccess is the estimated_time_to_regain_access of the answer's
	// X-Business-Use-Case-Usage header (sent in minutes); zero when 0 or absent.
	RegainAccess time.Duration
}

// Error implements error. It never contains a credential.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("instagram: ")
	if e.Endpoint != "" {
		b.WriteString(e.Endpoint)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	if e.Code != 0 || e.Type != "" {
		b.WriteString(": ")
		if e.Type != "" {
			b.WriteString(e.Type)
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "code %d", e.Code)
		if e.Subcode != 0 {
			fmt.Fprintf(&b, "/%d", e.Subcode)
		}
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.FBTraceID != "" {
		fmt.Fprintf(&b, " (fbtrace_id %s)", e.FBTraceID)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// TokenInvalid reports whether the access token is expired, revoked or otherwise
// unusable (code 190, any subcode): the user must authorise again.
func (e *APIError) TokenInvalid() bool { return e.Code == 190 }

// Throttled reports whether Instagram rate-limited the call: HTTP 429 or one of the
// throttling codes 4 (app), 17 (user), 32 (page), 613 (custom) and 80002 (Instagram BUC).
func (e *APIError) Throttled() bool {
	if e.HTTPStatus == http.StatusTooManyRequests {
		return true
	}
	switch e.Code {
	case 4, 17, 32, 613, 80002:
		return true
	}
	return false
}

// Temporary reports whether the same request may succeed later: throttling or HTTP 5xx.
func (e *APIError) Temporary() bool { return e.Throttled() || e.HTTPStatus >= 500 }

// NotAvailable reports an insights answer that holds no figures yet rather than
// a failure: code 10 saying "Not enough viewers for the media to show
// insights". Any other code 10 is a permission error (for example a token
// without instagram_business_manage_insights) and this is false.
func (e *APIError) NotAvailable() bool {
	return e.Code == 10 && strings.Contains(strings.ToLower(e.Message), "not enough viewers")
}

// MetricRefused reports that an insights call was refused for its metrics or
// parameters: code 100 on an insights call (unknown, deprecated or not offered
// for the media type; a missing metric_type; a window Instagram does not serve),
// except subcode 33, which means the object does not exist or cannot be seen.
// The whole call is lost, none of its metrics are returned.
func (e *APIError) MetricRefused() bool {
	return e.Code == 100 && e.Subcode != 33 && isInsightsEndpoint(e.Endpoint)
}

// Is makes errors.Is(err, ErrNotAvailable / ErrMetricRefused / ErrThrottled /
// ErrReauth) match an *APIError of that kind.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotAvailable:
		return e.NotAvailable()
	case ErrMetricRefused:
		return e.MetricRefused()
	case ErrThrottled:
		return e.Throttled()
	case ErrReauth:
		return e.TokenInvalid()
	}
	return false
}

// Kinds of error, matched with errors.Is. An *APIError matches the kind it is;
// ErrNotAvailable is also returned (wrapped) for an insights answer with no data.
var (
	// ErrNotAvailable: Instagram has no figure yet (code 10 "Not enough viewers", or an empty
	// data set). Not a failure: store nothing (null) and read again later.
	ErrNotAvailable = errors.New("instagram: insights not available yet")
	// ErrMetricRefused: code 100 on an insights call; only the metrics of that
	// call are lost. Do not re-send them on every sync.
	ErrMetricRefused = errors.New("instagram: insights metric refused")
	// ErrThrottled: a throttling code (4, 17, 32, 613, 80002) or HTTP 429. Wait
	// ThrottleWait before calling for the account again.
	ErrThrottled = errors.New("instagram: throttled")
	// ErrReauth: code 190; the user must authorise again.
	ErrReauth = errors.New("instagram: token invalid, authorise again")
)

// Insights endpoint names, as in APIError.Endpoint and Config.OnCall.
const (
	EndpointMediaInsights   = "media_insights"
	EndpointAccountInsights = "account_insights"
)

func isInsightsEndpoint(e string) bool {
	return e == EndpointMediaInsights || e == EndpointAccountInsights
}

// MinThrottleBackoff is the first wait after a throttling answer that named no
// time to regain access; each further consecutive throttle doubles it, up to
// MaxThrottleBackoff.
const (
	MinThrottleBackoff = time.Minute
	MaxThrottleBackoff = 24 * time.Hour
)

// ThrottleWait returns how long to leave an account alone after err, the
// consecutive-th throttling answer in a row (counting from 1): the answer's
// estimated_time_to_regain_access when above 0, otherwise 1 minute doubling with
// each consecutive throttle (1, 2, 4 ... minutes, at most a day). It returns 0
// when err is not a throttling answer.
func ThrottleWait(err error, consecutive int) time.Duration {
	var e *APIError
	if !errors.As(err, &e) || !e.Throttled() {
		return 0
	}
	if e.RegainAccess > 0 {
		return e.RegainAccess
	}
	return BackoffAfter(consecutive)
}

// BackoffAfter is the wait after the consecutive-th throttle without a regain
// time (counting from 1): MinThrottleBackoff doubled each time, at most
// MaxThrottleBackoff.
func BackoffAfter(consecutive int) time.Duration {
	d := MinThrottleBackoff
	for i := 1; i < consecutive && d < MaxThrottleBackoff; i++ {
		d *= 2
	}
	return min(d, MaxThrottleBackoff)
}

// errorBody covers both error shapes Instagram uses.
type errorBody struct {
	Error json.RawMessage `json:"error"`
	// Flat OAuth shape of api.instagram.com.
	ErrorType    string  `json:"error_type"`
	Code         flexInt `json:"code"`
	ErrorMessage string  `json:"error_message"`
	// RFC 6749 shape, seen on some OAuth errors.
	ErrorDescription string `json:"error_description"`
}

type graphError struct {
	Message   string  `json:"message"`
	Type      string  `json:"type"`
	Code      flexInt `json:"code"`
	Subcode   flexInt `json:"error_subcode"`
	UserMsg   string  `json:"error_user_msg"`
	FBTraceID string  `json:"fbtrace_id"`
}

// parseAPIError builds an *APIError from an error response. ok is false when the
// body holds no recognisable error (the caller then decides what that means).
func parseAPIError(status int, body []byte) (e *APIError, ok bool) {
	e = &APIError{HTTPStatus: status}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		return e, false
	}
	if len(eb.Error) > 0 && eb.Error[0] == '{' {
		var g graphError
		if err := json.Unmarshal(eb.Error, &g); err == nil {
			e.Code, e.Subcode = int(g.Code), int(g.Subcode)
			e.Type, e.Message, e.FBTraceID = g.Type, g.Message, g.FBTraceID
			if e.Message == "" {
				e.Message = g.UserMsg
			}
			return e, true
		}
	}
	if eb.ErrorType != "" || eb.ErrorMessage != "" {
		e.Type, e.Code, e.Message = eb.ErrorType, int(eb.Code), eb.ErrorMessage
		return e, true
	}
	if len(eb.Error) > 0 && eb.Error[0] == '"' {
		var s string
		_ = json.Unmarshal(eb.Error, &s)
		e.Type, e.Message = s, eb.ErrorDescription
		return e, true
	}
	return e, false
}

// secretParam matches query parameters that carry credentials.
var secretParam = regexp.MustCompile(`(?i)\b(access_token|client_secret|code)=[^&\s"'#<>]*`)

// Redact replaces the values of access_token, client_secret and code query
// parameters in s (a URL or any text holding URLs) with "REDACTED". Use it before
// logging a URL: Instagram's paging.next links embed the access token.
func Redact(s string) string {
	return secretParam.ReplaceAllString(s, "${1}=REDACTED")
}

// scrub redacts credential parameters in s and removes every literal secret.
func scrub(s string, secrets []string) string {
	s = Redact(s)
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "REDACTED")
		}
	}
	return s
}

// scrubbedError wraps an error whose text has been scrubbed of credentials while
// keeping the original chain for errors.Is and errors.As.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// Package instagram is a client for the Instagram API with Instagram Login:
// the OAuth code exchange on api.instagram.com, and token exchange, refresh,
// profile and media on graph.instagram.com. It never talks to graph.facebook.com.
//
// Responses are parsed tolerantly (flat or data-wrapped, ids as strings or large
// numbers), failures come back as *APIError, and no error or log line ever holds
// an access token, client secret or authorization code.
package instagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Default values applied by NewClient.
const (
	DefaultAuthURL        = "https://www.instagram.com/oauth/authorize"
	DefaultAPIURL         = "https://api.instagram.com"
	DefaultGraphURL       = "https://graph.instagram.com"
	DefaultVersion        = "v25.0"
	DefaultMaxRetries     = 3
	DefaultBaseBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff     = 8 * time.Second
	DefaultRequestTimeout = 10 * time.Second
)

// defaultScopes are the scopes AuthorizeURL asks for unless Config.Scopes is set.
var defaultScopes = []string{"instagram_business_basic", "instagram_business_manage_insights"}

// maxBodySize bounds how much of a response is read.
const maxBodySize = 16 << 20

// Config configures a Client. Zero fields take the documented defaults.
type Config struct {
	// ClientID and ClientSecret are the Instagram App ID and secret (not the Facebook ones).
	ClientID, ClientSecret string
	// RedirectURI must match the authorize request and the app's dashboard exactly.
	RedirectURI string
	// AuthURL is the browser authorize page; default DefaultAuthURL.
	AuthURL string
	// APIURL is the code-exchange host (POST {APIURL}/oauth/access_token); default DefaultAPIURL.
	APIURL string
	// GraphURL is the Graph host; default DefaultGraphURL.
	GraphURL string
	// Version is the Graph version in paths; default DefaultVersion.
	Version string
	// Scopes are requested by AuthorizeURL; default instagram_business_basic and
	// instagram_business_manage_insights. Never add Facebook Login scopes.
	Scopes []string
	// HTTPClient sends the requests; default a client with a 10 s timeout.
	HTTPClient *http.Client
	// RequestTimeout is the deadline of each attempt; default the HTTPClient's
	// Timeout, or 10 s.
	RequestTimeout time.Duration
	// MaxRetries is how many times a failed request is retried; default 3. A
	// negative value disables retries.
	MaxRetries int
	// BaseBackoff and MaxBackoff bound the full-jitter backoff; default 500 ms and 8 s.
	// A server-requested wait longer than MaxBackoff ends the retries.
	BaseBackoff, MaxBackoff time.Duration
	// Logger receives retry warnings and debug traces; default discards.
	Logger *slog.Logger
	// OnCall, when set, is told of every request sent, retries included:
	// its endpoint and Outcome, for metrics.
	OnCall func(endpoint, outcome string)
	// OnUsage, when set, is told of the usage headers of every answer that has
	// them (profile, media, insights, tokens; errors included), once per business
	// object id in X-Business-Use-Case-Usage (for Instagram, the account id the
	// budget belongs to) with that id's figures merged with X-App-Usage, or once
	// with igUserID "" when only X-App-Usage came. It runs on the caller's
	// goroutine and must be quick.
	OnUsage func(igUserID string, u Usage)
}

// Client calls Instagram. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	log  *slog.Logger

	mu    sync.Mutex
	usage Usage
}

// NewClient returns a Client with cfg's zero fields set to their defaults.
func NewClient(cfg Config) *Client {
	if cfg.AuthURL == "" {
		cfg.AuthURL = DefaultAuthURL
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.GraphURL == "" {
		cfg.GraphURL = DefaultGraphURL
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	cfg.GraphURL = strings.TrimRight(cfg.GraphURL, "/")
	if cfg.Version == "" {
		cfg.Version = DefaultVersion
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = slices.Clone(defaultScopes)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultRequestTimeout}
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = cfg.HTTPClient.Timeout
		if cfg.RequestTimeout <= 0 {
			cfg.RequestTimeout = DefaultRequestTimeout
		}
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = DefaultBaseBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Client{cfg: cfg, http: cfg.HTTPClient, log: cfg.Logger}
}

// AuthorizeURL returns the URL of Instagram's consent page for state.
func (c *Client) AuthorizeURL(state string) string {
	q := url.Values{}
	q.Set("client_id", c.cfg.ClientID)
	q.Set("redirect_uri", c.cfg.RedirectURI)
	q.Set("response_type", "code")
	q.Set("scope", strings.Join(c.cfg.Scopes, ","))
	if state != "" {
		q.Set("state", state)
	}
	sep := "?"
	if strings.Contains(c.cfg.AuthURL, "?") {
		sep = "&"
	}
	return c.cfg.AuthURL + sep + q.Encode()
}

// ExchangeCode trades an authorization code (a trailing "#_" is stripped) for a
// short-lived token. It accepts the flat and the data-wrapped answer, a user_id
// as string or large number, and permissions as CSV or array. It is retried only
// when Instagram certainly did not consume the code (see retryUnsent).
func (c *Client) ExchangeCode(ctx context.Context, code string) (ShortLivedToken, error) {
	code = strings.TrimSuffix(strings.TrimSpace(code), "#_")
	if code == "" {
		return ShortLivedToken{}, errors.New("instagram: exchange: empty code")
	}
	form := url.Values{}
	form.Set("client_id", c.cfg.ClientID)
	form.Set("client_secret", c.cfg.ClientSecret)
	form.Set("grant_type", "authorization_code")
	form.Set("redirect_uri", c.cfg.RedirectURI)
	form.Set("code", code)
	body, err := c.send(ctx, request{
		endpoint: "exchange", method: http.MethodPost, url: c.cfg.APIURL + "/oauth/access_token",
		form: form, policy: retryUnsent, secrets: []string{code, c.cfg.ClientSecret},
	})
	if err != nil {
		return ShortLivedToken{}, err
	}
	tok, err := decodeShortToken(body)
	if err != nil {
		return ShortLivedToken{}, fmt.Errorf("instagram: exchange: %w", err)
	}
	return tok, nil
}

// ExchangeLongLived trades a valid short-lived token for a 60-day token.
func (c *Client) ExchangeLongLived(ctx context.Context, shortToken string) (Token, error) {
	q := url.Values{}
	q.Set("grant_type", "ig_exchange_token")
	q.Set("client_secret", c.cfg.ClientSecret)
	q.Set("access_token", shortToken)
	return c.getToken(ctx, "long_lived", c.cfg.GraphURL+"/access_token?"+q.Encode(), shortToken)
}

// RefreshToken extends a long-lived token that is at least 24 hours old and not
// expired; the answer is valid 60 days from now.
func (c *Client) RefreshToken(ctx context.Context, longToken string) (Token, error) {
	q := url.Values{}
	q.Set("grant_type", "ig_refresh_token")
	q.Set("access_token", longToken)
	return c.getToken(ctx, "refresh", c.cfg.GraphURL+"/refresh_access_token?"+q.Encode(), longToken)
}

func (c *Client) getToken(ctx context.Context, endpoint, u, token string) (Token, error) {
	body, err := c.send(ctx, request{
		endpoint: endpoint, method: http.MethodGet, url: u,
		policy: retryIdempotent, secrets: []string{token, c.cfg.ClientSecret},
	})
	if err != nil {
		return Token{}, err
	}
	tok, err := decodeToken(body)
	if err != nil {
		return Token{}, fmt.Errorf("instagram: %s: %w", endpoint, err)
	}
	return tok, nil
}

// profileFields are requested by Me.
const profileFields = "user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,media_count"

// Me returns the professional account behind token. Store Profile.UserID.
func (c *Client) Me(ctx context.Context, token string) (Profile, error) {
	q := url.Values{}
	q.Set("fields", profileFields)
	q.Set("access_token", token)
	body, err := c.send(ctx, request{
		endpoint: "me", method: http.MethodGet, url: c.graphPath("/me") + "?" + q.Encode(),
		policy: retryIdempotent, secrets: []string{token},
	})
	if err != nil {
		return Profile{}, err
	}
	p, err := decodeProfile(body)
	if err != nil {
		return Profile{}, fmt.Errorf("instagram: me: %w", err)
	}
	return p, nil
}

// LastUsage returns the usage headers of the most recent response that had them,
// and false when none has been seen.
func (c *Client) LastUsage() (Usage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.usage, !c.usage.ObservedAt.IsZero()
}

func (c *Client) graphPath(p string) string {
	return c.cfg.GraphURL + "/" + c.cfg.Version + p
}

// request describes one logical call, possibly sent several times.
type request struct {
	endpoint string
	method   string
	url      string
	form     url.Values
	policy   retryPolicy
	secrets  []string
}

// send performs r with retries and returns the body of a 2xx answer.
func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		body, err := c.attempt(ctx, r)
		if c.cfg.OnCall != nil {
			c.cfg.OnCall(r.endpoint, Outcome(err))
		}
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("instagram: %s: %w", r.endpoint, ctx.Err())
		}
		retry, wait := c.retryDecision(ctx, r.policy, err, attempt)
		if !retry {
			return nil, err
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "instagram request failed, retrying",
			slog.String("endpoint", r.endpoint), slog.String("url", Redact(r.url)),
			slog.Int("attempt", attempt+1), slog.Duration("wait", wait), slog.String("error", err.Error()))
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("instagram: %s: %w", r.endpoint, err)
		}
	}
}

// attempt sends r once under its own deadline.
func (c *Client) attempt(ctx context.Context, r request) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var reqBody io.Reader
	if r.form != nil {
		reqBody = strings.NewReader(r.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, reqBody)
	if err != nil {
		return nil, c.transportError(r, err, false)
	}
	req.Header.Set("Accept", "application/json")
	if r.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(r, err, ctx.Err() == context.DeadlineExceeded)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodySize))
	if err != nil {
		return nil, c.transportError(r, err, ctx.Err() == context.DeadlineExceeded)
	}
	now := time.Now()
	reading := readUsage(resp.Header, now)
	usage, haveUsage := reading.merged, reading.ok
	if haveUsage {
		c.mu.Lock()
		c.usage = usage
		c.mu.Unlock()
		c.reportUsage(reading)
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "instagram request",
		slog.String("endpoint", r.endpoint), slog.String("url", Redact(r.url)),
		slog.Int("status", resp.StatusCode), slog.Duration("duration", now.Sub(start)))

	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && !bytes.Contains(body, []byte(`"error`)) {
		return body, nil // fast path: a success cannot hold an error envelope
	}
	apiErr, isErr := parseAPIError(resp.StatusCode, body)
	if ok && !isErr {
		return body, nil
	}
	if !isErr {
		apiErr.Message = http.StatusText(resp.StatusCode) // e.g. an HTML 502 page
	}
	apiErr.Endpoint = r.endpoint
	apiErr.Message = scrub(apiErr.Message, r.secrets)
	apiErr.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	if haveUsage {
		apiErr.RegainAccess = usage.RegainAccess
		apiErr.RetryAfter = max(apiErr.RetryAfter, usage.RegainAccess)
	}
	return nil, apiErr
}

// reportUsage hands a usage reading to Config.OnUsage.
func (c *Client) reportUsage(r usageReading) {
	if c.cfg.OnUsage == nil {
		return
	}
	if len(r.byBusiness) == 0 {
		c.cfg.OnUsage("", r.merged)
		return
	}
	for id, u := range r.byBusiness {
		c.cfg.OnUsage(id, u)
	}
}

// transportError turns a network failure into an error whose text holds no secret.
func (c *Client) transportError(r request, err error, timedOut bool) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = Redact(ue.URL)
	}
	msg := scrub(fmt.Sprintf("instagram: %s: %v", r.endpoint, err), r.secrets)
	if timedOut || isTimeout(err) {
		return &scrubbedError{msg: msg, err: errors.Join(ErrTimeout, err)}
	}
	return &scrubbedError{msg: msg, err: err}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

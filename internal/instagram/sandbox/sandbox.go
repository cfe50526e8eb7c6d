// Package sandbox is a fake Instagram (API with Instagram Login) for development
// and tests: the consent page, the code and token exchanges, /me, /me/media and
// the media and account insights, with deterministic data, an optional
// per-account rate limit and fault injection. It is an http.Handler meant to be
// mounted under a prefix with http.StripPrefix; every URL it generates starts
// with Options.BaseURL, the public URL of that mount point.
package sandbox

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Endpoint names used by Calls and Fault.Endpoint.
const (
	EndpointAuthorize = "authorize"  // GET and POST /oauth/authorize
	EndpointExchange  = "exchange"   // POST /oauth/access_token
	EndpointLongLived = "long_lived" // GET /access_token (alias "access_token")
	EndpointRefresh   = "refresh"    // GET /refresh_access_token
	EndpointMe        = "me"         // GET /{version}/me
	EndpointMedia     = "media"      // GET /{version}/me/media
	EndpointImage     = "image"      // GET /media/{id}.svg
	EndpointPermalink = "permalink"  // GET /p/{shortcode}/
	// EndpointMediaInsights is GET /{version}/{media-id}/insights.
	EndpointMediaInsights = "media_insights"
	// EndpointAccountInsights is GET /{version}/me/insights or /{ig-user-id}/insights.
	EndpointAccountInsights = "account_insights"
	// EndpointInsights, as Fault.Endpoint, matches both insights endpoints.
	EndpointInsights = "insights"
)

// Token lifetimes, as Instagram documents them.
const (
	ShortLivedTTL   = time.Hour
	LongLivedTTL    = 5183944 * time.Second
	CodeTTL         = time.Hour
	MinRefreshAge   = 24 * time.Hour
	defaultPageSize = 25
	maxPageSize     = 100
)

// Options configures a Sandbox.
type Options struct {
	// BaseURL is the public URL of the mount point, e.g.
	// "http://localhost:8080/sandbox/instagram". Empty: derived from each request's Host.
	BaseURL string
	// ClientID is the app id the sandbox accepts (default "sandbox-client").
	ClientID string
	// ClientSecret is the app secret it accepts (default "sandbox-secret").
	ClientSecret string
	// RedirectURIs, when set, are the only redirect_uri values accepted (exact match).
	RedirectURIs []string
	// Seed makes generated data deterministic.
	Seed int64
	// Now is the clock (default time.Now); tests advance it to age tokens.
	Now func() time.Time
	// Accounts are created at start; empty: sandbox.creator (1,240 followers,
	// 300 posts), sandbox.studio (5,830 followers, 40 posts) and sandbox.newbie
	// (64 followers, 12 posts).
	Accounts []AccountSpec
	// EmptyPageEvery makes every Nth media page empty but with paging.next
	// (0: 4; negative: never).
	EmptyPageEvery int
	// InsightsDelay is how old a post must be before it has insights; younger
	// posts answer {"data":[]} (0: one hour; negative: no delay).
	InsightsDelay time.Duration
	// YoungMediaCode10 makes posts younger than InsightsDelay answer error #10
	// instead of an empty data set.
	YoungMediaCode10 bool
	// Latency holds every Graph request (me, media, insights) this long.
	Latency time.Duration
	// RateLimit is each account's call budget per RateWindow (0: unlimited).
	// Usage headers report the share used; a call over the budget answers code
	// 80002 with estimated_time_to_regain_access until the oldest call leaves the
	// window.
	RateLimit int
	// RateWindow is the rolling window of RateLimit (0: one hour).
	RateWindow time.Duration
	// LiveFollowers makes followers_count follow the follower ledger as the
	// clock (Now) moves past the day the account was created; otherwise it stays
	// at the created (or set) count and the ledger only describes the past.
	LiveFollowers bool
	// IsLinked, when set, tells the consent page which accounts are already
	// linked in the app: it preselects the first account nobody linked, and
	// creates a fresh creator (with posts and insights) when all are. Nil keeps
	// the first account preselected.
	IsLinked func(ctx context.Context, igUserID string) bool
}

// Sandbox is the fake Instagram. It is safe for concurrent use.
type Sandbox struct {
	opts Options

	mu       sync.Mutex
	baseURL  string
	accounts []*Account
	byID     map[string]*Account
	codes    map[string]*authCode
	tokens   map[string]*tokenInfo
	faults   []*faultState
	calls    map[string]int
	metricN  map[string]int         // endpoint + "/" + metric
	acctN    map[string]int         // user id + "/" + endpoint
	budget   map[string][]time.Time // user id → recent Graph calls, oldest first
	wrapped  bool
	traceSeq int
	acctSeq  int
}

type authCode struct {
	clientID, redirectURI, userID string
	scopes                        []string
	issued                        time.Time
	used                          bool
}

type tokenInfo struct {
	userID  string
	long    bool
	scopes  []string
	issued  time.Time
	expires time.Time
	revoked bool
}

// New returns a Sandbox with its accounts generated.
func New(opts Options) *Sandbox {
	opts.ClientID = cmp.Or(opts.ClientID, "sandbox-client")
	opts.ClientSecret = cmp.Or(opts.ClientSecret, "sandbox-secret")
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.EmptyPageEvery == 0 {
		opts.EmptyPageEvery = 4
	}
	s := &Sandbox{
		opts:    opts,
		baseURL: strings.TrimRight(opts.BaseURL, "/"),
		byID:    make(map[string]*Account),
		codes:   make(map[string]*authCode),
		tokens:  make(map[string]*tokenInfo),
		calls:   make(map[string]int),
		metricN: make(map[string]int),
		acctN:   make(map[string]int),
		budget:  make(map[string][]time.Time),
	}
	switch {
	case opts.InsightsDelay == 0:
		s.opts.InsightsDelay = time.Hour
	case opts.InsightsDelay < 0:
		s.opts.InsightsDelay = 0
	}
	if opts.RateWindow <= 0 {
		s.opts.RateWindow = time.Hour
	}
	specs := opts.Accounts
	if len(specs) == 0 {
		specs = []AccountSpec{
			{UserID: "17841400000000001", Username: "sandbox.creator", Name: "Sandbox Creator", Followers: 1240, Follows: 312, Posts: 300},
			{UserID: "17841400000000002", Username: "sandbox.studio", Name: "Sandbox Studio", AccountType: "BUSINESS", Followers: 5830, Follows: 95, Posts: 40},
			// Under 100 followers: Instagram gives it no follower_count,
			// online_followers or demographics.
			{UserID: "17841400000000003", Username: "sandbox.newbie", Name: "Sandbox Newbie", Followers: 64, Follows: 140, Posts: 12},
		}
	}
	for _, spec := range specs {
		s.AddAccount(spec)
	}
	return s
}

// SetBaseURL changes the public URL of the mount point, e.g. after
// httptest.NewServer(sb) has chosen a port.
func (s *Sandbox) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimRight(u, "/")
}

// AddAccount creates an account from spec (generating its posts) and returns it.
func (s *Sandbox) AddAccount(spec AccountSpec) *Account {
	s.mu.Lock()
	s.acctSeq++
	n := s.acctSeq
	s.mu.Unlock()
	if spec.UserID == "" {
		spec.UserID = fmt.Sprintf("17841400%09d", n)
	}
	spec.Username = cmp.Or(spec.Username, fmt.Sprintf("sandbox.user%d", n))
	a := &Account{
		UserID: spec.UserID,
		// 2701… exceeds 2^53 and ends in …013, so a float64 round trip changes it.
		AppScopedID: fmt.Sprintf("2701%013d", n*1000+13),
		Username:    spec.Username,
		Name:        cmp.Or(spec.Name, spec.Username),
		AccountType: cmp.Or(strings.ToUpper(spec.AccountType), "MEDIA_CREATOR"),
		base:        s.base,
		followers:   cmp.Or(spec.Followers, 1000),
		follows:     cmp.Or(spec.Follows, 180),
		created:     s.opts.Now(),
		live:        s.opts.LiveFollowers,
		now:         s.opts.Now,
		seed:        seedValue(s.opts.Seed, spec.UserID),
	}
	if spec.Followers < 0 {
		a.followers = 0
	}
	a.ledgerLocked()
	if len(spec.PostsList) > 0 {
		a.posts = make([]Post, len(spec.PostsList))
		for i, p := range spec.PostsList {
			fillPost(&p, a.UserID, len(spec.PostsList)-i)
			a.posts[i] = p
		}
	} else {
		span := cmp.Or(spec.Span, 365*24*time.Hour)
		a.posts = generatePosts(seedFor(s.opts.Seed, a.UserID), spec.Posts, span, s.opts.Now().UTC(), a.UserID, a.followers)
	}
	a.sortAndIndex()

	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.byID[a.UserID]; ok {
		for i := range s.accounts {
			if s.accounts[i] == old {
				s.accounts[i] = a
			}
		}
	} else {
		s.accounts = append(s.accounts, a)
	}
	s.byID[a.UserID] = a
	return a
}

// Account returns the account with the professional id userID, or nil.
func (s *Sandbox) Account(userID string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byID[userID]
}

// Accounts returns all accounts in creation order.
func (s *Sandbox) Accounts() []*Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Account(nil), s.accounts...)
}

// Calls returns how many requests reached endpoint (see the Endpoint constants;
// "access_token" is an alias of "long_lived"), faulted ones included.
func (s *Sandbox) Calls(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[canonical(endpoint)]
}

// SetWrappedTokenResponse selects the code-exchange answer: flat with a numeric
// user_id (false, the default) or wrapped in {"data":[...]} with a string user_id.
func (s *Sandbox) SetWrappedTokenResponse(wrapped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wrapped = wrapped
}

// ExpireToken makes token expired: its next use gets error 190/463.
func (s *Sandbox) ExpireToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[token]; ok {
		t.expires = s.opts.Now().Add(-time.Second)
	}
}

// RevokeAll invalidates every token of userID: their next use gets error 190/467.
func (s *Sandbox) RevokeAll(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		if t.userID == userID {
			t.revoked = true
		}
	}
}

// IssueToken creates a valid long-lived token for userID issued at Now, for
// tests that skip the OAuth flow. It returns "" for an unknown account.
func (s *Sandbox) IssueToken(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID[userID] == nil {
		return ""
	}
	return s.issueLocked(userID, true, []string{"instagram_business_basic", "instagram_business_manage_insights"})
}

func (s *Sandbox) issueLocked(userID string, long bool, scopes []string) string {
	now := s.opts.Now()
	ttl := ShortLivedTTL
	if long {
		ttl = LongLivedTTL
	}
	tok := "IGAAsbx" + randomString(36)
	s.tokens[tok] = &tokenInfo{userID: userID, long: long, scopes: scopes, issued: now, expires: now.Add(ttl)}
	return tok
}

func (s *Sandbox) base() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// requestBase is the base URL for links in a response to r.
func (s *Sandbox) requestBase(r *http.Request) string {
	if b := s.base(); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

var versionPrefix = regexp.MustCompile(`^/v\d+(\.\d+)?/`)

// ServeHTTP routes a request; paths are relative to the mount point.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if loc := versionPrefix.FindStringIndex(path); loc != nil {
		path = path[loc[1]-1:]
	}
	var endpoint string
	var handler func(http.ResponseWriter, *http.Request)
	switch {
	case path == "/oauth/authorize" && r.Method == http.MethodGet:
		endpoint, handler = EndpointAuthorize, s.authorizePage
	case path == "/oauth/authorize" && r.Method == http.MethodPost:
		endpoint, handler = EndpointAuthorize, s.authorizeDecision
	case path == "/oauth/access_token" && r.Method == http.MethodPost:
		endpoint, handler = EndpointExchange, s.exchangeCode
	case path == "/access_token" && r.Method == http.MethodGet:
		endpoint, handler = EndpointLongLived, s.exchangeLongLived
	case path == "/refresh_access_token" && r.Method == http.MethodGet:
		endpoint, handler = EndpointRefresh, s.refreshToken
	case path == "/me" && r.Method == http.MethodGet:
		endpoint, handler = EndpointMe, s.me
	case path == "/me/media" && r.Method == http.MethodGet:
		endpoint, handler = EndpointMedia, s.media
	case strings.HasPrefix(path, "/media/") && strings.HasSuffix(path, ".svg") && r.Method == http.MethodGet:
		endpoint, handler = EndpointImage, s.image
	case strings.HasPrefix(path, "/p/") && r.Method == http.MethodGet:
		endpoint, handler = EndpointPermalink, s.permalink
	case insightsPath.MatchString(path) && r.Method == http.MethodGet:
		endpoint, handler = s.insightsEndpoint(path), s.insights
	default:
		s.graphError(w, http.StatusBadRequest, 100, 0, "IGApiException", "Unsupported "+strings.ToLower(r.Method)+" request.")
		return
	}
	user := s.tokenUser(r)
	metrics := metricList(r)
	s.mu.Lock()
	s.calls[endpoint]++
	for _, m := range metrics {
		s.metricN[endpoint+"/"+m]++
	}
	if user != "" {
		s.acctN[user+"/"+endpoint]++
	}
	s.mu.Unlock()
	if graphEndpoint(endpoint) && !s.hold(w, r, s.opts.Latency) {
		return
	}
	if faultable(endpoint) {
		if graphEndpoint(endpoint) && user != "" && !s.spend(w, user) {
			return
		}
		s.setUsageHeaders(w, user)
		if s.applyFault(w, r, faultRequest{endpoint: endpoint, user: user, metrics: metrics}) {
			return
		}
	}
	handler(w, r)
}

func canonical(endpoint string) string {
	if endpoint == "access_token" {
		return EndpointLongLived
	}
	return endpoint
}

func faultable(endpoint string) bool {
	switch endpoint {
	case EndpointExchange, EndpointLongLived, EndpointRefresh, EndpointMe, EndpointMedia,
		EndpointMediaInsights, EndpointAccountInsights:
		return true
	}
	return false
}

// graphEndpoint reports the endpoints that spend an account's call budget.
func graphEndpoint(endpoint string) bool {
	switch endpoint {
	case EndpointMe, EndpointMedia, EndpointMediaInsights, EndpointAccountInsights:
		return true
	}
	return false
}

// lookupToken resolves an access token from the query or an Authorization header.
// On failure it writes the Graph error and returns nil.
func (s *Sandbox) lookupToken(w http.ResponseWriter, r *http.Request) (*tokenInfo, *Account) {
	tok := r.URL.Query().Get("access_token")
	if tok == "" {
		tok = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	s.mu.Lock()
	info, ok := s.tokens[tok]
	var infoCopy tokenInfo
	if ok {
		infoCopy = *info
	}
	now := s.opts.Now()
	acct := s.byID[infoCopy.userID]
	s.mu.Unlock()
	switch {
	case tok == "":
		s.graphError(w, http.StatusBadRequest, 190, 0, "IGApiException", "An active access token must be used to query information about the current user.")
	case !ok || infoCopy.revoked || acct == nil:
		s.graphError(w, http.StatusBadRequest, 190, 467, "IGApiException", "Invalid OAuth access token - Cannot parse access token")
	case !now.Before(infoCopy.expires):
		s.graphError(w, http.StatusBadRequest, 190, 463, "IGApiException",
			"Error validating access token: Session has expired on "+infoCopy.expires.UTC().Format(time.RFC1123)+".")
	default:
		return &infoCopy, acct
	}
	return nil, nil
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sandbox: marshal: %v", err)) // only fixed shapes are marshalled
	}
	return b
}

// graphError writes the Graph error envelope.
func (s *Sandbox) graphError(w http.ResponseWriter, status, code, subcode int, typ, msg string) {
	s.mu.Lock()
	s.traceSeq++
	trace := fmt.Sprintf("Asbx%07d", s.traceSeq)
	s.mu.Unlock()
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": trace}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	if code == 2 {
		e["is_transient"] = true
	}
	writeJSON(w, status, marshal(map[string]any{"error": e}))
}

// oauthError writes the flat error shape of api.instagram.com.
func oauthError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, marshal(map[string]any{"error_type": "OAuthException", "code": code, "error_message": msg}))
}

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("sandbox: random: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

package igsynctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// Response is an answer of the API; Body is the decoded JSON object, when
// the answer is one.
type Response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// Do sends a request to the API server with the bearer token (none when
// empty) and a JSON body (none when nil). Redirects are not followed.
func (h *Harness) Do(method, path, token string, body any) Response {
	h.T.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.T.Fatalf("marshal: %v", err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, h.URL+path, r)
	if err != nil {
		h.T.Fatalf("request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return h.send(req)
}

func (h *Harness) send(req *http.Request) Response {
	h.T.Helper()
	resp, err := h.http.Do(req)
	if err != nil {
		h.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.T.Fatalf("%s %s: read: %v", req.Method, req.URL.Path, err)
	}
	res := Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &res.Body); err != nil {
			h.T.Fatalf("%s %s: decode %q: %v", req.Method, req.URL.Path, raw, err)
		}
	}
	h.bodies.Write(raw)
	h.bodies.Write([]byte("\n"))
	return res
}

// Bodies returns every API response body received so far.
func (h *Harness) Bodies() string { return h.bodies.String() }

var userSeq atomic.Int64

// Register creates a user and returns its JWT.
func (h *Harness) Register() string {
	h.T.Helper()
	email := fmt.Sprintf("creator%d-%d@example.com", time.Now().UnixNano()%1e9, userSeq.Add(1))
	res := h.Do(http.MethodPost, "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"})
	if res.Status != http.StatusCreated {
		h.T.Fatalf("register: %d %s", res.Status, res.Raw)
	}
	tok, _ := res.Body["token"].(string)
	return tok
}

// Grant is the outcome of the consent page: the URL the sandbox redirects
// the browser to, and the binding cookie set by GET /auth/instagram/start.
type Grant struct {
	CallbackURL string
	Cookie      *http.Cookie
	Code        string
	State       string
}

var (
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	optionRE = regexp.MustCompile(`<option value="([^"]+)"( selected)?>`)
)

// Start asks GET /api/instagram/connect for the start address and opens
// it as the browser would. It returns Instagram's authorize URL that the
// start page redirects to and the binding cookie it sets.
func (h *Harness) Start(token string) (string, *http.Cookie) {
	h.T.Helper()
	res := h.Do(http.MethodGet, "/api/instagram/connect", token, nil)
	if res.Status != http.StatusOK {
		h.T.Fatalf("connect: %d %s", res.Status, res.Raw)
	}
	startURL, _ := res.Body["url"].(string)
	if !strings.HasPrefix(startURL, h.URL+"/auth/instagram/start?ticket=") {
		h.T.Fatalf("connect url = %q, want this server's /auth/instagram/start", startURL)
	}
	resp, err := h.http.Get(startURL)
	if err != nil {
		h.T.Fatalf("start: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		h.T.Fatalf("start: status %d", resp.StatusCode)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "cgt_oauth_state" {
			cookie = c
		}
	}
	if cookie == nil {
		h.T.Fatalf("start set no cgt_oauth_state cookie: %v", resp.Header)
	}
	return resp.Header.Get("Location"), cookie
}

// Authorize starts a connection for the user and answers the sandbox's
// consent page: allow as the account igUserID, or cancel when igUserID is
// empty. It returns where the sandbox sends the browser back.
func (h *Harness) Authorize(token, igUserID string) Grant {
	h.T.Helper()
	authURL, cookie := h.Start(token)
	g := Grant{Cookie: cookie}
	page, err := h.http.Get(authURL)
	if err != nil {
		h.T.Fatalf("consent page: %v", err)
	}
	raw, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK {
		h.T.Fatalf("consent page: %d %s", page.StatusCode, raw)
	}
	form := url.Values{}
	for _, m := range hiddenRE.FindAllSubmatch(raw, -1) {
		form.Set(string(m[1]), html.UnescapeString(string(m[2])))
	}
	found := false
	for _, m := range optionRE.FindAllSubmatch(raw, -1) {
		found = found || string(m[1]) == igUserID
	}
	if igUserID != "" && !found {
		h.T.Fatalf("consent page offers no account %s", igUserID)
	}
	if igUserID == "" {
		form.Set("action", "cancel")
	} else {
		form.Set("action", "allow")
		form.Set("account", igUserID)
	}
	resp, err := h.http.PostForm(authURL, form)
	if err != nil {
		h.T.Fatalf("consent decision: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		h.T.Fatalf("consent decision: status %d", resp.StatusCode)
	}
	loc, _, _ := strings.Cut(resp.Header.Get("Location"), "#") // browsers keep the fragment
	g.CallbackURL = loc
	if u, err := url.Parse(loc); err == nil {
		g.Code, g.State = u.Query().Get("code"), u.Query().Get("state")
	}
	h.Remember(g.Code)
	return g
}

// ConsentAccount starts a connection for the user and returns the account the
// sandbox's consent page preselects.
func (h *Harness) ConsentAccount(token string) string {
	h.T.Helper()
	authURL, _ := h.Start(token)
	page, err := h.http.Get(authURL)
	if err != nil {
		h.T.Fatalf("consent page: %v", err)
	}
	raw, _ := io.ReadAll(page.Body)
	page.Body.Close()
	first := ""
	for _, m := range optionRE.FindAllSubmatch(raw, -1) {
		if len(m[2]) > 0 {
			return string(m[1])
		}
		if first == "" {
			first = string(m[1])
		}
	}
	if first == "" {
		h.T.Fatalf("consent page offers no account: %s", raw)
	}
	return first
}

// Callback follows the sandbox's redirect to the server's callback, with
// the cookie when not nil, and returns the Location it redirects to.
func (h *Harness) Callback(callbackURL string, cookie *http.Cookie) string {
	h.T.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, callbackURL, nil)
	if err != nil {
		h.T.Fatalf("callback request: %v", err)
	}
	if cookie != nil {
		req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	}
	res := h.send(req)
	if res.Status != http.StatusFound {
		h.T.Fatalf("callback: status %d, want 302 (%s)", res.Status, res.Raw)
	}
	return res.Header.Get("Location")
}

// Connect links the sandbox account igUserID to the user through the whole
// OAuth flow and returns the callback's Location.
func (h *Harness) Connect(token, igUserID string) string {
	h.T.Helper()
	g := h.Authorize(token, igUserID)
	return h.Callback(g.CallbackURL, g.Cookie)
}

// Connected is the Location of a successful callback.
const Connected = FrontendURL + "/dashboard?instagram=connected"

// Failed is the Location of a callback that failed for reason.
func Failed(reason string) string {
	return FrontendURL + "/dashboard?instagram=error&reason=" + reason
}

// MustConnect connects and fails the test unless the callback succeeded.
func (h *Harness) MustConnect(token, igUserID string) {
	h.T.Helper()
	if got := h.Connect(token, igUserID); got != Connected {
		h.T.Fatalf("connect %s: Location = %q, want %q", igUserID, got, Connected)
	}
}

// WaitSync polls GET /api/instagram/sync (for accountQuery, e.g.
// "?account_id=…", or "") until the state is idle or failed, and returns
// the last answer.
func (h *Harness) WaitSync(token, accountQuery string) map[string]any {
	h.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res := h.Do(http.MethodGet, "/api/instagram/sync"+accountQuery, token, nil)
		if res.Status != http.StatusOK {
			h.T.Fatalf("sync: %d %s", res.Status, res.Raw)
		}
		if st := res.Body["state"]; st == "idle" || st == "failed" {
			return res.Body
		}
		if time.Now().After(deadline) {
			h.T.Fatalf("sync did not end: %s", res.Raw)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// Eventually polls cond every 20 ms until it holds or 20 s pass.
func (h *Harness) Eventually(what string, cond func() bool) {
	h.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.T.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Int runs a query returning one integer.
func (h *Harness) Int(q string, args ...any) int {
	h.T.Helper()
	var n int
	if err := h.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		h.T.Fatalf("%s: %v", q, err)
	}
	return n
}

// Exec runs a statement.
func (h *Harness) Exec(q string, args ...any) {
	h.T.Helper()
	if _, err := h.DB.ExecContext(context.Background(), q, args...); err != nil {
		h.T.Fatalf("%s: %v", q, err)
	}
}

// AllText returns the text of every column of every row of every table of
// the public schema, cast to text, one line per value.
func (h *Harness) AllText() string {
	h.T.Helper()
	ctx := context.Background()
	rows, err := h.DB.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`)
	if err != nil {
		h.T.Fatalf("list columns: %v", err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			h.T.Fatalf("list columns: %v", err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	var b strings.Builder
	for _, c := range cols {
		q := fmt.Sprintf(`SELECT %q::text FROM %q WHERE %q IS NOT NULL`, c.column, c.table, c.column)
		vals, err := h.DB.QueryContext(ctx, q)
		if err != nil {
			h.T.Fatalf("%s: %v", q, err)
		}
		for vals.Next() {
			var v string
			if err := vals.Scan(&v); err != nil {
				h.T.Fatalf("%s: %v", q, err)
			}
			fmt.Fprintf(&b, "%s.%s=%s\n", c.table, c.column, v)
		}
		vals.Close()
	}
	if len(cols) == 0 {
		h.T.Fatal("no columns found")
	}
	return b.String()
}

package sandbox

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// knownScopes are the Instagram Login scopes; anything else is refused.
var knownScopes = []string{
	"instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_messages",
	"instagram_business_manage_comments", "instagram_business_manage_insights",
}

// authParams are the query parameters of the consent page.
type authParams struct {
	ClientID, RedirectURI, ResponseType, Scope, State string
	scopes                                            []string
}

func readAuthParams(v url.Values) authParams {
	return authParams{
		ClientID: v.Get("client_id"), RedirectURI: v.Get("redirect_uri"),
		ResponseType: v.Get("response_type"), Scope: v.Get("scope"), State: v.Get("state"),
	}
}

// validate checks the parameters as Instagram's consent page does and returns
// the problem for the error page, or "".
func (s *Sandbox) validate(p *authParams) string {
	if p.ClientID != s.opts.ClientID {
		return "Invalid app ID: the client_id is not a sandbox app."
	}
	u, err := url.Parse(p.RedirectURI)
	if p.RedirectURI == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "Invalid redirect_uri: it must be an absolute http or https URL."
	}
	if len(s.opts.RedirectURIs) > 0 && !slices.Contains(s.opts.RedirectURIs, p.RedirectURI) {
		return "Invalid redirect_uri: it does not match a redirect URI registered for the app."
	}
	if p.ResponseType != "code" {
		return "Invalid response_type: it must be \"code\"."
	}
	p.scopes = strings.FieldsFunc(p.Scope, func(r rune) bool { return r == ',' || r == ' ' })
	for _, sc := range p.scopes {
		if !slices.Contains(knownScopes, sc) {
			return "Invalid scope " + strconv.Quote(sc) + ": only instagram_business_* scopes belong to Instagram Login."
		}
	}
	if !slices.Contains(p.scopes, "instagram_business_basic") {
		return "Invalid scope: instagram_business_basic is required."
	}
	return ""
}

type accountOption struct {
	UserID, Label string
	Selected      bool
}

type pageData struct {
	Params   authParams
	Accounts []accountOption
	Scopes   []string
	Error    string
}

// authorizePage serves the consent page, or a 400 page for invalid parameters.
func (s *Sandbox) authorizePage(w http.ResponseWriter, r *http.Request) {
	p := readAuthParams(r.URL.Query())
	if msg := s.validate(&p); msg != "" {
		s.renderPage(w, http.StatusBadRequest, pageData{Error: msg})
		return
	}
	data := pageData{Params: p, Scopes: p.scopes}
	accounts := s.Accounts()
	selected := 0
	if s.opts.IsLinked != nil {
		selected = -1
		for i, a := range accounts {
			if !s.opts.IsLinked(r.Context(), a.UserID) {
				selected = i
				break
			}
		}
		if selected < 0 { // everyone is linked: a fresh creator for this person
			accounts = append(accounts, s.AddAccount(freshCreator(s.opts.Seed, len(accounts))))
			selected = len(accounts) - 1
		}
	}
	for i, a := range accounts {
		data.Accounts = append(data.Accounts, accountOption{
			UserID: a.UserID, Label: "@" + a.Username + " · " + groupDigits(a.Followers()) + " followers",
			Selected: i == selected,
		})
	}
	s.renderPage(w, http.StatusOK, data)
}

// freshCreator describes the account created for the n-th consent when every
// account is linked: believable figures, 60 posts over half a year.
func freshCreator(seed int64, n int) AccountSpec {
	followers := 400 + int(unit(uint64(seed), "fresh", n)*4600)
	return AccountSpec{Followers: followers, Follows: 150 + n%200, Posts: 60, Span: 180 * 24 * time.Hour}
}

// authorizeDecision handles the Allow and Cancel buttons.
func (s *Sandbox) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderPage(w, http.StatusBadRequest, pageData{Error: "Unreadable form."})
		return
	}
	p := readAuthParams(r.PostForm)
	if msg := s.validate(&p); msg != "" {
		s.renderPage(w, http.StatusBadRequest, pageData{Error: msg})
		return
	}
	target, _ := url.Parse(p.RedirectURI)
	q := target.Query()
	if r.PostForm.Get("action") != "allow" {
		q.Set("error", "access_denied")
		q.Set("error_reason", "user_denied")
		q.Set("error_description", "The user denied your request")
		if p.State != "" {
			q.Set("state", p.State)
		}
		target.RawQuery = q.Encode()
		http.Redirect(w, r, target.String(), http.StatusFound)
		return
	}
	userID := r.PostForm.Get("account")
	if s.Account(userID) == nil {
		s.renderPage(w, http.StatusBadRequest, pageData{Error: "Unknown account."})
		return
	}
	code := "AQ" + randomString(64)
	s.mu.Lock()
	s.codes[code] = &authCode{clientID: p.ClientID, redirectURI: p.RedirectURI, userID: userID, scopes: p.scopes, issued: s.opts.Now()}
	s.mu.Unlock()
	q.Set("code", code)
	if p.State != "" {
		q.Set("state", p.State)
	}
	target.RawQuery = q.Encode()
	target.Fragment = "_"
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// exchangeCode is POST /oauth/access_token (form or multipart).
func (s *Sandbox) exchangeCode(w http.ResponseWriter, r *http.Request) {
	form := func(k string) string { return r.PostFormValue(k) }
	const notFound = "Matching code was not found or was already used"
	switch {
	case form("client_id") != s.opts.ClientID:
		oauthError(w, http.StatusBadRequest, 400, "Invalid platform app")
		return
	case form("client_secret") != s.opts.ClientSecret:
		oauthError(w, http.StatusBadRequest, 400, "Error validating client secret.")
		return
	case form("grant_type") != "authorization_code":
		oauthError(w, http.StatusBadRequest, 400, "Invalid grant_type: expected authorization_code")
		return
	case form("redirect_uri") == "":
		oauthError(w, http.StatusBadRequest, 400, "Missing redirect_uri")
		return
	}
	s.mu.Lock()
	c, ok := s.codes[form("code")]
	switch {
	case !ok || c.used || s.opts.Now().Sub(c.issued) > CodeTTL || c.clientID != form("client_id"):
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, 400, notFound)
		return
	case c.redirectURI != form("redirect_uri"):
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, 400, "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request")
		return
	}
	c.used = true
	tok := s.issueLocked(c.userID, false, c.scopes)
	wrapped := s.wrapped
	acct := s.byID[c.userID]
	s.mu.Unlock()

	perms := strings.Join(c.scopes, ",")
	if wrapped {
		writeJSON(w, http.StatusOK, marshal(map[string]any{"data": []map[string]any{{
			"access_token": tok, "user_id": acct.AppScopedID, "permissions": perms,
		}}}))
		return
	}
	// A raw numeric literal larger than 2^53, as Instagram sends it.
	body := `{"access_token":` + strconv.Quote(tok) + `,"user_id":` + acct.AppScopedID +
		`,"permissions":` + strconv.Quote(perms) + `}`
	writeJSON(w, http.StatusOK, []byte(body))
}

func (s *Sandbox) renderPage(w http.ResponseWriter, status int, data pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_ = consentPage.Execute(w, data)
}

// groupDigits formats 12345 as "12,345".
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

var consentPage = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Error}}Error · {{end}}Sandbox Instagram</title>
<style>
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #fafafa; color: #1f1f1f; }
  main { width: min(420px, 92vw); background: #fff; border: 1px solid #dbdbdb; border-radius: 12px; padding: 32px 28px; box-sizing: border-box; }
  .logo { font-size: 1.6rem; font-weight: 700; background: linear-gradient(45deg, #f58529, #dd2a7b, #8134af, #515bd4);
          -webkit-background-clip: text; background-clip: text; color: transparent; margin: 0 0 4px; }
  .badge { display: inline-block; font-size: .75rem; background: #fff4d6; color: #6b4e00; border-radius: 999px; padding: 2px 10px; }
  h1 { font-size: 1.1rem; line-height: 1.4; margin: 20px 0 12px; }
  ul { padding-left: 1.2rem; color: #474747; font-size: .9rem; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  select { width: 100%; font: inherit; padding: 10px; border: 1px solid #b3b3b3; border-radius: 8px; background: #fff; }
  .actions { display: flex; flex-direction: row-reverse; gap: 12px; margin-top: 24px; }
  button { flex: 1; font: inherit; font-weight: 600; padding: 11px; border-radius: 8px; cursor: pointer; border: 1px solid transparent; }
  #allow { background: #0064e0; color: #fff; }
  #allow:hover { background: #0051b5; }
  #cancel { background: #fff; color: #1f1f1f; border-color: #b3b3b3; }
  button:focus-visible, select:focus-visible { outline: 3px solid #0064e0; outline-offset: 2px; }
  .error { color: #a4001d; }
  footer { margin-top: 20px; font-size: .75rem; color: #5e5e5e; }
</style>
</head>
<body>
<main>
  <p class="logo" aria-hidden="true">Instagram</p>
  <span class="badge">Sandbox · no real account is used</span>
{{if .Error}}
  <h1 class="error">Sorry, this page isn't available.</h1>
  <p role="alert">{{.Error}}</p>
{{else}}
  <h1>Sandbox Instagram — allow Creator Growth Tool to access your account?</h1>
  <p>Creator Growth Tool is asking for:</p>
  <ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
  <form method="post" action="">
    <input type="hidden" name="client_id" value="{{.Params.ClientID}}">
    <input type="hidden" name="redirect_uri" value="{{.Params.RedirectURI}}">
    <input type="hidden" name="response_type" value="{{.Params.ResponseType}}">
    <input type="hidden" name="scope" value="{{.Params.Scope}}">
    <input type="hidden" name="state" value="{{.Params.State}}">
    <label for="account">Continue as</label>
    <select id="account" name="account">{{range .Accounts}}
      <option value="{{.UserID}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}
    </select>
    <div class="actions">
      <button type="submit" id="allow" name="action" value="allow">Allow</button>
      <button type="submit" id="cancel" name="action" value="cancel">Cancel</button>
    </div>
  </form>
{{end}}
  <footer>This is a local imitation of Instagram's consent screen for development and tests.</footer>
</main>
</body>
</html>
`))

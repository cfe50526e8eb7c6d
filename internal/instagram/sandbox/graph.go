package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// exchangeLongLived is GET /access_token?grant_type=ig_exchange_token.
func (s *Sandbox) exchangeLongLived(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("grant_type") != "ig_exchange_token" {
		s.graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "Unsupported grant_type, expected ig_exchange_token")
		return
	}
	if q.Get("client_secret") != s.opts.ClientSecret {
		s.graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "Error validating client secret.")
		return
	}
	info, _ := s.lookupToken(w, r)
	if info == nil {
		return
	}
	s.writeToken(w, info)
}

// refreshToken is GET /refresh_access_token?grant_type=ig_refresh_token. A token
// younger than 24 hours gets code 100 (HTTP 400): Instagram documents the rule
// but no error body for it, and 100 is its "invalid parameter" code.
func (s *Sandbox) refreshToken(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("grant_type") != "ig_refresh_token" {
		s.graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "Unsupported grant_type, expected ig_refresh_token")
		return
	}
	info, _ := s.lookupToken(w, r)
	if info == nil {
		return
	}
	switch {
	case !info.long:
		s.graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "Only long-lived tokens can be refreshed.")
	case s.opts.Now().Sub(info.issued) < MinRefreshAge:
		s.graphError(w, http.StatusBadRequest, 100, 0, "OAuthException", "The access token must be at least 24 hours old to be refreshed.")
	case !slices.Contains(info.scopes, "instagram_business_basic"):
		s.graphError(w, http.StatusBadRequest, 10, 0, "OAuthException", "The token lacks the instagram_business_basic permission.")
	default:
		s.writeToken(w, info)
	}
}

// writeToken issues a new long-lived token for info's user. The old token stays
// valid until it expires.
func (s *Sandbox) writeToken(w http.ResponseWriter, info *tokenInfo) {
	s.mu.Lock()
	tok := s.issueLocked(info.userID, true, info.scopes)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, marshal(map[string]any{
		"access_token": tok, "token_type": "bearer", "expires_in": int(LongLivedTTL / time.Second),
	}))
}

var profileFields = []string{"id", "user_id", "username", "name", "account_type", "profile_picture_url", "followers_count", "follows_count", "media_count"}

var mediaFields = []string{"id", "caption", "media_type", "media_product_type", "media_url", "thumbnail_url", "permalink",
	"shortcode", "timestamp", "username", "like_count", "comments_count", "is_comment_enabled", "owner"}

// requestedFields parses ?fields=, always starting with id.
func (s *Sandbox) requestedFields(w http.ResponseWriter, r *http.Request, known []string) ([]string, bool) {
	fields := []string{"id"}
	for _, f := range strings.Split(r.URL.Query().Get("fields"), ",") {
		if f = strings.TrimSpace(f); f == "" || slices.Contains(fields, f) {
			continue
		}
		if !slices.Contains(known, f) {
			s.graphError(w, http.StatusBadRequest, 100, 0, "IGApiException", "Tried accessing nonexisting field ("+f+")")
			return nil, false
		}
		fields = append(fields, f)
	}
	return fields, true
}

// me is GET /{version}/me.
func (s *Sandbox) me(w http.ResponseWriter, r *http.Request) {
	info, acct := s.lookupToken(w, r)
	if info == nil {
		return
	}
	fields, ok := s.requestedFields(w, r, profileFields)
	if !ok {
		return
	}
	base := s.requestBase(r)
	values := map[string]any{
		"id": acct.AppScopedID, "user_id": acct.UserID, "username": acct.Username, "name": acct.Name,
		"account_type": acct.AccountType, "profile_picture_url": base + "/media/avatar-" + acct.UserID + ".svg",
		"followers_count": acct.Followers(), "follows_count": acct.Follows(), "media_count": acct.PostCount(),
	}
	var obj object
	for _, f := range fields {
		obj.set(f, values[f])
	}
	s.setUsageHeaders(w, acct.UserID)
	writeJSON(w, http.StatusOK, obj.bytes())
}

// media is GET /{version}/me/media with cursor paging.
func (s *Sandbox) media(w http.ResponseWriter, r *http.Request) {
	info, acct := s.lookupToken(w, r)
	if info == nil {
		return
	}
	fields, ok := s.requestedFields(w, r, mediaFields)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit := defaultPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.graphError(w, http.StatusBadRequest, 100, 0, "IGApiException", "Invalid limit "+strconv.Quote(v))
			return
		}
		limit = min(max(n, 1), maxPageSize)
	}
	offset, pageNo := 0, 1
	if v := q.Get("after"); v != "" {
		var okCursor bool
		if offset, pageNo, okCursor = decodeCursor(v); !okCursor {
			s.graphError(w, http.StatusBadRequest, 100, 0, "IGApiException", "Invalid cursor")
			return
		}
	}
	base := s.requestBase(r)
	var posts []Post
	total := acct.PostCount()
	empty := s.opts.EmptyPageEvery > 0 && pageNo%s.opts.EmptyPageEvery == 0 && offset < total
	if !empty {
		posts, total = acct.page(offset, limit, base)
	}

	var buf bytes.Buffer
	buf.WriteString(`{"data":[`)
	for i, p := range posts {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(renderPost(p, fields, acct).bytes())
	}
	buf.WriteString(`],"paging":{"cursors":`)
	nextOffset := offset + len(posts)
	buf.Write(marshal(map[string]string{"before": encodeCursor(offset, pageNo), "after": encodeCursor(nextOffset, pageNo+1)}))
	if nextOffset < total {
		nq := url.Values{}
		nq.Set("access_token", q.Get("access_token"))
		nq.Set("fields", q.Get("fields"))
		nq.Set("limit", strconv.Itoa(limit))
		nq.Set("after", encodeCursor(nextOffset, pageNo+1))
		version := "v25.0"
		if parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2); strings.HasPrefix(parts[0], "v") {
			version = parts[0]
		}
		buf.WriteString(`,"next":`)
		buf.Write(marshal(base + "/" + version + "/me/media?" + nq.Encode()))
	}
	buf.WriteString(`}}`)
	s.setUsageHeaders(w, acct.UserID)
	writeJSON(w, http.StatusOK, buf.Bytes())
}

// renderPost renders the requested fields of p, then applies p.Override.
func renderPost(p Post, fields []string, acct *Account) *object {
	var obj object
	for _, f := range fields {
		switch f {
		case "id":
			obj.set(f, p.ID)
		case "caption":
			if p.Caption != "" {
				obj.set(f, p.Caption)
			}
		case "media_type":
			obj.set(f, p.MediaType)
		case "media_product_type":
			obj.set(f, p.MediaProductType)
		case "media_url":
			if p.MediaURL != "" {
				obj.set(f, p.MediaURL)
			}
		case "thumbnail_url":
			if p.ThumbnailURL != "" && p.MediaType == "VIDEO" {
				obj.set(f, p.ThumbnailURL)
			}
		case "permalink":
			obj.set(f, p.Permalink)
		case "shortcode":
			obj.set(f, p.Shortcode)
		case "timestamp":
			obj.set(f, p.Timestamp.UTC().Format("2006-01-02T15:04:05-0700"))
		case "username":
			obj.set(f, acct.Username)
		case "like_count":
			if p.LikeCount != nil {
				obj.set(f, *p.LikeCount)
			}
		case "comments_count":
			obj.set(f, p.CommentsCount)
		case "is_comment_enabled":
			obj.set(f, true)
		case "owner":
			obj.set(f, map[string]string{"id": acct.UserID})
		}
	}
	for k, v := range p.Override {
		if v == nil {
			obj.del(k)
		} else {
			obj.set(k, v)
		}
	}
	return &obj
}

// object is a JSON object that keeps its key order.
type object struct {
	keys []string
	vals []json.RawMessage
}

func (o *object) set(k string, v any) {
	var raw json.RawMessage
	switch v := v.(type) {
	case int:
		raw = strconv.AppendInt(nil, int64(v), 10)
	case string:
		if plainASCII(v) {
			raw = append(append(append(make([]byte, 0, len(v)+2), '"'), v...), '"')
			break
		}
		raw = marshal(v)
	default:
		raw = marshal(v)
	}
	if i := slices.Index(o.keys, k); i >= 0 {
		o.vals[i] = raw
		return
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, raw)
}

// plainASCII reports whether s needs no escaping in JSON.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

func (o *object) del(k string) {
	if i := slices.Index(o.keys, k); i >= 0 {
		o.keys = slices.Delete(o.keys, i, i+1)
		o.vals = slices.Delete(o.vals, i, i+1)
	}
}

func (o *object) bytes() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if plainASCII(k) {
			b.WriteByte('"')
			b.WriteString(k)
			b.WriteByte('"')
		} else {
			b.Write(marshal(k))
		}
		b.WriteByte(':')
		b.Write(o.vals[i])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// Cursors are opaque to clients: base64 of "offset:page".
func encodeCursor(offset, page int) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "QVFI:%d:%d", offset, page))
}

func decodeCursor(c string) (offset, page int, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, false
	}
	if _, err := fmt.Sscanf(string(b), "QVFI:%d:%d", &offset, &page); err != nil || offset < 0 || page < 1 {
		return 0, 0, false
	}
	return offset, page, true
}

// image is GET /media/{id}.svg: a deterministic gradient "photo".
func (s *Sandbox) image(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/media/"), ".svg")
	badge := ""
	if !strings.HasPrefix(id, "avatar-") {
		p, ok := s.findPost(id)
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch p.MediaType {
		case "VIDEO":
			badge = `<polygon points="960,60 1020,95 960,130" fill="#fff" opacity=".9"/>`
		case "CAROUSEL_ALBUM":
			badge = `<rect x="950" y="60" width="60" height="60" rx="8" fill="none" stroke="#fff" stroke-width="8" opacity=".9"/>`
		}
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	sum := h.Sum32()
	hue1, hue2 := sum%360, (sum/360+120)%360
	sunX, sunY := 200+sum%680, 180+(sum/7)%300
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1080" viewBox="0 0 1080 1080" role="img" aria-label="Sandbox photo %s">`+
		`<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(%d,75%%,62%%)"/>`+
		`<stop offset="1" stop-color="hsl(%d,70%%,42%%)"/></linearGradient></defs>`+
		`<rect width="1080" height="1080" fill="url(#g)"/><circle cx="%d" cy="%d" r="110" fill="#fff" opacity=".35"/>`+
		`<path d="M0 820 L300 560 L520 760 L760 500 L1080 800 L1080 1080 L0 1080 Z" fill="#000" opacity=".18"/>%s</svg>`,
		template.HTMLEscapeString(id), hue1, hue2, sunX, sunY, badge)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write([]byte(svg))
}

func (s *Sandbox) findPost(id string) (Post, bool) {
	for _, a := range s.Accounts() {
		if p, ok := a.Post(id); ok {
			return p, true
		}
	}
	return Post{}, false
}

// permalink is GET /p/{shortcode}/: a minimal post page.
func (s *Sandbox) permalink(w http.ResponseWriter, r *http.Request) {
	code := strings.Trim(strings.TrimPrefix(r.URL.Path, "/p/"), "/")
	for _, a := range s.Accounts() {
		for _, p := range a.Posts() {
			if p.Shortcode == code {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_ = postPage.Execute(w, map[string]any{"Post": p, "Username": a.Username})
				return
			}
		}
	}
	http.NotFound(w, r)
}

var postPage = template.Must(template.New("post").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>@{{.Username}} · Sandbox Instagram</title>
<style>body{font-family:system-ui,sans-serif;max-width:540px;margin:24px auto;padding:0 12px;color:#1f1f1f}img{width:100%;border-radius:8px}</style>
</head><body><main>
<p><strong>@{{.Username}}</strong> · {{.Post.Timestamp.Format "2 Jan 2006"}}</p>
{{with or .Post.MediaURL .Post.ThumbnailURL}}<img src="{{.}}" alt="Post by @{{$.Username}}">{{end}}
<p>{{.Post.Caption}}</p>
<p>{{with .Post.LikeCount}}{{.}} likes · {{end}}{{.Post.CommentsCount}} comments</p>
</main></body></html>
`))

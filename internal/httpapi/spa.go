package httpapi

import (
	"bytes"
	"html"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// spaCSP is the policy of the web app: its own scripts and styles only.
const spaCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// spaHandler serves the built web app: hashed assets are cached for a year,
// index.html never, and unknown paths fall back to index.html so that
// client-side routes load.
type spaHandler struct {
	files   fs.FS
	index   []byte
	preview previewFunc
}

// preview is the OpenGraph text of a shared report's page.
type preview struct{ title, description string }

// previewFunc looks up the report of a /r/<token> page: its preview (empty
// when it has none to give) and whether the token opens a report.
type previewFunc func(c *gin.Context, token string) (preview, bool)

func newSPA(files fs.FS, p previewFunc) *spaHandler {
	h := &spaHandler{files: files, preview: p}
	if files != nil {
		if b, err := fs.ReadFile(files, "index.html"); err == nil {
			h.index = b
		}
	}
	return h
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Creator Growth Tool</title>
<p>The web app is not built. Run <code>make run</code>, or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code> and restart the server.</p>
<p>The API is up: <a href="/health">/health</a>.</p>`

func (h *spaHandler) serve(c *gin.Context) {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Content-Security-Policy", spaCSP)
	documentHeaders.apply(c.Writer.Header())
	if h.index == nil {
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(notBuiltPage))
		return
	}
	name := strings.TrimPrefix(path.Clean(c.Request.URL.Path), "/")
	if token, ok := strings.CutPrefix(name, "r/"); ok && token != "" && !strings.Contains(token, "/") && h.preview != nil {
		h.serveReport(c, token)
		return
	}
	if name != "" && name != "index.html" {
		if f, err := h.files.Open(name); err == nil {
			st, err := f.Stat()
			if err == nil && !st.IsDir() {
				defer f.Close()
				if strings.HasPrefix(name, "assets/") {
					c.Header("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					c.Header("Cache-Control", "public, max-age=3600")
				}
				if rs, ok := f.(readSeeker); ok {
					http.ServeContent(c.Writer, c.Request, name, st.ModTime(), rs)
					return
				}
			}
			f.Close()
		}
		if strings.HasPrefix(name, "assets/") || path.Ext(name) != "" {
			// A missing file is a 404, not the app: a stale hashed asset must
			// not come back as HTML.
			c.Header("Cache-Control", "no-cache")
			c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("not found\n"))
			return
		}
	}
	c.Header("Cache-Control", "no-cache")
	http.ServeContent(c.Writer, c.Request, "index.html", time.Time{}, bytes.NewReader(h.index))
}

// serveReport serves the app for a shared report's page, with the
// report's OpenGraph tags in its head so that a pasted link previews, or
// with 404 when the token opens nothing (the app shows its not-found
// page). The address holds the token: it is sent as no Referer, and the
// page is not indexed.
func (h *spaHandler) serveReport(c *gin.Context, token string) {
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("X-Robots-Tag", "noindex")
	p, found := h.preview(c, token)
	status := http.StatusOK
	if !found {
		status = http.StatusNotFound
	}
	body := h.index
	if p.title != "" {
		body = withPreview(h.index, p)
	}
	c.Data(status, "text/html; charset=utf-8", body)
}

// withPreview returns index with its title replaced by the preview's and
// OpenGraph tags added before </head>, every text HTML-escaped.
func withPreview(index []byte, p preview) []byte {
	title, desc := html.EscapeString(p.title), html.EscapeString(p.description)
	tags := `<meta property="og:type" content="website" />` +
		`<meta property="og:site_name" content="Creator Growth Tool" />` +
		`<meta property="og:title" content="` + title + `" />` +
		`<meta property="og:description" content="` + desc + `" />` +
		`<meta name="twitter:card" content="summary" />` +
		`<meta name="robots" content="noindex" />`
	out := index
	if i, j := bytes.Index(out, []byte("<title>")), bytes.Index(out, []byte("</title>")); i >= 0 && j > i {
		out = slices.Concat(out[:i], []byte("<title>"+title), out[j:])
	}
	if k := bytes.Index(out, []byte("</head>")); k >= 0 {
		out = slices.Concat(out[:k], []byte(tags), out[k:])
	}
	return out
}

type readSeeker interface {
	Read([]byte) (int, error)
	Seek(int64, int) (int64, error)
}

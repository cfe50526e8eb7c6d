package httpapi

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
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
	files fs.FS
	index []byte
}

func newSPA(files fs.FS) *spaHandler {
	h := &spaHandler{files: files}
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
	if h.index == nil {
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(notBuiltPage))
		return
	}
	name := strings.TrimPrefix(path.Clean(c.Request.URL.Path), "/")
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

type readSeeker interface {
	Read([]byte) (int, error)
	Seek(int64, int) (int64, error)
}

package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// Transport returns a RoundTripper that answers requests in-process from
// the sandbox, for a client whose URLs point at the mount prefix (for
// example "/sandbox/instagram"). The server that embeds the sandbox uses it
// so that it never calls itself over the network.
func (s *Sandbox) Transport(prefix string) http.RoundTripper {
	prefix = strings.TrimRight(prefix, "/")
	return roundTripper(func(orig *http.Request) (*http.Response, error) {
		r := orig.Clone(orig.Context())
		r.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
		r.URL.RawPath = ""
		r.RequestURI = r.URL.RequestURI()
		if r.URL.Path == "" {
			r.URL.Path = "/"
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if err := r.Context().Err(); err != nil {
			return nil, err
		}
		resp := rec.Result()
		resp.Request = orig
		return resp, nil
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

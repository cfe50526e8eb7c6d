package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"creatorgrowth/internal/testdb"
)

// discardWriter is a ResponseWriter that keeps the headers and the status
// and drops the body, so that the benchmark measures the router alone.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// WriteString is there as net/http's own writer has it.
func (w *discardWriter) WriteString(s string) (int, error) { return len(s), nil }

// BenchmarkHealth measures GET /health through the real router (every
// middleware, the metrics and the probe's cache) on PostgreSQL, with the
// headers a load generator sends. scripts/loadtest-health.sh measures it
// over HTTP against a bare Gin handler.
//
//	go test -run '^$' -bench BenchmarkHealth -benchmem ./internal/httpapi/
func BenchmarkHealth(b *testing.B) {
	a := benchAdviceApp(b, testdb.New(b), "0")
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/health", nil)
	req.Header.Set("Host", "127.0.0.1:18097")
	w := &discardWriter{h: http.Header{}}
	a.Handler.ServeHTTP(w, req)
	if w.status != http.StatusOK {
		b.Fatalf("status = %d, want 200", w.status)
	}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		a.Handler.ServeHTTP(w, req)
	}
	if w.status != http.StatusOK {
		b.Fatalf("status = %d, want 200", w.status)
	}
}

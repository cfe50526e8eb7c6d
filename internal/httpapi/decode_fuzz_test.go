package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"creatorgrowth/internal/apperr"
)

// FuzzDecodeJSON checks decodeJSON, the decoder of every request body,
// into the structs the handlers use: it never panics, fails only with the
// client codes invalid_request and body_too_large, and accepts only bodies
// that hold exactly one JSON object with known fields (or a bare null).
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@b.co","password":"correct horse"}`, `{"email":"a@b.co"}`, `{}`, ``, ` `,
		`{"email":"a@b.co"}{"email":"c@d.co"}`, `{"email":"a@b.co"} x`, `{"email":1}`, `[]`, `null`,
		`{"email":"a","email":"b"}`, `{"EMAIL":"a@b.co"}`, `{"email":"\ud800"}`, `{"admin":true}`,
		"{\"email\":\"a@b.co\"}\n\n", `{"password":null}`, `"str"`, `{"email":"a@b.co",}`,
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`{"email":"a@b.co","password":"x"}`), true)
	gin.SetMode(gin.ReleaseMode)

	f.Fuzz(func(t *testing.T, body []byte, waitlist bool) {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
		var (
			err  error
			dst  any
			keys map[string]bool
		)
		if waitlist {
			var in struct {
				Email string `json:"email"`
			}
			err, dst, keys = decodeJSON(c, &in), &in, map[string]bool{"email": true}
		} else {
			var in credentials
			err, dst, keys = decodeJSON(c, &in), &in, map[string]bool{"email": true, "password": true}
		}
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || (ae.Code != apperr.CodeInvalidRequest && ae.Code != apperr.CodeBodyTooLarge) || ae.Message == "" {
				t.Fatalf("decodeJSON(%q): %v, want an invalid_request or body_too_large error", body, err)
			}
			return
		}
		// Accepted: one JSON object whose keys are all known (in any case,
		// as encoding/json matches them).
		// A bare null is accepted too: encoding/json leaves the struct
		// empty, and the handlers then reject the empty email.
		var obj map[string]json.RawMessage
		dec := json.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("decodeJSON accepted %q, which is not a JSON object: %v", body, err)
		}
		if dec.More() {
			t.Fatalf("decodeJSON accepted %q, which holds more than one value", body)
		}
		for k := range obj {
			known := false
			for name := range keys {
				known = known || strings.EqualFold(k, name)
			}
			if !known {
				t.Fatalf("decodeJSON accepted %q with the unknown field %q into %T", body, k, dst)
			}
		}
	})
}

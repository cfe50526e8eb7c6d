package instagram

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseTimestamp checks that ParseTimestamp never panics and that a
// success is in UTC and survives a round trip through both accepted forms.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"2019-09-26T22:36:43+0000", "2026-11-25T20:37:24Z", "2026-11-25T20:37:24.123456789+05:30",
		"2026-11-25T20:37:24.5-0800", " 2026-01-01T00:00:00+00:00 ", "2026-02-30T00:00:00Z",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59-2359", "", "yesterday", "2026-11-25",
		"2026-11-25T20:37:24+2400", "2026-11-25T20:37:60Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTimestamp(s)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("ParseTimestamp(%q) = %v with error %v", s, got, err)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("ParseTimestamp(%q) = %v, not in UTC", s, got)
		}
		for _, form := range []string{got.Format(time.RFC3339Nano), got.Format("2006-01-02T15:04:05.999999999-0700")} {
			back, err := ParseTimestamp(form)
			if err != nil {
				// time.Format cannot write years outside 0000–9999 in a parseable way.
				if got.Year() < 0 || got.Year() > 9999 {
					continue
				}
				t.Fatalf("ParseTimestamp(%q) = %v, whose form %q does not parse: %v", s, got, form, err)
			}
			if !back.Equal(got) || back.Location() != time.UTC {
				t.Fatalf("ParseTimestamp(%q) = %v, round trip through %q gives %v", s, got, form, back)
			}
		}
	})
}

// FuzzDecodeTokenAndProfile feeds arbitrary bodies to the token and
// profile decoders: they never panic, fail only with ErrMalformedResponse,
// and a success has what the caller relies on.
func FuzzDecodeTokenAndProfile(f *testing.F) {
	for _, s := range []string{
		`{"access_token":"IGQ","user_id":17841400000000001,"permissions":"instagram_business_basic,instagram_business_manage_insights"}`,
		`{"data":[{"access_token":"IGQ","user_id":"27010000000000013","permissions":["a","b"]}]}`,
		`{"access_token":"IGQ","token_type":"bearer","expires_in":5183944}`,
		`{"access_token":"IGQ","expires_in":"5183944"}`,
		`{"access_token":"IGQ","expires_in":5.2e6}`,
		`{"data":{"user_id":"17841400000000001","username":"x","followers_count":"12"}}`,
		`{"user_id":17841400000000001,"id":"2701","followers_count":1e3,"media_count":null}`,
		`{"data":[]}`, `{"data":"x"}`, `[]`, `null`, `{"access_token":""}`, `{"user_id":-}`,
		`{"user_id":1.5}`, `{"expires_in":99999999999999999999,"access_token":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		wantMalformed := func(what string, err error) {
			t.Helper()
			if err != nil && !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("%s(%q): error %v is not ErrMalformedResponse", what, body, err)
			}
		}
		short, err := decodeShortToken(body)
		wantMalformed("decodeShortToken", err)
		if err == nil && short.AccessToken == "" {
			t.Fatalf("decodeShortToken(%q): success without a token", body)
		}
		long, err := decodeToken(body)
		wantMalformed("decodeToken", err)
		if err == nil && (long.AccessToken == "" || long.ExpiresIn <= 0) {
			t.Fatalf("decodeToken(%q) = %+v", body, long)
		}
		p, err := decodeProfile(body)
		wantMalformed("decodeProfile", err)
		if err == nil && p.UserID == "" {
			t.Fatalf("decodeProfile(%q): success without a user_id", body)
		}
		_, _ = parseAPIError(400, body)
	})
}

// FuzzDecodeMediaPage feeds arbitrary bodies to the media page decoder: it
// never panics; a page either fails as a whole with ErrMalformedResponse or
// accounts for every item, as decoded or skipped; decoded items have an id
// and a UTC time.
func FuzzDecodeMediaPage(f *testing.F) {
	for _, s := range []string{
		`{"data":[{"id":"1","caption":"#a #b","media_type":"image","timestamp":"2026-11-25T20:37:24+0000","like_count":3,"comments_count":"2"}],"paging":{"next":"https://graph.instagram.com/v25.0/me/media?after=x"}}`,
		`{"data":[{"id":179,"media_type":"VIDEO","thumbnail_url":"t","timestamp":"2026-11-25T20:37:24Z"},{"id":"2","timestamp":"bad"},{"timestamp":"2026-11-25T20:37:24Z"},{"id":"3","like_count":"x","timestamp":"2026-11-25T20:37:24Z"}]}`,
		`{"data":[]}`, `{"data":null}`, `{}`, `{"data":[1,"x",null,[]]}`, `{"data":{}}`, `not json`,
		`{"data":[{"id":"9","timestamp":"2026-11-25T20:37:24Z","like_count":null,"comments_count":1.0}],"paging":{"next":""}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		page, _, err := decodeMediaPage(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("decodeMediaPage(%q): error %v is not ErrMalformedResponse", body, err)
			}
			return
		}
		var raw struct {
			Data []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			t.Fatalf("decodeMediaPage accepted %q, which is not a page: %v", body, err)
		}
		if got, want := len(page.Items)+len(page.Skipped), len(raw.Data); got != want {
			t.Fatalf("decodeMediaPage(%q): %d items + %d skipped, want %d", body, len(page.Items), len(page.Skipped), want)
		}
		for _, m := range page.Items {
			if m.ID == "" || m.Timestamp.Location() != time.UTC || m.MediaType != strings.ToUpper(m.MediaType) {
				t.Fatalf("decodeMediaPage(%q): bad item %+v", body, m)
			}
		}
		for _, s := range page.Skipped {
			if s.Err == nil {
				t.Fatalf("decodeMediaPage(%q): skipped item without a reason", body)
			}
		}
	})
}

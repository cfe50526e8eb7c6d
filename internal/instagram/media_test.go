package instagram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"creatorgrowth/internal/instagram/sandbox"
)

var newest = time.Date(2026, 2, 28, 18, 30, 0, 0, time.UTC)

func TestClient_Media(t *testing.T) {
	t.Run("PagesWithEmptyPage", func(t *testing.T) {
		e := newEnv(t, []sandbox.AccountSpec{{UserID: "17841400000000009", Posts: 230}}, nil)
		tok := e.longToken(t, "17841400000000009")
		items, skipped, pages, err := e.collect(t, tok, 0)
		if err != nil {
			t.Fatalf("Media: %v", err)
		}
		// Pages of 50: 50, 50, 50, (empty, with next), 50, 30.
		if got, want := pages, 6; got != want {
			t.Errorf("pages = %d, want %d", got, want)
		}
		if got, want := e.sb.Calls("media"), 6; got != want {
			t.Errorf("media calls = %d, want %d", got, want)
		}
		if len(skipped) != 0 {
			t.Errorf("skipped = %v", skipped)
		}
		seen := map[string]bool{}
		for _, m := range items {
			if seen[m.ID] {
				t.Fatalf("post %s delivered twice", m.ID)
			}
			seen[m.ID] = true
		}
		assertSamePosts(t, items, e.sb.Account("17841400000000009").Posts())
	})
	t.Run("MaxCap", func(t *testing.T) {
		e := newEnv(t, []sandbox.AccountSpec{{UserID: "17841400000000009", Posts: 230}}, nil)
		tok := e.longToken(t, "17841400000000009")
		items, _, _, err := e.collect(t, tok, 120)
		if err != nil {
			t.Fatalf("Media: %v", err)
		}
		if got, want := len(items), 120; got != want {
			t.Errorf("items = %d, want %d", got, want)
		}
		if got, want := e.sb.Calls("media"), 3; got != want {
			t.Errorf("media calls = %d, want %d", got, want)
		}
	})
	t.Run("SkipsBadItems", func(t *testing.T) {
		posts := manyPosts(60, newest)
		posts[3].Override = map[string]any{"timestamp": "yesterday"}
		posts[10].Override = map[string]any{"id": nil}
		posts[55].Override = map[string]any{"like_count": "many"}
		posts[20].Override = map[string]any{"timestamp": "2026-02-27T17:30:00Z"}
		posts[21].Override = map[string]any{"timestamp": "2026-02-27T16:30:00+00:00"}
		posts[22].Override = map[string]any{"like_count": nil}
		e := newEnv(t, []sandbox.AccountSpec{{UserID: "17841400000000009", PostsList: posts}}, nil)
		tok := e.longToken(t, "17841400000000009")
		items, skipped, _, err := e.collect(t, tok, 0)
		if err != nil {
			t.Fatalf("Media: %v", err)
		}
		if got, want := len(items), 57; got != want {
			t.Errorf("items = %d, want %d", got, want)
		}
		var ids []string
		for _, s := range skipped {
			if s.Err == nil {
				t.Errorf("skipped %q without a reason", s.ID)
			}
			ids = append(ids, s.ID)
		}
		if got, want := strings.Join(ids, ","), "17900000000000003,,17900000000000055"; got != want {
			t.Errorf("skipped ids = %q, want %q", got, want)
		}
		byID := map[string]Media{}
		for _, m := range items {
			byID[m.ID] = m
		}
		if got, want := byID["17900000000000020"].Timestamp, time.Date(2026, 2, 27, 17, 30, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("RFC 3339 Z timestamp = %v, want %v", got, want)
		}
		if got, want := byID["17900000000000021"].Timestamp, time.Date(2026, 2, 27, 16, 30, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("RFC 3339 +00:00 timestamp = %v, want %v", got, want)
		}
		if got := byID["17900000000000022"].LikeCount; got != nil {
			t.Errorf("null like_count = %v, want nil", *got)
		}
	})
	t.Run("HiddenLikesAndVideoWithoutURL", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		tok := e.longToken(t, "17841400000000001")
		items, _, _, err := e.collect(t, tok, 10)
		if err != nil {
			t.Fatalf("Media: %v", err)
		}
		// The sandbox guarantees: 3rd newest is a VIDEO without media_url, 5th hides likes.
		if got := items[4].LikeCount; got != nil {
			t.Errorf("hidden like_count = %d, want nil", *got)
		}
		if v := items[2]; v.MediaType != "VIDEO" || v.ThumbnailURL == "" || v.MediaURL != "" {
			t.Errorf("video without media_url = %+v, want an empty MediaURL and its ThumbnailURL", v)
		}
		if items[0].Timestamp.Location() != time.UTC {
			t.Errorf("timestamp location = %v, want UTC", items[0].Timestamp.Location())
		}
	})
	t.Run("HandlerErrorStops", func(t *testing.T) {
		e := newEnv(t, []sandbox.AccountSpec{{UserID: "17841400000000009", Posts: 230}}, nil)
		tok := e.longToken(t, "17841400000000009")
		stop := errors.New("stop")
		err := e.client.Media(context.Background(), tok, 0, func(MediaPage) error { return stop })
		if !errors.Is(err, stop) {
			t.Errorf("err = %v, want %v", err, stop)
		}
		if got, want := e.sb.Calls("media"), 1; got != want {
			t.Errorf("media calls = %d, want %d", got, want)
		}
	})
	t.Run("FailsOnPage3", func(t *testing.T) {
		e := newEnv(t, []sandbox.AccountSpec{{UserID: "17841400000000009", Posts: 230}}, nil)
		tok := e.longToken(t, "17841400000000009")
		e.sb.InjectFault(sandbox.Fault{Endpoint: "media", After: 2, Status: 400, GraphCode: 100})
		items, _, _, err := e.collect(t, tok, 0)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Code != 100 {
			t.Fatalf("err = %v, want code 100", err)
		}
		if got, want := len(items), 100; got != want {
			t.Errorf("items before the failure = %d, want %d", got, want)
		}
	})
}

// fakeGraph serves fixed /me/media pages by their "page" query value.
func fakeGraph(t *testing.T, pages map[string]string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Query().Get("page")]
		if !ok || r.URL.Query().Get("access_token") != "tok" {
			http.Error(w, `{"error":{"message":"bad","code":100}}`, http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return NewClient(Config{GraphURL: srv.URL, BaseBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
}

func TestClient_MediaPaging(t *testing.T) {
	item := `{"id":"1","timestamp":"2026-01-01T00:00:00+0000","media_type":"IMAGE"}`
	tests := []struct {
		name      string
		pages     map[string]string
		wantItems int
		wantErr   error
	}{
		{"RelativeNextWithoutToken", map[string]string{
			"":  `{"data":[` + item + `],"paging":{"next":"/v25.0/me/media?page=2"}}`,
			"2": `{"data":[` + item + `]}`,
		}, 2, nil},
		{"ErrLoop", map[string]string{
			"":  `{"data":[],"paging":{"next":"/v25.0/me/media?page=2&access_token=tok"}}`,
			"2": `{"data":[],"paging":{"next":"/v25.0/me/media?page=2&access_token=tok"}}`,
		}, 0, errPagingLoop},
		{"ErrNoData", map[string]string{"": `{"paging":{}}`}, 0, ErrMalformedResponse},
		{"ErrDataNotArray", map[string]string{"": `{"data":{"id":"1"}}`}, 0, ErrMalformedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fakeGraph(t, tt.pages)
			n := 0
			err := c.Media(context.Background(), "tok", 0, func(p MediaPage) error { n += len(p.Items); return nil })
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got, want := n, tt.wantItems; got != want {
				t.Errorf("items = %d, want %d", got, want)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	want := time.Date(2019, 9, 26, 22, 36, 43, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"2019-09-26T22:36:43+0000", want, false},
		{"2019-09-26T22:36:43Z", want, false},
		{"2019-09-26T22:36:43+00:00", want, false},
		{"2019-09-27T00:36:43+0200", want, false},
		{"2019-09-27T00:36:43+02:00", want, false},
		{"2019-09-26T22:36:43.000+0000", want, false},
		{" 2019-09-26T22:36:43+0000 ", want, false},
		{"2019-09-26 22:36:43", time.Time{}, true},
		{"", time.Time{}, true},
		{"yesterday", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimestamp(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !got.Equal(tt.want) || (!tt.wantErr && got.Location() != time.UTC) {
				t.Errorf("got %v, want %v in UTC", got, tt.want)
			}
		})
	}
}

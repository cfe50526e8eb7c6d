package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

const rpHeaderRow = "posted_at,ig_post_id,media_type,media_product_type,permalink,caption,like_count,comments_count,views,reach,saved,shares,total_interactions"

func TestGrowthExport_CSV(t *testing.T) {
	e := newRPEnv(t, nil)
	u := e.user(t)
	acc := e.account(t, u, `we/ird "name"`, e.clock.Now().Add(-time.Hour))
	now := e.clock.Now()
	captions := []string{
		"=HYPERLINK(\"http://evil.example\",\"click\")",
		"+1+2",
		"-2 and more",
		"@SUM(A1:A2)",
		"\tstarts with a tab",
		"\rstarts with a carriage return",
		`He said "hi", then left`,
		"first line\nsecond line\r\nthird line",
		"🔥 fire 🚀 emoji, intact 👩‍👩‍👧",
		"plain",
	}
	var posts []rpPost
	for i, c := range captions {
		posts = append(posts, rpPost{Caption: c, Likes: likes(int64(10 * i)), Comments: int64(i), PostedAt: now.Add(-time.Duration(i+1) * time.Hour)})
	}
	posts[9].Likes = nil // a hidden like count is unknown, not 0
	ids := e.posts(t, acc, posts...)
	// Insights: the first post has all five metrics, the second only views
	// (the others unknown, so empty), the rest none yet.
	if _, err := e.db.ExecContext(context.Background(), `UPDATE instagram_posts SET insights_captured_at = now(),
		views = 1200, reach = 950, saved = 0, shares = 9, total_interactions = 301 WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(context.Background(), `UPDATE instagram_posts SET insights_captured_at = now(),
		views = 77, media_type = 'VIDEO', media_product_type = 'REELS' WHERE id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	// Outside the 30-day window: in no row.
	e.posts(t, acc, rpPost{Caption: "old", Likes: likes(1), PostedAt: now.Add(-31 * 24 * time.Hour)},
		rpPost{Caption: "future", Likes: likes(1), PostedAt: now.Add(time.Minute)})

	rec := e.raw(t, "/api/growth/export?format=csv&period=30&tz=UTC", &u)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if got, want := rec.Header().Get("Content-Type"), "text/csv; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	wantName := `attachment; filename="growth-we_ird__name_-30d-` + now.Format(time.DateOnly) + `.csv"`
	if got := rec.Header().Get("Content-Disposition"); got != wantName {
		t.Errorf("Content-Disposition = %q, want %q", got, wantName)
	}
	body := rec.Body.String()
	if first, _, _ := strings.Cut(body, "\n"); first != rpHeaderRow {
		t.Errorf("header row = %q, want %q", first, rpHeaderRow)
	}
	if !strings.Contains(body, `"He said ""hi"", then left"`) {
		t.Errorf("quotes and commas not quoted as RFC 4180 says: %s", body)
	}
	if !strings.Contains(body, "\"first line\nsecond line\r\nthird line\"") {
		t.Errorf("new lines of a caption not kept inside a quoted field: %q", body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("parse the CSV: %v\n%s", err, body)
	}
	if got, want := len(rows), 1+len(captions); got != want {
		t.Fatalf("rows = %d, want %d (header and the window's posts)", got, want)
	}
	wantCaption := []string{
		"'=HYPERLINK(\"http://evil.example\",\"click\")",
		"'+1+2",
		"'-2 and more",
		"'@SUM(A1:A2)",
		"'\tstarts with a tab",
		"'\rstarts with a carriage return",
		`He said "hi", then left`,
		"first line\nsecond line\r\nthird line",
		"🔥 fire 🚀 emoji, intact 👩‍👩‍👧",
		"plain",
	}
	for i, row := range rows[1:] {
		if got, want := len(row), 13; got != want {
			t.Fatalf("row %d has %d cells, want %d", i, got, want)
		}
		// The reader reads a CRLF inside a quoted field as LF; the raw
		// body keeps it (checked above).
		if got, want := row[5], strings.ReplaceAll(wantCaption[i], "\r\n", "\n"); got != want {
			t.Errorf("row %d caption = %q, want %q", i, got, want)
		}
		posted, err := time.Parse(time.RFC3339, row[0])
		if err != nil || !posted.Equal(posts[i].PostedAt) {
			t.Errorf("row %d posted_at = %q, want %s (newest first)", i, row[0], posts[i].PostedAt.Format(time.RFC3339))
		}
		wantLikes := ""
		if posts[i].Likes != nil {
			wantLikes = itoa(*posts[i].Likes)
		}
		if row[6] != wantLikes || row[7] != itoa(posts[i].Comments) {
			t.Errorf("row %d like_count, comments_count = %q, %q; want %q, %q", i, row[6], row[7], wantLikes, itoa(posts[i].Comments))
		}
		wantType, wantProduct, wantInsights := "IMAGE", "FEED", []string{"", "", "", "", ""}
		switch i {
		case 0:
			wantInsights = []string{"1200", "950", "0", "9", "301"} // a known 0 stays 0
		case 1:
			wantType, wantProduct, wantInsights = "VIDEO", "REELS", []string{"77", "", "", "", ""}
		}
		if row[2] != wantType || row[3] != wantProduct || !strings.HasPrefix(row[4], "https://www.instagram.com/p/") || row[1] == "" {
			t.Errorf("row %d = %q, want media_type %s, media_product_type %s", i, row, wantType, wantProduct)
		}
		if got := row[8:]; strings.Join(got, ",") != strings.Join(wantInsights, ",") {
			t.Errorf("row %d views,reach,saved,shares,total_interactions = %q, want %q (unknown is empty, never 0)", i, got, wantInsights)
		}
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestGrowthExport_JSONEqualsStats(t *testing.T) {
	e := newRPEnv(t, nil)
	u := e.user(t)
	acc := e.account(t, u, "creator.one", e.clock.Now().Add(-time.Hour))
	now := e.clock.Now()
	var posts []rpPost
	for i := range 40 {
		posts = append(posts, rpPost{Caption: "#travel day", Likes: likes(int64(5 * i)), Comments: int64(i % 7),
			PostedAt: now.Add(-time.Duration(i*41) * time.Hour)})
	}
	e.posts(t, acc, posts...)

	for _, q := range []string{"period=30&tz=UTC", "period=7&tz=Europe/Berlin", "period=90&tz=America/New_York", ""} {
		stats := e.do(t, http.MethodGet, "/api/growth/stats?"+q, nil, &u)
		exp := e.do(t, http.MethodGet, "/api/growth/export?format=json&"+q, nil, &u)
		if stats.Status != http.StatusOK || exp.Status != http.StatusOK {
			t.Fatalf("%s: stats %d, export %d: %s", q, stats.Status, exp.Status, exp.Raw)
		}
		wantKeys(t, exp.Body, "posts", "stats")
		if !reflect.DeepEqual(exp.Body["stats"], stats.Body) {
			t.Errorf("%s: the export's stats differ from GET /api/growth/stats:\n%v\n%v", q, exp.Body["stats"], stats.Body)
		}
		if got := exp.Header.Get("Content-Disposition"); !strings.HasPrefix(got, `attachment; filename="growth-creator.one-`) || !strings.HasSuffix(got, `.json"`) {
			t.Errorf("%s: Content-Disposition = %q", q, got)
		}
		list, _ := exp.Body["posts"].([]any)
		if got, want := float64(len(list)), stats.Body["total_posts"]; got != want {
			t.Errorf("%s: %v posts, want total_posts %v", q, got, want)
		}
		var sum float64
		prev := now.Add(time.Hour)
		for _, p := range list {
			m := p.(map[string]any)
			sum += m["like_count"].(float64)
			at := wantRFC3339UTC(t, "posted_at", m["posted_at"])
			if !at.Before(prev) {
				t.Errorf("%s: posts not newest first", q)
			}
			prev = at
		}
		if sum != stats.Body["total_likes"] {
			t.Errorf("%s: the posts' likes sum to %v, want total_likes %v", q, sum, stats.Body["total_likes"])
		}
	}
	// Many posts, one window: streamed rows, still whole.
	var many []rpPost
	for i := range 3000 {
		many = append(many, rpPost{Likes: likes(1), PostedAt: now.Add(-time.Duration(i+1) * time.Minute)})
	}
	big := e.account(t, u, "big", now)
	e.posts(t, big, many...)
	rec := e.raw(t, "/api/growth/export?format=csv&period=7&account_id="+big, &u)
	if n := bytes.Count(rec.Body.Bytes(), []byte("\n")); rec.Code != http.StatusOK || n != 3001 {
		t.Errorf("3000 posts: status %d, %d lines, want 200 and 3001", rec.Code, n)
	}
	exp := e.do(t, http.MethodGet, "/api/growth/export?format=json&period=7&account_id="+big, nil, &u)
	if list, _ := exp.Body["posts"].([]any); len(list) != 3000 {
		t.Errorf("3000 posts as JSON: %d", len(list))
	}
}

func TestGrowthExport_Errors(t *testing.T) {
	e := newRPEnv(t, nil)
	u, other, lonely := e.user(t), e.user(t), e.user(t)
	e.account(t, u, "mine", e.clock.Now())
	theirs := e.account(t, other, "theirs", e.clock.Now())
	cases := []struct {
		name, query string
		user        *rpUser
		status      int
		code        string
	}{
		{"ErrFormat", "?format=xml", &u, 400, "invalid_request"},
		{"ErrEmptyFormat", "?format=", &u, 400, "invalid_request"},
		{"ErrPeriod", "?format=csv&period=8", &u, 400, "invalid_period"},
		{"ErrZone", "?format=csv&tz=Mars/Olympus", &u, 400, "invalid_request"},
		{"ErrOtherUsersAccount", "?format=csv&account_id=" + theirs, &u, 404, "no_instagram_account"},
		{"ErrOtherUsersAccountJSON", "?format=json&account_id=" + theirs, &u, 404, "no_instagram_account"},
		{"ErrNoAccount", "?format=csv", &lonely, 404, "no_instagram_account"},
		{"ErrUnauthorized", "?format=csv", nil, 401, "unauthorized"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, http.MethodGet, "/api/growth/export"+tc.query, nil, tc.user)
			wantError(t, res, tc.status, tc.code)
			if got := res.Header.Get("Content-Disposition"); got != "" {
				t.Errorf("an error with Content-Disposition %q", got)
			}
		})
	}
	t.Run("DefaultFormatIsCSV", func(t *testing.T) {
		if rec := e.raw(t, "/api/growth/export", &u); rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), rpHeaderRow+"\n") {
			t.Errorf("%d %q", rec.Code, rec.Body)
		}
	})
}

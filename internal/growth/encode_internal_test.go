package growth

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// benchStats is a full 90-day report: a day per date, every media type,
// a dozen posting times and hashtags, and a best post.
func benchStats() Stats {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	likes, followers, rate := int64(40), int64(2500), 3.2
	url, views := "https://cdn.example/p.jpg", int64(900)
	st := Stats{
		PeriodDays: 90, PeriodStart: now.Add(-90 * 24 * time.Hour), PeriodEnd: now, Summary: Summary{
			TotalPosts: 120, TotalLikes: 4800, TotalComments: 600, AvgLikes: 40, AvgComments: 5,
			Previous: Totals{TotalPosts: 100, TotalLikes: 4000, TotalComments: 500}, LikesTrend: 20, CommentsTrend: 20,
			PostsThisWeek: 9, PostsPerWeek: 9.33, Message: "Your engagement is up 20.0%.", Followers: &followers,
			FollowersTrend: &rate, EngagementRate: &rate,
			BestPost: &Post{ID: "0b4c5a52-53b5-4bde-9a57-6f1f1d2b8c11", IGPostID: "17900000000000001", Caption: "A day at the sea #sea #summer",
				MediaType: "IMAGE", MediaURL: &url, MediaProductType: "FEED", Permalink: "https://instagram.com/p/x", LikeCount: &likes,
				CommentsCount: 12, PostedAt: now.Add(-time.Hour), FetchedAt: now,
				Insights: &PostInsights{Views: &views, CapturedAt: now}},
			TotalViews: &views, InsightsCoverage: &rate,
			MediaTypes:       []MediaType{{"CAROUSEL_ALBUM", 30, 41.5, 5.1}, {"IMAGE", 60, 39.2, 4.9}, {"VIDEO", 30, 40.1, 5.2}},
			BestPostingTimes: []PostingTime{},
			TopHashtags:      []Hashtag{},
		}}
	for i := range 91 {
		st.Daily = append(st.Daily, Day{Date: now.AddDate(0, 0, i-90).Format(time.DateOnly), Posts: 1, Likes: 40, Comments: 5})
	}
	for i := range 12 {
		st.BestPostingTimes = append(st.BestPostingTimes, PostingTime{Weekday: i % 7, Hour: i, Posts: 10, AvgEngagement: 45.5})
		st.TopHashtags = append(st.TopHashtags, Hashtag{Tag: "tag" + strconv.Itoa(i), Posts: 10, AvgEngagement: 45.5})
	}
	return st
}

func TestReportJSON_EncodesAsStats(t *testing.T) {
	st := benchStats()
	r, err := newReport(st)
	if err != nil {
		t.Fatal(err)
	}
	// A reused report moves its window and reads its freshness again; its
	// encoding must follow.
	r.stats.PeriodStart, r.stats.PeriodEnd = r.stats.PeriodStart.Add(time.Minute), r.stats.PeriodEnd.Add(time.Minute)
	synced := r.stats.PeriodEnd.Add(-time.Hour)
	r.stats.Freshness = Freshness{PostsSyncedAt: &synced, NextSyncAt: &r.stats.PeriodEnd}
	got, err := r.json()
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(r.stats)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("json() =\n%s\nwant\n%s", got, want)
	}
}

// BenchmarkReportJSON is the encoding of a reused report, on every
// request that hits the cache.
func BenchmarkReportJSON(b *testing.B) {
	r, err := newReport(benchStats())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.json(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatsMarshal is the encoding of a whole report, for comparison.
func BenchmarkStatsMarshal(b *testing.B) {
	st := benchStats()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(st); err != nil {
			b.Fatal(err)
		}
	}
}

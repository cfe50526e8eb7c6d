package advice

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkRecommend100k runs on 100,000 posts with every insight, their
// caption lengths given as a storage query gives them (char_length).
func BenchmarkRecommend100k(b *testing.B) {
	benchmarkRecommend(b, true)
}

// BenchmarkRecommend100kCaptionText is the same with the captions' text
// to count instead.
func BenchmarkRecommend100kCaptionText(b *testing.B) {
	benchmarkRecommend(b, false)
}

func benchmarkRecommend(b *testing.B, captionChars bool) {
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	posts := randomPosts(rng, 100_000, now)
	for i := range posts { // every post with insights: the heaviest case
		if posts[i].Reach == nil {
			posts[i].Reach, posts[i].Views, posts[i].Shares = i64(int64(i%5000+1)), i64(int64(i%7000+1)), i64(int64(i%40))
		}
		if captionChars {
			posts[i].CaptionChars = len(posts[i].Caption)
			posts[i].Caption = ""
		}
		if posts[i].Likes == nil {
			posts[i].Likes = i64(int64(i % 300))
		}
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Fatal(err)
	}
	var online [7][24]*float64
	for d := range 7 {
		for h := range 24 {
			online[d][h] = f64(float64(d*24 + h))
		}
	}
	in := RecommendInput{Posts: posts, Now: now, Location: berlin, PeriodDays: 90, OnlineFollowers: &online}
	b.ReportAllocs()
	for b.Loop() {
		r := Recommend(in)
		if r.Status != StatusOK {
			b.Fatal(r.Status)
		}
	}
}

func BenchmarkForecast(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	start := Date{2024, 12, 1}
	hist := make([]DailyValue, 730)
	v := 1000.0
	for i := range hist {
		v += 5 + rng.NormFloat64()*10
		hist[i] = DailyValue{Date: start.AddDays(i), Value: int64(v)}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Forecast(hist, 90); err != nil {
			b.Fatal(err)
		}
	}
}

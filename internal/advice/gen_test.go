package advice

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

func i64(v int64) *int64     { return &v }
func f64(v float64) *float64 { return &v }

// randomPosts generates n posts over the 90 days before now, with a mix of
// formats, unknown values, hashtags and captions; effects of format and
// time of day are planted so that some recommendations qualify.
func randomPosts(rng *rand.Rand, n int, now time.Time) []Post {
	types := []struct{ media, product, link string }{
		{"IMAGE", "FEED", "/p/"}, {"VIDEO", "REELS", "/reel/"}, {"VIDEO", "", "/reel/"},
		{"CAROUSEL_ALBUM", "FEED", "/p/"}, {"VIDEO", "FEED", "/p/"}, {"IMAGE", "", "/p/"},
	}
	insights := rng.IntN(3) // 0: none, 1: some, 2: all
	posts := make([]Post, n)
	for i := range posts {
		t := types[rng.IntN(len(types))]
		at := now.Add(-time.Duration(rng.Int64N(int64(92 * 24 * time.Hour))))
		boost := 1.0
		if t.link == "/reel/" {
			boost *= 1 + 2*rng.Float64()
		}
		if h := at.UTC().Hour(); h >= 18 && h < 23 {
			boost *= 1.5
		}
		base := float64(rng.IntN(500)+1) * boost
		p := Post{
			ID: fmt.Sprintf("p%d", i), PostedAt: at, MediaType: t.media, MediaProductType: t.product,
			Permalink: "https://www.instagram.com" + t.link + fmt.Sprint(i),
			Caption:   strings.Repeat("word ", rng.IntN(60)), HashtagCount: rng.IntN(3) * rng.IntN(2),
			Comments: int64(rng.IntN(30)),
		}
		if rng.IntN(10) > 0 {
			p.Likes = i64(int64(base))
		}
		if insights == 2 || insights == 1 && rng.IntN(2) == 0 {
			p.Reach = i64(int64(base * (5 + rng.Float64()*5)))
			p.Views = i64(int64(base * (8 + rng.Float64()*8)))
			p.Saved = i64(int64(rng.IntN(20)))
			p.Shares = i64(int64(rng.IntN(40)))
			if t.link == "/reel/" && rng.IntN(4) > 0 {
				p.SkipRate = f64(rng.Float64() * 100)
			}
		}
		posts[i] = p
	}
	return posts
}

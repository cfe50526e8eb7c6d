package guidance

import (
	"fmt"
	"testing"
	"time"

	"creatorgrowth/internal/advice"
)

func TestValidUntil(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	at := func(age time.Duration) advice.Post { return advice.Post{PostedAt: now.Add(-age)} }
	for _, c := range []struct {
		name   string
		period int
		posts  []advice.Post
		want   time.Time
	}{
		{"no posts: the cap", 90, nil, now.Add(maxReuse)},
		{"far from every edge: the cap", 90, []advice.Post{at(3*day + 3*24*time.Hour/2)}, now.Add(maxReuse)},
		{"turns 24 hours old", 90, []advice.Post{at(day - time.Minute)}, now.Add(time.Minute)},
		{"leaves the window", 7, []advice.Post{at(7*day - time.Minute)}, now.Add(time.Minute)},
		{"crosses a cadence week", 90, []advice.Post{at(8*day - 2*time.Minute)}, now.Add(2 * time.Minute)},
		{"the earliest of several", 90, []advice.Post{at(day - 5*time.Minute), at(15*day - 3*time.Minute), at(40 * day)},
			now.Add(3 * time.Minute)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := validUntil(now, c.period, c.posts); !got.Equal(c.want) {
				t.Errorf("validUntil = %s, want %s", got, c.want)
			}
		})
	}
}

// TestValidUntil_Recommend checks the rule against Recommend itself: for
// posts at random ages, the answer computed just before the instant
// validUntil names equals the one computed at now, and the one at that
// instant may differ.
func TestValidUntil_Recommend(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var rows []advice.Post
	for i := range 60 {
		likes := int64(50 + (i*37)%200)
		rows = append(rows, advice.Post{
			ID: string(rune('a' + i%26)), PostedAt: now.Add(-time.Duration(i*35+7) * time.Hour), MediaType: []string{"IMAGE", "VIDEO", "CAROUSEL_ALBUM"}[i%3],
			Likes: &likes, Comments: int64(i % 7), CaptionChars: i * 5, HashtagCount: i % 2,
		})
	}
	for _, period := range []int{7, 14, 30, 90} {
		until := validUntil(now, period, rows)
		in := advice.RecommendInput{Posts: rows, Now: now, PeriodDays: period}
		first := advice.Recommend(in)
		in.Now = until.Add(-time.Microsecond)
		last := advice.Recommend(in)
		if a, b := summary(first), summary(last); a != b {
			t.Errorf("period %d: the answer changed before %s:\n%s\n%s", period, until, a, b)
		}
	}
}

func summary(r advice.Recommendations) string {
	s := r.Status
	for _, x := range r.Recommendations {
		s += "|" + x.Kind + x.Title
	}
	for _, w := range r.Outliers.Winners {
		s += "|w" + w.ID
	}
	for _, l := range r.Outliers.Laggards {
		s += "|l" + l.ID
	}
	return s + "|" + fmt.Sprint(r.PostsConsidered)
}

package growth

import (
	"time"

	"creatorgrowth/internal/postgres"
)

// Post is the report's best post: the contract's post object, with the
// keys of the post list. MediaProductType is the type that picks the
// insights (postgres.ProductType); the URLs are exactly as sent, nil when
// none was.
type Post struct {
	ID               string        `json:"id"`
	IGPostID         string        `json:"ig_post_id"`
	Caption          string        `json:"caption"`
	MediaType        string        `json:"media_type"`
	MediaProductType string        `json:"media_product_type"`
	MediaURL         *string       `json:"media_url"`
	ThumbnailURL     *string       `json:"thumbnail_url"`
	Permalink        string        `json:"permalink"`
	LikeCount        *int64        `json:"like_count"`
	CommentsCount    int64         `json:"comments_count"`
	PostedAt         time.Time     `json:"posted_at"`
	FetchedAt        time.Time     `json:"fetched_at"`
	Insights         *PostInsights `json:"insights"`
}

// PostInsights is the contract's insights object of a post: its latest
// reading, nil metrics unknown.
type PostInsights struct {
	Views             *int64    `json:"views"`
	Reach             *int64    `json:"reach"`
	Saved             *int64    `json:"saved"`
	Shares            *int64    `json:"shares"`
	TotalInteractions *int64    `json:"total_interactions"`
	Follows           *int64    `json:"follows"`
	ProfileVisits     *int64    `json:"profile_visits"`
	Reposts           *int64    `json:"reposts"`
	AvgWatchTimeMs    *int64    `json:"avg_watch_time_ms"`
	TotalWatchTimeMs  *int64    `json:"total_watch_time_ms"`
	SkipRate          *float64  `json:"skip_rate"`
	CapturedAt        time.Time `json:"captured_at"`
}

// PostOf maps a stored post to the report's post object.
func PostOf(p postgres.Post) Post {
	out := Post{ID: p.ID, IGPostID: p.IGPostID, Caption: p.Caption, MediaType: p.MediaType,
		MediaProductType: postgres.ProductType(p.MediaProductType, p.MediaType, p.Permalink),
		MediaURL:         p.MediaURL, ThumbnailURL: p.ThumbnailURL, Permalink: p.Permalink, LikeCount: p.LikeCount,
		CommentsCount: p.CommentsCount, PostedAt: p.PostedAt.UTC(), FetchedAt: p.FetchedAt.UTC()}
	if in := p.Insights; in != nil {
		v := PostInsights(*in)
		v.CapturedAt = v.CapturedAt.UTC()
		out.Insights = &v
	}
	return out
}

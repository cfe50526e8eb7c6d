package instagram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Media is one post from /me/media.
type Media struct {
	// ID is the media id.
	ID string
	// Caption is empty when the post has none.
	Caption string
	// MediaType is IMAGE, VIDEO or CAROUSEL_ALBUM (reels are VIDEO).
	MediaType string
	// MediaProductType is FEED, REELS, STORY or AD, when Instagram sends it.
	MediaProductType string
	// MediaURL is the image or video URL exactly as sent; empty when Instagram
	// omits it (licensed audio, downloads disabled). Never the thumbnail.
	MediaURL string
	// ThumbnailURL is the video thumbnail exactly as sent (VIDEO only), or empty.
	ThumbnailURL string
	// Permalink is the public post URL.
	Permalink string
	// LikeCount is nil when the owner hides like counts.
	LikeCount *int
	// CommentsCount is the number of comments.
	CommentsCount int
	// Timestamp is the publication time in UTC.
	Timestamp time.Time
}

// SkippedMedia is an item of a page that could not be used.
type SkippedMedia struct {
	// ID is the item's id when it could be read, else "".
	ID string
	// Err says what was wrong with the item.
	Err error
}

// MediaPage is one page of /me/media: the usable items and the skipped ones.
type MediaPage struct {
	// Items are the decoded posts, newest first.
	Items []Media
	// Skipped are the items that had no id, a bad timestamp or wrong field types.
	Skipped []SkippedMedia
}

// MediaFields are the fields Media requests.
const MediaFields = "id,caption,media_type,media_product_type,media_url,thumbnail_url,permalink,timestamp,like_count,comments_count"

const (
	mediaPageSize = 50
	// maxEmptyPages bounds a run of empty pages that still carry paging.next.
	maxEmptyPages = 100
)

// errPagingLoop reports a paging.next link that was already followed.
var errPagingLoop = errors.New("instagram: media: paging.next repeats a visited page")

// Media pages through the token owner's posts, newest first, following
// paging.next until it is absent (an empty page that has a next link does not end
// the walk). It calls fn once per page fetched, including empty pages, and stops
// after max items (max <= 0: no limit; Instagram serves at most 10,000). An item
// that cannot be decoded goes to MediaPage.Skipped and the page goes on. An error
// from fn stops the walk and is returned wrapped.
func (c *Client) Media(ctx context.Context, token string, max int, fn func(MediaPage) error) error {
	q := url.Values{}
	q.Set("fields", MediaFields)
	q.Set("limit", fmt.Sprint(mediaPageSize))
	q.Set("access_token", token)
	next := c.graphPath("/me/media") + "?" + q.Encode()

	visited := make(map[string]bool)
	delivered, empties := 0, 0
	for next != "" {
		if visited[next] {
			return errPagingLoop
		}
		visited[next] = true
		body, err := c.send(ctx, request{
			endpoint: "media", method: http.MethodGet, url: next,
			policy: retryIdempotent, secrets: []string{token},
		})
		if err != nil {
			return err
		}
		page, nextURL, err := decodeMediaPage(body)
		if err != nil {
			return fmt.Errorf("instagram: media: %w", err)
		}
		if max > 0 && delivered+len(page.Items) > max {
			page.Items = page.Items[:max-delivered]
		}
		delivered += len(page.Items)
		if len(page.Items) == 0 && len(page.Skipped) == 0 {
			if empties++; empties > maxEmptyPages {
				return fmt.Errorf("instagram: media: %w: %d empty pages in a row", ErrMalformedResponse, empties)
			}
		} else {
			empties = 0
		}
		if err := fn(page); err != nil {
			return fmt.Errorf("instagram: media page: %w", err)
		}
		if max > 0 && delivered >= max {
			return nil
		}
		if next, err = c.nextURL(nextURL, token); err != nil {
			return fmt.Errorf("instagram: media: %w", err)
		}
	}
	return nil
}

// nextURL resolves a paging.next link and makes sure it carries the token.
func (c *Client) nextURL(next, token string) (string, error) {
	if next == "" {
		return "", nil
	}
	u, err := url.Parse(next)
	if err != nil {
		return "", fmt.Errorf("%w: bad paging.next %q", ErrMalformedResponse, Redact(next))
	}
	if !u.IsAbs() {
		base, err := url.Parse(c.cfg.GraphURL + "/")
		if err != nil {
			return "", fmt.Errorf("bad GraphURL: %w", err)
		}
		u = base.ResolveReference(u)
		next = u.String()
	}
	if q := u.Query(); q.Get("access_token") == "" {
		q.Set("access_token", token)
		u.RawQuery = q.Encode()
		next = u.String()
	}
	return next, nil
}

type mediaPageJSON struct {
	Data   *[]json.RawMessage `json:"data"`
	Paging struct {
		Next string `json:"next"`
	} `json:"paging"`
}

type mediaJSON struct {
	ID               flexID   `json:"id"`
	Caption          string   `json:"caption"`
	MediaType        string   `json:"media_type"`
	MediaProductType string   `json:"media_product_type"`
	MediaURL         string   `json:"media_url"`
	ThumbnailURL     string   `json:"thumbnail_url"`
	Permalink        string   `json:"permalink"`
	Timestamp        string   `json:"timestamp"`
	LikeCount        *flexInt `json:"like_count"`
	CommentsCount    flexInt  `json:"comments_count"`
}

// decodeMediaPage decodes a page; each item is decoded on its own so one bad
// item cannot spoil the page.
func decodeMediaPage(body []byte) (MediaPage, string, error) {
	var raw mediaPageJSON
	if err := json.Unmarshal(body, &raw); err != nil {
		return MediaPage{}, "", fmt.Errorf("%w: %v", ErrMalformedResponse, err)
	}
	if raw.Data == nil {
		return MediaPage{}, "", fmt.Errorf("%w: no data array", ErrMalformedResponse)
	}
	page := MediaPage{Items: make([]Media, 0, len(*raw.Data))}
	for i, item := range *raw.Data {
		m, err := decodeMedia(item)
		if err != nil {
			page.Skipped = append(page.Skipped, SkippedMedia{ID: itemID(item), Err: fmt.Errorf("item %d: %w", i, err)})
			continue
		}
		page.Items = append(page.Items, m)
	}
	return page, raw.Paging.Next, nil
}

func decodeMedia(item json.RawMessage) (Media, error) {
	var v mediaJSON
	if err := json.Unmarshal(item, &v); err != nil {
		return Media{}, err
	}
	if v.ID == "" {
		return Media{}, errors.New("no id")
	}
	ts, err := ParseTimestamp(v.Timestamp)
	if err != nil {
		return Media{}, err
	}
	m := Media{
		ID: string(v.ID), Caption: v.Caption, MediaType: strings.ToUpper(v.MediaType),
		MediaProductType: strings.ToUpper(v.MediaProductType), MediaURL: v.MediaURL,
		ThumbnailURL: v.ThumbnailURL, Permalink: v.Permalink,
		CommentsCount: int(v.CommentsCount), Timestamp: ts,
	}
	if v.LikeCount != nil {
		n := int(*v.LikeCount)
		m.LikeCount = &n
	}
	return m, nil
}

// itemID extracts an id from an item that failed to decode, if it has one.
func itemID(item json.RawMessage) string {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(item, &v) != nil || len(v.ID) == 0 {
		return ""
	}
	var id flexID
	if id.UnmarshalJSON(v.ID) != nil {
		return ""
	}
	return string(id)
}

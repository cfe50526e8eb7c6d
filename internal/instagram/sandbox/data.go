package sandbox

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

// Post is one sandbox media item. Its exported fields are what the fake serves.
type Post struct {
	// ID is the media id (17 digits, larger for newer posts).
	ID string
	// Caption is omitted from responses when empty.
	Caption string
	// MediaType is IMAGE, VIDEO or CAROUSEL_ALBUM.
	MediaType string
	// MediaProductType is FEED, REELS or STORY (stories are added with
	// Account.AddStory and are not listed by /me/media).
	MediaProductType string
	// MediaURL points at the sandbox's SVG image; empty for the VIDEO without media_url.
	MediaURL string
	// ThumbnailURL is set on VIDEO posts.
	ThumbnailURL string
	// Permalink is the post page on the sandbox.
	Permalink string
	// Shortcode is the code in the permalink.
	Shortcode string
	// LikeCount is nil when the owner hides like counts (no like_count key is sent).
	LikeCount *int
	// CommentsCount is the number of comments.
	CommentsCount int
	// Timestamp is the publication time, sent as "2006-01-02T15:04:05+0000".
	Timestamp time.Time
	// TooFewViewers makes the post's insights answer error #10.
	TooFewViewers bool
	// Crossposted makes a reel answer crossposted_views and facebook_views
	// (others refuse them with code 100).
	Crossposted bool
	// Override replaces rendered JSON fields of this item (a nil value removes the
	// key), e.g. {"timestamp": "yesterday"} or {"id": nil}, to make broken items.
	Override map[string]any
}

// AccountSpec describes an account to create.
type AccountSpec struct {
	// UserID is the professional account id (/me user_id); generated when empty.
	UserID string
	// Username is the handle; generated when empty.
	Username string
	// Name is the display name; derived from Username when empty.
	Name string
	// AccountType is BUSINESS or MEDIA_CREATOR (default MEDIA_CREATOR).
	AccountType string
	// Followers is the follower count (0: 1,000).
	Followers int
	// Follows is the following count (0: 180).
	Follows int
	// Posts is how many posts to generate when PostsList is empty.
	Posts int
	// Span is the period the generated posts cover, ending at Now (0: 365 days).
	Span time.Duration
	// PostsList, when non-empty, replaces generation. Empty ID, MediaType,
	// Permalink and (except for VIDEO) MediaURL are filled in.
	PostsList []Post
}

// Account is a sandbox account. Its methods are safe for concurrent use.
type Account struct {
	// UserID is the professional account id returned as /me user_id.
	UserID string
	// AppScopedID is /me id and the user_id of the code exchange (a number > 2^53).
	AppScopedID string
	// Username is the handle.
	Username string
	// Name is the display name.
	Name string
	// AccountType is BUSINESS or MEDIA_CREATOR.
	AccountType string

	base func() string // resolves relative URLs in posts

	created time.Time        // the follower ledger's day 0 is created's Pacific date
	live    bool             // followers follow the ledger after created
	now     func() time.Time // the sandbox clock
	seed    uint64           // derives the figures

	mu        sync.RWMutex
	followers int // at created (plus the ledger when live)
	follows   int
	posts     []Post // newest first; URLs may be relative to the base
	index     map[string]int
	stories   []Post
	ledger    *ledger
}

// Followers returns the follower count now.
func (a *Account) Followers() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.followersAtLocked(a.now())
}

// SetFollowers changes the follower count now.
func (a *Account) SetFollowers(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.followers += n - a.followersAtLocked(a.now())
}

// Follows returns the number of accounts followed.
func (a *Account) Follows() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.follows
}

// PostCount returns the number of posts.
func (a *Account) PostCount() int {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return len(a.posts)
}

// Posts returns a copy of the posts, newest first, with absolute URLs.
func (a *Account) Posts() []Post {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.resolved(a.posts, a.base())
}

// Post returns the post with id.
func (a *Account) Post(id string) (Post, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	i, ok := a.index[id]
	if !ok {
		return Post{}, false
	}
	return a.resolved(a.posts[i:i+1], a.base())[0], true
}

// AddPost adds p (filled in like AccountSpec.PostsList) and returns it.
func (a *Account) AddPost(p Post) Post {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := len(a.posts) + 1
	for p.ID == "" {
		id := fmt.Sprintf("18%s%09d", suffix(a.UserID, 6), n)
		if _, taken := a.index[id]; !taken {
			p.ID = id
		}
		n++
	}
	fillPost(&p, a.UserID, n)
	a.posts = append(a.posts, p)
	a.sortAndIndex()
	return a.resolved([]Post{p}, a.base())[0]
}

// AddStory adds a story (MediaProductType STORY, IMAGE unless set). Stories have
// insights but, as on Instagram, are not listed by /me/media.
func (a *Account) AddStory(p Post) Post {
	a.mu.Lock()
	defer a.mu.Unlock()
	if p.ID == "" {
		p.ID = fmt.Sprintf("19%s%09d", suffix(a.UserID, 6), len(a.stories)+1)
	}
	p.MediaProductType = "STORY"
	if p.Timestamp.IsZero() {
		p.Timestamp = a.now().UTC()
	}
	fillPost(&p, a.UserID, 0)
	a.stories = append(a.stories, p)
	return a.resolved([]Post{p}, a.base())[0]
}

// media returns the post or story with id.
func (a *Account) media(id string) (Post, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if i, ok := a.index[id]; ok {
		return a.posts[i], true
	}
	for _, p := range a.stories {
		if p.ID == id {
			return p, true
		}
	}
	return Post{}, false
}

// RemovePost deletes the post with id and reports whether it existed.
func (a *Account) RemovePost(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	i, ok := a.index[id]
	if !ok {
		return false
	}
	a.posts = slices.Delete(a.posts, i, i+1)
	a.sortAndIndex()
	return true
}

// page returns a copy of posts[offset:offset+limit] with absolute URLs and the total.
func (a *Account) page(offset, limit int, base string) ([]Post, int) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	total := len(a.posts)
	if offset >= total {
		return nil, total
	}
	return a.resolved(a.posts[offset:min(total, offset+limit)], base), total
}

func (a *Account) resolved(posts []Post, base string) []Post {
	out := make([]Post, len(posts))
	for i, p := range posts {
		p.MediaURL = absolute(base, p.MediaURL)
		p.ThumbnailURL = absolute(base, p.ThumbnailURL)
		p.Permalink = absolute(base, p.Permalink)
		out[i] = p
	}
	return out
}

func (a *Account) sortAndIndex() {
	slices.SortStableFunc(a.posts, func(x, y Post) int { return y.Timestamp.Compare(x.Timestamp) })
	a.index = make(map[string]int, len(a.posts))
	for i, p := range a.posts {
		a.index[p.ID] = i
	}
}

// absolute prefixes a sandbox-relative URL ("/media/...") with base.
func absolute(base, u string) string {
	if strings.HasPrefix(u, "/") {
		return base + u
	}
	return u
}

// fillPost completes a hand-written post; n numbers it when it has no id.
func fillPost(p *Post, userID string, n int) {
	if p.ID == "" {
		p.ID = fmt.Sprintf("18%s%09d", suffix(userID, 6), n)
	}
	p.MediaType = cmp.Or(strings.ToUpper(p.MediaType), "IMAGE")
	if p.MediaProductType == "" {
		p.MediaProductType = "FEED"
	}
	if p.Shortcode == "" {
		p.Shortcode = shortcode(p.ID)
	}
	if p.Permalink == "" {
		p.Permalink = "/p/" + p.Shortcode + "/"
	}
	if p.MediaURL == "" && p.MediaType != "VIDEO" {
		p.MediaURL = "/media/" + p.ID + ".svg"
	}
	if p.ThumbnailURL == "" && p.MediaType == "VIDEO" {
		p.ThumbnailURL = "/media/" + p.ID + ".svg?thumbnail=1"
	}
}

// suffix returns the last n digits of s, zero-padded.
func suffix(s string, n int) string {
	if len(s) >= n {
		return s[len(s)-n:]
	}
	return strings.Repeat("0", n-len(s)) + s
}

func shortcode(id string) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	sum := h.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(append(sum, byte(len(id))))[:11]
}

var (
	captionTemplates = []string{
		"Golden hour never gets old.", "Weekend mode: on.", "New week, new goals.",
		"Behind the scenes of today's shoot.", "Coffee first, everything else later.",
		"Can't believe this view was real.", "Tried a new recipe and it actually worked!",
		"Sunday reset with a long walk.", "Throwback to one of my favourite days.",
		"Small steps every day add up.", "Packing light for once.", "Studio day with the team.",
		"Morning light through the kitchen window.", "This little café deserves all the love.",
		"Sharing a few frames from the trip.", "Sweat now, smile later.",
		"Three ingredients, ten minutes, zero regrets.", "Quiet streets before the city wakes up.",
		"Swipe for the before and after.", "Trying something different with the colours today.",
		"Thank you for 1k, you are amazing.", "Q&A in the comments, ask me anything!",
		"Rainy day, good book.", "The details make the design.", "Lunch with a view.",
		"Hiking up for sunrise was worth every step.", "Fresh flowers, fresh start.",
		"A little project I've been working on.", "Street food tour, part two.", "Home is where the plants are.",
	}
	hashtags = []string{
		"#travel", "#foodie", "#fitness", "#photography", "#sunset", "#coffee", "#style",
		"#nature", "#homedecor", "#motivation", "#recipes", "#wanderlust", "#design", "#weekend", "#plants",
	}
)

// generatePosts makes n deterministic posts spread over span before now, newest first.
func generatePosts(rng *rand.Rand, n int, span time.Duration, now time.Time, userID string, followers int) []Post {
	type draft struct {
		at  time.Time
		age float64 // 0 newest .. 1 oldest
	}
	drafts := make([]draft, n)
	for i := range drafts {
		age := rng.Float64()
		t := now.Add(-time.Duration(age * float64(span)))
		hour := []int{7, 8, 12, 13, 17, 18, 18, 19, 19, 20, 20, 21}[rng.IntN(12)]
		t = time.Date(t.Year(), t.Month(), t.Day(), hour, rng.IntN(60), rng.IntN(60), 0, time.UTC)
		if t.After(now) {
			t = t.Add(-24 * time.Hour)
		}
		drafts[i] = draft{at: t, age: age}
	}
	slices.SortFunc(drafts, func(x, y draft) int { return y.at.Compare(x.at) })

	posts := make([]Post, n)
	base := float64(max(followers, 50)) * 0.06
	for i, d := range drafts {
		p := Post{ID: fmt.Sprintf("18%s%09d", suffix(userID, 6), n-i), Timestamp: d.at, Caption: caption(rng)}
		p.MediaURL = "/media/" + p.ID + ".svg"
		mul := 1.0
		switch r := rng.Float64(); {
		case r < 0.2:
			p.MediaType, p.MediaProductType, mul = "VIDEO", "REELS", 1.35
		case r < 0.45:
			p.MediaType, mul = "CAROUSEL_ALBUM", 1.15
		default:
			p.MediaType = "IMAGE"
		}
		growth := 1 + 1.3*(1-d.age)
		likes := int(base*growth*mul*math.Exp(rng.NormFloat64()*0.35)) + rng.IntN(5)
		p.CommentsCount = int(float64(likes)*(0.02+rng.Float64()*0.06)) + rng.IntN(3)
		if rng.Float64() >= 0.05 {
			p.LikeCount = &likes
		}
		posts[i] = p
	}
	if n >= 10 {
		// Guarantee the awkward cases: the 3rd newest is a reel without media_url,
		// the 5th newest hides its like count.
		posts[2].MediaType, posts[2].MediaProductType = "VIDEO", "REELS"
		posts[4].LikeCount = nil
	}
	for i := range posts {
		fillPost(&posts[i], userID, 0)
		posts[i].Crossposted = posts[i].MediaProductType == "REELS" && unit(0, "crosspost:"+posts[i].ID, 0) < 0.35
	}
	if n >= 10 {
		posts[2].MediaURL = ""
	}
	return posts
}

func caption(rng *rand.Rand) string {
	if rng.Float64() < 0.03 {
		return ""
	}
	c := captionTemplates[rng.IntN(len(captionTemplates))]
	for _, i := range rng.Perm(len(hashtags))[:rng.IntN(5)] {
		tag := hashtags[i]
		switch r := rng.Float64(); {
		case r < 0.08:
			tag = strings.ToUpper(tag)
		case r < 0.18:
			tag = "#" + strings.ToUpper(tag[1:2]) + tag[2:]
		}
		c += " " + tag
	}
	return c
}

// seedFor derives a per-account random source from the sandbox seed.
func seedFor(seed int64, userID string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(userID))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// seedValue derives a per-account seed for the insights figures.
func seedValue(seed int64, userID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(userID))
	return uint64(seed)*0x9E3779B97F4A7C15 ^ h.Sum64()
}

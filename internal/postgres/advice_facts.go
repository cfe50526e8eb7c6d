package postgres

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"

	"creatorgrowth/internal/advice"
)

// adviceDaysQuery reads the records of the posts of the UTC dates $2 to
// $3 (advice_post_days, kept by the post triggers of migration 0018),
// newest date first: with each date's records newest first, ties by id
// descending, the whole is in that order. Each row also carries the
// number of posts of all the dates, to allocate for them at once.
const adviceDaysQuery = `SELECT sum(posts) OVER (), facts FROM advice_post_days
	WHERE account_id = $1 AND day >= $2::date AND day <= $3::date ORDER BY day DESC`

// errBadFacts is a record of advice_post_days that does not read back.
var errBadFacts = errors.New("malformed post record")

// WindowPosts returns the account's posts with posted_at in (after, upTo]
// (to the microsecond, as PostgreSQL keeps them) as the recommendations
// read them, newest first (ties by id, descending): no media URL and no
// caption text, only the caption's length (CaptionChars) and its number
// of hashtags; Permalink only for videos without a product type; the
// latest insights reading's saved, shares, reach, views and skip rate,
// nil where it reported none.
//
// It reads the posts' records from advice_post_days, one row per UTC
// date of the window rather than one per post (see advice_post_fact in
// migration 0018 for the layout), and keeps those inside the bounds.
func (s *Advice) WindowPosts(ctx context.Context, accountID string, after, upTo time.Time) ([]advice.Post, error) {
	after, upTo = after.UTC().Round(time.Microsecond), upTo.UTC().Round(time.Microsecond)
	if !upTo.After(after) {
		return []advice.Post{}, nil
	}
	st, err := s.stmts.get(ctx, adviceDaysQuery)
	if err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	rows, err := st.QueryContext(ctx, accountID, after.Format(time.DateOnly), upTo.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	defer rows.Close()
	d := factDecoder{after: after.UnixMicro(), upTo: upTo.UnixMicro(), out: []advice.Post{}}
	for first := true; rows.Next(); first = false {
		var (
			total int
			facts sql.RawBytes
		)
		if err := rows.Scan(&total, &facts); err != nil {
			return nil, fmt.Errorf("advice posts: %w", err)
		}
		if first {
			d.out, d.ids = make([]advice.Post, 0, total), make([]byte, 0, total*uuidLen)
			d.linkEnd = make([]int, 0, total)
		}
		if err := d.decode(facts); err != nil {
			return nil, fmt.Errorf("advice posts: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("advice posts: %w", err)
	}
	return d.finish(), nil
}

// factDecoder turns records of advice_post_days into posts, keeping those
// posted in (after, upTo] (Unix microseconds).
type factDecoder struct {
	after, upTo int64
	out         []advice.Post
	ids         []byte // the posts' ids, written out one after the other
	links       []byte // the permalinks, one after the other
	linkEnd     []int  // where each post's permalink ends in links
	ints        blocks[int64]
	skips       blocks[float64]
}

// uuidLen is the length of an id written out.
const uuidLen = 36

// decode appends the posts of one date's records.
func (d *factDecoder) decode(b []byte) error {
	for len(b) > 0 {
		const fixed = 16 + 8*8 + 2*4 // id, nine 8-byte fields, two 4-byte ones
		if len(b) < fixed {
			return errBadFacts
		}
		id, at := b[:16], int64(binary.BigEndian.Uint64(b[16:]))
		f := b[24:]
		u64 := func(i int) int64 { return int64(binary.BigEndian.Uint64(f[8*i:])) }
		likes, comms, saved, shares, reach, views := u64(0), u64(1), u64(2), u64(3), u64(4), u64(5)
		skip := math.Float64frombits(binary.BigEndian.Uint64(f[48:]))
		chars, tags := int32(binary.BigEndian.Uint32(f[56:])), int32(binary.BigEndian.Uint32(f[60:]))
		b = b[fixed:]
		var texts [3][]byte // media_type, media_product_type, permalink
		for i := range texts {
			if len(b) < 4 {
				return errBadFacts
			}
			n := binary.BigEndian.Uint32(b)
			if uint64(n) > uint64(len(b)-4) {
				return errBadFacts
			}
			texts[i], b = b[4:4+n], b[4+n:]
		}
		if at <= d.after || at > d.upTo {
			continue
		}
		d.ids = appendUUID(d.ids, id)
		d.links = append(d.links, texts[2]...)
		d.linkEnd = append(d.linkEnd, len(d.links))
		d.out = append(d.out, advice.Post{
			PostedAt:  time.UnixMicro(at).UTC(),
			MediaType: knownName(texts[0]), MediaProductType: knownName(texts[1]),
			CaptionChars: int(chars), HashtagCount: int(tags), Comments: comms,
			Likes: d.ints.known(likes), Saved: d.ints.known(saved), Shares: d.ints.known(shares),
			Reach: d.ints.known(reach), Views: d.ints.known(views), SkipRate: d.skips.known(skip),
		})
	}
	return nil
}

// finish sets the posts' ids and permalinks, substrings of one string
// each rather than one allocation per post, and returns the posts.
func (d *factDecoder) finish() []advice.Post {
	ids, links := string(d.ids), string(d.links)
	from := 0
	for i := range d.out {
		d.out[i].ID = ids[i*uuidLen : (i+1)*uuidLen]
		d.out[i].Permalink, from = links[from:d.linkEnd[i]], d.linkEnd[i]
	}
	return d.out
}

// appendUUID writes out the 16 bytes of an id as PostgreSQL does.
func appendUUID(dst, id []byte) []byte {
	var s [uuidLen]byte
	hex.Encode(s[0:8], id[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], id[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], id[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], id[8:10])
	s[23] = '-'
	hex.Encode(s[24:], id[10:16])
	return append(dst, s[:]...)
}

// knownName returns b as a string, the media and product types without
// an allocation.
func knownName(b []byte) string {
	for _, t := range [...]string{"IMAGE", "VIDEO", "CAROUSEL_ALBUM", "FEED", "REELS", "STORY"} {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}

// blocks hands out pointers to values allocated 256 at a time.
type blocks[T int64 | float64] struct{ cur []T }

// known returns a pointer to v, or nil for a negative v (unknown).
func (b *blocks[T]) known(v T) *T {
	if v < 0 {
		return nil
	}
	if len(b.cur) == cap(b.cur) {
		b.cur = make([]T, 0, 256)
	}
	b.cur = append(b.cur, v)
	return &b.cur[len(b.cur)-1]
}

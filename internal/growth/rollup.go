package growth

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"time"

	"creatorgrowth/internal/postgres"
)

// A report from growth_days (migrations/0019, 0021, rollupQuery): the whole UTC
// dates of a window are one row each, the dates its edges cut through are
// summed from their posts, and each comes with its sums per UTC hour or
// quarter-hour. When every offset of the zone in the window, and every
// instant it changes, falls on whole hours (quarter-hours), each such
// bucket lies within one local hour of one local date, so daily and the
// posting slots are sums of buckets. Zones that do not (offsets of local
// mean time, in windows long past) are computed post by post (statsQuery).

// bucketSize returns the bucket, in seconds, that the zone's offsets over
// the window allow (3600 or 900), or 0 when neither does.
func bucketSize(from []string, offsets []int64) int64 {
	for _, size := range []int64{3600, 900} {
		ok := len(from) < 64
		for i, o := range offsets {
			if o%size != 0 {
				ok = false
			}
			if i == 0 {
				continue // the window start, not a change
			}
			t, err := time.Parse(time.RFC3339Nano, from[i])
			if err != nil || t.Nanosecond() != 0 || t.Unix()%size != 0 {
				ok = false
			}
		}
		if ok {
			return size
		}
	}
	return 0
}

// utcMidnight returns the UTC midnight at or before t.
func utcMidnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// rollupStatement returns the prepared rollupQuery, preparing it on first
// use.
func (s *Service) rollupStatement(ctx context.Context) (*sql.Stmt, error) {
	return s.prepared(ctx, &s.rollupStmt, rollupQuery)
}

// computeRollup computes the report with rollupQuery, in buckets of size
// seconds.
func (s *Service) computeRollup(ctx context.Context, acc postgres.Account, period int, tz *time.Location, now, prevStart, start, weekStart time.Time,
	from []string, offsets []int64, size int64) (Stats, horizon, error) {
	st, err := s.rollupStatement(ctx)
	if err != nil {
		return Stats{}, horizon{}, err
	}
	var (
		r      rowScan
		packed []byte
		edge   postArrays
	)
	dest := r.dest(acc, period, start, now, &packed,
		&edge.at, &edge.mediaType, &edge.likes, &edge.comments, &edge.views, &edge.reach,
		&edge.tag, &edge.tagEng)
	day := 24 * time.Hour
	err = st.QueryRowContext(ctx, acc.ID, prevStart, start, now, weekStart, period, acc.Followers,
		utcMidnight(prevStart).Add(day), utcMidnight(start), utcMidnight(start).Add(day), utcMidnight(now),
		utcMidnight(weekStart).Add(day), size == 900).Scan(dest...)
	if err != nil {
		return Stats{}, r.h, fmt.Errorf("growth stats: %w", err)
	}
	out, sums, err := r.report(tz)
	if err != nil {
		return Stats{}, r.h, err
	}
	z := zoneOffsets{start: start.Unix(), from: make([]int64, len(from)), offsets: offsets}
	for i, f := range from {
		t, err := time.Parse(time.RFC3339Nano, f)
		if err != nil {
			return Stats{}, r.h, fmt.Errorf("growth stats: zone segment: %w", err)
		}
		z.from[i] = t.Unix()
	}
	if err := sums.add(packed, size, z, localDay(start, tz), out.Daily); err != nil {
		return Stats{}, r.h, err
	}
	// An edge post counts at its own local second, which lies in the same
	// local hour of the same date as its bucket's start: the offsets and
	// their changes fall on bucket boundaries (bucketSize).
	if err := sums.addPosts(edge, z.local, localDay(start, tz), out.Daily); err != nil {
		return Stats{}, r.h, err
	}
	out.MediaTypes, out.BestPostingTimes, out.TopHashtags = sums.mediaTypes(), sums.postingTimes(), sums.hashtags()
	out.Message = Message(out.LikesTrend, int(out.TotalPosts), int(out.PostsThisWeek))
	return out, r.h, nil
}

// zoneOffsets are the zone's offsets over a window, as zoneSegments gives
// them, in Unix seconds.
type zoneOffsets struct {
	start   int64
	from    []int64
	offsets []int64
}

// at returns the offset in force at Unix second t (the window start's for
// any t before it).
func (z zoneOffsets) at(t int64) int64 {
	i := len(z.from) - 1
	for i > 0 && t < z.from[i] {
		i--
	}
	return z.offsets[i]
}

// local returns the local second of Unix second t (by the window start's
// offset before the window).
func (z zoneOffsets) local(t int64) int64 { return t + z.at(max(t, z.start)) }

// windowSums are the current window's sums that depend on the zone or
// need more than one number per window.
type windowSums struct {
	media map[string]*mediaSum
	tags  map[string]*tagSum
	slots [7 * 24]slotSum
}

type mediaSum struct{ posts, likes, comments int64 }

type tagSum struct{ posts, eng int64 }

type slotSum struct{ posts, eng int64 }

// add adds up the packed rows of rollupQuery, each as growth_ranges
// writes it (migrations/0021): its first bucket, then its media types,
// hashtags and buckets, each list after its length. daily gets each
// bucket's sums on its local date, startDay being the local date of
// daily[0] in days since 1970-01-01.
func (w *windowSums) add(packed []byte, size int64, z zoneOffsets, startDay int64, daily []Day) error {
	r := reader{b: packed}
	for r.off < len(r.b) && !r.bad {
		base := r.int()
		for n := r.count(); n > 0; n-- {
			mt := r.field()
			m := w.media[string(mt)] // no copy of mt to look it up
			if m == nil {
				m = &mediaSum{}
				w.media[string(mt)] = m
			}
			m.posts += r.int()
			m.likes += r.int()
			m.comments += r.int()
		}
		for n := r.count(); n > 0; n-- {
			tag := r.field()
			t := w.tags[string(tag)]
			if t == nil {
				t = &tagSum{}
				w.tags[string(tag)] = t
			}
			t.posts += r.int()
			t.eng += r.int()
		}
		for n := r.count(); n > 0; n-- {
			k, posts := r.int(), r.int()
			b := bucketSums{posts: posts >> 2, likes: r.int(), comments: r.int(), hasViews: posts&2 != 0, hasReach: posts&1 != 0}
			if b.hasViews {
				b.views = r.int()
			}
			if b.hasReach {
				b.reach = r.int()
			}
			if r.bad {
				break
			}
			if err := w.bucket((base+k)*size, b, z, startDay, daily); err != nil {
				return err
			}
		}
	}
	if r.bad {
		return fmt.Errorf("growth stats: packed rows: malformed at byte %d of %d", r.off, len(r.b))
	}
	return nil
}

// bucketSums are the sums of the posts of one bucket.
type bucketSums struct {
	posts, likes, comments, views, reach int64
	hasViews, hasReach                   bool // a post reports views (reach)
}

// bucket adds b, the bucket that starts at Unix second at, to its local
// date in daily and to its posting slot.
func (w *windowSums) bucket(at int64, b bucketSums, z zoneOffsets, startDay int64, daily []Day) error {
	return w.local(z.local(at), b, startDay, daily)
}

// local adds b at local second local (seconds since 1970-01-01 local
// midnight) to its date in daily and to its posting slot.
func (w *windowSums) local(local int64, b bucketSums, startDay int64, daily []Day) error {
	i := local/86400 - startDay
	if local < 0 || i < 0 || i >= int64(len(daily)) {
		return fmt.Errorf("growth stats: posts on day %d of %d", i, len(daily))
	}
	d := &daily[i]
	d.Posts += b.posts
	d.Likes += b.likes
	d.Comments += b.comments
	if b.hasViews {
		addTo(&d.Views, b.views)
	}
	if b.hasReach {
		addTo(&d.Reach, b.reach)
	}
	weekday, hour := (local/86400+4)%7, (local/3600)%24
	s := &w.slots[weekday*24+hour]
	s.posts += b.posts
	s.eng += b.likes + b.comments
	return nil
}

// postArrays are posts as the statements return them: for rollupQuery
// those of the dates the current window's edges cut through, for statsQuery
// those of the window. Per post (in the same order) its Unix second (its
// local second for statsQuery), media type ("" for none), like and comment counts (0 for
// hidden or missing), views and reach; per hashtag of a post, once, the
// tag and the post's engagement (likes + comments).
type postArrays struct {
	at, likes, comments int64s
	mediaType           strs
	views, reach        nullInt64s
	tag                 strs
	tagEng              int64s
}

// addMedia counts a post of media type mt.
func (w *windowSums) addMedia(mt string, likes, comments int64) {
	m := w.media[mt]
	if m == nil {
		m = &mediaSum{}
		w.media[mt] = m
	}
	m.posts++
	m.likes += likes
	m.comments += comments
}

// addPosts adds posts one by one to their dates, posting slots, media
// types and tags, local giving the local second each is counted at from
// its time in e.at.
func (w *windowSums) addPosts(e postArrays, local func(at int64) int64, startDay int64, daily []Day) error {
	n := len(e.at)
	if len(e.mediaType) != n || len(e.likes) != n || len(e.comments) != n || len(e.views) != n || len(e.reach) != n ||
		len(e.tagEng) != len(e.tag) {
		return fmt.Errorf("growth stats: posts: arrays of %d, %d, %d, %d, %d, %d posts and %d, %d tags",
			n, len(e.mediaType), len(e.likes), len(e.comments), len(e.views), len(e.reach), len(e.tag), len(e.tagEng))
	}
	for i, at := range e.at {
		w.addMedia(e.mediaType[i], e.likes[i], e.comments[i])
		b := bucketSums{posts: 1, likes: e.likes[i], comments: e.comments[i],
			views: e.views[i].Int64, reach: e.reach[i].Int64, hasViews: e.views[i].Valid, hasReach: e.reach[i].Valid}
		if err := w.local(local(at), b, startDay, daily); err != nil {
			return err
		}
	}
	for k, tag := range e.tag {
		t := w.tags[tag]
		if t == nil {
			t = &tagSum{}
			w.tags[tag] = t
		}
		t.posts++
		t.eng += e.tagEng[k]
	}
	return nil
}

// addTo adds v to *p, pointing p at a new sum first when it is nil. The
// sums are the report's own, so they are added in place.
func addTo(p **int64, v int64) {
	if *p == nil {
		*p = new(int64)
	}
	**p += v
}

// mediaTypes returns the media types by posts, then type in byte order.
func (w *windowSums) mediaTypes() []MediaType {
	out := make([]MediaType, 0, len(w.media))
	for mt, m := range w.media {
		out = append(out, MediaType{MediaType: mt, Posts: m.posts,
			AvgLikes: roundRatio(m.likes, m.posts, 2), AvgComments: roundRatio(m.comments, m.posts, 2)})
	}
	slices.SortFunc(out, func(a, b MediaType) int {
		return cmp.Or(cmp.Compare(b.Posts, a.Posts), cmp.Compare(a.MediaType, b.MediaType))
	})
	return out
}

// postingTimes returns the three slots of at least two posts with the
// highest average engagement, then more posts, then the earlier weekday
// and hour.
func (w *windowSums) postingTimes() []PostingTime {
	type slot struct {
		i int
		slotSum
	}
	var cands []slot
	for i, s := range w.slots {
		if s.posts >= 2 {
			cands = append(cands, slot{i, s})
		}
	}
	slices.SortFunc(cands, func(a, b slot) int {
		return cmp.Or(cmpRatio(b.eng, b.posts, a.eng, a.posts), cmp.Compare(b.posts, a.posts), cmp.Compare(a.i, b.i))
	})
	out := make([]PostingTime, 0, 3)
	for _, c := range cands[:min(3, len(cands))] {
		out = append(out, PostingTime{Weekday: c.i / 24, Hour: c.i % 24, Posts: c.posts, AvgEngagement: roundRatio(c.eng, c.posts, 2)})
	}
	return out
}

// hashtags returns the five tags of at least two posts with the highest
// average engagement, then more posts, then the tag in byte order.
func (w *windowSums) hashtags() []Hashtag {
	type tag struct {
		name string
		tagSum
	}
	var cands []tag
	for name, t := range w.tags {
		if t.posts >= 2 {
			cands = append(cands, tag{name, *t})
		}
	}
	slices.SortFunc(cands, func(a, b tag) int {
		return cmp.Or(cmpRatio(b.eng, b.posts, a.eng, a.posts), cmp.Compare(b.posts, a.posts), cmp.Compare(a.name, b.name))
	})
	out := make([]Hashtag, 0, 5)
	for _, c := range cands[:min(5, len(cands))] {
		out = append(out, Hashtag{Tag: c.name, Posts: c.posts, AvgEngagement: roundRatio(c.eng, c.posts, 2)})
	}
	return out
}

// cmpRatio compares a/b with c/d exactly (b, d > 0). The statements rank
// averages at 30 decimals, which separates any two different ratios of
// these sizes, so the exact order is theirs.
func cmpRatio(a, b, c, d int64) int {
	const small = 1 << 31
	if a > -small && a < small && c > -small && c < small && b < small && d < small {
		return cmp.Compare(a*d, c*b)
	}
	x := new(big.Int).Mul(big.NewInt(a), big.NewInt(d))
	return x.Cmp(new(big.Int).Mul(big.NewInt(c), big.NewInt(b)))
}

// roundRatio returns num/den (den > 0) rounded to places decimals half away
// from zero, as PostgreSQL's round(numeric) rounds the quotient: the
// quotient is computed to at least 16 significant digits first, and a
// ratio of integers is never within that of a rounding boundary without
// being on it, so rounding the exact ratio gives the same digits. The
// float is the one the decimal's text would parse to.
func roundRatio(num, den int64, places int) float64 {
	scale := int64(math.Pow10(places))
	if hi, lo := bits.Mul64(uint64(abs(num)), uint64(scale)*2); hi == 0 && lo < 1<<62 && den < 1<<61 {
		// |num|·scale/den rounded: (2·|num|·scale + den) / (2·den).
		q := (int64(lo) + den) / (2 * den)
		if num < 0 {
			q = -q
		}
		if q > -(1<<53) && q < 1<<53 {
			return float64(q) / float64(scale)
		}
	}
	r := new(big.Int).Mul(big.NewInt(num), big.NewInt(scale))
	r.Abs(r).Lsh(r, 1).Add(r, big.NewInt(den))
	r.Quo(r, new(big.Int).Lsh(big.NewInt(den), 1))
	if num < 0 {
		r.Neg(r)
	}
	s := r.String()
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	for len(s) <= places {
		s = "0" + s
	}
	s = s[:len(s)-places] + "." + s[len(s)-places:]
	if neg {
		s = "-" + s
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// reader reads the packed rows from off on. A malformed or short field
// sets bad and reads as zero (empty), as does every field after it; a
// read only moves off, so that it writes no pointer.
type reader struct {
	b   []byte
	off int
	bad bool
}

// take returns the offset of the next n bytes and moves past them, or
// sets bad.
func (r *reader) take(n int) (int, bool) {
	if r.bad || n < 0 || n > len(r.b)-r.off {
		r.bad, r.off = true, len(r.b)
		return 0, false
	}
	o := r.off
	r.off += n
	return o, true
}

// int reads an integer as growth_int writes it: a byte below 248 is
// itself; 249, 250 and 251 are followed by 2, 3 and 4 bytes of an
// unsigned big-endian integer, 255 by the 8 of an int8.
func (r *reader) int() int64 {
	o, ok := r.take(1)
	if !ok {
		return 0
	}
	c := r.b[o]
	if c < 248 {
		return int64(c)
	}
	var n int
	switch c {
	case 249, 250, 251:
		n = int(c) - 247
	case 255:
		n = 8
	default:
		r.bad, r.off = true, len(r.b)
		return 0
	}
	o, ok = r.take(n)
	if !ok {
		return 0
	}
	var v uint64
	for _, b := range r.b[o : o+n] {
		v = v<<8 | uint64(b)
	}
	return int64(v)
}

// count reads the length of a list; one that more items than bytes are
// left for is malformed.
func (r *reader) count() int64 {
	n := r.int()
	if n < 0 || n > int64(len(r.b)-r.off) {
		r.bad, r.off = true, len(r.b)
		return 0
	}
	return n
}

// field reads a text as growth_string writes it: its length, then its
// bytes.
func (r *reader) field() []byte {
	n := r.int()
	if n < 0 || n > int64(len(r.b)-r.off) {
		r.bad, r.off = true, len(r.b)
		return nil
	}
	o, ok := r.take(int(n))
	if !ok {
		return nil
	}
	return r.b[o : o+int(n)]
}

package growth

import (
	"context"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"creatorgrowth/internal/testdb"
)

// packedRow is one row as growth_ranges packs it: buckets relative to
// base.
type packedRow struct {
	base    int64
	media   []packedMedia
	tags    []packedTag
	buckets []packedBucket
}

type packedMedia struct {
	mt                     string
	posts, likes, comments int64
}

type packedTag struct {
	tag        string
	posts, eng int64
}

type packedBucket struct {
	k, posts                      int64
	hasViews, hasReach            bool
	likes, comments, views, reach int64
}

// appendInt appends v as growth_int writes it.
func appendInt(b []byte, v int64) []byte {
	switch {
	case v >= 0 && v < 248:
		return append(b, byte(v))
	case v >= 0 && v < 1<<16:
		return append(b, 249, byte(v>>8), byte(v))
	case v >= 0 && v < 1<<24:
		return append(b, 250, byte(v>>16), byte(v>>8), byte(v))
	case v >= 0 && v < 1<<32:
		return binary.BigEndian.AppendUint32(append(b, 251), uint32(v))
	}
	return binary.BigEndian.AppendUint64(append(b, 255), uint64(v))
}

func appendString(b []byte, s string) []byte { return append(appendInt(b, int64(len(s))), s...) }

func (p packedRow) bytes() []byte {
	out := appendInt(nil, p.base)
	out = appendInt(out, int64(len(p.media)))
	for _, m := range p.media {
		out = appendInt(appendInt(appendInt(appendString(out, m.mt), m.posts), m.likes), m.comments)
	}
	out = appendInt(out, int64(len(p.tags)))
	for _, t := range p.tags {
		out = appendInt(appendInt(appendString(out, t.tag), t.posts), t.eng)
	}
	out = appendInt(out, int64(len(p.buckets)))
	for _, b := range p.buckets {
		n := b.posts * 4
		if b.hasViews {
			n += 2
		}
		if b.hasReach {
			n++
		}
		out = appendInt(appendInt(appendInt(appendInt(out, b.k), n), b.likes), b.comments)
		if b.hasViews {
			out = appendInt(out, b.views)
		}
		if b.hasReach {
			out = appendInt(out, b.reach)
		}
	}
	return out
}

// packedSample is two dates of a window in UTC that starts on
// 2026-11-01: hours 1 and 33 (09:00 on 2026-11-02), with and without
// views and reach, and numbers of every width.
func packedSample() ([]byte, int) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix() / 3600
	a := packedRow{
		base:  day,
		media: []packedMedia{{"IMAGE", 2, 30, 4}, {"", 1, 5, 0}},
		tags:  []packedTag{{"#sea", 2, 20}, {"#東京", 1, 9}},
		buckets: []packedBucket{
			{k: 1, posts: 3, hasViews: true, likes: 35, comments: 4, views: 70_000_000_000},
		},
	}.bytes()
	b := packedRow{
		base:    day + 24,
		media:   []packedMedia{{"IMAGE", 1, 300, 1}},
		tags:    []packedTag{{"#sea", 1, 301}},
		buckets: []packedBucket{{k: 9, posts: 1, hasViews: true, hasReach: true, likes: 300, comments: 1, views: 90_000, reach: -1}},
	}.bytes()
	return append(a, b...), len(a)
}

func newWindowSums() *windowSums {
	return &windowSums{media: map[string]*mediaSum{}, tags: map[string]*tagSum{}}
}

func TestWindowSums_Add(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	z := zoneOffsets{start: start.Unix(), from: []int64{start.Unix()}, offsets: []int64{0}}
	daily := make([]Day, 3)
	w := newWindowSums()
	packed, _ := packedSample()
	if err := w.add(packed, 3600, z, start.Unix()/86400, daily); err != nil {
		t.Fatal(err)
	}
	if m := w.media["IMAGE"]; m == nil || *m != (mediaSum{3, 330, 5}) {
		t.Errorf("IMAGE: %+v, want {3 330 5}", m)
	}
	if m := w.media[""]; m == nil || *m != (mediaSum{1, 5, 0}) {
		t.Errorf("no media type: %+v, want {1 5 0}", m)
	}
	if tg := w.tags["#sea"]; tg == nil || *tg != (tagSum{3, 321}) {
		t.Errorf("#sea: %+v, want {3 321}", tg)
	}
	if tg := w.tags["#東京"]; tg == nil || *tg != (tagSum{1, 9}) {
		t.Errorf("#東京: %+v, want {1 9}", tg)
	}
	d0, d1 := daily[0], daily[1]
	if d0.Posts != 3 || d0.Likes != 35 || d0.Comments != 4 || d0.Views == nil || *d0.Views != 70_000_000_000 || d0.Reach != nil {
		t.Errorf("2026-11-01: %+v, want 3 posts, 35 likes, 4 comments, 70,000,000,000 views, reach unknown", d0)
	}
	if d1.Posts != 1 || d1.Likes != 300 || d1.Views == nil || *d1.Views != 90_000 || d1.Reach == nil || *d1.Reach != -1 {
		t.Errorf("2026-11-02: %+v, want 1 post, 300 likes, 90,000 views, -1 reach", d1)
	}
	if daily[2].Posts != 0 || daily[2].Views != nil {
		t.Errorf("2026-11-03: %+v, want nothing", daily[2])
	}
	// 2026-11-01 is a Sunday (weekday 0): 01:00; 2026-11-02 09:00.
	if s := w.slots[0*24+1]; s != (slotSum{3, 39}) {
		t.Errorf("Sunday 01:00: %+v, want {3 39}", s)
	}
	if s := w.slots[1*24+9]; s != (slotSum{1, 301}) {
		t.Errorf("Monday 09:00: %+v, want {1 301}", s)
	}
}

// Every cut of the packed rows but at a row boundary is an error, never a
// panic or a silent partial sum.
func TestWindowSums_AddTruncated(t *testing.T) {
	packed, first := packedSample()
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	z := zoneOffsets{start: start.Unix(), from: []int64{start.Unix()}, offsets: []int64{0}}
	for n := range len(packed) {
		err := newWindowSums().add(packed[:n], 3600, z, start.Unix()/86400, make([]Day, 3))
		if boundary := n == 0 || n == first; boundary != (err == nil) {
			t.Errorf("cut at %d of %d bytes: %v", n, len(packed), err)
		}
	}
	// A byte that starts no integer.
	bad := append([]byte{}, packed...)
	bad[0] = 252
	if err := newWindowSums().add(bad, 3600, z, start.Unix()/86400, make([]Day, 3)); err == nil {
		t.Error("a row starting with byte 252 was read")
	}
}

func FuzzWindowSums_Add(f *testing.F) {
	packed, _ := packedSample()
	f.Add(packed)
	f.Add([]byte{0, 0, 0, 1, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	z := zoneOffsets{start: start.Unix(), from: []int64{start.Unix()}, offsets: []int64{0}}
	f.Fuzz(func(t *testing.T, packed []byte) {
		_ = newWindowSums().add(packed, 3600, z, start.Unix()/86400, make([]Day, 3))
	})
}

// growth_int and growth_string in SQL write what reader reads, at every
// width's edges.
func TestGrowthInt_MatchesSQL(t *testing.T) {
	db := testdb.New(t)
	values := []int64{0, 1, 247, 248, 255, 256, 65535, 65536, 1<<24 - 1, 1 << 24, 1<<32 - 1, 1 << 32,
		math.MaxInt64, -1, -248, math.MinInt64}
	texts := []string{"", "IMAGE", "#東京", strings.Repeat("x", 300)}
	var packed []byte
	err := db.QueryRowContext(context.Background(), `
		SELECT string_agg(growth_int(v), ''::bytea ORDER BY i)
			|| (SELECT string_agg(growth_string(s), ''::bytea ORDER BY j) FROM unnest($2::text[]) WITH ORDINALITY AS t(s, j))
		FROM unnest($1::bigint[]) WITH ORDINALITY AS u(v, i)`, pq.Array(values), pq.Array(texts)).Scan(&packed)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, v := range values {
		want = appendInt(want, v)
	}
	for _, s := range texts {
		want = appendString(want, s)
	}
	if string(packed) != string(want) {
		t.Fatalf("SQL wrote % x,\nwant % x", packed, want)
	}
	r := reader{b: packed}
	for _, v := range values {
		if got := r.int(); got != v {
			t.Errorf("read %d, want %d", got, v)
		}
	}
	for _, s := range texts {
		if got := string(r.field()); got != s {
			t.Errorf("read %q, want %q", got, s)
		}
	}
	if r.bad || r.off != len(packed) {
		t.Errorf("bad %v, %d of %d bytes read", r.bad, r.off, len(packed))
	}
}

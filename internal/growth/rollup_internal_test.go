package growth

import (
	"encoding/binary"
	"testing"
	"time"
)

// packedRow is one row as growth_ranges packs it.
type packedRow struct {
	media   []packedMedia
	tags    []packedTag
	buckets []packedBucket
}

type packedMedia struct {
	mt              string
	posts           uint32
	likes, comments int64
}

type packedTag struct {
	tag   string
	posts uint32
	eng   int64
}

type packedBucket struct {
	k, n                          uint32
	likes, comments, views, reach int64
}

func (p packedRow) bytes() []byte {
	be := binary.BigEndian
	var facts, buckets []byte
	facts = be.AppendUint32(facts, uint32(len(p.media)))
	for _, m := range p.media {
		facts = be.AppendUint32(facts, uint32(len(m.mt)))
		facts = append(facts, m.mt...)
		facts = be.AppendUint32(facts, m.posts)
		facts = be.AppendUint64(be.AppendUint64(facts, uint64(m.likes)), uint64(m.comments))
	}
	for _, t := range p.tags {
		facts = be.AppendUint32(facts, uint32(len(t.tag)))
		facts = append(facts, t.tag...)
		facts = be.AppendUint64(be.AppendUint32(facts, t.posts), uint64(t.eng))
	}
	for _, b := range p.buckets {
		buckets = be.AppendUint32(be.AppendUint32(buckets, b.k), b.n)
		for _, v := range []int64{b.likes, b.comments, b.views, b.reach} {
			buckets = be.AppendUint64(buckets, uint64(v))
		}
	}
	out := be.AppendUint32(nil, uint32(len(facts)))
	out = append(out, facts...)
	out = be.AppendUint32(out, uint32(len(buckets)))
	return append(out, buckets...)
}

// packedSample is two dates of a window in UTC that starts on
// 2026-11-01: hours 1 and 26 (09:00 on 2026-11-02), with and without
// views and reach.
func packedSample() []byte {
	day := uint32(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix() / 3600)
	a := packedRow{
		media: []packedMedia{{"IMAGE", 2, 30, 4}, {"", 1, 5, 0}},
		tags:  []packedTag{{"#sea", 2, 20}, {"#東京", 1, 9}},
		buckets: []packedBucket{
			{k: day + 1, n: 3 | 1<<30, likes: 35, comments: 4, views: 700},
		},
	}
	b := packedRow{
		media:   []packedMedia{{"IMAGE", 1, 7, 1}},
		tags:    []packedTag{{"#sea", 1, 8}},
		buckets: []packedBucket{{k: day + 33, n: 1 | 1<<30 | 1<<29, likes: 7, comments: 1, views: 90, reach: 60}},
	}
	return append(a.bytes(), b.bytes()...)
}

func newWindowSums() *windowSums {
	return &windowSums{media: map[string]*mediaSum{}, tags: map[string]*tagSum{}}
}

func TestWindowSums_Add(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	z := zoneOffsets{start: start.Unix(), from: []int64{start.Unix()}, offsets: []int64{0}}
	daily := make([]Day, 3)
	w := newWindowSums()
	if err := w.add(packedSample(), 3600, z, start.Unix()/86400, daily); err != nil {
		t.Fatal(err)
	}
	if m := w.media["IMAGE"]; m == nil || *m != (mediaSum{3, 37, 5}) {
		t.Errorf("IMAGE: %+v, want {3 37 5}", m)
	}
	if m := w.media[""]; m == nil || *m != (mediaSum{1, 5, 0}) {
		t.Errorf("no media type: %+v, want {1 5 0}", m)
	}
	if tg := w.tags["#sea"]; tg == nil || *tg != (tagSum{3, 28}) {
		t.Errorf("#sea: %+v, want {3 28}", tg)
	}
	if tg := w.tags["#東京"]; tg == nil || *tg != (tagSum{1, 9}) {
		t.Errorf("#東京: %+v, want {1 9}", tg)
	}
	d0, d1 := daily[0], daily[1]
	if d0.Posts != 3 || d0.Likes != 35 || d0.Comments != 4 || d0.Views == nil || *d0.Views != 700 || d0.Reach != nil {
		t.Errorf("2026-11-01: %+v, want 3 posts, 35 likes, 4 comments, 700 views, reach unknown", d0)
	}
	if d1.Posts != 1 || d1.Views == nil || *d1.Views != 90 || d1.Reach == nil || *d1.Reach != 60 {
		t.Errorf("2026-11-02: %+v, want 1 post, 90 views, 60 reach", d1)
	}
	if daily[2].Posts != 0 || daily[2].Views != nil {
		t.Errorf("2026-11-03: %+v, want nothing", daily[2])
	}
	// 2026-11-01 is a Sunday (weekday 0): 01:00; 2026-11-02 09:00.
	if s := w.slots[0*24+1]; s != (slotSum{3, 39}) {
		t.Errorf("Sunday 01:00: %+v, want {3 39}", s)
	}
	if s := w.slots[1*24+9]; s != (slotSum{1, 8}) {
		t.Errorf("Monday 09:00: %+v, want {1 8}", s)
	}
}

// Every cut of the packed rows but at a row boundary is an error, never a
// panic or a silent partial sum.
func TestWindowSums_AddTruncated(t *testing.T) {
	packed := packedSample()
	first := len(packedRow{
		media: []packedMedia{{"IMAGE", 2, 30, 4}, {"", 1, 5, 0}},
		tags:  []packedTag{{"#sea", 2, 20}, {"#東京", 1, 9}},
		buckets: []packedBucket{{k: uint32(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix()/3600) + 1,
			n: 3 | 1<<30, likes: 35, comments: 4, views: 700}},
	}.bytes())
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	z := zoneOffsets{start: start.Unix(), from: []int64{start.Unix()}, offsets: []int64{0}}
	for n := range len(packed) {
		err := newWindowSums().add(packed[:n], 3600, z, start.Unix()/86400, make([]Day, 3))
		if boundary := n == 0 || n == first; boundary != (err == nil) {
			t.Errorf("cut at %d of %d bytes: %v", n, len(packed), err)
		}
	}
}

func FuzzWindowSums_Add(f *testing.F) {
	f.Add(packedSample())
	f.Add([]byte{0, 0, 0, 4, 0, 0, 0, 9})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	z := zoneOffsets{start: start.Unix(), from: []int64{start.Unix()}, offsets: []int64{0}}
	f.Fuzz(func(t *testing.T, packed []byte) {
		_ = newWindowSums().add(packed, 3600, z, start.Unix()/86400, make([]Day, 3))
	})
}

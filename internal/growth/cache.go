package growth

import (
	"container/list"
	"sync"
	"time"
)

// A growth report changes only when the account's data changes or when
// time moves a window edge across something: a post, a follower snapshot,
// a local midnight. Between those instants every report for the same
// account, period and zone is the same apart from period_start and
// period_end, so the service keeps recent reports and reuses one while
// nothing it depends on has moved.
//
// The data is identified by the account's data_version, which PostgreSQL
// advances on every change to its posts or snapshots (whoever makes it, on
// any replica), and by its follower count; both come with the account row
// that every request reads anyway. The time events are found by the report
// statement itself (the first post after each window's lower edge, the
// first post after now, the snapshots around the start) and by the zone
// (validUntil). A report is reused only for a now in [computed, until).

// DefaultCacheSize is the number of reports a Service keeps unless told
// otherwise: a few thousand dashboards' worth; 2–10 KB each.
const DefaultCacheSize = 4096

// maxReuse caps how long a report is reused however long its data holds.
const maxReuse = 10 * time.Minute

// reportKey names a report up to time.
type reportKey struct {
	account   string
	version   int64
	followers int64 // -1 when unknown
	period    int
	zone      string
}

type cachedReport struct {
	key         reportKey
	report      report
	from, until time.Time
}

// reportCache is a mutex-guarded LRU of reports.
type reportCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used
	items map[reportKey]*list.Element
}

func newReportCache(max int) *reportCache {
	if max <= 0 {
		return nil
	}
	return &reportCache{max: max, order: list.New(), items: make(map[reportKey]*list.Element, max)}
}

// get returns the report of key that holds at now.
func (c *reportCache) get(key reportKey, now time.Time) (report, bool) {
	if c == nil {
		return report{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return report{}, false
	}
	r := el.Value.(*cachedReport)
	if now.Before(r.from) || !now.Before(r.until) {
		return report{}, false
	}
	c.order.MoveToFront(el)
	return r.report, true
}

// put keeps r as the report of key for now in [from, until).
func (c *reportCache) put(key reportKey, r report, from, until time.Time) {
	if c == nil || !until.After(from) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value = &cachedReport{key: key, report: r, from: from, until: until}
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&cachedReport{key: key, report: r, from: from, until: until})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cachedReport).key)
	}
}

// horizon is what the report statement tells about the future of a
// report: the first post after each window's lower edge and after now, and
// the follower snapshots on either side of the window start (after: the
// first one after the start, even if after now).
type horizon struct {
	prevFirst, curFirst, weekFirst, next *time.Time
	snapBefore, snapAfter                *time.Time
}

// validUntil returns the first instant after now at which the report of
// (period, tz) computed at now may differ in anything but period_start and
// period_end. It errs early, never late: an early end only costs a
// recomputation.
func validUntil(now time.Time, period int, tz *time.Location, h horizon) time.Time {
	span := time.Duration(period) * 24 * time.Hour
	start := now.Add(-span)
	until := now.Add(maxReuse)
	earlier := func(t time.Time) {
		if t.Before(until) {
			until = t
		}
	}
	at := func(t *time.Time, d time.Duration) {
		if t != nil {
			earlier(t.Add(d))
		}
	}
	// A post leaves a window when the window's lower edge reaches it:
	// windows are (edge, now], so the first post after the edge leaves at
	// posted_at + the window's length. A post enters at its own time.
	at(h.prevFirst, 2*span)
	at(h.curFirst, span)
	at(h.weekFirst, 7*24*time.Hour)
	at(h.next, 0)
	// daily runs from the local date of the start to that of now.
	earlier(nextDate(now, tz))
	earlier(nextDate(start, tz).Add(span))
	// The follower snapshot compared with is the one closest to the start.
	// Before the midpoint between the snapshots around the start, the one
	// before is chosen until the start passes the midpoint; after it, the
	// one after is chosen until the start reaches it (and the next pair
	// takes over). A snapshot after now counts once now reaches it.
	if a := h.snapAfter; a != nil {
		if a.After(now) {
			earlier(*a)
		}
		// At the midpoint itself the one before still wins (the one after
		// must be strictly closer), so the report ends there at once.
		if b := h.snapBefore; b != nil && !start.After(b.Add(a.Sub(*b)/2)) {
			earlier(b.Add(a.Sub(*b) / 2).Add(span))
		} else {
			earlier(a.Add(span))
		}
	}
	return until
}

// nextDate returns the first instant after t whose local date in tz may
// differ from t's: the next local midnight, or the end of t's zone offset
// (a daylight-saving change) when that comes first.
func nextDate(t time.Time, tz *time.Location) time.Time {
	local := t.In(tz)
	_, offset := local.Zone()
	y, m, d := local.Date()
	// Midnight of the next date at the current offset.
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(offset) * time.Second)
	if _, end := local.ZoneBounds(); !end.IsZero() && end.Before(midnight) {
		return end
	}
	return midnight
}

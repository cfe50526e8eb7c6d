package guidance

import (
	"container/list"
	"sync"
	"time"
)

// maxReuse caps how long a result is reused however long its data holds.
// It bounds the staleness of what no key or instant captures (nothing
// today), as the growth report's cache does.
const maxReuse = 10 * time.Minute

// lru is a mutex-guarded LRU of results, each valid for a now in
// [from, until). The zero size keeps nothing.
type lru[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used
	items map[K]*list.Element
}

type entry[K comparable, V any] struct {
	key         K
	value       V
	from, until time.Time
}

func newLRU[K comparable, V any](max int) *lru[K, V] {
	if max <= 0 {
		return nil
	}
	return &lru[K, V]{max: max, order: list.New(), items: make(map[K]*list.Element, min(max, 1024))}
}

// get returns the value of key that holds at now.
func (c *lru[K, V]) get(key K, now time.Time) (V, bool) {
	var zero V
	if c == nil {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*entry[K, V])
	if now.Before(e.from) || !now.Before(e.until) {
		return zero, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

// put keeps v as the value of key for now in [from, until).
func (c *lru[K, V]) put(key K, v V, from, until time.Time) {
	if c == nil || !until.After(from) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &entry[K, V]{key: key, value: v, from: from, until: until}
	if el, ok := c.items[key]; ok {
		el.Value = e
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(e)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*entry[K, V]).key)
	}
}

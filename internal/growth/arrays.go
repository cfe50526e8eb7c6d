package growth

import (
	"bytes"
	"database/sql"
	"fmt"
	"math"
)

// The statements return their posts as one-dimensional arrays in
// PostgreSQL's text form ({1,2,NULL}); these scanners read them in one pass
// without the reflection and per-element allocations of lib/pq's generic
// ones (the posts of a 90-day window are thousands of elements a report).
// A NULL array (array_agg of no rows) scans as an empty one.

// int64s is a bigint[] or int[] without NULL elements.
type int64s []int64

// Scan implements sql.Scanner.
func (a *int64s) Scan(src any) error {
	out := (*a)[:0]
	err := scanInts(src, func(v int64, null bool) error {
		if null {
			return fmt.Errorf("NULL element")
		}
		out = append(out, v)
		return nil
	})
	*a = out
	return err
}

// nullInt64s is a bigint[] or int[] whose elements may be NULL.
type nullInt64s []sql.NullInt64

// Scan implements sql.Scanner.
func (a *nullInt64s) Scan(src any) error {
	out := (*a)[:0]
	err := scanInts(src, func(v int64, null bool) error {
		out = append(out, sql.NullInt64{Int64: v, Valid: !null})
		return nil
	})
	*a = out
	return err
}

// scanInts calls each with every element of the one-dimensional integer
// array src in PostgreSQL's text output ({} or {e1,e2,...}, each element
// an optional minus and at most 19 digits, or NULL), in order.
func scanInts(src any, each func(v int64, null bool) error) error {
	b, err := arrayBytes(src)
	if b == nil || err != nil {
		return err
	}
	fail := func(i int) error { return fmt.Errorf("growth stats: integer array %.40q: malformed at byte %d", b, i) }
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return fail(0)
	}
	if len(b) == 2 {
		return nil
	}
	for i := 1; ; {
		if b[i] == 'N' {
			if !bytes.HasPrefix(b[i:], []byte("NULL")) {
				return fail(i)
			}
			if err := each(0, true); err != nil {
				return fmt.Errorf("growth stats: integer array: %w", err)
			}
			i += 4
		} else {
			neg := b[i] == '-'
			if neg {
				i++
			}
			var u uint64
			digits := 0
			for ; b[i] >= '0' && b[i] <= '9'; i++ {
				if digits++; digits > 19 {
					return fail(i)
				}
				u = u*10 + uint64(b[i]-'0')
			}
			if digits == 0 || u > math.MaxInt64+1 || (u == math.MaxInt64+1 && !neg) {
				return fail(i)
			}
			v := int64(u)
			if neg {
				v = -v
			}
			if err := each(v, false); err != nil {
				return fmt.Errorf("growth stats: integer array: %w", err)
			}
		}
		// b ends with '}', so b[i] is in range until then.
		switch {
		case b[i] == '}' && i == len(b)-1:
			return nil
		case b[i] != ',' || i+1 == len(b)-1:
			return fail(i)
		}
		i++
	}
}

// strs is a text[] without NULL elements. Its first few distinct values
// are allocated once each (a window's media types are a handful of
// strings repeated).
type strs []string

// Scan implements sql.Scanner.
func (a *strs) Scan(src any) error {
	out := (*a)[:0]
	var seen [8]string
	distinct := 0
	err := scanArray(src, func(el []byte, null bool) error {
		if null {
			return fmt.Errorf("NULL element")
		}
		for _, s := range seen[:distinct] {
			if s == string(el) {
				out = append(out, s)
				return nil
			}
		}
		s := string(el)
		if distinct < len(seen) {
			seen[distinct] = s
			distinct++
		}
		out = append(out, s)
		return nil
	})
	*a = out
	return err
}

// scanArray calls each with every element of the one-dimensional array
// src in PostgreSQL's text output, unquoted and unescaped (el is only
// valid during the call), or with null for a NULL element.
func scanArray(src any, each func(el []byte, null bool) error) error {
	b, err := arrayBytes(src)
	if b == nil || err != nil {
		return err
	}
	if err := parseArray(b, each); err != nil {
		return fmt.Errorf("growth stats: array %.40q: %w", b, err)
	}
	return nil
}

// quoted are the bytes array_out quotes an element for.
var quoted = [256]bool{'"': true, '\\': true, '{': true, '}': true, ' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

// arrayBytes is the text of the array src, nil for NULL.
func arrayBytes(src any) ([]byte, error) {
	switch v := src.(type) {
	case nil:
		return nil, nil
	case []byte:
		return v, nil
	case string:
		return []byte(v), nil
	}
	return nil, fmt.Errorf("growth stats: array: cannot scan %T", src)
}

// parseArray is scanArray on the array's text. It accepts what array_out
// writes for one dimension with the default lower bound: {} or
// {e1,e2,...}, an element either bare (not empty, no quote, backslash,
// brace, comma or white space; NULL for a null one) or
// double-quoted with \ escaping the next byte.
func parseArray(b []byte, each func(el []byte, null bool) error) error {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return fmt.Errorf("not a one-dimensional array")
	}
	body := b[1 : len(b)-1]
	if len(body) == 0 {
		return nil
	}
	var buf []byte // unescaped quoted elements
	for {
		var (
			el   []byte
			null bool
		)
		if body[0] == '"' {
			i, esc := 1, false
			for ; i < len(body) && body[i] != '"'; i++ {
				if body[i] != '\\' {
					if esc {
						buf = append(buf, body[i])
					}
					continue
				}
				if !esc {
					buf, esc = append(buf[:0], body[1:i]...), true
				}
				if i++; i == len(body) {
					break
				}
				buf = append(buf, body[i])
			}
			if i >= len(body) {
				return fmt.Errorf("unterminated quoted element")
			}
			el = body[1:i]
			if esc {
				el = buf
			}
			body = body[i+1:]
		} else {
			i := 0
			for i < len(body) && body[i] != ',' {
				if quoted[body[i]] {
					return fmt.Errorf("malformed element at %q", body)
				}
				i++
			}
			if i == 0 {
				return fmt.Errorf("empty element")
			}
			el, body = body[:i], body[i:]
			null = string(el) == "NULL"
		}
		if err := each(el, null); err != nil {
			return err
		}
		if len(body) == 0 {
			return nil
		}
		if body[0] != ',' || len(body) == 1 {
			return fmt.Errorf("malformed array")
		}
		body = body[1:]
	}
}

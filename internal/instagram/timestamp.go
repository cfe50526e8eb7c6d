package instagram

import (
	"fmt"
	"strings"
	"time"
)

// timestampLayouts are tried in order. Instagram documents "2019-09-26T22:36:43+0000";
// RFC 3339 ("Z" or "+00:00") is accepted too.
var timestampLayouts = []string{
	"2006-01-02T15:04:05-0700",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999-0700",
}

// ParseTimestamp parses an Instagram timestamp, either Instagram's
// "2006-01-02T15:04:05-0700" form (e.g. "+0000") or RFC 3339, and returns it in UTC.
func ParseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("instagram: unparseable timestamp %q", s)
}

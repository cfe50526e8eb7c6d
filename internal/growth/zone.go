package growth

import (
	"strings"
	"time"

	"creatorgrowth/internal/apperr"
)

// zoneMessage is the client-facing error for a time zone that is refused.
const zoneMessage = "tz must be an IANA time zone such as Europe/Berlin."

// Location returns the IANA time zone called name, or an
// apperr.CodeInvalidRequest error. It accepts only names made of letters,
// digits and "/_+-" (no "..", no absolute path) and refuses "Local" and
// "localtime", which would be the server's own zone. Zones are cached:
// only names that loaded are kept, so the cache is bounded by the zone
// database.
func (s *Service) Location(name string) (*time.Location, error) {
	if loc, ok := s.zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := LoadZone(name)
	if err != nil {
		return nil, err
	}
	s.zones.Store(name, loc)
	return loc, nil
}

// LoadZone returns the IANA time zone called name under the rules of
// Location, without its cache: a user's own time zone setting is checked
// with it.
func LoadZone(name string) (*time.Location, error) {
	if !safeZoneName(name) {
		return nil, apperr.New(apperr.CodeInvalidRequest, zoneMessage)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInvalidRequest, zoneMessage)
	}
	return loc, nil
}

func safeZoneName(name string) bool {
	if name == "" || len(name) > 64 || strings.Contains(name, "..") || strings.HasPrefix(name, "/") ||
		strings.HasSuffix(name, "/") || strings.Contains(name, "//") {
		return false
	}
	switch strings.ToLower(name) {
	case "local", "localtime", "posixrules", "factory":
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '/', r == '_', r == '+', r == '-':
		default:
			return false
		}
	}
	return true
}

// zoneSegments returns the offsets from UTC (seconds) of tz over
// [start, end]: from[i] (RFC 3339) is the instant offsets[i] starts to
// hold, from[0] is start. A window of 90 days has at most a few changes;
// the list is capped at 64 for zones that change more often than any does.
func zoneSegments(start, end time.Time, tz *time.Location) (from []string, offsets []int64) {
	t := start
	for {
		local := t.In(tz)
		_, offset := local.Zone()
		from = append(from, t.UTC().Format(time.RFC3339Nano))
		offsets = append(offsets, int64(offset))
		_, next := local.ZoneBounds()
		if next.IsZero() || next.After(end) || len(from) == 64 {
			return from, offsets
		}
		t = next
	}
}

// localDay returns the local date of t in tz as days since 1970-01-01.
func localDay(t time.Time, tz *time.Location) int64 {
	y, m, d := t.In(tz).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

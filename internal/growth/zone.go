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
	if !safeZoneName(name) {
		return nil, apperr.New(apperr.CodeInvalidRequest, zoneMessage)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInvalidRequest, zoneMessage)
	}
	s.zones.Store(name, loc)
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

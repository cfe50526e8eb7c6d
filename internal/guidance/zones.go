package guidance

import (
	"context"
	"fmt"
	"time"
)

// zoneTimeout bounds the look-up of a user's zone.
const zoneTimeout = 5 * time.Second

// ZoneNames reads the time zone name a user chose (users.timezone);
// *postgres.Users is one.
type ZoneNames interface {
	Timezone(ctx context.Context, userID string) (string, error)
}

// StoredZones is the UserZones of the users' own setting: one query per
// look-up, the name loaded by Load (growth's Location: its name rules and
// cache). An empty name, or one Load refuses (a zone the server's zone
// database no longer knows), is UTC.
type StoredZones struct {
	Names ZoneNames
	Load  func(name string) (*time.Location, error)
}

// UserZone returns the time zone of the user.
func (z *StoredZones) UserZone(ctx context.Context, userID string) (*time.Location, error) {
	ctx, cancel := context.WithTimeout(ctx, zoneTimeout)
	defer cancel()
	name, err := z.Names.Timezone(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("user zone: %w", err)
	}
	if name == "" {
		return time.UTC, nil
	}
	loc, err := z.Load(name)
	if err != nil {
		return time.UTC, nil //nolint:nilerr // an unknown zone is UTC, as documented
	}
	return loc, nil
}

package guidance

import (
	"context"
	"fmt"
	"time"

	"creatorgrowth/internal/audience"
	"creatorgrowth/internal/postgres"
)

// Online reads the followers-online heatmap of the stored account
// insights, as the audience report shows it: the latest online_followers
// reading, none for an account under audience.MinFollowers followers
// (Instagram gives them nothing).
type Online struct {
	store   *postgres.Advice
	pacific *time.Location
}

// NewOnline returns the heatmap reader on the advice store. It fails only
// when the zone database lacks America/Los_Angeles.
func NewOnline(store *postgres.Advice) (*Online, error) {
	pacific, err := time.LoadLocation(audience.Pacific)
	if err != nil {
		return nil, fmt.Errorf("online followers: %w", err)
	}
	return &Online{store: store, pacific: pacific}, nil
}

// Version names the account's latest reading: the Unix microseconds it
// was read at, 0 when there is none to use.
func (o *Online) Version(ctx context.Context, acc postgres.Account) (int64, error) {
	if acc.Followers != nil && *acc.Followers < audience.MinFollowers {
		return 0, nil
	}
	at, err := o.store.OnlineReadAt(ctx, acc.ID)
	if err != nil || at == nil {
		return 0, err
	}
	return at.UnixMicro(), nil
}

// Heatmap returns the heatmap in tz of the reading Version named; nil
// for version 0 or a reading without values.
func (o *Online) Heatmap(ctx context.Context, acc postgres.Account, version int64, tz *time.Location) (*[7][24]*float64, error) {
	if version == 0 {
		return nil, nil
	}
	rows, err := o.store.OnlineFollowers(ctx, acc.ID, time.UnixMicro(version))
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	samples := make([]audience.Sample, len(rows))
	for i, r := range rows {
		samples[i] = audience.Sample{Date: r.Date, Hour: r.Hour, Count: r.Count}
	}
	return audience.Heatmap(samples, tz, o.pacific)
}
